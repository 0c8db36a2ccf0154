// Plain TypeScript reference for the elastic-net kernel (differential tests only; slow).
//
// Objective (scikit-learn ElasticNet, divided by n; C = X^T X/n, c = X^T y/n, yy = y^T y/n):
//   P(w) = 1/2 (yy - 2 c.w + w.C w) + a ||w||_1 + b/2 ||w||^2,  a = alpha l1, b = alpha (1 - l1).
// Cyclic coordinate descent over ALL coordinates, no screening, with Cw kept up to date, and
// scikit-learn's schedule for the stopping test: the duality gap is evaluated when the largest
// coefficient change of a sweep is <= tol * max|w| (or w = 0, or at the last sweep), and the
// solve stops when gap <= tol * yy. A deliberately different code path from the kernel's.

import type { GramProblem } from '../models/enet.js';

export interface ReferenceFit {
  coef: Float64Array;
  nIter: number;
  gap: number;
  converged: boolean;
  objective: number;
}

/** Duality gap (divided by n) and primal objective at w (formulation A; B when a = 0). */
export function enetGapReference(pr: GramProblem, w: Float64Array, alpha: number, l1Ratio: number): { gap: number; primal: number } {
  const { p, C, c, yy } = pr;
  const a = alpha * l1Ratio;
  const b = alpha * (1 - l1Ratio);
  const Cw = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += C[i * p + j] * w[j];
    Cw[i] = s;
  }
  let cw = 0, wCw = 0, l1 = 0, l2 = 0, dn = 0, gg = 0;
  for (let j = 0; j < p; j++) {
    cw += c[j] * w[j];
    wCw += w[j] * Cw[j];
    l1 += Math.abs(w[j]);
    l2 += w[j] * w[j];
    const g = c[j] - Cw[j];
    gg += g * g;
    dn = Math.max(dn, Math.abs(g - b * w[j]));
  }
  const R2 = yy - 2 * cw + wCw;
  const Ry = yy - cw;
  let primal: number, dual: number;
  if (a > 0) {
    primal = 0.5 * (R2 + b * l2) + a * l1;
    const s = dn > a ? a / dn : 1;
    dual = -0.5 * s * s * (R2 + b * l2) + s * Ry;
  } else {
    primal = 0.5 * (R2 + b * l2);
    dual = -0.5 * R2 + Ry - gg / (2 * b);
  }
  return { gap: primal - dual, primal };
}

/** One elastic-net fit by plain cyclic CD (see the header). */
export function enetFitReference(
  pr: GramProblem,
  alpha: number,
  l1Ratio: number,
  { tol = 1e-4, maxIter = 1000, warmStart }: { tol?: number; maxIter?: number; warmStart?: Float64Array } = {},
): ReferenceFit {
  const { p, C, c, yy } = pr;
  const a = alpha * l1Ratio;
  const b = alpha * (1 - l1Ratio);
  const w = warmStart ? Float64Array.from(warmStart) : new Float64Array(p);
  const Cw = new Float64Array(p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) Cw[i] += C[i * p + j] * w[j];
  let gap = Infinity;
  let it = 0;
  let converged = false;
  for (it = 0; it < maxIter; it++) {
    let wmax = 0;
    let dmax = 0;
    for (let j = 0; j < p; j++) {
      const cjj = C[j * p + j];
      if (cjj === 0) continue;
      const old = w[j];
      const t = c[j] - Cw[j] + old * cjj;
      const nw = (Math.sign(t) * Math.max(Math.abs(t) - a, 0)) / (cjj + b);
      if (nw !== old) {
        const d = nw - old;
        for (let i = 0; i < p; i++) Cw[i] += d * C[j * p + i];
        w[j] = nw;
      }
      dmax = Math.max(dmax, Math.abs(nw - old));
      wmax = Math.max(wmax, Math.abs(nw));
    }
    if (wmax === 0 || dmax / wmax <= tol || it === maxIter - 1) {
      gap = enetGapReference(pr, w, alpha, l1Ratio).gap;
      if (gap <= tol * yy) {
        converged = true;
        break;
      }
    }
  }
  return { coef: w, nIter: Math.min(it + 1, maxIter), gap, converged, objective: enetGapReference(pr, w, alpha, l1Ratio).primal };
}

/** Path by the reference solver (warm started, decreasing alphas as given). */
export function enetPathReference(pr: GramProblem, alphas: ArrayLike<number>, l1Ratio: number, opts: { tol?: number; maxIter?: number } = {}): Float64Array {
  const out = new Float64Array(alphas.length * pr.p);
  let w: Float64Array | undefined;
  for (let k = 0; k < alphas.length; k++) {
    const f = enetFitReference(pr, alphas[k], l1Ratio, { ...opts, warmStart: w });
    out.set(f.coef, k * pr.p);
    w = f.coef;
  }
  return out;
}
