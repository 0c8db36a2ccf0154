// Ridge regression on the standardised problem (sklearn Ridge; penalty not divided by n):
//   minimise ||yc - Xs w||^2 + alpha ||w||^2   <=>   (n C + alpha I) w = n c.
// A whole alpha grid from ONE eigendecomposition C = V diag(lambda) V^T:
//   w(alpha) = V diag(1 / (n lambda + alpha)) V^T (n c)
// (z = V^T (n c) once, then O(p^2) per alpha); or, for one alpha, by Cholesky of n C + alpha I.
// A ridge matrix is numerically singular (SingularMatrixError) when
//   (n lambda_max + alpha) / (n lambda_min + alpha) >= 1 / (p eps)   (only possible for alpha ~ 0).

import { InputError } from '../errors.js';
import { SingularMatrixError, choleskyChecked, choleskySolve, gemvMany, singularConditionLimit, type KernelOptions } from '../linalg/linalg.js';
import { makeFit } from './coef.js';
import { correlationEigen } from './spectrum.js';
import type { LinearFit, Standardized } from './types.js';

function checkAlpha(alpha: number, what: string): void {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new InputError(`${what}: alpha must be a finite number >= 0, got ${alpha}`);
}

/** Standardised ridge coefficients for every alpha, from one eigendecomposition of C. */
export function ridgePathStd(std: Standardized, alphas: readonly number[], opts?: KernelOptions): Float64Array[] {
  alphas.forEach((a) => checkAlpha(a, 'ridge'));
  const p = std.p, n = std.n;
  if (p === 0) return alphas.map(() => new Float64Array(0));
  const { values, vectors } = correlationEigen(std, opts);
  const V = vectors!;
  // z = V^T (n c)
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const nc = n * std.c[i];
    for (let k = 0; k < p; k++) z[k] += V[i * p + k] * nc;
  }
  const limit = singularConditionLimit(p);
  const lmax = values[0], lmin = values[p - 1];
  const gs = alphas.map((alpha) => {
    const hi = n * lmax + alpha, lo = n * lmin + alpha;
    const cond = lo > 0 ? hi / lo : Infinity;
    if (cond >= limit) throw new SingularMatrixError(`ridge (alpha = ${alpha}): n C + alpha I`, cond, limit);
    const g = new Float64Array(p);
    for (let k = 0; k < p; k++) g[k] = z[k] / (n * values[k] + alpha);
    return g;
  });
  // w(alpha) = V g(alpha), all alphas with one copy of V into wasm
  return gemvMany(V, p, p, gs, opts);
}

/** Standardised ridge coefficients for one alpha by Cholesky of n C + alpha I. */
export function ridgeCholeskyStd(std: Standardized, alpha: number, opts?: KernelOptions): Float64Array {
  checkAlpha(alpha, 'ridge');
  const p = std.p, n = std.n;
  if (p === 0) return new Float64Array(0);
  const A = new Float64Array(p * p);
  for (let i = 0; i < p * p; i++) A[i] = n * std.C[i];
  for (let i = 0; i < p; i++) A[i * p + i] += alpha;
  const b = new Float64Array(p);
  for (let i = 0; i < p; i++) b[i] = n * std.c[i];
  const { L } = choleskyChecked(A, p, `ridge (alpha = ${alpha}): n C + alpha I`, { wasm: opts?.wasm, checkCondition: alpha === 0 });
  return choleskySolve(L, p, b, opts);
}

/**
 * One ridge fit; method 'cholesky' (default: one factorisation of n C + alpha I, ~p^3/3 flops) or
 * 'eigen' (through the eigendecomposition of C cached on `std`, ~9 p^3 flops the first time: the
 * choice when a whole grid or PCR of the same data follows). The two agree to rounding.
 */
export function fitRidge(std: Standardized, alpha: number, opts: KernelOptions & { method?: 'eigen' | 'cholesky' } = {}): LinearFit {
  const method = opts.method ?? 'cholesky';
  if (method !== 'eigen' && method !== 'cholesky') throw new InputError(`fitRidge: option method must be 'eigen' or 'cholesky', got '${method}'`);
  const w = method === 'eigen' ? ridgePathStd(std, [alpha], opts)[0] : ridgeCholeskyStd(std, alpha, opts);
  return makeFit('ridge', { alpha }, std, w, { method });
}

/** Ridge fits for a whole alpha grid from one eigendecomposition. */
export function fitRidgePath(std: Standardized, alphas: readonly number[], opts?: KernelOptions): LinearFit[] {
  return ridgePathStd(std, alphas, opts).map((w, i) => makeFit('ridge', { alpha: alphas[i] }, std, w, { method: 'eigen' }));
}
