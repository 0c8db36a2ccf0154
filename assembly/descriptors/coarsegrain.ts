// The coarse-graining kernel (../shared/spec/descriptors.md, "Coarse-graining kernel"): the one
// function every family uses (CG levels of R and A, composition x, e(L), evar(L), and the plain
// neighbour sums rho and phi of family P).
//
//   W_i       = sum_{j != i, r_ij <= L} exp(-r_ij / L)
//   S_i[c]    = sum_{j != i, r_ij <= L} exp(-r_ij / L) x_j[c]
//   CG_L(x)_i = (x_i[c] + S_i[c]) / (1 + W_i)          (the particle itself has weight 1)
//
// (Boattini, Smallenburg, Filion, PRL 127, 088007 (2021).) A whole block of columns is done in
// one walk over the neighbours, so the exp() per pair is shared by all columns.

import {
  neighborListFirst, neighborListRows, neighborListOffsets, neighborListJ, neighborListR,
} from "../neighbors/celllist";

/**
 * For the rows i of neighbour list `nl` (its cutoff >= L; pairs with r > L are skipped):
 *   out[i*ldo + c] = CG_L(x)_i[c] = (x[i*ldx + c] + S_i[c]) / (1 + W_i)   for c < nAvg,
 *   out[i*ldo + c] = S_i[c]                                              for nAvg <= c < nAvg + nSum,
 *   wOut[i] = W_i                                                        when wOut != 0.
 * x and out must not overlap.
 */
export function descCoarseGrain(nl: usize, L: f64, x: usize, ldx: i32, nAvg: i32, nSum: i32, out: usize, ldo: i32, wOut: usize): void {
  const i0 = neighborListFirst(nl), rows = neighborListRows(nl);
  const off = neighborListOffsets(nl), pj = neighborListJ(nl), pr = neighborListR(nl);
  const ncol = nAvg + nSum;
  const invL = 1.0 / L;
  for (let q = 0; q < rows; q++) {
    const i = i0 + q;
    const o = out + ((<usize>i * <usize>ldo) << 3);
    const xi = x + ((<usize>i * <usize>ldx) << 3);
    memory.copy(o, xi, <usize>nAvg << 3);
    memory.fill(o + (<usize>nAvg << 3), 0, <usize>nSum << 3);
    let W: f64 = 0.0;
    const a = load<i32>(off + (<usize>q << 2)), b = load<i32>(off + (<usize>(q + 1) << 2));
    for (let p = a; p < b; p++) {
      const r = load<f64>(pr + (<usize>p << 3));
      if (r > L) continue;
      const wj = Math.exp(-r * invL);
      W += wj;
      const j = load<i32>(pj + (<usize>p << 2));
      const xj = x + ((<usize>j * <usize>ldx) << 3);
      let c = 0;
      if (ASC_FEATURE_SIMD) {
        const wv = f64x2.splat(wj);
        for (; c + 1 < ncol; c += 2) {
          const po = o + (<usize>c << 3);
          v128.store(po, f64x2.add(v128.load(po), f64x2.mul(wv, v128.load(xj + (<usize>c << 3)))));
        }
      }
      for (; c < ncol; c++) {
        const po = o + (<usize>c << 3);
        store<f64>(po, load<f64>(po) + wj * load<f64>(xj + (<usize>c << 3)));
      }
    }
    const den = 1.0 + W;
    for (let c = 0; c < nAvg; c++) {
      const po = o + (<usize>c << 3);
      store<f64>(po, load<f64>(po) / den);
    }
    if (wOut) store<f64>(wOut + (<usize>i << 3), W);
  }
}

/** Copy a rows x cols block: dst[r*ldd + c] = src[r*lds + c]. */
export function descCopyBlock(src: usize, lds: i32, dst: usize, ldd: i32, rows: i32, cols: i32): void {
  const bytes = <usize>cols << 3;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + ((<usize>r * <usize>ldd) << 3), src + ((<usize>r * <usize>lds) << 3), bytes);
  }
}

/** Index of the first non-finite value of x[0..n), or -1. */
export function descFirstNonFinite(x: usize, n: i32): i32 {
  for (let k = 0; k < n; k++) {
    if (!isFinite<f64>(load<f64>(x + (<usize>k << 3)))) return k;
  }
  return -1;
}
