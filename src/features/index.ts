// Structural descriptors (../shared/spec/descriptors.md): options, names, the feature matrix.
export * from './types.js';
export * from './names.js';
export * from './options.js';
export { planFeatures, type FeaturePlan } from './families.js';
export * from './compute.js';
export * from './export.js';
export * from './chunked.js';
