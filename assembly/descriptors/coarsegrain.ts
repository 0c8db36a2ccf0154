// The coarse-graining kernel (../shared/spec/descriptors.md, "Coarse-graining kernel"): the one
// kernel every family uses (CG levels of R and A, composition x, e(L), evar(L), and the plain
// neighbour sums rho and phi of family P). Two phases: descCoarseGrainAdd walks a half
// neighbour list chunk by chunk (each pair and its exp() once, added to both particles),
// descCoarseGrainFinish normalises.
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
 * Phase 1, the neighbour sums, from a half list (neighborListBuild(..., half = 1): each unordered
 * pair once, in the row its doc names): for every pair with r <= L, w = exp(-r/L) goes both ways,
 *   W[i] += w, W[j] += w,  acc[i*lda + c] += w x[j*ldx + c],  acc[j*lda + c] += w x[i*ldx + c]
 * for c < ncol. acc and W (all N rows) start at 0 and collect every chunk of the walk (the
 * list's cutoff may exceed L: such pairs are skipped). x and acc must not overlap.
 */
export function descCoarseGrainAdd(nl: usize, L: f64, x: usize, ldx: i32, ncol: i32, acc: usize, lda: i32, W: usize): void {
  const i0 = neighborListFirst(nl), rows = neighborListRows(nl);
  const off = neighborListOffsets(nl), pj = neighborListJ(nl), pr = neighborListR(nl);
  const invL = 1.0 / L;
  for (let q = 0; q < rows; q++) {
    const i = i0 + q;
    const ai = acc + ((<usize>i * <usize>lda) << 3);
    const xi = x + ((<usize>i * <usize>ldx) << 3);
    const pWi = W + (<usize>i << 3);
    let Wi = load<f64>(pWi);
    const a = load<i32>(off + (<usize>q << 2)), b = load<i32>(off + (<usize>(q + 1) << 2));
    for (let p = a; p < b; p++) {
      const r = load<f64>(pr + (<usize>p << 3));
      if (r > L) continue;
      const wj = Math.exp(-r * invL);
      const j = load<i32>(pj + (<usize>p << 2));
      Wi += wj;
      const pWj = W + (<usize>j << 3);
      store<f64>(pWj, load<f64>(pWj) + wj);
      const xj = x + ((<usize>j * <usize>ldx) << 3);
      const aj = acc + ((<usize>j * <usize>lda) << 3);
      let c = 0;
      if (ASC_FEATURE_SIMD) {
        const wv = f64x2.splat(wj);
        for (; c + 1 < ncol; c += 2) {
          const o = <usize>c << 3;
          v128.store(ai + o, f64x2.add(v128.load(ai + o), f64x2.mul(wv, v128.load(xj + o))));
          v128.store(aj + o, f64x2.add(v128.load(aj + o), f64x2.mul(wv, v128.load(xi + o))));
        }
      }
      for (; c < ncol; c++) {
        const o = <usize>c << 3;
        store<f64>(ai + o, load<f64>(ai + o) + wj * load<f64>(xj + o));
        store<f64>(aj + o, load<f64>(aj + o) + wj * load<f64>(xi + o));
      }
    }
    store<f64>(pWi, Wi);
  }
}

/**
 * Phase 2, after every chunk went through descCoarseGrainAdd: for rows i0..i1 and c < nAvg
 *   acc[i*lda + c] = CG_L(x)_i[c] = (x[i*ldx + c] + acc[i*lda + c]) / (1 + W[i]);
 * columns c >= nAvg keep the plain sums S_i[c] (rho = W, phi), W keeps W_i.
 */
export function descCoarseGrainFinish(i0: i32, i1: i32, x: usize, ldx: i32, nAvg: i32, acc: usize, lda: i32, W: usize): void {
  for (let i = i0; i < i1; i++) {
    const ai = acc + ((<usize>i * <usize>lda) << 3);
    const xi = x + ((<usize>i * <usize>ldx) << 3);
    const den = 1.0 + load<f64>(W + (<usize>i << 3));
    for (let c = 0; c < nAvg; c++) {
      const o = <usize>c << 3;
      store<f64>(ai + o, (load<f64>(xi + o) + load<f64>(ai + o)) / den);
    }
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

/**
 * The first pair of neighbour list `nl` at distance 0 (two particles at the same place: no bond
 * direction, infinite pair energy): returns its row particle i and writes j to out (i32);
 * -1 when there is none.
 */
export function descFirstCoincident(nl: usize, out: usize): i32 {
  const i0 = neighborListFirst(nl), rows = neighborListRows(nl);
  const off = neighborListOffsets(nl), pj = neighborListJ(nl), pr = neighborListR(nl);
  for (let q = 0; q < rows; q++) {
    const a = load<i32>(off + (<usize>q << 2)), b = load<i32>(off + (<usize>(q + 1) << 2));
    for (let p = a; p < b; p++) {
      if (load<f64>(pr + (<usize>p << 3)) == 0.0) {
        store<i32>(out, load<i32>(pj + (<usize>p << 2)));
        return i0 + q;
      }
    }
  }
  return -1;
}
