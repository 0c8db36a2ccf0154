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
// Acceleration (optional, on by default in the TS API): plain cyclic CD needs hundreds to
// thousands of sweeps per alpha when the columns are strongly collinear (descriptors are). The
// kernel interleaves Newton-type steps on the current support A = {w != 0}: the minimiser of
// the objective on the orthant face of w, (C_AA + b I) x_A = c_A - a sign(w_A), with
// sign-inconsistent coordinates dropped and re-solved, taken as a direction with an exact line
// search of the true objective (supportNewton); a proximal damping mu/2 |x - w|^2 is switched on
// when C_AA is nearly singular, and when w is already optimal on its own face the step is
// retried with the KKT violators entering and a growing mu. Starting from the warm start of the
// previous alpha the support is usually right or nearly so, and one or two such steps (with a few
// CD sweeps between them to let coordinates enter or leave) bring the duality gap to rounding
// level. Every step is a descent step and the stopping rule is the same duality gap either way.
//
// Parallel-safe layout: all state of a solve lives in a handle (raw memory); JS calls one
// kernel per alpha (cdEnetSolve), so the hot code is entered many times (and engines that
// compile wasm in tiers run the optimised tier for all but the first few alphas).
//
// Determinism: every reduction uses a fixed order; dot products use two interleaved partial
// sums (even / odd index) in both the scalar and the SIMD build, so the two builds return
// bit-identical numbers.

// ---- per-alpha info record written by cdEnetSolve (f64 each) ----
export const CD_INFO_SWEEPS: i32 = 0;     // coordinate sweeps
export const CD_INFO_GAP: i32 = 1;        // duality gap (divided by n)
export const CD_INFO_TOLGAP: i32 = 2;     // tol * yy
export const CD_INFO_CONVERGED: i32 = 3;  // 1/0
export const CD_INFO_KKT: i32 = 4;        // KKT re-solves
export const CD_INFO_WORKSET: i32 = 5;    // working-set size
export const CD_INFO_NNZ: i32 = 6;        // nonzeros
export const CD_INFO_PRIMAL: i32 = 7;     // primal objective P(w)
export const CD_INFO_NEWTON: i32 = 8;     // Newton steps
export const CD_INFO_STRIDE: i32 = 9;

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
@inline function rowPtr(base: usize, i: i32, ld: i32): usize {
  return base + (<usize>i * <usize>ld << 3);
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

// results of dots4 (module globals: no allocation)
let d00: f64 = 0.0;
let d01: f64 = 0.0;
let d10: f64 = 0.0;
let d11: f64 = 0.0;

/**
 * The four dot products x0.v0, x0.v1, x1.v0, x1.v1 over j < k (into d00, d01, d10, d11), each
 * in the dot2 order, sharing the loads (2 x 2 register block).
 */
function dots4(x0: usize, x1: usize, v0: usize, v1: usize, k: i32): void {
  const k2 = k & ~1;
  let a00 = 0.0, b00 = 0.0, a01 = 0.0, b01 = 0.0, a10 = 0.0, b10 = 0.0, a11 = 0.0, b11 = 0.0;
  if (ASC_FEATURE_SIMD) {
    let c00 = f64x2.splat(0.0), c01 = f64x2.splat(0.0), c10 = f64x2.splat(0.0), c11 = f64x2.splat(0.0);
    // c_rs += x_r[j:j+2] * v_s[j:j+2]
    for (let j = 0; j < k2; j += 2) {
      const off = <usize>j << 3;
      const p0 = v128.load(x0 + off);
      const p1 = v128.load(x1 + off);
      const q0 = v128.load(v0 + off);
      const q1 = v128.load(v1 + off);
      c00 = f64x2.add(c00, f64x2.mul(p0, q0));
      c01 = f64x2.add(c01, f64x2.mul(p0, q1));
      c10 = f64x2.add(c10, f64x2.mul(p1, q0));
      c11 = f64x2.add(c11, f64x2.mul(p1, q1));
    }
    a00 = f64x2.extract_lane(c00, 0); b00 = f64x2.extract_lane(c00, 1);
    a01 = f64x2.extract_lane(c01, 0); b01 = f64x2.extract_lane(c01, 1);
    a10 = f64x2.extract_lane(c10, 0); b10 = f64x2.extract_lane(c10, 1);
    a11 = f64x2.extract_lane(c11, 0); b11 = f64x2.extract_lane(c11, 1);
  } else {
    for (let j = 0; j < k2; j += 2) {
      const off = <usize>j << 3;
      const p0 = load<f64>(x0 + off), p0b = load<f64>(x0 + off, 8);
      const p1 = load<f64>(x1 + off), p1b = load<f64>(x1 + off, 8);
      const q0 = load<f64>(v0 + off), q0b = load<f64>(v0 + off, 8);
      const q1 = load<f64>(v1 + off), q1b = load<f64>(v1 + off, 8);
      a00 += p0 * q0; b00 += p0b * q0b;
      a01 += p0 * q1; b01 += p0b * q1b;
      a10 += p1 * q0; b10 += p1b * q0b;
      a11 += p1 * q1; b11 += p1b * q1b;
    }
  }
  if (k2 < k) {
    const p0 = ldf(x0, k2), p1 = ldf(x1, k2), q0 = ldf(v0, k2), q1 = ldf(v1, k2);
    a00 += p0 * q0; a01 += p0 * q1; a10 += p1 * q0; a11 += p1 * q1;
  }
  d00 = a00 + b00;
  d01 = a01 + b01;
  d10 = a10 + b10;
  d11 = a11 + b11;
}

/**
 * In-place Cholesky M = L L^T of the m x m row-major matrix M (lower triangle read and
 * overwritten; the strict upper triangle is not touched):
 *   L_ij = (M_ij - sum_{k<j} L_ik L_jk) / L_jj,   L_ii = sqrt(M_ii - sum_{k<i} L_ik^2),
 * rows taken two at a time against pairs of earlier rows (dots4). Returns 0 when a pivot
 * M_ii - sum L_ik^2 is not above 1e-13 M_ii (numerically singular), else 1.
 */
function cholesky(M: usize, m: i32): i32 {
  for (let i = 0; i < m; i += 2) {
    const two = i + 1 < m;
    const rI = rowPtr(M, i, m);
    const rI1 = two ? rowPtr(M, i + 1, m) : rI;
    for (let j = 0; j < i; j += 2) {
      // off-diagonal 2 x 2 block (rows i, i+1; columns j, j+1 with j + 1 < i)
      const rJ = rowPtr(M, j, m);
      const rJ1 = rowPtr(M, j + 1, m);
      dots4(rI, rI1, rJ, rJ1, j);
      const ljj = ldf(rJ, j);
      const lj1j = ldf(rJ1, j);
      const lj1j1 = ldf(rJ1, j + 1);
      const lij = (ldf(rI, j) - d00) / ljj;
      stf(rI, j, lij);
      stf(rI, j + 1, (ldf(rI, j + 1) - d01 - lij * lj1j) / lj1j1);
      if (two) {
        const li1j = (ldf(rI1, j) - d10) / ljj;
        stf(rI1, j, li1j);
        stf(rI1, j + 1, (ldf(rI1, j + 1) - d11 - li1j * lj1j) / lj1j1);
      }
    }
    // diagonal block
    const mii = ldf(rI, i);
    const v = mii - dot2(rI, rI, i);
    if (!(v > 1e-13 * mii)) return 0;
    const lii = Math.sqrt(v);
    stf(rI, i, lii);
    if (two) {
      const li1i = (ldf(rI1, i) - dot2(rI1, rI, i)) / lii;
      stf(rI1, i, li1i);
      const mi1 = ldf(rI1, i + 1);
      const v1 = mi1 - dot2(rI1, rI1, i) - li1i * li1i;
      if (!(v1 > 1e-13 * mi1)) return 0;
      stf(rI1, i + 1, Math.sqrt(v1));
    }
  }
  return 1;
}

/** Proximal weight proposed by the last supportNewton call. */
let nextMu: f64 = 0.0;

/** Solves per Newton step (sign-consistency rounds). */
const NEWTON_ROUNDS: i32 = 8;

// Result of the last gap evaluation (module global: no allocation).
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

/** One cyclic sweep over the s working-set coordinates (Cs row-major, leading dimension ld). */
function sweep(s: i32, ld: i32, Cs: usize, gs: usize, ws: usize, a: f64, b: f64): void {
  for (let k = 0; k < s; k++) {
    const rowk = rowPtr(Cs, k, ld);
    const ckk = ldf(rowk, k);
    if (ckk <= 0.0) continue; // constant column: its coefficient stays 0
    const wk = ldf(ws, k);
    // t = X_k . (y - X w + X_k w_k) / n
    const t = ldf(gs, k) + wk * ckk;
    const wn = softThreshold(t, a) / (ckk + b);
    if (wn != wk) {
      // g -= (w_k' - w_k) * C[k, :]   (covariance update)
      axpyNeg(s, wn - wk, rowk, gs);
      stf(ws, k, wn);
    }
  }
}

/**
 * Newton-type step on the current support (acceleration; never increases the objective).
 * A = {k : w_k != 0}, sigma = sign(w_A). Target: the minimiser of the objective restricted to
 * that orthant face plus a proximal term mu/2 |x - w|^2,
 *   x_A = (C_AA + (b + mu) I)^{-1} (c_A - a sigma + mu w_A),  x = 0 off A
 * (cholesky, then two triangular solves); coordinates whose x_k has the other sign than sigma_k
 * leave A and the system is solved again, up to NEWTON_ROUNDS times (as in feature-sign search,
 * Lee, Battle, Raina & Ng, NIPS 2006). mu is 0 (a pure Newton step) until steps come out short
 * (nearly singular C_AA, e.g. the lasso on collinear columns); it then grows tenfold per short
 * step and shrinks back after full ones (Levenberg-Marquardt style; proposed in nextMu).
 * Direction d = x - w, then an exact line search of the true objective
 * on t in [0, 1]:
 *   phi(t) = P(w + t d) = P(w) + t D0 + t^2 Q / 2 + a (|w + t d|_1 - |w|_1),
 *   D0 = -g.d + b w.d,  Q = d.C d + b d.d,
 * convex and piecewise quadratic; phi' is nondecreasing, so its zero is found by bisection
 * (coordinates landing within rounding of 0 are set to 0). g is updated with the covariance
 * rule. With `entering`, A also holds the zero coordinates violating |g_k| <= a, with
 * sigma_k = sign(g_k) (used when w is already optimal on its own face, so the support has to
 * change). Returns 1 after a step, 0 when C_AA + b I is numerically singular, -1 when d is not
 * a descent direction. Scratch: M (p*p), r, x, cd (p f64 each), sup (p i32).
 */
function supportNewton(
  s: i32, ld: i32, Cs: usize, cs: usize, ws: usize, gs: usize, a: f64, b: f64, mu: f64, entering: i32,
  M: usize, r: usize, x: usize, sup: usize, cd: usize,
): i32 {
  nextMu = mu;
  let m = 0;
  let inconsistent = false;
  // A: the nonzero coordinates, and with `entering` also the zero ones violating |g_k| <= a
  // (they enter with sign(g_k): the direction in which a CD update would move them)
  for (let k = 0; k < s; k++) {
    const wk = ldf(ws, k);
    if (wk != 0.0) {
      sti(sup, m++, k);
      stf(x, k, wk);
    } else {
      stf(x, k, 0.0);
      if (entering != 0 && Math.abs(ldf(gs, k)) > a && ldf(rowPtr(Cs, k, ld), k) > 0.0) {
        sti(sup, m++, k);
        stf(x, k, ldf(gs, k));
      }
    }
  }
  if (m == 0) return 0;
  // sigma_k (as a signed number) is kept in cd[k] (cd is not in use until the line search)
  memory.copy(cd, x, <usize>s << 3);
  // solve on A; coordinates whose solution has the other sign leave A (their target is 0)
  // and the system is solved again (at most NEWTON_ROUNDS times)
  for (let round = 0; ; round++) {
    // M = C[A, A] + (b + mu) I (lower triangle), r = c_A - a sigma + mu w_A
    for (let u = 0; u < m; u++) {
      const ku = ldi(sup, u);
      const rowC = rowPtr(Cs, ku, ld);
      const rowM = rowPtr(M, u, m);
      for (let v = 0; v <= u; v++) stf(rowM, v, ldf(rowC, ldi(sup, v)));
      stf(rowM, u, ldf(rowM, u) + b + mu);
      stf(r, u, ldf(cs, ku) - (ldf(cd, ku) > 0.0 ? a : -a) + mu * ldf(ws, ku));
    }
    if (!cholesky(M, m)) return 0;
    // L z = r (z in x): z_i = (r_i - L_i,<i . z_<i) / L_ii
    for (let i = 0; i < m; i++) {
      const rowI = rowPtr(M, i, m);
      stf(x, i, (ldf(r, i) - dot2(rowI, x, i)) / ldf(rowI, i));
    }
    // L^T x = z: x_i = z_i / L_ii, then z_<i -= L_i,<i x_i
    for (let i = m - 1; i >= 0; i--) {
      const rowI = rowPtr(M, i, m);
      const xi = ldf(x, i) / ldf(rowI, i);
      stf(x, i, xi);
      axpyNeg(i, xi, rowI, x);
    }
    // keep the sign-consistent coordinates (compacting sup and x together)
    let m2 = 0;
    for (let u = 0; u < m; u++) {
      const ku = ldi(sup, u);
      const xu = ldf(x, u);
      if (ldf(cd, ku) > 0.0 ? xu > 0.0 : xu < 0.0) {
        sti(sup, m2, ku);
        stf(x, m2, xu);
        m2++;
      }
    }
    if (m2 == m || round + 1 >= NEWTON_ROUNDS || m2 == 0) {
      inconsistent = m2 != m;
      m = m2;
      break;
    }
    m = m2;
  }
  // the coordinates of w that left A (or never were in it) go to 0: rebuild the list of all
  // nonzero coordinates of w or x in sup (A first, in x's order), with target x or 0
  // (cd, not yet in use, marks the members of A)
  memory.fill(cd, 0, <usize>s << 3);
  for (let u = 0; u < m; u++) stf(cd, ldi(sup, u), 1.0);
  let mAll = m;
  for (let k = 0; k < s; k++) {
    if (ldf(ws, k) != 0.0 && ldf(cd, k) == 0.0) {
      sti(sup, mAll, k);
      stf(x, mAll, 0.0);
      mAll++;
    }
  }
  m = mAll;
  // d = x - w on A (0 off A), into r indexed by working-set position
  memory.fill(r, 0, <usize>s << 3);
  for (let u = 0; u < m; u++) {
    const ku = ldi(sup, u);
    stf(r, ku, ldf(x, u) - ldf(ws, ku));
  }
  // cd = C d (from the rows of A), D0 = -g.d + b w.d, Q = d.C d + b d.d
  memory.fill(cd, 0, <usize>s << 3);
  for (let u = 0; u < m; u++) {
    const ku = ldi(sup, u);
    // cd += d_k C[k, :]
    axpyNeg(s, -ldf(r, ku), rowPtr(Cs, ku, ld), cd);
  }
  let D0 = 0.0;
  let Q = 0.0;
  for (let u = 0; u < m; u++) {
    const ku = ldi(sup, u);
    const dk = ldf(r, ku);
    D0 += (b * ldf(ws, ku) - ldf(gs, ku)) * dk;
    Q += dk * ldf(cd, ku) + b * dk * dk;
  }
  // exact line search on [0, 1]: zero of phi'(t+) = D0 + t Q + a sum_k d_k sign+(w_k + t d_k)
  if (lineSlope(m, sup, ws, r, a, D0, Q, 0.0) >= 0.0) return -1;
  let t = 1.0;
  if (lineSlope(m, sup, ws, r, a, D0, Q, 1.0) > 0.0) {
    let lo = 0.0;
    let hi = 1.0;
    for (let it = 0; it < 60; it++) {
      const mid = 0.5 * (lo + hi);
      if (lineSlope(m, sup, ws, r, a, D0, Q, mid) > 0.0) hi = mid;
      else lo = mid;
    }
    t = 0.5 * (lo + hi);
  }
  // proximal weight for the next step: up tenfold after a short or sign-inconsistent step,
  // down tenfold (to 0 below 1e-9) after a full one
  if (t < 0.5 || inconsistent) nextMu = Math.max(10.0 * mu, 1e-8);
  else if (t == 1.0) nextMu = mu < 1e-9 ? 0.0 : 0.1 * mu;
  else nextMu = mu;
  // w += t d (within rounding of 0 -> 0); g -= (w' - w) C[k, :]
  for (let u = 0; u < m; u++) {
    const ku = ldi(sup, u);
    const dk = ldf(r, ku);
    const wo = ldf(ws, ku);
    let wn = wo + t * dk;
    if (Math.abs(wn) <= 1e-13 * (Math.abs(wo) + Math.abs(dk))) wn = 0.0;
    if (wn != wo) {
      axpyNeg(s, wn - wo, rowPtr(Cs, ku, ld), gs);
      stf(ws, ku, wn);
    }
  }
  return 1;
}

/** Right derivative of the line-search objective phi at t (see supportNewton). */
function lineSlope(m: i32, sup: usize, ws: usize, d: usize, a: f64, D0: f64, Q: f64, t: f64): f64 {
  let l1 = 0.0;
  for (let u = 0; u < m; u++) {
    const ku = ldi(sup, u);
    const dk = ldf(d, ku);
    const v = ldf(ws, ku) + t * dk;
    // d_k sign+(v): the sign of v, or of d_k when v = 0 (moving right)
    l1 += v > 0.0 ? dk : v < 0.0 ? -dk : Math.abs(dk);
  }
  return D0 + t * Q + a * l1;
}

// ---- solver handle (raw memory, 8-byte fields) ----
const H_P: usize = 0; // p
const H_C: usize = 8; // C (caller's, p*p)
const H_CV: usize = 16; // c (caller's, p)
const H_YY: usize = 24; // yy
const H_S: usize = 32; // working-set size
const H_APREV: usize = 40; // l1 penalty of the previous solve (< 0: none yet)
const H_FLAGS: usize = 48; // 1 strong rules | 2 Newton steps
const H_IDX: usize = 56; // i32 p: working-set position -> column
const H_INW: usize = 64; // i32 p: column -> 1 when in the working set
const H_CS: usize = 72; // C[W, W], leading dimension p
const H_CSV: usize = 80; // c[W]
const H_WS: usize = 88; // w[W]
const H_GS: usize = 96; // g[W]
const H_G: usize = 104; // full g = c - C w (p)
const H_M: usize = 112; // Newton scratch p*p
const H_R: usize = 120; // p
const H_X: usize = 128; // p
const H_SUP: usize = 136; // i32 p
const H_CD: usize = 144; // p
const H_MU: usize = 152; // proximal weight of the Newton steps (f64)
const H_SIZE: usize = 160;

@inline function hp(h: usize, f: usize): usize { return <usize>load<i64>(h + f); }
@inline function hsetp(h: usize, f: usize, v: usize): void { store<i64>(h + f, <i64>v); }

/**
 * Create an elastic-net solver for the Gram problem (p, C, c, yy) (C: p*p symmetric row-major,
 * row j is read for column j; C and c are referenced, not copied: keep them alive and unchanged
 * until cdEnetFree). w0: p f64 warm start or 0 (zeros). useStrong: sequential strong rules +
 * KKT check (1) or every coordinate always (0). newton: Newton-type support steps (1) or plain
 * cyclic CD (0). Returns a handle.
 */
export function cdEnetCreate(p: i32, C: usize, c: usize, yy: f64, w0: usize, useStrong: i32, newton: i32): usize {
  assert(p >= 1, "cdEnetCreate: p must be >= 1");
  const pz = <usize>p;
  const h = heap.alloc(H_SIZE);
  store<i64>(h + H_P, <i64>p);
  hsetp(h, H_C, C);
  hsetp(h, H_CV, c);
  store<f64>(h + H_YY, yy);
  store<f64>(h + H_APREV, -1.0);
  store<f64>(h + H_MU, 0.0);
  store<i64>(h + H_FLAGS, <i64>((useStrong != 0 ? 1 : 0) | (newton != 0 ? 2 : 0)));
  hsetp(h, H_IDX, heap.alloc(pz << 2));
  const inW = heap.alloc(pz << 2);
  memory.fill(inW, 0, pz << 2);
  hsetp(h, H_INW, inW);
  hsetp(h, H_CS, heap.alloc(pz * pz << 3));
  hsetp(h, H_CSV, heap.alloc(pz << 3));
  hsetp(h, H_WS, heap.alloc(pz << 3));
  hsetp(h, H_GS, heap.alloc(pz << 3));
  hsetp(h, H_G, heap.alloc(pz << 3));
  hsetp(h, H_M, newton != 0 ? heap.alloc(pz * pz << 3) : 0);
  hsetp(h, H_R, heap.alloc(pz << 3));
  hsetp(h, H_X, heap.alloc(pz << 3));
  hsetp(h, H_SUP, heap.alloc(pz << 2));
  hsetp(h, H_CD, heap.alloc(pz << 3));
  let s = 0;
  // the working set starts with the nonzero coefficients of the warm start
  if (w0 != 0) {
    for (let j = 0; j < p; j++) {
      const v = ldf(w0, j);
      if (v != 0.0) s = addToWorkingSet(h, j, s, v);
    }
  }
  store<i64>(h + H_S, <i64>s);
  refreshGradient(h);
  return h;
}

export function cdEnetFree(h: usize): void {
  heap.free(hp(h, H_IDX));
  heap.free(hp(h, H_INW));
  heap.free(hp(h, H_CS));
  heap.free(hp(h, H_CSV));
  heap.free(hp(h, H_WS));
  heap.free(hp(h, H_GS));
  heap.free(hp(h, H_G));
  if (hp(h, H_M) != 0) heap.free(hp(h, H_M));
  heap.free(hp(h, H_R));
  heap.free(hp(h, H_X));
  heap.free(hp(h, H_SUP));
  heap.free(hp(h, H_CD));
  heap.free(h);
}

/** Current coefficients (p f64, column order) into out. */
export function cdEnetCoef(h: usize, out: usize): void {
  const p = <i32>load<i64>(h + H_P);
  const s = <i32>load<i64>(h + H_S);
  const idx = hp(h, H_IDX);
  const ws = hp(h, H_WS);
  memory.fill(out, 0, <usize>p << 3);
  for (let t = 0; t < s; t++) stf(out, ldi(idx, t), ldf(ws, t));
}

/**
 * Append column j to the working set at position s with coefficient v:
 * Cs[t, s] = Cs[s, t] = C[j, idx_t], cs_s = c_j, ws_s = v, gs_s = g_j. Returns s + 1.
 */
function addToWorkingSet(h: usize, j: i32, s: i32, v: f64): i32 {
  const p = <i32>load<i64>(h + H_P);
  const Cs = hp(h, H_CS);
  const idx = hp(h, H_IDX);
  const rowj = rowPtr(hp(h, H_C), j, p);
  const rows = rowPtr(Cs, s, p);
  for (let t = 0; t < s; t++) {
    const cv = ldf(rowj, ldi(idx, t));
    stf(rowPtr(Cs, t, p), s, cv);
    stf(rows, t, cv);
  }
  stf(rows, s, ldf(rowj, j));
  stf(hp(h, H_CSV), s, ldf(hp(h, H_CV), j));
  stf(hp(h, H_WS), s, v);
  stf(hp(h, H_GS), s, ldf(hp(h, H_G), j));
  sti(idx, s, j);
  sti(hp(h, H_INW), j, 1);
  return s + 1;
}

/** g = c - C w from scratch (rows of C of the working set, fixed order); gs = g[W]. */
function refreshGradient(h: usize): void {
  const p = <i32>load<i64>(h + H_P);
  const s = <i32>load<i64>(h + H_S);
  const C = hp(h, H_C);
  const idx = hp(h, H_IDX);
  const ws = hp(h, H_WS);
  const g = hp(h, H_G);
  const gs = hp(h, H_GS);
  memory.copy(g, hp(h, H_CV), <usize>p << 3);
  for (let t = 0; t < s; t++) {
    const wt = ldf(ws, t);
    // g -= w_t * C[idx_t, :]
    if (wt != 0.0) axpyNeg(p, wt, rowPtr(C, ldi(idx, t), p), g);
  }
  for (let t = 0; t < s; t++) stf(gs, t, ldf(g, ldi(idx, t)));
}

/**
 * Solve at one alpha, warm started from the handle's current coefficients (objective and
 * rules in the file header). tol: scikit-learn's relative tolerance (stop at gap <= tol * yy);
 * maxIter: cap on sweeps (KKT re-solves included). Writes a CD_INFO_STRIDE record to info.
 * Returns 1 when the tolerance was met, 0 when maxIter was reached first.
 */
export function cdEnetSolve(h: usize, alpha: f64, l1Ratio: f64, tol: f64, maxIter: i32, info: usize): i32 {
  assert(l1Ratio >= 0.0 && l1Ratio <= 1.0, "cdEnetSolve: l1_ratio must be in [0, 1]");
  assert(alpha > 0.0, "cdEnetSolve: alpha must be > 0");
  const p = <i32>load<i64>(h + H_P);
  const yy = load<f64>(h + H_YY);
  const flags = <i32>load<i64>(h + H_FLAGS);
  const inW = hp(h, H_INW);
  const Cs = hp(h, H_CS);
  const cs = hp(h, H_CSV);
  const ws = hp(h, H_WS);
  const gs = hp(h, H_GS);
  const g = hp(h, H_G);
  let s = <i32>load<i64>(h + H_S);
  const a = alpha * l1Ratio;
  const b = alpha - a;
  const tolG = tol * yy;
  let aPrev = load<f64>(h + H_APREV);
  if (aPrev < 0.0) {
    // first solve: the previous penalty is the smallest for which the start is optimal
    aPrev = a;
    for (let j = 0; j < p; j++) {
      if (ldi(inW, j) == 0) aPrev = Math.max(aPrev, Math.abs(ldf(g, j)));
    }
    for (let t = 0; t < s; t++) if (ldf(ws, t) == 0.0) aPrev = Math.max(aPrev, Math.abs(ldf(gs, t)));
  }
  // strong set: |g_j| >= 2 a - a_prev (every column when the rule is off or a = 0)
  const thr = (flags & 1) != 0 && a > 0.0 ? 2.0 * a - aPrev : -1.0;
  for (let j = 0; j < p; j++) {
    if (ldi(inW, j) == 0 && Math.abs(ldf(g, j)) >= thr) s = addToWorkingSet(h, j, s, 0.0);
  }
  store<i64>(h + H_S, <i64>s);
  let sweeps = 0;
  let newton = 0;
  let kkt = 0;
  let gap = 0.0;
  let violators = 0;
  let nextNewton = 2;
  let sinceNewton = nextNewton; // a Newton step first
  while (true) {
    gap = workingGap(s, cs, ws, gs, yy, a, b);
    while (gap > tolG && sweeps < maxIter) {
      if ((flags & 2) != 0 && sinceNewton >= nextNewton) {
        // Newton step now, then one every nextNewton sweeps: the interval doubles (up to 32)
        // after a step that did not cut the gap tenfold, and is back to 2 after one that did
        const before = gap;
        let mu = load<f64>(h + H_MU);
        let ok = supportNewton(s, p, Cs, cs, ws, gs, a, b, mu, 0, hp(h, H_M), hp(h, H_R), hp(h, H_X), hp(h, H_SUP), hp(h, H_CD));
        // w optimal on its own face: the support must change. Solve again with the coordinates
        // that want to enter, with a stronger proximal term each time (a large mu turns the
        // step into a scaled gradient step, which moves entering coordinates the way g says)
        for (let tries = 0; ok < 0 && tries < 4; tries++) {
          mu = Math.max(100.0 * mu, 1e-6);
          ok = supportNewton(s, p, Cs, cs, ws, gs, a, b, mu, 1, hp(h, H_M), hp(h, H_R), hp(h, H_X), hp(h, H_SUP), hp(h, H_CD));
        }
        store<f64>(h + H_MU, nextMu);
        if (ok > 0) {
          newton++;
          gap = workingGap(s, cs, ws, gs, yy, a, b);
        }
        nextNewton = gap <= 0.1 * before ? 2 : min<i32>(2 * nextNewton, 32);
        sinceNewton = 0;
        if (gap <= tolG) break;
      }
      sweep(s, p, Cs, gs, ws, a, b);
      sweeps++;
      sinceNewton++;
      gap = workingGap(s, cs, ws, gs, yy, a, b);
    }
    // exact g from scratch (removes drift of the incremental updates, gives g off W)
    refreshGradient(h);
    gap = workingGap(s, cs, ws, gs, yy, a, b);
    // KKT on the coordinates set aside: |g_j| <= a (w_j = 0 there)
    violators = 0;
    for (let j = 0; j < p; j++) {
      if (ldi(inW, j) == 0 && Math.abs(ldf(g, j)) > a) {
        s = addToWorkingSet(h, j, s, 0.0);
        violators++;
      }
    }
    store<i64>(h + H_S, <i64>s);
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
  let nnz = 0;
  for (let t = 0; t < s; t++) if (ldf(ws, t) != 0.0) nnz++;
  workingGap(s, cs, ws, gs, yy, a, b);
  stf(info, CD_INFO_SWEEPS, <f64>sweeps);
  stf(info, CD_INFO_GAP, gap);
  stf(info, CD_INFO_TOLGAP, tolG);
  stf(info, CD_INFO_CONVERGED, converged ? 1.0 : 0.0);
  stf(info, CD_INFO_KKT, <f64>kkt);
  stf(info, CD_INFO_WORKSET, <f64>s);
  stf(info, CD_INFO_NNZ, <f64>nnz);
  stf(info, CD_INFO_PRIMAL, lastPrimal);
  stf(info, CD_INFO_NEWTON, <f64>newton);
  store<f64>(h + H_APREV, a);
  return converged ? 1 : 0;
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
