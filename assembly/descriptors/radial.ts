// Family R: radial structure profile (../shared/spec/descriptors.md, "Family R").
//
//   d_k = r0 + k dr (k = 0..K-1), w_k(r) = exp(-(r - d_k)^2 / (2 delta^2)),
//   R_i[beta, k] = sum_{j != i, s_j = beta, r_ij <= rcut} w_k(r_ij),   rcut = d_{K-1} + 3 delta.
//
// Radial structure functions after Behler & Parrinello, PRL 98, 146401 (2007), in the form of
// Boattini et al., Nat. Commun. 11, 5479 (2020). Kernels walk the CSR rows of a neighbour list
// built by assembly/neighbors/celllist.ts (rows i0..i1 of one chunk).

import {
  neighborListFirst, neighborListRows, neighborListOffsets, neighborListJ, neighborListR,
} from "../neighbors/celllist";

/**
 * Shell weights w_k(r) = exp(-(r - d_k)^2 * c), c = 1/(2 delta^2), for k = 0..K-1 into w (f64 x K).
 *
 * Starting from the nearest shell k* (t = r - d_k*), the neighbours follow by the exact ratios
 *   w_{k*+m+1} = w_{k*+m} * E * G^(2m+1),   w_{k*-m-1} = w_{k*-m} * G^(2m+1) / E,
 *   E = exp(2 c t dr), G = exp(-c dr^2)   (G passed in),
 * so a pair costs two exp() instead of K. Each step adds ~3 roundings (relative error
 * <= ~3K ulp). When the exponents are too large for the ratios to stay finite, the weights
 * are evaluated directly.
 */
// @ts-ignore: decorator
@inline export function shellWeights(r: f64, r0: f64, dr: f64, K: i32, c: f64, G: f64, w: usize): void {
  let ks = <i32>Math.round((r - r0) / dr);
  if (ks < 0) ks = 0;
  if (ks > K - 1) ks = K - 1;
  const t = r - (r0 + <f64>ks * dr);
  const a = 2.0 * c * t * dr;
  if (G == 0.0 || Math.abs(a) > 300.0) {
    for (let k = 0; k < K; k++) {
      const u = r - (r0 + <f64>k * dr);
      store<f64>(w + (<usize>k << 3), Math.exp(-u * u * c));
    }
    return;
  }
  const w0 = Math.exp(-t * t * c);
  store<f64>(w + (<usize>ks << 3), w0);
  const E = Math.exp(a);
  const G2 = G * G;
  let wk = w0;
  let ratio = E * G;
  for (let k = ks + 1; k < K; k++) {
    wk *= ratio;
    store<f64>(w + (<usize>k << 3), wk);
    ratio *= G2;
  }
  wk = w0;
  ratio = G / E;
  for (let k = ks - 1; k >= 0; k--) {
    wk *= ratio;
    store<f64>(w + (<usize>k << 3), wk);
    ratio *= G2;
  }
}

/** G = exp(-c dr^2), or 0 when it would underflow the recurrence (then weights are direct). */
// @ts-ignore: decorator
@inline export function shellRatio(dr: f64, c: f64): f64 {
  const e = c * dr * dr;
  return e > 300.0 ? 0.0 : Math.exp(-e);
}

/**
 * R_i[beta, k] for the rows of neighbour list `nl` (particles i0..i1), written to
 * out[i * ldo + beta * K + k] (f64). species: i32 x N (indices 0..S-1). Pairs with r > rcut
 * are ignored (the list may have a larger cutoff).
 */
export function descRadial(nl: usize, species: usize, S: i32, r0: f64, dr: f64, K: i32, delta: f64, rcut: f64, out: usize, ldo: i32): void {
  const i0 = neighborListFirst(nl), rows = neighborListRows(nl);
  const off = neighborListOffsets(nl), pj = neighborListJ(nl), pr = neighborListR(nl);
  const c = 1.0 / (2.0 * delta * delta);
  const G = shellRatio(dr, c);
  const w = heap.alloc(<usize>K << 3);
  const ncol = S * K;
  for (let q = 0; q < rows; q++) {
    const i = i0 + q;
    const o = out + ((<usize>i * <usize>ldo) << 3);
    memory.fill(o, 0, <usize>ncol << 3);
    const a = load<i32>(off + (<usize>q << 2)), b = load<i32>(off + (<usize>(q + 1) << 2));
    for (let p = a; p < b; p++) {
      const r = load<f64>(pr + (<usize>p << 3));
      if (r > rcut) continue;
      const j = load<i32>(pj + (<usize>p << 2));
      const sj = load<i32>(species + (<usize>j << 2));
      shellWeights(r, r0, dr, K, c, G, w);
      const os = o + (<usize>(sj * K) << 3);
      for (let k = 0; k < K; k++) {
        const ok = os + (<usize>k << 3);
        store<f64>(ok, load<f64>(ok) + load<f64>(w + (<usize>k << 3)));
      }
    }
  }
  heap.free(w);
}
