import { defineConfig } from 'vite';

export default defineConfig({
  // glassbox loads its wasm kernels from next to its own modules
  // (new URL('../../../build/glassbox.simd.wasm', import.meta.url)). `vite build` follows that
  // URL and emits the file as an asset; the dev server's dependency pre-bundling would move the
  // module into node_modules/.vite and break it, so glassbox is served as is in `vite` (dev).
  optimizeDeps: { exclude: ['glassbox'] },
});
