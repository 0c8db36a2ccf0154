// Inherent structures and descriptors of a fit's configurations in ONE pool task per
// configuration (Node only): each task minimises its configuration (when neither the file nor
// the cache holds its inherent structure) and then computes its descriptors and target on it, in
// the same worker ("minimize+prepare", minimize-prepare-task.ts). So the minimisation of one
// configuration overlaps the descriptors of another, no worker idles at a stage boundary, one
// pool serves both, and a system is shipped once.
//
// Same cache semantics as precomputeInherent + minimizeMany (inherent.ts, minimize-many.ts): keys
// and look-ups in the parent before any work (a hit skips the minimisation and brings its
// positions to the task), a miss is stored as its task finishes, configuration.inherent is set
// to the same positions, the same iteration-cap warnings. The numbers are those of the two stages
// (precomputeInherent, then prepareFitInputs): the same handlers on the same inputs.

import type { Configuration } from '../../workflow/configurations.js';
import type { FeatureOptions } from '../../features/index.js';
import type { Prepared, PreparedStats, Structure } from '../../workflow/pipeline.js';
import { resolveMinimizeOptions, type MinimizeOptions } from '../../minimize/minimize.js';
import { minimizeCacheKey, storeMinimum, type MinimizeCacheOptions } from '../cache.js';
import { runTasks, type TaskInput } from './pool.js';
import { planMinimizations, minimizeResultOf, type MinimizeManyResult } from './minimize-many.js';
import { prepareTaskInput, rowsOf, statsOf } from './prepare-many.js';
import { attachInherent } from './inherent.js';
import type { MinimizePrepareTask, MinimizePrepareResult } from './minimize-prepare-task.js';

export interface MinimizeAndPrepareOptions {
  /** Minimiser options (fitFiles passes the fit rule). */
  options: MinimizeOptions;
  cache: MinimizeCacheOptions;
  threads?: number;
  /** Worker script (default the compiled worker; pool.ts). */
  script?: string;
  /** `done` of `total` configurations minimised (or not needing it) and described. */
  onProgress?: (done: number, total: number) => void;
  onWarning?: (msg: string) => void;
}

export interface MinimizeAndPrepareResult {
  /** What fit({ prepared }) needs: training configurations as statistics, test ones as rows. */
  train: PreparedStats[];
  test: Prepared[];
  /** Per configuration (train, then test): its minimisation (`cached` for a cache hit), undefined when the file stored the inherent structure. */
  minimized: (MinimizeManyResult | undefined)[];
}

/**
 * Minimise (through the cache) and describe every configuration, one pool task each; sets
 * `inherent` on the configurations that had none. null, before any look-up or work, when two
 * configurations need the same minimisation (a configuration given twice): minimizeMany
 * minimises it once, so the caller runs the two stages instead.
 */
export async function minimizeAndPrepareFitInputs(
  train: readonly Configuration[],
  test: readonly Configuration[],
  features: FeatureOptions,
  structure: Structure,
  species: string | undefined,
  preset: string,
  opts: MinimizeAndPrepareOptions,
): Promise<MinimizeAndPrepareResult | null> {
  const all = [...train, ...test];
  const options = opts.options;
  const o = resolveMinimizeOptions(options); // validates once, before any work
  const need = all.flatMap((c, i) => (c.inherent ? [] : [i]));
  const systems = need.map((i) => all[i].system);
  const keys = systems.map((s) => minimizeCacheKey(s, preset, options)); // species against the potential: an InputError now
  if (new Set(keys).size < keys.length) return null;
  const plan = planMinimizations(systems, systems.map(() => preset), options, opts.cache, keys);
  const minimized: (MinimizeManyResult | undefined)[] = new Array(all.length);
  const keyOf = new Map<number, string>();
  need.forEach((i, k) => {
    minimized[i] = plan.results[k];
    keyOf.set(i, keys[k]);
  });
  const tasks: TaskInput[] = all.map((c, i) => {
    const hit = minimized[i];
    const t = prepareTaskInput(hit ? { ...c, inherent: hit.system.positions } : c, i < train.length, features, structure, species);
    if (c.inherent || hit) return t;
    const payload: MinimizePrepareTask = { ...t.payload, minimize: { potential: preset, options } };
    return { payload, transfer: t.transfer };
  });
  const prepared: MinimizePrepareResult['prepared'][] = new Array(all.length);
  let done = 0;
  opts.onProgress?.(0, all.length);
  await runTasks<MinimizePrepareResult>('minimize+prepare', tasks, {
    threads: opts.threads,
    script: opts.script,
    onDone: (i, r) => {
      if (r.minimized) {
        const res = minimizeResultOf(all[i].system, preset, o, r.minimized, r.minimized.positions);
        // stored as each one finishes, so an interrupted run keeps the finished minimisations
        storeMinimum(all[i].system, res, keyOf.get(i)!, opts.cache, options);
        minimized[i] = { ...res, cached: false, cacheKey: keyOf.get(i)!, seconds: r.minimized.seconds };
      }
      prepared[i] = r.prepared;
      opts.onProgress?.(++done, all.length);
    },
  });
  attachInherent(need.map((i) => all[i]), need.map((i) => minimized[i]!), opts.onWarning);
  return {
    train: train.map((c, k) => statsOf(c, prepared[k])),
    test: test.map((c, k) => rowsOf(c, prepared[train.length + k])),
    minimized,
  };
}
