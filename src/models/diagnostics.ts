// Collinearity diagnostics and coefficient stability (../shared/spec/regression.md, Diagnostics).
//
//   condition number  cond(C) = lambda_max / lambda_min   (Infinity when lambda_min <= 0)
//   VIF_j = [C^{-1}]_jj = sum_i V_ji^2 / lambda_i   (= 1 / (1 - R_j^2); Infinity when C is singular)
//   eigenvalue spectrum of C with explained variance ratios lambda_i / sum lambda
//   bootstrap stability: B resamples (default 20) of the configurations with replacement
//     (seeded mulberry32, deterministic); each resample's statistics are the sum of its
//     configurations' statistics; per coefficient: mean, std (population) and sign agreement
//     = fraction of resamples whose coefficient has the sign of the mean (0 counts as disagreeing)
//   contributions per group of features (family and coarse-graining level from FeatureMeta):
//     sum |w_j|, its share, and the variance of the group's partial prediction
//     w_G^T C_GG w_G with its share of w^T C w (shares can exceed 1 when groups cancel).

import { InputError, NumericalError } from '../errors.js';
import { conditionFromEigenvalues, lstsqMinNorm, type KernelOptions } from '../linalg/linalg.js';
import type { Family, FeatureMeta } from '../features/types.js';
import { correlationEigen } from './spectrum.js';
import { standardize, addStats } from './stats.js';
import type { LinearFit, Standardized, SufficientStats } from './types.js';

export interface CollinearityDiagnostics {
  /** names of the kept columns (the order of every array below) */
  names: string[];
  conditionNumber: number;
  /** eigenvalues of C, descending */
  eigenvalues: Float64Array;
  /** lambda_i / sum lambda */
  explainedVarianceRatio: Float64Array;
  /** VIF_j = [C^{-1}]_jj */
  vif: Float64Array;
  /** names of the dropped (constant) columns */
  dropped: string[];
}

/** VIF_j = [C^{-1}]_jj = sum_i V_ji^2 / lambda_i (kept columns; Infinity if lambda_min <= 0). */
export function varianceInflation(std: Standardized, opts?: KernelOptions): Float64Array {
  const p = std.p;
  const { values, vectors } = correlationEigen(std, opts);
  const V = vectors!;
  const out = new Float64Array(p);
  if (p > 0 && !(values[p - 1] > 0)) return out.fill(Infinity);
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < p; i++) s += (V[j * p + i] * V[j * p + i]) / values[i];
    out[j] = s;
  }
  return out;
}

/** Condition number, eigen spectrum and VIFs of the correlation matrix C. */
export function collinearity(std: Standardized, opts?: KernelOptions): CollinearityDiagnostics {
  const { values } = correlationEigen(std, opts);
  let total = 0;
  for (const l of values) total += l;
  const names = std.names ?? Array.from({ length: std.pOriginal ?? std.p + std.dropped.length }, (_, j) => `x${j}`);
  return {
    names: Array.from(std.kept, (j) => names[j]),
    conditionNumber: conditionFromEigenvalues(values),
    eigenvalues: Float64Array.from(values),
    explainedVarianceRatio: values.map((l) => l / total),
    vif: varianceInflation(std, opts),
    dropped: std.droppedNames ?? Array.from(std.dropped, (j) => names[j]),
  };
}

/**
 * Diagnostic fallback for a singular problem (never used by OLS): the minimum-norm solution of
 * C w = c by SVD, singular values below rcond * s_max treated as zero (default p eps).
 * Returns the standardised coefficients (kept columns) and the numerical rank of C.
 */
export function minNormCoefStd(std: Standardized, opts: KernelOptions & { rcond?: number } = {}): { w: Float64Array; rank: number } {
  const { x, rank } = lstsqMinNorm(std.C, std.p, std.p, std.c, opts);
  return { w: x, rank };
}

/** mulberry32: a small deterministic PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface StabilityOptions {
  /** number of bootstrap resamples (default 20) */
  B?: number;
  /** RNG seed (default 1) */
  seed?: number;
  /** column names passed to standardize */
  names?: readonly string[];
}

export interface CoefficientStability {
  B: number;
  seed: number;
  /** resamples whose fit failed (NumericalError) and were left out */
  failed: number;
  names: string[];
  /** per original column, over the successful resamples: standardised coefficients */
  meanStd: Float64Array;
  stdStd: Float64Array;
  /** per original column: original-unit coefficients */
  mean: Float64Array;
  std: Float64Array;
  /** fraction of resamples whose coefficient has the sign of the mean (in [0, 1]) */
  signAgreement: Float64Array;
  /** the configurations drawn in each resample (indices into configStats) */
  draws: Int32Array[];
}

/**
 * Bootstrap coefficient stability over configurations: B resamples of the configurations
 * with replacement; `fit` is applied to the standardised sum of each resample's statistics.
 */
export function bootstrapStability(configStats: readonly SufficientStats[], fit: (std: Standardized) => LinearFit, opts: StabilityOptions = {}): CoefficientStability {
  const B = opts.B ?? 20;
  const seed = opts.seed ?? 1;
  const m = configStats.length;
  if (m < 2) throw new InputError(`bootstrapStability: needs statistics of at least 2 configurations, got ${m}`);
  if (!Number.isInteger(B) || B < 2) throw new InputError(`bootstrapStability: option B must be an integer >= 2, got ${B}`);
  const rng = mulberry32(seed);
  const P = configStats[0].p;
  const sums = { s: new Float64Array(P), s2: new Float64Array(P), o: new Float64Array(P), o2: new Float64Array(P) };
  const coefs: Float64Array[] = [];
  const draws: Int32Array[] = [];
  let failed = 0;
  let names: string[] | undefined;
  for (let b = 0; b < B; b++) {
    const idx = new Int32Array(m);
    for (let i = 0; i < m; i++) idx[i] = Math.min(m - 1, Math.floor(rng() * m));
    draws.push(idx);
    let st = configStats[idx[0]];
    for (let i = 1; i < m; i++) st = addStats(st, configStats[idx[i]]);
    let f: LinearFit;
    try {
      f = fit(standardize(st, opts.names));
    } catch (e) {
      if (e instanceof NumericalError) {
        failed++;
        continue;
      }
      throw e;
    }
    names ??= f.names;
    coefs.push(f.coefStd);
    for (let j = 0; j < P; j++) {
      sums.s[j] += f.coefStd[j];
      sums.s2[j] += f.coefStd[j] ** 2;
      sums.o[j] += f.coef[j];
      sums.o2[j] += f.coef[j] ** 2;
    }
  }
  const k = coefs.length;
  if (k === 0) throw new NumericalError(`bootstrapStability: all ${B} resampled fits failed`);
  const meanStd = sums.s.map((x) => x / k);
  const mean = sums.o.map((x) => x / k);
  const stdStd = sums.s2.map((x, j) => Math.sqrt(Math.max(0, x / k - meanStd[j] ** 2)));
  const std = sums.o2.map((x, j) => Math.sqrt(Math.max(0, x / k - mean[j] ** 2)));
  const signAgreement = new Float64Array(P);
  for (let j = 0; j < P; j++) {
    const sg = Math.sign(meanStd[j]);
    let agree = 0;
    for (const c of coefs) if (sg !== 0 && Math.sign(c[j]) === sg) agree++;
    signAgreement[j] = agree / k;
  }
  return { B, seed, failed, names: names ?? Array.from({ length: P }, (_, j) => `x${j}`), meanStd, stdStd, mean, std, signAgreement, draws };
}

export type GroupBy = 'family-level' | 'family' | 'level';

export interface GroupContribution {
  /** 'R:0', 'A:1', ... (family-level), 'R' (family) or 'L1' (level) */
  key: string;
  family?: Family;
  level?: number;
  /** kept columns in the group */
  nFeatures: number;
  /** sum_{j in G} |w_j| (standardised coefficients) */
  sumAbsCoef: number;
  /** sumAbsCoef / sum_j |w_j| */
  shareAbs: number;
  /** w_G^T C_GG w_G: variance of the group's partial prediction (standardised units of X) */
  variance: number;
  /** variance / (w^T C w) */
  varianceShare: number;
  /** number of non-zero coefficients in the group */
  nonZero: number;
}

/** Contributions of feature groups (by family and/or coarse-graining level) to a fitted model. */
export function groupContributions(fit: LinearFit, std: Standardized, meta: readonly FeatureMeta[], by: GroupBy = 'family-level'): GroupContribution[] {
  const P = fit.coefStd.length;
  if (meta.length !== P) throw new InputError(`groupContributions: ${meta.length} FeatureMeta entries for ${P} columns`);
  const p = std.p;
  const w = new Float64Array(p);
  for (let a = 0; a < p; a++) w[a] = fit.coefStd[std.kept[a]];
  const keyOf = (m: FeatureMeta) => (by === 'family' ? m.family : by === 'level' ? `L${m.level}` : `${m.family}:${m.level}`);
  const groups = new Map<string, number[]>();
  for (let a = 0; a < p; a++) {
    const k = keyOf(meta[std.kept[a]]);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(a);
  }
  let totalAbs = 0;
  for (let a = 0; a < p; a++) totalAbs += Math.abs(w[a]);
  let totalVar = 0;
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) totalVar += w[a] * std.C[a * p + b] * w[b];
  const out: GroupContribution[] = [];
  for (const [key, idx] of groups) {
    let sumAbs = 0, v = 0, nz = 0;
    for (const a of idx) {
      sumAbs += Math.abs(w[a]);
      if (w[a] !== 0) nz++;
      for (const b of idx) v += w[a] * std.C[a * p + b] * w[b];
    }
    const m0 = meta[std.kept[idx[0]]];
    out.push({
      key,
      ...(by !== 'level' ? { family: m0.family } : {}),
      ...(by !== 'family' ? { level: m0.level } : {}),
      nFeatures: idx.length,
      sumAbsCoef: sumAbs,
      shareAbs: totalAbs > 0 ? sumAbs / totalAbs : 0,
      variance: v,
      varianceShare: totalVar > 0 ? v / totalVar : 0,
      nonZero: nz,
    });
  }
  return out.sort((x, y) => y.sumAbsCoef - x.sumAbsCoef || (x.key < y.key ? -1 : 1));
}
