// Scale-aware fitting helpers (issue 11): a numerical rank for PCR's k, and exact power-of-two
// column scaling so X around 1e200 or 1e-200 neither overflows the sums of squares nor looks
// constant (standardised models do not depend on column scales, so the fit is the same).

import { InputError } from '../errors.js';
import { correlationEigen } from './spectrum.js';
import type { Standardized } from './types.js';
import type { GlassboxModel } from './model-file.js';

/**
 * Numerical rank of the correlation matrix C: eigenvalues above lambda_max * p * eps (the
 * limit PCR's solver applies, 1/(p eps) on the condition number). PCR's k is capped there.
 */
export function numericalRank(std: Standardized): number {
  if (std.p === 0) return 0;
  const ev = correlationEigen(std).values;
  const tol = ev[0] * std.p * Number.EPSILON * 4;
  let r = 0;
  for (let i = 0; i < ev.length; i++) if (ev[i] > tol) r++;
  return Math.max(1, r);
}

/** Columns whose largest |value| lies outside [LOW, HIGH] are rescaled by a power of two. */
const LOW = 1e-100, HIGH = 1e100;

/**
 * Power-of-two factors s_j (1 for ordinary columns) such that max |X[:, j] s_j| is about 1, and
 * the scaled copy of X (or X itself when no column needs it). Exact: multiplying by 2^k only
 * changes exponents. y is checked: its sums of squares must stay finite.
 */
export function scaleColumns(X: Float64Array, y: Float64Array, n: number, p: number): { X: Float64Array; s: Float64Array | null } {
  let ymax = 0;
  for (let i = 0; i < n; i++) ymax = Math.max(ymax, Math.abs(y[i]));
  if (ymax > 1e150) throw new InputError(`y reaches ${ymax.toExponential(2)}: its sums of squares overflow double precision; divide y by a power of ten (the model is linear, coefficients scale with it)`);
  if (ymax > 0 && ymax < 1e-150) throw new InputError(`y is at most ${ymax.toExponential(2)}: its variance underflows double precision; multiply y by a power of ten (the model is linear, coefficients scale with it)`);
  const max = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) max[j] = Math.max(max[j], Math.abs(X[i * p + j]));
  let s: Float64Array | null = null;
  for (let j = 0; j < p; j++) {
    if (max[j] > 0 && (max[j] > HIGH || max[j] < LOW)) {
      s ??= new Float64Array(p).fill(1);
      s[j] = 2 ** -Math.round(Math.log2(max[j]));
    }
  }
  if (!s) return { X, s: null };
  const out = new Float64Array(X.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) out[i * p + j] = X[i * p + j] * s[j];
  return { X: out, s };
}

/** Undo scaleColumns on a model fitted to the scaled X: coef_j = coef'_j s_j, scaler / s_j. */
export function unscaleModel(m: GlassboxModel, s: Float64Array): void {
  const p = m.coef.length;
  for (let j = 0; j < p; j++) m.coef[j] *= s[j];
  const perKept = m.scaler.mean.length !== p;
  m.scaler.mean = m.scaler.mean.map((v, k) => v / s[perKept ? m.scaler.kept[k] : k]);
  m.scaler.std = m.scaler.std.map((v, k) => v / s[perKept ? m.scaler.kept[k] : k]);
}
