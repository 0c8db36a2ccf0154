// Vector helpers shared by the dense kernels (raw f64 memory, byte addresses): two dot products
// (dot: four partial sums; dotPairs: even + odd terms, the order of 2 x 2 and 4 x 2 register
// blocks in the Cholesky and the GEMM), axpy, plane rotations, rank-2 row updates, copies; and
// the ordering step shared by the eigen- and singular-value decompositions (argsortDesc,
// storeColumnSignFixed).
//
// Each helper has a SIMD (v128 f64x2) path under ASC_FEATURE_SIMD and a scalar path that
// performs exactly the same IEEE operations in the same order (lane k of a vector
// accumulator is the scalar partial sum k), so the scalar build (build/glassbox.wasm) and the
// SIMD build (build/glassbox.simd.wasm) give bit-identical results. No fused multiply-add is
// used anywhere (wasm has none outside relaxed SIMD, which is not deterministic).

/** sum_i a[i] b[i], four interleaved partial sums s0..s3 combined as (s0+s2)+(s1+s3). */
@inline export function dot(a: usize, b: usize, n: i32): f64 {
  let i = 0;
  let s: f64;
  if (ASC_FEATURE_SIMD) {
    let accA = f64x2.splat(0.0);
    let accB = f64x2.splat(0.0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      accA = f64x2.add(accA, f64x2.mul(v128.load(a + o), v128.load(b + o)));
      accB = f64x2.add(accB, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    }
    if (i + 2 <= n) {
      const o = <usize>i << 3;
      accA = f64x2.add(accA, f64x2.mul(v128.load(a + o), v128.load(b + o)));
      i += 2;
    }
    const acc = f64x2.add(accA, accB);
    s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  } else {
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 3;
      s0 = s0 + load<f64>(a + o) * load<f64>(b + o);
      s1 = s1 + load<f64>(a + o, 8) * load<f64>(b + o, 8);
      s2 = s2 + load<f64>(a + o, 16) * load<f64>(b + o, 16);
      s3 = s3 + load<f64>(a + o, 24) * load<f64>(b + o, 24);
    }
    if (i + 2 <= n) {
      const o = <usize>i << 3;
      s0 = s0 + load<f64>(a + o) * load<f64>(b + o);
      s1 = s1 + load<f64>(a + o, 8) * load<f64>(b + o, 8);
      i += 2;
    }
    s = (s0 + s2) + (s1 + s3);
  }
  if (i < n) s = s + load<f64>(a + (<usize>i << 3)) * load<f64>(b + (<usize>i << 3));
  return s;
}

/**
 * sum_i a[i] b[i] as (sum over even i) + (sum over odd i); when n is odd the last term joins the
 * even sum. The order of the GEMM's register blocks (gemm.ts: one f64x2 accumulator per output,
 * lane 0 = even terms, lane 1 = odd terms), the same in both builds.
 */
@inline export function dotPairs(a: usize, b: usize, n: i32): f64 {
  const n2 = n & ~1;
  let s0 = 0.0;
  let s1 = 0.0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0.0);
    for (let i = 0; i < n2; i += 2) {
      const o = <usize>i << 3;
      acc = f64x2.add(acc, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    }
    s0 = f64x2.extract_lane(acc, 0);
    s1 = f64x2.extract_lane(acc, 1);
  } else {
    for (let i = 0; i < n2; i += 2) {
      const o = <usize>i << 3;
      s0 += load<f64>(a + o) * load<f64>(b + o);
      s1 += load<f64>(a + o, 8) * load<f64>(b + o, 8);
    }
  }
  if (n2 < n) s0 += load<f64>(a + (<usize>n2 << 3)) * load<f64>(b + (<usize>n2 << 3));
  return s0 + s1;
}

/** y[i] = y[i] + alpha x[i]. */
@inline export function axpy(alpha: f64, x: usize, y: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(alpha);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(va, v128.load(x + o))));
    }
  } else {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
      store<f64>(y + o, load<f64>(y + o, 8) + alpha * load<f64>(x + o, 8), 8);
    }
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/** Plane rotation of two rows: x' = c x - s y, y' = s x + c y (elementwise). */
@inline export function rot(x: usize, y: usize, n: i32, c: f64, s: f64): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vc = f64x2.splat(c);
    const vs = f64x2.splat(s);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const xv = v128.load(x + o);
      const yv = v128.load(y + o);
      v128.store(x + o, f64x2.sub(f64x2.mul(vc, xv), f64x2.mul(vs, yv)));
      v128.store(y + o, f64x2.add(f64x2.mul(vs, xv), f64x2.mul(vc, yv)));
    }
  } else {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      const x0 = load<f64>(x + o), x1 = load<f64>(x + o, 8);
      const y0 = load<f64>(y + o), y1 = load<f64>(y + o, 8);
      store<f64>(x + o, c * x0 - s * y0);
      store<f64>(x + o, c * x1 - s * y1, 8);
      store<f64>(y + o, s * x0 + c * y0);
      store<f64>(y + o, s * x1 + c * y1, 8);
    }
  }
  if (i < n) {
    const o = <usize>i << 3;
    const x0 = load<f64>(x + o), y0 = load<f64>(y + o);
    store<f64>(x + o, c * x0 - s * y0);
    store<f64>(y + o, s * x0 + c * y0);
  }
}

/** Symmetric rank-2 row update: r[i] = r[i] - (a v[i] + b w[i]). */
@inline export function rank2Row(r: usize, a: f64, v: usize, b: f64, w: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f64x2.splat(a);
    const vb = f64x2.splat(b);
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      v128.store(r + o, f64x2.sub(v128.load(r + o), f64x2.add(f64x2.mul(va, v128.load(v + o)), f64x2.mul(vb, v128.load(w + o)))));
    }
  } else {
    for (; i + 2 <= n; i += 2) {
      const o = <usize>i << 3;
      store<f64>(r + o, load<f64>(r + o) - (a * load<f64>(v + o) + b * load<f64>(w + o)));
      store<f64>(r + o, load<f64>(r + o, 8) - (a * load<f64>(v + o, 8) + b * load<f64>(w + o, 8)), 8);
    }
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(r + o, load<f64>(r + o) - (a * load<f64>(v + o) + b * load<f64>(w + o)));
  }
}

/** Copy n f64 values. */
@inline export function copyF64(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 3);
}

/** Fill n f64 values with zero. */
@inline export function zeroF64(dst: usize, n: i32): void {
  memory.fill(dst, 0, <usize>n << 3);
}

/**
 * perm[0..n) = the indices of val[0..n) (f64) in descending order of value: selection sort from
 * the identity, each step taking the first largest of the rest (a strict v > best test, so equal
 * values keep the lower index first).
 */
export function argsortDesc(val: usize, n: i32, perm: usize): void {
  for (let i = 0; i < n; i++) store<i32>(perm + (<usize>i << 2), i);
  for (let i = 0; i < n; i++) {
    let best = i;
    let bv = load<f64>(val + (<usize>load<i32>(perm + (<usize>i << 2)) << 3));
    for (let j = i + 1; j < n; j++) {
      const v = load<f64>(val + (<usize>load<i32>(perm + (<usize>j << 2)) << 3));
      if (v > bv) {
        bv = v;
        best = j;
      }
    }
    if (best != i) {
      const a = load<i32>(perm + (<usize>i << 2));
      store<i32>(perm + (<usize>i << 2), load<i32>(perm + (<usize>best << 2)));
      store<i32>(perm + (<usize>best << 2), a);
    }
  }
}

/**
 * Column j of the row-major matrix M (n rows, leading dimension ld) = sgn x, x = the n values at
 * x, sgn = the sign of x's entry of largest magnitude (the first one on ties; +1 for x = 0):
 * the sign convention of eigenvectors and singular vectors. Returns sgn.
 */
export function storeColumnSignFixed(x: usize, n: i32, M: usize, ld: i32, j: i32): f64 {
  let big = 0.0;
  let sgn = 1.0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    if (Math.abs(v) > big) {
      big = Math.abs(v);
      sgn = v < 0.0 ? -1.0 : 1.0;
    }
  }
  const rb = <usize>ld << 3;
  for (let i = 0; i < n; i++) store<f64>(M + <usize>i * rb + (<usize>j << 3), sgn * load<f64>(x + (<usize>i << 3)));
  return sgn;
}
