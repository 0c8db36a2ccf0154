// Structural descriptor kernels (../shared/spec/descriptors.md). Every exported name starts
// with `desc` (unique across the wasm module).
export { descRadial } from "./radial";
export { descAngular, descRadialAngular } from "./angular";
export { descCoarseGrainAdd, descCoarseGrainFinish, descCopyBlock, descFirstNonFinite, descFirstCoincident } from "./coarsegrain";
export { descPackingSource, descPackingAssemble } from "./packing";
export { descEnergy } from "./energy";
export { descSpatialOrder, descGatherRows, descGatherI32 } from "./order";
