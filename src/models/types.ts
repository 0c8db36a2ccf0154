// Shared types of the regression engine (../shared/spec/regression.md).
// X is n x p (rows = particles, columns = features), y has length n.

import type { GramSums } from '../linalg/linalg.js';

/** Centring option of the spec: `global` (plain standardisation) or `per-config`. The one centring type. */
export type Center = 'global' | 'per-config';

/** The linear models of the registry (src/models/registry.ts). The one model-name type. */
export type ModelName = 'ols' | 'ridge' | 'enet' | 'lasso' | 'pcr';

/** Every model of the registry, in the order they are listed. */
export const MODEL_NAMES: readonly ModelName[] = ['ols', 'ridge', 'enet', 'lasso', 'pcr'];

/**
 * Sufficient statistics of a block of rows: everything the linear models need. Blocks
 * (configurations) merge by addition and folds are formed by subtraction, so a dataset never
 * has to sit in memory as one matrix.
 *
 * The sums are taken around a shift (to avoid catastrophic cancellation in
 * var = XtX/n - mean^2): with Z = X - 1 shift^T and u = y - yShift,
 *   sumX = 1^T Z, sumY = 1^T u, XtX = Z^T Z, Xty = Z^T u, yty = u^T u.
 * `shift` absent (or all zeros) and `yShift` absent (0) mean raw sums. statsFromBlock
 * (src/models/stats.ts) uses the block's own column means; addStats / subtractStats re-express
 * the second operand around the first one's shift, exactly.
 */
export interface SufficientStats extends GramSums {
  /** column shift (length p) the sums are taken around; absent = zeros */
  shift?: Float64Array;
  /** target shift; absent = 0 */
  yShift?: number;
  /**
   * 'per-config': each configuration's feature columns and target were centred on that
   * configuration's own means before accumulating (spec "Per-configuration centring"); a new
   * configuration then needs only its own feature means (no target) to be predicted, and its
   * predictions are deviations from its mean. Absent = 'global'. Stats of different modes never merge.
   */
  center?: Center;
  /** number of blocks (configurations) merged into these statistics; absent = 1 */
  blocks?: number;
}

/**
 * The standardised problem the models solve (columns with std below 1e-12 (1 + |mean|)
 * dropped): C = Xs^T Xs / n (correlation matrix), c = Xs^T yc / n, with Xs the standardised
 * kept columns and yc the centred target.
 */
export interface Standardized {
  /** rows used */
  n: number;
  /** number of kept columns */
  p: number;
  /** indices of the kept columns in the original column order */
  kept: Int32Array;
  /** indices (original order) of dropped constant columns */
  dropped: Int32Array;
  /** means and population stds of the kept columns */
  mean: Float64Array;
  std: Float64Array;
  yMean: number;
  /** Xs^T Xs / n, p*p row-major */
  C: Float64Array;
  /** Xs^T yc / n */
  c: Float64Array;
  /** yc^T yc / n (the population variance of y) */
  yy: number;
  /** number of original columns (kept + dropped); absent = p + dropped.length */
  pOriginal?: number;
  /** names of all original columns (absent: 'x0', 'x1', ...) */
  names?: string[];
  /** names of the dropped columns */
  droppedNames?: string[];
  /** centring mode of the statistics (absent = 'global') */
  center?: Center;
}

/** A fitted linear model, in both standardised and original units. */
export interface LinearFit {
  model: ModelName;
  params: Record<string, number>;
  /** coefficients on standardised columns, length p_original (0 for dropped columns) */
  coefStd: Float64Array;
  /** coefficients in original units, length p_original (coef_j = coefStd_j / std_j) */
  coef: Float64Array;
  /** yMean - sum_j coef_j mean_j */
  intercept: number;
  /** names of dropped (constant) columns */
  dropped: string[];
  /** names of all original columns (absent: 'x0', 'x1', ...) */
  names?: string[];
  /**
   * 'per-config': predict centres each new configuration's columns on its own means and the
   * predictions are deviations from that configuration's mean (absent = 'global').
   */
  center?: Center;
  /** solver information: iterations, duality gap, condition number, ... */
  info?: Record<string, number | boolean | string>;
}
