// Fit one linear model to any feature matrix: rows grouped by configuration, per-configuration
// sufficient statistics, optional per-configuration centring, hyper-parameter chosen by
// grouped K-fold CV when not given, final fit on all rows, portable model. The workflow under
// `glassbox regress` (src/cli/regress.ts); conventions in ../shared/spec/regression.md.
// The models, their grids and solvers are the registry's (src/models/registry.ts, selectAndFit):
// the same path and defaults as `fit` (src/workflow/pipeline.ts).

import { scaleColumns, unscaleModel } from './scale.js';
import { InputError } from '../errors.js';
import { type CvConfig, type CvResult } from './cv.js';
import { cvToJSON } from './cv.js';
import { modelFileFromFit, type GlassboxModel } from './model-file.js';
import { perConfigStats, standardize, statsFromBlock, sumStats } from './stats.js';
import { modelEntry, selectAndFit, type RegistryOptions } from './registry.js';
import type { Center, ModelName, SufficientStats } from './types.js';

export interface FitMatrixOptions extends RegistryOptions {
  model: ModelName;
  /** Configuration label of every row (rows of one configuration are never split by CV). */
  groups?: ArrayLike<number>;
  /** Column names (default x0, x1, ...). */
  names?: string[];
  alpha?: number;
  /** Elastic-net mixing (default 0.5; 'lasso' forces 1). */
  l1Ratio?: number;
  /** PCR components. */
  k?: number;
  /** Default: 'per-config' when groups are given, else 'global'. */
  center?: Center;
  /** CV folds: used when given, and (default 5) when a hyper-parameter must be chosen. */
  cv?: number;
  featureOptions?: unknown;
}

export interface FitMatrixResult {
  model: GlassboxModel;
  cv: CvResult | null;
  /** Names of the dropped (constant) columns. */
  dropped: string[];
  warnings: string[];
}

/** Split rows by configuration label (order of first appearance). */
export function splitConfigs(n: number, groups?: ArrayLike<number>): { labels: number[]; rows: Int32Array[] } {
  if (!groups) return { labels: [0], rows: [Int32Array.from({ length: n }, (_, i) => i)] };
  if (groups.length !== n) throw new InputError(`groups has ${groups.length} labels for ${n} rows`);
  const index = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = Number(groups[i]);
    if (!Number.isFinite(g)) throw new InputError(`groups[${i}] = ${groups[i]} is not a number`);
    let l = index.get(g);
    if (!l) index.set(g, (l = []));
    l.push(i);
  }
  return { labels: [...index.keys()], rows: [...index.values()].map((r) => Int32Array.from(r)) };
}

function gatherRows(X: Float64Array, y: Float64Array, p: number, rows: Int32Array): { X: Float64Array; y: Float64Array } {
  const Xc = new Float64Array(rows.length * p);
  const yc = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    Xc.set(X.subarray(r * p, (r + 1) * p), i * p);
    yc[i] = y[r];
  });
  return { X: Xc, y: yc };
}

/** Fit `opts.model` to the n x p row-major X and target y (see the header). */
export function fitMatrix(X: Float64Array, y: Float64Array, n: number, p: number, opts: FitMatrixOptions): FitMatrixResult {
  if (X.length !== n * p) throw new InputError(`X has ${X.length} values, expected ${n} rows x ${p} columns`);
  if (y.length !== n) throw new InputError(`y has ${y.length} values, expected ${n} (one per row of X)`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(y[i])) throw new InputError(`y[${i}] = ${y[i]} is not finite`);
  for (let i = 0; i < X.length; i++) {
    if (!Number.isFinite(X[i])) throw new InputError(`X[${Math.floor(i / p)}, ${i % p}] = ${X[i]} is not finite`);
  }
  // columns around 1e200 or 1e-200: exact power-of-two rescaling (undone on the model below)
  const scaled = scaleColumns(X, y, n, p);
  X = scaled.X;
  if (opts.names && opts.names.length !== p) throw new InputError(`${opts.names.length} names for ${p} columns`);
  const names = opts.names ?? Array.from({ length: p }, (_, j) => `x${j}`);
  const center: Center = opts.center ?? (opts.groups ? 'per-config' : 'global');
  let kind: ModelName = opts.model;
  const l1Ratio = kind === 'lasso' ? 1 : opts.l1Ratio ?? 0.5;
  if (kind === 'enet' && l1Ratio === 1) kind = 'lasso';
  const entry = modelEntry(kind);
  // per-configuration statistics around each configuration's own means (one Gram pass each);
  // the per-config form is the same sums relabelled (perConfigStats), exactly as fit() does
  const { rows } = splitConfigs(n, opts.groups);
  const stats: SufficientStats[] = rows.map((r) => {
    const b = rows.length === 1 ? { X, y } : gatherRows(X, y, p, r);
    return statsFromBlock(b.X, b.y, r.length, p);
  });
  const total = sumStats(center === 'per-config' ? stats.map(perConfigStats) : stats);
  const std = standardize(total);
  if (std.p === 0) throw new InputError('every column of X is constant: nothing to fit');
  const dropped = Array.from(std.dropped, (j) => names[j]);

  const fixed = entry.param === null || (kind === 'pcr' ? opts.k !== undefined : opts.alpha !== undefined);
  const wantCv = opts.cv !== undefined || !fixed;
  const K = opts.cv ?? 5;
  if (wantCv && rows.length < K) {
    const what = kind === 'pcr' ? 'k' : 'alpha';
    throw new InputError(
      fixed
        ? `--cv ${K} needs at least ${K} configurations (give --groups, one configuration label per row); got ${rows.length}`
        : `choosing ${what} needs cross-validation over configurations: give --groups (one configuration label per row, at least ${K} configurations) or a fixed --${what}; got ${rows.length} configuration(s)`,
    );
  }
  if (opts.k !== undefined && !(Number.isInteger(opts.k) && opts.k >= 1 && opts.k <= std.p)) {
    throw new InputError(`--k ${opts.k}: expected an integer in [1, ${std.p}] (kept columns)`);
  }
  const configs: CvConfig[] | null = wantCv ? stats.map((s) => ({ stats: s })) : null;
  const given: Record<string, number> = {};
  if (kind === 'pcr' && opts.k !== undefined) given.k = opts.k;
  if (kind !== 'pcr' && kind !== 'ols' && opts.alpha !== undefined) given.alpha = opts.alpha;
  if (kind === 'enet') given.l1Ratio = l1Ratio;
  const sel = selectAndFit(kind, std, configs, { ...opts, fixed: given, cvAlways: wantCv, cv: { k: K, center } });
  const m = modelFileFromFit(sel.fit, std, { model: kind, params: entry.fileParams(sel.params), center, names, cv: sel.cv ? cvToJSON(sel.cv) : null, featureOptions: opts.featureOptions });
  if (scaled.s) unscaleModel(m, scaled.s);
  return { model: m, cv: sel.cv, dropped, warnings: sel.warnings };
}
