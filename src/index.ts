// glassbox, Node entry point. Loads the wasm kernels at import time (SIMD build when the
// engine supports it) and re-exports the API.
import { loadNodeWasm } from './wasm/node.js';
import { setWasm, hasWasm } from './wasm/runtime.js';

if (!hasWasm()) setWasm(loadNodeWasm());

export * from './api.js';
// Node-only file access for the readers/writers
export * from './io/fs.js';
// Node-only helpers (node:fs, node:crypto): the minimised-structure cache.
export * from './cache.js';
// Node-only workflow on files: fitFiles / predictFiles (what glassbox fit / predict run)
export * from './workflow-node.js';
// Node-only: independent per-configuration work on all cores (worker_threads, one wasm instance each)
export { WorkerPool, runTasks, poolSize, workerScript, type PoolOptions, type RunTasksOptions, type TaskInput } from './parallel/pool.js';
export { minimizeMany, type MinimizeManyOptions, type MinimizeManyResult } from './parallel/minimize-many.js';
export { precomputeInherent, type PrecomputeInherentOptions } from './parallel/inherent.js';
export { fitFilesOverTimes, type FitTimesFilesOptions } from './workflow/times-node.js';
export { prepareMany, type PrepareManyOptions } from './parallel/prepare-many.js';
export { encodeShard, readShard, mergeShards, fitShards, shardFiles, type Shard, type ShardMeta } from './shards.js';
