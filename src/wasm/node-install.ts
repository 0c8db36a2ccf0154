// Registers the Node kernel loader and nothing else (the CLI and the pool workers import this
// instead of the whole Node entry, src/index.ts, whose ~100 modules cost ~0.1 s to load).
// Nothing is compiled here: the first `wasm()` call loads build/glassbox*.wasm synchronously
// (loadNodeWasm sets the V8 tier flag, see node.ts, before it compiles the module).
import { loadNodeWasm } from './node.js';
import { setWasmLoader } from './runtime.js';

setWasmLoader(() => loadNodeWasm());
