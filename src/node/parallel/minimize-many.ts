// Many minimisations on all cores (Node only): FIRE (src/minimize/minimize.ts) of independent
// configurations in a worker pool (src/node/parallel/pool.ts), with the content-addressed cache
// (src/node/cache.ts). Cache look-ups and writes happen here in the parent, so a cached configuration
// never starts a worker; identical inputs are minimised once. The numbers are the same as
// minimizeCached one configuration at a time (same kernel, same inputs, any thread count).

import { lookupMinimum, minimizeCacheKey, storeMinimum, type CachedMinimizeResult, type MinimizeCacheOptions } from '../cache.js';
import { InputError } from '../../errors.js';
import { resolveMinimizeOptions, resolvePotential, type MinimizeOptions, type MinimizeResult, type PotentialSpec, type FireTrace, type ResolvedMinimizeOptions } from '../../minimize/minimize.js';
import type { System } from '../../system/system.js';
import { runTasks, type PoolOptions, type TaskInput } from './pool.js';
import { systemMessage } from './messages.js';
import type { MinimizeTask, MinimizeTaskResult } from './minimize-task.js';

export interface MinimizeManyOptions extends PoolOptions {
  /** Progress: `done` of `total` configurations finished (cache hits count at once). */
  onProgress?: (done: number, total: number) => void;
}

/** A minimisation result, `cached` when read from the cache, with its wall time (0 when cached). */
export type MinimizeManyResult = CachedMinimizeResult & { seconds: number };

/** The cache's answer for every system: hits (in place), and the misses to minimise, one per distinct key (`sameKey`: the indices sharing it). */
export interface MinimizationPlan {
  /** Input order; the hits filled in (seconds 0), the misses empty. */
  results: (MinimizeManyResult | undefined)[];
  keys: string[];
  /** First index of each missing key -> every index with that key (the first included). */
  sameKey: Map<string, number[]>;
  /** The first index of each missing key, in input order: one minimisation each. */
  todo: number[];
}

/** Cache look-ups in the parent (a hit never starts a worker); identical misses are planned once. */
export function planMinimizations(systems: readonly System[], pots: readonly PotentialSpec[], options: MinimizeOptions, cache: MinimizeCacheOptions, keys: string[] = systems.map((s, i) => minimizeCacheKey(s, pots[i], options))): MinimizationPlan {
  const results: (MinimizeManyResult | undefined)[] = new Array(systems.length);
  const sameKey = new Map<string, number[]>();
  const todo: number[] = [];
  systems.forEach((s, i) => {
    const hit = lookupMinimum(s, pots[i], options, cache, keys[i]);
    if (hit) {
      results[i] = { ...hit, seconds: 0 };
    } else if (sameKey.has(keys[i])) {
      sameKey.get(keys[i])!.push(i);
    } else {
      sameKey.set(keys[i], [i]);
      todo.push(i);
    }
  });
  return { results, keys, sameKey, todo };
}

/** The pool message of one minimisation (fresh buffers, transferred). */
export function minimizeTaskInput(system: System, potential: PotentialSpec, options: MinimizeOptions): TaskInput & { payload: MinimizeTask } {
  const { message, transfer } = systemMessage(system);
  return { payload: { system: message, potential, options }, transfer };
}

/** A worker's minimisation as the MinimizeResult of the input system (its labels and columns re-attached). */
export function minimizeResultOf(system: System, potential: PotentialSpec, o: ResolvedMinimizeOptions, r: MinimizeTaskResult, positions: Float64Array): MinimizeResult {
  const rp = resolvePotential(system, potential);
  return {
    system: { ...rp.system, positions, columns: { ...rp.system.columns } },
    energy: r.energy,
    energyPerParticle: r.energy / system.n,
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
}

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
  const { results: hits, keys, sameKey, todo } = planMinimizations(systems, pots, options, cache);
  const results = hits as MinimizeManyResult[];
  let done = total - [...sameKey.values()].reduce((a, l) => a + l.length, 0);
  run.onProgress?.(done, total);
  const tasks: TaskInput[] = todo.map((i) => minimizeTaskInput(systems[i], pots[i], options));
  const finish = (i: number, r: MinimizeTaskResult, positions: Float64Array): MinimizeResult => minimizeResultOf(systems[i], pots[i], o, r, positions);
  await runTasks<MinimizeTaskResult>('minimize', tasks, {
    threads: run.threads,
    script: run.script,
    onDone: (k, r) => {
      const i = todo[k];
      const res = finish(i, r, r.positions);
      // stored as each one finishes, so an interrupted run keeps the finished minimisations
      storeMinimum(systems[i], res, keys[i], cache, options);
      for (const j of sameKey.get(keys[i])!) {
        // duplicates get their own copy of the positions: results never alias
        results[j] = { ...(j === i ? res : finish(j, r, r.positions.slice())), cached: false, cacheKey: keys[i], seconds: j === i ? r.seconds : 0 };
        done++;
      }
      run.onProgress?.(done, total);
    },
  });
  return results;
}
