// Node side of the inherent-structure step of `fit`/`predict`: minimisation with the
// content-addressed cache (src/node/cache.ts), so repeated runs do not minimise again, under the
// `fit` default rule (FIT_MIN_RULE) unless options are given.

import { minimizeCached } from './cache.js';
import { FIT_MIN_RULE, minimizeRule, type MinimizeOptions } from '../minimize/minimize.js';
import type { Minimizer } from '../workflow/pipeline.js';

export { FIT_MIN_RULE } from '../minimize/minimize.js';

/** The minimiser options of a named rule, default FIT_MIN_RULE. */
export function fitMinimizeOptions(rule: string = FIT_MIN_RULE): MinimizeOptions {
  return minimizeRule(rule);
}

export interface CachedMinimizerOptions {
  cacheDir?: string;
  /** false: never read or write the cache. */
  cache?: boolean;
  /** Minimiser options (default: the `fit` rule, fitMinimizeOptions()). */
  options?: MinimizeOptions;
  onProgress?: (stage: string, done: number, total: number) => void;
  onWarning?: (msg: string) => void;
}

export function cachedMinimizer(o: CachedMinimizerOptions = {}): Minimizer {
  let count = 0;
  return (system, potential, name) => {
    o.onProgress?.(`minimise #${++count}`, 0, 1);
    const r = minimizeCached(system, potential, o.options ?? fitMinimizeOptions(), { dir: o.cacheDir, enabled: o.cache !== false, onWarning: o.onWarning });
    if (!r.converged) {
      (o.onWarning ?? ((m: string) => console.error(`warning: ${m}`)))(
        `${name}: the minimiser stopped at its iteration cap (${r.iterations}) with max force ${r.maxForce.toExponential(2)}; using the last positions`,
      );
    }
    o.onProgress?.(`minimise #${count}`, 1, 1);
    return r.system.positions;
  };
}
