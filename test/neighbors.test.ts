import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NeighborQuery, createSystem, InputError, KernelError } from '../src/index.js';
import { bruteForceNeighbors, spatialOrderRef } from '../src/reference/neighbors.js';
import { wasm } from '../src/wasm/runtime.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';


function randomSystem(seed: number, n: number, dim: 2 | 3, box: number[], unwrap = 0) {
  const r = rng(seed);
  const pos = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) for (let a = 0; a < dim; a++) pos[i * dim + a] = r() * box[a] + unwrap * Math.floor((r() - 0.5) * 6) * box[a];
  return createSystem({ dim, box, positions: pos });
}

function compare(sys: ReturnType<typeof createSystem>, cutoff: number, reach?: number) {
  const q = new NeighborQuery(sys, cutoff, reach);
  try {
    const rows = q.rows();
    const got: string[] = [];
    const gotR = new Map<string, number>();
    const gotD = new Map<string, number[]>();
    for (let i = 0; i < sys.n; i++) {
      for (let k = rows.offsets[i]; k < rows.offsets[i + 1]; k++) {
        const key = `${i},${rows.j[k]}`;
        got.push(key);
        gotR.set(key, rows.r[k]);
        gotD.set(key, [rows.d[3 * k], rows.d[3 * k + 1], rows.d[3 * k + 2]]);
      }
    }
    const want = bruteForceNeighbors(sys, cutoff);
    expect(got.length).toBe(want.length);
    expect(new Set(got).size).toBe(got.length); // no pair twice
    const bad: string[] = [];
    for (const p of want) {
      const key = `${p.i},${p.j}`;
      if (!gotR.has(key)) { bad.push(`missing pair ${key}`); continue; }
      if (!(Math.abs(gotR.get(key)! - p.r) < 1e-12)) bad.push(`r of ${key}: ${gotR.get(key)} vs ${p.r}`);
      const d = gotD.get(key)!;
      for (let a = 0; a < 3; a++) if (!(Math.abs(d[a] - p.d[a]) < 1e-12)) bad.push(`d[${a}] of ${key}: ${d[a]} vs ${p.d[a]}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
    // half list: each unordered pair once, j > i
    const half = q.rows(0, sys.n, cutoff, true);
    expect(half.j.length * 2).toBe(want.length);
    expect(q.countPairs(cutoff) * 2).toBe(want.length);
    // ... and exactly the oracle's unordered pairs, each once (a duplicated plus a missing pair fails),
    // with the distance and the separation vector of its stored direction
    const halfPairs = new Map<string, number>();
    const halfBad: string[] = [];
    for (let i = 0; i < sys.n; i++) {
      for (let k = half.offsets[i]; k < half.offsets[i + 1]; k++) {
        const jj = half.j[k];
        const key = i < jj ? `${i},${jj}` : `${jj},${i}`;
        if (jj === i) halfBad.push(`self pair ${i}`);
        if (halfPairs.has(key)) halfBad.push(`pair ${key} twice`);
        halfPairs.set(key, k);
        const ref = gotR.get(`${i},${jj}`);
        if (ref === undefined || !(Math.abs(half.r[k] - ref) < 1e-12)) halfBad.push(`r of half pair ${i},${jj}`);
        const d = gotD.get(`${i},${jj}`);
        if (d) for (let a = 0; a < 3; a++) if (!(Math.abs(half.d[3 * k + a] - d[a]) < 1e-12)) halfBad.push(`d[${a}] of half pair ${i},${jj}`);
      }
    }
    for (const p of want) if (p.i < p.j && !halfPairs.has(`${p.i},${p.j}`)) halfBad.push(`missing half pair ${p.i},${p.j}`);
    expect(halfBad.slice(0, 5)).toEqual([]);
    expect(halfPairs.size * 2).toBe(want.length);
    // chunks give the same rows as one pass
    const mid = Math.floor(sys.n / 3);
    const c1 = q.rows(mid, sys.n);
    expect(c1.j.length).toBe(rows.offsets[sys.n] - rows.offsets[mid]);
    expect(Array.from(c1.j)).toEqual(Array.from(rows.j.subarray(rows.offsets[mid])));
  } finally {
    q.free();
  }
}

describe('cell-list neighbours equal the O(N^2) oracle', () => {
  it('random 3D systems over many seeds, cubic and orthorhombic, wrapped and unwrapped', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const box = seed % 2 ? [6, 6, 6] : [5.2, 7.1, 6.3];
      compare(randomSystem(seed, 150, 3, box, seed % 3 === 0 ? 1 : 0), 1.3 + (seed % 5) * 0.25);
    }
  });
  it('random 2D systems over many seeds', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const box = seed % 2 ? [9, 9] : [8.3, 11.7];
      compare(randomSystem(seed + 100, 200, 2, box, seed % 3 === 0 ? 1 : 0), 1.1 + (seed % 4) * 0.6);
    }
  });
  it('boxes with 1 and 2 cells per side (no double counting), cutoff exactly half the box', () => {
    for (let seed = 1; seed <= 10; seed++) {
      compare(randomSystem(seed + 200, 40, 3, [3, 3, 3]), 1.5); // 2 cells per side
      compare(randomSystem(seed + 300, 40, 3, [3, 4.5, 6.2]), 1.5); // 2, 3, 4 cells
      compare(randomSystem(seed + 400, 30, 2, [2.5, 2.5]), 1.25);
    }
  });
  it('cells of side cutoff/reach (reach 1..4), 2D and 3D, dense and sparse grids, interior and boundary cells', () => {
    for (let seed = 1; seed <= 12; seed++) {
      for (const reach of [1, 2, 3, 4]) {
        compare(randomSystem(seed + 500, 400, 3, [9, 10.5, 12], seed % 2), 1.2 + (seed % 4) * 0.9, reach);
        compare(randomSystem(seed + 600, 500, 2, [14, 11.3], seed % 2), 1.0 + (seed % 5) * 1.1, reach);
      }
    }
  });
  it('the automatic reach is 2 on dense grids (descriptor cutoffs) and 1 on sparse ones', async () => {
    const { autoReach } = await import('../src/neighbors/neighbors.js');
    expect(autoReach(randomSystem(1, 4096, 3, [15.05, 15.05, 15.05]), 2.8)).toBe(2);
    expect(autoReach(randomSystem(1, 4096, 3, [15.05, 15.05, 15.05]), 1.5)).toBe(1);
  });
  it('particles exactly on box faces and at L (wrapped to 0)', () => {
    const L = 4;
    const pos = [0, 0, 0, L, 0, 0, 0, L, L, 2, 2, 2, L / 2, 0, 0, -L, 1, 1, 1.999999, 0, L];
    compare(createSystem({ dim: 3, box: [L, L, L], positions: pos }), 2);
  });
  it('property: any random system (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 2, max: 60 }), fc.constantFrom<2 | 3>(2, 3), fc.double({ min: 0.2, max: 1, noNaN: true }), (seed, n, dim, frac) => {
        const box = dim === 3 ? [4, 5, 6] : [4, 7];
        compare(randomSystem(seed, n, dim, box, 1), frac * 2);
      }),
      { numRuns: 60 },
    );
  });
});

describe('neighbour errors', () => {
  it('cutoff above half the smallest side is an InputError naming the box', () => {
    const sys = randomSystem(1, 10, 3, [4, 4, 5]);
    expect(() => new NeighborQuery(sys, 2.01)).toThrow(InputError);
    expect(() => new NeighborQuery(sys, 2.01)).toThrow(/half the smallest box side/);
  });
  it('a kernel assertion surfaces as KernelError', () => {
    const sys = randomSystem(1, 10, 3, [4, 4, 5]);
    const q = new NeighborQuery(sys, 1.0);
    try {
      expect(() => q.buildHandle(0, 10, 1.0, false)).not.toThrow();
      expect(() => (q as any).w.exports.neighborListBuild(q.buildHandle(), q.handle, 1.5, 0, 10, 0)).toThrow(KernelError);
    } finally {
      q.free();
    }
  });
});

describe('spatial ordering', () => {
  it('descSpatialOrder = the Morton-key oracle (fast-check: 2D/3D, 1 to 128 cells per axis, unwrapped coordinates)', () => {
    const w = wasm();
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 600 }), fc.constantFrom(2, 3), fc.array(fc.double({ min: 1, max: 60, noNaN: true }), { minLength: 3, maxLength: 3 }),
      fc.double({ min: 0.2, max: 8, noNaN: true }), fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      (n, dim, box, side, seed) => {
        const r = rng(seed);
        const pos = Float64Array.from({ length: n * dim }, (_, k) => (r() * 4 - 1.5) * box[k % dim]); // up to 2.5 boxes outside
        const p = w.f64From(pos), perm = w.i32(n);
        try {
          w.exports.descSpatialOrder(p.ptr, n, dim, box[0], box[1], dim === 3 ? box[2] : 1, side, perm.ptr);
          expect(Array.from(perm.view)).toEqual(Array.from(spatialOrderRef(pos, n, dim as 2 | 3, box, side)));
        } finally {
          p.free();
          perm.free();
        }
      }), { numRuns: 150, seed: 14 });
  });

  it('is a permutation, and the permuted system has the same neighbour pairs under it', async () => {
    const { spatialOrder, permuteSystem } = await import('../src/neighbors/neighbors.js');
    const sys = randomSystem(5, 300, 3, [7, 7, 7], 1);
    const perm = spatialOrder(sys, 1.4);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i));
    const ps = permuteSystem(sys, perm);
    const key = (rows: ReturnType<NeighborQuery['rows']>, map: (i: number) => number) => {
      const s: string[] = [];
      for (let i = 0; i < 300; i++) for (let k = rows.offsets[i]; k < rows.offsets[i + 1]; k++) s.push(`${map(i)},${map(rows.j[k])},${rows.r[k]}`);
      return s.sort();
    };
    const q1 = new NeighborQuery(sys, 1.4), q2 = new NeighborQuery(ps, 1.4);
    expect(key(q2.rows(), (k) => perm[k])).toEqual(key(q1.rows(), (i) => i));
    q1.free();
    q2.free();
  });
});
