// Streaming sufficient statistics and standardisation (../shared/spec/regression.md).
//
// statsFromBlock accumulates, for one block of rows (a configuration), with the blocked SIMD
// Gram kernel:  Z^T Z, Z^T u, 1^T Z, 1^T u, u^T u, n   for Z = X - 1 s^T, u = y - t,
// around the block's own column means s and target mean t (so that var = Z^T Z/n - (1^T Z/n)^2
// suffers no catastrophic cancellation, whatever the offsets of the columns). Statistics merge
// by addition (addStats) and folds are formed by subtraction (subtractStats); the second
// operand is re-expressed exactly around the first one's shift:
//   with d = s_b - s_a, g = t_b - t_a (Z_a = Z_b + 1 d^T, u_a = u_b + g):
//   1^T Z_a = 1^T Z_b + n d,     Z_a^T Z_a = Z_b^T Z_b + d (1^T Z_b) + (Z_b^T 1) d^T + n d d^T,
//   Z_a^T u_a = Z_b^T u_b + g Z_b^T 1 + d (1^T u_b) + n g d,
//   1^T u_a = 1^T u_b + n g,     u_a^T u_a = u_b^T u_b + 2 g 1^T u_b + n g^2.
//
// standardize: mean_j = s_j + (1^T Z)_j / n, cov = Z^T Z / n - mz mz^T (mz = 1^T Z / n),
// std_j = sqrt(cov_jj) (population), columns with std_j < 1e-12 (1 + |mean_j|) dropped, and
//   C = D^-1 cov D^-1,  c = D^-1 (Z^T u / n - mz mu),  yy = u^T u / n - mu^2   (D = diag(std)).

import { InputError } from '../errors.js';
import { GramAccumulator, columnSums, type KernelOptions } from '../linalg/linalg.js';
import type { Center, Standardized, SufficientStats } from './types.js';

export interface StatsOptions extends KernelOptions {
  /**
   * 'global' (default): plain sums (taken around a shift for accuracy). 'per-config': this
   * block is one configuration; its columns and target are centred on its own means first.
   */
  center?: Center;
  /** global mode: the shift to accumulate around (default: this block's column means) */
  shift?: Float64Array;
  /** global mode: the target shift (default: this block's target mean) */
  yShift?: number;
  /** rows per packed panel of the Gram kernel (default 256) */
  panelRows?: number;
}

function checkBlock(X: Float64Array, y: Float64Array | null, rows: number, p: number, what: string): void {
  if (!Number.isInteger(rows) || rows < 0) throw new InputError(`${what}: rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(p) || p < 0) throw new InputError(`${what}: p must be a non-negative integer, got ${p}`);
  if (X.length !== rows * p) throw new InputError(`${what}: X has ${X.length} values, expected rows*p = ${rows}*${p} (row-major)`);
  if (y && y.length !== rows) throw new InputError(`${what}: y has length ${y.length}, expected rows = ${rows}`);
}

/** Throw an InputError naming the first column/target whose sums are not finite. */
function checkFiniteStats(s: SufficientStats, what: string): void {
  for (let j = 0; j < s.p; j++) {
    if (!Number.isFinite(s.XtX[j * s.p + j]) || !Number.isFinite(s.sumX[j])) {
      throw new InputError(`${what}: column ${j} contains a non-finite value (NaN or Infinity)`);
    }
  }
  if (!Number.isFinite(s.yty) || !Number.isFinite(s.sumY)) throw new InputError(`${what}: y contains a non-finite value (NaN or Infinity)`);
}

/**
 * Sufficient statistics of one block of rows (X: rows x p row-major, y: length rows or null
 * when there is no target). See the module comment; `center: 'per-config'` centres the block on
 * its own column and target means first (the block must then be exactly one configuration).
 */
export function statsFromBlock(X: Float64Array, y: Float64Array | null, rows: number, p: number, opts: StatsOptions = {}): SufficientStats {
  checkBlock(X, y, rows, p, 'statsFromBlock');
  const center = opts.center ?? 'global';
  if (center !== 'global' && center !== 'per-config') throw new InputError(`statsFromBlock: option center must be 'global' or 'per-config', got '${center}'`);
  if (opts.shift && opts.shift.length !== p) throw new InputError(`statsFromBlock: option shift has length ${opts.shift.length}, expected p = ${p}`);
  let means: Float64Array = new Float64Array(p);
  let yMean = 0;
  if (rows > 0) {
    means = columnSums(X, rows, p, opts);
    for (let j = 0; j < p; j++) means[j] /= rows;
    if (y) yMean = columnSums(y, rows, 1, opts)[0] / rows;
  }
  let shift: Float64Array, yShift: number;
  if (center === 'per-config') {
    shift = means;
    yShift = yMean;
  } else {
    shift = opts.shift ? Float64Array.from(opts.shift) : means;
    yShift = opts.yShift ?? yMean;
  }
  const acc = new GramAccumulator(p, { wasm: opts.wasm, shift, yShift, panelRows: opts.panelRows });
  let sums;
  try {
    acc.add(X, y, rows);
    sums = acc.sums();
  } finally {
    acc.free();
  }
  const out: SufficientStats = {
    p,
    n: sums.n,
    sumX: sums.sumX,
    sumY: sums.sumY,
    XtX: sums.XtX,
    Xty: sums.Xty,
    yty: sums.yty,
    shift: center === 'per-config' ? new Float64Array(p) : shift,
    yShift: center === 'per-config' ? 0 : yShift,
    center,
    blocks: 1,
  };
  checkFiniteStats(out, 'statsFromBlock');
  return out;
}

/** Empty statistics for p columns (n = 0), around an optional shift. */
export function emptyStats(p: number, center: Center = 'global', shift?: Float64Array, yShift = 0): SufficientStats {
  return {
    p, n: 0, sumX: new Float64Array(p), sumY: 0, XtX: new Float64Array(p * p), Xty: new Float64Array(p), yty: 0,
    shift: shift ? Float64Array.from(shift) : new Float64Array(p), yShift, center, blocks: 0,
  };
}

function shiftOf(s: SufficientStats): Float64Array {
  return s.shift ?? new Float64Array(s.p);
}

/** Copy of s with its sums re-expressed around (shift, yShift) (exact identities of the module comment). */
export function rebaseStats(s: SufficientStats, shift: Float64Array, yShift: number): SufficientStats {
  const p = s.p;
  if (shift.length !== p) throw new InputError(`rebaseStats: shift has length ${shift.length}, expected p = ${p}`);
  const sb = shiftOf(s);
  const d = new Float64Array(p);
  for (let j = 0; j < p; j++) d[j] = sb[j] - shift[j];
  const g = (s.yShift ?? 0) - yShift;
  const n = s.n;
  const sumX = new Float64Array(p), XtX = new Float64Array(p * p), Xty = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    sumX[j] = s.sumX[j] + n * d[j];
    Xty[j] = s.Xty[j] + g * s.sumX[j] + d[j] * s.sumY + n * g * d[j];
    for (let k = 0; k < p; k++) {
      XtX[j * p + k] = s.XtX[j * p + k] + d[j] * s.sumX[k] + s.sumX[j] * d[k] + n * d[j] * d[k];
    }
  }
  return {
    p, n, sumX, XtX, Xty,
    sumY: s.sumY + n * g,
    yty: s.yty + 2 * g * s.sumY + n * g * g,
    shift: Float64Array.from(shift), yShift, center: s.center ?? 'global', blocks: s.blocks ?? 1,
  };
}

function sameShift(a: SufficientStats, b: SufficientStats): boolean {
  if ((a.yShift ?? 0) !== (b.yShift ?? 0)) return false;
  if (a.shift === b.shift) return true;
  const sa = shiftOf(a), sb = shiftOf(b);
  for (let j = 0; j < a.p; j++) if (sa[j] !== sb[j]) return false;
  return true;
}

function combine(a: SufficientStats, b: SufficientStats, sign: 1 | -1, what: string): SufficientStats {
  if (a.p !== b.p) throw new InputError(`${what}: statistics have different column counts (${a.p} and ${b.p})`);
  const ca = a.center ?? 'global', cb = b.center ?? 'global';
  if (ca !== cb) throw new InputError(`${what}: cannot combine '${ca}' and '${cb}' centred statistics (option center)`);
  const bb = sameShift(a, b) ? b : rebaseStats(b, shiftOf(a), a.yShift ?? 0);
  const p = a.p;
  const n = a.n + sign * bb.n;
  if (n < 0) throw new InputError(`${what}: subtracting ${bb.n} rows from ${a.n} leaves a negative row count`);
  const sumX = new Float64Array(p), Xty = new Float64Array(p), XtX = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    sumX[j] = a.sumX[j] + sign * bb.sumX[j];
    Xty[j] = a.Xty[j] + sign * bb.Xty[j];
  }
  for (let i = 0; i < p * p; i++) XtX[i] = a.XtX[i] + sign * bb.XtX[i];
  return {
    p, n, sumX, XtX, Xty,
    sumY: a.sumY + sign * bb.sumY,
    yty: a.yty + sign * bb.yty,
    shift: Float64Array.from(shiftOf(a)), yShift: a.yShift ?? 0, center: ca,
    blocks: (a.blocks ?? 1) + sign * (bb.blocks ?? 1),
  };
}

/** Statistics of the union of two disjoint row sets: a + b (around a's shift). */
export function addStats(a: SufficientStats, b: SufficientStats): SufficientStats {
  return combine(a, b, 1, 'addStats');
}

/** Statistics of the rows of `total` not in `held` (a CV fold's training set): total - held. */
export function subtractStats(total: SufficientStats, held: SufficientStats): SufficientStats {
  return combine(total, held, -1, 'subtractStats');
}

/**
 * Sum of a non-empty list of statistics (around the first one's shift), accumulated in one
 * buffer: the same additions in the same order as addStats(addStats(l0, l1), l2)..., so the
 * same bits, without a p x p temporary per term.
 */
export function sumStats(list: readonly SufficientStats[]): SufficientStats {
  if (list.length === 0) throw new InputError('sumStats: empty list of statistics');
  if (list.length === 1) return list[0];
  return accumulateStats(list[0], list.slice(1), 1, 'addStats');
}

/**
 * first + sign * (each of rest), in order, accumulated in one new buffer (each term re-expressed
 * around first's shift when its shift differs, as combine does). Same bits as the chain of
 * addStats / subtractStats.
 */
export function accumulateStats(first: SufficientStats, rest: readonly SufficientStats[], sign: 1 | -1, what = sign > 0 ? 'addStats' : 'subtractStats'): SufficientStats {
  const p = first.p;
  const ca = first.center ?? 'global';
  const out: SufficientStats = {
    p, n: first.n, sumX: Float64Array.from(first.sumX), sumY: first.sumY, XtX: Float64Array.from(first.XtX), Xty: Float64Array.from(first.Xty), yty: first.yty,
    shift: Float64Array.from(shiftOf(first)), yShift: first.yShift ?? 0, center: ca, blocks: first.blocks ?? 1,
  };
  for (const b of rest) {
    if (b.p !== p) throw new InputError(`${what}: statistics have different column counts (${p} and ${b.p})`);
    const cb = b.center ?? 'global';
    if (ca !== cb) throw new InputError(`${what}: cannot combine '${ca}' and '${cb}' centred statistics (option center)`);
    const bb = sameShift(out, b) ? b : rebaseStats(b, out.shift!, out.yShift ?? 0);
    const n = out.n + sign * bb.n;
    if (n < 0) throw new InputError(`${what}: subtracting ${bb.n} rows from ${out.n} leaves a negative row count`);
    out.n = n;
    for (let j = 0; j < p; j++) {
      out.sumX[j] = out.sumX[j] + sign * bb.sumX[j];
      out.Xty[j] = out.Xty[j] + sign * bb.Xty[j];
    }
    const A = out.XtX, B = bb.XtX;
    for (let i = 0; i < p * p; i++) A[i] = A[i] + sign * B[i];
    out.sumY = out.sumY + sign * bb.sumY;
    out.yty = out.yty + sign * bb.yty;
    out.blocks = (out.blocks ?? 1) + sign * (bb.blocks ?? 1);
  }
  return out;
}

/** Column and target means of the rows behind a statistics object: shift + sum / n. */
export function statsMeans(s: SufficientStats): { mx: Float64Array; my: number } {
  const mx = new Float64Array(s.p);
  for (let j = 0; j < s.p; j++) mx[j] = s.sumX[j] / s.n + (s.shift ? s.shift[j] : 0);
  return { mx, my: s.sumY / s.n + (s.yShift ?? 0) };
}

/**
 * Statistics of the same rows centred within their configuration:
 * XtX - sumX sumX^T / n, Xty - sumX sumY / n, yty - sumY^2 / n, sums 0 (rebased exactly on the
 * rows' means, then read as the rows x - mean).
 */
export function centerConfigStats(s: SufficientStats): SufficientStats {
  const { p, n } = s;
  if (!(n > 0)) throw new InputError('centerConfigStats: a configuration without rows');
  const { mx, my } = statsMeans(s);
  const r = rebaseStats(s, mx, my);
  return { ...r, sumX: new Float64Array(p), sumY: 0, shift: new Float64Array(p), yShift: 0, center: 'per-config' };
}

/**
 * The per-configuration form of ONE configuration's statistics (spec "Per-configuration
 * centring": its rows centred on their own means). Statistics taken around the configuration's
 * own means (statsFromBlock's default shift) ARE the sums of the centred rows z = x - shift:
 * they are relabelled (shift 0, center 'per-config', the same arrays, no arithmetic), which is
 * bit for bit statsFromBlock(X, y, rows, p, { center: 'per-config' }). Statistics around another
 * shift (|sum_r z_rj| above 1e-9 n (|shift_j| + sd_j)) are centred exactly (centerConfigStats).
 * Already per-config statistics are returned as they are.
 */
export function perConfigStats(s: SufficientStats): SufficientStats {
  if ((s.center ?? 'global') === 'per-config') return s;
  const p = s.p, n = s.n;
  if (!(n > 0)) throw new InputError('perConfigStats: a configuration without rows');
  const sh = shiftOf(s);
  let own = Math.abs(s.sumY) <= 1e-9 * n * (Math.abs(s.yShift ?? 0) + Math.sqrt(Math.max(0, s.yty) / n));
  for (let j = 0; j < p && own; j++) {
    own = Math.abs(s.sumX[j]) <= 1e-9 * n * (Math.abs(sh[j]) + Math.sqrt(Math.max(0, s.XtX[j * p + j]) / n));
  }
  if (!own) return centerConfigStats(s);
  return { ...s, shift: new Float64Array(p), yShift: 0, center: 'per-config', blocks: s.blocks ?? 1 };
}

/**
 * Centred Gram quantities of the rows behind s (about their own means), from the shifted sums:
 *   Sxx = XtX - sumX sumX^T / n,  Sxy = Xty - sumX sumY / n,  Syy = yty - sumY^2 / n,
 * and the means (statsMeans). Exact identities; with statistics taken around the rows' own means
 * (the default everywhere) the corrections are at rounding level, so nothing cancels.
 * `into` (p*p): write Sxx there (e.g. a wasm buffer's view) instead of a new array.
 */
export function centeredGram(s: SufficientStats, into?: Float64Array): { n: number; Sxx: Float64Array; Sxy: Float64Array; Syy: number; mx: Float64Array; my: number } {
  const p = s.p, n = s.n;
  if (!(n > 0)) throw new InputError('centeredGram: statistics without rows');
  if (into && into.length !== p * p) throw new InputError(`centeredGram: the output has ${into.length} values, expected p*p = ${p * p}`);
  const Sxx = into ?? new Float64Array(p * p), Sxy = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const aj = s.sumX[j] / n;
    Sxy[j] = s.Xty[j] - aj * s.sumY;
    for (let k = 0; k < p; k++) Sxx[j * p + k] = s.XtX[j * p + k] - aj * s.sumX[k];
  }
  const { mx, my } = statsMeans(s);
  return { n, Sxx, Sxy, Syy: s.yty - (s.sumY * s.sumY) / n, mx, my };
}

/** Relative threshold of the spec: a column is dropped when std < DROP_TOL (1 + |mean|). */
export const DROP_TOL = 1e-12;

/** Default column names x0, x1, ... */
export function defaultNames(p: number): string[] {
  return Array.from({ length: p }, (_, j) => `x${j}`);
}

/**
 * The standardised problem of the module comment from sufficient statistics (population
 * std; constant columns dropped and reported by name). names: one per original column.
 */
export function standardize(stats: SufficientStats, names?: readonly string[]): Standardized {
  const P = stats.p;
  const n = stats.n;
  if (!(n > 0)) throw new InputError(`standardize: the statistics hold ${n} rows; at least one is needed`);
  if (names && names.length !== P) throw new InputError(`standardize: ${names.length} names for ${P} columns`);
  const allNames = names ? [...names] : defaultNames(P);
  const shift = shiftOf(stats);
  const mz = new Float64Array(P);
  for (let j = 0; j < P; j++) mz[j] = stats.sumX[j] / n;
  const mu = stats.sumY / n;
  const keptL: number[] = [], droppedL: number[] = [];
  const meanAll = new Float64Array(P), stdAll = new Float64Array(P);
  for (let j = 0; j < P; j++) {
    meanAll[j] = shift[j] + mz[j];
    const v = stats.XtX[j * P + j] / n - mz[j] * mz[j];
    stdAll[j] = v > 0 ? Math.sqrt(v) : 0;
    if (stdAll[j] < DROP_TOL * (1 + Math.abs(meanAll[j])) || !Number.isFinite(stdAll[j])) droppedL.push(j);
    else keptL.push(j);
  }
  const p = keptL.length;
  const kept = Int32Array.from(keptL), dropped = Int32Array.from(droppedL);
  const mean = new Float64Array(p), std = new Float64Array(p), c = new Float64Array(p), C = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    const j = kept[a];
    mean[a] = meanAll[j];
    std[a] = stdAll[j];
  }
  for (let a = 0; a < p; a++) {
    const j = kept[a];
    c[a] = (stats.Xty[j] / n - mz[j] * mu) / std[a];
    for (let b = a; b < p; b++) {
      const k = kept[b];
      const v = (stats.XtX[j * P + k] / n - mz[j] * mz[k]) / (std[a] * std[b]);
      C[a * p + b] = v;
      C[b * p + a] = v;
    }
  }
  return {
    n, p, kept, dropped, mean, std,
    yMean: (stats.yShift ?? 0) + mu,
    C, c,
    yy: Math.max(0, stats.yty / n - mu * mu),
    pOriginal: P,
    names: allNames,
    droppedNames: droppedL.map((j) => allNames[j]),
    center: stats.center ?? 'global',
  };
}
