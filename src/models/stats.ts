// STUB ON BRANCH `enet` ONLY — the real module (wasm Gram kernel, same exported names) comes
// from branch `linalg`; at merge, take that branch's file and delete this one. Plain TS,
// correct but slow (the Gram here is a JS triple loop): enough for cv.ts / the CLI to compile
// and for the enet branch's tests.
//
// Sufficient statistics of a row block (../shared/spec/regression.md, "Standardisation"):
//   n, sumX = X^T 1, sumY = 1^T y, XtX = X^T X, Xty = X^T y, yty = y^T y.
// standardize: mean = sumX/n, population std s_j = sqrt(XtX_jj/n - mean_j^2); columns with
// s_j < 1e-12 (1 + |mean_j|) dropped; C = (XtX/n - m m^T) / (s s^T), c = (Xty/n - m ybar)/s,
// yy = yty/n - ybar^2.

import { InputError } from '../errors.js';
import type { Standardized, SufficientStats } from './types.js';

/** Statistics of the n x p row-major block X (rows = particles) with target y. */
export function statsFromBlock(X: Float64Array, y: Float64Array, n: number, p: number): SufficientStats {
  if (X.length !== n * p) throw new InputError(`statsFromBlock: X has ${X.length} values, expected n*p = ${n}*${p}`);
  if (y.length !== n) throw new InputError(`statsFromBlock: y has ${y.length} values, expected n = ${n}`);
  const sumX = new Float64Array(p);
  const XtX = new Float64Array(p * p);
  const Xty = new Float64Array(p);
  let sumY = 0;
  let yty = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    const yi = y[i];
    sumY += yi;
    yty += yi * yi;
    for (let j = 0; j < p; j++) {
      const xj = X[o + j];
      sumX[j] += xj;
      Xty[j] += xj * yi;
      const r = j * p;
      for (let k = j; k < p; k++) XtX[r + k] += xj * X[o + k];
    }
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < j; k++) XtX[j * p + k] = XtX[k * p + j];
  return { p, n, sumX, sumY, XtX, Xty, yty };
}

function combine(a: SufficientStats, b: SufficientStats, sign: 1 | -1): SufficientStats {
  if (a.p !== b.p) throw new InputError(`statistics with different column counts (${a.p} and ${b.p})`);
  const f = (u: Float64Array, v: Float64Array) => {
    const o = new Float64Array(u.length);
    for (let i = 0; i < u.length; i++) o[i] = u[i] + sign * v[i];
    return o;
  };
  return {
    p: a.p,
    n: a.n + sign * b.n,
    sumX: f(a.sumX, b.sumX),
    sumY: a.sumY + sign * b.sumY,
    XtX: f(a.XtX, b.XtX),
    Xty: f(a.Xty, b.Xty),
    yty: a.yty + sign * b.yty,
  };
}

/** a + b (statistics of the union of two row sets). */
export function addStats(a: SufficientStats, b: SufficientStats): SufficientStats {
  return combine(a, b, 1);
}

/** a - b (statistics of a's rows without b's; b's rows must be a subset). */
export function subtractStats(a: SufficientStats, b: SufficientStats): SufficientStats {
  return combine(a, b, -1);
}

/** The standardised problem of the spec from statistics (population std, constant columns dropped). */
export function standardize(st: SufficientStats): Standardized {
  const { n, p } = st;
  if (!(n > 0)) throw new InputError(`standardize: no rows (n = ${n})`);
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  const keptL: number[] = [];
  const droppedL: number[] = [];
  for (let j = 0; j < p; j++) {
    mean[j] = st.sumX[j] / n;
    const v = st.XtX[j * p + j] / n - mean[j] * mean[j];
    sd[j] = Math.sqrt(Math.max(v, 0));
    if (sd[j] < 1e-12 * (1 + Math.abs(mean[j]))) droppedL.push(j);
    else keptL.push(j);
  }
  const kept = Int32Array.from(keptL);
  const q = kept.length;
  const yMean = st.sumY / n;
  const C = new Float64Array(q * q);
  const c = new Float64Array(q);
  const m = new Float64Array(q);
  const s = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    m[a] = mean[kept[a]];
    s[a] = sd[kept[a]];
  }
  for (let a = 0; a < q; a++) {
    const ja = kept[a];
    c[a] = (st.Xty[ja] / n - m[a] * yMean) / s[a];
    for (let b = 0; b < q; b++) {
      C[a * q + b] = (st.XtX[ja * p + kept[b]] / n - m[a] * m[b]) / (s[a] * s[b]);
    }
  }
  return {
    n,
    p: q,
    kept,
    dropped: Int32Array.from(droppedL),
    mean: m,
    std: s,
    yMean,
    C,
    c,
    yy: st.yty / n - yMean * yMean,
  };
}
