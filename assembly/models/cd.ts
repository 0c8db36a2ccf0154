// Elastic net by cyclic coordinate descent on the Gram matrix, with covariance updates,
// warm-started paths, sequential strong rules + KKT check, and scikit-learn's duality-gap
// stopping rule. (The matrix product the cross-validation and prediction need is
// linalg/gemm.ts laGemmNT.)
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
// Determinism: every reduction uses a fixed order; the vector kernels are those of
// assembly/linalg (vec.axpy for the covariance updates; the Newton step's Cholesky and
// triangular solves are linalg/cholesky.ts, sums in the vec.dotPairs order), identical in the
// scalar and the SIMD build.

import { axpy, copyF64 } from "../linalg/vec";
import { choleskyPivotFloor, laSolveLower, laSolveLowerT } from "../linalg/cholesky";
import { geti, seti, getf, setf, getp, setp, ldf, stf, ldi, sti, rowPtr } from "../mem";

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

/** S(t, a) = sign(t) max(|t| - a, 0) */
@inline function softThreshold(t: f64, a: f64): f64 {
  if (t > a) return t - a;
  if (t < -a) return t + a;
  return 0.0;
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
      axpy(-(wn - wk), rowk, gs, s);
      stf(ws, k, wn);
    }
  }
}

/**
 * Newton-type step on the current support (acceleration; never increases the objective).
 * A = {k : w_k != 0}, sigma = sign(w_A). Target: the minimiser of the objective restricted to
 * that orthant face plus a proximal term mu/2 |x - w|^2,
 *   x_A = (C_AA + (b + mu) I)^{-1} (c_A - a sigma + mu w_A),  x = 0 off A
 * (linalg Cholesky, then two triangular solves); coordinates whose x_k has the other sign than sigma_k
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
    if (choleskyPivotFloor(M, m, 1e-13) >= 0) return 0;
    // x = (L L^T)^{-1} r: L z = r, then L^T x = z
    copyF64(x, r, m);
    laSolveLower(M, m, x);
    laSolveLowerT(M, m, x);
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
    axpy(ldf(r, ku), rowPtr(Cs, ku, ld), cd, s);
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
      axpy(-(wn - wo), rowPtr(Cs, ku, ld), gs, s);
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
  seti(h, H_P, p);
  setp(h, H_C, C);
  setp(h, H_CV, c);
  setf(h, H_YY, yy);
  setf(h, H_APREV, -1.0);
  setf(h, H_MU, 0.0);
  seti(h, H_FLAGS, ((useStrong != 0 ? 1 : 0) | (newton != 0 ? 2 : 0)));
  setp(h, H_IDX, heap.alloc(pz << 2));
  const inW = heap.alloc(pz << 2);
  memory.fill(inW, 0, pz << 2);
  setp(h, H_INW, inW);
  setp(h, H_CS, heap.alloc(pz * pz << 3));
  setp(h, H_CSV, heap.alloc(pz << 3));
  setp(h, H_WS, heap.alloc(pz << 3));
  setp(h, H_GS, heap.alloc(pz << 3));
  setp(h, H_G, heap.alloc(pz << 3));
  setp(h, H_M, newton != 0 ? heap.alloc(pz * pz << 3) : 0);
  setp(h, H_R, heap.alloc(pz << 3));
  setp(h, H_X, heap.alloc(pz << 3));
  setp(h, H_SUP, heap.alloc(pz << 2));
  setp(h, H_CD, heap.alloc(pz << 3));
  let s = 0;
  // the working set starts with the nonzero coefficients of the warm start
  if (w0 != 0) {
    for (let j = 0; j < p; j++) {
      const v = ldf(w0, j);
      if (v != 0.0) s = addToWorkingSet(h, j, s, v);
    }
  }
  seti(h, H_S, s);
  refreshGradient(h);
  return h;
}

export function cdEnetFree(h: usize): void {
  heap.free(getp(h, H_IDX));
  heap.free(getp(h, H_INW));
  heap.free(getp(h, H_CS));
  heap.free(getp(h, H_CSV));
  heap.free(getp(h, H_WS));
  heap.free(getp(h, H_GS));
  heap.free(getp(h, H_G));
  if (getp(h, H_M) != 0) heap.free(getp(h, H_M));
  heap.free(getp(h, H_R));
  heap.free(getp(h, H_X));
  heap.free(getp(h, H_SUP));
  heap.free(getp(h, H_CD));
  heap.free(h);
}

/** Current coefficients (p f64, column order) into out. */
export function cdEnetCoef(h: usize, out: usize): void {
  const p = geti(h, H_P);
  const s = geti(h, H_S);
  const idx = getp(h, H_IDX);
  const ws = getp(h, H_WS);
  memory.fill(out, 0, <usize>p << 3);
  for (let t = 0; t < s; t++) stf(out, ldi(idx, t), ldf(ws, t));
}

/**
 * Append column j to the working set at position s with coefficient v:
 * Cs[t, s] = Cs[s, t] = C[j, idx_t], cs_s = c_j, ws_s = v, gs_s = g_j. Returns s + 1.
 */
function addToWorkingSet(h: usize, j: i32, s: i32, v: f64): i32 {
  const p = geti(h, H_P);
  const Cs = getp(h, H_CS);
  const idx = getp(h, H_IDX);
  const rowj = rowPtr(getp(h, H_C), j, p);
  const rows = rowPtr(Cs, s, p);
  for (let t = 0; t < s; t++) {
    const cv = ldf(rowj, ldi(idx, t));
    stf(rowPtr(Cs, t, p), s, cv);
    stf(rows, t, cv);
  }
  stf(rows, s, ldf(rowj, j));
  stf(getp(h, H_CSV), s, ldf(getp(h, H_CV), j));
  stf(getp(h, H_WS), s, v);
  stf(getp(h, H_GS), s, ldf(getp(h, H_G), j));
  sti(idx, s, j);
  sti(getp(h, H_INW), j, 1);
  return s + 1;
}

/** g = c - C w from scratch (rows of C of the working set, fixed order); gs = g[W]. */
function refreshGradient(h: usize): void {
  const p = geti(h, H_P);
  const s = geti(h, H_S);
  const C = getp(h, H_C);
  const idx = getp(h, H_IDX);
  const ws = getp(h, H_WS);
  const g = getp(h, H_G);
  const gs = getp(h, H_GS);
  memory.copy(g, getp(h, H_CV), <usize>p << 3);
  for (let t = 0; t < s; t++) {
    const wt = ldf(ws, t);
    // g -= w_t * C[idx_t, :]
    if (wt != 0.0) axpy(-wt, rowPtr(C, ldi(idx, t), p), g, p);
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
  const p = geti(h, H_P);
  const yy = getf(h, H_YY);
  const flags = geti(h, H_FLAGS);
  const inW = getp(h, H_INW);
  const Cs = getp(h, H_CS);
  const cs = getp(h, H_CSV);
  const ws = getp(h, H_WS);
  const gs = getp(h, H_GS);
  const g = getp(h, H_G);
  let s = geti(h, H_S);
  const a = alpha * l1Ratio;
  const b = alpha - a;
  const tolG = tol * yy;
  let aPrev = getf(h, H_APREV);
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
  seti(h, H_S, s);
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
        let mu = getf(h, H_MU);
        let ok = supportNewton(s, p, Cs, cs, ws, gs, a, b, mu, 0, getp(h, H_M), getp(h, H_R), getp(h, H_X), getp(h, H_SUP), getp(h, H_CD));
        // w optimal on its own face: the support must change. Solve again with the coordinates
        // that want to enter, with a stronger proximal term each time (a large mu turns the
        // step into a scaled gradient step, which moves entering coordinates the way g says)
        for (let tries = 0; ok < 0 && tries < 4; tries++) {
          mu = Math.max(100.0 * mu, 1e-6);
          ok = supportNewton(s, p, Cs, cs, ws, gs, a, b, mu, 1, getp(h, H_M), getp(h, H_R), getp(h, H_X), getp(h, H_SUP), getp(h, H_CD));
        }
        setf(h, H_MU, nextMu);
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
    seti(h, H_S, s);
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
  setf(h, H_APREV, a);
  return converged ? 1 : 0;
}
