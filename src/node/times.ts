// Propensity over time on files (Node): what `glassbox fit --target-column 'dr_*'` and
// `glassbox fit --over-time` run.
//
// Two sources of time series:
//   columns    every training/test file holds several target columns (`dr_1,dr_2,...`, or a
//              pattern `dr_*`); the lag time of column `<name>_<j>` is the j-th value of the
//              extended-XYZ comment's `times="..."` when present, else --times.
//   over time  the training files are ONE configuration observed at several lag times (the eight
//              ka2d files): their starting structures must be identical (positions, species,
//              box, bit for bit; else an InputError names the first difference); each file's
//              propensity is the target at its time; lag times from --times.
// Descriptors (and inherent structures) are computed once; see src/workflow/times.ts.

import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { configurationsFromParsed, type Configuration } from '../workflow/configurations.js';
import { readSystems } from './fs.js';
import { cachedMinimizer, fitMinimizeOptions } from './minimize.js';
import { precomputeInherent } from './parallel/inherent.js';
import { checkFitInputs } from '../workflow/pipeline.js';
import type { FeatureOptions } from '../features/index.js';
import { expandFiles, type FitFilesOptions } from './files.js';
import { expandColumns, fitTimes, type TimePoint, type TimesResult } from '../workflow/times.js';

export interface FitTimesFilesOptions extends FitFilesOptions {
  /** Target columns: a comma list, `*` patterns allowed (`dr_*`). */
  targetColumns?: string;
  /** The training files are one configuration at several times (module comment). */
  overTime?: boolean;
  /** Lag times, one per column or file (overrides the files' own `times`). */
  times?: number[];
}

export interface FitTimesFilesResult extends TimesResult {
  trainConfigurations: Configuration[];
  testConfigurations: Configuration[];
  /** How the times were found ("columns dr_1..dr_8 of the files", "8 files, one structure"). */
  source: string;
  /** Temperature from the first training file's metadata (`temperature`, `T`), when present. */
  temperature?: number;
}

interface Read {
  configs: Configuration[];
  info: Record<string, string | number>[];
}

function readAll(files: string[], o: FitTimesFilesOptions, withTarget: boolean): Read {
  const configs: Configuration[] = [];
  const info: Record<string, string | number>[] = [];
  for (const f of files) {
    const parsed = readSystems(f, { box: o.box, density: o.density, dim: o.dim });
    const cs = configurationsFromParsed(parsed, { target: o.target ?? 'abs', requireTarget: withTarget, onWarning: o.onWarning ?? ((m) => console.error(`warning: ${m}`)) });
    configs.push(...cs);
    parsed.frames.forEach((fr) => info.push({ ...parsed.info, ...fr.info }));
  }
  return { configs, info };
}

/** The first difference between two starting structures, or null when identical. */
export function structureDifference(a: Configuration, b: Configuration): string | null {
  const sa = a.system, sb = b.system;
  if (sa.n !== sb.n || sa.dim !== sb.dim) return `${sb.n} particles in ${sb.dim}D vs ${sa.n} in ${sa.dim}D`;
  for (let k = 0; k < sa.box.length; k++) if (sa.box[k] !== sb.box[k]) return `box side ${k}: ${sb.box[k]} vs ${sa.box[k]}`;
  for (let i = 0; i < sa.n; i++) if (sa.labels[sa.species[i]] !== sb.labels[sb.species[i]]) return `species of particle ${i}`;
  for (let k = 0; k < sa.positions.length; k++) {
    if (sa.positions[k] !== sb.positions[k]) return `position of particle ${Math.floor(k / sa.dim)} (${sb.positions[k]} vs ${sa.positions[k]})`;
  }
  return null;
}

function lagTimes(info: Record<string, string | number> | undefined): number[] | null {
  const v = info?.times;
  if (typeof v !== 'string') return null;
  const xs = v.trim().split(/\s+/).map(Number);
  return xs.every((x) => Number.isFinite(x)) ? xs : null;
}

/** Read the files, build the time points, minimise once, fit every time (module comment). */
export async function fitFilesOverTimes(o: FitTimesFilesOptions): Promise<FitTimesFilesResult> {
  const t0 = performance.now();
  const trainFiles = expandFiles(o.train, 'train');
  const testFiles = expandFiles(o.test ?? [], 'test');
  const features: FeatureOptions = { ...(o.features ?? {}) };
  if (o.preset !== undefined) features.potential = o.preset;
  let train: Configuration[], test: Configuration[];
  let points: TimePoint[];
  let source: string;
  let info0: Record<string, string | number> | undefined;
  if (o.overTime) {
    if (o.targetColumns) throw new InputError('--over-time takes its targets from the files (one per file): drop --target-column');
    if (testFiles.length) throw new InputError('--over-time: the test set is a held-out slab of the configuration; give no --test files');
    if (trainFiles.length < 2) throw new InputError('--over-time needs at least 2 files (one per lag time)');
    const r = readAll(trainFiles, o, true);
    info0 = r.info[0];
    if (r.configs.length !== trainFiles.length) throw new InputError('--over-time: every file must hold one configuration (one frame)');
    r.configs.forEach((c, k) => {
      const why = structureDifference(r.configs[0], c);
      if (why) throw new InputError(`--over-time: ${trainFiles[k]} does not start from the structure of ${trainFiles[0]}: ${why}`);
    });
    if (o.times && o.times.length !== trainFiles.length) throw new InputError(`--times has ${o.times.length} values for ${trainFiles.length} files`);
    const base = r.configs[0];
    train = [{ ...base, inherent: r.configs.find((c) => c.inherent)?.inherent }];
    test = [];
    points = r.configs.map((c, k) => ({ label: basename(trainFiles[k]), t: o.times ? o.times[k] : null, train: [c.target!] }));
    source = `${trainFiles.length} files with one starting structure (${basename(trainFiles[0])} ...)`;
  } else {
    if (!o.targetColumns) throw new InputError('give --target-column with a comma list or a pattern (dr_*), or --over-time');
    const r = readAll(trainFiles, o, false);
    const rt = readAll(testFiles, o, false);
    info0 = r.info[0];
    train = r.configs;
    test = rt.configs;
    if (train.length === 0) throw new InputError('the training files hold no configurations');
    const cols = expandColumns(o.targetColumns, Object.keys(train[0].system.columns));
    const fileTimes = lagTimes(r.info[0]);
    if (o.times && o.times.length !== cols.length) throw new InputError(`--times has ${o.times.length} values for ${cols.length} target columns`);
    const col = (c: Configuration, name: string) => {
      const v = c.system.columns[name];
      if (!v) throw new InputError(`${c.name}: target column "${name}" is missing (columns: ${Object.keys(c.system.columns).join(', ') || 'none'})`);
      if (Array.isArray(v)) throw new InputError(`${c.name}: target column "${name}" is not numeric`);
      return Float64Array.from(v);
    };
    points = cols.map((name, k) => {
      const j = /_(\d+)$/.exec(name);
      const t = o.times ? o.times[k] : fileTimes && j && Number(j[1]) >= 1 && Number(j[1]) <= fileTimes.length ? fileTimes[Number(j[1]) - 1] : null;
      return { label: name, t, train: train.map((c) => col(c, name)), test: test.map((c) => col(c, name)) };
    });
    source = `columns ${cols.join(', ')} of the files${fileTimes && !o.times ? ' (lag times from the files\' times="...")' : ''}`;
  }
  const tRead = (performance.now() - t0) / 1000;
  const { train: _a, test: _b, preset: _c, box: _d, density: _e, dim: _f, target: _g, targetColumn: _h, testTargetColumn: _i, cacheDir, cache, onWarning, targetColumns: _j, overTime: _k, times: _l, minimizeOptions: mo, ...fitOpts } = o;
  const minimizeOptions = mo ?? fitMinimizeOptions(); // the fit rule, as fitFiles
  const withT = (cs: Configuration[], ys: Float64Array[]) => cs.map((c, i) => ({ ...c, target: ys[i] }));
  checkFitInputs({ ...fitOpts, train: withT(train, points[0].train), test: withT(test, points[0].test ?? []), features });
  const tInherent = await precomputeInherent([...train, ...test], o.preset, { structure: o.structure, cacheDir: cacheDir ?? '.glassbox-cache', cache, onProgress: o.onProgress, onWarning, options: minimizeOptions });
  const res = fitTimes({
    ...fitOpts,
    train,
    test,
    features,
    minimize: cachedMinimizer({ cacheDir: cacheDir ?? '.glassbox-cache', cache, onProgress: o.onProgress, onWarning, options: minimizeOptions }),
  }, points);
  res.timings = { read: tRead, ...(tInherent > 0 ? { minimise: tInherent } : {}), ...res.timings, total: (performance.now() - t0) / 1000 };
  const T = Number(info0?.temperature ?? info0?.T);
  return { ...res, trainConfigurations: train, testConfigurations: test, source, ...(Number.isFinite(T) ? { temperature: T } : {}) };
}
