// Independent checks of the descriptors: a brute-force reference (differential), perfect lattices,
// symmetries (rotation, translation, permutation), sum rules, names, errors.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeFeatures, createSystem, featureNames, InputError, ljTable, type FeatureMatrix, type FeatureOptions, type System } from '../src/index.js';
import { coarseGrain, particleEnergies, radialFeatures } from '../src/features/compute.js';
import { formatNum, parseFeatureName } from '../src/features/names.js';
import { referenceFeatures } from '../src/reference/features.js';
import { setWasm, wasm } from '../src/wasm/runtime.js';
import { loadNodeWasm } from '../src/wasm/node.js';
import { fixturePath, readJson } from './helpers/golden.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';


/** Random sequential addition: n particles at least `minSep` apart in a periodic box. */
function randomSystem(seed: number, n: number, dim: 2 | 3, box: number[], nSpecies = 2, minSep = 0.75, labels?: string[]): System {
  const r = rng(seed);
  const pos: number[] = [];
  let tries = 0;
  while (pos.length < n * dim && tries++ < 200000) {
    const p = box.map((L) => r() * L);
    let ok = true;
    for (let k = 0; ok && k < pos.length / dim; k++) {
      let d2 = 0;
      for (let a = 0; a < dim; a++) {
        let d = p[a] - pos[k * dim + a];
        d -= box[a] * Math.round(d / box[a]);
        d2 += d * d;
      }
      if (d2 < minSep * minSep) ok = false;
    }
    if (ok) pos.push(...p);
  }
  const m = pos.length / dim;
  const types = Array.from({ length: m }, (_, i) => (labels ?? ['A', 'B', 'C'])[i % nSpecies]);
  return createSystem({ dim, box, positions: pos, types });
}

/**
 * |a - b| <= max(rtol |b|, atol) elementwise, names equal. evar(L) = CG(e^2) - CG(e)^2 is a
 * difference: its rounding error scales with e(L)^2, so its floor is 1e-12 max(1, e(L)^2).
 */
function expectClose(a: FeatureMatrix, b: FeatureMatrix, rtol = 1e-9, atol = 1e-12) {
  expect(a.names).toEqual(b.names);
  expect(a.values.length).toBe(b.values.length);
  let worst = 0, where = '';
  for (let k = 0; k < a.values.length; k++) {
    const name = a.names[k % a.p];
    let floor = atol;
    if (name.startsWith('evar')) {
      const m = b.values[k - (k % a.p) + b.names.indexOf('e' + name.slice(4))];
      floor = 1e-12 * Math.max(1, m * m);
    }
    const tol = Math.max(rtol * Math.abs(b.values[k]), floor);
    const err = Math.abs(a.values[k] - b.values[k]);
    if (!(err <= tol) && err / tol > worst) {
      worst = err / tol;
      where = `row ${Math.floor(k / a.p)} ${name}: ${a.values[k]} vs ${b.values[k]}`;
    }
  }
  expect(where, where).toBe('');
}

function col(fm: FeatureMatrix, name: string): Float64Array {
  const c = fm.names.indexOf(name);
  expect(c, `column ${name}`).toBeGreaterThanOrEqual(0);
  return Float64Array.from({ length: fm.n }, (_, i) => fm.values[i * fm.p + c]);
}

describe('differential: wasm kernels equal the O(N^2) TypeScript reference', () => {
  it('golden parameters on fresh random systems (3D KA3D, 2D KA2D)', () => {
    const g3 = readJson(fixturePath('small_random_3d.json'));
    const p3: FeatureOptions = { r0: 0.8, dr: 0.25, K: 6, delta: 0.15, cgLength: 1.5, scales: [1, 1.5, 2.5], potential: 'KA3D' };
    expect(g3.params.r0).toBe(0.8);
    const s3 = randomSystem(11, 50, 3, [6, 6, 6], 2, 0.8, ['0', '1']);
    expectClose(computeFeatures(s3, p3), referenceFeatures(s3, p3));
    const p2: FeatureOptions = { ...p3, potential: 'KA2D' };
    const s2 = randomSystem(12, 60, 2, [8, 8], 3, 0.75, ['1', '2', '3']);
    expectClose(computeFeatures(s2, p2), referenceFeatures(s2, p2));
  });
  it('property: random systems, species, shells, l lists, levels, scales, LJ tables (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.constantFrom<2 | 3>(2, 3),
        fc.integer({ min: 1, max: 3 }),
        fc.record({
          K: fc.integer({ min: 1, max: 5 }),
          r0: fc.double({ min: 0.5, max: 1.2, noNaN: true }),
          dr: fc.double({ min: 0.05, max: 0.25, noNaN: true }),
          delta: fc.double({ min: 0.03, max: 0.2, noNaN: true }), // r_R <= 1.2 + 4 dr + 3 delta <= 2.8
          ls: fc.uniqueArray(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 4 }),
          levels: fc.constantFrom([0], [0, 1], [0, 2], [1], [0, 1, 2]),
          cgLength: fc.double({ min: 0.8, max: 2.5, noNaN: true }),
          scales: fc.uniqueArray(fc.constantFrom(0.9, 1.3, 2, 2.7), { minLength: 1, maxLength: 3 }),
          chunkRows: fc.constantFrom(undefined, 3, 17),
        }),
        fc.boolean(),
        (seed, dim, S, opts, withE) => {
          const box = dim === 3 ? [6, 6.5, 7] : [7, 8];
          const sys = randomSystem(seed, dim === 3 ? 40 : 45, dim, box, S, 0.7);
          const o: FeatureOptions = { ...opts };
          if (withE) {
            const sp = sys.labels;
            const entries = [];
            for (let a = 0; a < sp.length; a++) for (let b = a; b < sp.length; b++) entries.push({ a: sp[a], b: sp[b], eps: 0.5 + a + b, sigma: 0.8 + 0.1 * (a + b), cutoff: 2.4 });
            o.potential = ljTable(sp, entries, sp.map((_, k) => 1 - 0.1 * k));
          }
          expectClose(computeFeatures(sys, o), referenceFeatures(sys, o));
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('perfect lattices', () => {
  // fcc: 12 neighbours at equal weight. Q6 = 0.5745242597140697, Q4 = 0.19094065395649326 (scipy
  // sph_harm_y over the 12 bond vectors); the often quoted 0.57452416 agrees to 6 decimals.
  it('fcc: Q6 = 0.57452426, Q4 = 0.19094065 with one narrow shell at the nearest-neighbour distance', () => {
    const a = Math.SQRT2; // nn distance 1
    const n = 4;
    const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
    const pos: number[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) for (const b of basis) pos.push((i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a);
    const sys = createSystem({ dim: 3, box: [n * a, n * a, n * a], positions: pos });
    const fm = computeFeatures(sys, { families: ['A', 'R'], r0: 1, K: 1, delta: 0.02, ls: [2, 4, 6], levels: [0] });
    for (let i = 0; i < sys.n; i++) {
      const q6 = fm.values[i * fm.p + fm.names.indexOf('A[l=6](d=1)')];
      expect(q6).toBeCloseTo(0.57452416, 6);
      expect(Math.abs(q6 - 0.5745242597140697)).toBeLessThan(1e-12);
      expect(Math.abs(fm.values[i * fm.p + fm.names.indexOf('A[l=4](d=1)')] - 0.19094065395649326)).toBeLessThan(1e-12);
      expect(Math.abs(fm.values[i * fm.p + fm.names.indexOf('A[l=2](d=1)')])).toBeLessThan(1e-12);
      expect(fm.values[i * fm.p + fm.names.indexOf('R[A](d=1)')]).toBeCloseTo(12, 10); // 12 neighbours at weight 1
    }
  });
  it('2D square lattice: psi_4 = psi_8 = 1, psi_1..3 = 0', () => {
    const pos: number[] = [];
    for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) pos.push(i, j);
    const sys = createSystem({ dim: 2, box: [8, 8], positions: pos });
    const fm = computeFeatures(sys, { families: ['A'], r0: 1, K: 1, delta: 0.02, ls: [1, 2, 3, 4, 8], levels: [0] });
    for (let i = 0; i < sys.n; i++) {
      const v = (l: number) => fm.values[i * fm.p + fm.names.indexOf(`A[l=${l}](d=1)`)];
      expect(v(4)).toBeCloseTo(1, 12);
      expect(v(8)).toBeCloseTo(1, 12);
      for (const l of [1, 2, 3]) expect(v(l)).toBeLessThan(1e-12);
    }
  });
  it('2D hexagonal lattice: psi_6 = 1, psi_4 = 0', () => {
    const pos: number[] = [];
    const h = Math.sqrt(3) / 2;
    for (let j = 0; j < 8; j++) for (let i = 0; i < 8; i++) pos.push(i + 0.5 * (j % 2), j * h);
    const sys = createSystem({ dim: 2, box: [8, 8 * h], positions: pos });
    const fm = computeFeatures(sys, { families: ['A'], r0: 1, K: 1, delta: 0.02, ls: [4, 6], levels: [0] });
    for (let i = 0; i < sys.n; i++) {
      expect(fm.values[i * fm.p + fm.names.indexOf('A[l=6](d=1)')]).toBeCloseTo(1, 12);
      expect(fm.values[i * fm.p + fm.names.indexOf('A[l=4](d=1)')]).toBeLessThan(1e-12);
    }
  });
});

describe('symmetries', () => {
  const opts: FeatureOptions = { K: 8, scales: [1.5, 2.5, 4], potential: 'KA3D' };
  it('rotation: an isolated cluster rotated arbitrarily has the same features (3D and 2D)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), (seed, u, phi, ang) => {
        // a ball of 30 particles in the middle of a box far larger than every cutoff
        const r = rng(seed);
        const c = 15, pos: number[] = [];
        while (pos.length < 90) {
          const p = [r() * 5 - 2.5, r() * 5 - 2.5, r() * 5 - 2.5];
          if (Math.hypot(p[0], p[1], p[2]) > 2.5) continue;
          let ok = true;
          for (let k = 0; k < pos.length; k += 3) if (Math.hypot(p[0] - pos[k], p[1] - pos[k + 1], p[2] - pos[k + 2]) < 0.8) ok = false;
          if (ok) pos.push(...p);
        }
        const types = Array.from({ length: 30 }, (_, i) => (i % 4 ? 'A' : 'B'));
        // rotation about the axis (sqrt(1-u^2) cos phi, sqrt(1-u^2) sin phi, u) by ang (Rodrigues)
        const s = Math.sqrt(1 - u * u), k = [s * Math.cos(phi), s * Math.sin(phi), u];
        const rot = (v: number[]) => {
          const cs = Math.cos(ang), sn = Math.sin(ang), kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
          const kx = [k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]];
          return [0, 1, 2].map((a) => v[a] * cs + kx[a] * sn + k[a] * kv * (1 - cs));
        };
        const pos2: number[] = [];
        for (let i = 0; i < 90; i += 3) pos2.push(...rot(pos.slice(i, i + 3)));
        const mk = (p: number[]) => createSystem({ dim: 3, box: [2 * c, 2 * c, 2 * c], positions: p.map((x) => x + c), types });
        expectClose(computeFeatures(mk(pos2), opts), computeFeatures(mk(pos), opts), 1e-9, 1e-11);
        // 2D: the xy projection rotated by ang
        const p2: number[] = [], q2: number[] = [];
        for (let i = 0; i < 90; i += 3) {
          p2.push(pos[i] * 2 + c, pos[i + 1] * 2 + c);
          q2.push((pos[i] * Math.cos(ang) - pos[i + 1] * Math.sin(ang)) * 2 + c, (pos[i] * Math.sin(ang) + pos[i + 1] * Math.cos(ang)) * 2 + c);
        }
        const mk2 = (p: number[]) => createSystem({ dim: 2, box: [2 * c, 2 * c], positions: p, types });
        expectClose(computeFeatures(mk2(q2), { K: 8, scales: [1.5, 3] }), computeFeatures(mk2(p2), { K: 8, scales: [1.5, 3] }), 1e-9, 1e-11);
      }),
      { numRuns: 5 },
    );
  });
  it('periodic cubic box: axis permutations and reflections leave every feature unchanged', () => {
    const sys = randomSystem(5, 120, 3, [6, 6, 6], 2, 0.8);
    const base = computeFeatures(sys, { ...opts, scales: [1.5, 2.5] });
    const P = sys.positions;
    const perm = new Float64Array(P.length);
    for (let i = 0; i < sys.n; i++) {
      perm[3 * i] = 6 - P[3 * i + 2]; // z -> -x
      perm[3 * i + 1] = P[3 * i];
      perm[3 * i + 2] = 6 - P[3 * i + 1];
    }
    expectClose(computeFeatures({ ...sys, positions: perm }, { ...opts, scales: [1.5, 2.5] }), base, 1e-9, 1e-11);
  });
  it('translation by any vector (periodic) leaves every feature unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 3, maxLength: 3 }), (seed, t) => {
        const sys = randomSystem(seed, 80, 3, [6, 6, 6], 2, 0.8);
        const moved = Float64Array.from(sys.positions, (x, k) => x + t[k % 3]);
        expectClose(computeFeatures({ ...sys, positions: moved }, { ...opts, scales: [1.5, 2.5] }), computeFeatures(sys, { ...opts, scales: [1.5, 2.5] }), 1e-9, 1e-11);
      }),
      { numRuns: 4 },
    );
  });
  it('computing on the space-filling-curve order (default) or the given order gives the same values', () => {
    const sys = randomSystem(9, 150, 3, [7, 7, 7], 2, 0.8, ['0', '1']);
    const o: FeatureOptions = { potential: 'KA3D', scales: [1.5, 3] };
    expectClose(computeFeatures(sys, o), computeFeatures(sys, { ...o, spatialOrder: false }), 1e-12, 1e-13);
  });
  it('permuting the particle order permutes the rows', () => {
    const sys = randomSystem(8, 100, 2, [9, 9], 3, 0.75, ['1', '2', '3']);
    const o: FeatureOptions = { potential: 'KA2D', scales: [1.5, 3, 4] };
    const base = computeFeatures(sys, o);
    const r = rng(3);
    const perm = Array.from({ length: sys.n }, (_, i) => i).sort(() => r() - 0.5);
    const pos = new Float64Array(sys.positions.length);
    const types: string[] = [];
    perm.forEach((src, i) => {
      pos[2 * i] = sys.positions[2 * src];
      pos[2 * i + 1] = sys.positions[2 * src + 1];
      types.push(sys.labels[sys.species[src]]);
    });
    const fm = computeFeatures(createSystem({ dim: 2, box: sys.box, positions: pos, types }), o);
    const back = new Float64Array(fm.values.length);
    perm.forEach((src, i) => back.set(fm.values.subarray(i * fm.p, (i + 1) * fm.p), src * fm.p));
    expectClose({ ...fm, values: back }, base, 1e-12, 1e-13);
  });
});

describe('sum rules and bounds', () => {
  it('composition: x fractions of all species sum to 1; the columns equal the coarse-graining kernel', () => {
    const sys = randomSystem(21, 90, 3, [6, 6, 6], 3, 0.8);
    const fm = computeFeatures(sys, { families: ['P'], scales: [1.5, 2.5] });
    for (const L of [1.5, 2.5]) {
      const S = 3;
      const ind = new Float64Array(sys.n * S);
      for (let i = 0; i < sys.n; i++) ind[i * S + sys.species[i]] = 1;
      const x = coarseGrain(sys, ind, S, L);
      for (let i = 0; i < sys.n; i++) {
        expect(Math.abs(x[i * S] + x[i * S + 1] + x[i * S + 2] - 1)).toBeLessThan(1e-14);
        expect(Math.abs(col(fm, `x[A](L=${L})`)[i] - x[i * S])).toBeLessThan(1e-15);
        expect(Math.abs(col(fm, `x[B](L=${L})`)[i] - x[i * S + 1])).toBeLessThan(1e-15);
      }
    }
  });
  it('R summed over species equals the species-blind profile', () => {
    const sys = randomSystem(22, 100, 3, [6.5, 6.5, 6.5], 3, 0.8);
    const blind = createSystem({ dim: 3, box: sys.box, positions: sys.positions });
    const a = radialFeatures(sys, { levels: [0, 1] });
    const b = radialFeatures(blind, { levels: [0, 1] });
    for (const lev of ['', 'CG1:']) {
      for (let k = 0; k < 19; k++) {
        const d = formatNum(0.7 + k * 0.1);
        const sum = ['A', 'B', 'C'].map((s) => col(a, `${lev}R[${s}](d=${d})`));
        const tot = col(b, `${lev}R[A](d=${d})`);
        for (let i = 0; i < sys.n; i++) expect(Math.abs(sum[0][i] + sum[1][i] + sum[2][i] - tot[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, tot[i]));
      }
    }
  });
  it('A values lie in [0, 1] (up to rounding); a single neighbour gives A = 1 for every l', () => {
    const sys = randomSystem(23, 120, 3, [6, 6, 6], 2, 0.7);
    const fm = computeFeatures(sys, { families: ['A'], levels: [0] });
    for (const v of fm.values) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1 + 1e-14);
    }
    const two = createSystem({ dim: 3, box: [8, 8, 8], positions: [1, 1, 1, 2.1, 1.7, 0.4] });
    // r = 1.432: shells at 1.3 and 1.4 (Z >= 1e-10)
    const f2 = computeFeatures(two, { families: ['A'], levels: [0], ls: [0, 1, 5, 8, 12], r0: 1.3, K: 2 });
    for (const v of f2.values) expect(v).toBeCloseTo(1, 13);
  });
  it('energies: e sums to the total pair energy computed pair by pair', () => {
    const sys = randomSystem(24, 80, 3, [6, 6, 6], 2, 0.8, ['0', '1']);
    const e = particleEnergies(sys, 'KA3D');
    const ref = referenceFeatures(sys, { potential: 'KA3D', families: ['E'], scales: [1] });
    for (let i = 0; i < sys.n; i++) expect(e[i]).toBeCloseTo(ref.values[i * ref.p], 12);
  });
});

describe('builds: the SIMD and the scalar wasm give identical numbers', () => {
  it('bit for bit on a 3D and a 2D system', () => {
    const g3 = randomSystem(31, 100, 3, [6, 6, 6], 2, 0.8, ['0', '1']);
    const g2 = randomSystem(32, 100, 2, [9, 9], 3, 0.75, ['1', '2', '3']);
    const a3 = computeFeatures(g3, { potential: 'KA3D', scales: [1.5, 2.5] });
    const a2 = computeFeatures(g2, { potential: 'KA2D', scales: [1.5, 2.5] });
    const current = wasm();
    try {
      setWasm(loadNodeWasm(!current.simd));
      expect(wasm().simd).toBe(!current.simd);
      const b3 = computeFeatures(g3, { potential: 'KA3D', scales: [1.5, 2.5] });
      const b2 = computeFeatures(g2, { potential: 'KA2D', scales: [1.5, 2.5] });
      expect(Buffer.from(b3.values.buffer).equals(Buffer.from(a3.values.buffer))).toBe(true);
      expect(Buffer.from(b2.values.buffer).equals(Buffer.from(a2.values.buffer))).toBe(true);
    } finally {
      setWasm(current);
    }
  });
});

describe('names', () => {
  it("formatNum is C's %.4g (values from Python)", () => {
    const cases: [number, string][] = [[0.7, '0.7'], [1.0, '1'], [1.05, '1.05'], [1.5, '1.5'], [2.0, '2'], [2.5, '2.5'], [1.55, '1.55'], [1e-05, '1e-05'], [0.0001, '0.0001'], [0.00012345, '0.0001234'], [12345.0, '1.234e+04'], [1234.5, '1234'], [1235.5, '1236'], [999.95, '1000'], [9999.5, '1e+04'], [0.5, '0.5'], [1 / 3, '0.3333'], [2 / 3, '0.6667'], [1e21, '1e+21'], [123456789.0, '1.235e+08'], [-2.5, '-2.5'], [-0.001, '-0.001'], [1.0625, '1.062'], [1.0635, '1.063'], [100.0, '100'], [1e-300, '1e-300'], [5e-324, '4.941e-324'], [0.30000000000000004, '0.3'], [2.675, '2.675'], [1.0005, '1'], [0.7 + 2 * 0.1, '0.9']];
    for (const [x, s] of cases) expect(formatNum(x), String(x)).toBe(s);
  });
  it('parseFeatureName inverts the builders (every golden name) and gives the metadata', () => {
    for (const f of ['small_random_3d.json', 'small_random_2d.json']) {
      const g = readJson(fixturePath(f));
      for (const n of g.names) expect(parseFeatureName(n).name).toBe(n);
    }
    expect(parseFeatureName('CG2:A[l=6](d=1.1)')).toEqual({ name: 'CG2:A[l=6](d=1.1)', family: 'A', level: 2, kind: 'A', l: 6, d: 1.1 });
    expect(parseFeatureName('R[B](d=0.7)')).toEqual({ name: 'R[B](d=0.7)', family: 'R', level: 0, kind: 'R', species: 'B', d: 0.7 });
    expect(parseFeatureName('x[2](L=1.5)')).toEqual({ name: 'x[2](L=1.5)', family: 'P', level: 0, kind: 'x', species: '2', L: 1.5 });
    expect(parseFeatureName('evar(L=3)')).toEqual({ name: 'evar(L=3)', family: 'E', level: 0, kind: 'evar', L: 3 });
    expect(parseFeatureName('e')).toEqual({ name: 'e', family: 'E', level: 0, kind: 'e' });
    expect(parseFeatureName('IS:rho(L=2)')).toEqual({ name: 'IS:rho(L=2)', family: 'P', level: 0, kind: 'rho', L: 2, structure: 'IS:' });
    expect(parseFeatureName('dIS')).toEqual({ name: 'dIS', family: 'X', level: 0, kind: 'dIS' });
  });
  it('meta of computeFeatures matches the names; preset relabels integer codes (KA3D 0/1 -> A/B)', () => {
    const sys = randomSystem(41, 40, 3, [6, 6, 6], 2, 0.8, ['0', '1']);
    const names = featureNames(sys, { potential: 'KA3D', K: 2, ls: [6], levels: [0, 1], scales: [2] });
    expect(names).toEqual(['R[A](d=0.7)', 'R[A](d=0.8)', 'R[B](d=0.7)', 'R[B](d=0.8)', 'A[l=6](d=0.7)', 'A[l=6](d=0.8)',
      'CG1:R[A](d=0.7)', 'CG1:R[A](d=0.8)', 'CG1:R[B](d=0.7)', 'CG1:R[B](d=0.8)', 'CG1:A[l=6](d=0.7)', 'CG1:A[l=6](d=0.8)',
      'rho(L=2)', 'phi(L=2)', 'x[A](L=2)', 'e', 'e(L=2)', 'evar(L=2)']);
    const fm = computeFeatures(sys, { potential: 'KA3D', K: 2, ls: [6], levels: [0, 1], scales: [2] });
    expect(fm.meta.map((m) => m.name)).toEqual(names);
    expect(fm.meta[8]).toMatchObject({ family: 'R', level: 1, species: 'B', d: 0.7 });
    // one species: no phi, no x
    const one = createSystem({ dim: 3, box: [6, 6, 6], positions: sys.positions });
    expect(featureNames(one, { families: ['P'], scales: [1.5, 2] })).toEqual(['rho(L=1.5)', 'rho(L=2)']);
    // explicit species order reverses the index order
    expect(featureNames(randomSystem(41, 40, 3, [6, 6, 6], 2), { families: ['R'], K: 1, levels: [0], speciesOrder: ['B', 'A'] })).toEqual(['R[B](d=0.7)', 'R[A](d=0.7)']);
  });
});

describe('errors', () => {
  const sys = randomSystem(51, 30, 3, [5, 5, 5], 2, 0.8);
  it('a cutoff or scale beyond half the box names it and the box', () => {
    expect(() => computeFeatures(sys)).toThrow(InputError); // r_R = 2.8 > 2.5
    expect(() => computeFeatures(sys)).toThrow(/r_R.*2\.8.*half the smallest box side 2\.5 \(box 5 x 5 x 5/);
    expect(() => computeFeatures(sys, { K: 10, scales: [1.5, 3] })).toThrow(/scale L = 3 exceeds half the smallest box side 2\.5/);
    expect(() => computeFeatures(sys, { K: 10, scales: [1.5], cgLength: 2.6 })).toThrow(/cgLength.*2\.6/);
    expect(() => coarseGrain(sys, new Float64Array(sys.n), 1, 2.6)).toThrow(InputError);
  });
  it('pair tables: unknown species, missing species, preset species count', () => {
    const tab = ljTable(['A', 'B', 'C'], [
      { a: 'A', b: 'A', eps: 1, sigma: 1 }, { a: 'A', b: 'B', eps: 1, sigma: 1 }, { a: 'B', b: 'B', eps: 1, sigma: 1 },
      { a: 'A', b: 'C', eps: 1, sigma: 1 }, { a: 'B', b: 'C', eps: 1, sigma: 1 }, { a: 'C', b: 'C', eps: 1, sigma: 1 },
    ]);
    const o: FeatureOptions = { K: 10, scales: [1.5, 2], potential: tab };
    expect(() => computeFeatures(sys, o)).toThrow(/unknown species C/);
    const tab1 = ljTable(['A'], [{ a: 'A', b: 'A', eps: 1, sigma: 1 }]);
    expect(() => computeFeatures(sys, { ...o, potential: tab1 })).toThrow(/species B of the system have no parameters/);
    expect(() => computeFeatures(sys, { ...o, potential: 'KA2D' })).toThrow(/KA2D has 3 species/);
    expect(() => computeFeatures(sys, { ...o, potential: 'LJ99' })).toThrow(/unknown potential preset/);
    const xy = createSystem({ dim: 3, box: [5, 5, 5], positions: sys.positions, types: Array.from({ length: sys.n }, (_, i) => (i % 2 ? 'X' : 'Y')) });
    expect(() => computeFeatures(xy, { ...o, potential: 'KA3D' })).toThrow(/do not match potential KA3D/);
    expect(() => computeFeatures(sys, { ...o, potential: undefined, families: ['E'] })).toThrow(/family E needs a pair potential/);
  });
  it('empty system and NaN positions', () => {
    const empty = { ...sys, n: 0, positions: new Float64Array(0), species: new Int32Array(0) };
    expect(() => computeFeatures(empty, { K: 10, scales: [1.5] })).toThrow(/empty/);
    const bad = Float64Array.from(sys.positions);
    bad[3 * 7 + 1] = NaN;
    expect(() => computeFeatures({ ...sys, positions: bad }, { K: 10, scales: [1.5] })).toThrow(/particle 7 has a non-finite coordinate y/);
  });
  it('two particles at the same place (also through periodic images) are named', () => {
    const pos = Float64Array.from(sys.positions);
    pos.set([pos[3 * 4] + 5, pos[3 * 4 + 1] - 10, pos[3 * 4 + 2]], 3 * 12);
    const twin = { ...sys, positions: pos };
    expect(() => computeFeatures(twin, { K: 10, scales: [1.5] })).toThrow(/particles 4 and 12 are at the same position/);
    expect(() => computeFeatures(twin, { families: ['P'], scales: [1.5] })).toThrow(/particles 4 and 12/);
    expect(() => particleEnergies(twin, 'KA3D')).toThrow(/particles 4 and 12/);
  });
  it('bad options name the option', () => {
    expect(() => computeFeatures(sys, { K: 0 })).toThrow(/option K/);
    expect(() => computeFeatures(sys, { K: 10, delta: -1 })).toThrow(/option delta/);
    expect(() => computeFeatures(sys, { K: 10, ls: [2, 2] })).toThrow(/option ls has repeated/);
    expect(() => computeFeatures(sys, { K: 10, ls: [40] })).toThrow(/option ls\[0\]/);
    expect(() => computeFeatures(sys, { K: 10, levels: [2, 1] })).toThrow(/levels must be increasing/);
    expect(() => computeFeatures(sys, { K: 10, scales: [1.5], diameters: [1] })).toThrow(/diameters has 1 values for 2 species/);
    expect(() => computeFeatures(sys, { K: 10, scales: [1.5], speciesOrder: ['A'] })).toThrow(/speciesOrder/);
  });
});
