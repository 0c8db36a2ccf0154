// STUB ON BRANCH `enet` ONLY, so that src/cli/regress.ts compiles: the real PCR comes from
// branch `linalg` (take that file at merge and adapt the SEAM block in src/cli/regress.ts).
import { GlassboxError } from '../errors.js';
import type { Standardized } from './types.js';

/** Standardised PCR coefficients for every number of components k (cv.ts Solver shape). Stub. */
export function pcrPath(_std: Standardized, _ks: number[]): Float64Array[] {
  throw new GlassboxError('PCR is not available in this build (src/models/pcr.ts is a stub on branch enet)');
}
