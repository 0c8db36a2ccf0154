// Ordinary least squares on the standardised problem (../shared/spec/regression.md):
//   minimise ||yc - Xs w||^2   <=>   (Xs^T Xs) w = Xs^T yc   <=>   C w = c,
// solved by Cholesky of C. When C is numerically singular (Cholesky failure, or
// cond(C) >= 1/(p eps); see src/linalg/linalg.ts) the fit fails with a SingularMatrixError that names
// the condition number: no silent pseudo-inverse.

import { choleskyChecked, choleskySolve, type KernelOptions } from '../linalg/linalg.js';
import { makeFit } from './coef.js';
import type { LinearFit, Standardized } from './types.js';

/** Standardised OLS coefficients (kept columns) and cond(C). Throws SingularMatrixError. */
export function olsCoefStd(std: Standardized, opts?: KernelOptions): { w: Float64Array; conditionNumber: number } {
  if (std.p === 0) return { w: new Float64Array(0), conditionNumber: 1 };
  const { L, conditionNumber } = choleskyChecked(std.C, std.p, 'OLS: the correlation matrix C = Xs^T Xs / n', { wasm: opts?.wasm });
  return { w: choleskySolve(L, std.p, std.c, opts), conditionNumber };
}

/** OLS fit in standardised and original units (info.conditionNumber = cond(C)). */
export function fitOLS(std: Standardized, opts?: KernelOptions): LinearFit {
  const { w, conditionNumber } = olsCoefStd(std, opts);
  return makeFit('ols', {}, std, w, { conditionNumber });
}
