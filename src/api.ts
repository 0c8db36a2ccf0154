// The public API shared by the Node and browser entry points (src/index.ts, src/browser.ts): what a
// user calls, one name per capability, each documented where it is defined. No Node built-ins here.
// Everything else is internal (import it from its module inside this repository; it may change).
// The data flow, stage by stage (../shared/design.md):
//   bytes --readers--> System --descriptors--> FeatureMatrix --statistics--> SufficientStats
//     --model registry--> LinearFit / GlassboxModel --> predictions, diagnostics, report

// ---- errors: every error a user can cause is one of these, naming what was wrong and where
export { GlassboxError, InputError, ParseError, NumericalError, KernelError, AllocationError } from './errors.js';
export { SingularMatrixError } from './linalg/linalg.js';

// ---- kernels
export { kernelInfo } from './wasm/runtime.js';

// ---- systems and files (bytes in, bytes out; Node file access is in the Node entry)
export { createSystem, type System } from './system/system.js';
export { parseSystems } from './io/index.js';
export { boxForDensity } from './io/common.js';
export { readNpy, writeNpy } from './io/npy.js';
export { readNpz, writeNpz } from './io/npz.js';
export { writeXyz } from './io/xyz.js';
export { configurationsFromParsed, type Configuration } from './workflow/configurations.js';
export { transformConfiguration } from './workflow/augment.js';

// ---- pair potentials, neighbours
export { preset, ljTable } from './potential/potentials.js';
export { NeighborQuery } from './neighbors/neighbors.js';

// ---- structures: inherent (minimisation), dynamics, cage states
export { minimize, energyAndForces, minimizeRule, MINIMIZE_RULES, type MinimizeOptions, type MinimizeResult } from './minimize/minimize.js';
export { md, cageState } from './dynamics/dynamics.js';

// ---- descriptors and targets
export { computeFeatures, featureNames } from './features/compute.js';
export { computeFeaturesChunked } from './features/chunked.js';
export type { FeatureOptions } from './features/options.js';
export type { FeatureMatrix } from './features/types.js';
export { propensity } from './targets/targets.js';

// ---- models: statistics, the registry, the solvers, CV, diagnostics
export { statsFromBlock, sumStats, standardize } from './models/stats.js';
export type { SufficientStats, Standardized, LinearFit, ModelName } from './models/types.js';
export { REGISTRY } from './models/registry.js';
export { fitOLS } from './models/ols.js';
export { fitRidge } from './models/ridge.js';
export { fitEnet } from './models/enet.js';
export { fitPCR } from './models/pcr.js';
export { cvEnet, cvGrid, type CvResult } from './models/cv.js';
export { fitMatrix } from './models/fit-matrix.js';
export { collinearity, bootstrapStability } from './models/diagnostics.js';
export { interpretability } from './models/interpret.js';
export { saveModel, loadModel, predict as predictModel, type GlassboxModel } from './models/model-file.js';

// ---- the workflow: configurations -> descriptors -> statistics -> models -> results
export { fit, type FitOptions, type FitResult } from './workflow/pipeline.js';
export { predictConfigurations } from './workflow/model-io.js';
export { fitTimes } from './workflow/times.js';
export { fitAuto } from './workflow/structure-auto.js';
export { resultsJSON } from './workflow/results.js';
