// Shared types of the regression engine (../shared/spec/regression.md).
// X is n x p (rows = particles, columns = features), y has length n.

/**
 * Sufficient statistics of a block of rows: everything the linear models need. Blocks
 * (configurations) merge by addition and folds are formed by subtraction, so a dataset never
 * has to sit in memory as one matrix.
 */
export interface SufficientStats {
  p: number;
  /** number of rows */
  n: number;
  /** column sums, length p */
  sumX: Float64Array;
  sumY: number;
  /** X^T X, p*p row-major (full symmetric) */
  XtX: Float64Array;
  /** X^T y, length p */
  Xty: Float64Array;
  yty: number;
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
  /** yc^T yc / n */
  yy: number;
}

/** A fitted linear model, in both standardised and original units. */
export interface LinearFit {
  model: 'ols' | 'ridge' | 'enet' | 'lasso' | 'pcr';
  params: Record<string, number>;
  /** coefficients on standardised columns, length p_original (0 for dropped columns) */
  coefStd: Float64Array;
  /** coefficients in original units, length p_original */
  coef: Float64Array;
  intercept: number;
  /** names of dropped (constant) columns */
  dropped: string[];
  /** solver information: iterations, duality gap, ... */
  info?: Record<string, number | boolean | string>;
}
