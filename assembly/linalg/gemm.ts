// Dense matrix products (row-major f64): matrix-vector (laGemv) and matrix times transposed
// matrix (laGemmNT).
//
//   laGemv:   out[i] = sum_j A[i][j] x[j] + c                  (sums in the order of vec.dot)
//   laGemmNT: out[i*m + a] = sum_{j<k} X[i][j] V[a][j]          (sums in the order of vec.dotPairs)
//
// laGemmNT serves the cross-validation (src/models/cv.ts: S V^T for every grid point of a path
// at once, rows of V the coefficient vectors) and prediction (src/models/model-file.ts: X coef,
// m = 1). Its SIMD path holds one f64x2 accumulator per output of a 4 x 2
// register block (lane 0 the even terms, lane 1 the odd ones), which is the dotPairs order; the
// scalar path and the edges call dotPairs itself, so the two builds agree bit for bit.

import { dot, dotPairs } from "./vec";
import { ldf, stf } from "../mem";

/** out[i] = sum_j A[i][j] x[j] + c (A: m x n row-major; dot order as in vec.dot). */
export function laGemv(A: usize, m: i32, n: i32, x: usize, c: f64, out: usize): void {
  const rowBytes = <usize>n << 3;
  for (let i = 0; i < m; i++) {
    store<f64>(out + (<usize>i << 3), dot(A + <usize>i * rowBytes, x, n) + c);
  }
}

/**
 * out = X V^T:  out[i*m + a] = sum_{j<k} X[i*ldx + j] V[a*ldv + j]  (i < n, a < m).
 * Register blocks of 4 rows x 2 columns; every sum in the order of vec.dotPairs (builds agree).
 */
export function laGemmNT(X: usize, n: i32, ldx: i32, V: usize, m: i32, ldv: i32, k: i32, out: usize): void {
  const sx = <usize>ldx << 3;
  const sv = <usize>ldv << 3;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const k2 = k & ~1;
    for (; i + 4 <= n; i += 4) {
      const x0 = X + <usize>i * sx;
      const x1 = x0 + sx;
      const x2 = x1 + sx;
      const x3 = x2 + sx;
      let a = 0;
      for (; a + 2 <= m; a += 2) {
        const v0 = V + <usize>a * sv;
        const v1 = v0 + sv;
        let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0);
        let c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
        let c20 = f64x2.splat(0.0), c21 = f64x2.splat(0.0);
        let c30 = f64x2.splat(0.0), c31 = f64x2.splat(0.0);
        // c_ra += x_r[j:j+2] * v_a[j:j+2]
        for (let j = 0; j < k2; j += 2) {
          const off = <usize>j << 3;
          const b0 = v128.load(v0 + off);
          const b1 = v128.load(v1 + off);
          const a0 = v128.load(x0 + off);
          c00 = f64x2.add(c00, f64x2.mul(a0, b0));
          c01 = f64x2.add(c01, f64x2.mul(a0, b1));
          const a1 = v128.load(x1 + off);
          c10 = f64x2.add(c10, f64x2.mul(a1, b0));
          c11 = f64x2.add(c11, f64x2.mul(a1, b1));
          const a2 = v128.load(x2 + off);
          c20 = f64x2.add(c20, f64x2.mul(a2, b0));
          c21 = f64x2.add(c21, f64x2.mul(a2, b1));
          const a3 = v128.load(x3 + off);
          c30 = f64x2.add(c30, f64x2.mul(a3, b0));
          c31 = f64x2.add(c31, f64x2.mul(a3, b1));
        }
        const o = out + (<usize>i * <usize>m + <usize>a << 3);
        const om = <usize>m << 3;
        store<f64>(o, finish(c00, x0, v0, k, k2));
        store<f64>(o, finish(c01, x0, v1, k, k2), 8);
        store<f64>(o + om, finish(c10, x1, v0, k, k2));
        store<f64>(o + om, finish(c11, x1, v1, k, k2), 8);
        store<f64>(o + 2 * om, finish(c20, x2, v0, k, k2));
        store<f64>(o + 2 * om, finish(c21, x2, v1, k, k2), 8);
        store<f64>(o + 3 * om, finish(c30, x3, v0, k, k2));
        store<f64>(o + 3 * om, finish(c31, x3, v1, k, k2), 8);
      }
      for (; a < m; a++) {
        const va = V + <usize>a * sv;
        for (let r = 0; r < 4; r++) {
          stf(out, (i + r) * m + a, dotPairs(X + <usize>(i + r) * sx, va, k));
        }
      }
    }
  }
  for (; i < n; i++) {
    const xi = X + <usize>i * sx;
    for (let a = 0; a < m; a++) stf(out, i * m + a, dotPairs(xi, V + <usize>a * sv, k));
  }
}

/** lane0 (+ the odd tail term) + lane1: the dotPairs order. */
@inline function finish(acc: v128, x: usize, v: usize, k: i32, k2: i32): f64 {
  let s0 = f64x2.extract_lane(acc, 0);
  const s1 = f64x2.extract_lane(acc, 1);
  if (k2 < k) s0 += ldf(x, k2) * ldf(v, k2);
  return s0 + s1;
}
