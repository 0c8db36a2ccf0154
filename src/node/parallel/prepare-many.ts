// Descriptors (and targets) of many configurations on all cores: one "prepare" task per
// configuration on the worker pool (each worker its own wasm instance); the results are the same
// numbers as pipeline.ts computing them one after the other (same kernels, same inputs), so
// fit({ prepared }) gives the same result as fit() alone. Inherent structures must already be
// attached (precomputeInherent) when the structure needs them.
// prepareMany returns rows; prepareFitInputs returns the training configurations as statistics
// (computed and reduced in the workers: memory does not grow with the training rows) and the
// test configurations as rows.

import type { Configuration } from '../../workflow/configurations.js';
import type { FeatureOptions } from '../../features/index.js';
import type { Prepared, PreparedStats, Structure } from '../../workflow/pipeline.js';
import { runTasks, type TaskInput, type WorkerPool } from './pool.js';
import type { PrepareTask, PrepareTaskResult } from './prepare-task.js';
import { systemMessage } from './messages.js';

export interface PrepareManyOptions {
  threads?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * On a shared pool (left open): configuration k's task is queued when ready(k) resolves (its
   * inherent structure attached), behind whatever the pool already has queued.
   */
  pool?: WorkerPool;
  ready?: (k: number) => Promise<void>;
}

async function run(configs: readonly Configuration[], asStats: (k: number) => boolean, features: FeatureOptions, structure: Structure, species: string | undefined, opts: PrepareManyOptions): Promise<PrepareTaskResult[]> {
  let done = 0;
  const task = (k: number): TaskInput => {
    const c = configs[k];
    const { message, transfer } = systemMessage(c.system);
    const inherent = c.inherent ? c.inherent.slice() : undefined;
    const target = c.target ? c.target.slice() : undefined;
    const payload: PrepareTask = { name: c.name, system: message, inherent, target, features, structure, species, asStats: asStats(k) };
    if (inherent) transfer.push(inherent.buffer as ArrayBuffer);
    if (target) transfer.push(target.buffer as ArrayBuffer);
    return { payload, transfer };
  };
  const { pool, ready } = opts;
  if (pool) {
    return Promise.all(configs.map(async (_, k) => {
      await ready?.(k);
      const t = task(k);
      const r = await pool.run<PrepareTaskResult>('prepare', t.payload, t.transfer);
      opts.onProgress?.(++done, configs.length);
      return r;
    }));
  }
  return runTasks<PrepareTaskResult>('prepare', configs.map((_, k) => task(k)), { threads: opts.threads, onDone: () => opts.onProgress?.(++done, configs.length) });
}

const rowsOf = (c: Configuration, r: PrepareTaskResult): Prepared => ({
  name: c.name,
  fm: { n: r.rows!.length, p: r.names.length, values: r.X!, names: r.names, meta: r.meta },
  rows: r.rows!,
  X: r.X!,
  y: r.y ?? null,
  speciesLabel: r.speciesLabel,
});

/** Every configuration's evaluation rows and target (pipeline.ts prepareConfiguration), in order. */
export async function prepareMany(configs: readonly Configuration[], features: FeatureOptions, structure: Structure, species: string | undefined, opts: PrepareManyOptions = {}): Promise<Prepared[]> {
  const res = await run(configs, () => false, features, structure, species, opts);
  return res.map((r, k) => rowsOf(configs[k], r));
}

/**
 * What fit({ prepared }) needs, on all cores: the training configurations as statistics
 * (pipeline.ts prepareConfigurationStats, in the workers) and the test ones as rows.
 */
export async function prepareFitInputs(train: readonly Configuration[], test: readonly Configuration[], features: FeatureOptions, structure: Structure, species: string | undefined, opts: PrepareManyOptions = {}): Promise<{ train: PreparedStats[]; test: Prepared[] }> {
  const all = [...train, ...test];
  const res = await run(all, (k) => k < train.length, features, structure, species, opts);
  return {
    train: res.slice(0, train.length).map((r, k) => ({ name: train[k].name, names: r.names, meta: r.meta, speciesLabel: r.speciesLabel, stats: r.stats! })),
    test: res.slice(train.length).map((r, k) => rowsOf(test[k], r)),
  };
}
