// Browser loader: fetches the wasm next to the package (build/) or from a URL the caller gives.

import { instantiate, simdSupported, type Wasm } from './memory.js';

export function defaultWasmUrl(simd = simdSupported()): URL {
  // dist/src/wasm/browser.js -> build/. Two literal `new URL('...', import.meta.url)` forms: the
  // pattern bundlers (Vite, webpack 5, Parcel) recognise, emit as assets and rewrite.
  return simd
    ? new URL('../../../build/glassbox.simd.wasm', import.meta.url)
    : new URL('../../../build/glassbox.wasm', import.meta.url);
}

export async function loadBrowserWasm(url?: string | URL, simd?: boolean): Promise<Wasm> {
  return instantiate(fetch(url ?? defaultWasmUrl(simd)));
}
