// Grouped K-fold cross-validation by configuration (../shared/spec/regression.md,
// "Cross-validation"), for the elastic net (alpha x l1_ratio; one warm-started path per fold and
// l1_ratio), and for any solver of a grid (ridge alpha, PCR k) through the `Solver` interface.
//
// Folds never split a configuration: configuration c goes to fold c mod K, or, when the caller
// gives group labels (one per configuration), the distinct labels in order of first appearance
// are dealt to folds g mod K (configurations sharing a label share a fold).
// Training statistics of fold f: total - sum of the held-out configurations' statistics, then
// standardised on those training rows (src/models/stats.ts). With center = 'per-config' every
// configuration's statistics are first centred within the configuration (centerConfigStats).
//
// Scoring: predictions on each held-out configuration's evaluation rows (e.g. species A),
// for every grid point at once: P = X_eval V^T (one matrix product, laGemmNT), V = W / std the
// coefficient matrix in original units; then per configuration the Pearson correlation of
// prediction and target and the squared error (cvScoreBlocks). Fold score = mean Pearson over
// its held-out configurations; fold MSE = total squared error / evaluation rows. Curves: mean
// and (population, ddof 0) std over folds. Chosen: the best mean score (first on ties).
// A constant prediction (all coefficients 0) scores Pearson 0.

import { InputError } from '../errors.js';
import { wasm } from '../wasm/runtime.js';
import type { F64Buffer } from '../wasm/memory.js';
import { enetAlphaGrid, enetSolveGram, type EnetSolverOptions } from './enet.js';
// SEAM: statistics and standardisation come from branch `linalg` (src/models/stats.ts).
import { addStats, rebaseStats, standardize, subtractStats } from './stats.js';
import type { Standardized, SufficientStats } from './types.js';

export type Center = 'global' | 'per-config';

/** Rows per call of the prediction product. */
const GEMM_CHUNK = 256;

/** One configuration: statistics of its fitted rows and its evaluation rows. */
export interface CvConfig {
  /** Sufficient statistics of the rows the models are fitted on. */
  stats: SufficientStats;
  /** Evaluation rows (e.g. species A), nEval x p row-major, original column order. */
  evalX: Float64Array;
  /** Targets of the evaluation rows, length nEval. */
  evalY: Float64Array;
}

/**
 * A solver for a grid of one hyper-parameter: standardised coefficients (length std.p, order
 * std.kept) for every grid value. ridgePath / pcrPath (branch linalg) plug in here.
 */
export type Solver = (std: Standardized, grid: number[]) => Float64Array[];

export interface CvOptions {
  /** Number of folds (default 5). */
  k?: number;
  /** Group label per configuration (default: every configuration its own group). */
  groups?: ArrayLike<number>;
  /** 'per-config' (default: configurations are known here) or 'global'. */
  center?: Center;
  /**
   * Explicit fold of every configuration (values 0..k-1, each fold non-empty); overrides
   * `groups`. Used by spatial-block CV (src/models/blocks.ts), where a "configuration" is a
   * group of rows of one configuration and one block.
   */
  folds?: Int32Array;
  /** nConfigs x k row-major: 1 = configuration c is dropped from fold f's training rows (block-CV buffer). */
  excluded?: Uint8Array;
  /**
   * Scoring unit of every configuration (default: each its own). Held-out configurations of one
   * unit are pooled for one Pearson correlation; a unit's configurations must be contiguous.
   * Units with fewer than 3 evaluation rows are not scored (their rows still train other folds).
   */
  units?: Int32Array;
}

export interface CvCurve {
  /** The varied hyper-parameter ('alpha' or 'k'). */
  param: string;
  grid: Float64Array;
  /** Hyper-parameters held fixed along this curve (e.g. { l1Ratio: 0.5 }). */
  fixed: Record<string, number>;
  meanScore: Float64Array;
  stdScore: Float64Array;
  meanMse: Float64Array;
  stdMse: Float64Array;
  /** nFolds x grid row-major. */
  foldScores: Float64Array;
  foldMse: Float64Array;
}

export interface CvResult {
  model: string;
  k: number;
  center: Center;
  /** Fold of every configuration. */
  folds: Int32Array;
  scoring: string;
  curves: CvCurve[];
  best: { params: Record<string, number>; score: number; mse: number; curve: number; index: number };
  /** Solver warnings (e.g. iteration caps reached), with the fold they happened in. */
  warnings: string[];
}

/** Fold of each configuration: c mod K, or by group label (order of first appearance) mod K. */
export function cvFolds(nConfigs: number, k = 5, groups?: ArrayLike<number>): Int32Array {
  if (!(Number.isInteger(k) && k >= 2)) throw new InputError(`cv: k = ${k} folds, expected an integer >= 2`);
  const folds = new Int32Array(nConfigs);
  if (groups) {
    if (groups.length !== nConfigs) throw new InputError(`cv: ${groups.length} group labels for ${nConfigs} configurations`);
    const index = new Map<number, number>();
    for (let c = 0; c < nConfigs; c++) {
      if (!index.has(groups[c])) index.set(groups[c], index.size);
      folds[c] = index.get(groups[c])! % k;
    }
    if (index.size < k) throw new InputError(`cv: ${k} folds need at least ${k} groups of configurations, got ${index.size}`);
  } else {
    if (nConfigs < k) throw new InputError(`cv: ${k} folds need at least ${k} configurations, got ${nConfigs}`);
    for (let c = 0; c < nConfigs; c++) folds[c] = c % k;
  }
  return folds;
}

/**
 * Statistics of the same rows centred within their configuration:
 * XtX - sumX sumX^T / n, Xty - sumX sumY / n, yty - sumY^2 / n, sums 0.
 */
export function centerConfigStats(s: SufficientStats): SufficientStats {
  const { p, n } = s;
  if (!(n > 0)) throw new InputError('centerConfigStats: a configuration without rows');
  const { mx, my } = statsMeans(s);
  // the same rows around their own means, then read as data x - mean (shift 0, sums 0)
  const r = rebaseStats(s, mx, my);
  return { ...r, sumX: new Float64Array(p), sumY: 0, shift: new Float64Array(p), yShift: 0, center: 'per-config' };
}

/** Column and target means of the rows behind a statistics object (shift included). */
export function statsMeans(s: SufficientStats): { mx: Float64Array; my: number } {
  const mx = new Float64Array(s.p);
  for (let j = 0; j < s.p; j++) mx[j] = s.sumX[j] / s.n + (s.shift ? s.shift[j] : 0);
  return { mx, my: s.sumY / s.n + (s.yShift ?? 0) };
}

/** Data of one CV run held in wasm memory (evaluation rows of every configuration, concatenated). */
interface Prepared {
  p: number;
  folds: Int32Array;
  k: number;
  center: Center;
  /** statistics used for fitting (centred within configuration when center = 'per-config') */
  stats: SufficientStats[];
  /** feature and target means of every configuration's fitted rows (raw statistics) */
  means: { mx: Float64Array; my: number }[];
  total: SufficientStats;
  X: F64Buffer;
  y: F64Buffer;
  /** first evaluation row of each configuration (length nConfigs + 1) */
  rowStart: number[];
  /** nConfigs x k: dropped from fold f's training (null: none) */
  excluded: Uint8Array | null;
  /** pooled scoring units (null: every configuration its own unit) */
  units: { r0: number; r1: number; fold: number }[] | null;
  free(): void;
}

function prepare(configs: CvConfig[], opts: CvOptions): Prepared {
  if (configs.length === 0) throw new InputError('cv: no configurations');
  const p = configs[0].stats.p;
  const k = opts.k ?? 5;
  const center = opts.center ?? 'per-config';
  if (center !== 'global' && center !== 'per-config') throw new InputError(`cv: center = "${center}", expected "global" or "per-config"`);
  let folds: Int32Array;
  if (opts.folds) {
    if (!(Number.isInteger(k) && k >= 2)) throw new InputError(`cv: k = ${k} folds, expected an integer >= 2`);
    if (opts.folds.length !== configs.length) throw new InputError(`cv: ${opts.folds.length} folds for ${configs.length} configurations`);
    const seen = new Uint8Array(k);
    for (const f of opts.folds) {
      if (!(Number.isInteger(f) && f >= 0 && f < k)) throw new InputError(`cv: fold ${f} outside 0..${k - 1}`);
      seen[f] = 1;
    }
    if (seen.some((x) => !x)) throw new InputError(`cv: some of the ${k} folds hold no configuration`);
    folds = Int32Array.from(opts.folds);
  } else folds = cvFolds(configs.length, k, opts.groups);
  if (opts.excluded && opts.excluded.length !== configs.length * k) throw new InputError(`cv: excluded has ${opts.excluded.length} entries, expected ${configs.length} x ${k}`);
  if (opts.units && opts.units.length !== configs.length) throw new InputError(`cv: ${opts.units.length} units for ${configs.length} configurations`);
  if (opts.units && center === 'per-config') throw new InputError('cv: scoring units need center = "global" (centre the configurations before grouping)');
  const rowStart = [0];
  configs.forEach((cf, c) => {
    if (cf.stats.p !== p) throw new InputError(`cv: configuration ${c} has ${cf.stats.p} columns, configuration 0 has ${p}`);
    const ne = cf.evalY.length;
    if (cf.evalX.length !== ne * p) throw new InputError(`cv: configuration ${c}: evalX has ${cf.evalX.length} values, expected ${ne} rows x ${p} columns`);
    if (ne < 2 && !opts.units) throw new InputError(`cv: configuration ${c} has ${ne} evaluation rows, at least 2 are needed for a correlation`);
    rowStart.push(rowStart[rowStart.length - 1] + ne);
  });
  // scoring units: [first row, end row, fold] of each unit (contiguous configurations)
  const unitList: { r0: number; r1: number; fold: number }[] = [];
  if (opts.units) {
    const done = new Set<number>();
    for (let c = 0; c < configs.length; c++) {
      const u = opts.units[c];
      if (c > 0 && opts.units[c - 1] === u) {
        if (folds[c] !== folds[c - 1]) throw new InputError(`cv: unit ${u} spans two folds`);
        unitList[unitList.length - 1].r1 = rowStart[c + 1];
        continue;
      }
      if (done.has(u)) throw new InputError(`cv: the configurations of unit ${u} are not contiguous`);
      done.add(u);
      unitList.push({ r0: rowStart[c], r1: rowStart[c + 1], fold: folds[c] });
    }
  } else for (let c = 0; c < configs.length; c++) unitList.push({ r0: rowStart[c], r1: rowStart[c + 1], fold: folds[c] });
  const stats = configs.map((cf) => (center === 'per-config' ? centerConfigStats(cf.stats) : cf.stats));
  let total = stats[0];
  for (let c = 1; c < stats.length; c++) total = addStats(total, stats[c]);
  const w = wasm();
  const nRows = rowStart[rowStart.length - 1];
  const X = w.f64(nRows * p);
  const y = w.f64(nRows);
  configs.forEach((cf, c) => {
    X.set(cf.evalX, rowStart[c] * p);
    y.set(cf.evalY, rowStart[c]);
  });
  const means = configs.map((cf) => statsMeans(cf.stats));
  return {
    p, folds, k, center, stats, means, total, X, y, rowStart, excluded: opts.excluded ?? null, units: opts.units ? unitList : null,
    free() {
      X.free();
      y.free();
    },
  };
}

/** Training problem of fold f: standardise(total - held-out statistics). */
function foldProblem(pr: Prepared, f: number): Standardized {
  let train = pr.total;
  for (let c = 0; c < pr.stats.length; c++) {
    if (pr.folds[c] === f || (pr.excluded && pr.excluded[c * pr.k + f])) train = subtractStats(train, pr.stats[c]);
  }
  return standardize(train);
}

/**
 * Scores of the coefficient rows W (m x std.p, standardised) on fold f's held-out
 * configurations: Pearson per configuration averaged, and MSE.
 */
function scoreFold(pr: Prepared, f: number, std: Standardized, W: Float64Array, m: number): { score: Float64Array; mse: Float64Array } {
  const p = pr.p;
  const q = std.p;
  // held-out units: [config index for centring or -1, first row, end row]
  const held: { c: number; r0: number; r1: number }[] = [];
  if (pr.units) {
    for (const u of pr.units) if (u.fold === f && u.r1 - u.r0 >= 3) held.push({ c: -1, r0: u.r0, r1: u.r1 });
  } else for (let c = 0; c < pr.stats.length; c++) if (pr.folds[c] === f) held.push({ c, r0: pr.rowStart[c], r1: pr.rowStart[c + 1] });
  if (held.length === 0) throw new InputError(`cv: fold ${f} has no held-out unit with at least 3 evaluation rows`);
  // V = W / std in original columns (0 for dropped columns); b0_a = ybar - V_a . mean
  const V = new Float64Array(m * p);
  const b0 = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    let s = 0;
    for (let j = 0; j < q; j++) {
      const v = W[a * q + j] / std.std[j];
      V[a * p + std.kept[j]] = v;
      s += v * std.mean[j];
    }
    b0[a] = std.yMean - s;
  }
  const score = new Float64Array(m);
  const sse = new Float64Array(m);
  let nEval = 0;
  const w = wasm();
  w.scoped((sc) => {
    const Vb = sc.f64From(V);
    const off = sc.f64(m);
    const yOff = sc.f64(1);
    const starts = sc.i32(2);
    const pear = sc.f64(m);
    const se = sc.f64(m);
    let maxRows = 0;
    for (const h of held) maxRows = Math.max(maxRows, h.r1 - h.r0);
    const P = sc.f64(maxRows * m);
    for (const { c, r0, r1 } of held) {
      const nr = r1 - r0;
      // P = X_c V^T : predictions of every grid point (one matrix product, issued in row
      // chunks so that engines compiling wasm in tiers switch to the optimised code early)
      for (let i0 = 0; i0 < nr; i0 += GEMM_CHUNK) {
        const nc = Math.min(GEMM_CHUNK, nr - i0);
        w.exports.laGemmNT(pr.X.ptr + (r0 + i0) * p * 8, nc, p, Vb.ptr, m, p, p, P.ptr + i0 * m * 8);
      }
      const o = off.view;
      if (pr.center === 'per-config') {
        // centred with the configuration's own means (of its fitted rows): b_a = -V_a . mean_c
        const st = pr.means[c];
        for (let a = 0; a < m; a++) {
          let s = 0;
          for (let j = 0; j < p; j++) s += V[a * p + j] * st.mx[j];
          o[a] = -s;
        }
        yOff.view[0] = st.my;
      } else {
        o.set(b0);
        yOff.view[0] = 0;
      }
      starts.view.set([0, nr]);
      w.exports.cvScoreBlocks(P.ptr, m, pr.y.ptr + r0 * 8, 1, starts.ptr, off.ptr, yOff.ptr, pear.ptr, se.ptr);
      const pv = pear.view;
      const sv = se.view;
      for (let a = 0; a < m; a++) {
        score[a] += pv[a] / held.length;
        sse[a] += sv[a];
      }
      nEval += nr;
    }
  });
  for (let a = 0; a < m; a++) sse[a] /= nEval;
  return { score, mse: sse };
}

function emptyCurve(param: string, grid: ArrayLike<number>, fixed: Record<string, number>, k: number): CvCurve {
  const m = grid.length;
  return {
    param, grid: Float64Array.from(grid), fixed,
    meanScore: new Float64Array(m), stdScore: new Float64Array(m), meanMse: new Float64Array(m), stdMse: new Float64Array(m),
    foldScores: new Float64Array(k * m), foldMse: new Float64Array(k * m),
  };
}

function finishCurve(cv: CvCurve, k: number): void {
  const m = cv.grid.length;
  for (let a = 0; a < m; a++) {
    let s = 0, e = 0;
    for (let f = 0; f < k; f++) {
      s += cv.foldScores[f * m + a];
      e += cv.foldMse[f * m + a];
    }
    s /= k;
    e /= k;
    let vs = 0, ve = 0;
    for (let f = 0; f < k; f++) {
      vs += (cv.foldScores[f * m + a] - s) ** 2;
      ve += (cv.foldMse[f * m + a] - e) ** 2;
    }
    cv.meanScore[a] = s;
    cv.meanMse[a] = e;
    cv.stdScore[a] = Math.sqrt(vs / k);
    cv.stdMse[a] = Math.sqrt(ve / k);
  }
}

function pickBest(curves: CvCurve[]): CvResult['best'] {
  let best: CvResult['best'] | null = null;
  curves.forEach((cv, ci) => {
    for (let a = 0; a < cv.grid.length; a++) {
      const s = cv.meanScore[a];
      if (Number.isFinite(s) && (best === null || s > best.score)) {
        best = { params: { ...cv.fixed, [cv.param]: cv.grid[a] }, score: s, mse: cv.meanMse[a], curve: ci, index: a };
      }
    }
  });
  if (best === null) throw new InputError('cv: no grid point has a finite score');
  return best;
}

const SCORING = 'Pearson correlation per held-out configuration on its evaluation rows, averaged over the fold; mean and std (ddof 0) over folds';

export interface CvEnetOptions extends CvOptions, EnetSolverOptions {
  /** l1_ratio values (default [0.5]); one alpha curve each. */
  l1Ratios?: number[];
  nAlphas?: number;
  eps?: number;
  /** Explicit alphas (default: the grid of the full data for each l1_ratio, as ElasticNetCV). */
  alphas?: ArrayLike<number>;
}

/**
 * Elastic-net CV: for every l1_ratio, the alpha grid of the full data (alpha_max from all
 * configurations), one warm-started path per fold, scores of the whole path from one product.
 */
export function cvEnet(configs: CvConfig[], opts: CvEnetOptions = {}): CvResult {
  const pr = prepare(configs, opts);
  try {
    const l1s = opts.l1Ratios ?? [0.5];
    if (l1s.length === 0) throw new InputError('cv: l1Ratios is empty');
    const full = standardize(pr.total);
    const grids = l1s.map((l1) => (opts.alphas ? Float64Array.from(opts.alphas) : enetAlphaGrid(full, l1, opts.nAlphas ?? 100, opts.eps ?? 1e-3)));
    const curves = l1s.map((l1, i) => emptyCurve('alpha', grids[i], { l1Ratio: l1 }, pr.k));
    const warnings: string[] = [];
    for (let f = 0; f < pr.k; f++) {
      const std = foldProblem(pr, f);
      l1s.forEach((l1, i) => {
        const path = enetSolveGram(std, l1, grids[i], opts);
        for (const wmsg of path.warnings) warnings.push(`fold ${f}: ${wmsg}`);
        const m = grids[i].length;
        const { score, mse } = scoreFold(pr, f, std, path.coefStd, m);
        curves[i].foldScores.set(score, f * m);
        curves[i].foldMse.set(mse, f * m);
      });
    }
    curves.forEach((cv) => finishCurve(cv, pr.k));
    return { model: 'enet', k: pr.k, center: pr.center, folds: pr.folds, scoring: SCORING, curves, best: pickBest(curves), warnings };
  } finally {
    pr.free();
  }
}

/**
 * CV of any grid solver (ridge alphas, PCR k): the solver is called once per fold with the
 * whole grid. `param` names the hyper-parameter in the result.
 */
export function cvGrid(configs: CvConfig[], model: string, param: string, solver: Solver, grid: number[], opts: CvOptions = {}): CvResult {
  if (grid.length === 0) throw new InputError(`cv: empty ${param} grid`);
  const pr = prepare(configs, opts);
  try {
    const curve = emptyCurve(param, grid, {}, pr.k);
    const m = grid.length;
    for (let f = 0; f < pr.k; f++) {
      const std = foldProblem(pr, f);
      const ws = solver(std, grid);
      if (ws.length !== m) throw new InputError(`cv: the ${model} solver returned ${ws.length} coefficient vectors for ${m} grid values`);
      const W = new Float64Array(m * std.p);
      ws.forEach((w, a) => {
        if (w.length !== std.p) throw new InputError(`cv: the ${model} solver returned ${w.length} coefficients, expected ${std.p}`);
        W.set(w, a * std.p);
      });
      const { score, mse } = scoreFold(pr, f, std, W, m);
      curve.foldScores.set(score, f * m);
      curve.foldMse.set(mse, f * m);
    }
    finishCurve(curve, pr.k);
    return { model, k: pr.k, center: pr.center, folds: pr.folds, scoring: SCORING, curves: [curve], best: pickBest([curve]), warnings: [] };
  } finally {
    pr.free();
  }
}

/** Plain-JSON form of a CV result (typed arrays -> arrays). */
export function cvToJSON(r: CvResult): Record<string, unknown> {
  return {
    model: r.model,
    k: r.k,
    center: r.center,
    folds: Array.from(r.folds),
    scoring: r.scoring,
    best: r.best,
    curves: r.curves.map((c) => ({
      param: c.param,
      fixed: c.fixed,
      grid: Array.from(c.grid),
      meanScore: Array.from(c.meanScore),
      stdScore: Array.from(c.stdScore),
      meanMse: Array.from(c.meanMse),
      stdMse: Array.from(c.stdMse),
    })),
    warnings: r.warnings,
  };
}
