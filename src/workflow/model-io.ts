// Portable model files for the workflow: the fitted model (src/models/model-file.ts format)
// plus everything needed to repeat the descriptors on new configurations (feature options,
// structure, species). Loading one and predicting gives the same numbers in Node and browsers.

import { InputError } from '../errors.js';
import { resolveMinimizeOptions, type MinimizeOptions, type ResolvedMinimizeOptions } from '../minimize/minimize.js';
import type { Configuration } from './configurations.js';
import type { FeatureOptions } from '../features/index.js';
import { loadModel, modelFileFromFit, predict as predictModel, type GlassboxModel } from '../models/model-file.js';
import { cvToJSON } from '../models/cv.js';
import { parseStructure, type PositionsProvider } from './structures.js';
import { configurationFeatures, descriptorSignature, pearson, signatureMismatch, type FitResult, type Minimizer, type ModelResult, type Structure } from './pipeline.js';
import { writeXyz, type XyzWriteFrame } from '../io/xyz.js';
import { writeNpy } from '../io/npy.js';
import { resolvedSystem } from '../features/index.js';

/** What `featureOptions` of a workflow model file holds. */
export interface WorkflowFeatureOptions {
  descriptors: FeatureOptions;
  structure: Structure;
  /** Species the model was fitted on (predictions are meaningful for it). */
  species: string;
  /** Dimension of the training data (absent in files written before it was recorded). */
  dim?: number;
  /** Species labels of the training data after the feature options' resolution (idem). */
  labels?: string[];
  /** The target the model was fitted to ('abs', 'msd', 'cage_abs' or 'column NAME'), when known. */
  target?: string;
  /** The inherent structures' minimiser (resolved options), so that predictions minimise new files the same way; absent for thermal models and files written before it was recorded (then FIRE's defaults). */
  minimize?: ResolvedMinimizeOptions;
}

/**
 * The portable model file of one model of a fit (src/models/model-file.ts modelFileFromFit) with
 * the workflow's options; `extra.minimize` (the options the inherent structures were minimised
 * with) is recorded, resolved, unless the structure is thermal or the descriptors have no potential.
 */
export function modelFileFromResult(r: FitResult, m: ModelResult, extra: { target?: string; minimize?: MinimizeOptions } = {}): GlassboxModel {
  if (m.error) throw new InputError(`model ${m.model} failed (${m.error}); nothing to save`);
  const minimize = extra.minimize && r.structure !== 'thermal' && r.featureOptions.potential !== undefined ? resolveMinimizeOptions(extra.minimize) : undefined;
  const featureOptions: WorkflowFeatureOptions = {
    descriptors: r.featureOptions, structure: r.structure, species: r.species, dim: r.dim, labels: [...r.labels],
    ...(extra.target ? { target: extra.target } : {}), ...(minimize ? { minimize } : {}),
  };
  return modelFileFromFit(m.fit, r.scaler, {
    featureOptions,
    names: r.names,
    center: r.center,
    model: m.model,
    params: m.params,
    cv: m.cv ? { ...cvToJSON(m.cv), cvScore: m.cvScore, testPearson: m.testPearson } : null,
  });
}

export interface Prediction {
  name: string;
  /**
   * One value per particle (all species). For a per-config model: intercept + coef . (x_i - m_c),
   * m_c the mean descriptors of the model's species in this configuration, i.e. deviations from
   * the configuration's mean propensity of that species (as in fit's evaluation).
   */
  values: Float64Array;
  /** Pearson r on the model's species when the configuration has a target. */
  pearson?: number;
  species: string;
  /** Rows (particles) of the model's species. */
  rows: Int32Array;
}

/** Validated workflow options of a loaded model (clear errors for matrices fitted elsewhere). */
export function workflowOptions(m: GlassboxModel, file = 'model'): WorkflowFeatureOptions {
  const fo = m.featureOptions as Partial<WorkflowFeatureOptions> | null;
  if (!fo || typeof fo !== 'object' || !fo.descriptors || typeof fo.descriptors !== 'object' || !fo.structure || typeof fo.species !== 'string') {
    throw new InputError(`${file}: this model was fitted on a feature matrix (glassbox regress), not by glassbox fit: it has no descriptor options to repeat on configurations`);
  }
  if (!['thermal', 'inherent', 'both'].includes(fo.structure)) {
    try {
      parseStructure(String(fo.structure));
    } catch {
      throw new InputError(`${file}: featureOptions.structure is ${JSON.stringify(fo.structure)}, expected thermal, inherent, both or a combination of thermal, inherent, cage, dIS, dCS`);
    }
  }
  return fo as WorkflowFeatureOptions;
}

/** Rows of the model's species in a configuration (InputError when the species is absent). */
function modelSpeciesRows(c: Configuration, wo: WorkflowFeatureOptions): Int32Array {
  const rs = resolvedSystem(c.system, wo.descriptors);
  const s = rs.labels.indexOf(wo.species);
  if (s < 0) throw new InputError(`${c.name}: species "${wo.species}" of the model is not present (species: ${rs.labels.join(', ')})`);
  const out: number[] = [];
  for (let i = 0; i < rs.n; i++) if (rs.species[i] === s) out.push(i);
  return Int32Array.from(out);
}

/**
 * Check that every configuration can be predicted by the model (dimension, species, columns)
 * without computing descriptors: one clear InputError for the first that cannot.
 */
export function checkConfigurations(m: GlassboxModel, configs: Configuration[], file = 'model'): void {
  const wo = workflowOptions(m, file);
  const ref = { dim: wo.dim ?? NaN, labels: wo.labels ?? [], names: m.names };
  for (const c of configs) {
    if (wo.dim !== undefined && c.system.dim !== wo.dim) {
      throw new InputError(`${c.name}: its descriptors cannot be compared with the model (${file})'s: it is ${c.system.dim}D, the model's training data were ${wo.dim}D`);
    }
    const sig = descriptorSignature(c, wo.descriptors, wo.structure);
    if (wo.dim === undefined) ref.dim = sig.dim; // older files: compare columns only
    if (wo.labels === undefined) ref.labels = sig.labels;
    const why = signatureMismatch(ref, sig, `the model (${file})`);
    if (why) throw new InputError(why);
    modelSpeciesRows(c, wo);
  }
}

/** Descriptors of each configuration as the model says, then predictions. */
export function predictConfigurations(model: GlassboxModel | string, configs: Configuration[], opts: { minimize?: Minimizer; cage?: PositionsProvider; file?: string; onProgress?: (stage: string, done: number, total: number) => void } = {}): Prediction[] {
  const m = typeof model === 'string' ? loadModel(model, opts.file) : model;
  const wo = workflowOptions(m, opts.file);
  checkConfigurations(m, configs, opts.file);
  return configs.map((c, k) => {
    opts.onProgress?.('predict', k, configs.length);
    const fm = configurationFeatures(c, wo.descriptors, wo.structure, opts.minimize, opts.cage);
    if (fm.p !== m.names.length || fm.names.some((x, j) => x !== m.names[j])) {
      throw new InputError(`${c.name}: its descriptors (${fm.p} columns) differ from the model's (${m.names.length}): different species or dimension than the training data`);
    }
    const rows = modelSpeciesRows(c, wo);
    // u_i = intercept + coef . x_i; a per-config model is centred on the model species' rows
    const values = predictModel({ ...m, center: 'global' }, fm.values);
    if (m.center === 'per-config') {
      let mu = 0;
      for (let k2 = 0; k2 < rows.length; k2++) mu += values[rows[k2]] - m.intercept;
      mu /= rows.length;
      for (let i = 0; i < values.length; i++) values[i] -= mu;
    }
    let r: number | undefined;
    if (c.target) r = pearson(Array.from(rows, (i) => values[i]), Array.from(rows, (i) => c.target![i]));
    opts.onProgress?.('predict', k + 1, configs.length);
    return { name: c.name, values, pearson: r, species: wo.species, rows };
  });
}

/** Extended XYZ of predictions: one frame per configuration (species, pos, propensity_pred[, propensity_true]). */
export function predictionsXyz(configs: Configuration[], preds: Prediction[], m: GlassboxModel, opts: { speciesNames?: Record<string, string>; model?: string } = {}): string {
  const wo = workflowOptions(m);
  const frames: XyzWriteFrame[] = configs.map((c, k) => {
    const columns: Record<string, Float64Array> = { propensity_pred: preds[k].values };
    if (c.target) columns.propensity_true = c.target;
    const info: Record<string, string | number> = {
      config: c.name.split(/[\\/]/).pop() ?? c.name,
      model: m.model,
      model_species: wo.species,
      center: m.center,
      structure: wo.structure,
    };
    if (preds[k].pearson !== undefined && Number.isFinite(preds[k].pearson)) info.pearson = preds[k].pearson!;
    return { system: resolvedSystem(c.system, wo.descriptors), columns, info, includeSystemColumns: false };
  });
  return writeXyz(frames, { speciesNames: opts.speciesNames });
}

/**
 * .npy of predictions, float64: shape (N,) for one configuration, (configs, N) for several
 * (same N required), and the JSON metadata written beside it.
 */
export function predictionsNpy(configs: Configuration[], preds: Prediction[], m: GlassboxModel, opts: { model?: string } = {}): { npy: Uint8Array; meta: Record<string, unknown> } {
  const wo = workflowOptions(m);
  const n = preds[0]?.values.length ?? 0;
  const bad = preds.find((p) => p.values.length !== n);
  if (bad) throw new InputError(`${bad.name} has ${bad.values.length} particles, ${preds[0].name} has ${n}: a .npy holds configurations of one size; write extended XYZ (-o out.xyz) instead`);
  const data = new Float64Array(preds.length * n);
  preds.forEach((p, k) => data.set(p.values, k * n));
  const shape = preds.length === 1 ? [n] : [preds.length, n];
  const species = configs.map((c) => {
    const rs = resolvedSystem(c.system, wo.descriptors);
    return Array.from(rs.species, (s) => rs.labels[s]);
  });
  const meta = {
    format: 'glassbox-predictions',
    model: opts.model ?? null,
    modelKind: m.model,
    params: m.params,
    center: m.center,
    structure: wo.structure,
    modelSpecies: wo.species,
    note:
      m.center === 'per-config'
        ? `per-configuration model: values are deviations from the configuration's mean propensity of species ${wo.species} (the model was fitted and is evaluated on species ${wo.species} only)`
        : `global model: values are propensities in the target's units (the model was fitted and is evaluated on species ${wo.species} only)`,
    shape,
    configurations: configs.map((c) => c.name),
    pearson: preds.map((p) => (p.pearson === undefined || !Number.isFinite(p.pearson) ? null : p.pearson)),
    // per configuration, the species label of every particle (row order of the array)
    species: preds.length === 1 ? species[0] : species,
  };
  return { npy: writeNpy({ dtype: '<f8', shape, data }), meta };
}
