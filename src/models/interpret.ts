// Interpretability measured (issue 9; docs/spec/cv-blocks.md "Interpretability"): PCR over the
// numerically non-singular components, the 1-SE rule over model paths, weight reproducibility
// on disjoint halves, and components named by their correlation with physical summaries.

// PCR over the usable components lives with PCR (src/models/pcr.ts); re-exported here.
export { usableComponents, pcrPathCapped } from './pcr.js';
import { pearson } from './pearson.js';
import { correlationEigen } from './spectrum.js';
import type { Standardized } from './types.js';

// ------------------------------------------------------------------------------------------------

import { InputError } from '../errors.js';
import type { FeatureMeta } from '../features/types.js';
import { cvEnet, type CvConfig, type CvOptions, type CvResult } from './cv.js';
import { enetSolveGram } from './enet.js';
import { ridgePathStd } from './ridge.js';
import { standardize, sumStats } from './stats.js';
import { mulberry32 } from './diagnostics.js';
import type { LinearFit, SufficientStats } from './types.js';

export interface FrontierPoint {
  model: string;
  /** Non-zero coefficients (enet, lasso) or components k (PCR). */
  size: number;
  cvScore: number;
  /** Standard error of the CV mean: sd over folds / sqrt(folds). */
  cvSe: number;
  params: Record<string, number>;
}

export interface OneSE {
  model: string;
  size: number;
  params: Record<string, number>;
  cvScore: number;
  testPearson: number | null;
  /** Named features (enet, lasso: non-zeros by |w|) or components with their top loadings (PCR). */
  features: string[];
}

/**
 * The 1-SE rule over a frontier: best = the highest CV score, SE its standard error,
 * threshold = best - SE; the chosen point is the smallest size (>= 1) whose score >= threshold,
 * the highest score among equal sizes, the first listed on exact ties. null without points.
 */
export function oneSERule(points: readonly FrontierPoint[]): { best: FrontierPoint; threshold: number; chosen: FrontierPoint } | null {
  const ok = points.filter((q) => Number.isFinite(q.cvScore) && q.size >= 1);
  if (ok.length === 0) return null;
  const best = ok.reduce((a, b) => (b.cvScore > a.cvScore ? b : a));
  const threshold = best.cvScore - (Number.isFinite(best.cvSe) ? best.cvSe : 0);
  let chosen: FrontierPoint | null = null;
  for (const q of ok) {
    if (q.cvScore < threshold) continue;
    if (!chosen || q.size < chosen.size || (q.size === chosen.size && q.cvScore > chosen.cvScore)) chosen = q;
  }
  return { best, threshold, chosen: chosen! };
}

/** Pearson correlation of two weight vectors (NaN when either is constant). */
export function weightCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new InputError(`weightCorrelation: ${a.length} vs ${b.length} weights`);
  return pearson(a, b);
}

/** Random halves of nUnits units: S splits, each a shuffled order with the first floor(n/2) in half A. */
export function randomHalves(nUnits: number, splits: number, seed = 1): { a: number[]; b: number[] }[] {
  if (nUnits < 2) throw new InputError(`reproducibility: ${nUnits} unit(s) cannot be split into two halves`);
  const r = mulberry32(seed);
  const out: { a: number[]; b: number[] }[] = [];
  for (let s = 0; s < splits; s++) {
    const idx = Array.from({ length: nUnits }, (_, i) => i);
    for (let i = nUnits - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    const h = Math.floor(nUnits / 2);
    out.push({ a: idx.slice(0, h).sort((x, y) => x - y), b: idx.slice(h).sort((x, y) => x - y) });
  }
  return out;
}

/**
 * Weight reproducibility of one model: for every split, the model (fixed hyper-parameters) fitted
 * on the statistics of half A and of half B; the correlation of the two standardised weight
 * vectors (all original columns, 0 for dropped ones). Splits whose fit fails count as NaN and are
 * left out of the mean.
 */
export function reproducibility(units: readonly SufficientStats[], fit: (s: ReturnType<typeof standardize>) => LinearFit, halves: { a: number[]; b: number[] }[], names?: string[]): { mean: number; values: number[] } {
  const values = halves.map(({ a, b }) => {
    try {
      const fa = fit(standardize(sumStats(a.map((i) => units[i])), names));
      const fb = fit(standardize(sumStats(b.map((i) => units[i])), names));
      return weightCorrelation(fa.coefStd, fb.coefStd);
    } catch (e) {
      if (e instanceof Error && e.name !== 'TypeError' && e.name !== 'RangeError') return NaN;
      throw e;
    }
  });
  const ok = values.filter((v) => Number.isFinite(v));
  return { mean: ok.length ? ok.reduce((x, y) => x + y, 0) / ok.length : NaN, values };
}

export interface ComponentsNamed {
  k: number;
  explained: number[];
  summaries: string[];
  /** k x summaries: correlation of component scores with each summary over the training rows. */
  correlation: number[][];
  /** Top loadings of each component. */
  top: { name: string; loading: number }[][];
}

/** The named physical summaries (kept columns): rho, phi, x of the first species, e and CG e at every scale; angular l = 6 nearest d = 1 at every level. */
export function summaryColumns(keptMeta: readonly FeatureMeta[], dim: number): { index: number; label: string }[] {
  const out: { index: number; label: string }[] = [];
  const firstX = keptMeta.find((m) => m.kind === 'x')?.species;
  keptMeta.forEach((m, j) => {
    const s = m.structure ? m.structure : '';
    if (m.kind === 'rho' || m.kind === 'phi') out.push({ index: j, label: `${s}${m.kind}(L=${m.L})` });
    else if (m.kind === 'x' && m.species === firstX) out.push({ index: j, label: `${s}x[${m.species}](L=${m.L})` });
    else if (m.kind === 'e') out.push({ index: j, label: `${s}e${m.L !== undefined ? `(L=${m.L})` : ''}` });
  });
  const ang = keptMeta.map((m, j) => ({ m, j })).filter(({ m }) => m.kind === 'A' && m.l === 6 && m.d !== undefined);
  if (ang.length) {
    const dBest = ang.reduce((a, b) => (Math.abs(b.m.d! - 1) < Math.abs(a.m.d! - 1) ? b : a)).m.d!;
    for (const { m, j } of ang) if (m.d === dBest) out.push({ index: j, label: `${m.structure ?? ''}${dim === 2 ? 'psi6' : 'Q6'} level ${m.level} (d=${m.d})` });
  }
  return out;
}

/** corr(PC_i scores, column j) = sqrt(lambda_i) V_ji (standardised columns, population moments). */
export function nameComponents(std: Standardized, keptMeta: readonly FeatureMeta[], dim: number, k = 5, nTop = 5): ComponentsNamed {
  const K = Math.min(k, std.p);
  const { values, vectors } = correlationEigen(std);
  const V = vectors!;
  const p = std.p;
  let total = 0;
  for (let i = 0; i < p; i++) total += values[i];
  const cols = summaryColumns(keptMeta, dim);
  const correlation: number[][] = [];
  const top: { name: string; loading: number }[][] = [];
  for (let i = 0; i < K; i++) {
    const s = Math.sqrt(Math.max(0, values[i]));
    correlation.push(cols.map((c) => s * V[c.index * p + i]));
    const order = Array.from({ length: p }, (_, j) => j).sort((a, b) => Math.abs(V[b * p + i]) - Math.abs(V[a * p + i]) || a - b);
    top.push(order.slice(0, nTop).map((j) => ({ name: keptMeta[j].name, loading: V[j * p + i] })));
  }
  return { k: K, explained: Array.from(values.subarray(0, K), (v) => v / total), summaries: cols.map((c) => c.label), correlation, top };
}

export interface ModelLike {
  model: string;
  params: Record<string, number>;
  cv: CvResult | null;
  fit: LinearFit;
  error?: string;
}

export interface InterpretInput {
  std: Standardized;
  names: string[];
  meta: FeatureMeta[];
  dim: number;
  models: ModelLike[];
  cvConfigs: CvConfig[];
  cvOptions: CvOptions;
  /** Disjoint units of the training data for the halves (configurations, or block-CV regions). */
  units: SufficientStats[];
  unitKind: string;
  fitModel: (model: string, std: Standardized, params: Record<string, number>) => LinearFit;
  testScore: (fit: LinearFit) => number | null;
  splits?: number;
  seed?: number;
  /** Also run a lasso CV path for the frontier (default true when the elastic net is fitted). */
  lasso?: boolean;
  nAlphas?: number;
}

export interface Interpretability {
  ridgeTrace?: { alphas: number[]; cvMean: number[]; cvStd: number[]; chosen: number; features: { name: string; values: number[] }[] };
  enetPath?: { l1Ratio: number; alphas: number[]; nonzero: number[]; cvMean: number[]; cvStd: number[]; chosen: number };
  lassoPath?: { l1Ratio: number; alphas: number[]; nonzero: number[]; cvMean: number[]; cvStd: number[]; chosen: number };
  pcrCurve?: { k: number[]; cvMean: number[]; cvStd: number[]; chosen: number };
  frontier: { points: FrontierPoint[]; best: FrontierPoint | null; threshold: number | null };
  oneSE: OneSE | null;
  /** Mean weight correlation between disjoint halves, per model (and oneSE). */
  reproducibility: Record<string, number>;
  reproducibilitySplits: Record<string, number[]>;
  reproducibilityUnits: string;
  components: ComponentsNamed | null;
}

const arr = (a: ArrayLike<number>) => Array.from(a);

/** Every measured interpretability quantity of a fit (see the module comment and the README). */
export function interpretability(o: InterpretInput): Interpretability {
  const { std } = o;
  const kFolds = o.cvOptions.k ?? 5;
  const se = (sd: number) => sd / Math.sqrt(kFolds);
  const out: Interpretability = { frontier: { points: [], best: null, threshold: null }, oneSE: null, reproducibility: {}, reproducibilitySplits: {}, reproducibilityUnits: o.unitKind, components: null };
  const ok = o.models.filter((m) => !m.error && m.cv);
  const points: FrontierPoint[] = [];
  const pathOf = (cv: CvResult, ci: number) => {
    const c = cv.curves[ci];
    const l1 = c.fixed.l1Ratio;
    const path = enetSolveGram(std, l1, c.grid);
    const nonzero: number[] = [];
    for (let a = 0; a < c.grid.length; a++) {
      let nz = 0;
      for (let j = 0; j < std.p; j++) if (path.coefStd[a * std.p + j] !== 0) nz++;
      nonzero.push(nz);
    }
    return { l1Ratio: l1, alphas: arr(c.grid), nonzero, cvMean: arr(c.meanScore), cvStd: arr(c.stdScore), chosen: cv.best.params.alpha };
  };
  for (const m of ok) {
    const cv = m.cv!;
    if (m.model === 'ridge') {
      const c = cv.curves[0];
      const W = ridgePathStd(std, arr(c.grid));
      const wBest = W[cv.best.index];
      const order = Array.from({ length: std.p }, (_, j) => j).sort((a, b) => Math.abs(wBest[b]) - Math.abs(wBest[a]) || a - b).slice(0, 8);
      out.ridgeTrace = { alphas: arr(c.grid), cvMean: arr(c.meanScore), cvStd: arr(c.stdScore), chosen: cv.best.params.alpha, features: order.map((j) => ({ name: o.names[std.kept[j]], values: W.map((w) => w[j]) })) };
    } else if (m.model === 'enet') {
      const ci = cv.best.curve;
      out.enetPath = pathOf(cv, ci);
      out.enetPath.alphas.forEach((a, i) => points.push({ model: 'enet', size: out.enetPath!.nonzero[i], cvScore: out.enetPath!.cvMean[i], cvSe: se(out.enetPath!.cvStd[i]), params: { alpha: a, l1Ratio: out.enetPath!.l1Ratio } }));
      if (o.lasso !== false) {
        const lcv = cvEnet(o.cvConfigs, { ...o.cvOptions, l1Ratios: [1], nAlphas: o.nAlphas ?? 100 });
        out.lassoPath = pathOf(lcv, 0);
        out.lassoPath.alphas.forEach((a, i) => points.push({ model: 'lasso', size: out.lassoPath!.nonzero[i], cvScore: out.lassoPath!.cvMean[i], cvSe: se(out.lassoPath!.cvStd[i]), params: { alpha: a, l1Ratio: 1 } }));
      }
    } else if (m.model === 'pcr') {
      const c = cv.curves[0];
      out.pcrCurve = { k: arr(c.grid), cvMean: arr(c.meanScore), cvStd: arr(c.stdScore), chosen: cv.best.params.k };
      c.grid.forEach((k, i) => points.push({ model: 'pcr', size: k, cvScore: c.meanScore[i], cvSe: se(c.stdScore[i]), params: { k } }));
    }
  }
  const comps = std.p > 0 ? nameComponents(std, Array.from(std.kept, (j) => o.meta[j]), o.dim) : null;
  out.components = comps;
  const rule = oneSERule(points);
  out.frontier = { points, best: rule?.best ?? null, threshold: rule?.threshold ?? null };
  let oneFit: LinearFit | null = null;
  if (rule) {
    const c = rule.chosen;
    const model = c.model === 'lasso' ? 'enet' : c.model;
    oneFit = o.fitModel(model, std, c.params);
    let features: string[];
    if (c.model === 'pcr') {
      const { vectors } = correlationEigen(std);
      features = Array.from({ length: c.size }, (_, i) => {
        const order = Array.from({ length: std.p }, (_, j) => j).sort((a, b) => Math.abs(vectors![b * std.p + i]) - Math.abs(vectors![a * std.p + i]) || a - b).slice(0, 3);
        return `PC${i + 1} (${order.map((j) => `${o.names[std.kept[j]]} ${vectors![j * std.p + i] >= 0 ? '+' : ''}${vectors![j * std.p + i].toFixed(2)}`).join(', ')})`;
      });
    } else {
      const w = oneFit.coefStd;
      features = Array.from(w.keys()).filter((j) => w[j] !== 0).sort((a, b) => Math.abs(w[b]) - Math.abs(w[a]) || a - b).map((j) => o.names[j]);
    }
    out.oneSE = { model: c.model, size: c.size, params: c.params, cvScore: c.cvScore, testPearson: o.testScore(oneFit), features };
  }
  // reproducibility on disjoint halves
  if (o.units.length >= 2 && (o.splits ?? 5) > 0) {
    const halves = randomHalves(o.units.length, o.splits ?? 5, o.seed ?? 1);
    const entries: [string, string, Record<string, number>][] = ok.map((m) => [m.model, m.model, m.params]);
    if (out.oneSE) entries.push(['oneSE', out.oneSE.model === 'lasso' ? 'enet' : out.oneSE.model, out.oneSE.params]);
    for (const [key, model, params] of entries) {
      const r = reproducibility(o.units, (s) => o.fitModel(model, s, params), halves, o.names);
      out.reproducibility[key] = r.mean;
      out.reproducibilitySplits[key] = r.values;
    }
  }
  return out;
}
