// The fit / evaluate workflow, used by both the CLI (`glassbox fit`) and the API (`fit`).
//
//   configurations --structure (thermal | inherent | both)--> descriptors (computeFeatures)
//     --rows of the evaluation species--> per-configuration sufficient statistics
//     --grouped K-fold CV by configuration--> hyper-parameters per model
//     --refit on all training configurations--> models --> test Pearson per configuration
//     (../shared/spec/descriptors.md "Evaluation convention"; ../shared/spec/regression.md)
//
// Everything here is browser-safe: inputs are Configurations (already parsed), and the
// minimiser for inherent structures is injected (Node passes a cached one).

import { InputError, GlassboxError } from '../errors.js';
import type { Configuration } from './configurations.js';
import { computeFeatures, featureNames, resolveFeatureOptions, resolvedSystem, type FeatureOptions } from '../features/index.js';
import type { FeatureMatrix, FeatureMeta } from '../features/types.js';
import type { System } from '../system/system.js';
import { MODEL_NAMES, type Center, type LinearFit, type ModelName, type Standardized, type SufficientStats } from '../models/types.js';
import { perConfigStats, statsFromBlock, sumStats, standardize } from '../models/stats.js';
import { predict } from '../models/coef.js';
import { pcrPathStd } from '../models/pcr.js';
import { collinearity, bootstrapStability, groupContributions } from '../models/diagnostics.js';
import type { CvConfig, CvOptions, CvResult } from '../models/cv.js';
import { descriptorReach, planBlockCv } from '../models/blocks.js';
import { interpretability, type Interpretability } from '../models/interpret.js';
import { modelEntry, selectAndFit } from '../models/registry.js';
import { pearson } from '../models/pearson.js';

export { MODEL_NAMES, type ModelName, type Center } from '../models/types.js';
export { logspace } from '../models/registry.js';
/** What `--model all` fits: every model but lasso (the lasso path is part of the interpretability measures). */
export const ALL_MODELS: readonly ModelName[] = ['ols', 'ridge', 'enet', 'pcr'];
/** thermal | inherent | both, or a combination of thermal, inherent, cage, dIS, dCS (src/workflow/structures.ts). */
export type Structure = 'thermal' | 'inherent' | 'both' | (string & {});
import { canonicalStructure, combinationFeatures, combinationNames, isCombination, parseStructure, type PositionsProvider } from './structures.js';

/** Minimised (inherent-structure) positions of a system, N*dim. */
export type Minimizer = (system: System, potential: string, name: string) => Float64Array;

export interface FitOptions {
  train: Configuration[];
  test?: Configuration[];
  /** Descriptor options (potential preset, shells, scales, ...). */
  features?: FeatureOptions;
  /** Evaluation (and fitting) species label; default: the first species (index 0). */
  species?: string;
  /** Models to fit (default ['ridge', 'enet']: the two the interpretability story rests on; the best by CV is reported). */
  models?: ModelName[];
  /** CV folds (default 5, or the number of training configurations when fewer). */
  folds?: number;
  /** Per-configuration centring (default, configurations are known) or global standardisation. */
  center?: Center;
  /** Structure the descriptors are computed on (default: inherent when a potential is known). */
  structure?: Structure;
  /** Ridge alpha grid (default 10^-1 .. 10^7, 33 values; the registry's, src/models/registry.ts). */
  ridgeAlphas?: number[];
  /** Elastic-net l1_ratio values (default [0.5]) and path length (default 100). */
  l1Ratios?: number[];
  nAlphas?: number;
  /** Largest PCR k tried (default: the numerical rank of the training data). */
  pcrMaxK?: number;
  /** Bootstrap resamples of configurations for coefficient stability (default 20; 0 = off). */
  bootstrap?: number;
  /** Computes inherent structures when a configuration has none stored. */
  minimize?: Minimizer;
  /** Computes cage states (structure parts cage / dCS) when a configuration has none stored. */
  cage?: PositionsProvider;
  /** Descriptors already computed (glassbox stats shards, src/workflow/shards.ts): then train/test are ignored. */
  prepared?: PreparedInputs;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Cross-validation: 'configs' (grouped by configuration; default with >= 2 training configurations) or 'blocks' (spatial blocks, docs/spec/cv-blocks.md; default with one). */
  cv?: CvMethod;
  /** Blocks per axis of block CV (default 4 in 2D, 3 in 3D). */
  blocks?: number;
  /** Buffer of block CV (default: the descriptors' reach, src/models/blocks.ts descriptorReach). */
  buffer?: number;
  /** Measure interpretability (ridge trace, paths, 1-SE model, reproducibility, named components; default false in the API, on in the CLI). */
  interpret?: boolean;
  /** Random splits into disjoint halves for weight reproducibility (default 5). */
  reproducibilitySplits?: number;
  /** Block CV without test configurations: hold out a slab as the test set ('slab', default) or not ('none'). */
  holdout?: 'slab' | 'none';
  /** Descriptors already computed, by system object (fits over several targets share it). */
  descriptorCache?: Map<System, FeatureMatrix>;
}

export type CvMethod = 'blocks' | 'configs';

/** How the CV was made (cv.method etc. in the JSON). */
export interface CvInfo {
  method: CvMethod;
  folds: number;
  /** blocks only: */
  blocks?: number;
  blocksPerAxis?: number;
  buffer?: number;
  /** The descriptors' reach with its parts (the default buffer). */
  reach?: string;
  /** Training rows dropped by the buffer, summed over folds; per fold; held out per fold. */
  rowsDropped?: number;
  rowsDroppedPerFold?: number[];
  rowsTestPerFold?: number[];
  /** The held-out slab used as the test set (no test configurations given). */
  slab?: { axis: number; from: number; to: number; testRows: number; bufferRows: number } | null;
}

export interface ModelResult {
  model: ModelName;
  params: Record<string, number>;
  cvScore: number;
  cvStd: number;
  cvMse: number;
  testPearson: number | null;
  testPearsonPerConfig: number[];
  nonzero: number;
  fit: LinearFit;
  cv: CvResult | null;
  /** Solver notes and a CV optimum at the edge of its grid (src/models/registry.ts edgeWarning). */
  warnings?: string[];
  error?: string;
}

export interface TestPrediction {
  name: string;
  /** Rows of the evaluation species. */
  indices: Int32Array;
  truth: Float64Array;
  /** Predictions of each model, by model name. */
  predicted: Record<string, Float64Array>;
}

export interface FitResult {
  models: ModelResult[];
  best: ModelResult;
  features: number;
  names: string[];
  meta: FeatureMeta[];
  species: string;
  /** Dimension and species labels (after the feature options' resolution) of the data. */
  dim: number;
  labels: string[];
  structure: Structure;
  center: Center;
  featureOptions: FeatureOptions;
  trainConfigs: string[];
  testConfigs: string[];
  rowsTrain: number;
  /** Training standardisation (kept columns): what a model file needs to predict. */
  scaler: { mean: Float64Array; std: Float64Array; kept: Int32Array };
  diagnostics: {
    conditionNumber: number;
    eigenvalues: Float64Array;
    vif: Float64Array;
    keptNames: string[];
    dropped: string[];
    stability?: ReturnType<typeof bootstrapStability>;
    contributions?: ReturnType<typeof groupContributions>;
    pcrLoadings?: { k: number; loadings: Float64Array; explained: Float64Array; names: string[] };
  };
  predictions: TestPrediction[];
  timings: Record<string, number>;
  cv: CvInfo;
  /** Measured interpretability (absent with interpret: false). */
  interpretability?: Interpretability;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

export { pearson } from '../models/pearson.js';

/** One configuration's evaluation rows: descriptors, target, particle indices. */
export interface Prepared {
  name: string;
  fm: FeatureMatrix;
  rows: Int32Array;
  X: Float64Array; // rows x p
  y: Float64Array | null;
  speciesLabel: string;
}

/**
 * One training configuration reduced to what `fit` needs (its rows dropped): the sufficient
 * statistics of its evaluation rows, taken around their own means (statsFromBlock's default;
 * the per-config form is the same sums relabelled, src/models/stats.ts perConfigStats).
 */
export interface PreparedStats {
  name: string;
  names: string[];
  meta: FeatureMeta[];
  speciesLabel: string;
  stats: SufficientStats;
}

/** Configurations whose descriptors and targets are already computed (workers, shards), in order: training ones as statistics (or rows), test ones as rows. */
export interface PreparedInputs {
  train: (Prepared | PreparedStats)[];
  test: Prepared[];
  dim: number;
  labels: string[];
}

/** Column names of a prepared configuration (rows or statistics). */
export function preparedNames(q: Prepared | PreparedStats): string[] {
  return 'fm' in q ? q.fm.names : q.names;
}

/** A training configuration's statistics (of its evaluation rows, around their own means; rows given: one Gram pass). */
export function preparedStats(q: Prepared | PreparedStats): PreparedStats {
  if (!('fm' in q)) return q;
  if (!q.y) throw new InputError(`${q.name}: no target (propensity) for this configuration`);
  return { name: q.name, names: q.fm.names, meta: q.fm.meta, speciesLabel: q.speciesLabel, stats: statsFromBlock(q.X, q.y, q.rows.length, q.fm.p) };
}

/** Rows (particles) of species `label` after the feature options' species resolution. */
function speciesRows(sys: System, fo: FeatureOptions, label: string | undefined, name: string): { rows: Int32Array; label: string } {
  const rs = resolvedSystem(sys, fo);
  const lab = label ?? rs.labels[0];
  const idx = rs.labels.indexOf(lab);
  if (idx < 0) throw new InputError(`${name}: species "${lab}" is not present (species: ${rs.labels.join(', ')})`);
  const out: number[] = [];
  for (let i = 0; i < rs.n; i++) if (rs.species[i] === idx) out.push(i);
  if (out.length < 2) throw new InputError(`${name}: species "${lab}" has ${out.length} particle(s); need at least 2 to evaluate`);
  return { rows: Int32Array.from(out), label: lab };
}

function withPositions(sys: System, positions: Float64Array): System {
  return { ...sys, positions };
}

/** Descriptors of one configuration for the chosen structure (names prefixed `IS:` under both). */
export function configurationFeatures(c: Configuration, fo: FeatureOptions, structure: Structure, minimize?: Minimizer, cage?: PositionsProvider): FeatureMatrix {
  if (isCombination(structure)) return combinationFeatures(c, fo, parseStructure(structure), minimize, cage);
  if (structure === 'thermal') return computeFeatures(c.system, fo);
  const pot = fo.potential;
  let inh = c.inherent;
  if (!inh) {
    if (!minimize) throw new InputError(`${c.name}: the ${structure} structure needs an inherent structure: none is stored and no minimiser was given`);
    if (!pot || typeof pot !== 'string') throw new InputError(`${c.name}: the ${structure} structure needs a potential preset to minimise (e.g. --preset KA3D)`);
    inh = minimize(c.system, pot, c.name);
  }
  if (inh.length !== c.system.positions.length) throw new InputError(`${c.name}: inherent positions have ${inh.length} values, expected ${c.system.positions.length}`);
  const fi = computeFeatures(withPositions(c.system, inh), fo);
  if (structure === 'inherent') return { ...fi, meta: fi.meta.map((m) => ({ ...m, structure: 'IS:' })) };
  const ft = computeFeatures(c.system, fo);
  // both: [thermal | IS:inherent | dIS]
  const n = ft.n, p = ft.p + fi.p + 1;
  const values = new Float64Array(n * p);
  const D = c.system.dim;
  for (let i = 0; i < n; i++) {
    values.set(ft.values.subarray(i * ft.p, (i + 1) * ft.p), i * p);
    values.set(fi.values.subarray(i * fi.p, (i + 1) * fi.p), i * p + ft.p);
    let s = 0;
    for (let a = 0; a < D; a++) {
      const L = c.system.box[a];
      let d = inh[i * D + a] - c.system.positions[i * D + a];
      d -= L * Math.round(d / L); // the minimiser's start may be wrapped differently from the file
      s += d * d;
    }
    values[i * p + p - 1] = Math.sqrt(s);
  }
  return {
    n,
    p,
    values,
    names: [...ft.names, ...fi.names.map((x) => `IS:${x}`), 'dIS'],
    meta: [...ft.meta, ...fi.meta.map((m) => ({ ...m, name: `IS:${m.name}`, structure: 'IS:' })), { name: 'dIS', family: 'X', level: 0, kind: 'dIS' }],
  };
}

/**
 * The column names configurationFeatures would give, without computing anything (the feature
 * options are validated on the way: box against every cutoff, potential against the species).
 */
export function configurationFeatureNames(c: Configuration, fo: FeatureOptions, structure: Structure): string[] {
  if (isCombination(structure)) return combinationNames(c, fo, parseStructure(structure));
  const names = featureNames(c.system, fo);
  return structure === 'both' ? [...names, ...names.map((x) => `IS:${x}`), 'dIS'] : names;
}

/** What makes two configurations' descriptor columns comparable. */
export interface DescriptorSignature {
  name: string;
  dim: number;
  /** Species labels after the feature options' resolution (preset names). */
  labels: string[];
  names: string[];
}

/** Signature of one configuration under the feature options (cheap; validates the options). */
export function descriptorSignature(c: Configuration, fo: FeatureOptions, structure: Structure): DescriptorSignature {
  const rs = resolveFeatureOptions(c.system, fo).system;
  return { name: c.name, dim: c.system.dim, labels: [...rs.labels], names: configurationFeatureNames(c, fo, structure) };
}

/**
 * null when `b` has the same descriptor columns as `a`, else one sentence saying how they differ
 * (dimension, species set, or the first differing column).
 */
export function signatureMismatch(a: Omit<DescriptorSignature, 'name'> & { name?: string }, b: DescriptorSignature, what = 'the first training configuration'): string | null {
  const same = a.dim === b.dim && a.names.length === b.names.length && a.names.every((x, k) => x === b.names[k]);
  if (same) return null;
  const head = `${b.name}: its descriptors cannot be compared with ${what}'s`;
  if (a.dim !== b.dim) return `${head}: it is ${b.dim}D, ${what} is ${a.dim}D`;
  if (a.labels.join('\u0000') !== b.labels.join('\u0000')) {
    return `${head}: its species are [${b.labels.join(', ')}], ${what}'s are [${a.labels.join(', ')}] (train and test need the same species set and feature options)`;
  }
  const k = a.names.findIndex((x, j) => x !== b.names[j]);
  return `${head}: ${b.names.length} vs ${a.names.length} columns, first difference at column ${k}: "${b.names[k] ?? '(none)'}" vs "${a.names[k] ?? '(none)'}" (train and test need the same feature options)`;
}

/** Descriptors of the evaluation species' rows and the target of one configuration (what fit uses). */
export function prepareConfiguration(c: Configuration, fo: FeatureOptions, structure: Structure, species: string | undefined, minimize: Minimizer | undefined, cage?: PositionsProvider): Prepared {
  return prepare(c, fo, structure, species, minimize, true, cage);
}

/** A training configuration as statistics (prepareConfiguration, then one Gram pass; the rows are dropped). */
export function prepareConfigurationStats(c: Configuration, fo: FeatureOptions, structure: Structure, species: string | undefined, minimize: Minimizer | undefined, cage?: PositionsProvider): PreparedStats {
  return preparedStats(prepare(c, fo, structure, species, minimize, true, cage));
}

function prepare(c: Configuration, fo: FeatureOptions, structure: Structure, species: string | undefined, minimize: Minimizer | undefined, needTarget: boolean, cage?: PositionsProvider, cache?: Map<System, FeatureMatrix>): Prepared {
  if (needTarget && !c.target) throw new InputError(`${c.name}: no target (propensity) for this configuration`);
  const { rows, label } = speciesRows(c.system, fo, species, c.name);
  let fm = cache?.get(c.system);
  if (!fm) {
    fm = configurationFeatures(c, fo, structure, minimize, cage);
    cache?.set(c.system, fm);
  }
  const p = fm.p;
  const X = new Float64Array(rows.length * p);
  for (let k = 0; k < rows.length; k++) X.set(fm.values.subarray(rows[k] * p, (rows[k] + 1) * p), k * p);
  const y = c.target ? Float64Array.from(rows, (i) => c.target![i]) : null;
  return { name: c.name, fm, rows, X, y, speciesLabel: label };
}

/** The registry's refit of one model at fixed parameters (bootstrap, 1-SE, reproducibility). */
function fitOne(model: ModelName, std: Standardized, params: Record<string, number>): LinearFit {
  return modelEntry(model).refit(std, params, {}).fit;
}

/**
 * Every configuration checked before any descriptor or minimisation is computed, so a bad file
 * (box, species, target, dimension) gives one clear error at once. fit() calls it; callers that
 * minimise first (fitFiles) call it before.
 */
export function checkFitInputs(opts: FitOptions): DescriptorSignature {
  const fo: FeatureOptions = { ...(opts.features ?? {}) };
  const structure: Structure = canonicalStructure(opts.structure ?? (fo.potential ? 'inherent' : 'thermal'));
  const test = opts.test ?? [];
  let sig0: DescriptorSignature | null = null;
  const first = opts.train[0];
  for (const c of [...opts.train, ...test]) {
    if (!c.target) throw new InputError(`${c.name}: no target (propensity) for this configuration`);
    if (first && c.system.dim !== first.system.dim) {
      throw new InputError(`${c.name}: its descriptors cannot be compared with ${first.name}'s: it is ${c.system.dim}D, ${first.name} is ${first.system.dim}D`);
    }
    const sig = descriptorSignature(c, fo, structure);
    speciesRows(c.system, fo, opts.species, c.name);
    if (!sig0) sig0 = sig;
    const why = signatureMismatch(sig0, sig, sig0.name);
    if (why) throw new InputError(why);
  }

  return sig0!;
}

/** The whole workflow: descriptors, grouped CV, refit, test evaluation and diagnostics. */
export function fit(opts: FitOptions): FitResult {
  const t0 = now();
  const timings: Record<string, number> = {};
  const tick = (stage: string, t: number) => (timings[stage] = (timings[stage] ?? 0) + (now() - t) / 1000);
  const progress = opts.onProgress ?? (() => {});
  const fo: FeatureOptions = { ...(opts.features ?? {}) };
  const structure: Structure = canonicalStructure(opts.structure ?? (fo.potential ? 'inherent' : 'thermal'));
  if (structure !== 'thermal' && !fo.potential) throw new InputError(`structure "${structure}" needs a potential (e.g. --preset KA3D): the inherent structure is an energy minimum`);
  const center: Center = opts.center ?? 'per-config';
  const models = opts.models ?? ['ridge', 'enet'];
  for (const m of models) if (!MODEL_NAMES.includes(m)) throw new InputError(`unknown model "${m}" (expected ${MODEL_NAMES.join(', ')} or all)`);
  if (opts.folds !== undefined && !(Number.isInteger(opts.folds) && opts.folds >= 2)) throw new InputError(`folds must be an integer >= 2 (grouped CV by configuration), got ${opts.folds}`);
  const pre = opts.prepared;
  const nTrain = pre ? pre.train.length : opts.train.length;
  const method: CvMethod = opts.cv ?? (nTrain === 1 ? 'blocks' : 'configs');
  if (method !== 'blocks' && method !== 'configs') throw new InputError(`cv must be "blocks" or "configs", got "${method}"`);
  if (pre && method !== 'configs') throw new InputError('descriptors computed beforehand (statistics shards) support configuration-grouped CV only (cv "configs")');
  if (nTrain < 1) throw new InputError('fit needs at least 1 training configuration');
  if (method === 'configs' && nTrain < 2) throw new InputError(`fit needs at least 2 training configurations for configuration-grouped cross-validation, got ${nTrain} (use spatial blocks: cv "blocks")`);
  const test = pre ? [] : opts.test ?? [];
  const total = opts.train.length + test.length;

  const sig0 = pre ? { name: pre.train[0].name, dim: pre.dim, labels: pre.labels, names: preparedNames(pre.train[0]) } : checkFitInputs(opts);

  // 1. descriptors (one configuration at a time; only the evaluation species' rows are kept).
  // Configuration-grouped CV streams: each training configuration's rows become its sufficient
  // statistics at once and are dropped, so memory does not grow with the training rows. Block CV
  // keeps the rows (its plan groups them by block and buffer, src/models/blocks.ts).
  let t = now();
  const streaming = method === 'configs';
  const train: Prepared[] = [];
  const trainStats: PreparedStats[] = [];
  const tests: Prepared[] = pre ? [...pre.test] : [];
  let first: { names: string[]; meta: FeatureMeta[]; speciesLabel: string } | null = null;
  const checkNames = (name: string, nm: string[]) => {
    const p0 = first ? first.names : nm;
    if (nm.length !== p0.length || nm.some((x, k) => x !== p0[k])) {
      // not expected after step 0 (names are planned the same way); kept as a guard
      throw new InputError(`${name}: its descriptors differ from the first training configuration's (${nm.length} vs ${p0.length} columns): train and test need the same feature options and species`);
    }
  };
  const addTrain = (q: Prepared | PreparedStats) => {
    const nm = preparedNames(q);
    checkNames(q.name, nm);
    first ??= { names: nm, meta: 'fm' in q ? q.fm.meta : q.meta, speciesLabel: q.speciesLabel };
    if (streaming) trainStats.push(preparedStats(q));
    else train.push(q as Prepared);
  };
  if (pre) for (const q of pre.train) addTrain(q);
  if (pre) opts = { ...opts, train: [] };
  opts.train.forEach((c, i) => {
    progress('descriptors', i, total);
    addTrain(prepare(c, fo, structure, opts.species, opts.minimize, true, opts.cage, opts.descriptorCache));
  });
  test.forEach((c, i) => {
    progress('descriptors', opts.train.length + i, total);
    tests.push(prepare(c, fo, structure, opts.species, opts.minimize, true, opts.cage, opts.descriptorCache));
  });
  progress('descriptors', total, total);
  tick('descriptors', t);
  const f0 = first as unknown as { names: string[]; meta: FeatureMeta[]; speciesLabel: string };
  const names = f0.names;
  const meta = f0.meta;
  const p = names.length;
  for (const q of tests) checkNames(q.name, q.fm.names);
  const species = f0.speciesLabel;

  // 2. sufficient statistics per configuration (block CV: per group of rows, src/models/blocks.ts)
  t = now();
  let cvConfigs: CvConfig[];
  let cvOpts: CvOptions;
  let cvInfo: CvInfo;
  let fitStats: SufficientStats[];
  if (method === 'blocks') {
    const D = opts.train[0].system.dim;
    const reach = descriptorReach(opts.train[0].system, fo);
    const buffer = opts.buffer ?? reach.reach;
    const plan = planBlockCv(
      train.map((q, i) => ({ name: q.name, positions: opts.train[i].system.positions, box: opts.train[i].system.box, rows: q.rows, X: q.X, y: q.y! })),
      { blocksPerAxis: opts.blocks ?? (D === 2 ? 4 : 3), k: opts.folds ?? 5, buffer, slab: tests.length === 0 && (opts.holdout ?? 'slab') === 'slab', centerPerConfig: center === 'per-config' },
    );
    if (plan.slab) {
      train.forEach((q, i) => tests.push(subsetPrepared(q, plan.slabRows[i], `${q.name} [held-out slab x >= ${plan.slab!.from.toPrecision(4)}]`)));
    }
    train.forEach((q, i) => (train[i] = subsetPrepared(q, plan.trainRows[i], q.name)));
    cvConfigs = plan.groups;
    cvOpts = plan.cvOptions;
    cvInfo = {
      method, folds: plan.k, blocks: plan.blocks, blocksPerAxis: plan.blocksPerAxis, buffer, reach: reach.text,
      rowsDropped: plan.rowsDroppedPerFold.reduce((a, b) => a + b, 0), rowsDroppedPerFold: plan.rowsDroppedPerFold, rowsTestPerFold: plan.rowsTestPerFold,
      slab: plan.slab ? { ...plan.slab, testRows: plan.slabRows.reduce((a, r) => a + r.length, 0), bufferRows: plan.slabBufferRows } : null,
    };
    fitStats = train.map((q) => statsFromBlock(q.X, q.y!, q.rows.length, p, { center }));
  } else {
    // one statistics object per configuration serves the CV and the refit (per-config: relabelled)
    cvConfigs = trainStats.map((q) => ({ stats: q.stats }));
    fitStats = trainStats.map((q) => (center === 'per-config' ? perConfigStats(q.stats) : q.stats));
    const folds = Math.min(opts.folds ?? 5, trainStats.length);
    cvOpts = { k: folds, center };
    cvInfo = { method, folds };
  }
  const totalStats = sumStats(fitStats);
  const std = standardize(totalStats, names);
  tick('statistics', t);

  // 3. CV + refit per model, through the registry (src/models/registry.ts)
  const results: ModelResult[] = [];
  models.forEach((model, mi) => {
    progress(`cv ${model}`, mi, models.length);
    const tm = now();
    let cv: CvResult | null = null;
    let params: Record<string, number> = {};
    try {
      const sel = selectAndFit(model, std, cvConfigs, {
        cvAlways: true, cv: cvOpts, ridgeAlphas: opts.ridgeAlphas, l1Ratios: opts.l1Ratios, nAlphas: opts.nAlphas ?? 100, pcrMaxK: opts.pcrMaxK,
      });
      cv = sel.cv!;
      params = sel.params;
      const f = sel.fit;
      const perConfig = tests.map((q) => pearson(predict(f, q.X, q.rows.length), q.y!));
      results.push({
        model,
        params,
        cvScore: cv.best.score,
        cvStd: cv.curves[cv.best.curve].stdScore[cv.best.index],
        cvMse: cv.best.mse,
        testPearson: tests.length ? perConfig.reduce((a, b) => a + b, 0) / perConfig.length : null,
        testPearsonPerConfig: perConfig,
        nonzero: f.coef.reduce((n, c) => n + (c !== 0 ? 1 : 0), 0),
        fit: f,
        cv,
        warnings: sel.warnings,
      });
    } catch (e) {
      if (!(e instanceof GlassboxError)) throw e;
      results.push({
        model, params, cvScore: NaN, cvStd: NaN, cvMse: NaN, testPearson: null, testPearsonPerConfig: [], nonzero: 0,
        fit: null as unknown as LinearFit, cv, warnings: [], error: e.message,
      });
    }
    tick(`cv+fit ${model}`, tm);
  });
  const ok = results.filter((r) => !r.error);
  if (ok.length === 0) throw new GlassboxError(`every model failed: ${results.map((r) => `${r.model}: ${r.error}`).join('; ')}`);
  const best = ok.reduce((a, b) => (b.cvScore > a.cvScore ? b : a));

  // 4. test predictions (for plots)
  const predictions: TestPrediction[] = tests.map((q) => {
    const predicted: Record<string, Float64Array> = {};
    for (const r of ok) predicted[r.model] = predict(r.fit, q.X, q.rows.length);
    return { name: q.name, indices: q.rows, truth: q.y!, predicted };
  });

  // 5. diagnostics of the training problem
  t = now();
  progress('diagnostics', 0, 1);
  const col = collinearity(std);
  const diagnostics: FitResult['diagnostics'] = {
    conditionNumber: col.conditionNumber,
    eigenvalues: col.eigenvalues,
    vif: col.vif,
    keptNames: Array.from(std.kept, (k) => names[k]),
    dropped: std.droppedNames ?? [],
  };
  const B = opts.bootstrap ?? 20;
  if (B > 0 && fitStats.length >= 2) {
    diagnostics.stability = bootstrapStability(fitStats, (s) => fitOne(best.model, s, best.params), { B, names });
  }
  diagnostics.contributions = groupContributions(best.fit, std, meta);
  const pcrRes = results.find((r) => r.model === 'pcr' && !r.error);
  const kShow = Math.min(pcrRes ? pcrRes.params.k : 10, std.p, 10);
  const path = pcrPathStd(std, kShow);
  diagnostics.pcrLoadings = { k: kShow, loadings: path.loadings, explained: path.explainedVarianceRatio, names: diagnostics.keptNames };
  progress('diagnostics', 1, 1);
  tick('diagnostics', t);

  // 6. interpretability measured (src/models/interpret.ts)
  let interp: Interpretability | undefined;
  if (opts.interpret === true) {
    t = now();
    progress('interpretability', 0, 1);
    let units: SufficientStats[] = fitStats;
    if (method === 'blocks') {
      const byUnit = new Map<number, SufficientStats[]>();
      cvConfigs.forEach((g, i) => {
        const u = cvOpts.units![i];
        if (!byUnit.has(u)) byUnit.set(u, []);
        byUnit.get(u)!.push(g.stats);
      });
      units = [...byUnit.values()].map((l) => sumStats(l));
    }
    interp = interpretability({
      std, names, meta, dim: sig0!.dim, models: results, cvConfigs, cvOptions: cvOpts, units,
      unitKind: method === 'blocks' ? 'block-CV fold regions (configuration x fold)' : 'configurations',
      fitModel: (m, s, pp) => fitOne(m as ModelName, s, pp),
      testScore: (f) => (tests.length ? tests.map((q) => pearson(predict(f, q.X, q.rows.length), q.y!)).reduce((a, b) => a + b, 0) / tests.length : null),
      splits: opts.reproducibilitySplits, nAlphas: opts.nAlphas,
    });
    progress('interpretability', 1, 1);
    tick('interpretability', t);
  }
  timings.total = (now() - t0) / 1000;

  return {
    models: results,
    best,
    features: p,
    names,
    meta,
    species,
    dim: sig0!.dim,
    labels: sig0!.labels,
    structure,
    center,
    featureOptions: fo,
    trainConfigs: streaming ? trainStats.map((q) => q.name) : train.map((q) => q.name),
    testConfigs: tests.map((q) => q.name),
    rowsTrain: totalStats.n,
    scaler: { mean: std.mean, std: std.std, kept: std.kept },
    diagnostics,
    predictions,
    timings,
    cv: cvInfo,
    ...(interp ? { interpretability: interp } : {}),
  };
}

/** The same prepared configuration restricted to some of its evaluation rows. */
function subsetPrepared(q: Prepared, keep: Int32Array, name: string): Prepared {
  const p = q.fm.p;
  const X = new Float64Array(keep.length * p);
  keep.forEach((r, k) => X.set(q.X.subarray(r * p, (r + 1) * p), k * p));
  return { ...q, name, rows: Int32Array.from(keep, (r) => q.rows[r]), X, y: q.y ? Float64Array.from(keep, (r) => q.y![r]) : null };
}
