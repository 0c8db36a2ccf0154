// Elastic net and lasso on a standardised problem (../shared/spec/regression.md), solved by
// the coordinate-descent kernel assembly/models/cd.ts (cdEnetCreate / cdEnetSolve).
//
//   minimise  1/(2n) ||y - X w||^2 + alpha l1_ratio ||w||_1 + alpha (1 - l1_ratio)/2 ||w||^2
//
// on standardised X and centred y, through C = X^T X/n, c = X^T y/n, yy = y^T y/n only
// (scikit-learn ElasticNet; Lasso is l1_ratio = 1). Stopping: scikit-learn's duality gap,
// gap <= tol * yy with the gap divided by n (scikit-learn: gap_sum <= tol ||y||^2).
// Path: alpha_max = max_j |c_j| / l1_ratio, n_alphas log-spaced values down to eps alpha_max,
// solved in decreasing order with warm starts and sequential strong rules (Tibshirani et al.,
// J. R. Stat. Soc. B 74 (2012)) checked by KKT.
//
// Coefficients here are on the standardised kept columns (length std.p, order std.kept);
// mapping to original units is `coefFromStandardized` (src/models/model-file.ts).

import { InputError } from '../errors.js';
import { CD_INFO } from '../wasm/blocks.js';
import { wasm } from '../wasm/runtime.js';
import type { Standardized } from './types.js';
import { dpow, dlog10 } from '../wasm/detmath.js';

/** The part of a standardised problem the solver reads (a raw Gram problem works too). */
export type GramProblem = Pick<Standardized, 'p' | 'C' | 'c' | 'yy'>;


export interface EnetSolverOptions {
  /** scikit-learn's tol: stop when the duality gap <= tol * yy (default 1e-4). */
  tol?: number;
  /** Cap on coordinate sweeps per alpha, KKT re-solves included (default 1000, as scikit-learn). */
  maxIter?: number;
  /** Sequential strong rules with a KKT check (default true); false = every coordinate every sweep. */
  strongRules?: boolean;
  /** Warm start, length p (standardised coefficients). */
  warmStart?: Float64Array;
  /**
   * Newton-type steps on the current support between sweeps (default true; see the kernel
   * header). false = plain cyclic coordinate descent, as scikit-learn.
   */
  accelerate?: boolean;
}

export interface EnetFitOptions extends EnetSolverOptions {
  alpha: number;
  /** Mixing parameter in [0, 1] (default 0.5, as scikit-learn); 1 = lasso. */
  l1Ratio?: number;
}

/** Solver report for one alpha. `gap` and `tolGap` are divided by n (multiply by n for scikit-learn's). */
export interface EnetSolveInfo {
  nIter: number;
  gap: number;
  tolGap: number;
  converged: boolean;
  /** Re-solves triggered by KKT violations of the strong rule. */
  kktResolves: number;
  /** Coordinates in the working set at the end. */
  workingSet: number;
  nonzero: number;
  /** P(w), the objective divided as in the header. */
  objective: number;
  /** Exact support steps taken (acceleration). */
  newtonSteps: number;
}

export interface EnetFit extends EnetSolveInfo {
  model: 'enet' | 'lasso';
  alpha: number;
  l1Ratio: number;
  /** Standardised coefficients, length std.p (kept columns). */
  coefStd: Float64Array;
  /** Non-empty when the iteration cap was reached (the fit is then not converged). */
  warnings: string[];
}

export interface EnetPathOptions extends EnetSolverOptions {
  l1Ratio?: number;
  /** Number of alphas of the default grid (default 100). */
  nAlphas?: number;
  /** alpha_min / alpha_max of the default grid (default 1e-3). */
  eps?: number;
  /** Explicit alphas (solved in the given order; decreasing is what warm starts want). */
  alphas?: ArrayLike<number>;
}

export interface EnetPath {
  l1Ratio: number;
  /** Number of coefficients per alpha (std.p). */
  p: number;
  alphas: Float64Array;
  /** nAlphas x p row-major: row k = standardised coefficients at alphas[k]. */
  coefStd: Float64Array;
  nIter: Int32Array;
  gap: Float64Array;
  tolGap: Float64Array;
  converged: Uint8Array;
  kktResolves: Int32Array;
  workingSet: Int32Array;
  nonzero: Int32Array;
  objective: Float64Array;
  newtonSteps: Int32Array;
  /** Number of alphas that reached the iteration cap. */
  notConverged: number;
  warnings: string[];
}

function checkProblem(pr: GramProblem): void {
  const { p } = pr;
  if (!(Number.isInteger(p) && p >= 1)) throw new InputError(`elastic net: the problem has p = ${p} columns, expected at least 1`);
  if (pr.C.length !== p * p) throw new InputError(`elastic net: C has ${pr.C.length} entries, expected p*p = ${p * p}`);
  if (pr.c.length !== p) throw new InputError(`elastic net: c has ${pr.c.length} entries, expected p = ${p}`);
  if (!(pr.yy >= 0) || !Number.isFinite(pr.yy)) throw new InputError(`elastic net: yy = ${pr.yy}, expected a finite value >= 0`);
}

function checkL1(l1Ratio: number, path: boolean): void {
  if (!(l1Ratio >= 0 && l1Ratio <= 1)) throw new InputError(`l1Ratio = ${l1Ratio}: expected a number in [0, 1]`);
  if (path && l1Ratio === 0) {
    throw new InputError('l1Ratio = 0: the default alpha grid needs l1Ratio > 0 (give explicit alphas, or use ridge)');
  }
}

function solverDefaults(o: EnetSolverOptions, p: number) {
  const tol = o.tol ?? 1e-4;
  const maxIter = o.maxIter ?? 1000;
  if (!(tol >= 0) || !Number.isFinite(tol)) throw new InputError(`tol = ${tol}: expected a finite number >= 0`);
  if (!(Number.isInteger(maxIter) && maxIter >= 1)) throw new InputError(`maxIter = ${maxIter}: expected an integer >= 1`);
  if (o.warmStart && o.warmStart.length !== p) {
    throw new InputError(`warmStart has ${o.warmStart.length} coefficients, expected p = ${p}`);
  }
  return { tol, maxIter, strong: o.strongRules ?? true, accel: o.accelerate ?? true };
}

/**
 * alpha_max = max_j |c_j| / l1_ratio (the smallest alpha with w = 0) and n_alphas values
 * log-spaced from alpha_max down to eps alpha_max (numpy.geomspace: exponents i * step + log10
 * alpha_max, endpoints exact), as scikit-learn's _alpha_grid.
 */
export function enetAlphaGrid(pr: GramProblem, l1Ratio = 0.5, nAlphas = 100, eps = 1e-3): Float64Array {
  checkProblem(pr);
  checkL1(l1Ratio, true);
  if (!(Number.isInteger(nAlphas) && nAlphas >= 1)) throw new InputError(`nAlphas = ${nAlphas}: expected an integer >= 1`);
  if (!(eps > 0 && eps <= 1)) throw new InputError(`eps = ${eps}: expected a number in (0, 1]`);
  let cmax = 0;
  for (let j = 0; j < pr.p; j++) cmax = Math.max(cmax, Math.abs(pr.c[j]));
  const amax = cmax / l1Ratio;
  const out = new Float64Array(nAlphas);
  if (!(amax > 0)) {
    // y orthogonal to every column: scikit-learn uses a grid at machine epsilon
    out.fill(Number.EPSILON);
    return out;
  }
  const lo = dlog10(amax);
  const hi = dlog10(amax * eps);
  const step = nAlphas > 1 ? (hi - lo) / (nAlphas - 1) : 0;
  for (let i = 0; i < nAlphas; i++) out[i] = dpow(10, i * step + lo);
  out[0] = amax;
  if (nAlphas > 1) out[nAlphas - 1] = amax * eps;
  return out;
}

/**
 * Low-level path solve on a Gram problem: every alpha in order, warm started. Used by
 * enetFit / enetPath / the cross-validation.
 */
export function enetSolveGram(pr: GramProblem, l1Ratio: number, alphas: ArrayLike<number>, opts: EnetSolverOptions = {}): EnetPath {
  checkProblem(pr);
  checkL1(l1Ratio, false);
  const { tol, maxIter, strong, accel } = solverDefaults(opts, pr.p);
  const nA = alphas.length;
  if (nA < 1) throw new InputError('elastic net: no alphas given');
  for (let k = 0; k < nA; k++) {
    const a = alphas[k];
    if (!(a > 0) || !Number.isFinite(a)) {
      throw new InputError(`alpha = ${a}: expected a finite number > 0 (alpha = 0 is OLS: use the ols model)`);
    }
  }
  const p = pr.p;
  const w = wasm();
  const out: EnetPath = w.scoped((sc) => {
    const C = sc.f64From(pr.C);
    const c = sc.f64From(pr.c);
    const al = sc.f64From(alphas);
    const w0 = sc.f64(p);
    w0.view.fill(0);
    if (opts.warmStart) w0.set(opts.warmStart);
    const W = sc.f64(nA * p);
    const INFO_STRIDE = CD_INFO.size(w); // record layout written by the kernel per alpha (src/wasm/blocks.ts)
    const info = sc.f64(nA * INFO_STRIDE);
    // one kernel call per alpha (warm started inside the handle)
    const h: number = w.exports.cdEnetCreate(p, C.ptr, c.ptr, pr.yy, w0.ptr, strong ? 1 : 0, accel ? 1 : 0);
    sc.defer(() => w.exports.cdEnetFree(h));
    let notConverged = 0;
    for (let k = 0; k < nA; k++) {
      if (!w.exports.cdEnetSolve(h, al.view[k], l1Ratio, tol, maxIter, info.ptr + k * INFO_STRIDE * 8)) notConverged++;
      w.exports.cdEnetCoef(h, W.ptr + k * p * 8);
    }
    const inf = CD_INFO.columns(w, info, nA);
    const res: EnetPath = {
      l1Ratio,
      p,
      alphas: Float64Array.from(alphas),
      coefStd: W.toArray(),
      nIter: new Int32Array(nA),
      gap: new Float64Array(nA),
      tolGap: new Float64Array(nA),
      converged: new Uint8Array(nA),
      kktResolves: new Int32Array(nA),
      workingSet: new Int32Array(nA),
      nonzero: new Int32Array(nA),
      objective: new Float64Array(nA),
      newtonSteps: new Int32Array(nA),
      notConverged,
      warnings: [],
    };
    res.nIter.set(inf.sweeps);
    res.gap.set(inf.gap);
    res.tolGap.set(inf.tolGap);
    res.converged.set(inf.converged);
    res.kktResolves.set(inf.kktResolves);
    res.workingSet.set(inf.workingSet);
    res.nonzero.set(inf.nonzero);
    res.objective.set(inf.objective);
    res.newtonSteps.set(inf.newtonSteps);
    return res;
  });
  if (out.notConverged > 0) {
    const bad: string[] = [];
    for (let k = 0; k < nA && bad.length < 5; k++) {
      if (!out.converged[k]) bad.push(`alpha=${out.alphas[k].toPrecision(4)} (gap ${out.gap[k].toExponential(2)} > ${out.tolGap[k].toExponential(2)})`);
    }
    out.warnings.push(
      `elastic net (l1_ratio ${l1Ratio}) did not converge within maxIter=${maxIter} sweeps at ${out.notConverged} of ${nA} alphas: ` +
        bad.join(', ') + (out.notConverged > bad.length ? ', ...' : '') + ' (increase maxIter or tol)',
    );
  }
  return out;
}

/** One elastic-net fit at (alpha, l1Ratio); lasso when l1Ratio = 1. */
export function enetFit(std: GramProblem, opts: EnetFitOptions): EnetFit {
  const l1Ratio = opts.l1Ratio ?? 0.5;
  const path = enetSolveGram(std, l1Ratio, [opts.alpha], opts);
  return {
    model: l1Ratio === 1 ? 'lasso' : 'enet',
    alpha: opts.alpha,
    l1Ratio,
    coefStd: path.coefStd,
    nIter: path.nIter[0],
    gap: path.gap[0],
    tolGap: path.tolGap[0],
    converged: path.converged[0] === 1,
    kktResolves: path.kktResolves[0],
    workingSet: path.workingSet[0],
    nonzero: path.nonzero[0],
    objective: path.objective[0],
    newtonSteps: path.newtonSteps[0],
    warnings: path.warnings,
  };
}

/** The regularisation path on the default grid (or the given alphas), warm started. */
export function enetPath(std: GramProblem, opts: EnetPathOptions = {}): EnetPath {
  const l1Ratio = opts.l1Ratio ?? 0.5;
  const alphas = opts.alphas ?? enetAlphaGrid(std, l1Ratio, opts.nAlphas ?? 100, opts.eps ?? 1e-3);
  return enetSolveGram(std, l1Ratio, alphas, opts);
}

/** Lasso = elastic net with l1Ratio = 1. */
export function lassoFit(std: GramProblem, opts: Omit<EnetFitOptions, 'l1Ratio'>): EnetFit {
  return enetFit(std, { ...opts, l1Ratio: 1 });
}

/** Row k of a path's coefficient matrix (a copy). */
export function pathCoef(path: EnetPath, k: number): Float64Array {
  return path.coefStd.slice(k * path.p, (k + 1) * path.p);
}
