// Dense kernels (assembly/linalg) vs the plain-TS references (src/reference/linalg.ts) vs brute
// force, on random matrices (fast-check), in BOTH wasm builds (scalar build/glassbox.wasm and
// SIMD build/glassbox.simd.wasm, which must also agree bit for bit); then the statistics algebra
// and the models' invariants.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError, NumericalError, SingularMatrixError, bootstrapStability, collinearity, fitOLS, fitPCR, fitRidge, standardize, statsFromBlock, sumStats, type SufficientStats } from '../src/index.js';
import { GramAccumulator, cholesky, choleskySolve, columnSums, gemv, gram, lstsqMinNorm, ridgePathTridiag, solveLower, solveLowerT, solveUpper, svd, symEigen } from '../src/linalg/linalg.js';
import { addStats, subtractStats } from '../src/models/stats.js';
import { groupContributions, minNormCoefStd } from '../src/models/diagnostics.js';
import { olsCoefStd } from '../src/models/ols.js';
import { pcrPathStd } from '../src/models/pcr.js';
import { predict } from '../src/models/coef.js';
import { ridgeCholeskyStd, ridgePathStd } from '../src/models/ridge.js';
import { type FeatureMeta } from '../src/features/types.js';
import { choleskyRef, gemvRef, gramRef, ridgePathRef, solveLowerRef, solveLowerTRef, solveUpperRef, svdRef, symEigenRef } from '../src/reference/linalg.js';
import { loadNodeWasm } from '../src/wasm/node.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';

const builds = [
  { name: 'scalar', wasm: loadNodeWasm(false) },
  { name: 'simd', wasm: loadNodeWasm(true) },
];
it('the two builds are what they claim', () => {
  expect(builds[0].wasm.simd).toBe(false);
  expect(builds[1].wasm.simd).toBe(true);
});

function randn(r: () => number) {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
function randMat(seed: number, m: number, n: number, scale = 1, offset = 0): Float64Array {
  const r = rng(seed);
  const a = new Float64Array(m * n);
  for (let i = 0; i < a.length; i++) a[i] = offset + scale * randn(r);
  return a;
}
function matmul(A: ArrayLike<number>, B: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let l = 0; l < k; l++) {
    const a = A[i * k + l];
    for (let j = 0; j < n; j++) C[i * n + j] += a * B[l * n + j];
  }
  return C;
}
function transpose(A: ArrayLike<number>, m: number, n: number): Float64Array {
  const T = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T[j * m + i] = A[i * n + j];
  return T;
}
function randSym(seed: number, n: number): Float64Array {
  const B = randMat(seed, n, n);
  const A = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A[i * n + j] = 0.5 * (B[i * n + j] + B[j * n + i]);
  return A;
}
function randSPD(seed: number, n: number): Float64Array {
  const B = randMat(seed, n + 3, n);
  const A = matmul(transpose(B, n + 3, n), B, n, n + 3, n);
  for (let i = 0; i < n; i++) A[i * n + i] += 0.1;
  return A;
}
function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
const near = (a: ArrayLike<number>, b: ArrayLike<number>, rel: number, what = '') =>
  expect(maxDiff(a, b), what).toBeLessThanOrEqual(rel * Math.max(1e-300, maxAbs(b)));

describe.each(builds)('kernels, $name build', ({ wasm }) => {
  it('ridge path through the tridiagonal form equals Cholesky per alpha (reference), for PSD and rank-deficient A; extreme eigenvalues equal Jacobi\'s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 1e6 }), (n, deficit, seed) => {
        // A = B^T B / m with m = n - deficit rows (rank-deficient when deficit > 0), b = B^T u / m
        const m = Math.max(1, n - deficit);
        const B = randMat(seed, m, n), u = randMat(seed + 1, m, 1);
        const A = matmul(transpose(B, m, n), B, n, m, n).map((x) => x / m);
        const b = matmul(transpose(B, m, n), u, n, m, 1).map((x) => x / m);
        const alphas = [1e-3, 0.1, 1, 10, 1e4];
        const got = ridgePathTridiag(A, n, b, 50, alphas, { wasm });
        const want = ridgePathRef(A, n, b, 50, alphas);
        got.W.forEach((w, k) => near(w, want[k], 1e-8, `alpha ${alphas[k]}`));
        const ev = symEigenRef(A, n).values;
        const lmax = Math.max(...ev), lmin = Math.min(...ev);
        expect(Math.abs(got.lambdaMax - lmax)).toBeLessThanOrEqual(1e-10 * Math.max(1, lmax));
        expect(Math.abs(got.lambdaMin - lmin)).toBeLessThanOrEqual(1e-10 * Math.max(1, lmax));
      }),
      { numRuns: 40 },
    );
    // the two builds agree bit for bit
    const A = randSPD(9, 31), b = randMat(10, 31, 1);
    const [r0, r1] = builds.map((bd) => ridgePathTridiag(A, 31, b, 7, [0.5, 3], { wasm: bd.wasm }));
    r0.W.forEach((w, k) => expect(Buffer.from(w.buffer).equals(Buffer.from(r1.W[k].buffer))).toBe(true));
    expect(() => ridgePathTridiag(A, 31, b.subarray(1), 7, [1], { wasm })).toThrow(InputError);
  });

  it('Gram accumulation equals the naive sums (shift, no y, panels that do not divide rows, p not a multiple of 4)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 40 }),
        fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 1e6 }),
        (rows, p, panelRows, withY, withShift, seed) => {
          const X = randMat(seed, rows, p, 2, 3);
          const y = withY ? randMat(seed + 1, rows, 1, 1, -1) : null;
          const shift = withShift ? randMat(seed + 2, 1, p) : undefined;
          const yShift = withShift ? 0.3 : 0;
          const got = gram(X, y, rows, p, { wasm, shift, yShift, panelRows });
          const want = gramRef(X, y, rows, p, shift, yShift);
          expect(got.n).toBe(rows);
          near(got.XtX, want.XtX, 1e-13, 'XtX');
          near(got.Xty, want.Xty, 1e-13, 'Xty');
          near(got.sumX, want.sumX, 1e-13, 'sumX');
          expect(Math.abs(got.sumY - want.sumY)).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(want.sumY)) * rows);
          expect(Math.abs(got.yty - want.yty)).toBeLessThanOrEqual(1e-13 * (1 + want.yty));
          // symmetric
          for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) expect(got.XtX[j * p + k]).toBe(got.XtX[k * p + j]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('Gram accumulation streams: blocks added one by one equal the whole', () => {
    const rows = 1000, p = 13;
    const X = randMat(5, rows, p), y = randMat(6, rows, 1);
    const acc = new GramAccumulator(p, { wasm, panelRows: 64 });
    try {
      for (const [a, b] of [[0, 1], [1, 300], [300, 301], [301, 1000]]) acc.add(X.subarray(a * p, b * p), y.subarray(a, b), b - a);
      const s = acc.sums();
      const want = gramRef(X, y, rows, p);
      near(s.XtX, want.XtX, 1e-13);
      near(s.Xty, want.Xty, 1e-13);
      expect(s.n).toBe(rows);
    } finally {
      acc.free();
    }
  });

  it('columnSums and gemv equal the references', () => {
    const X = randMat(9, 37, 11);
    near(columnSums(X, 37, 11, { wasm }), gramRef(X, null, 37, 11).sumX, 1e-14);
    const x = randMat(10, 11, 1);
    near(gemv(X, 37, 11, x, { wasm, offset: 0.5 }), gemvRef(X, 37, 11, x).map((v) => v + 0.5), 1e-14);
  });

  it('Cholesky: L L^T = A, equals the reference, solves A x = b', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        const A = randSPD(seed, n);
        const { L, failIndex } = cholesky(A, n, { wasm });
        expect(failIndex).toBe(-1);
        for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(L[i * n + j]).toBe(0);
        near(matmul(L, transpose(L, n, n), n, n, n), A, 1e-12, 'LL^T');
        near(L, choleskyRef(A, n).L, 1e-10, 'vs reference');
        const x0 = randMat(seed + 3, n, 1);
        const b = matmul(A, x0, n, n, 1);
        near(choleskySolve(L, n, b, { wasm }), x0, 1e-8, 'solve');
        near(solveLower(L, n, b, { wasm }), solveLowerRef(L, n, b), 1e-12, 'forward');
        near(solveLowerT(L, n, b, { wasm }), solveLowerTRef(L, n, b), 1e-12, 'back');
        const U = transpose(L, n, n);
        near(solveUpper(U, n, b, { wasm }), solveUpperRef(U, n, b), 1e-12, 'upper');
      }),
      { numRuns: 40 },
    );
  });

  it('Cholesky reports the first non-positive pivot', () => {
    const n = 6;
    const A = new Float64Array(n * n);
    for (let i = 0; i < n; i++) A[i * n + i] = i === 3 ? -1 : 2;
    expect(cholesky(A, n, { wasm }).failIndex).toBe(3);
    // PSD but singular: x1 = x0
    const B = Float64Array.from([1, 1, 0, 1, 1, 0, 0, 0, 1]);
    expect(cholesky(B, 3, { wasm }).failIndex).toBe(1);
    expect(choleskyRef(B, 3).failIndex).toBe(1);
  });

  it('symmetric eigen: A = V diag V^T, V orthonormal, descending, sign convention, equals Jacobi', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 1e6 }), (n, seed) => {
        const A = randSym(seed, n);
        const { values, vectors } = symEigen(A, n, { wasm });
        const V = vectors!;
        for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
        const D = new Float64Array(n * n);
        for (let i = 0; i < n; i++) D[i * n + i] = values[i];
        near(matmul(matmul(V, D, n, n, n), transpose(V, n, n), n, n, n), A, 1e-12, 'reconstruction');
        const I = new Float64Array(n * n);
        for (let i = 0; i < n; i++) I[i * n + i] = 1;
        expect(maxDiff(matmul(transpose(V, n, n), V, n, n, n), I)).toBeLessThan(1e-12);
        for (let j = 0; j < n; j++) {
          let big = 0, val = 0;
          for (let i = 0; i < n; i++) if (Math.abs(V[i * n + j]) > big) { big = Math.abs(V[i * n + j]); val = V[i * n + j]; }
          expect(val).toBeGreaterThan(0);
        }
        const ref = symEigenRef(A, n);
        near(values, ref.values, 1e-12, 'eigenvalues vs Jacobi');
        // eigenvectors agree where the eigenvalue is well separated
        for (let j = 0; j < n; j++) {
          const gap = Math.min(j > 0 ? values[j - 1] - values[j] : Infinity, j < n - 1 ? values[j] - values[j + 1] : Infinity);
          if (gap < 1e-3) continue;
          for (let i = 0; i < n; i++) expect(Math.abs(V[i * n + j] - ref.vectors[i * n + j])).toBeLessThanOrEqual(1e-9 / gap);
        }
        const vo = symEigen(A, n, { wasm, vectors: false });
        expect(vo.vectors).toBeNull();
        near(vo.values, values, 1e-13, 'values only');
      }),
      { numRuns: 40 },
    );
  });

  it('symmetric eigen: repeated eigenvalues, diagonal, 1x1 and 2x2', () => {
    const n = 7;
    const I = new Float64Array(n * n);
    for (let i = 0; i < n; i++) I[i * n + i] = 2;
    const e = symEigen(I, n, { wasm });
    expect(Array.from(e.values)).toEqual(new Array(n).fill(2));
    expect(Array.from(e.vectors!)).toEqual(Array.from(I).map((v) => v / 2));
    // rank-one plus identity: eigenvalues 1 + n (once) and 1 (n - 1 times)
    const R = new Float64Array(n * n).fill(1);
    for (let i = 0; i < n; i++) R[i * n + i] += 1;
    const er = symEigen(R, n, { wasm });
    expect(Math.abs(er.values[0] - (n + 1))).toBeLessThan(1e-12);
    for (let i = 1; i < n; i++) expect(Math.abs(er.values[i] - 1)).toBeLessThan(1e-12);
    expect(Array.from(symEigen([5], 1, { wasm }).values)).toEqual([5]);
    const two = symEigen([2, 1, 1, 2], 2, { wasm });
    near(two.values, [3, 1], 1e-15);
    near(two.vectors!, [Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, -Math.SQRT1_2], 1e-15);
  });

  it('symmetric eigen reports non-convergence (iteration cap) and bad input', () => {
    expect(() => symEigen(randSym(3, 8), 8, { wasm, maxIter: 0 })).toThrow(NumericalError);
    expect(() => symEigen(randSym(3, 8), 8, { wasm, maxIter: 0 })).toThrow(/did not converge.*maxIter/);
    expect(() => symEigen([1, 2, 3, 4], 2, { wasm })).toThrow(InputError);
    expect(() => symEigen([1, NaN, NaN, 1], 2, { wasm })).toThrow(InputError);
  });

  it('SVD: A = U S V^T, orthonormal factors, singular values equal the reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 1e6 }), (m, n, seed) => {
        const A = randMat(seed, m, n);
        const { U, s, V } = svd(A, m, n, { wasm });
        const S = new Float64Array(n * n);
        for (let i = 0; i < n; i++) S[i * n + i] = s[i];
        near(matmul(matmul(U, S, m, n, n), transpose(V, n, n), m, n, n), A, 1e-12, 'reconstruction');
        const I = new Float64Array(n * n);
        for (let i = 0; i < n; i++) I[i * n + i] = 1;
        expect(maxDiff(matmul(transpose(V, n, n), V, n, n, n), I)).toBeLessThan(1e-12);
        const UtU = matmul(transpose(U, m, n), U, n, m, n);
        const r = Math.min(m, n);
        for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) expect(Math.abs(UtU[i * n + j] - (i === j ? 1 : 0))).toBeLessThan(1e-10);
        for (let i = 1; i < n; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
        const ref = svdRef(A, m, n);
        for (let i = 0; i < r; i++) expect(Math.abs(s[i] - ref.s[i])).toBeLessThan(1e-7 * s[0]);
      }),
      { numRuns: 30 },
    );
  });
});

describe('scalar and SIMD builds agree bit for bit', () => {
  const [sc, si] = builds.map((b) => b.wasm);
  it('Gram, Cholesky, eigen, SVD', () => {
    const X = randMat(11, 333, 29, 1, 2), y = randMat(12, 333, 1);
    const a = gram(X, y, 333, 29, { wasm: sc }), b = gram(X, y, 333, 29, { wasm: si });
    expect(Array.from(a.XtX)).toEqual(Array.from(b.XtX));
    expect(Array.from(a.Xty)).toEqual(Array.from(b.Xty));
    const A = randSPD(13, 31);
    expect(Array.from(cholesky(A, 31, { wasm: sc }).L)).toEqual(Array.from(cholesky(A, 31, { wasm: si }).L));
    const S = randSym(14, 31);
    const ea = symEigen(S, 31, { wasm: sc }), eb = symEigen(S, 31, { wasm: si });
    expect(Array.from(ea.values)).toEqual(Array.from(eb.values));
    expect(Array.from(ea.vectors!)).toEqual(Array.from(eb.vectors!));
    const M = randMat(15, 17, 9);
    expect(Array.from(svd(M, 17, 9, { wasm: sc }).s)).toEqual(Array.from(svd(M, 17, 9, { wasm: si }).s));
  });
});

// ------------------------------------------------------------------ statistics and models

function dataset(seed: number, rows: number, p: number, offsets = true) {
  const r = rng(seed);
  const X = new Float64Array(rows * p);
  const beta = Array.from({ length: p }, () => randn(r));
  const off = Array.from({ length: p }, (_, j) => (offsets ? 10 ** ((j % 5) - 1) * (1 + j) : 0));
  const sc = Array.from({ length: p }, (_, j) => 10 ** ((j % 3) - 1));
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let t = 0.7;
    for (let j = 0; j < p; j++) {
      const z = randn(r);
      X[i * p + j] = off[j] + sc[j] * z;
      t += beta[j] * z;
    }
    y[i] = t + 0.3 * randn(r);
  }
  return { X, y };
}

/** Two-pass (exact-ish) standardisation in plain TS: the oracle for the streaming statistics. */
function twoPass(X: Float64Array, y: Float64Array, rows: number, p: number) {
  const mean = new Float64Array(p), sd = new Float64Array(p);
  let ym = 0;
  for (let i = 0; i < rows; i++) { ym += y[i]; for (let j = 0; j < p; j++) mean[j] += X[i * p + j]; }
  ym /= rows;
  for (let j = 0; j < p; j++) mean[j] /= rows;
  for (let i = 0; i < rows; i++) for (let j = 0; j < p; j++) sd[j] += (X[i * p + j] - mean[j]) ** 2;
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j] / rows);
  const C = new Float64Array(p * p), c = new Float64Array(p);
  for (let i = 0; i < rows; i++) for (let j = 0; j < p; j++) {
    const zj = (X[i * p + j] - mean[j]) / sd[j];
    c[j] += zj * (y[i] - ym) / rows;
    for (let k = 0; k < p; k++) C[j * p + k] += zj * ((X[i * p + k] - mean[k]) / sd[k]) / rows;
  }
  return { mean, sd, ym, C, c };
}

describe('sufficient statistics', () => {
  it('merge and subtract equal the statistics of the concatenation (fast-check over cut points)', () => {
    const rows = 240, p = 9;
    const { X, y } = dataset(21, rows, p);
    const whole = standardize(statsFromBlock(X, y, rows, p));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: rows - 2 }), fc.integer({ min: 1, max: rows - 2 }), (a0, b0) => {
        const [a, b] = a0 < b0 ? [a0, b0] : a0 > b0 ? [b0, a0] : [a0, a0 + 1];
        const blk = (s: number, e: number) => statsFromBlock(X.subarray(s * p, e * p), y.subarray(s, e), e - s, p);
        const parts = [blk(0, a), blk(a, b), blk(b, rows)];
        const merged = standardize(sumStats(parts));
        near(merged.C, whole.C, 1e-11, 'C');
        near(merged.c, whole.c, 1e-11, 'c');
        near(merged.mean, whole.mean, 1e-13, 'mean');
        near(merged.std, whole.std, 1e-11, 'std');
        expect(Math.abs(merged.yy - whole.yy)).toBeLessThan(1e-12 * whole.yy);
        // fold = total - held out equals the direct statistics of the remaining rows
        const fold = standardize(subtractStats(sumStats(parts), parts[1]));
        const direct = standardize(addStats(parts[2], parts[0]));
        near(fold.C, direct.C, 1e-9, 'fold C');
        near(fold.c, direct.c, 1e-9, 'fold c');
        near(fold.std, direct.std, 1e-10, 'fold std');
        expect(Math.abs(fold.yMean - direct.yMean)).toBeLessThan(1e-12);
        expect(fold.n).toBe(rows - (b - a));
      }),
      { numRuns: 25 },
    );
  });

  it('no catastrophic cancellation: columns with mean 1e6 and std 1e-3 keep 1e-6 relative accuracy', () => {
    const rows = 5000, p = 3;
    const r = rng(31);
    const X = new Float64Array(rows * p), y = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      X[i * p] = 1e6 + 1e-3 * randn(r);
      X[i * p + 1] = -3e4 + 2e-2 * randn(r);
      X[i * p + 2] = randn(r);
      y[i] = 5e3 + X[i * p] - 1e6 + randn(r);
    }
    // stream in blocks whose own means differ (shift re-expression)
    const parts = [0, 1000, 2500, 5000].slice(0, -1).map((s, k, arr) => {
      const e = [1000, 2500, 5000][k];
      return statsFromBlock(X.subarray(s * p, e * p), y.subarray(s, e), e - s, p);
    });
    const st = standardize(sumStats(parts));
    const tp = twoPass(X, y, rows, p);
    for (let j = 0; j < p; j++) {
      expect(Math.abs(st.std[j] - tp.sd[j]) / tp.sd[j]).toBeLessThan(1e-8);
      expect(Math.abs(st.mean[j] - tp.mean[j]) / Math.abs(tp.mean[j])).toBeLessThan(1e-14);
    }
    near(st.C, tp.C, 1e-8, 'C');
    near(st.c, tp.c, 1e-8, 'c');
  });

  it('constant columns are dropped and reported by name; bad input is named', () => {
    const rows = 50, p = 4;
    const { X, y } = dataset(41, rows, p);
    for (let i = 0; i < rows; i++) X[i * p + 2] = 7.25;
    const st = standardize(statsFromBlock(X, y, rows, p), ['a', 'b', 'c', 'd']);
    expect(Array.from(st.kept)).toEqual([0, 1, 3]);
    expect(st.droppedNames).toEqual(['c']);
    const fit = fitOLS(st);
    expect(fit.dropped).toEqual(['c']);
    expect(fit.coef[2]).toBe(0);
    expect(fit.coefStd.length).toBe(4);
    X[5 * p + 1] = NaN;
    expect(() => statsFromBlock(X, y, rows, p)).toThrow(/column 1 contains a non-finite/);
    expect(() => statsFromBlock(X, y, rows, p + 1)).toThrow(InputError);
    const a = statsFromBlock(randMat(1, 10, 2), randMat(2, 10, 1), 10, 2, { center: 'per-config' });
    const b = statsFromBlock(randMat(3, 10, 2), randMat(4, 10, 1), 10, 2);
    expect(() => addStats(a, b)).toThrow(/per-config/);
  });

  it('per-configuration centring: equals a global fit on data centred per configuration; predictions are deviations', () => {
    const p = 5, per = 80, nc = 4;
    const blocks = Array.from({ length: nc }, (_, c) => {
      const { X, y } = dataset(50 + c, per, p);
      for (let i = 0; i < per; i++) { y[i] += 3 * c; for (let j = 0; j < p; j++) X[i * p + j] += c * (j + 1); }
      return { X, y };
    });
    const stats = blocks.map((b) => statsFromBlock(b.X, b.y, per, p, { center: 'per-config' }));
    const std = standardize(sumStats(stats));
    expect(std.center).toBe('per-config');
    expect(Math.abs(std.yMean)).toBeLessThan(1e-12);
    // oracle: centre by hand and fit globally
    const Xc = new Float64Array(nc * per * p), yc = new Float64Array(nc * per);
    blocks.forEach((b, c) => {
      const tp = twoPass(b.X, b.y, per, p);
      for (let i = 0; i < per; i++) {
        yc[c * per + i] = b.y[i] - tp.ym;
        for (let j = 0; j < p; j++) Xc[(c * per + i) * p + j] = b.X[i * p + j] - tp.mean[j];
      }
    });
    const g = standardize(statsFromBlock(Xc, yc, nc * per, p));
    const f1 = fitRidge(std, 3), f2 = fitRidge(g, 3);
    near(f1.coefStd, f2.coefStd, 1e-10, 'coefStd');
    near(f1.coef, f2.coef, 1e-10, 'coef');
    expect(f1.center).toBe('per-config');
    // a new configuration: predictions are deviations (mean 0), shift-invariant in X
    const { X: Xn } = dataset(99, 60, p);
    const yh = predict(f1, Xn, 60);
    expect(Math.abs(yh.reduce((s, v) => s + v, 0) / 60)).toBeLessThan(1e-10);
    const shifted = Xn.map((v, i) => v + 10 * ((i % p) + 1));
    near(predict(f1, shifted, 60), yh, 1e-9, 'shift invariance');
  });
});

describe('models', () => {
  const rows = 300, p = 12;
  const { X, y } = dataset(61, rows, p);
  const std = standardize(statsFromBlock(X, y, rows, p));

  it('OLS equals brute-force least squares on standardised data (normal equations by the reference Cholesky)', () => {
    const tp = twoPass(X, y, rows, p);
    const L = choleskyRef(tp.C, p).L;
    const w = solveLowerTRef(L, p, solveLowerRef(L, p, tp.c));
    near(olsCoefStd(std).w, w, 1e-9);
  });

  it('ridge path (tridiagonal form) equals ridge via Cholesky (fast-check over alpha)', () => {
    fc.assert(
      fc.property(fc.double({ min: -6, max: 5, noNaN: true }), (la) => {
        const alpha = 10 ** la;
        near(ridgePathStd(std, [alpha])[0], ridgeCholeskyStd(std, alpha), 1e-10);
      }),
      { numRuns: 30 },
    );
    // the first-order optimality condition (n C + alpha I) w = n c
    const w = ridgePathStd(std, [2.5])[0];
    const r = new Float64Array(p);
    for (let i = 0; i < p; i++) {
      let s = 2.5 * w[i];
      for (let k = 0; k < p; k++) s += rows * std.C[i * p + k] * w[k];
      r[i] = s - rows * std.c[i];
    }
    expect(maxAbs(r)).toBeLessThan(1e-9 * rows);
  });

  it('PCR with k = p equals OLS; the path is cumulative; k out of range is an InputError', () => {
    near(fitPCR(std, p).coefStd, fitOLS(std).coefStd, 1e-9);
    const path = pcrPathStd(std, p);
    expect(path.w.length).toBe(p);
    const evr = path.explainedVarianceRatio;
    expect(Math.abs(evr.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
    expect(() => fitPCR(std, 0)).toThrow(InputError);
    expect(() => fitPCR(std, p + 1)).toThrow(InputError);
  });

  it('a singular X gives the documented SingularMatrixError naming the condition number', () => {
    const Xs = Float64Array.from(X);
    for (let i = 0; i < rows; i++) Xs[i * p + 5] = 2 * Xs[i * p + 3] - Xs[i * p + 1]; // exact collinearity
    const s2 = standardize(statsFromBlock(Xs, y, rows, p));
    expect(s2.p).toBe(p); // not constant, so kept
    let err: unknown;
    try { fitOLS(s2); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SingularMatrixError);
    expect(err).toBeInstanceOf(NumericalError);
    expect((err as Error).message).toMatch(/numerically singular: condition number (\d|Infinity)/);
    const cond = (err as SingularMatrixError).conditionNumber;
    expect(cond >= (err as SingularMatrixError).limit).toBe(true);
    expect(collinearity(s2).conditionNumber).toBeGreaterThan(1e13);
    // PCR with all components and ridge at alpha = 0 fail the same way; ridge at alpha > 0 works
    expect(() => fitPCR(s2, p)).toThrow(SingularMatrixError);
    expect(() => ridgeCholeskyStd(s2, 0)).toThrow(SingularMatrixError);
    expect(() => fitRidge(s2, 0)).toThrow(SingularMatrixError);
    expect(fitRidge(s2, 1).coef.every(Number.isFinite)).toBe(true);
    // the diagnostic min-norm fallback sees rank p - 1
    expect(minNormCoefStd(s2).rank).toBe(p - 1);
    // more columns than rows
    const wide = standardize(statsFromBlock(randMat(3, 5, 8), randMat(4, 5, 1), 5, 8));
    expect(() => fitOLS(wide)).toThrow(SingularMatrixError);
  });

  it('VIF = 1/(1 - R_j^2) and the condition number from the eigenvalues', () => {
    const d = collinearity(std);
    // R_j^2 of column j on the others, from the standardised problem
    for (const j of [0, 4, 11]) {
      const idx = [...Array(p).keys()].filter((k) => k !== j);
      const q = idx.length;
      const A = new Float64Array(q * q), b = new Float64Array(q);
      idx.forEach((a, i) => { b[i] = std.C[a * p + j]; idx.forEach((c, k) => { A[i * q + k] = std.C[a * p + c]; }); });
      const L = choleskyRef(A, q).L;
      const g = solveLowerTRef(L, q, solveLowerRef(L, q, b));
      let r2 = 0;
      for (let i = 0; i < q; i++) r2 += g[i] * b[i];
      expect(Math.abs(d.vif[j] - 1 / (1 - r2)) / d.vif[j]).toBeLessThan(1e-10);
    }
    expect(d.conditionNumber).toBeCloseTo(d.eigenvalues[0] / d.eigenvalues[p - 1], 6);
  });

  it('lstsqMinNorm solves full-rank least squares and gives the minimum-norm solution when rank deficient', () => {
    const A = randMat(71, 20, 4), b = randMat(72, 20, 1);
    const AtA = matmul(transpose(A, 20, 4), A, 4, 20, 4), Atb = matmul(transpose(A, 20, 4), b, 4, 20, 1);
    const L = choleskyRef(AtA, 4).L;
    near(lstsqMinNorm(A, 20, 4, b).x, solveLowerTRef(L, 4, solveLowerRef(L, 4, Atb)), 1e-10);
    // duplicate column: the two copies share the coefficient equally
    const D = new Float64Array(20 * 2);
    for (let i = 0; i < 20; i++) { D[i * 2] = A[i * 4]; D[i * 2 + 1] = A[i * 4]; }
    const r = lstsqMinNorm(D, 20, 2, b);
    expect(r.rank).toBe(1);
    expect(Math.abs(r.x[0] - r.x[1])).toBeLessThan(1e-12);
  });
});

describe('diagnostics: bootstrap stability and group contributions', () => {
  const p = 6;
  const cfg: SufficientStats[] = Array.from({ length: 8 }, (_, c) => {
    const { X, y } = dataset(80 + c, 60, p);
    return statsFromBlock(X, y, 60, p);
  });
  it('bootstrap over configurations is deterministic, and its statistics are consistent', () => {
    const f = (s: ReturnType<typeof standardize>) => fitRidge(s, 1);
    const a = bootstrapStability(cfg, f, { B: 12, seed: 7 });
    const b = bootstrapStability(cfg, f, { B: 12, seed: 7 });
    expect(Array.from(a.meanStd)).toEqual(Array.from(b.meanStd));
    expect(a.draws.length).toBe(12);
    expect(a.failed).toBe(0);
    // recompute resample 3 by hand
    const d3 = a.draws[3];
    const manual = fitRidge(standardize(sumStats(Array.from(d3, (i) => cfg[i]))), 1);
    let mean0 = 0;
    for (const dr of a.draws) mean0 += fitRidge(standardize(sumStats(Array.from(dr, (i) => cfg[i]))), 1).coefStd[0] / 12;
    expect(Math.abs(a.meanStd[0] - mean0)).toBeLessThan(1e-12);
    expect(manual.coefStd.length).toBe(p);
    for (let j = 0; j < p; j++) {
      expect(a.signAgreement[j]).toBeGreaterThanOrEqual(0);
      expect(a.signAgreement[j]).toBeLessThanOrEqual(1);
      expect(a.stdStd[j]).toBeGreaterThanOrEqual(0);
    }
    const c = bootstrapStability(cfg, f, { B: 12, seed: 8 });
    expect(Array.from(c.meanStd)).not.toEqual(Array.from(a.meanStd));
  });

  it('bootstrap statistics equal a by-hand recomputation of every resample (draws, means, stds, sign agreement)', () => {
    const f = (s: ReturnType<typeof standardize>) => fitRidge(s, 1);
    const B = 9;
    const a = bootstrapStability(cfg, f, { B, seed: 11 });
    // the draws: mulberry32 (Tommy Ettinger's public-domain generator), written out independently
    let st = 11 >>> 0;
    const rng = () => {
      st = (st + 0x6d2b79f5) >>> 0;
      let z = st;
      z = Math.imul(z ^ (z >>> 15), z | 1);
      z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
      return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
    };
    const m = cfg.length;
    const fits = [];
    for (let b = 0; b < B; b++) {
      const idx = Array.from({ length: m }, () => Math.min(m - 1, Math.floor(rng() * m)));
      expect(Array.from(a.draws[b])).toEqual(idx);
      fits.push(fitRidge(standardize(sumStats(idx.map((i) => cfg[i]))), 1));
    }
    for (let j = 0; j < p; j++) {
      const cs = fits.map((g) => g.coefStd[j]);
      const co = fits.map((g) => g.coef[j]);
      const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
      const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));
      const scale = 1 + Math.max(...cs.map(Math.abs), ...co.map(Math.abs));
      expect(Math.abs(a.meanStd[j] - mean(cs))).toBeLessThan(1e-12 * scale);
      expect(Math.abs(a.mean[j] - mean(co))).toBeLessThan(1e-12 * scale);
      expect(Math.abs(a.stdStd[j] - sd(cs))).toBeLessThan(1e-7 * scale);
      expect(Math.abs(a.std[j] - sd(co))).toBeLessThan(1e-7 * scale);
      const sg = Math.sign(mean(cs));
      expect(a.signAgreement[j]).toBe(cs.filter((x) => Math.sign(x) === sg).length / B);
    }
  });

  it('group contributions partition the coefficients by family and level', () => {
    const std = standardize(sumStats(cfg));
    const fit = fitRidge(std, 1);
    const meta: FeatureMeta[] = [
      { name: 'a', family: 'R', level: 0, kind: 'R' }, { name: 'b', family: 'R', level: 0, kind: 'R' },
      { name: 'c', family: 'R', level: 1, kind: 'R' }, { name: 'd', family: 'A', level: 0, kind: 'A' },
      { name: 'e', family: 'A', level: 1, kind: 'A' }, { name: 'f', family: 'P', level: 0, kind: 'rho' },
    ];
    const g = groupContributions(fit, std, meta);
    expect(g.map((x) => x.key).sort()).toEqual(['A:0', 'A:1', 'P:0', 'R:0', 'R:1']);
    expect(Math.abs(g.reduce((s, x) => s + x.shareAbs, 0) - 1)).toBeLessThan(1e-12);
    expect(g.reduce((s, x) => s + x.nFeatures, 0)).toBe(p);
    const r0 = g.find((x) => x.key === 'R:0')!;
    const w0 = fit.coefStd[0], w1 = fit.coefStd[1];
    expect(r0.variance).toBeCloseTo(w0 * w0 + w1 * w1 + 2 * w0 * w1 * std.C[1], 12);
    const fam = groupContributions(fit, std, meta, 'family');
    expect(fam.find((x) => x.key === 'R')!.nFeatures).toBe(3);
    const lev = groupContributions(fit, std, meta, 'level');
    expect(lev.map((x) => x.key).sort()).toEqual(['L0', 'L1']);
  });
});
