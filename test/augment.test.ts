// Box symmetries (src/workflow/augment.ts: axis permutations, reflections, translations of the periodic
// box) change no descriptor and no propensity: a real KA 3D configuration (N = 4096) under random
// symmetries gives the same thermal + inherent-structure descriptors (structure "both", with dIS)
// to 1e-9 relative, and the same abs / msd propensities. Also: descriptors computed on the worker
// pool (prepareMany, 2 threads) equal the inline ones bit for bit.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { applyBoxSymmetry, mulberry32, prepareConfiguration, prepareMany, propensity, randomBoxSymmetry, readConfigurations, transformConfiguration, transformSystem, type FeatureOptions } from '../src/index.js';

const DATA = new URL('../data/ka3d-T0.44-mini/', import.meta.url).pathname;
const fo: FeatureOptions = { potential: 'KA3D' };

function worstRel(a: Float64Array, b: Float64Array): number {
  let w = 0;
  for (let k = 0; k < a.length; k++) w = Math.max(w, Math.abs(a[k] - b[k]) / Math.max(1, Math.abs(b[k])));
  return w;
}

describe('box symmetries', () => {
  const [c] = readConfigurations([join(DATA, 'config1.npz')]);
  it('random rotations/reflections/translations change no descriptor (thermal + inherent + dIS)', () => {
    const ref = prepareConfiguration(c, fo, 'both', undefined, undefined);
    const rnd = mulberry32(14);
    for (let t = 0; t < 2; t++) {
      const s = randomBoxSymmetry(c.system.box, rnd);
      const q = prepareConfiguration(transformConfiguration(c, s), fo, 'both', undefined, undefined);
      expect(q.fm.names).toEqual(ref.fm.names);
      expect(Array.from(q.rows)).toEqual(Array.from(ref.rows));
      expect(worstRel(q.X, ref.X)).toBeLessThan(1e-9);
      expect(q.y).toEqual(ref.y);
    }
  });

  it('propensities of transformed runs are unchanged', () => {
    const rnd = mulberry32(7);
    const sys = c.system;
    const runs = Array.from({ length: 3 }, () => Float64Array.from(sys.positions, (x) => x + 0.6 * (rnd() - 0.5)));
    const s = randomBoxSymmetry(sys.box, rnd);
    const sys2 = transformSystem(sys, s);
    // runs are unwrapped trajectories: the same map without wrapping, then the start's wrap shift
    const runs2 = runs.map((r) => {
      const u = applyBoxSymmetry(r, sys.box, s, false);
      const x0 = applyBoxSymmetry(sys.positions, sys.box, s, false);
      for (let k = 0; k < u.length; k++) u[k] += sys2.positions[k] - x0[k];
      return u;
    });
    for (const kind of ['abs', 'msd'] as const) {
      const a = propensity(sys, runs, kind), b = propensity(sys2, runs2, kind);
      expect(worstRel(b, a)).toBeLessThan(1e-12);
    }
  });

  it('descriptors on the worker pool equal the inline ones, bit for bit', async () => {
    const cs = readConfigurations([1, 2].map((i) => join(DATA, `config${i}.npz`)));
    const small: FeatureOptions = { potential: 'KA3D', families: ['R', 'E'], levels: [0], scales: [2] };
    const pooled = await prepareMany(cs, small, 'inherent', undefined, { threads: 2 });
    cs.forEach((cc, k) => {
      const q = prepareConfiguration(cc, small, 'inherent', undefined, undefined);
      expect(pooled[k].X.length).toBe(q.X.length);
      expect(pooled[k].X.every((x, j) => Object.is(x, q.X[j]))).toBe(true);
      expect(pooled[k].y).toEqual(q.y);
    });
  });
});
