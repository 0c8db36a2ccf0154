// Browser loader: fetches the wasm next to the package (build/) or from a URL the caller gives.

import { instantiate, simdSupported, type Wasm } from './memory.js';

export function defaultWasmUrl(simd = simdSupported()): URL {
  // dist/src/wasm/browser.js -> build/
  return new URL(`../../../build/${simd ? 'glassbox.simd.wasm' : 'glassbox.wasm'}`, import.meta.url);
}

export async function loadBrowserWasm(url?: string | URL, simd?: boolean): Promise<Wasm> {
  return instantiate(fetch(url ?? defaultWasmUrl(simd)));
}
