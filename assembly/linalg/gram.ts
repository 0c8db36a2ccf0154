// Blocked Gram accumulation: the sufficient statistics of a linear least-squares problem.
//
// For a row-major block X (rows x p) and target y (length rows), with a column shift s
// (length p, or none) and a target shift t, define Z = X - 1 s^T and u = y - t. The kernel
// works on the augmented matrix W = [Z | u | 1 | 0...] (rows x P, P = p + 2 rounded up to a
// multiple of 4) and adds its Gram matrix W^T W to an accumulator G (P x P, row-major):
//   G[j][k] += sum_r W[r][j] W[r][k]   for the 4x4 blocks on or above the diagonal,
// which holds at once Z^T Z (j, k < p), Z^T u (k = p), column sums 1^T Z (k = p + 1),
// u^T u, 1^T u and the row count n (= G[p+1][p+1]). `laGramExtract` reads them out.
//
// Blocking: rows are taken in panels of `panelRows`; each panel is packed (shift applied)
// into slabs of 4 columns, slab b holding W[r][4b..4b+3] for the panel's rows contiguously.
// A 4x4 micro-kernel then computes G[4jb..4jb+3][4kb..4kb+3] += slab_jb^T slab_kb with
// 8 f64x2 accumulators (SIMD: lane pairs over k, the A value broadcast), slab jb staying in L1
// while the slabs kb >= jb stream from L2. Every G entry is summed over rows in row order in
// both builds, so the scalar and SIMD builds are bit-identical.
//
// Flops: 2 * rows * (P/4)(P/4 + 1)/2 * 16 ~ rows * P^2 (the symmetric half, counted as
// 2 flops per multiply-add).

/** Width P of the augmented accumulator for p feature columns: p + 2 rounded up to 4. */
export function laGramWidth(p: i32): i32 {
  return (p + 2 + 3) & ~3;
}

/** Size (f64 count) of the packing scratch a call with this panel size needs. */
export function laGramPackSize(p: i32, panelRows: i32): i32 {
  return laGramWidth(p) * panelRows;
}

/** Pack rows [0, R) of X (row stride p) into slabs: W[r][j] = X[r][j] - s[j], then u, 1, zeros. */
function packPanel(X: usize, y: usize, R: i32, p: i32, P: i32, shift: usize, yShift: f64, pack: usize, slabStride: usize): void {
  const rowBytes = <usize>p << 3;
  const p4 = p & ~3;
  for (let r = 0; r < R; r++) {
    const row = X + <usize>r * rowBytes;
    const dstRow = pack + (<usize>r << 5);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      if (shift != 0) {
        for (; j < p4; j += 4) {
          const o = <usize>j << 3;
          const d = dstRow + <usize>(j >> 2) * slabStride;
          v128.store(d, f64x2.sub(v128.load(row + o), v128.load(shift + o)));
          v128.store(d, f64x2.sub(v128.load(row + o, 16), v128.load(shift + o, 16)), 16);
        }
      } else {
        for (; j < p4; j += 4) {
          const o = <usize>j << 3;
          const d = dstRow + <usize>(j >> 2) * slabStride;
          v128.store(d, v128.load(row + o));
          v128.store(d, v128.load(row + o, 16), 16);
        }
      }
    }
    for (; j < p; j++) {
      const v = shift != 0 ? load<f64>(row + (<usize>j << 3)) - load<f64>(shift + (<usize>j << 3)) : load<f64>(row + (<usize>j << 3));
      store<f64>(dstRow + <usize>(j >> 2) * slabStride + (<usize>(j & 3) << 3), v);
    }
    // augmented columns: u = y - t, 1, then zero padding up to P
    const u = y != 0 ? load<f64>(y + (<usize>r << 3)) - yShift : 0.0;
    store<f64>(dstRow + <usize>(p >> 2) * slabStride + (<usize>(p & 3) << 3), u);
    const q = p + 1;
    store<f64>(dstRow + <usize>(q >> 2) * slabStride + (<usize>(q & 3) << 3), 1.0);
    for (let z = p + 2; z < P; z++) {
      store<f64>(dstRow + <usize>(z >> 2) * slabStride + (<usize>(z & 3) << 3), 0.0);
    }
  }
}

/** G[0..3][0..3] (row stride ldg bytes) += A^T B over R packed rows (32 bytes per row each). */
function micro4x4(A: usize, B: usize, R: i32, G: usize, ldg: usize): void {
  if (ASC_FEATURE_SIMD) {
    const g1 = G + ldg, g2 = G + 2 * ldg, g3 = G + 3 * ldg;
    let c00 = v128.load(G), c01 = v128.load(G, 16);
    let c10 = v128.load(g1), c11 = v128.load(g1, 16);
    let c20 = v128.load(g2), c21 = v128.load(g2, 16);
    let c30 = v128.load(g3), c31 = v128.load(g3, 16);
    let a = A, b = B;
    const end = A + (<usize>R << 5);
    while (a < end) {
      const b0 = v128.load(b), b1 = v128.load(b, 16);
      let x = v128.load64_splat(a);
      c00 = f64x2.add(c00, f64x2.mul(x, b0)); c01 = f64x2.add(c01, f64x2.mul(x, b1));
      x = v128.load64_splat(a, 8);
      c10 = f64x2.add(c10, f64x2.mul(x, b0)); c11 = f64x2.add(c11, f64x2.mul(x, b1));
      x = v128.load64_splat(a, 16);
      c20 = f64x2.add(c20, f64x2.mul(x, b0)); c21 = f64x2.add(c21, f64x2.mul(x, b1));
      x = v128.load64_splat(a, 24);
      c30 = f64x2.add(c30, f64x2.mul(x, b0)); c31 = f64x2.add(c31, f64x2.mul(x, b1));
      a += 32; b += 32;
    }
    v128.store(G, c00); v128.store(G, c01, 16);
    v128.store(g1, c10); v128.store(g1, c11, 16);
    v128.store(g2, c20); v128.store(g2, c21, 16);
    v128.store(g3, c30); v128.store(g3, c31, 16);
  } else {
    // four passes of one G row each (4 accumulators): same per-entry row order as SIMD
    for (let jj = 0; jj < 4; jj++) {
      const g = G + <usize>jj * ldg;
      let c0 = load<f64>(g), c1 = load<f64>(g, 8), c2 = load<f64>(g, 16), c3 = load<f64>(g, 24);
      let a = A + (<usize>jj << 3), b = B;
      const end = B + (<usize>R << 5);
      while (b < end) {
        const x = load<f64>(a);
        c0 = c0 + x * load<f64>(b);
        c1 = c1 + x * load<f64>(b, 8);
        c2 = c2 + x * load<f64>(b, 16);
        c3 = c3 + x * load<f64>(b, 24);
        a += 32; b += 32;
      }
      store<f64>(g, c0); store<f64>(g, c1, 8); store<f64>(g, c2, 16); store<f64>(g, c3, 24);
    }
  }
}

/**
 * G += W^T W (upper 4x4 blocks) for W = [X - 1 s^T | y - t | 1 | 0] over `rows` rows.
 * X: rows x p row-major; y: length rows or 0 (then u = 0); shift: length p or 0 (no shift);
 * acc: P x P (P = laGramWidth(p)); pack: scratch of laGramPackSize(p, panelRows) f64.
 */
export function laGramAccumulate(X: usize, y: usize, rows: i32, p: i32, shift: usize, yShift: f64, acc: usize, pack: usize, panelRows: i32): void {
  const P = laGramWidth(p);
  const nb = P >> 2;
  const slabStride = <usize>panelRows << 5;
  const ldg = <usize>P << 3;
  for (let r0 = 0; r0 < rows; r0 += panelRows) {
    const R = min(panelRows, rows - r0);
    packPanel(X + <usize>r0 * (<usize>p << 3), y != 0 ? y + (<usize>r0 << 3) : 0, R, p, P, shift, yShift, pack, slabStride);
    for (let jb = 0; jb < nb; jb++) {
      const A = pack + <usize>jb * slabStride;
      const Grow = acc + <usize>(jb << 2) * ldg;
      for (let kb = jb; kb < nb; kb++) {
        micro4x4(A, pack + <usize>kb * slabStride, R, Grow + (<usize>(kb << 2) << 3), ldg);
      }
    }
  }
}

/**
 * Read the statistics out of an accumulator: XtX (p x p, full symmetric, from the upper
 * triangle), Xty (p), sumX (p), and scal = [n, sumY, yty] (shifted quantities, as accumulated).
 */
export function laGramExtract(acc: usize, p: i32, XtX: usize, Xty: usize, sumX: usize, scal: usize): void {
  const P = laGramWidth(p);
  for (let j = 0; j < p; j++) {
    for (let k = j; k < p; k++) {
      const v = load<f64>(acc + ((<usize>j * P + k) << 3));
      store<f64>(XtX + ((<usize>j * p + k) << 3), v);
      store<f64>(XtX + ((<usize>k * p + j) << 3), v);
    }
    store<f64>(Xty + (<usize>j << 3), load<f64>(acc + ((<usize>j * P + p) << 3)));
    store<f64>(sumX + (<usize>j << 3), load<f64>(acc + ((<usize>j * P + p + 1) << 3)));
  }
  store<f64>(scal, load<f64>(acc + ((<usize>(p + 1) * P + p + 1) << 3)));
  store<f64>(scal + 8, load<f64>(acc + ((<usize>p * P + p + 1) << 3)));
  store<f64>(scal + 16, load<f64>(acc + ((<usize>p * P + p) << 3)));
}

/** out[j] = sum_r X[r][j] (overwrites out; rows summed in order). X: rows x p row-major. */
export function laColumnSums(X: usize, rows: i32, p: i32, out: usize): void {
  memory.fill(out, 0, <usize>p << 3);
  const rowBytes = <usize>p << 3;
  for (let r = 0; r < rows; r++) {
    const row = X + <usize>r * rowBytes;
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 2 <= p; j += 2) {
        const o = <usize>j << 3;
        v128.store(out + o, f64x2.add(v128.load(out + o), v128.load(row + o)));
      }
    }
    for (; j < p; j++) {
      const o = <usize>j << 3;
      store<f64>(out + o, load<f64>(out + o) + load<f64>(row + o));
    }
  }
}
