// Fit one linear model to any feature matrix: rows grouped by configuration, per-configuration
// sufficient statistics, optional per-configuration centring, hyper-parameter chosen by
// grouped K-fold CV when not given, final fit on all rows, portable model. The workflow under
// `glassbox regress` (src/cli/regress.ts); conventions in ../shared/spec/regression.md.

import { numericalRank, scaleColumns, unscaleModel } from './scale.js';
import { InputError } from '../errors.js';
import { centerConfigStats, cvEnet, cvGrid, cvToJSON, type Center, type CvConfig, type CvResult, type Solver } from './cv.js';
import { enetAlphaGrid, enetFit, enetSolveGram } from './enet.js';
import { buildModel, type GlassboxModel, type ModelKind } from './model-file.js';
// SEAM (branch linalg): statistics, standardisation, OLS / ridge / PCR solvers.
import { addStats, standardize, statsFromBlock } from './stats.js';
import { olsCoefStd } from './ols.js';
import { ridgePathStd } from './ridge.js';
import { pcrPathStd } from './pcr.js';

/** Solvers on the standardised problem: standardised coefficients (kept columns). */
const olsFit = (std: Standardized): Float64Array => olsCoefStd(std).w;
const ridgePath: Solver = (std, alphas) => ridgePathStd(std, alphas);
/** PCR for each k of the grid from one eigendecomposition (k clipped to the kept columns). */
export const pcrPath: Solver = (std, ks) => {
  const K = Math.min(Math.max(...ks), std.p);
  const path = pcrPathStd(std, K);
  return ks.map((k) => path.w[Math.min(k, K) - 1]);
};
import type { Standardized, SufficientStats } from './types.js';
import { dpow } from '../wasm/detmath.js';

export interface FitMatrixOptions {
  model: ModelKind;
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
  tol?: number;
  maxIter?: number;
  /** Solvers for ols / ridge / pcr (defaults: src/models/ols.ts, ridge.ts, pcr.ts). */
  solvers?: { ols?: (std: Standardized) => Float64Array; ridge?: Solver; pcr?: Solver };
  featureOptions?: unknown;
}

export interface FitMatrixResult {
  model: GlassboxModel;
  cv: CvResult | null;
  /** Names of the dropped (constant) columns. */
  dropped: string[];
  warnings: string[];
}

/** Ridge grid for CV: alpha = n 10^t, t = -6 .. 2 in 50 steps (penalty alpha/n on C = X^T X/n). */
export function ridgeAlphaGrid(n: number, count = 50): number[] {
  return Array.from({ length: count }, (_, i) => n * dpow(10, -6 + (8 * i) / (count - 1)));
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
  const kind = opts.model;
  const solvers = {
    ols: opts.solvers?.ols ?? olsFit,
    ridge: opts.solvers?.ridge ?? ridgePath,
    pcr: opts.solvers?.pcr ?? pcrPath,
  };
  const { rows } = splitConfigs(n, opts.groups);
  const blocks = rows.map((r) => (rows.length === 1 ? { X, y } : gatherRows(X, y, p, r)));
  const stats: SufficientStats[] = blocks.map((b, c) => statsFromBlock(b.X, b.y, rows[c].length, p));
  let total: SufficientStats | null = null;
  for (const s of stats) {
    const t = center === 'per-config' ? centerConfigStats(s) : s;
    total = total ? addStats(total, t) : t;
  }
  const std = standardize(total!);
  if (std.p === 0) throw new InputError('every column of X is constant: nothing to fit');
  const dropped = Array.from(std.dropped, (j) => names[j]);

  const fixed = kind === 'ols' || (kind === 'pcr' ? opts.k !== undefined : opts.alpha !== undefined);
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
  const configs: CvConfig[] = wantCv ? blocks.map((b, c) => ({ stats: stats[c], evalX: b.X, evalY: b.y })) : [];
  const cvOpts = { k: K, center };
  const warnings: string[] = [];
  let cv: CvResult | null = null;
  let wKept: Float64Array;
  let params: Record<string, number> = {};
  let model: ModelKind = kind;

  if (kind === 'enet' || kind === 'lasso') {
    const l1Ratio = kind === 'lasso' ? 1 : opts.l1Ratio ?? 0.5;
    if (l1Ratio === 1) model = 'lasso';
    const solverOpts = { tol: opts.tol, maxIter: opts.maxIter };
    let alpha = opts.alpha;
    if (wantCv) {
      cv = cvEnet(configs, { ...cvOpts, ...solverOpts, l1Ratios: [l1Ratio], alphas: alpha !== undefined ? [alpha] : undefined });
      warnings.push(...cv.warnings);
    }
    if (alpha === undefined) {
      // refit along the full-data grid down to the chosen alpha (warm starts)
      const grid = enetAlphaGrid(std, l1Ratio);
      const i = cv!.best.index;
      const path = enetSolveGram(std, l1Ratio, grid.subarray(0, i + 1), solverOpts);
      warnings.push(...path.warnings);
      alpha = grid[i];
      wKept = path.coefStd.slice(i * std.p, (i + 1) * std.p);
    } else {
      const f = enetFit(std, { alpha, l1Ratio, ...solverOpts });
      warnings.push(...f.warnings);
      wKept = f.coefStd;
    }
    params = { alpha, l1Ratio };
  } else if (kind === 'ridge') {
    const grid = opts.alpha !== undefined ? [opts.alpha] : ridgeAlphaGrid(std.n);
    if (wantCv) cv = cvGrid(configs, 'ridge', 'alpha', solvers.ridge, grid, cvOpts);
    const alpha = opts.alpha ?? cv!.best.params.alpha;
    wKept = solvers.ridge(std, [alpha])[0];
    params = { alpha };
  } else if (kind === 'pcr') {
    // k never above the numerical rank of X (rank-deficient X: the CV grid stops there)
    const rank = numericalRank(std);
    const kmax = Math.min(std.p, 100, rank);
    if (rank < std.p && opts.k === undefined) warnings.push(`PCR: X has numerical rank ${rank} (< ${std.p} kept columns): k is chosen among 1..${kmax}`);
    if (opts.k !== undefined && !(Number.isInteger(opts.k) && opts.k >= 1 && opts.k <= std.p)) {
      throw new InputError(`--k ${opts.k}: expected an integer in [1, ${std.p}] (kept columns)`);
    }
    const grid = opts.k !== undefined ? [opts.k] : Array.from({ length: kmax }, (_, i) => i + 1);
    if (wantCv) cv = cvGrid(configs, 'pcr', 'k', solvers.pcr, grid, cvOpts);
    const k = opts.k ?? cv!.best.params.k;
    wKept = solvers.pcr(std, [k])[0];
    params = { k };
  } else if (kind === 'ols') {
    if (wantCv) cv = cvGrid(configs, 'ols', 'none', (s) => [solvers.ols(s)], [0], cvOpts);
    wKept = solvers.ols(std);
  } else {
    throw new InputError(`model "${kind}": expected ols, ridge, enet, lasso or pcr`);
  }
  const m = buildModel({ std, wKept, model, params, center, names, cv: cv ? cvToJSON(cv) : null, featureOptions: opts.featureOptions });
  if (scaled.s) unscaleModel(m, scaled.s);
  return { model: m, cv, dropped, warnings };
}
