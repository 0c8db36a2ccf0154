// The public API shared by the Node and browser entry points. No Node built-ins here.
export * from './errors.js';
export * from './system/system.js';
export * from './neighbors/neighbors.js';
export { wasm } from './wasm/runtime.js';
export { Wasm, F64Buffer, I32Buffer, Scope } from './wasm/memory.js';
export * from './potential/potentials.js';
// readers / writers (browser-safe: bytes and strings in; Node file access is in io/fs.ts)
export * from './io/npy.js';
export * from './io/npz.js';
export * from './io/dataset.js';
export * from './io/xyz.js';
export * from './io/lammps.js';
export { boxForDensity, expandBox, resolveBox, parseNumber, parseInteger, type BoxSpec } from './io/common.js';
export * from './io/index.js';
// dynamic propensity targets
export * from './targets/targets.js';
export * from './linalg/linalg.js';
export * from './models/types.js';
export * from './models/stats.js';
export * from './models/coef.js';
export * from './models/spectrum.js';
export * from './models/ols.js';
export * from './models/ridge.js';
export * from './models/pcr.js';
export * from './models/diagnostics.js';
export * from './features/index.js';
export * from './minimize/minimize.js';
export * from './dynamics/dynamics.js';
export * from './workflow/structures.js';
export { fitAuto, AUTO_CANDIDATES, type AutoCandidate } from './workflow/structure-auto.js';
export * from './models/enet.js';
export * from './models/cv.js';
export { MODEL_FORMAT, MODEL_VERSION, buildModel, saveModel, loadModel, predict as predictModel, coefFromStandardized, linearFitFromModel, type GlassboxModel, type ModelKind, type BuildModelArgs } from './models/model-file.js';
export * from './models/fit-matrix.js';
// the fit / predict workflow (configurations in; Node file access is in workflow-node.ts)
export * from './workflow/configurations.js';
export * from './workflow/pipeline.js';
export { resultsJSON, resultsTable } from './workflow/results.js';
export * from './workflow/model-io.js';
// analyses (issue 9): spatial-block CV, fits over lag times, measured interpretability
export { descriptorReach, planBlockCv, blockIds, distanceToBlock, type Reach, type BlockCvPlan } from './models/blocks.js';
export { fitTimes, timesJSON, expandColumns, type TimePoint, type TimesResult } from './workflow/times.js';
export { interpretability, oneSERule, reproducibility, weightCorrelation, nameComponents, type Interpretability, type OneSE } from './models/interpret.js';
export * from './minimize/lbfgs.js';
export * from './workflow/augment.js';
