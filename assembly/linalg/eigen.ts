// Symmetric eigendecomposition A = V diag(w) V^T (dense, row-major, f64).
//
// 1. Householder tridiagonalisation T = Q^T A Q (Golub & Van Loan 4th ed., Alg. 8.3.1): for
//    k = 0..n-3 the reflector H_k = I - tau v v^T (LAPACK dlarfg convention, v[0] = 1) maps
//    A[k+1:, k] onto beta e_1, and the trailing block B = A[k+1:, k+1:] becomes H B H via
//    p = tau B v, w = p - (tau/2)(v^T p) v, B -= v w^T + w v^T (both triangles kept, so every
//    access is a contiguous row: SIMD dots and rank-2 row updates).
// 2. Q = H_0 H_1 ... H_{n-3} by backward accumulation (as LAPACK dorg2l/dorgtr), then stored
//    transposed (Z^T) so that each plane rotation of the QL sweep acts on two contiguous rows.
// 3. Implicit QL with Wilkinson-type shifts on the tridiagonal (EISPACK tql2; Bowdler, Martin,
//    Reinsch & Wilkinson, Numer. Math. 11, 293 (1968); here in the form of JAMA's tql2),
//    with an iteration cap per eigenvalue: non-convergence is reported, never hidden.
// 4. Eigenvalues sorted descending; each eigenvector's sign fixed so that its entry of largest
//    magnitude (the first one on ties) is positive (../shared/spec/regression.md, PCR).

import { argsortDesc, axpy, copyF64, dot, rank2Row, rot, storeColumnSignFixed, zeroF64 } from "./vec";

/** f64 workspace laSymEigen needs for order n. */
export function laSymEigenWorkSize(n: i32): i32 {
  return n * n + 4 * n;
}

/** Householder tridiagonalisation in place (W: n x n, both triangles); d, e, tau: length n. */
function tridiagonalize(W: usize, n: i32, d: usize, e: usize, tau: usize, tmp: usize): void {
  const rb = <usize>n << 3;
  for (let k = 0; k < n - 2; k++) {
    const m = n - k - 1;
    const x = W + <usize>k * rb + (<usize>(k + 1) << 3); // row k, columns k+1..n-1 (= column k below the diagonal)
    store<f64>(d + (<usize>k << 3), load<f64>(W + <usize>k * rb + (<usize>k << 3)));
    const alpha0 = load<f64>(x);
    // ||x[1:]|| with scaling against overflow/underflow
    let scale = 0.0;
    for (let i = 1; i < m; i++) scale = Math.max(scale, Math.abs(load<f64>(x + (<usize>i << 3))));
    let xnorm = 0.0;
    if (scale > 0.0) {
      let ss = 0.0;
      for (let i = 1; i < m; i++) {
        const t = load<f64>(x + (<usize>i << 3)) / scale;
        ss += t * t;
      }
      xnorm = scale * Math.sqrt(ss);
    }
    let t = 0.0;
    if (xnorm == 0.0) {
      // already tridiagonal in this column: H = I
      store<f64>(e + (<usize>k << 3), alpha0);
      store<f64>(x, 1.0);
    } else {
      const h = Math.hypot(alpha0, xnorm);
      const beta = alpha0 >= 0.0 ? -h : h;
      t = (beta - alpha0) / beta;
      const sc = 1.0 / (alpha0 - beta);
      for (let i = 1; i < m; i++) store<f64>(x + (<usize>i << 3), load<f64>(x + (<usize>i << 3)) * sc);
      store<f64>(x, 1.0);
      store<f64>(e + (<usize>k << 3), beta);
      // trailing block B = W[k+1:, k+1:]
      const B = W + <usize>(k + 1) * rb + (<usize>(k + 1) << 3);
      for (let i = 0; i < m; i++) store<f64>(tmp + (<usize>i << 3), t * dot(B + <usize>i * rb, x, m));
      const K = 0.5 * t * dot(x, tmp, m);
      axpy(-K, x, tmp, m); // tmp = w = p - K v
      for (let i = 0; i < m; i++) {
        rank2Row(B + <usize>i * rb, load<f64>(x + (<usize>i << 3)), tmp, load<f64>(tmp + (<usize>i << 3)), x, m);
      }
    }
    store<f64>(tau + (<usize>k << 3), t);
  }
  if (n >= 2) {
    store<f64>(d + (<usize>(n - 2) << 3), load<f64>(W + <usize>(n - 2) * rb + (<usize>(n - 2) << 3)));
    store<f64>(e + (<usize>(n - 2) << 3), load<f64>(W + <usize>(n - 2) * rb + (<usize>(n - 1) << 3)));
  }
  store<f64>(d + (<usize>(n - 1) << 3), load<f64>(W + <usize>(n - 1) * rb + (<usize>(n - 1) << 3)));
  store<f64>(e + (<usize>(n - 1) << 3), 0.0);
}

/** Q = H_0 ... H_{n-3} (n x n into Q) from the reflectors stored in the rows of W. */
function formQ(W: usize, n: i32, tau: usize, Q: usize, tmp: usize): void {
  const rb = <usize>n << 3;
  zeroF64(Q, n * n);
  for (let i = 0; i < n; i++) store<f64>(Q + <usize>i * rb + (<usize>i << 3), 1.0);
  for (let k = n - 3; k >= 0; k--) {
    const t = load<f64>(tau + (<usize>k << 3));
    if (t == 0.0) continue;
    const m = n - k - 1;
    const v = W + <usize>k * rb + (<usize>(k + 1) << 3);
    const S = Q + <usize>(k + 1) * rb + (<usize>(k + 1) << 3); // block Q[k+1:, k+1:]
    // u = v^T S (a combination of rows), then S -= tau v u^T
    zeroF64(tmp, m);
    for (let i = 0; i < m; i++) axpy(load<f64>(v + (<usize>i << 3)), S + <usize>i * rb, tmp, m);
    for (let i = 0; i < m; i++) axpy(-t * load<f64>(v + (<usize>i << 3)), tmp, S + <usize>i * rb, m);
  }
}

/**
 * Implicit QL on the tridiagonal (d diagonal, e[k] = T[k+1][k], e[n-1] = 0); rotations applied
 * to the rows of Zt when Zt != 0. Returns 0, or l + 1 when eigenvalue l needed more than
 * maxIter iterations.
 */
function tql2(d: usize, e: usize, n: i32, Zt: usize, maxIter: i32): i32 {
  const rb = <usize>n << 3;
  const eps = 2.220446049250313e-16;
  let f = 0.0;
  let tst1 = 0.0;
  for (let l = 0; l < n; l++) {
    const ol = <usize>l << 3;
    tst1 = Math.max(tst1, Math.abs(load<f64>(d + ol)) + Math.abs(load<f64>(e + ol)));
    let m = l;
    while (m < n) {
      if (Math.abs(load<f64>(e + (<usize>m << 3))) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > maxIter) return l + 1;
        // implicit shift
        let g = load<f64>(d + ol);
        const el = load<f64>(e + ol);
        let p = (load<f64>(d + ol + 8) - g) / (2.0 * el);
        let r = Math.hypot(p, 1.0);
        if (p < 0.0) r = -r;
        store<f64>(d + ol, el / (p + r));
        store<f64>(d + ol + 8, el * (p + r));
        const dl1 = load<f64>(d + ol + 8);
        let h = g - load<f64>(d + ol);
        for (let i = l + 2; i < n; i++) store<f64>(d + (<usize>i << 3), load<f64>(d + (<usize>i << 3)) - h);
        f = f + h;
        // implicit QL transformation
        p = load<f64>(d + (<usize>m << 3));
        let c = 1.0, c2 = 1.0, c3 = 1.0;
        const el1 = load<f64>(e + ol + 8);
        let s = 0.0, s2 = 0.0;
        for (let i = m - 1; i >= l; i--) {
          const oi = <usize>i << 3;
          c3 = c2;
          c2 = c;
          s2 = s;
          const ei = load<f64>(e + oi);
          const di = load<f64>(d + oi);
          g = c * ei;
          h = c * p;
          r = Math.hypot(p, ei);
          store<f64>(e + oi + 8, s * r);
          s = ei / r;
          c = p / r;
          p = c * di - s * g;
          store<f64>(d + oi + 8, h + s * (c * g + s * di));
          if (Zt != 0) rot(Zt + <usize>i * rb, Zt + <usize>(i + 1) * rb, n, c, s);
        }
        p = -s * s2 * c3 * el1 * load<f64>(e + ol) / dl1;
        store<f64>(e + ol, s * p);
        store<f64>(d + ol, c * p);
      } while (Math.abs(load<f64>(e + ol)) > eps * tst1);
    }
    store<f64>(d + ol, load<f64>(d + ol) + f);
    store<f64>(e + ol, 0.0);
  }
  return 0;
}

/**
 * Eigen-decompose the symmetric n x n row-major matrix A (not modified; the lower and upper
 * triangles must agree). Writes eigenvalues w (length n, descending) and, when wantVectors != 0,
 * V (n x n row-major, column j = eigenvector j, unit norm, largest-|entry| positive).
 * work: laSymEigenWorkSize(n) f64. Returns 0 on success, or l + 1 when the QL iteration did not
 * converge within maxIter iterations for eigenvalue l (w and V are then not valid).
 */
export function laSymEigen(A: usize, n: i32, w: usize, V: usize, work: usize, maxIter: i32, wantVectors: i32): i32 {
  if (n <= 0) return 0;
  const W = work;
  const nn = <usize>n * <usize>n;
  const tau = work + (nn << 3);
  const e = tau + (<usize>n << 3);
  const tmp = e + (<usize>n << 3);
  const perm = tmp + (<usize>n << 3);
  const rb = <usize>n << 3;
  copyF64(W, A, n * n);
  tridiagonalize(W, n, w, e, tau, tmp);
  let Zt: usize = 0;
  if (wantVectors != 0) {
    formQ(W, n, tau, V, tmp);
    // Zt = Q^T into W (the reflectors are no longer needed)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) store<f64>(W + <usize>i * rb + (<usize>j << 3), load<f64>(V + <usize>j * rb + (<usize>i << 3)));
    }
    Zt = W;
  }
  const status = tql2(w, e, n, Zt, maxIter);
  if (status != 0) return status;
  // order: descending eigenvalue (ties keep the lower index first); sign-fixed columns of V
  argsortDesc(w, n, perm);
  for (let i = 0; i < n; i++) store<f64>(tmp + (<usize>i << 3), load<f64>(w + (<usize>load<i32>(perm + (<usize>i << 2)) << 3)));
  copyF64(w, tmp, n);
  if (wantVectors != 0) {
    for (let j = 0; j < n; j++) storeColumnSignFixed(Zt + <usize>load<i32>(perm + (<usize>j << 2)) * rb, n, V, n, j);
  }
  return 0;
}

/** x[k+1:] <- H_k x[k+1:] = x[k+1:] - tau_k (v_k . x[k+1:]) v_k: reflector k of tridiagonalize (v_k in row k of R from column k + 1). */
// @ts-ignore: decorator
@inline function applyReflector(R: usize, n: i32, tau: usize, k: i32, x: usize): void {
  const t = load<f64>(tau + (<usize>k << 3));
  if (t == 0.0) return;
  const len = n - k - 1;
  const v = R + <usize>k * (<usize>n << 3) + (<usize>(k + 1) << 3);
  const xk = x + (<usize>(k + 1) << 3);
  axpy(-t * dot(v, xk, len), v, xk, len);
}

/** f64 workspace laRidgePathTridiag needs for order n. */
export function laRidgePathTridiagWorkSize(n: i32): i32 {
  return n * n + 8 * n;
}

/**
 * A ridge path through the tridiagonal form of A, without eigenvectors: with A = Q T Q^T (the
 * Householder tridiagonalisation of laSymEigen, step 1; Q = H_0 ... H_{n-3}), for every alpha_a
 *   (s A + alpha_a I) w_a = s b   <=>   (s T + alpha_a I) u = s Q^T b,   w_a = Q u,
 * the tridiagonal system solved by LU without pivoting (the Thomas algorithm; s T + alpha I is
 * symmetric positive definite for s > 0, alpha > 0 and A positive semi-definite, where it is
 * stable). Cost: ~4/3 n^3 flops for T, then O(n^2) per alpha (two passes of the n - 2
 * reflectors), against ~9 n^3 for the eigendecomposition a path through V diag(.) V^T needs.
 * Ridge on standardised statistics: A = C, b = c, s = n rows (src/models/ridge.ts).
 * Writes W (m x n row-major, row a = w_a) and lam[0] = lambda_max(A), lam[1] = lambda_min(A)
 * (implicit QL on T without vectors) for the caller's condition check. A is not modified.
 * work: laRidgePathTridiagWorkSize(n) f64. Returns 0, or l + 1 when QL did not converge.
 */
export function laRidgePathTridiag(A: usize, n: i32, b: usize, s: f64, alphas: usize, m: i32, W: usize, lam: usize, work: usize, maxIter: i32): i32 {
  if (n <= 0) return 0;
  const nn = <usize>n * <usize>n;
  const R = work;                        // reflectors (rows of the tridiagonalised copy)
  const d = R + (nn << 3);
  const e = d + (<usize>n << 3);
  const tau = e + (<usize>n << 3);
  const tmp = tau + (<usize>n << 3);
  const z = tmp + (<usize>n << 3);
  const cp = z + (<usize>n << 3);
  const u = cp + (<usize>n << 3);
  const dq = u + (<usize>n << 3);        // d, e copies for QL (2n)
  const rb = <usize>n << 3;
  copyF64(R, A, n * n);
  tridiagonalize(R, n, d, e, tau, tmp);
  // z = s Q^T b = s H_{n-3} ... H_0 b  (H_k z[k+1:] -= tau_k (v_k . z[k+1:]) v_k)
  copyF64(z, b, n);
  for (let k = 0; k < n - 2; k++) applyReflector(R, n, tau, k, z);
  for (let i = 0; i < n; i++) store<f64>(z + (<usize>i << 3), s * load<f64>(z + (<usize>i << 3)));
  for (let a = 0; a < m; a++) {
    const alpha = load<f64>(alphas + (<usize>a << 3));
    // Thomas: diagonal s d_i + alpha, off-diagonal s e_i (e_i = T[i+1][i])
    let den = s * load<f64>(d) + alpha;
    store<f64>(cp, s * load<f64>(e) / den);
    store<f64>(u, load<f64>(z) / den);
    for (let i = 1; i < n; i++) {
      const oi = <usize>i << 3;
      const el = s * load<f64>(e + oi - 8);
      den = s * load<f64>(d + oi) + alpha - el * load<f64>(cp + oi - 8);
      store<f64>(cp + oi, s * load<f64>(e + oi) / den);
      store<f64>(u + oi, (load<f64>(z + oi) - el * load<f64>(u + oi - 8)) / den);
    }
    for (let i = n - 2; i >= 0; i--) {
      const oi = <usize>i << 3;
      store<f64>(u + oi, load<f64>(u + oi) - load<f64>(cp + oi) * load<f64>(u + oi + 8));
    }
    // w = Q u = H_0 ... H_{n-3} u
    for (let k = n - 3; k >= 0; k--) applyReflector(R, n, tau, k, u);
    copyF64(W + <usize>a * rb, u, n);
  }
  // extreme eigenvalues of A (= of T)
  copyF64(dq, d, n);
  copyF64(tmp, e, n);
  const status = tql2(dq, tmp, n, 0, maxIter);
  if (status != 0) return status;
  let hi = load<f64>(dq), lo = hi;
  for (let i = 1; i < n; i++) {
    const x = load<f64>(dq + (<usize>i << 3));
    hi = Math.max(hi, x);
    lo = Math.min(lo, x);
  }
  store<f64>(lam, hi);
  store<f64>(lam, lo, 8);
  return 0;
}
