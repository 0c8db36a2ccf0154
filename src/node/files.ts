// The workflow on files (Node only): what `glassbox fit` and `glassbox predict` run, as two calls.
//
//   fitFiles({ train, test, preset, ... })   files -> configurations -> fit() (src/workflow/pipeline.ts)
//                                             -> FitResult + the best model as a model file
//   predictFiles(model.json, files, opts)    model file + files -> descriptors as the model says
//                                             -> per-particle predictions (optionally written
//                                             as extended XYZ or .npy + .meta.json)
//
// Inherent structures that a file does not store are computed by FIRE through the on-disk
// cache (src/node/minimize.ts). Outputs are checked before any work: an existing file is never
// overwritten without `force`, an input never.

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { configurationsFromParsed, type Configuration } from '../workflow/configurations.js';
import type { FeatureOptions } from '../features/index.js';
import type { BoxSpec } from '../io/common.js';
import { checkOutputs as checkOutputFiles, expandGlob, readBytes, readSystems, writeOutputFile } from './fs.js';
import { cachedMinimizer, fitMinimizeOptions } from './minimize.js';
import { modelFileFromResult, predictConfigurations, predictionsNpy, predictionsXyz, workflowOptions, checkConfigurations, type Prediction } from '../workflow/model-io.js';
import { loadModel, type GlassboxModel } from '../models/model-file.js';
import { fit, type FitOptions, type FitResult } from '../workflow/pipeline.js';
import { PROPENSITY_KINDS, type PropensityKind } from '../targets/targets.js';
import { precomputeInherent } from './parallel/inherent.js';
import { prepareFitInputs } from './parallel/prepare-many.js';
import { poolSize, WorkerPool } from './parallel/pool.js';
import type { PreparedInputs } from '../workflow/pipeline.js';
import { checkFitInputs } from '../workflow/pipeline.js';
import { precomputeCage } from './parallel/cage.js';
import { fitAuto, AUTO_UNION, type AutoFitResult } from '../workflow/structure-auto.js';
import { isCombination, needsCage, parseStructure } from '../workflow/structures.js';
import { resolveCageOptions, type CageOptions } from '../dynamics/dynamics.js';
import { checkPlausible } from '../workflow/plausibility.js';
import { checkOverlap } from '../workflow/overlap.js';
import { resolveMinimizeOptions, type MinimizeOptions, type PotentialSpec } from '../minimize/minimize.js';

type ProgressFn = (stage: string, done: number, total: number) => void;

/** How files are read into configurations (box for files that store none, target). */
export interface ReadConfigurationsOptions {
  /** Box side(s) for files that store none; a file's own box that differs is an InputError. */
  box?: BoxSpec;
  /** Cubic (square) box from the number density instead of `box`. */
  density?: number;
  dim?: 2 | 3;
  /** Propensity kind (default 'abs'). */
  target?: PropensityKind;
  /** Use this stored per-particle column as the target. */
  targetColumn?: string;
  /** Fail when a configuration has no target (default true). */
  requireTarget?: boolean;
  onWarning?: (msg: string) => void;
  /** Potential preset or pair potential for the plausibility checks (closest pair, density). */
  potential?: PotentialSpec;
}

/** File names and glob patterns (wildcards in the file name) -> existing files, in order. */
export function expandFiles(patterns: readonly string[], what = 'files'): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (/[*?[]/.test(p)) out.push(...expandGlob(p));
    else {
      if (!existsSync(p)) throw new InputError(`${what}: no such file "${p}"`);
      out.push(p);
    }
  }
  return out;
}

function checkTarget(t: string | undefined): PropensityKind | undefined {
  if (t !== undefined && !PROPENSITY_KINDS.includes(t as PropensityKind)) throw new InputError(`target must be one of ${PROPENSITY_KINDS.join(', ')}, got "${t}"`);
  return t as PropensityKind | undefined;
}

/** Configurations of every frame of every file (see configurationsFromParsed for the target). */
export function readConfigurations(files: readonly string[], opts: ReadConfigurationsOptions = {}): Configuration[] {
  const warn = opts.onWarning ?? ((m: string) => console.error(`warning: ${m}`));
  const out: Configuration[] = [];
  for (const f of files) {
    const parsed = readSystems(f, { box: opts.box, density: opts.density, dim: opts.dim });
    // before any work: a wrong box, preset or unit is an error naming what is off (src/workflow/plausibility.ts)
    parsed.frames.forEach((fr, k) => checkPlausible(fr.system, { name: parsed.frames.length > 1 ? `${f}[${k}]` : f, potential: opts.potential, wrapped: fr.info?.unwrapped === 'F' }));
    out.push(...configurationsFromParsed(parsed, { target: checkTarget(opts.target), targetColumn: opts.targetColumn, requireTarget: opts.requireTarget, onWarning: warn }));
  }
  return out;
}

export interface FitFilesOptions extends Omit<FitOptions, 'train' | 'test' | 'minimize' | 'features'>, Omit<ReadConfigurationsOptions, 'requireTarget'> {
  /** Training files (names or glob patterns). */
  train: string[];
  /** Target column of the test files when it differs from the training files' (e.g. `dr_8` of an
   * extended XYZ file tested against npz training data with runs). Default: as for training. */
  testTargetColumn?: string;
  /** Test files, never seen in fitting or CV. */
  test?: string[];
  /** Potential preset (KA3D | KA2D): species names, diameters, energy family. */
  preset?: string;
  /** Further descriptor options (the preset goes in `potential`). */
  features?: FeatureOptions;
  /** Inherent-structure cache directory (default .glassbox-cache) or false for none. */
  cacheDir?: string;
  cache?: boolean;
  /** Cage-state protocol (structure parts cage / dCS; src/dynamics/dynamics.ts cageState). */
  cageOptions?: CageOptions;
  /** Minimiser of the inherent structures (default the fit rule, fitMinimizeOptions(): 'fast';
   * minimizeRule('lammps') for LAMMPS's). Recorded in the model file for predictFiles. */
  minimizeOptions?: MinimizeOptions;
  onProgress?: ProgressFn;
  /** Proceed (with a loud warning each) when a configuration occurs twice or in train and test. */
  allowOverlap?: boolean;
}

export interface FitFilesResult extends FitResult {
  /** With structure 'auto': every candidate's CV and test score, and the chosen combination. */
  auto?: AutoFitResult['auto'];
  /** Duplicate / leaked configurations accepted with allowOverlap (src/workflow/overlap.ts). */
  overlap: string[];
  /** The best model (by CV score) as a model file, ready for saveModel / predictFiles. */
  model: GlassboxModel;
  trainConfigurations: Configuration[];
  testConfigurations: Configuration[];
}

/**
 * Read the files and run the workflow (src/workflow/pipeline.ts fit). Inherent structures the files do not
 * store are minimised first, all configurations at once on all cores (GLASSBOX_THREADS), cached;
 * on the same pool, each configuration's descriptors are computed as soon as its inherent
 * structure is known. Timings gain `read` and `minimise` (wall time to the last minimisation,
 * descriptors computed beside the minimisations included); `descriptors` is then the wall time
 * after the last minimisation.
 */
export async function fitFiles(o: FitFilesOptions): Promise<FitFilesResult> {
  const t0 = performance.now();
  const progress = o.onProgress ?? (() => {});
  if (!o.train || o.train.length === 0) throw new InputError('train: give the training configurations');
  const target = checkTarget(o.target) ?? 'abs';
  const read: ReadConfigurationsOptions = { box: o.box, density: o.density, dim: o.dim, target, targetColumn: o.targetColumn, onWarning: o.onWarning, potential: o.preset };
  progress('reading', 0, 1);
  const trainFiles = expandFiles(o.train, 'train');
  const testFiles = expandFiles(o.test ?? [], 'test');
  const trainC = readConfigurations(trainFiles, read);
  const testC = readConfigurations(testFiles, o.testTargetColumn ? { ...read, targetColumn: o.testTargetColumn } : read);
  progress('reading', 1, 1);
  const tRead = (performance.now() - t0) / 1000;
  const features: FeatureOptions = { ...(o.features ?? {}) };
  if (o.preset !== undefined) features.potential = o.preset;
  const { train: _a, test: _b, preset: _c, box: _d, density: _e, dim: _f, target: _g, targetColumn: _h, testTargetColumn: _i, cacheDir, cache, onWarning, cageOptions, allowOverlap: _j, minimizeOptions: mo, ...fitOpts } = o;
  const minimizeOptions = mo ?? fitMinimizeOptions();
  resolveMinimizeOptions(minimizeOptions); // bad options: an error before any work
  const auto = o.structure === 'auto';
  const needed = auto ? AUTO_UNION : o.structure;
  const sig = checkFitInputs({ ...fitOpts, structure: needed, train: trainC, test: testC, features });
  const overlap = checkOverlap(trainC, testC, { allow: o.allowOverlap, warn: o.onWarning }).problems;
  let tDescr = 0;
  let tInherent = 0;
  let tCage = 0;
  const all = [...trainC, ...testC];
  const inherentOpts = { structure: needed, cacheDir: cacheDir ?? '.glassbox-cache', cache, onProgress: o.onProgress, onWarning, options: minimizeOptions };
  // descriptors of every configuration on all cores (the same numbers as fit() computing them in
  // turn): training configurations come back as their statistics (rows dropped in the workers),
  // test configurations as rows; the plain structures only (auto and cage parts keep fit's own path)
  const structure = o.structure ?? (features.potential ? 'inherent' : 'thermal');
  let prepared: PreparedInputs | undefined;
  const descriptorProgress = (d: number, n: number) => o.onProgress?.('descriptors', d, n);
  if (!auto && o.cv !== 'blocks' && ['thermal', 'inherent', 'both'].includes(structure as string) && (structure === 'thermal' || features.potential) && trainC.length >= 2) {
    const t1 = performance.now();
    let got: Awaited<ReturnType<typeof prepareFitInputs>>;
    const size = poolSize(all.length);
    if (size > 1) {
      // One pool for both stages: every minimisation is queued first, and a configuration's
      // descriptor task is queued as soon as its inherent structure is known, so the worker left
      // idle while the last minimisations run describes the configurations already minimised.
      // The same tasks and inputs as the two stages one after the other: the same numbers.
      const pool = new WorkerPool(size).warm();
      const release = new Map<Configuration, () => void>();
      const ready = all.map((c) => (c.inherent ? Promise.resolve() : new Promise<void>((res) => release.set(c, res))));
      let tMinEnd = t1;
      try {
        [tInherent, got] = await Promise.all([
          precomputeInherent(all, o.preset, { ...inherentOpts, pool, onReady: (c) => release.get(c)?.() }).then((t) => {
            tMinEnd = performance.now();
            for (const r of release.values()) r(); // thermal (nothing minimised): every configuration as it is
            return t;
          }),
          prepareFitInputs(trainC, testC, features, structure as 'thermal' | 'inherent' | 'both', o.species, { pool, ready: (k) => ready[k], onProgress: descriptorProgress }),
        ]);
      } finally {
        await pool.close();
      }
      // wall time after the last minimisation (the descriptors computed beside it are in `minimise`)
      tDescr = (performance.now() - tMinEnd) / 1000;
    } else {
      tInherent = await precomputeInherent(all, o.preset, inherentOpts);
      got = await prepareFitInputs(trainC, testC, features, structure as 'thermal' | 'inherent' | 'both', o.species, { onProgress: descriptorProgress });
      tDescr = (performance.now() - t1) / 1000 - tInherent;
    }
    prepared = { train: got.train, test: got.test, dim: sig.dim, labels: sig.labels };
  } else {
    tInherent = await precomputeInherent(all, o.preset, inherentOpts);
    tCage = await precomputeCage(all, o.preset, needed, { options: cageOptions, cacheDir: cacheDir ?? '.glassbox-cache', cache, onProgress: o.onProgress });
  }
  const result: FitResult & { auto?: AutoFitResult['auto'] } = (auto ? fitAuto : fit)({
    ...fitOpts,
    train: trainC,
    test: testC,
    features,
    prepared,
    minimize: cachedMinimizer({ cacheDir: cacheDir ?? '.glassbox-cache', cache, onProgress: o.onProgress, onWarning, options: minimizeOptions }),
  });
  if (prepared) result.timings.descriptors = tDescr;
  result.timings = { read: tRead, ...(tInherent > 0 ? { minimise: tInherent } : {}), ...(tCage > 0 ? { cage: tCage } : {}), ...result.timings, total: (performance.now() - t0) / 1000 };
  // the inherent structures' minimiser is recorded, so that predictFiles minimises new files the same way
  const model = modelFileFromResult(result, result.best, { target: o.targetColumn ? `column ${o.targetColumn}` : target, minimize: minimizeOptions });
  if (isCombination(result.structure) && needsCage(parseStructure(result.structure))) {
    (model.featureOptions as Record<string, unknown>).cage = resolveCageOptions(cageOptions);
  }
  return { ...result, model, trainConfigurations: trainC, testConfigurations: testC, overlap };
}

export interface PredictFilesOptions extends ReadConfigurationsOptions {
  /** Write the predictions here: .xyz/.extxyz (extended XYZ) or .npy (+ <name>.meta.json). */
  out?: string;
  /** Overwrite existing outputs. */
  force?: boolean;
  /** Names written in the XYZ species column (e.g. { A: 'Ni', B: 'P' } for ASE, which needs chemical symbols). */
  speciesNames?: Record<string, string>;
  cacheDir?: string;
  cache?: boolean;
  onProgress?: ProgressFn;
}

export interface PredictFilesResult {
  model: GlassboxModel;
  configurations: Configuration[];
  predictions: Prediction[];
  /** Files written (empty without `out`). */
  written: string[];
}

/** The output files of `out` (the .npy's metadata beside it), and its kind. */
export function predictionOutputs(out: string): { kind: 'xyz' | 'npy'; files: string[] } {
  if (/\.npy$/i.test(out)) return { kind: 'npy', files: [out, out.replace(/\.npy$/i, '') + '.meta.json'] };
  if (/\.(ext)?xyz$/i.test(out)) return { kind: 'xyz', files: [out] };
  throw new InputError(`output ${out}: expected a .xyz, .extxyz or .npy file name`);
}

function checkOutputs(files: string[], inputs: string[], force: boolean): void {
  checkOutputFiles(files, { force, inputs });
}

/** One top-level key per line, values compact (the per-particle species lists stay short). */
function compactJSON(o: Record<string, unknown>): string {
  return '{\n' + Object.entries(o).map(([k, v]) => ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n') + '\n}\n';
}

/** Read a model file (InputError when missing, not a glassbox model, from another version, or not from fit). */
export function readModelFile(path: string): GlassboxModel {
  if (!existsSync(path)) throw new InputError(`--model ${path}: no such file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8').decode(readBytes(path));
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`--model ${e.message}${/directory/.test(e.message) ? ' (give DIR/model.json, written by glassbox fit --out DIR)' : ''}`);
    throw e;
  }
  const m = loadModel(text, path);
  workflowOptions(m, path);
  return m;
}

/**
 * Per-particle predictions of a saved workflow model on configuration files: descriptors
 * as the model says (structure, options; inherent structures from the files or FIRE), then
 * the model (src/workflow/model-io.ts predictConfigurations). Pearson r on the model's species when a
 * file has a target. The target kind defaults to the model's.
 */
export async function predictFiles(modelPath: string, files: readonly string[], o: PredictFilesOptions = {}): Promise<PredictFilesResult> {
  const outs = o.out ? predictionOutputs(o.out) : null;
  const inputs = [modelPath, ...files];
  if (outs) checkOutputs(outs.files, inputs, !!o.force);
  const model = readModelFile(modelPath);
  const wo = workflowOptions(model, modelPath);
  if (files.length === 0) throw new InputError('give at least one configuration file to predict on');
  const paths = expandFiles(files, 'predict');
  if (outs) checkOutputs(outs.files, [modelPath, ...paths], !!o.force);
  const modelTarget = wo.target && PROPENSITY_KINDS.includes(wo.target as PropensityKind) ? (wo.target as PropensityKind) : undefined;
  const configurations = readConfigurations(paths, { ...o, target: o.target ?? modelTarget, requireTarget: o.requireTarget ?? false, potential: o.potential ?? (wo.descriptors.potential as PotentialSpec | undefined) });
  if (configurations.length === 0) throw new InputError('the files hold no configurations');
  checkConfigurations(model, configurations, modelPath);
  if (outs?.kind === 'npy') {
    const bad = configurations.find((c) => c.system.n !== configurations[0].system.n);
    if (bad) throw new InputError(`${bad.name} has ${bad.system.n} particles, ${configurations[0].name} has ${configurations[0].system.n}: a .npy holds configurations of one size; write extended XYZ (-o out.xyz) instead`);
  }
  // inherent structures the files lack: all at once on all cores (cached), as fitFiles does
  const pot = typeof wo.descriptors.potential === 'string' ? wo.descriptors.potential : undefined;
  // the model's minimiser (model files before the fit rule record none: FIRE's defaults, as then)
  const recorded = wo.minimize;
  const minimizeOptions: MinimizeOptions = recorded && typeof recorded === 'object' ? { ...recorded } : {};
  await precomputeInherent(configurations, pot, { structure: wo.structure, cacheDir: o.cacheDir ?? '.glassbox-cache', cache: o.cache, onProgress: o.onProgress, onWarning: o.onWarning, options: minimizeOptions });
  await precomputeCage(configurations, pot, wo.structure, { options: (wo as { cage?: CageOptions }).cage, cacheDir: o.cacheDir ?? '.glassbox-cache', cache: o.cache, onProgress: o.onProgress });
  const predictions = predictConfigurations(model, configurations, {
    file: modelPath,
    minimize: cachedMinimizer({ cacheDir: o.cacheDir ?? '.glassbox-cache', cache: o.cache, onProgress: o.onProgress, onWarning: o.onWarning, options: minimizeOptions }),
    onProgress: o.onProgress,
  });
  const written: string[] = [];
  if (outs && o.out) {
    if (outs.kind === 'xyz') {
      writeOutputFile(o.out, predictionsXyz(configurations, predictions, model, { speciesNames: o.speciesNames }), { force: !!o.force, inputs: [modelPath, ...paths] });
      written.push(o.out);
    } else {
      const { npy, meta } = predictionsNpy(configurations, predictions, model, { model: modelPath });
      writeOutputFile(outs.files[0], npy, { force: !!o.force, inputs: [modelPath, ...paths] });
      writeOutputFile(outs.files[1], compactJSON(meta), { force: !!o.force, inputs: [modelPath, ...paths] });
      written.push(...outs.files);
    }
  }
  return { model, configurations, predictions, written };
}
