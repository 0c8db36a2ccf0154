// Cholesky factorisation and triangular solves (dense, row-major, f64).
//
// A = L L^T for symmetric positive definite A (Golub & Van Loan, Matrix Computations, 4th ed.,
// Alg. 4.2.1, row-oriented Cholesky-Banachiewicz form): for i = 0..n-1, j = 0..i,
//   s = A[i][j] - sum_{k<j} L[i][k] L[j][k],   L[i][i] = sqrt(s),   L[i][j] = s / L[j][j].
// The inner sums are dot products of contiguous row prefixes (vec.dot).

import { axpy, dot } from "./vec";

/**
 * In-place lower Cholesky of the n x n row-major matrix at A (only the lower triangle is
 * read; the strict upper triangle is set to 0). Returns -1 on success, or the index i of the
 * first pivot s <= 0 (or not finite): then A is not (numerically) positive definite and its
 * content is partially overwritten.
 */
export function laCholesky(A: usize, n: i32): i32 {
  const rb = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const Li = A + <usize>i * rb;
    for (let j = 0; j <= i; j++) {
      const Lj = A + <usize>j * rb;
      const s = load<f64>(Li + (<usize>j << 3)) - dot(Li, Lj, j);
      if (i == j) {
        if (!(s > 0.0) || !isFinite(s)) return i;
        store<f64>(Li + (<usize>i << 3), Math.sqrt(s));
      } else {
        store<f64>(Li + (<usize>j << 3), s / load<f64>(Lj + (<usize>j << 3)));
      }
    }
    for (let j = i + 1; j < n; j++) store<f64>(Li + (<usize>j << 3), 0.0);
  }
  return -1;
}

/** Forward substitution in place: b := L^{-1} b, b[i] = (b[i] - L[i][0:i] . b[0:i]) / L[i][i]. */
export function laSolveLower(L: usize, n: i32, b: usize): void {
  const rb = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const Li = L + <usize>i * rb;
    const o = <usize>i << 3;
    store<f64>(b + o, (load<f64>(b + o) - dot(Li, b, i)) / load<f64>(Li + o));
  }
}

/** Back substitution in place with the transpose: b := L^{-T} b (column form, row axpys). */
export function laSolveLowerT(L: usize, n: i32, b: usize): void {
  const rb = <usize>n << 3;
  for (let i = n - 1; i >= 0; i--) {
    const Li = L + <usize>i * rb;
    const o = <usize>i << 3;
    const xi = load<f64>(b + o) / load<f64>(Li + o);
    store<f64>(b + o, xi);
    // b[0:i] -= x_i L[i][0:i]
    axpy(-xi, Li, b, i);
  }
}

/** Solve A x = b in place given A's Cholesky factor L: b := L^{-T} L^{-1} b. */
export function laCholeskySolve(L: usize, n: i32, b: usize): void {
  laSolveLower(L, n, b);
  laSolveLowerT(L, n, b);
}

/**
 * Solve A X = B in place for nrhs right-hand sides stored as the rows of B (nrhs x n,
 * row-major; each row is one right-hand side).
 */
export function laCholeskySolveMany(L: usize, n: i32, B: usize, nrhs: i32): void {
  const rb = <usize>n << 3;
  for (let r = 0; r < nrhs; r++) laCholeskySolve(L, n, B + <usize>r * rb);
}

/** Upper triangular (row-major, upper part of U used) back substitution: b := U^{-1} b. */
export function laSolveUpper(U: usize, n: i32, b: usize): void {
  const rb = <usize>n << 3;
  for (let i = n - 1; i >= 0; i--) {
    const Ui = U + <usize>i * rb;
    const o = <usize>i << 3;
    store<f64>(b + o, (load<f64>(b + o) - dot(Ui + o + 8, b + o + 8, n - i - 1)) / load<f64>(Ui + o));
  }
}
