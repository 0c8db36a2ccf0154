// The process-wide kernel instance. Nothing is loaded at import time:
//   browser  `await init()` from src/browser.ts fetches and instantiates the wasm (setWasm);
//   Node     the Node entry (src/index.ts, or src/wasm/node-install.ts for the CLI and the pool
//            workers) registers a synchronous loader, run by the first `wasm()` call.
// Everything else calls `wasm()`. Parallelism is one instance per worker (no shared-memory threads).

import { GlassboxError } from '../errors.js';
import type { Wasm } from './memory.js';

let current: Wasm | null = null;
let loader: (() => Wasm) | null = null;

/** Install `w` as the process-wide instance (replaces any earlier one). */
export function setWasm(w: Wasm): void {
  current = w;
}

/**
 * Register a synchronous loader that the first `wasm()` call runs when no instance is installed
 * (Node: loadNodeWasm). Registering loads nothing; `null` removes the loader.
 */
export function setWasmLoader(load: (() => Wasm) | null): void {
  loader = load;
}

/** The process-wide instance: the installed one, else the registered loader's (once), else an error. */
export function wasm(): Wasm {
  if (current === null) {
    if (loader === null) {
      throw new GlassboxError('glassbox wasm kernels are not loaded: import "glassbox" (Node) or await init() from "glassbox/browser"');
    }
    current = loader();
  }
  return current;
}

/** True when an instance is installed (a registered but not yet run loader does not count). */
export function hasWasm(): boolean {
  return current !== null;
}
