// glassbox, browser entry point: `await init()` (optionally with the wasm URL), then the same API.
import { loadBrowserWasm } from './wasm/browser.js';
import { setWasm } from './wasm/runtime.js';

/** Fetch and instantiate the wasm kernels (default: build/ next to the package); call once before any kernel. */
export async function init(wasmUrl?: string | URL): Promise<void> {
  setWasm(await loadBrowserWasm(wasmUrl));
}

export * from './api.js';
