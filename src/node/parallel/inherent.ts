// Inherent structures of a whole data set before `fit`/`predict` (Node only): every configuration
// without a stored inherent structure is minimised with minimizeMany (all cores, cached), and the
// minimised positions are stored in `configuration.inherent`, so the pipeline's per-configuration
// minimiser callback is not needed for them (src/workflow/pipeline.ts configurationFeatures).

import type { Configuration } from '../../workflow/configurations.js';
import { minimizeMany } from './minimize-many.js';
import type { WorkerPool } from './pool.js';
import type { MinimizeOptions } from '../../minimize/minimize.js';
import { isCombination, needsInherent, parseStructure } from '../../workflow/structures.js';

export interface PrecomputeInherentOptions {
  /** thermal | inherent | both; default (undefined): inherent when a potential preset is known (as fit()). */
  structure?: string;
  /** Inherent-structure cache directory (default `.glassbox-cache`, as `glassbox fit`). */
  cacheDir?: string;
  /** false: never read or write the cache. */
  cache?: boolean;
  /** Worker threads (default $GLASSBOX_THREADS, else all cores). */
  threads?: number;
  /** Minimiser options (default {}: `minimize`'s FIRE defaults; fitFiles passes the fit rule). */
  options?: MinimizeOptions;
  onProgress?: (stage: string, done: number, total: number) => void;
  onWarning?: (msg: string) => void;
  /** Called with each configuration as soon as its `inherent` is attached (cache hits at once). */
  onReady?: (c: Configuration) => void;
  /** Run on this pool (shared with the descriptor stage; left open). */
  pool?: WorkerPool;
}

/**
 * Fill `inherent` (FIRE minimum, default options: largest force component < 1e-8) for every
 * configuration that has none, when the structure needs it (inherent/both, explicit or by
 * default with a potential preset). Returns the wall time spent (s; 0 when nothing was needed).
 * Same minimiser options and cache as the pipeline's cachedMinimizer (src/node/minimize.ts).
 */
export async function precomputeInherent(configs: Configuration[], preset: string | undefined, opts: PrecomputeInherentOptions = {}): Promise<number> {
  const structure = opts.structure ?? (preset ? 'inherent' : 'thermal');
  if (structure === 'thermal' || !preset) return 0; // fit() reports inherent without a potential
  if (isCombination(structure) && !needsInherent(parseStructure(structure))) return 0;
  const todo = configs.filter((c) => !c.inherent);
  if (todo.length === 0) return 0;
  const t0 = performance.now();
  const stage = 'minimise';
  const warn = opts.onWarning ?? ((m: string) => console.error(`warning: ${m}`));
  const notConverged: string[] = new Array(todo.length);
  await minimizeMany(todo.map((c) => c.system), preset, opts.options ?? {}, { dir: opts.cacheDir ?? '.glassbox-cache', enabled: opts.cache !== false, onWarning: opts.onWarning }, {
    threads: opts.threads,
    pool: opts.pool,
    onProgress: (done, total) => opts.onProgress?.(stage, done, total),
    onResult: (k, r) => {
      if (!r.converged) notConverged[k] = `${todo[k].name}: the minimiser stopped at its iteration cap (${r.iterations}) with max force ${r.maxForce.toExponential(2)}; using the last positions`;
      todo[k].inherent = r.system.positions;
      opts.onReady?.(todo[k]);
    },
  });
  for (const m of notConverged) if (m) warn(m); // in input order
  return (performance.now() - t0) / 1000;
}
