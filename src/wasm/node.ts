// Node loader: reads build/glassbox.simd.wasm (or the scalar build when SIMD is missing or
// GLASSBOX_SIMD=0) from the package root and instantiates it synchronously.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

export function loadNodeWasm(simd?: boolean): Wasm {
  return instantiateSync(readFileSync(wasmFile(simd)));
}
