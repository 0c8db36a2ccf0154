// Node loader: reads build/glassbox.simd.wasm (or the scalar build when SIMD is missing or
// GLASSBOX_SIMD=0) from the package root and instantiates it synchronously.
//
// Start-up: V8 compiles wasm functions lazily, at their first call, with its baseline compiler
// (Liftoff) and re-compiles hot ones with the optimising compiler (TurboFan) later. A command
// that processes one file runs each kernel about once, so it would run mostly baseline code
// (measured: first descriptor call 0.73 s against 0.32 s warm, bench/startup.bench.mjs).
// `preferOptimizingTier()` turns Liftoff off before the module is compiled, so every kernel is
// compiled once, by TurboFan, at its first call. V8 flags are process-wide: this affects every
// wasm module compiled later in the process (and its worker threads); GLASSBOX_LIFTOFF=1 keeps
// V8's default.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { GlassboxError } from '../errors.js';
import { instantiateSync, simdSupported, type Wasm } from './memory.js';

/** The package root: the nearest ancestor of this file holding build/glassbox.wasm. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'build', 'glassbox.wasm'))) return dir;
    dir = dirname(dir);
  }
  throw new GlassboxError('build/glassbox.wasm not found: run `npm run build` (npm install does it)');
}

/** Which build to load: 'simd' when supported unless GLASSBOX_SIMD=0. */
export function wasmFile(simd = simdSupported() && process.env.GLASSBOX_SIMD !== '0'): string {
  return join(packageRoot(), 'build', simd ? 'glassbox.simd.wasm' : 'glassbox.wasm');
}

let tierSet = false;
/** Compile wasm with the optimising tier only (unless GLASSBOX_LIFTOFF=1): see the header. */
export function preferOptimizingTier(): boolean {
  if (process.env.GLASSBOX_LIFTOFF === '1') return false;
  if (!tierSet) {
    setFlagsFromString('--no-liftoff');
    tierSet = true;
  }
  return true;
}

export function loadNodeWasm(simd?: boolean): Wasm {
  preferOptimizingTier();
  return instantiateSync(readFileSync(wasmFile(simd)));
}
