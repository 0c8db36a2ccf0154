// Many minimisations on all cores (Node only): FIRE (src/minimize/minimize.ts) of independent
// configurations in a worker pool (src/node/parallel/pool.ts), with the content-addressed cache
// (src/node/cache.ts). Cache look-ups and writes happen here in the parent, so a cached configuration
// never starts a worker; identical inputs are minimised once. The numbers are the same as
// minimizeCached one configuration at a time (same kernel, same inputs, any thread count).

import { lookupMinimum, minimizeCacheKey, storeMinimum, type CachedMinimizeResult, type MinimizeCacheOptions } from '../cache.js';
import { InputError } from '../../errors.js';
import { resolveMinimizeOptions, resolvePotential, type MinimizeOptions, type MinimizeResult, type PotentialSpec, type FireTrace } from '../../minimize/minimize.js';
import type { System } from '../../system/system.js';
import { runTasks, type PoolOptions, type TaskInput } from './pool.js';
import { systemMessage } from './messages.js';
import type { MinimizeTask, MinimizeTaskResult } from './tasks.js';

export interface MinimizeManyOptions extends PoolOptions {
  /** Progress: `done` of `total` configurations finished (cache hits count at once). */
  onProgress?: (done: number, total: number) => void;
  /** Each system's result as soon as it is known (cache hits at once, in input order; then in completion order). */
  onResult?: (index: number, result: MinimizeManyResult) => void;
}

/** A minimisation result, `cached` when read from the cache, with its wall time (0 when cached). */
export type MinimizeManyResult = CachedMinimizeResult & { seconds: number };

/**
 * Minimise every system (to its inherent structure) with FIRE; `potential` is one spec for all or
 * one per system. Returns the results in input order. Bad input (species that do not match the
 * potential, invalid options) is an InputError before any work starts; an error in a worker comes
 * back with its class and message and stops the rest.
 */
export async function minimizeMany(
  systems: readonly System[],
  potential: PotentialSpec | readonly PotentialSpec[],
  options: MinimizeOptions = {},
  cache: MinimizeCacheOptions = {},
  run: MinimizeManyOptions = {},
): Promise<MinimizeManyResult[]> {
  const pots = Array.isArray(potential) ? (potential as readonly PotentialSpec[]) : systems.map(() => potential as PotentialSpec);
  if (pots.length !== systems.length) throw new InputError(`minimizeMany: ${pots.length} potentials for ${systems.length} systems`);
  const o = resolveMinimizeOptions(options); // validates once, before any work
  const total = systems.length;
  const results: MinimizeManyResult[] = new Array(total);
  const keys = systems.map((s, i) => minimizeCacheKey(s, pots[i], options));
  // cache hits now; misses become tasks, one per distinct key (duplicates share its result)
  const sameKey = new Map<string, number[]>();
  const todo: number[] = [];
  let done = 0;
  systems.forEach((s, i) => {
    const hit = lookupMinimum(s, pots[i], options, cache, keys[i]);
    if (hit) {
      results[i] = { ...hit, seconds: 0 };
      done++;
    } else if (sameKey.has(keys[i])) {
      sameKey.get(keys[i])!.push(i);
    } else {
      sameKey.set(keys[i], [i]);
      todo.push(i);
    }
  });
  run.onProgress?.(done, total);
  results.forEach((r, i) => run.onResult?.(i, r));
  const tasks: TaskInput[] = todo.map((i) => {
    const { message, transfer } = systemMessage(systems[i]);
    const payload: MinimizeTask = { system: message, potential: pots[i], options };
    return { payload, transfer };
  });
  const finish = (i: number, r: MinimizeTaskResult, positions: Float64Array): MinimizeResult => {
    const rp = resolvePotential(systems[i], pots[i]);
    return {
      system: { ...rp.system, positions, columns: { ...rp.system.columns } },
      energy: r.energy,
      energyPerParticle: r.energy / systems[i].n,
      maxForce: r.maxForce,
      forceNorm: r.forceNorm,
      iterations: r.iterations,
      converged: r.converged,
      forceEvaluations: r.forceEvaluations,
      neighborRebuilds: r.neighborRebuilds,
      restarts: r.restarts,
      skin: r.skin,
      options: o,
      ...(r.trace ? { trace: r.trace as unknown as FireTrace } : {}),
    };
  };
  await runTasks<MinimizeTaskResult>('minimize', tasks, {
    threads: run.threads,
    script: run.script,
    pool: run.pool,
    onDone: (k, r) => {
      const i = todo[k];
      const res = finish(i, r, r.positions);
      // stored as each one finishes, so an interrupted run keeps the finished minimisations
      storeMinimum(systems[i], res, keys[i], cache, options);
      for (const j of sameKey.get(keys[i])!) {
        // duplicates get their own copy of the positions: results never alias
        results[j] = { ...(j === i ? res : finish(j, r, r.positions.slice())), cached: false, cacheKey: keys[i], seconds: j === i ? r.seconds : 0 };
        done++;
        run.onResult?.(j, results[j]);
      }
      run.onProgress?.(done, total);
    },
  });
  return results;
}
