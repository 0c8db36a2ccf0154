// Test helper: the spec's standardised problem computed directly from rows (two-pass means
// and population stds, explicit Xs), independent of src/models/stats.ts.
//   Xs = (X - mean) / std (kept columns: std >= 1e-12 (1 + |mean|)), yc = y - mean(y),
//   C = Xs^T Xs / n, c = Xs^T yc / n, yy = yc^T yc / n.
import type { Standardized } from '../../src/models/types.js';

export function standardizeRows(X: Float64Array, y: Float64Array, n: number, p: number): Standardized & { Xs: Float64Array; yc: Float64Array } {
  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) mean[j] += X[i * p + j];
  for (let j = 0; j < p; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) sd[j] += (X[i * p + j] - mean[j]) ** 2;
  const kept: number[] = [];
  const dropped: number[] = [];
  for (let j = 0; j < p; j++) {
    sd[j] = Math.sqrt(sd[j] / n);
    if (sd[j] < 1e-12 * (1 + Math.abs(mean[j]))) dropped.push(j);
    else kept.push(j);
  }
  const q = kept.length;
  const Xs = new Float64Array(n * q);
  for (let i = 0; i < n; i++) for (let a = 0; a < q; a++) Xs[i * q + a] = (X[i * p + kept[a]] - mean[kept[a]]) / sd[kept[a]];
  let ym = 0;
  for (let i = 0; i < n; i++) ym += y[i];
  ym /= n;
  const yc = y.map((v) => v - ym);
  const C = new Float64Array(q * q);
  const c = new Float64Array(q);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    yy += yc[i] * yc[i];
    for (let a = 0; a < q; a++) {
      const xa = Xs[i * q + a];
      c[a] += xa * yc[i];
      for (let b = 0; b < q; b++) C[a * q + b] += xa * Xs[i * q + b];
    }
  }
  for (let k = 0; k < q * q; k++) C[k] /= n;
  for (let a = 0; a < q; a++) c[a] /= n;
  return {
    n, p: q, kept: Int32Array.from(kept), dropped: Int32Array.from(dropped),
    mean: Float64Array.from(kept, (j) => mean[j]), std: Float64Array.from(kept, (j) => sd[j]),
    yMean: ym, C, c, yy: yy / n, Xs, yc,
  };
}

/** Deterministic uniform [0, 1) generator: the package's mulberry32. */
export { mulberry32 as rng } from '../../src/models/diagnostics.js';
import { mulberry32 as rng } from '../../src/models/diagnostics.js';

/** Standard normal via Box-Muller on rng. */
export function gauss(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * Correlated synthetic design: X = Z L + noise (k latent factors), y = X beta + noise, rows
 * split into nConfig consecutive configurations each with its own offset in y and X.
 */
export function syntheticData(seed: number, n: number, p: number, k = 5, noise = 0.1) {
  const r = rng(seed);
  const g = gauss(r);
  const L = new Float64Array(k * p).map(() => g());
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: k }, () => g());
    for (let j = 0; j < p; j++) {
      let s = noise * g();
      for (let f = 0; f < k; f++) s += z[f] * L[f * p + j];
      X[i * p + j] = s + 0.3 * j;
    }
  }
  const beta = new Float64Array(p).map((_, j) => (j % 3 === 0 ? g() : 0));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.5 * g();
    for (let j = 0; j < p; j++) s += X[i * p + j] * beta[j];
    y[i] = s;
  }
  return { X, y, beta };
}

/**
 * Very collinear design (condition number ~1e8 and more): columns are overlapping Gaussian bumps
 * of K latent factors (like radial-shell descriptors) plus `noise`; y uses two factors.
 */
export function bumpData(seed: number, n: number, p: number, K: number, noise: number) {
  const g = gauss(rng(seed));
  const L = new Float64Array(K * p);
  for (let f = 0; f < K; f++) for (let j = 0; j < p; j++) L[f * p + j] = Math.exp(-((j / p - f / K) ** 2) / (2 * 0.05 ** 2));
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const z = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < K; f++) z[f] = g();
    y[i] = 0.8 * g() + 0.3 * z[0] - 0.2 * z[K >> 1];
    for (let j = 0; j < p; j++) {
      let v = noise * g();
      for (let f = 0; f < K; f++) v += z[f] * L[f * p + j];
      X[i * p + j] = v;
    }
  }
  return { X, y };
}
