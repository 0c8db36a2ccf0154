// The process-wide kernel instance. The Node entry (src/index.ts) and the browser entry
// (src/browser.ts) each install one at import time; everything else calls `wasm()`.
// Parallelism is one instance per worker (no shared-memory threads).

import { GlassboxError } from '../errors.js';
import type { Wasm } from './memory.js';

let current: Wasm | null = null;

export function setWasm(w: Wasm): void {
  current = w;
}

export function wasm(): Wasm {
  if (current === null) {
    throw new GlassboxError('glassbox wasm kernels are not loaded: import "glassbox" (Node) or await init() from "glassbox/browser"');
  }
  return current;
}

export function hasWasm(): boolean {
  return current !== null;
}
