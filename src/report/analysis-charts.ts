// Charts of the analyses (issue 9): r(t) over lag times with published curves, the ridge trace
// on the CV axis, the elastic-net path, PCR CV against k, the parsimony frontier, weight
// reproducibility and named components. Same pattern as charts.ts: a pure `...Spec` builder and
// an async renderer with a one-line caption that says what to read.

import type { TopLevelSpec } from 'vega-lite';
import { InputError } from '../errors.js';
import { makeChart, type Chart } from './render.js';

const CONFIG = {
  font: 'sans-serif',
  aria: false,
  background: 'white',
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start', offset: 8 },
  axis: { labelFontSize: 10, titleFontSize: 11, gridColor: '#eee' },
  legend: { labelFontSize: 10, titleFontSize: 11 },
  view: { stroke: '#ccc' },
};
const spec = (o: Record<string, unknown>) => ({ config: CONFIG, ...o }) as unknown as TopLevelSpec;
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

// ------------------------------------------------------------------------------------ r(t)

export interface RtPoint {
  label: string;
  t: number | null;
  model: string;
  cvScore: number;
  testPearson: number | null;
}

export interface PublishedCurve {
  name: string;
  points: { t: number; r: number }[];
}

/** r(t): test Pearson (solid) and CV score (dotted) per model against log t; published curves dashed grey. */
export function rOfTSpec(points: readonly RtPoint[], published: readonly PublishedCurve[] = [], title = 'Pearson r over lag time'): TopLevelSpec {
  const useT = points.every((p) => finite(p.t) && p.t! > 0);
  const labels = [...new Set(points.map((p) => p.label))];
  const x = useT
    ? { field: 't', type: 'quantitative', scale: { type: 'log' }, title: 'lag time t (log scale)', axis: published.length ? { format: '~g' } : { values: [...new Set(points.map((p) => p.t))], format: '~g' } }
    : { field: 'label', type: 'ordinal', sort: labels, title: 'target (lag time order)' };
  const ours: Record<string, unknown>[] = [];
  for (const p of points) {
    if (finite(p.testPearson)) ours.push({ t: p.t, label: p.label, model: p.model, score: 'test r', r: p.testPearson });
    if (finite(p.cvScore)) ours.push({ t: p.t, label: p.label, model: p.model, score: 'CV r', r: p.cvScore });
  }
  if (ours.length === 0) throw new InputError('rOfT: no finite score');
  const layers: Record<string, unknown>[] = [
    {
      data: { values: ours },
      mark: { type: 'line', point: true },
      encoding: { x, y: { field: 'r', type: 'quantitative', title: 'Pearson r (per configuration, averaged)' }, color: { field: 'model', type: 'nominal', title: 'glassbox model' }, strokeDash: { field: 'score', type: 'nominal', title: null, sort: ['test r', 'CV r'], scale: { range: [[1, 0], [2, 2]] }, legend: { symbolType: 'stroke' } }, tooltip: [{ field: 'label' }, { field: 'r', format: '.3f' }] },
    },
  ];
  if (useT && published.length) {
    const pub = published.flatMap((c) => c.points.filter((q) => finite(q.r)).map((q) => ({ t: q.t, r: q.r, curve: c.name })));
    layers.push({
      data: { values: pub },
      mark: { type: 'line', point: { size: 12 }, strokeDash: [6, 3], opacity: 0.6 },
      encoding: { x: { field: 't', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'r', type: 'quantitative' }, detail: { field: 'curve' }, color: { value: '#888' }, shape: { field: 'curve', type: 'nominal', title: 'published (GlassBench)', legend: { labelLimit: 260 } } },
    });
  }
  return spec({
    title: { text: title, subtitle: `${labels.length} times: ${labels.join(', ')}${published.length ? '; grey dashed: published curves (Jung et al., Roadmap, 2025; CC-BY-4.0)' : ''}` },
    width: 460,
    height: 260,
    layer: layers,
    resolve: { scale: { color: 'independent', shape: 'independent' } },
  });
}

export async function rOfT(points: readonly RtPoint[], published: readonly PublishedCurve[] = []): Promise<Chart> {
  return makeChart('r-of-t', 'Pearson r over lag time', rOfTSpec(points, published),
    'Read how predictable propensity is at each lag time: solid lines are test Pearson r, dotted lines CV scores, one colour per model; grey dashed lines are published models on the same system.');
}

/** Published curves of the system (preset) and temperature from glassbench_published_curves.json. */
export function publishedCurves(json: unknown, system: string | undefined, T: number | undefined): PublishedCurve[] {
  const j = json as { curves?: { system: string; T?: number; x: string; columns: string[]; rows: number[][] }[] };
  if (!system || !j || !Array.isArray(j.curves)) return [];
  const out: PublishedCurve[] = [];
  for (const c of j.curves) {
    if (c.system !== system || c.x !== 't' || !(c.T === undefined || T === undefined || Math.abs(c.T - T) < 1e-9)) continue;
    if (T === undefined && c.T !== undefined && system === 'KA3D') continue; // KA3D exists at several T: need the temperature
    c.columns.slice(1).forEach((name, k) => out.push({ name: `${name} (${c.system} T=${c.T})`, points: c.rows.map((r) => ({ t: r[0], r: r[k + 1] })) }));
  }
  return out;
}

// --------------------------------------------------------------------------- hyper-parameter paths

export interface TraceInput {
  /** Hyper-parameter values (alpha). */
  grid: ArrayLike<number>;
  /** Traced coefficients: name -> values along grid (standardised). */
  coefs: { name: string; values: ArrayLike<number> }[];
  cvMean: ArrayLike<number>;
  cvStd: ArrayLike<number>;
  chosen?: number;
  param?: string;
  model?: string;
}

/** Ridge trace: the leading standardised coefficients against alpha, above the CV score against the same alpha axis. */
export function ridgeTraceSpec(t: TraceInput): TopLevelSpec {
  const param = t.param ?? 'alpha';
  const coef: Record<string, unknown>[] = [];
  for (const c of t.coefs) for (let a = 0; a < t.grid.length; a++) if (finite(c.values[a])) coef.push({ x: t.grid[a], w: c.values[a], feature: c.name });
  const cv: Record<string, unknown>[] = [];
  for (let a = 0; a < t.grid.length; a++) if (finite(t.cvMean[a])) cv.push({ x: t.grid[a], r: t.cvMean[a], lo: t.cvMean[a] - t.cvStd[a], hi: t.cvMean[a] + t.cvStd[a] });
  const x = { field: 'x', type: 'quantitative', scale: { type: 'log' }, title: param, axis: { format: '~e' } };
  const rule = t.chosen !== undefined ? [{ data: { values: [{ x: t.chosen }] }, mark: { type: 'rule', color: '#c00', strokeDash: [4, 2] }, encoding: { x: { field: 'x', type: 'quantitative', scale: { type: 'log' } } } }] : [];
  return spec({
    title: { text: `${t.model ?? 'ridge'} trace and CV score on one ${param} axis`, subtitle: `${t.coefs.length} leading coefficients (by |w| at the CV choice, red line)` },
    vconcat: [
      { width: 460, height: 200, layer: [{ data: { values: coef }, mark: { type: 'line' }, encoding: { x, y: { field: 'w', type: 'quantitative', title: 'standardised coefficient' }, color: { field: 'feature', type: 'nominal', legend: { columns: 1, labelLimit: 200 } } } }, ...rule] },
      {
        width: 460, height: 120,
        layer: [
          { data: { values: cv }, mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'CV r (± sd)', scale: { zero: false } }, y2: { field: 'hi' } } },
          { data: { values: cv }, mark: { type: 'line', color: 'black' }, encoding: { x, y: { field: 'r', type: 'quantitative' } } },
          ...rule,
        ],
      },
    ],
  });
}

export async function ridgeTrace(t: TraceInput): Promise<Chart> {
  return makeChart('ridge-trace', 'Ridge trace', ridgeTraceSpec(t),
    'Read whether the weights settle while the CV score stays flat: over the alpha range where the lower curve is level, the upper curves show how much the weights still move.');
}

export interface PathInput {
  grid: ArrayLike<number>;
  nonzero: ArrayLike<number>;
  cvMean: ArrayLike<number>;
  chosen?: number;
  title: string;
  param: string;
  /** log x axis (alpha) or linear (k) */
  log: boolean;
  sizeTitle?: string;
}

/** A path: model size (non-zeros or k) and CV score against the hyper-parameter. */
export function pathSpec(p: PathInput): TopLevelSpec {
  const rows: Record<string, unknown>[] = [];
  for (let a = 0; a < p.grid.length; a++) rows.push({ x: p.grid[a], size: p.nonzero[a], r: finite(p.cvMean[a]) ? p.cvMean[a] : null });
  const x = { field: 'x', type: 'quantitative', scale: { type: p.log ? 'log' : 'linear' }, title: p.param, ...(p.log ? { axis: { format: '~e' } } : {}) };
  const rule = p.chosen !== undefined ? [{ mark: { type: 'rule', color: '#c00', strokeDash: [4, 2] }, encoding: { x: { datum: p.chosen } } }] : [];
  return spec({
    title: { text: p.title },
    data: { values: rows },
    width: 460,
    height: 200,
    layer: [
      { mark: { type: 'line', color: '#3182bd' }, encoding: { x, y: { field: 'r', type: 'quantitative', title: 'CV r', axis: { titleColor: '#3182bd' }, scale: { zero: false } } } },
      { mark: { type: 'line', color: '#e6550d', strokeDash: [3, 2] }, encoding: { x, y: { field: 'size', type: 'quantitative', title: p.sizeTitle ?? 'non-zero coefficients', axis: { titleColor: '#e6550d' } } } },
      ...rule,
    ],
    resolve: { scale: { y: 'independent' } },
  });
}

export async function pathChart(name: string, p: PathInput, caption: string): Promise<Chart> {
  return makeChart(name, p.title, pathSpec(p), caption);
}

export interface FrontierPoint {
  model: string;
  size: number;
  cvScore: number;
  cvSe: number;
}

/** Parsimony frontier: CV score against model size, per model path, with the 1-SE threshold. */
export function frontierSpec(points: readonly FrontierPoint[], threshold: number, chosen?: { model: string; size: number; cvScore: number }): TopLevelSpec {
  const rows = points.filter((p) => finite(p.cvScore) && p.size >= 1).map((p) => ({ model: p.model, size: p.size, cvScore: p.cvScore }));
  const x = { field: 'size', type: 'quantitative', scale: { type: 'log' }, title: 'model size (non-zero features, or components k; log scale)' };
  return spec({
    title: { text: 'Parsimony frontier', subtitle: `dashed: best CV score - 1 SE = ${threshold.toFixed(3)}${chosen ? `; chosen: ${chosen.model} with ${chosen.size}` : ''}` },
    width: 460,
    height: 240,
    layer: [
      { data: { values: rows }, mark: { type: 'point', filled: true, size: 16 }, encoding: { x, y: { field: 'cvScore', type: 'quantitative', title: 'CV r', scale: { zero: false } }, color: { field: 'model', type: 'nominal' } } },
      { data: { values: [{ y: threshold }] }, mark: { type: 'rule', strokeDash: [4, 2], color: '#555' }, encoding: { y: { field: 'y', type: 'quantitative' } } },
      ...(chosen ? [{ data: { values: [chosen] }, mark: { type: 'point', shape: 'diamond', size: 120, color: '#c00', filled: true }, encoding: { x: { field: 'size', type: 'quantitative', scale: { type: 'log' } }, y: { field: 'cvScore', type: 'quantitative' } } }] : []),
    ],
  });
}

export async function frontier(points: readonly FrontierPoint[], threshold: number, chosen?: { model: string; size: number; cvScore: number }): Promise<Chart> {
  return makeChart('parsimony-frontier', 'Parsimony frontier', frontierSpec(points, threshold, chosen),
    'Read how few features buy nearly the best score: every point is one model on a path; the red diamond is the smallest model within one standard error of the best (the 1-SE interpretable model).');
}

/** Weight reproducibility: mean correlation of the weights fitted on disjoint halves, per model. */
export function reproducibilitySpec(rows: readonly { model: string; mean: number; values: number[] }[]): TopLevelSpec {
  const bars = rows.filter((r) => finite(r.mean)).map((r) => ({ model: r.model, mean: r.mean }));
  const dots = rows.flatMap((r) => r.values.filter(finite).map((v) => ({ model: r.model, v })));
  const xs = rows.map((r) => r.model);
  // the axis reaches every split's value (OLS can be strongly negative: weights that flip sign)
  const lo = Math.min(-0.2, ...dots.map((d) => Math.floor(d.v * 10) / 10));
  return spec({
    title: { text: 'Weight reproducibility', subtitle: 'correlation of the weight vectors fitted on two disjoint halves of the training data; dots: individual splits' },
    width: { step: 70 },
    height: 220,
    layer: [
      { data: { values: bars }, mark: { type: 'bar', color: '#9ecae1' }, encoding: { x: { field: 'model', type: 'nominal', sort: xs, axis: { labelAngle: 0 }, title: null }, y: { field: 'mean', type: 'quantitative', title: 'mean weight correlation', scale: { domain: [lo, 1] } } } },
      { data: { values: dots }, mark: { type: 'point', filled: true, color: 'black', size: 18 }, encoding: { x: { field: 'model', type: 'nominal', sort: xs }, y: { field: 'v', type: 'quantitative' } } },
    ],
  });
}

export async function reproducibility(rows: readonly { model: string; mean: number; values: number[] }[]): Promise<Chart> {
  return makeChart('weight-reproducibility', 'Weight reproducibility', reproducibilitySpec(rows),
    'Read which models give the same weights on different data: 1 means the two halves agree weight for weight; the paper expects OLS lowest and PCR / the 1-SE model highest.');
}

/** Named components: correlation of each leading principal component with physical summaries. */
export function componentsSpec(rows: readonly { component: number; summary: string; r: number }[]): TopLevelSpec {
  return spec({
    title: { text: 'What the principal components are', subtitle: 'correlation of component scores with named local summaries (training rows)' },
    data: { values: rows.filter((r) => finite(r.r)) },
    mark: { type: 'rect' },
    width: { step: 44 },
    height: { step: 18 },
    encoding: {
      x: { field: 'component', type: 'ordinal', title: 'principal component' },
      y: { field: 'summary', type: 'nominal', title: null },
      color: { field: 'r', type: 'quantitative', scale: { scheme: 'redblue', domain: [-1, 1], reverse: true }, title: 'r' },
      tooltip: [{ field: 'summary' }, { field: 'component' }, { field: 'r', format: '.2f' }],
    },
  });
}

export async function components(rows: readonly { component: number; summary: string; r: number }[]): Promise<Chart> {
  return makeChart('named-components', 'Named components', componentsSpec(rows),
    'Read each column as one principal component: a dark cell says the component is (anti-)correlated with that physical summary, e.g. component 1 = local packing.');
}
