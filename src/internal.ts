// Internal names used by this repository's own web app (web/), browser checks (test/browser/) and
// portable benchmarks (bench/portable/), which run the same code in Node and in a browser and so
// reach it through one module namespace. Not the public API (src/api.ts): the package's `exports`
// (package.json) do not include this file, and these names may change without notice.

export { wasm } from './wasm/runtime.js';
export { speciesCounts } from './system/system.js';
export { detectFormat, summarize } from './io/index.js';
export { permuteSystem, spatialOrder } from './neighbors/neighbors.js';
export { GramAccumulator } from './linalg/linalg.js';
export { resolvedSystem } from './features/compute.js';
export { mulberry32 } from './models/diagnostics.js';
export { enetFit, enetPath } from './models/enet.js';
export { ridgePathStd } from './models/ridge.js';
export { pcrPathStd } from './models/pcr.js';
export { checkFitInputs, configurationFeatures } from './workflow/pipeline.js';
export { FIT_MIN_RULE, resolveMinimizeOptions } from './minimize/minimize.js';
export { modelFileFromResult, predictionsXyz, predictionsNpy, workflowOptions } from './workflow/model-io.js';
