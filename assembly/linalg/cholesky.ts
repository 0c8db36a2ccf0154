// Cholesky factorisation and triangular solves (dense, row-major, f64).
//
// A = L L^T for symmetric positive definite A (Golub & Van Loan, Matrix Computations, 4th ed.,
// Alg. 4.2.1, row-oriented Cholesky-Banachiewicz form): for i = 0..n-1, j = 0..i,
//   s = A[i][j] - sum_{k<j} L[i][k] L[j][k],   L[i][i] = sqrt(s),   L[i][j] = s / L[j][j].
// The inner sums are dot products of contiguous row prefixes, in the vec.dotPairs order (even
// terms + odd terms: one f64x2 accumulator per sum, which lets the factorisation work on 2 x 2
// register blocks) in the factorisation and the forward substitution; the same in both builds.
// One Cholesky for the whole module: laCholesky (OLS, ridge) and the Newton step of the
// coordinate descent (models/cd.ts, with a relative pivot floor) both call choleskyPivotFloor.

import { axpy, dot, dotPairs } from "./vec";
import { ldf, stf, rowPtr } from "../mem";

/**
 * In-place lower Cholesky of the n x n row-major matrix at A (only the lower triangle is
 * read; the strict upper triangle is set to 0). Returns -1 on success, or the index i of the
 * first pivot s <= 0 (or not finite): then A is not (numerically) positive definite and its
 * content is partially overwritten.
 */
export function laCholesky(A: usize, n: i32): i32 {
  const status = choleskyPivotFloor(A, n, 0.0);
  if (status < 0) {
    const rb = <usize>n << 3;
    for (let i = 0; i < n - 1; i++) memory.fill(A + <usize>i * rb + (<usize>(i + 1) << 3), 0, <usize>(n - 1 - i) << 3);
  }
  return status;
}

/**
 * laCholesky with a relative pivot floor: fails (returns i) at the first pivot
 * s_i = A_ii - sum_{k<i} L_ik^2 with s_i <= rtol A_ii or s_i not finite; -1 on success. The strict
 * upper triangle is neither read nor written (laCholesky zeroes it after a success).
 * rtol = 0 is laCholesky; the coordinate-descent Newton step (models/cd.ts) takes 1e-13 as
 * "numerically singular".
 *
 * Rows are taken two at a time (i, i+1) against pairs of earlier rows (j, j+1): the four dot
 * products of a 2 x 2 block share their loads (dots4), one f64x2 accumulator each, so every sum
 * is in the vec.dotPairs order (even terms + odd terms). For the second column of a block the
 * term k = j is subtracted after the pair sum over k < j:
 *   L_ij     = (A_ij - sum_{k<j} L_ik L_jk) / L_jj
 *   L_i,j+1  = (A_i,j+1 - sum_{k<j} L_ik L_j+1,k - L_ij L_j+1,j) / L_j+1,j+1
 *   L_ii     = sqrt(A_ii - sum_{k<i} L_ik^2),  L_i+1,i+1 = sqrt(A_i+1,i+1 - sum_{k<i} L_i+1,k^2 - L_i+1,i^2)
 */
export function choleskyPivotFloor(A: usize, n: i32, rtol: f64): i32 {
  for (let i = 0; i < n; i += 2) {
    const two = i + 1 < n;
    const rI = rowPtr(A, i, n);
    const rI1 = two ? rowPtr(A, i + 1, n) : rI;
    for (let j = 0; j < i; j += 2) {
      // off-diagonal 2 x 2 block (rows i, i+1; columns j, j+1 with j + 1 < i)
      const rJ = rowPtr(A, j, n);
      const rJ1 = rowPtr(A, j + 1, n);
      dots4(rI, rI1, rJ, rJ1, j);
      const ljj = ldf(rJ, j);
      const lj1j = ldf(rJ1, j);
      const lj1j1 = ldf(rJ1, j + 1);
      const lij = (ldf(rI, j) - d00) / ljj;
      stf(rI, j, lij);
      stf(rI, j + 1, (ldf(rI, j + 1) - d01 - lij * lj1j) / lj1j1);
      if (two) {
        const li1j = (ldf(rI1, j) - d10) / ljj;
        stf(rI1, j, li1j);
        stf(rI1, j + 1, (ldf(rI1, j + 1) - d11 - li1j * lj1j) / lj1j1);
      }
    }
    // diagonal block
    const mii = ldf(rI, i);
    const v = mii - dotPairs(rI, rI, i);
    if (!(v > rtol * mii) || !isFinite(v)) return i;
    const lii = Math.sqrt(v);
    stf(rI, i, lii);
    if (two) {
      const li1i = (ldf(rI1, i) - dotPairs(rI1, rI, i)) / lii;
      stf(rI1, i, li1i);
      const mi1 = ldf(rI1, i + 1);
      const v1 = mi1 - dotPairs(rI1, rI1, i) - li1i * li1i;
      if (!(v1 > rtol * mi1) || !isFinite(v1)) return i + 1;
      stf(rI1, i + 1, Math.sqrt(v1));
    }
  }
  return -1;
}

// results of dots4 (module globals: no allocation)
let d00: f64 = 0.0;
let d01: f64 = 0.0;
let d10: f64 = 0.0;
let d11: f64 = 0.0;

/**
 * The four dot products x0.v0, x0.v1, x1.v0, x1.v1 over k terms (into d00, d01, d10, d11), each
 * in the vec.dotPairs order, sharing the loads (2 x 2 register block).
 */
function dots4(x0: usize, x1: usize, v0: usize, v1: usize, k: i32): void {
  const k2 = k & ~1;
  let a00 = 0.0, b00 = 0.0, a01 = 0.0, b01 = 0.0, a10 = 0.0, b10 = 0.0, a11 = 0.0, b11 = 0.0;
  if (ASC_FEATURE_SIMD) {
    let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0), c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
    // c_rs += x_r[j:j+2] * v_s[j:j+2]
    for (let j = 0; j < k2; j += 2) {
      const off = <usize>j << 3;
      const p0 = v128.load(x0 + off);
      const p1 = v128.load(x1 + off);
      const q0 = v128.load(v0 + off);
      const q1 = v128.load(v1 + off);
      c00 = f64x2.add(c00, f64x2.mul(p0, q0));
      c01 = f64x2.add(c01, f64x2.mul(p0, q1));
      c10 = f64x2.add(c10, f64x2.mul(p1, q0));
      c11 = f64x2.add(c11, f64x2.mul(p1, q1));
    }
    a00 = f64x2.extract_lane(c00, 0); b00 = f64x2.extract_lane(c00, 1);
    a01 = f64x2.extract_lane(c01, 0); b01 = f64x2.extract_lane(c01, 1);
    a10 = f64x2.extract_lane(c10, 0); b10 = f64x2.extract_lane(c10, 1);
    a11 = f64x2.extract_lane(c11, 0); b11 = f64x2.extract_lane(c11, 1);
  } else {
    for (let j = 0; j < k2; j += 2) {
      const off = <usize>j << 3;
      const p0 = load<f64>(x0 + off), p0b = load<f64>(x0 + off, 8);
      const p1 = load<f64>(x1 + off), p1b = load<f64>(x1 + off, 8);
      const q0 = load<f64>(v0 + off), q0b = load<f64>(v0 + off, 8);
      const q1 = load<f64>(v1 + off), q1b = load<f64>(v1 + off, 8);
      a00 += p0 * q0; b00 += p0b * q0b;
      a01 += p0 * q1; b01 += p0b * q1b;
      a10 += p1 * q0; b10 += p1b * q0b;
      a11 += p1 * q1; b11 += p1b * q1b;
    }
  }
  if (k2 < k) {
    const p0 = ldf(x0, k2), p1 = ldf(x1, k2), q0 = ldf(v0, k2), q1 = ldf(v1, k2);
    a00 += p0 * q0; a01 += p0 * q1; a10 += p1 * q0; a11 += p1 * q1;
  }
  d00 = a00 + b00;
  d01 = a01 + b01;
  d10 = a10 + b10;
  d11 = a11 + b11;
}

/**
 * Forward substitution in place: b := L^{-1} b, b[i] = (b[i] - L[i][0:i] . b[0:i]) / L[i][i]
 * (the dot in the vec.dotPairs order, as in the factorisation).
 */
export function laSolveLower(L: usize, n: i32, b: usize): void {
  const rb = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const Li = L + <usize>i * rb;
    const o = <usize>i << 3;
    store<f64>(b + o, (load<f64>(b + o) - dotPairs(Li, b, i)) / load<f64>(Li + o));
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
