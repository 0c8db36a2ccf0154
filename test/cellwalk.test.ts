// The one cell walk (assembly/neighbors/cellwalk.ts) through its users: the half neighbour list
// holds every unordered pair exactly once (not only the right count), and the Verlet list of the
// force kernel agrees with the O(N^2) reference in boxes whose axes have 2, 3 (the centred full
// walk of a thin box) and more cells (the half stencil).
import { describe, expect, it } from 'vitest';
import { NeighborQuery, createSystem, energyAndForces } from '../src/index.js';
import { bruteForceNeighbors } from '../src/reference/neighbors.js';
import { energyAndForcesReference } from '../src/reference/minimize.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';

function randomSystem(seed: number, n: number, dim: 2 | 3, box: number[]) {
  const r = rng(seed);
  const pos = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let a = 0; a < dim; a++) pos[i * dim + a] = (r() * 1.4 - 0.2) * box[a];
  return createSystem({ dim, box, positions: pos });
}

describe('cell walk: half neighbour lists', () => {
  it('each unordered pair within the cutoff exactly once, for 1..6 cells per axis and reach 1..3', () => {
    const boxes: [2 | 3, number[]][] = [[3, [3, 3, 3]], [3, [3, 4.5, 6.2]], [3, [5.1, 7.4, 9.9]], [2, [2.5, 2.5]], [2, [4.6, 9.3]]];
    let seed = 1;
    for (const [dim, box] of boxes) {
      for (const reach of [1, 2, 3]) {
        const sys = randomSystem(seed++, dim === 3 ? 120 : 90, dim, box);
        const cutoff = 0.5 * Math.min(...box) * (0.6 + 0.1 * reach);
        const q = new NeighborQuery(sys, cutoff, reach);
        try {
          const half = q.rows(0, sys.n, cutoff, true);
          const got: string[] = [];
          for (let i = 0; i < sys.n; i++) {
            for (let k = half.offsets[i]; k < half.offsets[i + 1]; k++) {
              const j = half.j[k];
              got.push(i < j ? `${i},${j}` : `${j},${i}`);
            }
          }
          const want = bruteForceNeighbors(sys, cutoff).filter((p) => p.i < p.j).map((p) => `${p.i},${p.j}`);
          expect(new Set(got).size, `no pair twice (box ${box}, reach ${reach})`).toBe(got.length);
          expect([...got].sort(), `the pairs (box ${box}, reach ${reach})`).toEqual([...want].sort());
        } finally {
          q.free();
        }
      }
    }
  });
});

/** A jittered lattice of spacing about 1.05 filling the box (no overlaps: moderate forces). */
function latticeSystem(seed: number, box: number[]) {
  const r = rng(seed);
  const m = box.map((L) => Math.max(1, Math.floor(L / 1.05)));
  const pos: number[] = [];
  const types: number[] = [];
  for (let a = 0; a < m[0]; a++) for (let b = 0; b < m[1]; b++) for (let c = 0; c < m[2]; c++) {
    pos.push(((a + 0.5 + 0.3 * (r() - 0.5)) * box[0]) / m[0], ((b + 0.5 + 0.3 * (r() - 0.5)) * box[1]) / m[1], ((c + 0.5 + 0.3 * (r() - 0.5)) * box[2]) / m[2]);
    types.push(r() < 0.2 ? 1 : 0);
  }
  return createSystem({ dim: 3, box, positions: pos, types: types.map((t) => (t ? 'B' : 'A')) });
}

describe('cell walk: Verlet list of the force kernel', () => {
  it('energies and forces equal the O(N^2) reference with 2, 3 and more cells per axis', () => {
    // KA3D: largest cutoff 2.5, so an axis of length L has floor(L / 2.5) cells
    const boxes = [[5.5, 8.6, 12], [5.1, 5.3, 9.2], [8.2, 8.4, 8.9], [7.6, 11, 13.1]];
    let seed = 40;
    for (const box of boxes) {
      const sys = latticeSystem(seed++, box);
      const k = energyAndForces(sys, 'KA3D');
      const ref = energyAndForcesReference(sys, 'KA3D');
      expect(Math.abs(k.energy - ref.energy)).toBeLessThanOrEqual(1e-11 * Math.abs(ref.energy));
      let fmax = 0, dmax = 0;
      for (let i = 0; i < ref.forces.length; i++) {
        fmax = Math.max(fmax, Math.abs(ref.forces[i]));
        dmax = Math.max(dmax, Math.abs(k.forces[i] - ref.forces[i]));
      }
      expect(dmax, `forces, box ${box}`).toBeLessThanOrEqual(1e-11 * fmax);
    }
  });
});
