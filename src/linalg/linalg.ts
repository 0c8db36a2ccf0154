// Dense linear algebra facade over assembly/linalg/ (row-major Float64Array in, fresh arrays
// out; inputs are never modified). Plain-TS oracles of every kernel: src/reference/linalg.ts.
//
// Every wrapper takes an optional `wasm` (a specific kernel instance, e.g. the scalar build
// from loadNodeWasm(false)); by default the process-wide instance from `wasm()`.
//
// Numerical singularity (used by OLS, PCR and the Cholesky helpers; ../shared/spec/regression.md):
// a symmetric positive semi-definite matrix C of order p is *numerically singular* when its
// Cholesky factorisation fails (a pivot <= 0) or its condition number
//   cond(C) = lambda_max / lambda_min  >=  1 / (p * eps),   eps = 2^-52,
// i.e. when its smallest eigenvalue is at the level of the rounding error p * eps * lambda_max
// that forming C from data leaves in every eigenvalue (lambda_min <= 0 gives cond = Infinity).
// Then a solve fails with a SingularMatrixError (a NumericalError) naming the condition number;
// no pseudo-inverse is ever substituted silently.

import { InputError, NumericalError } from '../errors.js';
import { wasm as defaultWasm } from '../wasm/runtime.js';
import type { Wasm } from '../wasm/memory.js';

/** Which kernel instance to use (default: the process-wide one). */
export interface KernelOptions {
  wasm?: Wasm;
}

const EPS = 2 ** -52;

/** The singularity threshold of the module comment: cond(C) >= 1 / (p eps). */
export function singularConditionLimit(p: number): number {
  return 1 / (Math.max(1, p) * EPS);
}

/** A matrix was numerically singular (see the module comment); carries its condition number. */
export class SingularMatrixError extends NumericalError {
  readonly conditionNumber: number;
  readonly limit: number;
  constructor(what: string, conditionNumber: number, limit: number, extra = '') {
    super(
      `${what} is numerically singular: condition number ${conditionNumber.toExponential(4)} ` +
        `(limit 1/(p*eps) = ${limit.toExponential(4)})${extra ? '; ' + extra : ''}. ` +
        'Remove collinear or constant features, or use ridge, elastic net or PCR.',
    );
    this.conditionNumber = conditionNumber;
    this.limit = limit;
  }
}

function kw(opts?: KernelOptions): Wasm {
  return opts?.wasm ?? defaultWasm();
}

function checkSquare(A: ArrayLike<number>, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${what}: order n must be a non-negative integer, got ${n}`);
  if (A.length !== n * n) throw new InputError(`${what}: expected ${n}x${n} = ${n * n} values (row-major), got ${A.length}`);
}

function checkFinite(A: ArrayLike<number>, what: string): void {
  for (let i = 0; i < A.length; i++) {
    if (!Number.isFinite(A[i])) throw new InputError(`${what}: entry ${i} is ${A[i]} (expected finite numbers)`);
  }
}

// ---------------------------------------------------------------- Gram accumulation

/** Raw sums of a Gram accumulation around a shift (see GramAccumulator). */
export interface GramSums {
  p: number;
  n: number;
  /** sum_r (X[r][j] - shift[j]) */
  sumX: Float64Array;
  /** sum_r (y[r] - yShift) */
  sumY: number;
  /** Z^T Z, p*p row-major (full symmetric), Z = X - 1 shift^T */
  XtX: Float64Array;
  /** Z^T u, u = y - yShift */
  Xty: Float64Array;
  /** u^T u */
  yty: number;
}

export interface GramOptions extends KernelOptions {
  /** subtract this from every row before accumulating (length p); default: none */
  shift?: Float64Array;
  /** subtract this from y; default 0 */
  yShift?: number;
  /** rows per packed panel of the blocked kernel (default 256) */
  panelRows?: number;
}

/**
 * Streaming Gram accumulator in wasm memory. For blocks (X: rows x p row-major, y: length
 * rows or null) it accumulates, with Z = X - 1 shift^T and u = y - yShift:
 *   Z^T Z, Z^T u, 1^T Z, 1^T u, u^T u, n
 * (blocked SIMD kernel laGramAccumulate). Call free() when done.
 */
export class GramAccumulator {
  readonly w: Wasm;
  readonly p: number;
  readonly P: number;
  readonly panelRows: number;
  readonly shift: Float64Array | null;
  readonly yShift: number;
  private acc: number;
  private pack: number;
  private shiftPtr: number;
  private stage = 0;
  private stageRows = 0;
  private freed = false;

  constructor(p: number, opts: GramOptions = {}) {
    if (!Number.isInteger(p) || p < 0) throw new InputError(`GramAccumulator: p must be a non-negative integer, got ${p}`);
    this.w = kw(opts);
    this.p = p;
    this.panelRows = opts.panelRows ?? 256;
    if (!Number.isInteger(this.panelRows) || this.panelRows < 1) throw new InputError(`GramAccumulator: panelRows must be a positive integer, got ${opts.panelRows}`);
    const e = this.w.exports;
    this.P = e.laGramWidth(p);
    this.shift = opts.shift ? Float64Array.from(opts.shift) : null;
    if (this.shift && this.shift.length !== p) throw new InputError(`GramAccumulator: shift has length ${this.shift.length}, expected p = ${p}`);
    this.yShift = opts.yShift ?? 0;
    this.acc = this.w.allocRaw(this.P * this.P, 8, 'Gram accumulator (p x p)');
    this.pack = this.w.allocRaw(e.laGramPackSize(p, this.panelRows), 8, 'Gram panel');
    this.shiftPtr = 0;
    if (this.shift) {
      this.shiftPtr = this.w.allocRaw(Math.max(1, p), 8, 'column shifts');
      this.w.viewF64(this.shiftPtr, p).set(this.shift);
    }
    this.reset();
  }

  /** Zero the sums. */
  reset(): void {
    this.check();
    this.w.viewF64(this.acc, this.P * this.P).fill(0);
  }

  /** Add the rows of X (rows x p row-major) and y (length rows, or null: u = 0). */
  add(X: Float64Array, y: Float64Array | null, rows: number): void {
    this.check();
    const p = this.p;
    if (!Number.isInteger(rows) || rows < 0) throw new InputError(`GramAccumulator.add: rows must be a non-negative integer, got ${rows}`);
    if (X.length !== rows * p) throw new InputError(`GramAccumulator.add: X has ${X.length} values, expected rows*p = ${rows}*${p}`);
    if (y && y.length !== rows) throw new InputError(`GramAccumulator.add: y has length ${y.length}, expected rows = ${rows}`);
    if (rows === 0) return;
    // copy in chunks of about 4 MB (a whole number of panels) and accumulate each
    const chunk = Math.max(this.panelRows, Math.floor(Math.max(1, (1 << 19) / Math.max(1, p)) / this.panelRows) * this.panelRows);
    const need = Math.min(rows, chunk);
    if (this.stageRows < need) {
      if (this.stage) this.w.exports.free(this.stage);
      this.stage = this.w.allocRaw(need * (p + 1), 8, 'row chunk');
      this.stageRows = need;
    }
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const R = Math.min(chunk, rows - r0);
      const xs = this.stage;
      const ys = this.stage + this.stageRows * p * 8;
      this.w.viewF64(xs, R * p).set(X.subarray(r0 * p, (r0 + R) * p));
      if (y) this.w.viewF64(ys, R).set(y.subarray(r0, r0 + R));
      this.addPtr(xs, y ? ys : 0, R);
    }
  }

  /** Add rows already in wasm memory (byte addresses; yPtr 0: u = 0). */
  addPtr(Xptr: number, yPtr: number, rows: number): void {
    this.check();
    this.w.exports.laGramAccumulate(Xptr, yPtr, rows, this.p, this.shiftPtr, this.yShift, this.acc, this.pack, this.panelRows);
  }

  /** The sums accumulated so far (copied out). */
  sums(): GramSums {
    this.check();
    const p = this.p;
    return this.w.scoped((s) => {
      const XtX = s.f64(p * p), Xty = s.f64(p), sumX = s.f64(p), scal = s.f64(3);
      this.w.exports.laGramExtract(this.acc, p, XtX.ptr, Xty.ptr, sumX.ptr, scal.ptr);
      const sc = scal.toArray();
      return { p, n: sc[0], sumX: sumX.toArray(), sumY: sc[1], XtX: XtX.toArray(), Xty: Xty.toArray(), yty: sc[2] };
    });
  }

  free(): void {
    if (this.freed) return;
    const e = this.w.exports;
    e.free(this.acc);
    e.free(this.pack);
    if (this.shiftPtr) e.free(this.shiftPtr);
    if (this.stage) e.free(this.stage);
    this.freed = true;
  }

  private check(): void {
    if (this.freed) throw new InputError('GramAccumulator used after free()');
  }
}

/** One-shot Gram sums of a block: Z^T Z, Z^T u, ... with Z = X - 1 shift^T (GramAccumulator). */
export function gram(X: Float64Array, y: Float64Array | null, rows: number, p: number, opts: GramOptions = {}): GramSums {
  const acc = new GramAccumulator(p, opts);
  try {
    acc.add(X, y, rows);
    return acc.sums();
  } finally {
    acc.free();
  }
}

/** Column sums out[j] = sum_r X[r][j] of a row-major rows x p block (laColumnSums). */
export function columnSums(X: Float64Array, rows: number, p: number, opts?: KernelOptions): Float64Array {
  if (X.length !== rows * p) throw new InputError(`columnSums: X has ${X.length} values, expected rows*p = ${rows}*${p}`);
  const w = kw(opts);
  return w.scoped((s) => {
    const out = s.f64(p);
    const chunk = Math.max(1, Math.floor((1 << 19) / Math.max(1, p)));
    const part = s.f64(p);
    const stage = s.f64(Math.min(rows, chunk) * p);
    out.view.fill(0);
    for (let r0 = 0; r0 < rows; r0 += chunk) {
      const R = Math.min(chunk, rows - r0);
      w.viewF64(stage.ptr, R * p).set(X.subarray(r0 * p, (r0 + R) * p));
      w.exports.laColumnSums(stage.ptr, R, p, part.ptr);
      const o = out.view, q = part.view;
      for (let j = 0; j < p; j++) o[j] += q[j];
    }
    return out.toArray();
  });
}

/** Matrix-vector product out = A x + c (A: m x n row-major, c a scalar; laGemv). */
export function gemv(A: Float64Array, m: number, n: number, x: ArrayLike<number>, opts?: KernelOptions & { offset?: number }): Float64Array {
  if (A.length !== m * n) throw new InputError(`gemv: A has ${A.length} values, expected m*n = ${m}*${n}`);
  if (x.length !== n) throw new InputError(`gemv: x has length ${x.length}, expected ${n}`);
  const w = kw(opts);
  return w.scoped((s) => {
    const xb = s.f64From(x);
    const out = s.f64(m);
    const chunk = Math.max(1, Math.floor((1 << 19) / Math.max(1, n)));
    const stage = s.f64(Math.min(m, chunk) * n);
    const res = new Float64Array(m);
    for (let r0 = 0; r0 < m; r0 += chunk) {
      const R = Math.min(chunk, m - r0);
      w.viewF64(stage.ptr, R * n).set(A.subarray(r0 * n, (r0 + R) * n));
      w.exports.laGemv(stage.ptr, R, n, xb.ptr, opts?.offset ?? 0, out.ptr);
      res.set(w.viewF64(out.ptr, R), r0);
    }
    return res;
  });
}

// ---------------------------------------------------------------- Cholesky

export interface CholeskyResult {
  /** lower factor, n x n row-major (strict upper triangle 0); valid only when failIndex < 0 */
  L: Float64Array;
  /** -1 on success, else the first row whose pivot was <= 0 (not positive definite) */
  failIndex: number;
}

/** A = L L^T for symmetric A (lower triangle read). Never throws for indefinite A: see failIndex. */
export function cholesky(A: ArrayLike<number>, n: number, opts?: KernelOptions): CholeskyResult {
  checkSquare(A, n, 'cholesky');
  const w = kw(opts);
  return w.scoped((s) => {
    const buf = s.f64From(A);
    const failIndex = w.exports.laCholesky(buf.ptr, n);
    return { L: buf.toArray(), failIndex };
  });
}

/** x = A^{-1} b given A's Cholesky factor L (forward then back substitution). */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>, opts?: KernelOptions): Float64Array {
  checkSquare(L, n, 'choleskySolve');
  if (b.length % Math.max(1, n) !== 0 || (n === 0 && b.length !== 0)) throw new InputError(`choleskySolve: b has length ${b.length}, expected a multiple of n = ${n}`);
  const w = kw(opts);
  return w.scoped((s) => {
    const lb = s.f64From(L);
    const bb = s.f64From(b);
    w.exports.laCholeskySolveMany(lb.ptr, n, bb.ptr, n === 0 ? 0 : b.length / n);
    return bb.toArray();
  });
}

/** x = L^{-1} b (forward substitution; L lower, row-major). */
export function solveLower(L: Float64Array, n: number, b: ArrayLike<number>, opts?: KernelOptions): Float64Array {
  return triSolve('laSolveLower', L, n, b, opts);
}

/** x = L^{-T} b (back substitution with the transpose of lower L). */
export function solveLowerT(L: Float64Array, n: number, b: ArrayLike<number>, opts?: KernelOptions): Float64Array {
  return triSolve('laSolveLowerT', L, n, b, opts);
}

/** x = U^{-1} b (back substitution; U upper, row-major). */
export function solveUpper(U: Float64Array, n: number, b: ArrayLike<number>, opts?: KernelOptions): Float64Array {
  return triSolve('laSolveUpper', U, n, b, opts);
}

function triSolve(kernel: 'laSolveLower' | 'laSolveLowerT' | 'laSolveUpper', T: Float64Array, n: number, b: ArrayLike<number>, opts?: KernelOptions): Float64Array {
  checkSquare(T, n, kernel);
  if (b.length !== n) throw new InputError(`${kernel}: b has length ${b.length}, expected ${n}`);
  const w = kw(opts);
  return w.scoped((s) => {
    const tb = s.f64From(T);
    const bb = s.f64From(b);
    w.exports[kernel](tb.ptr, n, bb.ptr);
    return bb.toArray();
  });
}

// ---------------------------------------------------------------- symmetric eigen

export interface SymEigen {
  n: number;
  /** eigenvalues, descending */
  values: Float64Array;
  /** n x n row-major, column j = eigenvector j (unit norm, its largest-|entry| positive); null when not requested */
  vectors: Float64Array | null;
}

export interface EigenOptions extends KernelOptions {
  /** compute eigenvectors (default true) */
  vectors?: boolean;
  /** QL iterations allowed per eigenvalue (default 50) before a NumericalError */
  maxIter?: number;
  /** what the matrix is, for error messages (default 'matrix') */
  what?: string;
}

/**
 * A = V diag(values) V^T for symmetric A (n x n row-major): Householder tridiagonalisation and
 * implicit QL (laSymEigen). Throws NumericalError when the QL iteration does not converge
 * within maxIter iterations for some eigenvalue, and InputError for non-finite or
 * non-symmetric input (|A_ij - A_ji| > 1e-10 max|A|).
 */
export function symEigen(A: ArrayLike<number>, n: number, opts: EigenOptions = {}): SymEigen {
  const what = opts.what ?? 'matrix';
  checkSquare(A, n, `symEigen(${what})`);
  checkFinite(A, `symEigen(${what})`);
  let amax = 0;
  for (let i = 0; i < A.length; i++) amax = Math.max(amax, Math.abs(A[i]));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(A[i * n + j] - A[j * n + i]) > 1e-10 * amax) {
        throw new InputError(`symEigen(${what}): not symmetric: A[${i}][${j}] = ${A[i * n + j]} but A[${j}][${i}] = ${A[j * n + i]}`);
      }
    }
  }
  const wantVectors = opts.vectors ?? true;
  const maxIter = opts.maxIter ?? 50;
  const w = kw(opts);
  return w.scoped((s) => {
    const a = s.f64From(A);
    const vals = s.f64(Math.max(1, n));
    const vecs = s.f64(wantVectors ? Math.max(1, n * n) : 1);
    const work = s.f64(Math.max(1, w.exports.laSymEigenWorkSize(n)));
    const status = w.exports.laSymEigen(a.ptr, n, vals.ptr, vecs.ptr, work.ptr, maxIter, wantVectors ? 1 : 0);
    if (status !== 0) {
      throw new NumericalError(`symEigen(${what}): the implicit QL iteration did not converge for eigenvalue ${status - 1} of ${n} within ${maxIter} iterations (option maxIter)`);
    }
    return { n, values: vals.toArray().subarray(0, n), vectors: wantVectors ? vecs.toArray().subarray(0, n * n) : null };
  });
}

/**
 * Solutions of (s A + alpha_a I) w_a = s b for every alpha_a, through the tridiagonal form of the
 * symmetric A (laRidgePathTridiag: ~4/3 n^3 flops once, O(n^2) per alpha, no eigenvectors), and
 * the extreme eigenvalues of A (for a condition check). NumericalError when QL on T does not
 * converge within maxIter iterations per eigenvalue.
 */
export function ridgePathTridiag(A: ArrayLike<number>, n: number, b: ArrayLike<number>, s: number, alphas: readonly number[], opts: EigenOptions = {}): { W: Float64Array[]; lambdaMax: number; lambdaMin: number } {
  const what = opts.what ?? 'matrix';
  checkSquare(A, n, `ridgePathTridiag(${what})`);
  checkFinite(A, `ridgePathTridiag(${what})`);
  if (b.length !== n) throw new InputError(`ridgePathTridiag(${what}): b has length ${b.length}, expected ${n}`);
  const m = alphas.length;
  const maxIter = opts.maxIter ?? 50;
  const w = kw(opts);
  return w.scoped((sc) => {
    const a = sc.f64From(A);
    const bb = sc.f64From(b);
    const al = sc.f64From(alphas.length ? alphas : [0]);
    const out = sc.f64(Math.max(1, m * n));
    const lam = sc.f64(2);
    const work = sc.f64(Math.max(1, w.exports.laRidgePathTridiagWorkSize(n)));
    const status = w.exports.laRidgePathTridiag(a.ptr, n, bb.ptr, s, al.ptr, m, out.ptr, lam.ptr, work.ptr, maxIter);
    if (status !== 0) {
      throw new NumericalError(`ridgePathTridiag(${what}): the implicit QL iteration did not converge for eigenvalue ${status - 1} of ${n} within ${maxIter} iterations (option maxIter)`);
    }
    const flat = out.toArray();
    const l = lam.toArray();
    return { W: alphas.map((_, k) => flat.slice(k * n, (k + 1) * n)), lambdaMax: l[0], lambdaMin: l[1] };
  });
}

/** Condition number lambda_max / lambda_min of a symmetric PSD matrix from its eigenvalues (Infinity if lambda_min <= 0). */
export function conditionFromEigenvalues(values: ArrayLike<number>): number {
  if (values.length === 0) return 1;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  if (!(lo > 0)) return Infinity;
  return hi / lo;
}

/**
 * Cholesky of a symmetric PSD matrix that must be numerically non-singular (module comment):
 * returns L, or throws SingularMatrixError naming the condition number when the factorisation
 * fails or cond >= 1/(p eps). `checkCondition` (default true) computes the eigenvalues to test
 * the condition number even when the factorisation succeeds (and returns it).
 */
export function choleskyChecked(A: ArrayLike<number>, n: number, what: string, opts: KernelOptions & { checkCondition?: boolean } = {}): { L: Float64Array; conditionNumber: number } {
  const limit = singularConditionLimit(n);
  const { L, failIndex } = cholesky(A, n, opts);
  let cond = NaN;
  if (failIndex >= 0 || (opts.checkCondition ?? true)) {
    cond = conditionFromEigenvalues(symEigen(A, n, { wasm: opts.wasm, vectors: false, what }).values);
  }
  if (failIndex >= 0) throw new SingularMatrixError(what, cond, limit, `Cholesky pivot ${failIndex} was not positive`);
  if (cond >= limit) throw new SingularMatrixError(what, cond, limit);
  return { L, conditionNumber: cond };
}

// ---------------------------------------------------------------- SVD

export interface SVDResult {
  m: number;
  n: number;
  /** m x n row-major, column j = left singular vector j (0 when s_j <= 4 max(m,n) eps ||A||_F: numerically zero) */
  U: Float64Array;
  /** singular values, descending, length n */
  s: Float64Array;
  /** n x n row-major, column j = right singular vector j (largest-|entry| positive) */
  V: Float64Array;
  sweeps: number;
}

/**
 * Thin SVD A = U diag(s) V^T (A: m x n row-major) by one-sided Jacobi (laSvdJacobi).
 * Throws NumericalError when maxSweeps (default 60) sweeps do not converge.
 */
export function svd(A: ArrayLike<number>, m: number, n: number, opts: KernelOptions & { maxSweeps?: number; tol?: number } = {}): SVDResult {
  if (A.length !== m * n) throw new InputError(`svd: A has ${A.length} values, expected m*n = ${m}*${n}`);
  checkFinite(A, 'svd');
  const maxSweeps = opts.maxSweeps ?? 60;
  const tol = opts.tol ?? EPS * Math.max(1, m);
  const w = kw(opts);
  return w.scoped((s) => {
    const a = s.f64From(A);
    const U = s.f64(Math.max(1, m * n)), S = s.f64(Math.max(1, n)), V = s.f64(Math.max(1, n * n));
    const work = s.f64(Math.max(1, w.exports.laSvdWorkSize(m, n)));
    const sweeps = w.exports.laSvdJacobi(a.ptr, m, n, U.ptr, S.ptr, V.ptr, work.ptr, maxSweeps, tol);
    if (sweeps < 0) throw new NumericalError(`svd: one-sided Jacobi did not converge in ${maxSweeps} sweeps (option maxSweeps)`);
    return { m, n, U: U.toArray().subarray(0, m * n), s: S.toArray().subarray(0, n), V: V.toArray().subarray(0, n * n), sweeps };
  });
}

/**
 * Minimum-norm least squares x = argmin ||A x - b|| (smallest ||x|| among minimisers) by the
 * SVD, with singular values s_j <= rcond * s_max treated as zero (default rcond = max(m, n) eps,
 * as numpy.linalg.lstsq). A diagnostic tool: OLS never falls back to it. Returns x and the rank.
 */
export function lstsqMinNorm(A: ArrayLike<number>, m: number, n: number, b: ArrayLike<number>, opts: KernelOptions & { rcond?: number } = {}): { x: Float64Array; rank: number; s: Float64Array } {
  if (b.length !== m) throw new InputError(`lstsqMinNorm: b has length ${b.length}, expected m = ${m}`);
  const { U, s, V } = svd(A, m, n, opts);
  const rcond = opts.rcond ?? EPS * Math.max(m, n);
  const cut = rcond * (s.length ? s[0] : 0);
  const x = new Float64Array(n);
  let rank = 0;
  for (let j = 0; j < n; j++) {
    if (!(s[j] > cut)) continue;
    rank++;
    let g = 0;
    for (let i = 0; i < m; i++) g += U[i * n + j] * b[i];
    g /= s[j];
    for (let i = 0; i < n; i++) x[i] += V[i * n + j] * g;
  }
  return { x, rank, s };
}
