// From standardised coefficients to a LinearFit in original units, and prediction
// (../shared/spec/regression.md, Standardisation):
//   coef_j = w_j / std_j,   intercept = yMean - sum_j coef_j mean_j,
//   prediction  yhat = X coef + intercept.
// With per-configuration centring, a configuration's columns are centred on its own means:
//   yhat = (X - 1 m^T) coef + intercept,   m = that configuration's column means,
// i.e. deviations from the configuration's mean propensity (intercept ~ 0).

import { InputError } from '../errors.js';
import { columnSums, gemv, type KernelOptions } from '../linalg/linalg.js';
import { defaultNames } from './stats.js';
import type { LinearFit, Standardized } from './types.js';

/** Number of original columns of a standardised problem. */
export function originalWidth(std: Standardized): number {
  return std.pOriginal ?? std.p + std.dropped.length;
}

/**
 * Map standardised coefficients w (length std.p, kept columns) to the original columns:
 * coefStd (0 for dropped columns), coef_j = w_j / std_j, intercept = yMean - sum_j coef_j mean_j.
 */
export function toOriginalUnits(std: Standardized, w: ArrayLike<number>): { coefStd: Float64Array; coef: Float64Array; intercept: number } {
  if (w.length !== std.p) throw new InputError(`toOriginalUnits: ${w.length} coefficients for ${std.p} kept columns`);
  const P = originalWidth(std);
  const coefStd = new Float64Array(P), coef = new Float64Array(P);
  let intercept = std.yMean;
  for (let a = 0; a < std.p; a++) {
    const j = std.kept[a];
    coefStd[j] = w[a];
    coef[j] = w[a] / std.std[a];
    intercept -= coef[j] * std.mean[a];
  }
  return { coefStd, coef, intercept };
}

/** Standardised coefficients of the kept columns (length std.p) from a fit's coefStd (length p_original). */
export function keptCoefStd(std: Standardized, fit: LinearFit): Float64Array {
  const w = new Float64Array(std.p);
  for (let a = 0; a < std.p; a++) w[a] = fit.coefStd[std.kept[a]];
  return w;
}

/** Assemble a LinearFit from standardised coefficients of the kept columns. */
export function makeFit(model: LinearFit['model'], params: Record<string, number>, std: Standardized, w: ArrayLike<number>, info?: LinearFit['info']): LinearFit {
  const { coefStd, coef, intercept } = toOriginalUnits(std, w);
  const names = std.names ?? defaultNames(originalWidth(std));
  return {
    model,
    params: { ...params },
    coefStd,
    coef,
    intercept,
    dropped: std.droppedNames ?? Array.from(std.dropped, (j) => names[j]),
    names,
    center: std.center ?? 'global',
    ...(info ? { info: { ...info } } : {}),
  };
}

/**
 * Predictions for the rows of X (rows x p_original, row-major): X coef + intercept (wasm gemv).
 * For a 'per-config' fit, X must be one configuration: its columns are centred on their own
 * means first, and the predictions are deviations from the configuration's mean.
 */
export function predict(fit: LinearFit, X: Float64Array, rows: number, opts?: KernelOptions): Float64Array {
  const p = fit.coef.length;
  if (!Number.isInteger(rows) || rows < 0) throw new InputError(`predict: rows must be a non-negative integer, got ${rows}`);
  if (X.length !== rows * p) throw new InputError(`predict: X has ${X.length} values, expected rows*p = ${rows}*${p} (the model has ${p} columns)`);
  if (rows === 0) return new Float64Array(0);
  let offset = fit.intercept;
  if ((fit.center ?? 'global') === 'per-config') {
    const m = columnSums(X, rows, p, opts);
    for (let j = 0; j < p; j++) offset -= (m[j] / rows) * fit.coef[j];
  }
  return gemv(X, rows, p, fit.coef, { wasm: opts?.wasm, offset });
}
