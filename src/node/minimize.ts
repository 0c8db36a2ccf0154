// Node side of the inherent-structure step of `fit`/`predict`: FIRE minimisation with the
// content-addressed cache (src/node/cache.ts), so repeated runs do not minimise again.

import { minimizeCached } from './cache.js';
import type { MinimizeOptions } from '../minimize/minimize.js';
import type { Minimizer } from '../workflow/pipeline.js';

export interface CachedMinimizerOptions {
  cacheDir?: string;
  /** false: never read or write the cache. */
  cache?: boolean;
  options?: MinimizeOptions;
  onProgress?: (stage: string, done: number, total: number) => void;
  onWarning?: (msg: string) => void;
}

export function cachedMinimizer(o: CachedMinimizerOptions = {}): Minimizer {
  let count = 0;
  return (system, potential, name) => {
    o.onProgress?.(`minimise #${++count}`, 0, 1);
    const r = minimizeCached(system, potential, o.options ?? {}, { dir: o.cacheDir, enabled: o.cache !== false, onWarning: o.onWarning });
    if (!r.converged) {
      (o.onWarning ?? ((m: string) => console.error(`warning: ${m}`)))(
        `${name}: FIRE stopped at its iteration cap (${r.iterations}) with max force ${r.maxForce.toExponential(2)}; using the last positions`,
      );
    }
    o.onProgress?.(`minimise #${count}`, 1, 1);
    return r.system.positions;
  };
}
