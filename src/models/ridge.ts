// STUB ON BRANCH `enet` ONLY, so that src/cli/regress.ts compiles: the real ridge (whole alpha
// grid from one eigendecomposition) comes from branch `linalg` (take that file at merge and
// adapt the SEAM block in src/cli/regress.ts).
import { GlassboxError } from '../errors.js';
import type { Standardized } from './types.js';

/** Standardised ridge coefficients for every alpha (cv.ts Solver shape). Stub. */
export function ridgePath(_std: Standardized, _alphas: number[]): Float64Array[] {
  throw new GlassboxError('ridge is not available in this build (src/models/ridge.ts is a stub on branch enet)');
}
