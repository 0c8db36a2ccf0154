// Portable model files for the workflow: the fitted model (src/models/model-file.ts format)
// plus everything needed to repeat the descriptors on new configurations (feature options,
// structure, species). Loading one and predicting gives the same numbers in Node and browsers.

import { InputError } from './errors.js';
import type { Configuration } from './configurations.js';
import type { FeatureOptions } from './features/index.js';
import { MODEL_FORMAT, MODEL_VERSION, loadModel, predict as predictModel, type GlassboxModel } from './models/model-file.js';
import { cvToJSON } from './models/cv.js';
import { configurationFeatures, pearson, type FitResult, type Minimizer, type ModelResult, type Structure } from './pipeline.js';
import { resolvedSystem } from './features/index.js';

/** What `featureOptions` of a workflow model file holds. */
export interface WorkflowFeatureOptions {
  descriptors: FeatureOptions;
  structure: Structure;
  /** Species the model was fitted on (predictions are meaningful for it). */
  species: string;
}

export function modelFileFromResult(r: FitResult, m: ModelResult): GlassboxModel {
  if (m.error) throw new InputError(`model ${m.model} failed (${m.error}); nothing to save`);
  const featureOptions: WorkflowFeatureOptions = { descriptors: r.featureOptions, structure: r.structure, species: r.species };
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    featureOptions,
    names: [...r.names],
    scaler: { mean: Array.from(r.scaler.mean), std: Array.from(r.scaler.std), kept: Array.from(r.scaler.kept) },
    center: r.center,
    coef: Array.from(m.fit.coef),
    coefStd: Array.from(m.fit.coefStd),
    intercept: m.fit.intercept,
    model: m.model,
    params: { ...m.params },
    cv: m.cv ? { ...cvToJSON(m.cv), cvScore: m.cvScore, testPearson: m.testPearson } : null,
  };
}

export interface Prediction {
  name: string;
  /** One value per particle (all species); for a per-config model, deviations from the configuration's mean. */
  values: Float64Array;
  /** Pearson r on the model's species when the configuration has a target. */
  pearson?: number;
  species: string;
}

/** Validated workflow options of a loaded model (clear errors for matrices fitted elsewhere). */
export function workflowOptions(m: GlassboxModel, file = 'model'): WorkflowFeatureOptions {
  const fo = m.featureOptions as Partial<WorkflowFeatureOptions> | null;
  if (!fo || typeof fo !== 'object' || !fo.descriptors || !fo.structure || !fo.species) {
    throw new InputError(`${file}: this model was fitted on a feature matrix (glassbox regress), not by glassbox fit: it has no descriptor options to repeat`);
  }
  return fo as WorkflowFeatureOptions;
}

/** Descriptors of each configuration as the model says, then predictions. */
export function predictConfigurations(model: GlassboxModel | string, configs: Configuration[], opts: { minimize?: Minimizer; file?: string } = {}): Prediction[] {
  const m = typeof model === 'string' ? loadModel(model, opts.file) : model;
  const wo = workflowOptions(m, opts.file);
  return configs.map((c) => {
    const fm = configurationFeatures(c, wo.descriptors, wo.structure, opts.minimize);
    if (fm.p !== m.names.length || fm.names.some((x, k) => x !== m.names[k])) {
      throw new InputError(`${c.name}: its descriptors (${fm.p} columns) differ from the model's (${m.names.length}): different species or dimension than the training data`);
    }
    const values = predictModel(m, fm.values);
    const rs = resolvedSystem(c.system, wo.descriptors);
    const sIdx = rs.labels.indexOf(wo.species);
    if (sIdx < 0) throw new InputError(`${c.name}: species "${wo.species}" of the model is not present (species: ${rs.labels.join(', ')})`);
    let r: number | undefined;
    if (c.target) {
      const a: number[] = [], b: number[] = [];
      for (let i = 0; i < rs.n; i++) if (rs.species[i] === sIdx) { a.push(values[i]); b.push(c.target[i]); }
      r = pearson(a, b);
    }
    return { name: c.name, values, pearson: r, species: wo.species };
  });
}
