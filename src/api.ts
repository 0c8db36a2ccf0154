// The public API shared by the Node and browser entry points. No Node built-ins here.
export * from './errors.js';
export * from './system.js';
export * from './neighbors.js';
export { wasm } from './wasm/runtime.js';
export { Wasm, F64Buffer, I32Buffer, Scope } from './wasm/memory.js';
export * from './potentials.js';
export * from './linalg.js';
export * from './models/types.js';
export * from './models/stats.js';
export * from './models/coef.js';
export * from './models/spectrum.js';
export * from './models/ols.js';
export * from './models/ridge.js';
export * from './models/pcr.js';
export * from './models/diagnostics.js';
