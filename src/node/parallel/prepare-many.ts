// Descriptors (and targets) of many configurations on all cores: one "prepare" task per
// configuration on the worker pool (each worker its own wasm instance); the results are the same
// numbers as pipeline.ts computing them one after the other (same kernels, same inputs), so
// fit({ prepared }) gives the same result as fit() alone. Inherent structures must already be
// attached (precomputeInherent) when the structure needs them.

import type { Configuration } from '../../workflow/configurations.js';
import type { FeatureOptions } from '../../features/index.js';
import type { Prepared, Structure } from '../../workflow/pipeline.js';
import { runTasks } from './pool.js';
import type { PrepareTask, PrepareTaskResult } from './prepare-task.js';
import { systemMessage } from './messages.js';

export interface PrepareManyOptions {
  threads?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function prepareMany(configs: readonly Configuration[], features: FeatureOptions, structure: Structure, species: string | undefined, opts: PrepareManyOptions = {}): Promise<Prepared[]> {
  let done = 0;
  const tasks = configs.map((c) => {
    const { message, transfer } = systemMessage(c.system);
    const inherent = c.inherent ? c.inherent.slice() : undefined;
    const target = c.target ? c.target.slice() : undefined;
    const payload: PrepareTask = { name: c.name, system: message, inherent, target, features, structure, species };
    if (inherent) transfer.push(inherent.buffer as ArrayBuffer);
    if (target) transfer.push(target.buffer as ArrayBuffer);
    return { payload, transfer };
  });
  const res = await runTasks<PrepareTaskResult>('prepare', tasks, { threads: opts.threads, onDone: () => opts.onProgress?.(++done, configs.length) });
  return res.map((r, k) => ({
    name: configs[k].name,
    fm: { n: r.rows.length, p: r.names.length, values: r.X, names: r.names, meta: r.meta },
    rows: r.rows,
    X: r.X,
    y: r.y,
    speciesLabel: r.speciesLabel,
  }));
}
