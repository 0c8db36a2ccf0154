// The eigendecomposition of the correlation matrix C = V diag(lambda) V^T that ridge (whole
// alpha grids), PCR (all k) and the diagnostics share: computed once per Standardized object
// and cached (WeakMap; the Standardized must not be mutated afterwards).

import { symEigen, type KernelOptions, type SymEigen } from '../linalg/linalg.js';
import type { Standardized } from './types.js';

const cache = new WeakMap<Standardized, SymEigen>();

/**
 * Eigen-decomposition of C (eigenvalues descending, eigenvectors in the columns of `vectors`,
 * each with its largest-|entry| positive: ../shared/spec/regression.md, PCR).
 */
export function correlationEigen(std: Standardized, opts?: KernelOptions): SymEigen {
  let e = cache.get(std);
  if (!e) {
    e = symEigen(std.C, std.p, { wasm: opts?.wasm, what: 'correlation matrix C' });
    cache.set(std, e);
  }
  return e;
}
