// One back-end test matrix for every descriptor family (issue 10, part 4): each family set runs
// through
//   build    scalar wasm | SIMD wasm                 (bit for bit the same numbers, checked per cell)
//   order    the caller's order | a random permutation of the particles (rows permuted back)
//   sort     spatially sorted copy (default) | no sorting (spatialOrder: false)
//   chunks   whole | 3 slabs with the full-chain halo (passes: 1) | base quantities on the whole
//            system, then CG levels and averages in 3 slabs with their own halos (passes: 2;
//            src/features/chunked.ts)
//   reach    cells of side >= cutoff (reach 1) | >= cutoff / 2 (reach 2)
// against its brute-force O(N^2) reference (src/reference/features.ts) on small jittered-lattice
// 2D and 3D mixtures, and every cell against the first one to 1e-12. Lattice oracles: fcc (12
// neighbours at the nearest-neighbour distance: Q6 = 0.5745242597140697, Q4 = 0.19094065395649326,
// Q2 = 0, R = 12, rho(L) = sum over the first shells of exp(-r/L)) and the square lattice
// (psi_4 = psi_8 = 1, psi_1..3 = 0, R = 4), through the same matrix, coarse-grained levels
// included (a perfect lattice is homogeneous: CG changes nothing).
import { afterAll, describe, expect, it } from 'vitest';
import { computeFeaturesChunked, createSystem, type FeatureMatrix, type FeatureOptions, type System } from '../src/index.js';
import { featureHalo } from '../src/features/chunked.js';
import { permuteSystem } from '../src/neighbors/neighbors.js';
import { runFeatures } from '../src/features/compute.js';
import { referenceFeatures } from '../src/reference/features.js';
import { setWasm, wasm } from '../src/wasm/runtime.js';
import { loadNodeWasm } from '../src/wasm/node.js';
import type { Wasm } from '../src/wasm/memory.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';

const original = wasm();
const builds: Record<'scalar' | 'simd', Wasm> = { scalar: loadNodeWasm(false), simd: loadNodeWasm(true) };
afterAll(() => setWasm(original));

type Chunking = 'whole' | 'slabs-1pass' | 'slabs-2pass';
interface Cell { build: 'scalar' | 'simd'; permuted: boolean; sorted: boolean; chunks: Chunking; reach: 1 | 2 }

const CELLS: Cell[] = [];
for (const build of ['scalar', 'simd'] as const) {
  for (const permuted of [false, true]) {
    for (const sorted of [true, false]) {
      for (const chunks of ['whole', 'slabs-1pass', 'slabs-2pass'] as const) {
        for (const reach of [1, 2] as const) CELLS.push({ build, permuted, sorted, chunks, reach });
      }
    }
  }
}
const label = (c: Cell) => `${c.build}/${c.permuted ? 'permuted' : 'original'}/${c.sorted ? 'sorted' : 'unsorted'}/${c.chunks}/reach ${c.reach}`;

/** The features of `sys` in one cell of the matrix, rows in the order of `sys`. */
function runCell(sys: System, o: FeatureOptions, c: Cell): FeatureMatrix {
  setWasm(builds[c.build]);
  expect(wasm().simd).toBe(c.build === 'simd');
  const r = rng(7 + sys.n);
  let perm: Int32Array | null = null;
  let s = sys;
  if (c.permuted) {
    const p = Int32Array.from({ length: sys.n }, (_, i) => i);
    for (let i = sys.n - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    perm = p;
    s = permuteSystem(sys, p);
  }
  const opts: FeatureOptions = { ...o, spatialOrder: c.sorted };
  let fm: FeatureMatrix;
  if (c.chunks === 'whole') fm = runFeatures(s, opts, { reach: c.reach }).matrix!;
  else fm = computeFeaturesChunked(s, opts, { slabs: 3, passes: c.chunks === 'slabs-1pass' ? 1 : 2, reach: c.reach });
  if (!perm) return fm;
  // row k of fm is particle perm[k] of sys
  const values = new Float64Array(fm.values.length);
  for (let k = 0; k < sys.n; k++) values.set(fm.values.subarray(k * fm.p, (k + 1) * fm.p), perm[k] * fm.p);
  return { ...fm, values };
}

/**
 * |a - b| <= max(rtol |b|, 1e-12) elementwise, names equal; evar(L) = CG(e^2) - CG(e)^2 is a
 * difference whose rounding scales with e(L)^2: its floor is 1e-12 max(1, e(L)^2).
 */
function worstError(a: FeatureMatrix, b: FeatureMatrix, rtol: number): string {
  expect(a.names).toEqual(b.names);
  expect(a.values.length).toBe(b.values.length);
  let worst = 1, where = '';
  for (let k = 0; k < a.values.length; k++) {
    const name = a.names[k % a.p];
    let floor = 1e-12;
    if (name.startsWith('evar')) {
      const m = b.values[k - (k % a.p) + b.names.indexOf('e' + name.slice(4))];
      floor = 1e-12 * Math.max(1, m * m);
    }
    const tol = Math.max(rtol * Math.abs(b.values[k]), floor);
    const err = Math.abs(a.values[k] - b.values[k]);
    if (!(err <= tol * worst)) {
      worst = err / tol;
      where = `row ${Math.floor(k / a.p)} ${name}: ${a.values[k]} vs ${b.values[k]} (${worst.toExponential(2)} x tolerance)`;
    }
  }
  return where;
}

/** The reference's columns named like fm's (a family set is a subset of the full vector). */
function columnsOf(ref: FeatureMatrix, names: string[]): FeatureMatrix {
  const idx = names.map((n) => ref.names.indexOf(n));
  expect(idx.every((k) => k >= 0)).toBe(true);
  const p = names.length;
  const values = new Float64Array(ref.n * p);
  for (let i = 0; i < ref.n; i++) idx.forEach((c, k) => (values[i * p + k] = ref.values[i * ref.p + c]));
  return { n: ref.n, p, values, names, meta: ref.meta.filter((_, k) => idx.includes(k)) };
}

/** Jittered lattice mixture (every pair at least (1 - 2 noise) spacings apart): cells per axis, spacing a. */
function jittered(seed: number, cells: number[], a: number, noise: number, labels: string[], fractions: number[]): System {
  const r = rng(seed);
  const D = cells.length;
  const n = cells.reduce((x, y) => x * y, 1);
  const pos = new Float64Array(n * D);
  const types: string[] = [];
  for (let i = 0; i < n; i++) {
    let q = i;
    for (let d = 0; d < D; d++) {
      pos[i * D + d] = ((q % cells[d]) + 0.5 + noise * (2 * r() - 1)) * a;
      q = Math.floor(q / cells[d]);
    }
    let u = r(), k = 0;
    while (k < fractions.length - 1 && u > fractions[k]) {
      u -= fractions[k];
      k++;
    }
    types.push(labels[k]);
  }
  return createSystem({ dim: D as 2 | 3, box: cells.map((c) => c * a), positions: pos, types, speciesOrder: labels });
}

// small shells and scales, so that 3 slabs with their halos fit along the long axis
const O3: FeatureOptions = { potential: 'KA3D', r0: 0.8, dr: 0.3, K: 4, delta: 0.12, ls: [1, 4, 6], cgLength: 1.2, levels: [0, 1, 2], scales: [1, 2.5] };
const O2: FeatureOptions = { potential: 'KA2D', r0: 0.8, dr: 0.3, K: 4, delta: 0.12, ls: [1, 4, 6], cgLength: 1.2, levels: [0, 1, 2], scales: [1, 2.5] };
const FAMILY_SETS: { name: string; families: FeatureOptions['families'] }[] = [
  { name: 'R A P E', families: ['R', 'A', 'P', 'E'] },
  { name: 'R', families: ['R'] },
  { name: 'A', families: ['A'] },
  { name: 'P', families: ['P'] },
  { name: 'E', families: ['E'] },
];

/** 3 slabs with the one-pass halos fit along the long axis x (else computeFeaturesChunked would not chunk). */
function expectSlabs(sys: System, o: FeatureOptions): void {
  const L = sys.box[0];
  expect(Math.max(...sys.box)).toBe(L);
  expect(L / 3 + 2 * featureHalo(sys, o).halo).toBeLessThan(L);
}

function matrix(sys: System, base: FeatureOptions, ref: FeatureMatrix): void {
  for (const fs of FAMILY_SETS) {
    const o = { ...base, families: fs.families };
    let first: FeatureMatrix | null = null;
    const bad: string[] = [];
    const scalar = new Map<string, Float64Array>();
    for (const c of CELLS) {
      const fm = runCell(sys, o, c);
      const key = label({ ...c, build: 'scalar' });
      if (c.build === 'scalar') scalar.set(key, fm.values);
      else if (!Buffer.from(fm.values.buffer).equals(Buffer.from(scalar.get(key)!.buffer))) bad.push(`${fs.name} ${label(c)}: not bit for bit the scalar build's numbers`);
      const r = columnsOf(ref, fm.names);
      const e1 = worstError(fm, r, 1e-9);
      if (e1) bad.push(`${fs.name} ${label(c)} vs reference: ${e1}`);
      if (!first) first = fm;
      else {
        const e2 = worstError(fm, first, 1e-12);
        if (e2) bad.push(`${fs.name} ${label(c)} vs ${label(CELLS[0])}: ${e2}`);
      }
    }
    expect(bad).toEqual([]);
  }
}

describe('back-end matrix: every family x build x order x sort x chunks x reach = the brute-force reference', () => {
  it('3D KA mixture (jittered sc lattice, 16 x 5 x 5 cells, N = 400)', () => {
    const sys = jittered(3, [16, 5, 5], 1.1, 0.15, ['A', 'B'], [0.8, 0.2]);
    expectSlabs(sys, O3);
    matrix(sys, O3, referenceFeatures(sys, O3));
  });
  it('2D ternary KA mixture (jittered square lattice, 24 x 6 cells, N = 144)', () => {
    const sys = jittered(4, [24, 6], 1.0, 0.15, ['1', '2', '3'], [0.6, 0.3, 0.1]);
    expectSlabs(sys, O2);
    matrix(sys, O2, referenceFeatures(sys, O2));
  });
});

describe('back-end matrix on lattice oracles (known values in every cell)', () => {
  it('fcc (nearest-neighbour distance 1, 12 x 4 x 4 cells): Q2 = 0, Q4, Q6, R = 12, rho(L) by shells', () => {
    const a = Math.SQRT2;
    const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
    const [nx, ny, nz] = [12, 4, 4];
    const pos: number[] = [];
    for (let i = 0; i < nx; i++) for (let j = 0; j < ny; j++) for (let k = 0; k < nz; k++) for (const b of basis) pos.push((i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a);
    const sys = createSystem({ dim: 3, box: [nx * a, ny * a, nz * a], positions: pos });
    const o: FeatureOptions = { families: ['R', 'A', 'P'], r0: 1, K: 1, delta: 0.02, ls: [2, 4, 6], cgLength: 1.2, levels: [0, 1], scales: [1.5, 1.9] };
    expectSlabs(sys, o);
    // fcc shells: r^2 = 1 (12), 2 (6), 3 (24), 4 (12); the scales stay off the shells (r = L is a rounding coin toss)
    const shells = [[1, 12], [Math.SQRT2, 6], [Math.sqrt(3), 24], [2, 12]];
    const rho = (L: number) => shells.reduce((s, [r, m]) => s + (r <= L ? m * Math.exp(-r / L) : 0), 0);
    const want: Record<string, number> = {
      'A[l=2](d=1)': 0, 'A[l=4](d=1)': 0.19094065395649326, 'A[l=6](d=1)': 0.5745242597140697, 'R[A](d=1)': 12,
      'rho(L=1.5)': rho(1.5), 'rho(L=1.9)': rho(1.9),
    };
    for (const c of CELLS) {
      const fm = runCell(sys, o, c);
      for (const [name, v] of Object.entries(want)) {
        for (const lev of [0, 1]) {
          const col = fm.names.indexOf(lev && !name.startsWith('rho') ? `CG${lev}:${name}` : name);
          expect(col, name).toBeGreaterThanOrEqual(0);
          let worst = 0;
          for (let i = 0; i < sys.n; i++) worst = Math.max(worst, Math.abs(fm.values[i * fm.p + col] - v));
          // R = 12 up to the second shell's weight exp(-(sqrt 2 - 1)^2 / (2 0.02^2)) ~ 1e-93
          expect(worst, `${label(c)} ${name} level ${lev}`).toBeLessThan(1e-12 * Math.max(1, v));
        }
      }
    }
  });
  it('square lattice (spacing 1, 24 x 8): psi_4 = psi_8 = 1, psi_1..3 = 0, R = 4', () => {
    const pos: number[] = [];
    for (let i = 0; i < 24; i++) for (let j = 0; j < 8; j++) pos.push(i, j);
    const sys = createSystem({ dim: 2, box: [24, 8], positions: pos });
    const o: FeatureOptions = { families: ['R', 'A'], r0: 1, K: 1, delta: 0.02, ls: [1, 2, 3, 4, 8], cgLength: 1.5, levels: [0, 2] };
    expectSlabs(sys, o);
    const want: Record<string, number> = { 'A[l=1](d=1)': 0, 'A[l=2](d=1)': 0, 'A[l=3](d=1)': 0, 'A[l=4](d=1)': 1, 'A[l=8](d=1)': 1, 'R[A](d=1)': 4 };
    for (const c of CELLS) {
      const fm = runCell(sys, o, c);
      for (const [name, v] of Object.entries(want)) {
        for (const n of [name, `CG2:${name}`]) {
          const col = fm.names.indexOf(n);
          expect(col, n).toBeGreaterThanOrEqual(0);
          let worst = 0;
          for (let i = 0; i < sys.n; i++) worst = Math.max(worst, Math.abs(fm.values[i * fm.p + col] - v));
          expect(worst, `${label(c)} ${n}`).toBeLessThan(1e-12 * Math.max(1, v));
        }
      }
    }
  });
});
