// STUB ON BRANCH `enet` ONLY, so that src/cli/regress.ts compiles: the real OLS comes from
// branch `linalg` (take that file at merge and adapt the SEAM block in src/cli/regress.ts).
import { GlassboxError } from '../errors.js';
import type { Standardized } from './types.js';

/** Standardised OLS coefficients (length std.p). Stub: not available on this branch. */
export function olsFit(_std: Standardized): Float64Array {
  throw new GlassboxError('OLS is not available in this build (src/models/ols.ts is a stub on branch enet)');
}
