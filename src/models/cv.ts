// Grouped K-fold cross-validation by configuration (../shared/spec/regression.md,
// "Cross-validation"), for the elastic net (alpha x l1_ratio; one warm-started path per fold and
// l1_ratio), and for any solver of a grid (ridge alpha, PCR k) through the `Solver` interface.
//
// Folds never split a configuration: configuration c goes to fold c mod K, or, when the caller
// gives group labels (one per configuration), the distinct labels in order of first appearance
// are dealt to folds g mod K (configurations sharing a label share a fold).
// Training statistics of fold f: total - sum of the held-out configurations' statistics, then
// standardised on those training rows (src/models/stats.ts). With center = 'per-config' every
// configuration's statistics are first put in their per-configuration form (perConfigStats: the
// same sums relabelled, as the refit's statistics in fit / fitMatrix).
//
// Scoring from statistics (no evaluation rows are kept): with p_i = v . x_i + b (v = W / std the
// coefficients in original units) on a held-out unit (a configuration, or a pooled block-CV
// unit) with evaluation-row statistics centred on the unit's own means (n, means mx, my,
// Sxx = sum (x - mx)(x - mx)^T, Sxy = sum (x - mx)(y - my), Syy = sum (y - my)^2):
//   cov = v . Sxy,   var p = v^T Sxx v   (Sxx V^T for every grid point at once: one product,
//   laGemmNT),       Pearson = cov / sqrt(var p Syy)   (0 when either variance is 0),
//   SSE = sum (y - yOff - p)^2 = Syy - 2 cov + var p + n d^2,  d = my - yOff - v . mx - b,
// exact identities of the rows' sums, so memory does not grow with the rows. Fold score = mean
// Pearson over its held-out units; fold MSE = total squared error / evaluation rows. Curves: mean
// and (population, ddof 0) std over folds. Chosen: the best mean score (first on ties).
// A constant prediction (all coefficients 0) scores Pearson 0.

import { InputError } from '../errors.js';
import { wasm } from '../wasm/runtime.js';
import { enetAlphaGrid, enetSolveGram, type EnetSolverOptions } from './enet.js';
import { accumulateStats, centeredGram, perConfigStats, standardize, statsFromBlock, statsMeans, sumStats } from './stats.js';
import type { Center, Standardized, SufficientStats } from './types.js';

export { centerConfigStats, statsMeans } from './stats.js';

/**
 * One configuration (or block-CV group): statistics of its fitted rows and of its evaluation
 * rows. The evaluation rows are given as statistics (`evalStats`), or as rows (`evalX`, `evalY`:
 * turned into statistics at once), or not at all: then they are the fitted rows (`stats`).
 */
export interface CvConfig {
  /** Sufficient statistics of the rows the models are fitted on (around their own means, as statsFromBlock makes them). */
  stats: SufficientStats;
  /** Sufficient statistics of the evaluation rows (e.g. species A); absent: `stats` (the same rows). */
  evalStats?: SufficientStats;
  /** Evaluation rows, nEval x p row-major, original column order (instead of evalStats). */
  evalX?: Float64Array;
  /** Targets of the evaluation rows, length nEval (with evalX). */
  evalY?: Float64Array;
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

/** Grouped K-fold CV of one model: a score curve (mean and std over folds of the per-configuration Pearson r, and MSE) for each fixed setting, and the chosen hyper-parameters (best mean score, first on ties). */
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

/** Data of one CV run: statistics only (no rows). */
interface Prepared {
  p: number;
  folds: Int32Array;
  k: number;
  center: Center;
  /** statistics used for fitting (per-configuration form when center = 'per-config') */
  stats: SufficientStats[];
  /** feature and target means of every configuration's fitted rows */
  means: { mx: Float64Array; my: number }[];
  total: SufficientStats;
  /** nConfigs x k: dropped from fold f's training (null: none) */
  excluded: Uint8Array | null;
  /** scoring units: evaluation statistics (pooled over the unit's configurations), fold, and the configuration for per-config offsets (-1: pooled) */
  units: { eval: SufficientStats; fold: number; c: number }[];
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
  const evals = configs.map((cf, c) => {
    if (cf.stats.p !== p) throw new InputError(`cv: configuration ${c} has ${cf.stats.p} columns, configuration 0 has ${p}`);
    let ev = cf.evalStats;
    if (!ev && cf.evalX) {
      if (!cf.evalY) throw new InputError(`cv: configuration ${c}: evalX without evalY`);
      const ne = cf.evalY.length;
      if (cf.evalX.length !== ne * p) throw new InputError(`cv: configuration ${c}: evalX has ${cf.evalX.length} values, expected ${ne} rows x ${p} columns`);
      ev = ne > 0 ? statsFromBlock(cf.evalX, cf.evalY, ne, p) : { ...cf.stats, n: 0 };
    }
    ev ??= cf.stats;
    if (ev.p !== p) throw new InputError(`cv: configuration ${c}: its evaluation statistics have ${ev.p} columns, expected ${p}`);
    if (ev.n < 2 && !opts.units) throw new InputError(`cv: configuration ${c} has ${ev.n} evaluation rows, at least 2 are needed for a correlation`);
    return ev;
  });
  // scoring units: contiguous configurations of one unit label, their evaluation statistics pooled
  const units: Prepared['units'] = [];
  if (opts.units) {
    const done = new Set<number>();
    let members: number[] = [];
    const close = () => {
      const list = members.map((c) => evals[c]).filter((e) => e.n > 0);
      if (list.length) units.push({ eval: sumStats(list), fold: folds[members[0]], c: -1 });
      else units.push({ eval: { ...evals[members[0]], n: 0 }, fold: folds[members[0]], c: -1 });
    };
    for (let c = 0; c < configs.length; c++) {
      const u = opts.units[c];
      if (c > 0 && opts.units[c - 1] === u) {
        if (folds[c] !== folds[c - 1]) throw new InputError(`cv: unit ${u} spans two folds`);
        members.push(c);
        continue;
      }
      if (done.has(u)) throw new InputError(`cv: the configurations of unit ${u} are not contiguous`);
      done.add(u);
      if (members.length) close();
      members = [c];
    }
    if (members.length) close();
  } else for (let c = 0; c < configs.length; c++) units.push({ eval: evals[c], fold: folds[c], c });
  const stats = configs.map((cf) => (center === 'per-config' ? perConfigStats(cf.stats) : cf.stats));
  const total = sumStats(stats);
  const means = configs.map((cf) => statsMeans(cf.stats));
  return { p, folds, k, center, stats, means, total, excluded: opts.excluded ?? null, units };
}

/** Training problem of fold f: standardise(total - held-out statistics), in one buffer. */
function foldProblem(pr: Prepared, f: number): Standardized {
  const held: SufficientStats[] = [];
  for (let c = 0; c < pr.stats.length; c++) {
    if (pr.folds[c] === f || (pr.excluded && pr.excluded[c * pr.k + f])) held.push(pr.stats[c]);
  }
  return standardize(held.length ? accumulateStats(pr.total, held, -1, 'subtractStats') : pr.total);
}

// The preparation of a CV (per-configuration statistics, folds, units) and its fold problems are
// the same for every model CV'd on the same configurations with the same fold options (a fit's
// ridge, elastic net and the lasso of the interpretability measures): memoised per configurations
// array (WeakMap: freed with it; the array and its statistics must not change afterwards) and
// fold options. Solvers only read a Standardized, so sharing one is safe.
interface PreparedCv {
  pr: Prepared;
  full: Standardized | null;
  problems: (Standardized | undefined)[];
}
const prepCache = new WeakMap<CvConfig[], Map<string, PreparedCv>>();

function foldKey(o: CvOptions): string {
  const a = (x?: ArrayLike<number>) => (x ? Array.from(x).join(',') : '-');
  return [o.k ?? 5, o.center ?? 'per-config', a(o.groups), a(o.folds), a(o.excluded), a(o.units)].join('|');
}

function preparedCv(configs: CvConfig[], opts: CvOptions): PreparedCv {
  let byKey = prepCache.get(configs);
  if (!byKey) prepCache.set(configs, (byKey = new Map()));
  const key = foldKey(opts);
  let e = byKey.get(key);
  if (!e) byKey.set(key, (e = { pr: prepare(configs, opts), full: null, problems: [] }));
  return e;
}

function problemOf(e: PreparedCv, f: number): Standardized {
  return (e.problems[f] ??= foldProblem(e.pr, f));
}

/**
 * Scores of the coefficient rows W (m x std.p, standardised) on fold f's held-out units, from
 * their evaluation statistics (module comment): Pearson per unit averaged, and MSE.
 */
function scoreFold(pr: Prepared, f: number, std: Standardized, W: Float64Array, m: number): { score: Float64Array; mse: Float64Array } {
  const p = pr.p;
  const q = std.p;
  const held = pr.units.filter((u) => u.fold === f && (u.c >= 0 || u.eval.n >= 3));
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
    const Sb = sc.f64(p * p);
    const Q = sc.f64(p * m);
    for (const u of held) {
      // Sxx straight into wasm memory (no p x p temporary per unit)
      const G = centeredGram(u.eval, Sb.view);
      // Q = Sxx V^T (p x m): Q[j, a] = sum_k Sxx[j, k] V[a, k]
      w.exports.laGemmNT(Sb.ptr, p, p, Vb.ptr, m, p, p, Q.ptr);
      const Qv = Q.view;
      // offsets: per-config = centred on the configuration's fitted-row means; global = b0
      let yOff = 0;
      const mf = u.c >= 0 && pr.center === 'per-config' ? pr.means[u.c] : null;
      if (mf) yOff = mf.my;
      for (let a = 0; a < m; a++) {
        let cov = 0, vp = 0, vm = 0, vf = 0;
        for (let j = 0; j < p; j++) {
          const v = V[a * p + j];
          cov += v * G.Sxy[j];
          vp += v * Qv[j * m + a];
          vm += v * G.mx[j];
          if (mf) vf += v * mf.mx[j];
        }
        const b = mf ? -vf : b0[a];
        const d = G.my - yOff - vm - b;
        score[a] += (vp > 0 && G.Syy > 0 ? cov / Math.sqrt(vp * G.Syy) : 0) / held.length;
        sse[a] += Math.max(0, G.Syy - 2 * cov + vp) + G.n * d * d;
      }
      nEval += G.n;
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
  const e = preparedCv(configs, opts);
  const pr = e.pr;
  {
    const l1s = opts.l1Ratios ?? [0.5];
    if (l1s.length === 0) throw new InputError('cv: l1Ratios is empty');
    const full = (e.full ??= standardize(pr.total));
    const grids = l1s.map((l1) => (opts.alphas ? Float64Array.from(opts.alphas) : enetAlphaGrid(full, l1, opts.nAlphas ?? 100, opts.eps ?? 1e-3)));
    const curves = l1s.map((l1, i) => emptyCurve('alpha', grids[i], { l1Ratio: l1 }, pr.k));
    const warnings: string[] = [];
    for (let f = 0; f < pr.k; f++) {
      const std = problemOf(e, f);
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
  }
}

/**
 * CV of any grid solver (ridge alphas, PCR k): the solver is called once per fold with the
 * whole grid. `param` names the hyper-parameter in the result.
 */
export function cvGrid(configs: CvConfig[], model: string, param: string, solver: Solver, grid: number[], opts: CvOptions = {}): CvResult {
  if (grid.length === 0) throw new InputError(`cv: empty ${param} grid`);
  const e = preparedCv(configs, opts);
  const pr = e.pr;
  {
    const curve = emptyCurve(param, grid, {}, pr.k);
    const m = grid.length;
    for (let f = 0; f < pr.k; f++) {
      const std = problemOf(e, f);
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
