// Elastic net by cyclic coordinate descent on the Gram matrix, with covariance updates,
// warm-started paths, sequential strong rules + KKT check, and scikit-learn's duality-gap
// stopping rule. Plus the two dense products the cross-validation needs (predictions for a
// whole path with one matrix product, and per-configuration Pearson / squared-error scores).
//
// Objective (scikit-learn ElasticNet; ../shared/spec/regression.md), on standardised X and
// centred y (n rows, p columns):
//
//   P(w) = 1/(2n) ||y - X w||^2 + a ||w||_1 + b/2 ||w||^2,
//   a = alpha * l1_ratio,   b = alpha * (1 - l1_ratio).
//
// Everything is expressed through the sufficient statistics
//   C = X^T X / n (p x p, symmetric),  c = X^T y / n,  yy = y^T y / n,
// so 1/(2n)||y - Xw||^2 = 1/2 (yy - 2 c.w + w.C w). The kernel keeps the gradient
// correlations g = c - C w (= X^T (y - X w) / n) up to date after every coordinate move
// ("covariance updates", Friedman, Hastie & Tibshirani, J. Stat. Softw. 33 (2010)):
//
//   coordinate j:  t = g_j + C_jj w_j,   w_j' = S(t, a) / (C_jj + b),   S(t,a) = sign(t) max(|t|-a, 0)
//                  g -= (w_j' - w_j) C[j, :]
//
// Stopping (scikit-learn `enet_coordinate_descent_gram`, formulation A of the dual gap, here
// divided by n): with R2 = ||y - Xw||^2/n = yy - c.w - w.g, Ry = y.(y - Xw)/n = yy - c.w,
// dn = max_j |g_j - b w_j|, s = min(1, a / dn):
//
//   primal = 1/2 (R2 + b ||w||^2) + a ||w||_1
//   dual   = -1/2 s^2 (R2 + b ||w||^2) + s Ry
//   gap    = primal - dual  (set to 0 when |gap| <= 2 eps primal),   stop when gap <= tol * yy.
//
// (scikit-learn works with the undivided sums, Q = X^T X, q = X^T y, alpha n, and stops at
// gap <= tol ||y||^2: the same test divided by n.) For a = 0 (ridge by CD) formulation B is
// used: dual = -1/2 R2 + Ry - ||g||^2 / (2 b).
//
// Sequential strong rules (Tibshirani, Bien, Friedman, Hastie, Simon, Taylor, Tibshirani,
// J. R. Stat. Soc. B 74 (2012), eq. for the elastic net): at a_k, after the solution at a_{k-1},
// coordinate j is set aside when |g_j| < 2 a_k - a_{k-1}. The kernel solves on the working set
// W = (ever kept by the rule) u (nonzero), then checks the KKT conditions |g_j| <= a_k on the
// coordinates set aside; violators join W and the problem is solved again. Since w_j = 0 and
// |g_j| <= a_k off W, the working-set duality gap equals the full one, so the stopping rule is
// unchanged. The working set is kept compact (C[W, W] copied contiguously, grown in place).
//
// Acceleration (optional, on by default in the TS API): plain cyclic CD is slow when the columns
// are strongly collinear (descriptors are). Once the sign pattern of w has not changed for a few
// sweeps, an exact step on the support A is taken: (C_AA + b I) w_A = c_A - a sign(w_A), clipped
// so that no sign flips (a monotone decrease of the objective; see supportNewton). When the
// support is right this lands on the solution and the duality gap drops to rounding level; when
// it is not, CD goes on. The stopping rule is the same duality gap either way.
//
// Determinism: every reduction uses a fixed order; dot products use two interleaved partial
// sums (even / odd index) in both the scalar and the SIMD build, so the two builds return
// bit-identical numbers.

/** Fields of the per-alpha info record written by cdEnetPath (f64 each). */
export const CD_INFO_STRIDE: i32 = 9;
// 0 sweeps | 1 gap (divided by n) | 2 tol * yy | 3 converged (1/0) | 4 KKT re-solves
// | 5 working-set size | 6 nonzeros | 7 primal objective P(w) | 8 support (Newton) steps

@inline function ldf(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}
@inline function stf(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}
@inline function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}
@inline function sti(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize>i << 2), v);
}

/** S(t, a) = sign(t) max(|t| - a, 0) */
@inline function softThreshold(t: f64, a: f64): f64 {
  if (t > a) return t - a;
  if (t < -a) return t + a;
  return 0.0;
}

/** g[0:n] -= d * row[0:n]  (elementwise, identical in the scalar and SIMD builds) */
@inline function axpyNeg(n: i32, d: f64, row: usize, g: usize): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const vd = f64x2.splat(d);
    // g[j:j+2] = g[j:j+2] - d * row[j:j+2]
    for (; j + 2 <= n; j += 2) {
      const off = <usize>j << 3;
      v128.store(g + off, f64x2.sub(v128.load(g + off), f64x2.mul(vd, v128.load(row + off))));
    }
  }
  for (; j < n; j++) {
    const off = <usize>j << 3;
    store<f64>(g + off, load<f64>(g + off) - d * load<f64>(row + off));
  }
}

/**
 * sum_j x[j] v[j] for j < k, as (sum over even j) + (sum over odd j); when k is odd the last
 * term joins the even sum. The same order in both builds.
 */
@inline function dot2(x: usize, v: usize, k: i32): f64 {
  const k2 = k & ~1;
  let s0 = 0.0;
  let s1 = 0.0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0.0);
    // acc += x[j:j+2] * v[j:j+2]
    for (let j = 0; j < k2; j += 2) {
      const off = <usize>j << 3;
      acc = f64x2.add(acc, f64x2.mul(v128.load(x + off), v128.load(v + off)));
    }
    s0 = f64x2.extract_lane(acc, 0);
    s1 = f64x2.extract_lane(acc, 1);
  } else {
    for (let j = 0; j < k2; j += 2) {
      const off = <usize>j << 3;
      s0 += load<f64>(x + off) * load<f64>(v + off);
      s1 += load<f64>(x + off, 8) * load<f64>(v + off, 8);
    }
  }
  if (k2 < k) s0 += ldf(x, k2) * ldf(v, k2);
  return s0 + s1;
}

// Results of the last gap evaluation (module globals: no allocation).
let lastPrimal: f64 = 0.0;

/**
 * Duality gap (divided by n) of the problem restricted to the s working-set coordinates with
 * coefficients ws, gradient correlations gs = c_W - C_WW w_W, linear term cs = c_W.
 * Formulas in the file header. Also sets lastPrimal = P(w).
 */
function workingGap(s: i32, cs: usize, ws: usize, gs: usize, yy: f64, a: f64, b: f64): f64 {
  let qw = 0.0;
  let wg = 0.0;
  let l1 = 0.0;
  let l2 = 0.0;
  let dn = 0.0;
  let gg = 0.0;
  // qw = c.w, wg = w.g, l1 = |w|_1, l2 = w.w, dn = max|g - b w|, gg = g.g
  for (let k = 0; k < s; k++) {
    const wk = ldf(ws, k);
    const gk = ldf(gs, k);
    qw += wk * ldf(cs, k);
    wg += wk * gk;
    l1 += Math.abs(wk);
    l2 += wk * wk;
    gg += gk * gk;
    const r = Math.abs(gk - b * wk);
    if (r > dn) dn = r;
  }
  const R2 = yy - qw - wg;
  const Ry = yy - qw;
  let primal: f64;
  let dual: f64;
  if (a > 0.0) {
    primal = 0.5 * (R2 + b * l2) + a * l1;
    const sc = dn > a ? a / dn : 1.0;
    dual = -0.5 * sc * sc * (R2 + b * l2) + sc * Ry;
  } else {
    primal = 0.5 * (R2 + b * l2);
    dual = -0.5 * R2 + Ry - gg / (2.0 * b);
  }
  lastPrimal = primal;
  let gap = primal - dual;
  if (Math.abs(gap) <= 2.0 * f64.EPSILON * primal) gap = 0.0;
  return gap;
}

/**
 * One cyclic sweep over the s working-set coordinates (Cs row-major with leading dimension ld).
 * Returns the number of coordinates whose sign pattern (-, 0, +) changed.
 */
function sweep(s: i32, ld: i32, Cs: usize, gs: usize, ws: usize, a: f64, b: f64): i32 {
  let flips = 0;
  for (let k = 0; k < s; k++) {
    const rowk = Cs + (<usize>k * <usize>ld << 3);
    const ckk = ldf(rowk, k);
    if (ckk <= 0.0) continue; // constant column: its coefficient stays 0
    const wk = ldf(ws, k);
    // t = X_k . (y - X w + X_k w_k) / n
    const t = ldf(gs, k) + wk * ckk;
    const wn = softThreshold(t, a) / (ckk + b);
    if (wn != wk) {
      const d = wn - wk;
      // g -= d * C[k, :]   (covariance update)
      axpyNeg(s, d, rowk, gs);
      stf(ws, k, wn);
      if ((wn > 0.0) != (wk > 0.0) || (wn < 0.0) != (wk < 0.0)) flips++;
    }
  }
  return flips;
}

/**
 * Exact step on the current support (acceleration; the objective never increases).
 * With A = {k : w_k != 0}, sigma = sign(w_A), the objective restricted to the orthant of w is
 * the quadratic whose minimiser over w_A (other coordinates 0) solves
 *   (C_AA + b I) w_A* = c_A - a sigma.
 * Step w_A <- w_A + t (w_A* - w_A) with the largest t <= 1 that keeps every sign (a coordinate
 * reaching 0 is set to 0): along the segment the objective is that convex quadratic, so it
 * decreases. g_W is updated with the covariance rule. Cholesky of C_AA + b I (row-oriented,
 * dot2 order); returns 0 (no step) when a pivot is not positive, i.e. C_AA + b I is
 * numerically singular, and CD simply continues. M, r, x: scratch of p*p, p, p f64; sup: p i32.
 */
function supportNewton(
  s: i32, ld: i32, Cs: usize, cs: usize, ws: usize, gs: usize, a: f64, b: f64,
  M: usize, r: usize, x: usize, sup: usize,
): i32 {
  let m = 0;
  for (let k = 0; k < s; k++) if (ldf(ws, k) != 0.0) sti(sup, m++, k);
  if (m == 0) return 0;
  const mz = <usize>m << 3;
  // M = C[A, A] + b I (lower triangle used), r = c_A - a sign(w_A)
  for (let u = 0; u < m; u++) {
    const ku = ldi(sup, u);
    const rowC = Cs + (<usize>ku * <usize>ld << 3);
    const rowM = M + <usize>u * mz;
    for (let v = 0; v <= u; v++) stf(rowM, v, ldf(rowC, ldi(sup, v)));
    stf(rowM, u, ldf(rowM, u) + b);
    const wk = ldf(ws, ku);
    stf(r, u, ldf(cs, ku) - (wk > 0.0 ? a : -a));
  }
  // Cholesky M = L L^T in place: L_ij = (M_ij - L_i,<j . L_j,<j) / L_jj
  for (let i = 0; i < m; i++) {
    const rowI = M + <usize>i * mz;
    for (let j = 0; j <= i; j++) {
      const rowJ = M + <usize>j * mz;
      const v = ldf(rowI, j) - dot2(rowI, rowJ, j);
      if (i == j) {
        if (!(v > 1e-13 * ldf(rowI, i))) return 0;
        stf(rowI, i, Math.sqrt(v));
      } else {
        stf(rowI, j, v / ldf(rowJ, j));
      }
    }
  }
  // L z = r (z in x): z_i = (r_i - L_i,<i . z_<i) / L_ii
  for (let i = 0; i < m; i++) {
    const rowI = M + <usize>i * mz;
    stf(x, i, (ldf(r, i) - dot2(rowI, x, i)) / ldf(rowI, i));
  }
  // L^T x = z: x_i = z_i / L_ii, then z_<i -= L_i,<i x_i
  for (let i = m - 1; i >= 0; i--) {
    const rowI = M + <usize>i * mz;
    const xi = ldf(x, i) / ldf(rowI, i);
    stf(x, i, xi);
    axpyNeg(i, xi, rowI, x);
  }
  // largest t <= 1 keeping signs: t <= |w_k| / |d_k| where the target has the other sign or 0
  let t = 1.0;
  for (let u = 0; u < m; u++) {
    const wk = ldf(ws, ldi(sup, u));
    const xu = ldf(x, u);
    if (wk > 0.0 ? xu <= 0.0 : xu >= 0.0) {
      const tu = wk / (wk - xu);
      if (tu < t) t = tu;
    }
  }
  if (!(t > 0.0)) return 0;
  for (let u = 0; u < m; u++) {
    const ku = ldi(sup, u);
    const wk = ldf(ws, ku);
    const xu = ldf(x, u);
    let wn = t == 1.0 ? xu : wk + t * (xu - wk);
    // w_A + t d: a coordinate that reached (or by rounding crossed) 0 is set to 0
    if (wk > 0.0 ? wn <= 0.0 : wn >= 0.0) wn = 0.0;
    if (wn != wk) {
      // g -= (wn - wk) * C[k, :]
      axpyNeg(s, wn - wk, Cs + (<usize>ku * <usize>ld << 3), gs);
      stf(ws, ku, wn);
    }
  }
  return 1;
}

/**
 * Elastic-net path by coordinate descent on the Gram matrix (objective and rules in the file
 * header).
 *
 * p: columns; C: p*p f64 (symmetric, row-major; row j is read for column j); c: p f64;
 * yy = y.y/n; l1Ratio in [0, 1]; alphas: nAlphas f64 (solved in the given order, each warm
 * started from the previous solution); tol: sklearn's relative tolerance (stop at
 * gap <= tol * yy); maxIter: cap on sweeps per alpha (KKT re-solves included);
 * useStrong: 1 = sequential strong rules + KKT check, 0 = every coordinate in every sweep;
 * accel: 1 = exact steps on the support (supportNewton) once the sign pattern has been stable
 *   for a few sweeps (2, then doubling after each step that did not finish the solve, up to 64),
 *   0 = plain coordinate descent;
 * w: p f64, the warm start on entry and the solution at the last alpha on exit;
 * W: nAlphas*p f64 output (row k = solution at alphas[k]) or 0;
 * info: nAlphas*CD_INFO_STRIDE f64 output (see CD_INFO_STRIDE).
 * Returns the number of alphas that reached maxIter without meeting the tolerance.
 * Inputs are never modified (except w, the documented in/out buffer).
 */
export function cdEnetPath(
  p: i32, C: usize, c: usize, yy: f64, l1Ratio: f64,
  alphas: usize, nAlphas: i32, tol: f64, maxIter: i32, useStrong: i32, accel: i32,
  w: usize, W: usize, info: usize,
): i32 {
  assert(p >= 1, "cdEnetPath: p must be >= 1");
  assert(l1Ratio >= 0.0 && l1Ratio <= 1.0, "cdEnetPath: l1_ratio must be in [0, 1]");
  const pz = <usize>p;
  const idx = heap.alloc(pz << 2); // working set -> column
  const inW = heap.alloc(pz << 2); // column -> 1 when in the working set
  const Cs = heap.alloc(pz * pz << 3); // C[W, W], leading dimension p
  const cs = heap.alloc(pz << 3);
  const ws = heap.alloc(pz << 3);
  const gs = heap.alloc(pz << 3);
  const g = heap.alloc(pz << 3); // full g = c - C w
  const M = accel != 0 ? heap.alloc(pz * pz << 3) : 0; // Newton scratch
  const r = heap.alloc(pz << 3);
  const x = heap.alloc(pz << 3);
  const sup = heap.alloc(pz << 2);
  memory.fill(inW, 0, pz << 2);
  let s = 0;
  let notConverged = 0;

  // working set starts with the nonzero coefficients of the warm start
  for (let j = 0; j < p; j++) {
    if (ldf(w, j) != 0.0) s = addToWorkingSet(j, s, p, C, c, idx, inW, Cs, cs, ws, w);
  }
  refreshGradient(p, s, C, c, idx, ws, g, gs);
  let aPrev = -1.0;

  for (let k = 0; k < nAlphas; k++) {
    const alpha = ldf(alphas, k);
    const a = alpha * l1Ratio;
    const b = alpha - a;
    const tolG = tol * yy;
    if (aPrev < 0.0) {
      // first alpha: the previous penalty is the smallest one for which the start is optimal
      aPrev = a;
      for (let j = 0; j < p; j++) {
        if (ldf(w, j) == 0.0) aPrev = Math.max(aPrev, Math.abs(ldf(g, j)));
      }
    }
    // strong set: |g_j| >= 2 a - a_prev (all columns when the rule is off or a = 0)
    const thr = useStrong != 0 && a > 0.0 ? 2.0 * a - aPrev : -1.0;
    for (let j = 0; j < p; j++) {
      if (ldi(inW, j) == 0 && Math.abs(ldf(g, j)) >= thr) {
        s = addToWorkingSet(j, s, p, C, c, idx, inW, Cs, cs, ws, w);
        stf(gs, s - 1, ldf(g, j));
      }
    }
    let sweeps = 0;
    let newton = 0;
    let stable = 0;
    let nextNewton = 2;
    let kkt = 0;
    let gap = 0.0;
    let violators = 0;
    while (true) {
      gap = workingGap(s, cs, ws, gs, yy, a, b);
      while (gap > tolG && sweeps < maxIter) {
        const flips = sweep(s, p, Cs, gs, ws, a, b);
        sweeps++;
        gap = workingGap(s, cs, ws, gs, yy, a, b);
        if (accel != 0 && gap > tolG) {
          stable = flips == 0 ? stable + 1 : 0;
          if (stable >= nextNewton) {
            if (supportNewton(s, p, Cs, cs, ws, gs, a, b, M, r, x, sup)) {
              newton++;
              gap = workingGap(s, cs, ws, gs, yy, a, b);
            }
            stable = 0;
            if (gap > tolG) nextNewton = min<i32>(2 * nextNewton, 64);
          }
        }
      }
      // exact g from scratch (removes drift of the incremental updates, gives g off W)
      refreshGradient(p, s, C, c, idx, ws, g, gs);
      gap = workingGap(s, cs, ws, gs, yy, a, b);
      // KKT on the coordinates set aside: |g_j| <= a (w_j = 0 there)
      violators = 0;
      for (let j = 0; j < p; j++) {
        if (ldi(inW, j) == 0 && Math.abs(ldf(g, j)) > a) {
          s = addToWorkingSet(j, s, p, C, c, idx, inW, Cs, cs, ws, w);
          stf(gs, s - 1, ldf(g, j));
          violators++;
        }
      }
      if (violators > 0) {
        kkt++;
        if (sweeps < maxIter) continue;
        gap = workingGap(s, cs, ws, gs, yy, a, b);
        break;
      }
      if (gap > tolG && sweeps < maxIter) continue;
      break;
    }
    const converged = gap <= tolG && violators == 0;
    if (!converged) notConverged++;
    // w = scatter(ws)
    memory.fill(w, 0, pz << 3);
    let nnz = 0;
    for (let t = 0; t < s; t++) {
      const v = ldf(ws, t);
      stf(w, ldi(idx, t), v);
      if (v != 0.0) nnz++;
    }
    if (W != 0) memory.copy(W + (<usize>k * pz << 3), w, pz << 3);
    const rec = info + (<usize>k * <usize>CD_INFO_STRIDE << 3);
    stf(rec, 0, <f64>sweeps);
    stf(rec, 1, gap);
    stf(rec, 2, tolG);
    stf(rec, 3, converged ? 1.0 : 0.0);
    stf(rec, 4, <f64>kkt);
    stf(rec, 5, <f64>s);
    stf(rec, 6, <f64>nnz);
    workingGap(s, cs, ws, gs, yy, a, b);
    stf(rec, 7, lastPrimal);
    stf(rec, 8, <f64>newton);
    aPrev = a;
  }
  heap.free(idx);
  heap.free(inW);
  heap.free(Cs);
  heap.free(cs);
  heap.free(ws);
  heap.free(gs);
  heap.free(g);
  if (M != 0) heap.free(M);
  heap.free(r);
  heap.free(x);
  heap.free(sup);
  return notConverged;
}

/**
 * Append column j to the working set at position s: Cs[t, s] = Cs[s, t] = C[j, idx_t],
 * cs_s = c_j, ws_s = w_j. Returns s + 1 (the caller sets gs_s).
 */
function addToWorkingSet(
  j: i32, s: i32, p: i32, C: usize, c: usize, idx: usize, inW: usize,
  Cs: usize, cs: usize, ws: usize, w: usize,
): i32 {
  const rowj = C + (<usize>j * <usize>p << 3);
  const rows = Cs + (<usize>s * <usize>p << 3);
  for (let t = 0; t < s; t++) {
    const v = ldf(rowj, ldi(idx, t));
    stf(Cs + (<usize>t * <usize>p << 3), s, v);
    stf(rows, t, v);
  }
  stf(rows, s, ldf(rowj, j));
  stf(cs, s, ldf(c, j));
  stf(ws, s, ldf(w, j));
  sti(idx, s, j);
  sti(inW, j, 1);
  return s + 1;
}

/** g = c - C w with w nonzero only on the working set (rows of C, fixed order); gs = g[W]. */
function refreshGradient(p: i32, s: i32, C: usize, c: usize, idx: usize, ws: usize, g: usize, gs: usize): void {
  memory.copy(g, c, <usize>p << 3);
  for (let t = 0; t < s; t++) {
    const wt = ldf(ws, t);
    // g -= w_t * C[idx_t, :]
    if (wt != 0.0) axpyNeg(p, wt, C + (<usize>ldi(idx, t) * <usize>p << 3), g);
  }
  for (let t = 0; t < s; t++) stf(gs, t, ldf(g, ldi(idx, t)));
}

/**
 * out = X V^T:  out[i*m + a] = sum_{j<k} X[i*ldx + j] V[a*ldv + j]  (i < n, a < m).
 * Predictions of a whole path at once (rows of V are the coefficient vectors). Register
 * blocks of 4 rows x 2 columns; sums in the two-partial order of dot2 (builds agree).
 */
export function cdGemmNT(X: usize, n: i32, ldx: i32, V: usize, m: i32, ldv: i32, k: i32, out: usize): void {
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
          stf(out, (i + r) * m + a, dot2(X + <usize>(i + r) * sx, va, k));
        }
      }
    }
  }
  for (; i < n; i++) {
    const xi = X + <usize>i * sx;
    for (let a = 0; a < m; a++) stf(out, i * m + a, dot2(xi, V + <usize>a * sv, k));
  }
}

/** lane0 (+ the odd tail term) + lane1: the dot2 order. */
@inline function finish(acc: v128, x: usize, v: usize, k: i32, k2: i32): f64 {
  let s0 = f64x2.extract_lane(acc, 0);
  const s1 = f64x2.extract_lane(acc, 1);
  if (k2 < k) s0 += ldf(x, k2) * ldf(v, k2);
  return s0 + s1;
}

/**
 * Scores of m prediction columns on nBlocks row blocks (configurations).
 * Rows starts[bl] .. starts[bl+1] of P (row-major, m columns) and y form block bl;
 * prediction yhat_ia = P[i, a] + off[bl*m + a], target y_i - yOff[bl].
 *   pearson[bl*m + a] = sum (yhat - mean yhat)(y - mean y) / sqrt(sum (yhat - .)^2 sum (y - .)^2)
 *                       (two passes; 0 when either variance is 0 or the block is empty)
 *   sse[bl*m + a]     = sum (y - yOff - yhat)^2
 */
export function cdScoreBlocks(
  P: usize, m: i32, y: usize, nBlocks: i32, starts: usize, off: usize, yOff: usize,
  pearson: usize, sse: usize,
): void {
  const mz = <usize>m << 3;
  const mean = heap.alloc(mz);
  const sxy = heap.alloc(mz);
  const sxx = heap.alloc(mz);
  const se = heap.alloc(mz);
  for (let bl = 0; bl < nBlocks; bl++) {
    const r0 = ldi(starts, bl);
    const r1 = ldi(starts, bl + 1);
    const nb = r1 - r0;
    const ob = off + <usize>bl * mz;
    const yo = ldf(yOff, bl);
    memory.fill(mean, 0, mz);
    memory.fill(sxy, 0, mz);
    memory.fill(sxx, 0, mz);
    memory.fill(se, 0, mz);
    let ym = 0.0;
    // mean_a = sum_i P[i, a] / nb;  ym = sum_i y_i / nb
    for (let i = r0; i < r1; i++) {
      const pi = P + (<usize>i * <usize>m << 3);
      for (let a = 0; a < m; a++) stf(mean, a, ldf(mean, a) + ldf(pi, a));
      ym += ldf(y, i);
    }
    const inv = nb > 0 ? 1.0 / <f64>nb : 0.0;
    for (let a = 0; a < m; a++) stf(mean, a, ldf(mean, a) * inv);
    ym *= inv;
    let syy = 0.0;
    for (let i = r0; i < r1; i++) {
      const pi = P + (<usize>i * <usize>m << 3);
      const yi = ldf(y, i);
      const dy = yi - ym;
      const yt = yi - yo;
      syy += dy * dy;
      for (let a = 0; a < m; a++) {
        const pa = ldf(pi, a);
        const dx = pa - ldf(mean, a);
        stf(sxy, a, ldf(sxy, a) + dx * dy);
        stf(sxx, a, ldf(sxx, a) + dx * dx);
        const e = yt - (pa + ldf(ob, a));
        stf(se, a, ldf(se, a) + e * e);
      }
    }
    const pb = pearson + <usize>bl * mz;
    const sb = sse + <usize>bl * mz;
    for (let a = 0; a < m; a++) {
      const xx = ldf(sxx, a);
      stf(pb, a, xx > 0.0 && syy > 0.0 ? ldf(sxy, a) / Math.sqrt(xx * syy) : 0.0);
      stf(sb, a, ldf(se, a));
    }
  }
  heap.free(mean);
  heap.free(sxy);
  heap.free(sxx);
  heap.free(se);
}
