// The public API shared by the Node and browser entry points. No Node built-ins here.
export * from './errors.js';
export * from './system.js';
export * from './neighbors.js';
export { wasm } from './wasm/runtime.js';
export { Wasm, F64Buffer, I32Buffer, Scope } from './wasm/memory.js';
export * from './potentials.js';
export type { SufficientStats, Standardized, LinearFit } from './models/types.js';
export * from './models/enet.js';
export * from './models/cv.js';
export * from './models/model-file.js';
export * from './models/fit-matrix.js';
