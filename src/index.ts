// glassbox, Node entry point: the API (src/api.ts) plus what needs Node (files, all cores, shards).
// The wasm kernels (SIMD build when the engine supports it) load lazily and synchronously at the
// first kernel call; `await init()` loads them up front, the same call as the browser entry's.
import './wasm/node-install.js';
import { wasm } from './wasm/runtime.js';

/** Load the wasm kernels now (optional in Node: the first kernel call loads them). */
export async function init(): Promise<void> {
  wasm();
}

export * from './api.js';

// ---- Node only: files, every core, shards
export { readSystems } from './node/fs.js';
export { readConfigurations, fitFiles, predictFiles } from './node/files.js';
export { fitFilesOverTimes } from './node/times.js';
export { minimizeMany } from './node/parallel/minimize-many.js';
export { encodeShard, readShard, mergeShards, fitShards } from './node/shards.js';
