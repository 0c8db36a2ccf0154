// glassbox fit: configurations -> descriptors -> grouped-CV models -> test scores, model file, report.

import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { checkOutputs, writeOutputFile } from '../node/fs.js';
import { ALL_MODELS, type FitResult, type ModelName, type Structure, type Center, type CvMethod } from '../workflow/pipeline.js';
import type { FeatureOptions } from '../features/index.js';
import { PROPENSITY_KINDS, type PropensityKind } from '../targets/targets.js';
import { packageRoot } from '../wasm/node.js';
import { saveModel } from '../models/model-file.js';
import { fitFiles } from '../node/files.js';
import { parse, num, numList, COMMON, boxArg, listArg } from './args.js';
import { resultsJSON, resultsTable } from '../workflow/results.js';
import { parseStructure } from '../workflow/structures.js';
import { resolveCageOptions } from '../dynamics/dynamics.js';
import { minimizeRule } from '../minimize/minimize.js';

/** Largest --bootstrap (each resample refits every model: 1e9 ran until killed). */
export const MAX_BOOTSTRAP = 10000;
import { progressReporter } from './progress.js';
import { isTimesRun, runTimes } from './fit-times.js';

const HELP = `usage: glassbox fit --train FILES --test FILES [options]
  --train F...    training configurations (several files, e.g. an unquoted glob dir/*.npz; commas; repeat)
  --test F...     test configurations (never seen in fitting or CV; a configuration also in --train is refused)
  --default-data  the embedded KA 3D data: train configs 1-4, test 9 and 10, preset KA3D
  --preset P      potential preset (KA3D | KA2D): species names, diameters, energy family
  --box L         box side(s) when the files store none: L or Lx,Ly[,Lz]
  --density RHO   box from the number density instead (cubic/square)
  --target K      abs | msd | cage_abs (default abs)
  --target-column NAME   use a stored per-particle column as the target; a comma list or a
                  pattern ('dr_*') fits every column (lag times), descriptors computed once
  --over-time     the --train files are one configuration observed at several lag times
                  (same starting structure, checked), one target per file
  --times T       lag times, one per column or file (default: the xyz comment's times="...")
  --published F   overlay published r(t) curves (glassbench_published_curves.json) in the report
                  where the system (preset) and temperature match
  --test-target-column NAME   the test files' target column, when it differs (e.g. dr_8 of an xyz)
  --species S     species to fit and evaluate on (default: the first, e.g. A)
  --model M       ridge | enet | pcr | ols | all, or a comma list (default ridge,enet)
  --folds K       CV folds (default 5)
  --cv M          configs (grouped by configuration; default with >= 2 training configurations)
                  | blocks (spatial blocks with a buffer; default with one; docs/spec/cv-blocks.md)
  --blocks N      blocks per axis for --cv blocks (default 4 in 2D, 3 in 3D)
  --interpret I   on (default) | off: ridge trace, elastic-net/lasso paths, PCR curve, 1-SE
                  model, weight reproducibility, named components (JSON, report)
  --holdout H     slab (default) | none: with --cv blocks and no --test, hold out a slab of
                  the box (with the same buffer) as the test set, or nothing
  --buffer D      buffer of --cv blocks (default: the descriptors' reach, printed; 0 = none)
  --levels L      CG levels of R and A (default 0,1,2); --scales S: scales of P and E
                  (default 1.5,2,3,4,5); --families F: R,A,P,E (default all known)
  --center C      per-config (default) | global
  --structure S   thermal | inherent | both (default inherent when a potential is known), or a
                  comma list of thermal, inherent, cage, dIS, dCS (e.g. inherent,cage,dIS), or
                  auto: try the sensible combinations, choose by CV alone
  --cage-time T   cage states: length of each run (default 2 time units)
  --cage-runs R   cage states: independent runs averaged (default 4)
  --cage-temperature T   cage states: temperature (default 0.44)
  --cage-seed S   cage states: seed of the first run (default 1)
  --l1-ratio R    elastic-net l1_ratio values, comma list (default 0.5)
  --bootstrap B   bootstrap resamples for coefficient stability (default 20, 0 = off)
  --cache DIR     inherent-structure cache (default .glassbox-cache)
  --min-rule R    minimiser of the inherent structures: fast (default: FIRE until |F|_2 < 1e-3,
                  then L-BFGS until |F|_2 < 1e-6; the same minima, ~1.7x fewer force
                  evaluations, each cheaper) | lammps (FIRE until |F|_2 < 1e-8, as LAMMPS's min_style fire);
                  recorded in model.json, so predict minimises new files the same way
  --out DIR       write model.json and report.html there (refuses to overwrite without --force)
  --force         overwrite existing outputs
  --allow-overlap proceed when a configuration occurs twice (or in train and test), with a warning
  --json          print the results as one JSON object
  --stats S       fit from statistics shards (glassbox stats; files or a directory) instead of
                  --train/--test; --test-stats S for test shards (or shards made with --role test)
  --quiet         no progress bar`;

/** --cv, --blocks, --buffer, --holdout, --interpret, --levels, --scales, --families (values checked by the option layer). */
function cvArgs(v: Record<string, unknown>): { cv?: CvMethod; blocks?: number; buffer?: number; holdout?: 'slab' | 'none'; interpret: boolean; features?: FeatureOptions } {
  const interpret = (v.interpret as string | undefined) ?? 'on';
  const holdout = v.holdout as string | undefined;
  const cv = v.cv as string | undefined;
  const blocks = num(v.blocks as string | undefined, 'blocks');
  const buffer = num(v.buffer as string | undefined, 'buffer');
  const list = (name: string) => (v[name] === undefined ? undefined : String(v[name]).split(',').map((x) => num(x, name)!));
  const features: FeatureOptions = {};
  if (v.levels !== undefined) features.levels = list('levels');
  if (v.scales !== undefined) features.scales = list('scales');
  if (v.families !== undefined) features.families = String(v.families).split(',').map((x) => x.trim().toUpperCase()) as FeatureOptions['families'];
  return { cv: cv as CvMethod | undefined, blocks, buffer, holdout: holdout as 'slab' | 'none' | undefined, interpret: interpret === 'on', ...(Object.keys(features).length ? { features } : {}) };
}

export { cvLine, cvJSON, interpretLines, resultsJSON, resultsTable } from '../workflow/results.js';
export { boxArg } from './args.js';

export async function run(argv: string[]): Promise<number> {
  const { values: v } = parse(argv, {
    train: { type: 'string', multiple: true, variadic: true },
    test: { type: 'string', multiple: true, variadic: true },
    'default-data': { type: 'boolean' },
    preset: { type: 'string' },
    box: COMMON.box,
    density: COMMON.density,
    dim: COMMON.dim,
    target: { type: 'string', choices: PROPENSITY_KINDS },
    'target-column': { type: 'string' },
    'test-target-column': { type: 'string' },
    species: { type: 'string' },
    model: { type: 'string', list: true, choices: [...ALL_MODELS, 'all'] },
    folds: { type: 'string', int: true, min: 2 },
    cv: { type: 'string', choices: ['blocks', 'configs'] },
    'over-time': { type: 'boolean' },
    times: { type: 'string', number: true, list: true, gt: 0 },
    published: { type: 'string' },
    blocks: { type: 'string', int: true, min: 1 },
    buffer: { type: 'string', number: true, min: 0 },
    holdout: { type: 'string', choices: ['slab', 'none'] },
    interpret: { type: 'string', choices: ['on', 'off'] },
    levels: { type: 'string', int: true, list: true, min: 0 },
    scales: { type: 'string', number: true, list: true, gt: 0 },
    families: { type: 'string' },
    center: { type: 'string', choices: ['per-config', 'global'] },
    structure: { type: 'string' },
    'cage-time': { type: 'string' },
    'cage-runs': { type: 'string' },
    'cage-temperature': { type: 'string' },
    'cage-seed': { type: 'string' },
    'l1-ratio': { type: 'string', number: true, list: true, gt: 0, max: 1 },
    bootstrap: { type: 'string', int: true, min: 0, max: MAX_BOOTSTRAP },
    cache: { type: 'string' },
    'min-rule': { type: 'string', choices: ['fast', 'lammps'] },
    out: { type: 'string' },
    force: { type: 'boolean' },
    'allow-overlap': { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    stats: { type: 'string', multiple: true },
    'test-stats': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  }, false);
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  if (v.stats !== undefined) return (await import('./fit-stats.js')).runStats(v);
  let trainFiles = listArg(v.train);
  let testFiles = listArg(v.test);
  let preset = v.preset as string | undefined;
  let out = v.out as string | undefined;
  if (v['default-data']) {
    const d = join(packageRoot(), 'data', 'ka3d-T0.44-mini');
    if (trainFiles.length === 0) trainFiles = [1, 2, 3, 4].map((i) => join(d, `config${i}.npz`));
    if (testFiles.length === 0) testFiles = [9, 10].map((i) => join(d, `config${i}.npz`));
    preset ??= 'KA3D';
    out ??= 'out';
  }
  if (trainFiles.length === 0) throw new InputError('--train: give the training configurations (or --default-data)');
  const target = (v.target as string | undefined) ?? 'abs';
  if (!PROPENSITY_KINDS.includes(target as PropensityKind)) throw new InputError(`--target must be one of ${PROPENSITY_KINDS.join(', ')}, got "${target}"`);
  const modelArg = (v.model as string | undefined) ?? 'ridge,enet';
  const models = (modelArg === 'all' ? [...ALL_MODELS] : modelArg.split(',')) as ModelName[];
  for (const m of models) if (!ALL_MODELS.includes(m)) throw new InputError(`--model must be ridge, enet, pcr, ols, all or a comma list, got "${m}"`);
  const center = (v.center as string | undefined) ?? 'per-config';
  if (center !== 'per-config' && center !== 'global') throw new InputError(`--center must be per-config or global, got "${center}"`);
  const structure = v.structure as string | undefined;
  if (structure !== undefined && !['thermal', 'inherent', 'both', 'auto'].includes(structure)) parseStructure(structure);
  const cageOptions = {
    ...(v['cage-time'] !== undefined ? { time: num(v['cage-time'] as string, 'cage-time') } : {}),
    ...(v['cage-runs'] !== undefined ? { runs: num(v['cage-runs'] as string, 'cage-runs') } : {}),
    ...(v['cage-temperature'] !== undefined ? { temperature: num(v['cage-temperature'] as string, 'cage-temperature') } : {}),
    ...(v['cage-seed'] !== undefined ? { seed: num(v['cage-seed'] as string, 'cage-seed') } : {}),
  };
  resolveCageOptions(cageOptions);
  const dim = v.dim === undefined ? undefined : (Number(v.dim) as 2 | 3);
  if (dim !== undefined && dim !== 2 && dim !== 3) throw new InputError(`--dim must be 2 or 3`);

  // outputs are checked before any work, so a long run never ends in a refusal
  const outFiles = out ? ['model.json', 'report.html', 'results.json'].map((f) => join(out!, f)) : [];
  const inputs = [...trainFiles, ...testFiles].map((f) => resolve(f));
  if (out && existsSync(out) && !statSync(out).isDirectory()) throw new InputError(`--out ${out} exists and is not a directory`);
  if (out && existsSync(out)) checkOutputs(outFiles, { force: !!v.force, inputs });

  const showProgress = !v.quiet && !v.json && process.stderr.isTTY;
  const progress = progressReporter(showProgress);
  const common = {
    train: trainFiles,
    test: testFiles,
    preset,
    box: boxArg(v.box as string | undefined),
    density: num(v.density as string | undefined, 'density'),
    dim,
    target: target as PropensityKind,
    targetColumn: v['target-column'] as string | undefined,
    testTargetColumn: v['test-target-column'] as string | undefined,
    species: v.species as string | undefined,
    models,
    folds: num(v.folds as string | undefined, 'folds'),
    ...cvArgs(v),
    center: center as Center,
    structure: structure as Structure | undefined,
    l1Ratios: numList(v['l1-ratio'] as string | undefined, 'l1-ratio'),
    bootstrap: num(v.bootstrap as string | undefined, 'bootstrap'),
    cacheDir: (v.cache as string | undefined) ?? '.glassbox-cache',
    ...(v['min-rule'] !== undefined ? { minimizeOptions: minimizeRule(v['min-rule'] as string) } : {}),
    cageOptions,
    onProgress: progress,
    allowOverlap: !!v['allow-overlap'],
  };
  if (isTimesRun(v['target-column'] as string | undefined, !!v['over-time'])) {
    const times = numList(v.times as string | undefined, 'times');
    const code = await runTimes({ ...common, interpret: v.interpret === 'on', targetColumn: undefined, targetColumns: v['target-column'] as string | undefined, overTime: !!v['over-time'], times },
      { dir: out, force: !!v.force, json: !!v.json, published: v.published as string | undefined }, inputs);
    progress.done();
    return code;
  }
  const result = await fitFiles(common);
  progress.done();
  // solver notes and CV optima at the edge of a grid (src/models/registry.ts), one line each
  for (const m of result.models) for (const w of m.warnings ?? []) console.error(`glassbox fit: warning: ${w}`);
  // a value bent to fit the data is said on stderr and recorded in the results (results.json, --json)
  const folds = num(v.folds as string | undefined, 'folds');
  if (folds !== undefined && folds !== result.cv.folds) {
    const why = result.cv.method === 'configs' ? 'at most one fold per training configuration' : 'at most one fold per spatial block that holds training rows';
    (result as { clamped?: object }).clamped = { folds: { requested: folds, used: result.cv.folds, why } };
    console.error(`glassbox fit: note: --folds ${folds} reduced to ${result.cv.folds} (${why})`);
  }

  if (out) {
    mkdirSync(out, { recursive: true });
    const t = performance.now();
    const { renderFitReport } = await import('../report/fit-report.js');
    const testC = result.testConfigurations;
    const report = await renderFitReport(result, testC.length ? testC : result.trainConfigurations.slice(0, 1));
    writeOutputFile(join(out, 'model.json'), saveModel(result.model), { force: !!v.force, inputs });
    writeOutputFile(join(out, 'results.json'), JSON.stringify(resultsJSON(result), null, 1) + '\n', { force: !!v.force, inputs });
    writeOutputFile(join(out, 'report.html'), report, { force: !!v.force, inputs });
    result.timings.report = (performance.now() - t) / 1000;
  }
  if (v.json) console.log(JSON.stringify(resultsJSON(result), null, 1));
  else {
    console.log(resultsTable(result));
    if (out) console.log(`wrote ${join(out, 'model.json')}, ${join(out, 'results.json')} and ${join(out, 'report.html')}`);
  }
  return 0;
}
