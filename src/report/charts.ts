// The report's charts: plain data (typed arrays + names) -> vega-lite spec -> SVG.
// Each chart has a pure `...Spec(input)` builder (testable, no rendering) and an async
// function of the same name without the suffix that renders it (a Chart with the SVG).
//
// Inputs are never modified. Lengths are checked; a mismatch is an InputError naming the
// argument. Non-finite values are left out of the plot and counted in the subtitle.

import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../errors.js';
import type { Family, FeatureMeta } from '../features/types.js';
import { makeChart, type Chart } from './render.js';

type Num = ArrayLike<number>;

/** The shared look of every chart. */
const CONFIG = {
  font: 'sans-serif',
  aria: false, // no per-mark aria-label: it would triple the size of a scatter plot's SVG
  background: 'white',
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start', offset: 8 },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#eee' },
  legend: { labelFontSize: 10, titleFontSize: 11 },
  header: { labelFontSize: 11, titleFontSize: 11 },
  view: { stroke: '#ccc' },
};

function spec(o: Record<string, unknown>): TopLevelSpec {
  return { config: CONFIG, ...o } as unknown as TopLevelSpec;
}

function need(cond: boolean, fn: string, msg: string): void {
  if (!cond) throw new InputError(`${fn}: ${msg}`);
}

function len(fn: string, name: string, a: Num | undefined, n: number): void {
  if (a === undefined) return;
  need(a.length === n, fn, `${name} has ${a.length} values, expected ${n}`);
}

/** A number with 3 significant digits (for subtitles). */
function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e4 || a < 1e-3)) return x.toExponential(2);
  return Number(x.toPrecision(3)).toString();
}

import { pearson } from '../models/pearson.js';
export { pearson };

/** Ranks scaled to [0, 1] (ties get the mean rank): percentile colouring. */
function percentiles(v: Num): Float64Array {
  const n = v.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const out = new Float64Array(n);
  for (let k = 0; k < n; ) {
    let e = k + 1;
    while (e < n && v[idx[e]] === v[idx[k]]) e++;
    const r = n > 1 ? (k + e - 1) / 2 / (n - 1) : 0.5;
    for (let t = k; t < e; t++) out[idx[t]] = r;
    k = e;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Predicted vs true propensity

export interface PredictedVsTrueInput {
  /** Model predictions, one per particle. */
  predicted: Num;
  /** True propensity of the same particles. */
  observed: Num;
  /** Optional configuration index per particle (points coloured by configuration). */
  config?: Num;
  /** Model name for the title. */
  model?: string;
  /** At most this many points are drawn (every k-th particle); r uses all. Default 4000. */
  maxPoints?: number;
}

export function predictedVsTrueSpec(input: PredictedVsTrueInput): TopLevelSpec {
  const fn = 'predictedVsTrue';
  const n = input.predicted.length;
  len(fn, 'observed', input.observed, n);
  len(fn, 'config', input.config, n);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(input.predicted[i]) && Number.isFinite(input.observed[i])) keep.push(i);
  need(keep.length >= 2, fn, `needs at least 2 finite (predicted, observed) pairs, got ${keep.length}`);
  const px = keep.map((i) => input.observed[i]);
  const py = keep.map((i) => input.predicted[i]);
  const r = pearson(px, py);
  const maxPoints = input.maxPoints ?? 4000;
  need(maxPoints >= 1, fn, `maxPoints must be at least 1, got ${maxPoints}`);
  const stride = Math.max(1, Math.ceil(keep.length / maxPoints));
  const values: Record<string, number | string>[] = [];
  for (let k = 0; k < keep.length; k += stride) {
    const i = keep[k];
    const row: Record<string, number | string> = { observed: input.observed[i], predicted: input.predicted[i] };
    if (input.config) row.configuration = String(input.config[i]);
    values.push(row);
  }
  const skipped = n - keep.length;
  const sub = [`Pearson r = ${r.toFixed(3)} over ${keep.length} particles${values.length < keep.length ? ` (${values.length} drawn)` : ''}${skipped ? `; ${skipped} non-finite left out` : ''}; black line: least squares`];
  const point: Record<string, unknown> = {
    mark: { type: 'point', filled: true, size: 12, opacity: 0.45 },
    encoding: {
      x: { field: 'observed', type: 'quantitative', title: 'true propensity', scale: { zero: false } },
      y: { field: 'predicted', type: 'quantitative', title: 'predicted propensity', scale: { zero: false } },
      ...(input.config ? { color: { field: 'configuration', type: 'nominal', title: 'configuration' } } : {}),
    },
  };
  const fit = {
    transform: [{ regression: 'predicted', on: 'observed' }],
    mark: { type: 'line', color: 'black', strokeWidth: 1.5 },
    encoding: { x: { field: 'observed', type: 'quantitative' }, y: { field: 'predicted', type: 'quantitative' } },
  };
  return spec({
    title: { text: `${input.model ? input.model + ': ' : ''}predicted vs true propensity`, subtitle: sub },
    width: 360,
    height: 360,
    data: { values },
    layer: [point, fit],
  });
}

/** Scatter of predicted against true propensity, with r and the least-squares line. */
export async function predictedVsTrue(input: PredictedVsTrueInput): Promise<Chart> {
  return makeChart('predicted-vs-true', `${input.model ? input.model + ': ' : ''}predicted vs true propensity`, predictedVsTrueSpec(input),
    'Each point is one particle of the test configurations. Perfect ranking would put every point on a rising curve; the evaluation score is the Pearson r within each configuration, averaged.');
}

// ---------------------------------------------------------------------------------------------
// Scores by model

export interface ModelScoreRow {
  model: string;
  /** Mean cross-validation score (per-configuration Pearson, averaged over folds). */
  cvScore?: number;
  /** Mean test Pearson over the test configurations. */
  testPearson?: number;
  /** Test Pearson of each test configuration (drawn as dots). */
  testPearsonPerConfig?: Num;
}

export function scoresByModelSpec(rows: readonly ModelScoreRow[]): TopLevelSpec {
  const fn = 'scoresByModel';
  need(rows.length > 0, fn, 'needs at least one model row');
  const bars: Record<string, number | string>[] = [];
  const dots: Record<string, number | string>[] = [];
  const models = rows.map((r) => r.model);
  need(new Set(models).size === models.length, fn, `model names must be unique, got [${models.join(', ')}]`);
  for (const r of rows) {
    if (r.cvScore !== undefined && Number.isFinite(r.cvScore)) bars.push({ model: r.model, metric: 'CV score', value: r.cvScore });
    if (r.testPearson !== undefined && Number.isFinite(r.testPearson)) bars.push({ model: r.model, metric: 'test Pearson', value: r.testPearson });
    const per = r.testPearsonPerConfig ?? [];
    for (let k = 0; k < per.length; k++) if (Number.isFinite(per[k])) dots.push({ model: r.model, metric: 'test Pearson', value: per[k], configuration: k });
  }
  need(bars.length > 0, fn, 'no finite cvScore or testPearson in any row');
  const best = rows.filter((r) => Number.isFinite(r.testPearson ?? NaN)).sort((a, b) => b.testPearson! - a.testPearson!)[0];
  const x = { field: 'model', type: 'nominal', sort: models, title: null, axis: { labelAngle: 0 } };
  const xOffset = { field: 'metric', type: 'nominal', sort: ['CV score', 'test Pearson'] };
  const color = { field: 'metric', type: 'nominal', title: null, sort: ['CV score', 'test Pearson'], scale: { range: ['#9ecae1', '#3182bd'] } };
  const layers: Record<string, unknown>[] = [
    { data: { values: bars }, mark: { type: 'bar' }, encoding: { x, xOffset, color, y: { field: 'value', type: 'quantitative', title: 'Pearson r (per configuration, averaged)' } } },
    // value labels inside the foot of each bar (the tops are where the per-configuration dots go)
    { data: { values: bars }, mark: { type: 'text', baseline: 'bottom', dy: -4, fontSize: 10, color: 'white' }, encoding: { x, xOffset, y: { datum: 0 }, text: { field: 'value', type: 'quantitative', format: '.3f' } } },
  ];
  if (dots.length) {
    layers.push({ data: { values: dots }, mark: { type: 'point', filled: true, size: 18, color: 'black', opacity: 0.7 }, encoding: { x, xOffset, y: { field: 'value', type: 'quantitative' } } });
  }
  return spec({
    title: {
      text: 'Scores by model',
      subtitle: best ? `best test Pearson: ${best.model} ${best.testPearson!.toFixed(3)}${dots.length ? '; dots: individual test configurations' : ''}` : 'cross-validation scores',
    },
    width: { step: 70 },
    height: 260,
    layer: layers,
  });
}

/** Grouped bars of CV score and test Pearson per model, with per-configuration dots. */
export async function scoresByModel(rows: readonly ModelScoreRow[]): Promise<Chart> {
  return makeChart('scores-by-model', 'Scores by model', scoresByModelSpec(rows),
    'Light bars: cross-validation score on the training configurations (grouped by configuration). Dark bars: Pearson r on the unseen test configurations.');
}

// ---------------------------------------------------------------------------------------------
// Coefficient profiles against shell distance d

export interface ModelCoefficients {
  model: string;
  /** One coefficient per feature (length = meta.length); standardised coefficients read best. */
  coef: Num;
}

function levelLabel(level: number): string {
  return level === 0 ? 'level 0' : `CG${level}`;
}

export interface ProfileOptions {
  /**
   * 'max' (default): each model's coefficients divided by its largest |coefficient| among the
   * profiled features, so shapes compare even when OLS weights are 100x the ridge weights;
   * 'none': raw values.
   */
  normalize?: 'max' | 'none';
}

export function coefficientProfilesSpec(models: readonly ModelCoefficients[], meta: readonly FeatureMeta[], opts: ProfileOptions = {}): TopLevelSpec {
  const fn = 'coefficientProfiles';
  need(models.length > 0, fn, 'needs at least one model');
  for (const m of models) len(fn, `coef of "${m.model}"`, m.coef, meta.length);
  const normalize = opts.normalize ?? 'max';
  need(normalize === 'max' || normalize === 'none', fn, `normalize must be 'max' or 'none', got '${normalize}'`);
  const profiled = (f: FeatureMeta) => (f.family === 'R' || f.family === 'A') && f.d !== undefined;
  const scale = models.map((m) => {
    if (normalize === 'none') return 1;
    let mx = 0;
    for (let j = 0; j < meta.length; j++) if (profiled(meta[j]) && Number.isFinite(m.coef[j])) mx = Math.max(mx, Math.abs(m.coef[j]));
    return mx > 0 ? 1 / mx : 1;
  });
  const cols: string[] = [];
  const rowsSeen = new Set<number>();
  const values: Record<string, number | string>[] = [];
  for (let j = 0; j < meta.length; j++) {
    const f = meta[j];
    if (!profiled(f)) continue;
    const quantity = `${f.structure ?? ''}${f.family === 'R' ? `R[${f.species ?? '?'}]` : `A l=${f.l ?? '?'}`}`;
    if (!cols.includes(quantity)) cols.push(quantity);
    rowsSeen.add(f.level);
    for (const [t, m] of models.entries()) {
      const c = m.coef[j] * scale[t];
      if (Number.isFinite(c)) values.push({ model: m.model, quantity, level: levelLabel(f.level), d: f.d!, coef: c });
    }
  }
  need(values.length > 0, fn, 'meta has no R or A feature with a shell distance d (nothing to profile)');
  const levels = [...rowsSeen].sort((a, b) => a - b).map(levelLabel);
  const modelNames = models.map((m) => m.model);
  return spec({
    title: {
      text: 'Coefficient profiles against shell distance d',
      subtitle: `${normalize === 'max' ? 'coefficient / largest |coefficient| of the model' : 'coefficient'} (y, own scale per panel) against d; rows: radial R per neighbour species and angular A per order l; columns: coarse-graining level`,
    },
    data: { values },
    facet: {
      row: { field: 'quantity', type: 'ordinal', sort: cols, title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontWeight: 'bold' } },
      column: { field: 'level', type: 'ordinal', sort: levels, title: null, header: { labelFontWeight: 'bold' } },
    },
    spec: {
      width: 170,
      height: 64,
      layer: [
        { mark: { type: 'rule', color: '#999', strokeDash: [2, 2] }, encoding: { y: { datum: 0 } } },
        {
          mark: { type: 'line', strokeWidth: 1.4, point: { size: 9 } },
          encoding: {
            x: { field: 'd', type: 'quantitative', title: 'shell distance d', scale: { zero: false, nice: false } },
            y: { field: 'coef', type: 'quantitative', title: null, axis: { tickCount: 3 } },
            color: { field: 'model', type: 'nominal', sort: modelNames, title: 'model', legend: { orient: 'top' } },
          },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  });
}

/**
 * Coefficients against shell distance d: one small panel per radial species (R) and angular
 * order l (A), per coarse-graining level; one line per model (so the oscillating OLS weights
 * and the smooth ridge weights show). `meta` is the FeatureMatrix meta (src/features/types.ts).
 */
export async function coefficientProfiles(models: readonly ModelCoefficients[], meta: readonly FeatureMeta[], opts: ProfileOptions = {}): Promise<Chart> {
  return makeChart('coefficient-profiles', 'Coefficient profiles against shell distance d', coefficientProfilesSpec(models, meta, opts),
    'Collinear neighbouring shells let OLS trade large positive and negative weights (oscillating profiles); regularised models spread the weight smoothly over neighbouring shells.');
}

// ---------------------------------------------------------------------------------------------
// PCR loadings grouped by family and coarse-graining level

const FAMILY_SHADES: Record<Family, string[]> = {
  R: ['#08519c', '#3182bd', '#6baed6', '#9ecae1', '#c6dbef'],
  A: ['#a63603', '#e6550d', '#fd8d3c', '#fdae6b', '#fdd0a2'],
  P: ['#006d2c', '#31a354', '#74c476', '#a1d99b'],
  E: ['#a50f15', '#de2d26', '#fb6a4a', '#fc9272'],
  X: ['#525252', '#969696', '#bdbdbd', '#d9d9d9'],
};

function groupOf(f: FeatureMeta): string {
  return `${f.structure ?? ''}${f.family}${f.level > 0 ? ` CG${f.level}` : ''}`;
}

/** Family/level groups in feature order with their colours (family hue, level shade). */
function groups(meta: readonly FeatureMeta[]): { names: string[]; colors: string[]; index: Int32Array } {
  const names: string[] = [];
  const colors: string[] = [];
  const index = new Int32Array(meta.length);
  for (let j = 0; j < meta.length; j++) {
    const g = groupOf(meta[j]);
    let k = names.indexOf(g);
    if (k < 0) {
      k = names.length;
      names.push(g);
      const shades = FAMILY_SHADES[meta[j].family] ?? FAMILY_SHADES.X;
      colors.push(shades[Math.min(meta[j].level, shades.length - 1)]);
    }
    index[j] = k;
  }
  // legend and stacking order: family (R, A, P, E, X), then structure, then level
  const fam = 'RAPEX';
  const rep = names.map((_, k) => meta[index.indexOf(k)]);
  const perm = names.map((_, k) => k).sort((a, b) => fam.indexOf(rep[a].family) - fam.indexOf(rep[b].family)
    || (rep[a].structure ?? '').localeCompare(rep[b].structure ?? '') || rep[a].level - rep[b].level);
  const rank = new Int32Array(names.length);
  perm.forEach((k, r) => (rank[k] = r));
  return { names: perm.map((k) => names[k]), colors: perm.map((k) => colors[k]), index: index.map((k) => rank[k]) };
}

export interface PcrLoadingsOptions {
  /** Components drawn (default: all, at most 20). */
  maxComponents?: number;
}

export function pcrLoadingsSpec(loadings: Num, explainedVariance: Num, meta: readonly FeatureMeta[], opts: PcrLoadingsOptions = {}): TopLevelSpec {
  const fn = 'pcrLoadings';
  const p = meta.length;
  const k = explainedVariance.length;
  need(p > 0 && k > 0, fn, `needs features and components (p = ${p}, k = ${k})`);
  need(loadings.length === p * k, fn, `loadings has ${loadings.length} values, expected p x k = ${p} x ${k} (feature-major: loadings[j*k + c] is feature j in component c)`);
  const kShow = Math.min(k, opts.maxComponents ?? 20);
  const g = groups(meta);
  const ev: Record<string, number>[] = [];
  let cum = 0;
  for (let c = 0; c < k; c++) {
    cum += explainedVariance[c];
    if (c < kShow) ev.push({ component: c + 1, explained: explainedVariance[c], cumulative: cum });
  }
  const share: Record<string, number | string>[] = [];
  for (let c = 0; c < kShow; c++) {
    const acc = new Float64Array(g.names.length);
    let tot = 0;
    for (let j = 0; j < p; j++) {
      const v = loadings[j * k + c];
      acc[g.index[j]] += v * v;
      tot += v * v;
    }
    for (let t = 0; t < acc.length; t++) if (acc[t] > 0) share.push({ component: c + 1, group: g.names[t], share: tot > 0 ? acc[t] / tot : 0, order: t });
  }
  const x = { field: 'component', type: 'ordinal', title: 'principal component', axis: { labelAngle: 0 } };
  return spec({
    title: {
      text: 'PCR: explained variance and what each component is made of',
      subtitle: `${k} components explain ${(100 * cum).toFixed(1)}% of the standardised feature variance${kShow < k ? ` (first ${kShow} drawn)` : ''}; loading weight = sum of squared loadings per family and coarse-graining level`,
    },
    vconcat: [
      {
        data: { values: ev },
        width: { step: 24 },
        height: 120,
        layer: [
          { mark: { type: 'bar', color: '#888' }, encoding: { x, y: { field: 'explained', type: 'quantitative', title: 'explained variance ratio' } } },
          { mark: { type: 'line', color: 'black', point: { size: 12, color: 'black' } }, encoding: { x, y: { field: 'cumulative', type: 'quantitative' } } },
        ],
      },
      {
        data: { values: share },
        width: { step: 24 },
        height: 200,
        mark: { type: 'bar' },
        encoding: {
          x,
          y: { field: 'share', type: 'quantitative', title: 'loading weight', stack: 'zero', scale: { domain: [0, 1] } },
          color: { field: 'group', type: 'nominal', title: 'family / level', sort: g.names, scale: { domain: g.names, range: g.colors } },
          order: { field: 'order', type: 'quantitative' },
        },
      },
    ],
  });
}

/**
 * PCR loadings grouped by family (R, A, P, E) and coarse-graining level, with the explained
 * variance. `loadings` is V_k, p x k row-major (feature j, component c at j*k + c; columns are
 * eigenvectors of the correlation matrix, ../shared/spec/regression.md); `explainedVariance`
 * has the k explained-variance ratios (eigenvalue / p).
 */
export async function pcrLoadings(loadings: Num, explainedVariance: Num, meta: readonly FeatureMeta[], opts: PcrLoadingsOptions = {}): Promise<Chart> {
  return makeChart('pcr-loadings', 'PCR loadings by family and coarse-graining level', pcrLoadingsSpec(loadings, explainedVariance, meta, opts),
    'Top: the variance of the standardised descriptors each principal component explains (line: cumulative). Bottom: which descriptor families and coarse-graining levels make up each component.');
}

// ---------------------------------------------------------------------------------------------
// Eigenvalue spectrum of the correlation matrix

export function eigenSpectrumSpec(eigenvalues: Num): TopLevelSpec {
  const fn = 'eigenSpectrum';
  need(eigenvalues.length > 0, fn, 'needs at least one eigenvalue');
  const sorted = Array.from(eigenvalues).filter(Number.isFinite).sort((a, b) => b - a);
  const values: Record<string, number>[] = [];
  let nonpos = 0;
  sorted.forEach((v, i) => (v > 0 ? values.push({ rank: i + 1, eigenvalue: v }) : nonpos++));
  need(values.length > 0, fn, 'no positive eigenvalue to draw on a log scale');
  const cond = sorted[0] / sorted[sorted.length - 1];
  const small = sorted.filter((v) => v < 0.01).length;
  return spec({
    title: {
      text: 'Eigenvalue spectrum of the feature correlation matrix',
      subtitle: `condition number ${nonpos ? 'infinite (singular)' : fmt(cond)}; ${small} of ${sorted.length} eigenvalues below 0.01${nonpos ? `; ${nonpos} non-positive not drawn` : ''}`,
    },
    width: 420,
    height: 240,
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#c00', strokeDash: [4, 3] }, encoding: { y: { datum: 1 } } },
      {
        mark: { type: 'line', color: '#3182bd', ...(values.length <= 120 ? { point: { size: 10, color: '#3182bd' } } : {}) },
        encoding: {
          x: { field: 'rank', type: 'quantitative', title: 'rank', scale: { nice: false } },
          y: { field: 'eigenvalue', type: 'quantitative', title: 'eigenvalue (log)', scale: { type: 'log' } },
        },
      },
    ],
  });
}

/** Sorted eigenvalues of the correlation matrix on a log scale (dashed: 1, the mean). */
export async function eigenSpectrum(eigenvalues: Num): Promise<Chart> {
  return makeChart('eigen-spectrum', 'Eigenvalue spectrum', eigenSpectrumSpec(eigenvalues),
    'A correlation matrix has eigenvalues averaging 1 (dashed). Many tiny eigenvalues mean many nearly redundant directions: the coefficients of an unregularised fit along them are dominated by noise.');
}

// ---------------------------------------------------------------------------------------------
// Variance inflation factors

export interface VifOptions {
  /** Features drawn, largest VIF first (default 30). */
  top?: number;
  /** Reference line (default 10). */
  threshold?: number;
}

export function vifChartSpec(vif: Num, names: readonly string[], opts: VifOptions = {}): TopLevelSpec {
  const fn = 'vifChart';
  len(fn, 'vif', vif, names.length);
  need(names.length > 0, fn, 'needs at least one feature');
  const top = opts.top ?? 30;
  const thr = opts.threshold ?? 10;
  const finite: number[] = [];
  let inf = 0;
  for (let j = 0; j < vif.length; j++) (Number.isFinite(vif[j]) ? finite.push(j) : inf++);
  need(finite.length > 0, fn, 'no finite VIF to draw');
  finite.sort((a, b) => vif[b] - vif[a]);
  const shown = finite.slice(0, top);
  const values = shown.map((j) => ({ feature: names[j], vif: Math.max(1, vif[j]), base: 1 }));
  const above = finite.filter((j) => vif[j] > thr).length;
  const med = [...finite].sort((a, b) => vif[a] - vif[b])[Math.floor(finite.length / 2)];
  return spec({
    title: {
      text: `Variance inflation factors (largest ${shown.length})`,
      subtitle: `${above} of ${names.length} features have VIF > ${thr}; median ${fmt(vif[med])}, max ${fmt(vif[finite[0]])}${inf ? `; ${inf} infinite (exactly collinear) not drawn` : ''}`,
    },
    width: 420,
    height: { step: 13 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', color: '#e6550d' },
        encoding: {
          y: { field: 'feature', type: 'nominal', sort: null, title: null, axis: { labelLimit: 220 } },
          x: { field: 'vif', type: 'quantitative', title: 'VIF (log)', scale: { type: 'log', domainMin: 1 } },
          x2: { field: 'base' }, // bars start at VIF = 1 (a log scale has no zero)
        },
      },
      { mark: { type: 'rule', color: 'black', strokeDash: [4, 3] }, encoding: { x: { datum: thr } } },
    ],
  });
}

/** The largest VIFs (VIF_j = [C^-1]_jj) as bars on a log scale, with the threshold line. */
export async function vifChart(vif: Num, names: readonly string[], opts: VifOptions = {}): Promise<Chart> {
  return makeChart('vif', 'Variance inflation factors', vifChartSpec(vif, names, opts),
    'VIF_j = 1 / (1 - R_j^2), with R_j^2 from regressing feature j on all the others: how much collinearity inflates the variance of its OLS coefficient. Above 10 is the usual warning level.');
}

// ---------------------------------------------------------------------------------------------
// Bootstrap stability of the coefficients

export interface StabilityOptions {
  /** Coefficients drawn, largest |mean| first (default 30). */
  top?: number;
  /** Model name for the title. */
  model?: string;
}

export function bootstrapStabilitySpec(mean: Num, std: Num, signAgreement: Num, names: readonly string[], opts: StabilityOptions = {}): TopLevelSpec {
  const fn = 'bootstrapStability';
  const p = names.length;
  need(p > 0, fn, 'needs at least one feature');
  len(fn, 'mean', mean, p);
  len(fn, 'std', std, p);
  len(fn, 'signAgreement', signAgreement, p);
  const idx: number[] = [];
  for (let j = 0; j < p; j++) if (Number.isFinite(mean[j]) && Number.isFinite(std[j])) idx.push(j);
  need(idx.length > 0, fn, 'no finite (mean, std) pair to draw');
  idx.sort((a, b) => Math.abs(mean[b]) - Math.abs(mean[a]));
  const shown = idx.slice(0, opts.top ?? 30);
  const values = shown.map((j) => ({ feature: names[j], mean: mean[j], lo: mean[j] - std[j], hi: mean[j] + std[j], agreement: signAgreement[j] }));
  const stable = idx.filter((j) => signAgreement[j] >= 1).length;
  const y = { field: 'feature', type: 'nominal', sort: null, title: null, axis: { labelLimit: 220 } };
  return spec({
    title: {
      text: `Bootstrap stability of the coefficients${opts.model ? ` (${opts.model})` : ''}`,
      subtitle: `largest ${shown.length} by |mean|; bars: mean +- std over resamples of configurations; ${stable} of ${p} coefficients keep their sign in every resample`,
    },
    width: 420,
    height: { step: 13 },
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#999' }, encoding: { x: { datum: 0 } } },
      { mark: { type: 'rule', strokeWidth: 2, color: '#888' }, encoding: { y, x: { field: 'lo', type: 'quantitative', title: 'standardised coefficient' }, x2: { field: 'hi' } } },
      {
        mark: { type: 'point', filled: true, size: 40, stroke: 'black', strokeWidth: 0.5 },
        encoding: {
          y,
          x: { field: 'mean', type: 'quantitative' },
          color: { field: 'agreement', type: 'quantitative', title: 'sign agreement', scale: { domain: [0.5, 1], scheme: 'redyellowgreen', clamp: true } },
        },
      },
    ],
  });
}

/** Mean +- std of each coefficient over bootstrap resamples, coloured by sign agreement. */
export async function bootstrapStability(mean: Num, std: Num, signAgreement: Num, names: readonly string[], opts: StabilityOptions = {}): Promise<Chart> {
  return makeChart('bootstrap-stability', 'Bootstrap stability of the coefficients', bootstrapStabilitySpec(mean, std, signAgreement, names, opts),
    'A coefficient worth interpreting keeps its sign (green) and its bar stays clear of zero when the training configurations are resampled.');
}

// ---------------------------------------------------------------------------------------------
// Particle maps: predicted and true propensity side by side

export interface ParticleMapInput {
  /** N x dim positions, row-major (any periodic image; wrapped here). */
  positions: Num;
  dim: 2 | 3;
  /** Box side lengths (dim values). */
  box: Num;
  predicted: Num;
  observed: Num;
  /** 3D only: the slab drawn. axis (default 2 = z), centre (default L/2), width (default 2.5 or L/4 if smaller). */
  slab?: { axis?: 0 | 1 | 2; center?: number; width?: number };
  /** 'percentile' (default: ranks, so both maps share one colour scale) or 'value'. */
  color?: 'percentile' | 'value';
  title?: string;
}

export function particleMapSpec(input: ParticleMapInput): TopLevelSpec {
  const fn = 'particleMap';
  const { dim } = input;
  need(dim === 2 || dim === 3, fn, `dim must be 2 or 3, got ${dim}`);
  len(fn, 'box', input.box, dim);
  for (let a = 0; a < dim; a++) need(input.box[a] > 0, fn, `box side ${'xyz'[a]} must be positive, got ${input.box[a]}`);
  need(input.positions.length % dim === 0 && input.positions.length > 0, fn, `positions length ${input.positions.length} is not a positive multiple of dim ${dim}`);
  const n = input.positions.length / dim;
  len(fn, 'predicted', input.predicted, n);
  len(fn, 'observed', input.observed, n);
  const wrap = (x: number, L: number) => x - L * Math.floor(x / L);
  let axes: [number, number] = [0, 1];
  let select = (_i: number) => true;
  let slabNote = '';
  if (dim === 3) {
    const ax = input.slab?.axis ?? 2;
    need(ax === 0 || ax === 1 || ax === 2, fn, `slab.axis must be 0, 1 or 2, got ${ax}`);
    const L = input.box[ax];
    const c = input.slab?.center ?? L / 2;
    const w = input.slab?.width ?? Math.min(2.5, L / 4);
    need(w > 0 && w <= L, fn, `slab.width must be in (0, ${L}], got ${w}`);
    axes = ax === 0 ? [1, 2] : ax === 1 ? [0, 2] : [0, 1];
    select = (i) => {
      let dz = wrap(input.positions[i * 3 + ax] - c, L);
      if (dz > L / 2) dz -= L;
      return Math.abs(dz) <= w / 2;
    };
    slabNote = `slab |${'xyz'[ax]} - ${fmt(c)}| <= ${fmt(w / 2)}, `;
  }
  const usePct = (input.color ?? 'percentile') === 'percentile';
  const cp = usePct ? percentiles(input.predicted) : input.predicted;
  const co = usePct ? percentiles(input.observed) : input.observed;
  const values: Record<string, number | string>[] = [];
  const [ax, ay] = axes;
  const Lx = input.box[ax];
  const Ly = input.box[ay];
  let shown = 0;
  for (let i = 0; i < n; i++) {
    if (!select(i)) continue;
    const x = wrap(input.positions[i * dim + ax], Lx);
    const y = wrap(input.positions[i * dim + ay], Ly);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    shown++;
    if (Number.isFinite(cp[i])) values.push({ panel: 'predicted', x, y, v: cp[i] });
    if (Number.isFinite(co[i])) values.push({ panel: 'true', x, y, v: co[i] });
  }
  need(shown > 0, fn, 'no particle in the slab: widen slab.width or move slab.center');
  const width = 300;
  const height = Math.round((width * Ly) / Lx);
  const diam = Math.max(2.5, (0.85 * width) / Lx); // about one particle diameter (sigma = 1) in pixels
  const size = Math.round((Math.PI / 4) * diam * diam);
  const names = ['x', 'y', 'z'];
  return spec({
    title: {
      text: input.title ?? 'Particles coloured by predicted and by true propensity',
      subtitle: `${dim === 3 ? slabNote : ''}${shown} particles; colour: ${usePct ? 'percentile within the configuration (same scale in both maps)' : 'value'}`,
    },
    data: { values },
    facet: { column: { field: 'panel', type: 'nominal', sort: ['predicted', 'true'], title: null, header: { labelFontSize: 12, labelFontWeight: 'bold' } } },
    spec: {
      width,
      height,
      mark: { type: 'circle', size, opacity: 0.9 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: names[ax], scale: { domain: [0, Lx], nice: false, zero: true } },
        y: { field: 'y', type: 'quantitative', title: names[ay], scale: { domain: [0, Ly], nice: false, zero: true } },
        color: { field: 'v', type: 'quantitative', title: usePct ? 'percentile' : 'propensity', scale: { scheme: 'viridis', ...(usePct ? { domain: [0, 1] } : {}) } },
      },
    },
    resolve: usePct ? { scale: { color: 'shared' } } : { scale: { color: 'independent' } },
  });
}

/**
 * Two maps side by side, particles coloured by predicted and by true propensity: the whole
 * box in 2D, a slab of a 3D box (projected on the two other axes).
 */
export async function particleMap(input: ParticleMapInput): Promise<Chart> {
  return makeChart('particle-map', input.title ?? 'Particles coloured by predicted and by true propensity', particleMapSpec(input),
    'Mobile particles cluster in space (dynamic heterogeneity). A good structural model paints the same clusters from the initial structure alone.');
}
