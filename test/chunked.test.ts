// Descriptors in slabs with halos (src/features/chunked.ts) equal the unchunked ones: a real KA 3D
// configuration tiled 2 x 1 x 1 (N = 8192, box 30.1 x 15.1 x 15.1) in 2 slabs, full default
// vector (596 columns, CG levels 0-2, P and E at scales up to 5): every value to 1e-12 relative,
// and both copies of each particle have the same descriptors. Memory estimates are positive and
// grow with N.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { computeFeatures, computeFeaturesChunked, readConfigurations, type System } from '../src/index.js';
import { featureHalo, featureMemoryEstimate } from '../src/features/chunked.js';

const DATA = new URL('../data/ka3d-T0.44-mini/', import.meta.url).pathname;

function tileX(s: System, k: number): System {
  const n = s.n * k, D = s.dim, L = s.box[0];
  const positions = new Float64Array(n * D);
  const species = new Int32Array(n);
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < s.n; i++) {
      for (let a = 0; a < D; a++) positions[(c * s.n + i) * D + a] = s.positions[i * D + a] + (a === 0 ? c * L : 0);
      species[c * s.n + i] = s.species[i];
    }
  }
  const box = Float64Array.from(s.box);
  box[0] = k * L;
  return { ...s, n, positions, species, box, columns: {} };
}

describe('descriptors in slabs with halos', () => {
  const [c] = readConfigurations([join(DATA, 'config1.npz')]);
  const big = tileX(c.system, 2);
  it('2 slabs = the whole system (1e-12 relative); both copies of a particle agree', () => {
    const fo = { potential: 'KA3D' };
    const { halo } = featureHalo(big, fo);
    expect(halo).toBeGreaterThan(7.4); // P/E at L = 5 plus the KA pair cutoff 2.5
    const whole = computeFeatures(big, fo);
    const sl = computeFeaturesChunked(big, fo, { slabs: 2 });
    expect(sl.names).toEqual(whole.names);
    let worst = 0, copies = 0;
    const p = whole.p, n0 = c.system.n;
    for (let k = 0; k < whole.values.length; k++) worst = Math.max(worst, Math.abs(sl.values[k] - whole.values[k]) / Math.max(1, Math.abs(whole.values[k])));
    for (let i = 0; i < n0 * p; i++) copies = Math.max(copies, Math.abs(whole.values[i] - whole.values[n0 * p + i]) / Math.max(1, Math.abs(whole.values[i])));
    expect(worst).toBeLessThan(1e-12);
    expect(copies).toBeLessThan(1e-12);
  });
  it('one slab is computeFeatures itself; memory estimates', () => {
    const fo = { potential: 'KA3D', families: ['R' as const], levels: [0] };
    const a = computeFeaturesChunked(c.system, fo);
    const b = computeFeatures(c.system, fo);
    expect(a.values).toEqual(b.values);
    expect(featureMemoryEstimate(c.system, { potential: 'KA3D' }, 1_000_000)).toBeGreaterThan(4e9);
    expect(featureMemoryEstimate(c.system, { potential: 'KA3D' }, 4096)).toBeLessThan(2e8);
  });
});
