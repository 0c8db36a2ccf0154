// glassbox, Node entry point: re-exports the API. The wasm kernels (SIMD build when the engine
// supports it) load lazily and synchronously at the first kernel call; `await init()` loads
// them up front, the same call as the browser entry's.
import './wasm/node-install.js';
import { wasm } from './wasm/runtime.js';

/** Load the wasm kernels now (optional in Node: the first kernel call loads them). */
export async function init(): Promise<void> {
  wasm();
}

export * from './api.js';
// Node-only file access for the readers/writers
export * from './io/fs.js';
// Node-only helpers (node:fs, node:crypto): the minimised-structure cache.
export * from './node/cache.js';
// Node-only workflow on files: fitFiles / predictFiles (what glassbox fit / predict run)
export * from './node/files.js';
// Node-only: independent per-configuration work on all cores (worker_threads, one wasm instance each)
export { WorkerPool, runTasks, poolSize, workerScript, type PoolOptions, type RunTasksOptions, type TaskInput } from './node/parallel/pool.js';
export { minimizeMany, type MinimizeManyOptions, type MinimizeManyResult } from './node/parallel/minimize-many.js';
export { precomputeInherent, type PrecomputeInherentOptions } from './node/parallel/inherent.js';
export { fitFilesOverTimes, type FitTimesFilesOptions } from './node/times.js';
export { prepareMany, type PrepareManyOptions } from './node/parallel/prepare-many.js';
export { encodeShard, readShard, mergeShards, fitShards, shardFiles, type Shard, type ShardMeta } from './workflow/shards.js';
