// Installs the Node kernel instance and nothing else (the CLI and the pool workers import this
// instead of the whole Node entry, src/index.ts, whose ~100 modules cost ~0.1 s to load).
import { loadNodeWasm } from './node.js';
import { hasWasm, setWasm } from './runtime.js';

if (!hasWasm()) setWasm(loadNodeWasm());
