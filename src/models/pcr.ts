// Principal component regression on the standardised problem (../shared/spec/regression.md):
// C = V diag(lambda) V^T (eigenvalues descending, each eigenvector's largest-|entry| positive),
// scores T = Xs V_k, OLS of yc on T, coefficients w = V_k g. Since T^T T = n diag(lambda_k)
// and T^T yc = n V_k^T c, the OLS on the scores is diagonal:
//   g_i = (v_i^T c) / lambda_i,    w(k) = sum_{i < k} v_i g_i,
// so all k = 1..K come from one eigendecomposition. Explained variance ratio of component i:
// lambda_i / sum_j lambda_j (as sklearn PCA). A component with
// lambda_i <= p eps lambda_max (numerically zero variance) makes the OLS on the scores singular:
// SingularMatrixError naming the condition number lambda_max / lambda_i.

import { InputError } from '../errors.js';
import { SingularMatrixError, singularConditionLimit, type KernelOptions } from '../linalg/linalg.js';
import { makeFit } from './coef.js';
import { correlationEigen } from './spectrum.js';
import type { LinearFit, Standardized } from './types.js';
import type { Solver } from './cv.js';

export interface PCRPath {
  /** largest number of components */
  K: number;
  /** all eigenvalues of C, descending (length p) */
  eigenvalues: Float64Array;
  /** lambda_i / sum lambda, length p */
  explainedVarianceRatio: Float64Array;
  /** V_K, p x K row-major (column i = principal axis i, in kept-column order) */
  loadings: Float64Array;
  /** OLS coefficients on the scores, g_i = v_i^T c / lambda_i, length K */
  gamma: Float64Array;
  /** standardised coefficients (kept columns) for k = 1..K: w[k - 1] */
  w: Float64Array[];
}

/** PCR for every k = 1..K from one eigendecomposition of C. */
export function pcrPathStd(std: Standardized, K: number, opts?: KernelOptions): PCRPath {
  const p = std.p;
  if (!Number.isInteger(K) || K < 1 || K > p) throw new InputError(`pcr: the number of components k must be an integer in 1..${p} (kept columns), got ${K}`);
  const { values, vectors } = correlationEigen(std, opts);
  const V = vectors!;
  let total = 0;
  for (let i = 0; i < p; i++) total += values[i];
  const explainedVarianceRatio = values.map((l) => l / total);
  const limit = singularConditionLimit(p);
  const loadings = new Float64Array(p * K);
  const gamma = new Float64Array(K);
  const w: Float64Array[] = [];
  const cur = new Float64Array(p);
  for (let i = 0; i < K; i++) {
    const cond = values[i] > 0 ? values[0] / values[i] : Infinity;
    if (cond >= limit) throw new SingularMatrixError(`pcr (k = ${i + 1}): the scores' Gram matrix n diag(lambda_1..lambda_k)`, cond, limit, `component ${i + 1} has variance ${values[i]}`);
    let vc = 0;
    for (let j = 0; j < p; j++) {
      loadings[j * K + i] = V[j * p + i];
      vc += V[j * p + i] * std.c[j];
    }
    gamma[i] = vc / values[i];
    for (let j = 0; j < p; j++) cur[j] += V[j * p + i] * gamma[i];
    w.push(Float64Array.from(cur));
  }
  return { K, eigenvalues: Float64Array.from(values), explainedVarianceRatio, loadings, gamma, w };
}

/** A PCR fit: the LinearFit plus its components. */
export interface PCRFit extends LinearFit {
  /** V_k, p_kept x k row-major (rows: kept columns in order, see `loadingNames`) */
  loadings: Float64Array;
  loadingNames: string[];
  /** eigenvalues of the k components */
  eigenvalues: Float64Array;
  /** explained variance ratio of the k components */
  explainedVarianceRatio: Float64Array;
  /** OLS coefficients on the scores */
  componentCoef: Float64Array;
}

function pcrFitFromPath(std: Standardized, path: PCRPath, k: number): PCRFit {
  const fit = makeFit('pcr', { k }, std, path.w[k - 1], { explainedVariance: path.explainedVarianceRatio.subarray(0, k).reduce((a, b) => a + b, 0) });
  const p = std.p;
  const loadings = new Float64Array(p * k);
  for (let j = 0; j < p; j++) for (let i = 0; i < k; i++) loadings[j * k + i] = path.loadings[j * path.K + i];
  return {
    ...fit,
    loadings,
    loadingNames: Array.from(std.kept, (j) => fit.names![j]),
    eigenvalues: path.eigenvalues.slice(0, k),
    explainedVarianceRatio: path.explainedVarianceRatio.slice(0, k),
    componentCoef: path.gamma.slice(0, k),
  };
}

/** PCR with k components. */
export function fitPCR(std: Standardized, k: number, opts?: KernelOptions): PCRFit {
  return pcrFitFromPath(std, pcrPathStd(std, k, opts), k);
}

/** PCR fits for k = 1..K (one eigendecomposition). */
export function fitPCRPath(std: Standardized, K: number, opts?: KernelOptions): PCRFit[] {
  const path = pcrPathStd(std, K, opts);
  return Array.from({ length: K }, (_, i) => pcrFitFromPath(std, path, i + 1));
}

/** Number of leading components of C whose condition lambda_1 / lambda_i is below the singular limit. */
export function usableComponents(std: Standardized): number {
  const { values } = correlationEigen(std);
  const limit = singularConditionLimit(std.p);
  let k = 0;
  while (k < std.p && values[k] > 0 && values[0] / values[k] < limit) k++;
  return k;
}

/**
 * PCR path solver that stops at the last usable component: for k beyond it the coefficients of
 * the largest usable k are returned (a fold with fewer rows than columns, as in block CV, has
 * numerically zero components; the plain pcrPathStd throws there). The registry's PCR path.
 */
export const pcrPathCapped: Solver = (std, ks) => {
  const K = Math.min(Math.max(...ks), std.p, usableComponents(std));
  if (K < 1) return ks.map(() => new Float64Array(std.p));
  const path = pcrPathStd(std, K);
  return ks.map((k) => path.w[Math.min(k, K) - 1]);
};
