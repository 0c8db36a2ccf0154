// The model registry (issue 10, part 1): every linear model is ONE entry here, with
//   its hyper-parameter, the default grid CV searches, the path solver on sufficient statistics
//   (standardised coefficients for a whole grid from one factorisation), the CV, the refit on all
//   training rows, and the parameters a model file records.
// `fit` (src/workflow/pipeline.ts: features -> statistics -> registry) and `fitMatrix`
// (src/models/fit-matrix.ts, under `glassbox regress`) both go through `selectAndFit`, so the two
// workflows share one set of defaults (the main workflow's):
//
//   model  objective (standardised X, centred y; ../shared/spec/regression.md)    param  default grid
//   ols    ||y - X w||^2                                                            -      -
//   ridge  ||y - X w||^2 + alpha ||w||^2                                            alpha  10^-1 .. 10^7, 33 log-spaced
//   enet   1/(2n)||y - X w||^2 + alpha l1 ||w||_1 + alpha (1 - l1)/2 ||w||^2        alpha  alpha_max .. 1e-3 alpha_max, 100
//   lasso  enet with l1_ratio = 1                                                   alpha  idem
//   pcr    OLS on the first k principal components of C                             k      1 .. numerical rank of C
//
// The chosen hyper-parameter at either end of its grid is reported as a warning (every model):
// the optimum may lie beyond the grid (or, for PCR's top k = the rank, every usable component is
// used). Coefficients go to original units in one place (toOriginalUnits, src/models/coef.ts).

import { InputError } from '../errors.js';
import { dpow } from '../wasm/detmath.js';
import { cvEnet, cvGrid, type CvConfig, type CvOptions, type CvResult } from './cv.js';
import { enetAlphaGrid, enetSolveGram, fitEnet } from './enet.js';
import { fitOLS, olsCoefStd } from './ols.js';
import { fitPCR, pcrPathCapped } from './pcr.js';
import { fitRidge, ridgePathStd } from './ridge.js';
import { numericalRank } from './scale.js';
import { MODEL_NAMES, type LinearFit, type ModelName, type Standardized } from './types.js';

export { MODEL_NAMES } from './types.js';

/** log-spaced values from 10^lo to 10^hi (inclusive; deterministic dpow, the same in every engine). */
export function logspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => dpow(10, lo + ((hi - lo) * i) / Math.max(1, n - 1)));
}

/** Options of the grids and solvers (all optional: the defaults of the table above). */
export interface RegistryOptions {
  /** Ridge alpha grid (default logspace(-1, 7, 33)). */
  ridgeAlphas?: number[];
  /** Elastic-net l1_ratio values CV tries (default [0.5]); lasso always 1. */
  l1Ratios?: number[];
  /** Elastic-net path length (default 100) and alpha_min / alpha_max (default 1e-3). */
  nAlphas?: number;
  eps?: number;
  /** Largest PCR k tried (default: the numerical rank of C; never above it). */
  pcrMaxK?: number;
  /** Elastic-net stopping tolerance of the refit (default 1e-4) and of the CV paths (default 1e-4). */
  tol?: number;
  /** Elastic-net sweep cap (default 1000). */
  maxIter?: number;
}

/** A grid for CV: the values of the hyper-parameter, and a note when it was capped. */
export interface Grid {
  values: number[];
  warnings: string[];
}

/** One model of the registry. */
export interface ModelEntry {
  name: ModelName;
  /** The hyper-parameter CV chooses ('alpha', 'k'), or null (OLS: nothing to choose). */
  param: 'alpha' | 'k' | null;
  /** The objective, in words (for help texts and reports). */
  objective: string;
  /** Default CV grid for these data (OLS: the single point 0, named 'none'). */
  grid(std: Standardized, o: RegistryOptions, l1Ratio?: number): Grid;
  /** Path solver on the standardised statistics: standardised coefficients (kept columns) for every grid value. */
  path(std: Standardized, grid: readonly number[], o: RegistryOptions, l1Ratio?: number): Float64Array[];
  /** Grouped CV over `grid` (absent: the default grid of the full data). */
  cv(configs: CvConfig[], cvOpts: CvOptions, o: RegistryOptions, grid?: number[]): CvResult;
  /** The refit on all training rows at the given parameters. */
  refit(std: Standardized, params: Record<string, number>, o: RegistryOptions): { fit: LinearFit; warnings: string[] };
  /** The parameters a model file records (params of the file's `params` field). */
  fileParams(params: Record<string, number>): Record<string, number>;
}

const ridgeGrid = (o: RegistryOptions): number[] => o.ridgeAlphas ?? logspace(-1, 7, 33);

/** PCR grid: k = 1 .. min(kept columns, numerical rank, pcrMaxK). */
function pcrGrid(std: Standardized, o: RegistryOptions): Grid {
  const rank = numericalRank(std);
  const K = Math.max(1, Math.min(std.p, rank, o.pcrMaxK ?? Infinity));
  const warnings = rank < std.p ? [`PCR: X has numerical rank ${rank} (< ${std.p} kept columns): k is chosen among 1..${K}`] : [];
  return { values: Array.from({ length: K }, (_, i) => i + 1), warnings };
}

function enetEntry(name: 'enet' | 'lasso'): ModelEntry {
  const l1Of = (o: RegistryOptions, l1?: number) => (name === 'lasso' ? 1 : l1 ?? o.l1Ratios?.[0] ?? 0.5);
  return {
    name,
    param: 'alpha',
    objective: name === 'lasso'
      ? '1/(2n) ||y - X w||^2 + alpha ||w||_1 (sklearn Lasso)'
      : '1/(2n) ||y - X w||^2 + alpha l1_ratio ||w||_1 + alpha (1 - l1_ratio)/2 ||w||^2 (sklearn ElasticNet)',
    grid: (std, o, l1) => ({ values: Array.from(enetAlphaGrid(std, l1Of(o, l1), o.nAlphas ?? 100, o.eps ?? 1e-3)), warnings: [] }),
    path(std, grid, o, l1) {
      const path = enetSolveGram(std, l1Of(o, l1), grid, { tol: o.tol, maxIter: o.maxIter });
      return grid.map((_, a) => path.coefStd.slice(a * std.p, (a + 1) * std.p));
    },
    cv: (configs, cvOpts, o, grid) => cvEnet(configs, {
      ...cvOpts, tol: o.tol, maxIter: o.maxIter,
      l1Ratios: name === 'lasso' ? [1] : o.l1Ratios ?? [0.5], nAlphas: o.nAlphas ?? 100, eps: o.eps ?? 1e-3,
      ...(grid ? { alphas: grid } : {}),
    }),
    refit(std, params, o) {
      const l1Ratio = name === 'lasso' ? 1 : params.l1Ratio ?? 0.5;
      return fitEnet(std, params.alpha, l1Ratio, { model: name, tol: o.tol ?? 1e-4, maxIter: o.maxIter });
    },
    fileParams: (p) => ({ alpha: p.alpha, l1Ratio: name === 'lasso' ? 1 : p.l1Ratio ?? 0.5 }),
  };
}

/** The registry: one entry per model. */
export const REGISTRY: Readonly<Record<ModelName, ModelEntry>> = {
  ols: {
    name: 'ols',
    param: null,
    objective: '||y - X w||^2 (fails on a numerically singular C, naming its condition number)',
    grid: () => ({ values: [0], warnings: [] }),
    path: (std, grid) => grid.map(() => olsCoefStd(std).w),
    cv: (configs, cvOpts) => cvGrid(configs, 'ols', 'none', (s, g) => g.map(() => olsCoefStd(s).w), [0], cvOpts),
    refit: (std) => ({ fit: fitOLS(std), warnings: [] }),
    fileParams: () => ({}),
  },
  ridge: {
    name: 'ridge',
    param: 'alpha',
    objective: '||y - X w||^2 + alpha ||w||^2 (sklearn Ridge; not divided by n)',
    grid: (_std, o) => ({ values: ridgeGrid(o), warnings: [] }),
    path: (std, grid) => ridgePathStd(std, grid),
    cv: (configs, cvOpts, o, grid) => cvGrid(configs, 'ridge', 'alpha', (s, g) => ridgePathStd(s, g), grid ?? ridgeGrid(o), cvOpts),
    refit: (std, params) => ({ fit: fitRidge(std, params.alpha), warnings: [] }),
    fileParams: (p) => ({ alpha: p.alpha }),
  },
  enet: enetEntry('enet'),
  lasso: enetEntry('lasso'),
  pcr: {
    name: 'pcr',
    param: 'k',
    objective: 'OLS of y on the scores of the first k principal components of C',
    grid: (std, o) => pcrGrid(std, o),
    path: (std, grid) => pcrPathCapped(std, [...grid]),
    cv: (configs, cvOpts, _o, grid) => {
      if (!grid) throw new InputError('pcr: the CV grid depends on the data (registry.pcr.grid(std))');
      return cvGrid(configs, 'pcr', 'k', pcrPathCapped, grid, cvOpts);
    },
    refit(std, params) {
      const k = params.k;
      if (!(Number.isInteger(k) && k >= 1 && k <= std.p)) throw new InputError(`pcr: k = ${k}: expected an integer in [1, ${std.p}] (kept columns)`);
      return { fit: fitPCR(std, k), warnings: [] };
    },
    fileParams: (p) => ({ k: p.k }),
  },
};

/** The registry entry of a model name (InputError naming the known models otherwise). */
export function modelEntry(name: string): ModelEntry {
  const e = (REGISTRY as Record<string, ModelEntry | undefined>)[name];
  if (!e || !Object.prototype.hasOwnProperty.call(REGISTRY, name)) throw new InputError(`unknown model "${name}" (expected ${MODEL_NAMES.join(', ')})`);
  return e;
}

const fmtV = (v: number) => String(Number(v.toPrecision(4)));

/**
 * Warning when CV chose the first or last value of a grid (of 2 or more values): the optimum may
 * lie beyond it. `rank`: for PCR, the numerical rank (k = rank is every usable component).
 */
export function edgeWarning(name: ModelName, cv: CvResult, rank?: number): string | null {
  const c = cv.curves[cv.best.curve];
  const m = c.grid.length;
  if (m < 2 || (cv.best.index !== 0 && cv.best.index !== m - 1)) return null;
  const v = c.grid[cv.best.index];
  let lo = Infinity, hi = -Infinity;
  for (const g of c.grid) {
    lo = Math.min(lo, g);
    hi = Math.max(hi, g);
  }
  const fixed = Object.entries(c.fixed).map(([k, x]) => ` (${k} ${fmtV(x)})`).join('');
  const end = v === lo ? 'smallest' : 'largest';
  const beyond = v === lo ? 'below' : 'above';
  let why = `the optimum may lie ${beyond} it; widen the grid`;
  if (name === 'pcr' && v === hi && rank !== undefined && v >= rank) why = `k = the numerical rank of C: every usable component is used (PCR = OLS on the non-singular part)`;
  else if ((name === 'enet' || name === 'lasso') && v === hi) why = 'alpha_max: every coefficient is 0 (no feature beats a constant prediction in CV)';
  else if (name === 'enet' || name === 'lasso') why = 'the optimum may lie below it; widen the path (eps, nAlphas)';
  else if (name === 'pcr' && v === lo) why = 'a single component';
  return `${name}: CV chose ${c.param} = ${fmtV(v)}${fixed}, the ${end} value of its grid (${fmtV(lo)} .. ${fmtV(hi)}): ${why}`;
}

export interface SelectOptions extends RegistryOptions {
  /** Hyper-parameters given (no CV needed for them): alpha (ridge, enet, lasso), k (pcr), l1Ratio (enet). */
  fixed?: Record<string, number>;
  /** Run CV even when every hyper-parameter is fixed (the scores are then reported). */
  cvAlways?: boolean;
  /** Grouped-CV options (folds, centring, ...). */
  cv?: CvOptions;
}

export interface Selected {
  model: ModelName;
  /** The parameters chosen (CV's order: fixed ones first); entry.fileParams gives a model file's. */
  params: Record<string, number>;
  cv: CvResult | null;
  fit: LinearFit;
  warnings: string[];
}

/**
 * One model of the registry on one standardised training problem: CV over the entry's default
 * grid (or the fixed value) when a hyper-parameter must be chosen (or `cvAlways`), then the refit
 * at the chosen parameters. `configs`: the per-configuration statistics of the same training
 * rows (null: no CV possible). This is the one path under `fit` and `fitMatrix`.
 */
export function selectAndFit(name: ModelName, std: Standardized, configs: CvConfig[] | null, o: SelectOptions = {}): Selected {
  const e = modelEntry(name);
  const fixed = o.fixed ?? {};
  const given = e.param === null || fixed[e.param] !== undefined;
  const warnings: string[] = [];
  let cv: CvResult | null = null;
  const params: Record<string, number> = {};
  if (name === 'enet' && fixed.l1Ratio !== undefined) params.l1Ratio = fixed.l1Ratio;
  const ro: RegistryOptions = name === 'enet' && fixed.l1Ratio !== undefined ? { ...o, l1Ratios: [fixed.l1Ratio] } : o;
  if (!given || o.cvAlways) {
    if (!configs) throw new InputError(`${name}: choosing ${e.param} needs cross-validation over configurations`);
    let grid: number[] | undefined;
    let rank: number | undefined;
    if (given && e.param !== null) grid = [fixed[e.param]];
    else if (name === 'pcr') {
      const g = e.grid(std, ro);
      warnings.push(...g.warnings);
      grid = g.values;
      rank = numericalRank(std);
    }
    cv = e.cv(configs, o.cv ?? {}, ro, grid);
    warnings.push(...cv.warnings);
    const ew = given ? null : edgeWarning(name, cv, rank);
    if (ew) warnings.push(ew);
    Object.assign(params, cv.best.params);
    delete params.none;
  }
  if (e.param !== null && fixed[e.param] !== undefined) params[e.param] = fixed[e.param];
  if (name === 'lasso') params.l1Ratio = 1;
  const r = e.refit(std, params, ro);
  warnings.push(...r.warnings);
  return { model: name, params, cv, fit: r.fit, warnings };
}
