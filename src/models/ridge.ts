// Ridge regression on the standardised problem (sklearn Ridge; penalty not divided by n):
//   minimise ||yc - Xs w||^2 + alpha ||w||^2   <=>   (n C + alpha I) w = n c.
// A whole alpha grid from ONE tridiagonalisation C = Q T Q^T (the first step of an
// eigendecomposition, ~4/3 p^3 flops): (n T + alpha I) u = n Q^T c, w(alpha) = Q u, O(p^2) per
// alpha (the eigen form V diag(1 / (n lambda + alpha)) V^T (n c) without the eigenvectors); or,
// for one alpha, by Cholesky of n C + alpha I.
// A ridge matrix is numerically singular (SingularMatrixError) when
//   (n lambda_max + alpha) / (n lambda_min + alpha) >= 1 / (p eps)   (only possible for alpha ~ 0).

import { InputError } from '../errors.js';
import { SingularMatrixError, choleskyChecked, choleskySolve, ridgePathTridiag, singularConditionLimit, type KernelOptions } from '../linalg/linalg.js';
import { makeFit } from './coef.js';
import type { LinearFit, Standardized } from './types.js';

function checkAlpha(alpha: number, what: string): void {
  if (!(alpha >= 0) || !Number.isFinite(alpha)) throw new InputError(`${what}: alpha must be a finite number >= 0, got ${alpha}`);
}

/**
 * Standardised ridge coefficients for every alpha, through the tridiagonal form of C
 * (C = Q T Q^T, then (n T + alpha I) u = n Q^T c and w = Q u per alpha: linalg ridgePathTridiag),
 * algebraically the eigen form w(alpha) = V diag(1 / (n lambda + alpha)) V^T (n c) without the
 * eigenvectors (~7x fewer flops; the two agree to rounding: test/linalg.test.ts).
 */
export function ridgePathStd(std: Standardized, alphas: readonly number[], opts?: KernelOptions): Float64Array[] {
  alphas.forEach((a) => checkAlpha(a, 'ridge'));
  const p = std.p, n = std.n;
  if (p === 0) return alphas.map(() => new Float64Array(0));
  const { W, lambdaMax, lambdaMin } = ridgePathTridiag(std.C, p, std.c, n, alphas, { wasm: opts?.wasm, what: 'correlation matrix C' });
  const limit = singularConditionLimit(p);
  for (const alpha of alphas) {
    const hi = n * lambdaMax + alpha, lo = n * lambdaMin + alpha;
    const cond = lo > 0 ? hi / lo : Infinity;
    if (cond >= limit) throw new SingularMatrixError(`ridge (alpha = ${alpha}): n C + alpha I`, cond, limit);
  }
  return W;
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
 * 'path' (ridgePathStd at this one alpha). The two agree to rounding.
 */
export function fitRidge(std: Standardized, alpha: number, opts: KernelOptions & { method?: 'cholesky' | 'path' } = {}): LinearFit {
  const method = opts.method ?? 'cholesky';
  if (method !== 'path' && method !== 'cholesky') throw new InputError(`fitRidge: option method must be 'cholesky' or 'path', got '${method}'`);
  const w = method === 'path' ? ridgePathStd(std, [alpha], opts)[0] : ridgeCholeskyStd(std, alpha, opts);
  return makeFit('ridge', { alpha }, std, w, { method });
}

/** Ridge fits for a whole alpha grid from one tridiagonalisation. */
export function fitRidgePath(std: Standardized, alphas: readonly number[], opts?: KernelOptions): LinearFit[] {
  return ridgePathStd(std, alphas, opts).map((w, i) => makeFit('ridge', { alpha: alphas[i] }, std, w, { method: 'path' }));
}
