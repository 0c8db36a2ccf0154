// Plain-TypeScript reference implementations of the linalg kernels, for differential tests.
// Straightforward textbook loops (no blocking, no SIMD); the eigen and SVD references use
// different algorithms from the kernels (cyclic two-sided Jacobi), so they are independent
// oracles. Not for production use: O(n^3) in JS.

import type { GramSums } from '../linalg/linalg.js';

/** Naive Gram sums: Z = X - 1 shift^T, u = y - yShift; Z^T Z, Z^T u, 1^T Z, 1^T u, u^T u, n. */
export function gramRef(X: ArrayLike<number>, y: ArrayLike<number> | null, rows: number, p: number, shift?: ArrayLike<number>, yShift = 0): GramSums {
  const XtX = new Float64Array(p * p), Xty = new Float64Array(p), sumX = new Float64Array(p);
  let sumY = 0, yty = 0;
  const z = new Float64Array(p);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < p; j++) z[j] = X[r * p + j] - (shift ? shift[j] : 0);
    const u = y ? y[r] - yShift : 0;
    for (let j = 0; j < p; j++) {
      sumX[j] += z[j];
      Xty[j] += z[j] * u;
      for (let k = 0; k < p; k++) XtX[j * p + k] += z[j] * z[k];
    }
    sumY += u;
    yty += u * u;
  }
  return { p, n: rows, sumX, sumY, XtX, Xty, yty };
}

/** Lower Cholesky (Cholesky-Banachiewicz); failIndex -1 or the first non-positive pivot. */
export function choleskyRef(A: ArrayLike<number>, n: number): { L: Float64Array; failIndex: number } {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) return { L, failIndex: i };
        L[i * n + i] = Math.sqrt(s);
      } else {
        L[i * n + j] = s / L[j * n + j];
      }
    }
  }
  return { L, failIndex: -1 };
}

/** x = L^{-1} b. */
export function solveLowerRef(L: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** x = L^{-T} b. */
export function solveLowerTRef(L: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}

/** x = U^{-1} b (U upper). */
export function solveUpperRef(U: ArrayLike<number>, n: number, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(b);
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= U[i * n + k] * x[k];
    x[i] = s / U[i * n + i];
  }
  return x;
}

/** out = A x. */
export function gemvRef(A: ArrayLike<number>, m: number, n: number, x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += A[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** Sort eigen/singular pairs descending and fix signs (largest-|entry| of each vector positive). */
function sortAndFix(values: Float64Array, vecs: Float64Array, n: number, k: number): { values: Float64Array; vectors: Float64Array; order: number[] } {
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
  const vals = new Float64Array(k);
  const out = new Float64Array(n * k);
  order.forEach((src, j) => {
    vals[j] = values[src];
    let big = 0, sgn = 1;
    for (let i = 0; i < n; i++) {
      const v = vecs[i * k + src];
      if (Math.abs(v) > big) {
        big = Math.abs(v);
        sgn = v < 0 ? -1 : 1;
      }
    }
    for (let i = 0; i < n; i++) out[i * k + j] = sgn * vecs[i * k + src];
  });
  return { values: vals, vectors: out, order };
}

/**
 * Cyclic Jacobi eigenvalue algorithm (Golub & Van Loan Alg. 8.5.3) for symmetric A:
 * values descending, V columns = eigenvectors, largest-|entry| positive.
 */
export function symEigenRef(A: ArrayLike<number>, n: number, maxSweeps = 100): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0, tot = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) (i === j ? (tot += a[i * n + j] ** 2) : (off += a[i * n + j] ** 2));
    if (off <= 1e-32 * (tot + off) || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        // A <- J^T A J with J the rotation in the (p, q) plane
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i * n + i];
  const r = sortAndFix(d, v, n, n);
  return { values: r.values, vectors: r.vectors };
}

/**
 * SVD reference from the eigendecomposition of A^T A (Jacobi): s_j = sqrt(lambda_j),
 * V = its eigenvectors, U[:, j] = A v_j / s_j. Accurate only for well-conditioned A (a test oracle).
 */
export function svdRef(A: ArrayLike<number>, m: number, n: number): { U: Float64Array; s: Float64Array; V: Float64Array } {
  const AtA = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let t = 0;
    for (let r = 0; r < m; r++) t += A[r * n + i] * A[r * n + j];
    AtA[i * n + j] = t;
  }
  const { values, vectors } = symEigenRef(AtA, n);
  const s = values.map((x) => Math.sqrt(Math.max(0, x)));
  const U = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    if (!(s[j] > 0)) continue;
    for (let r = 0; r < m; r++) {
      let t = 0;
      for (let i = 0; i < n; i++) t += A[r * n + i] * vectors[i * n + j];
      U[r * n + j] = t / s[j];
    }
  }
  return { U, s, V: vectors };
}

/** Ridge path oracle: (s A + alpha I) w = s b for each alpha by a plain Cholesky (choleskyRef) and two triangular solves. */
export function ridgePathRef(A: ArrayLike<number>, n: number, b: ArrayLike<number>, s: number, alphas: readonly number[]): Float64Array[] {
  return alphas.map((alpha) => {
    const M = new Float64Array(n * n);
    for (let i = 0; i < n * n; i++) M[i] = s * A[i];
    for (let i = 0; i < n; i++) M[i * n + i] += alpha;
    const { L, failIndex } = choleskyRef(M, n);
    if (failIndex >= 0) throw new Error(`ridgePathRef: s A + ${alpha} I is not positive definite`);
    return solveLowerTRef(L, n, solveLowerRef(L, n, Array.from(b, (x) => s * x)));
  });
}
