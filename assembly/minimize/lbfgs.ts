// L-BFGS energy minimisation, periodic, 2D/3D, in one kernel call (the pair forces and the
// Verlet list of forces.ts; FIRE is fire.ts).
//
// Objective: min_x U(x), U = sum_{i<j} V(r_ij), gradient g = -F. Iteration k:
//   d_k = -H_k g_k by the two-loop recursion over the last m pairs (s_i, y_i), s_i = x_{i+1} - x_i
//   (the step taken, so whole-box wraps of x do not enter), y_i = g_{i+1} - g_i, H_0 = gamma I,
//   gamma = s.y / y.y of the newest pair (Nocedal & Wright, Numerical Optimization, 2nd ed.,
//   Algorithms 7.4 and 7.5; Liu & Nocedal, Math. Program. 45, 503 (1989)).
//   If g.d >= 0 (not a descent direction) the memory is dropped and d = -g.
//   Step a: first a = 1, capped so that no coordinate moves more than maxStep; backtracking
//   (Armijo, c1 = 1e-4; a <- max(0.1 a, min(0.5 a, quadratic-interpolation minimum))).
//   Near the minimum the energy decrease of a step, ~|F|^2/curvature, falls below the rounding
//   of U (~1e-16 |U|): a step whose energy change is within 1e-12 |U| is accepted when the slope
//   along d has shrunk, |g_new.d| <= |g.d| (the gradient, not the rounded energy, decides there).
//   The pair is kept when s.y > 1e-12 |s| |y| (curvature condition), otherwise skipped.
//   Stop as FIRE does: max_ic |F_ic| < ftol (if ftol > 0) and |F|_2 < fnormTol (if fnormTol > 0),
//   or after maxIter iterations (not converged), or when 40 halvings find no acceptable step
//   (reported as not converged, "stalled").
// Parameters (f64): 0 m (pairs kept), 1 ftol, 2 fnormTol, 3 maxIter, 4 maxStep, 5 skin.
// Results (f64, fire.ts's layout, MIN_R_SIZE): 0 U | 1 max |F_ic| | 2 |F|_2 | 3 iterations |
// 4 converged | 5 force evaluations | 6 list builds | 7 memory resets | 8 last step a | 9 non-finite.

import { minVerletCreate, minVerletFree, minVerletForces, minVerletRebuilds, minVerletUnwrap } from "./forces";
import { minStoreResults } from "./results";

// ---- parameter block (f64) ----
export const MIN_LBFGS_P_M: i32 = 0;         // correction pairs kept
export const MIN_LBFGS_P_FTOL: i32 = 1;
export const MIN_LBFGS_P_FNORMTOL: i32 = 2;
export const MIN_LBFGS_P_MAXITER: i32 = 3;
export const MIN_LBFGS_P_MAXSTEP: i32 = 4;
export const MIN_LBFGS_P_SKIN: i32 = 5;
export const MIN_LBFGS_P_SIZE: i32 = 6;

function dot(a: usize, b: usize, m: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < m; i++) s += load<f64>(a + (<usize>i << 3)) * load<f64>(b + (<usize>i << 3));
  return s;
}
/** y <- y + c x */
function axpyL(y: usize, x: usize, m: i32, c: f64): void {
  for (let i = 0; i < m; i++) {
    const p = y + (<usize>i << 3);
    store<f64>(p, load<f64>(p) + c * load<f64>(x + (<usize>i << 3)));
  }
}
function maxAbs(a: usize, m: i32): f64 {
  let s = 0.0;
  for (let i = 0; i < m; i++) s = Math.max(s, Math.abs(load<f64>(a + (<usize>i << 3))));
  return s;
}
/** out <- c (a - b) */
function diffScaled(out: usize, a: usize, b: usize, m: i32, c: f64): void {
  for (let i = 0; i < m; i++) {
    const q = <usize>i << 3;
    store<f64>(out + q, c * (load<f64>(a + q) - load<f64>(b + q)));
  }
}

/**
 * Minimise the energy of n particles with L-BFGS (parameters and results above). Positions
 * posPtr (f64 x n*dim, may be unwrapped), species i32 x n, pair table S x S; writes the minimised
 * positions (start + accumulated displacement, not wrapped) to outPosPtr. Returns the iterations.
 */
export function minLbfgs(posPtr: usize, n: i32, dim: i32, lx: f64, ly: f64, lz: f64, speciesPtr: usize, S: i32, tablePtr: usize,
  params: usize, outPosPtr: usize, resultsPtr: usize): i32 {
  const mMem = <i32>load<f64>(params, MIN_LBFGS_P_M << 3), ftol = load<f64>(params, MIN_LBFGS_P_FTOL << 3), fnormTol = load<f64>(params, MIN_LBFGS_P_FNORMTOL << 3);
  const maxIter = <i32>load<f64>(params, MIN_LBFGS_P_MAXITER << 3), maxStep = load<f64>(params, MIN_LBFGS_P_MAXSTEP << 3), skin = load<f64>(params, MIN_LBFGS_P_SKIN << 3);
  assert(mMem >= 1 && mMem <= 64, "minLbfgs: memory m must be 1..64");
  assert(ftol > 0 || fnormTol > 0, "minLbfgs: no stopping tolerance");
  assert(maxStep > 0, "minLbfgs: maxStep must be > 0");
  const h = minVerletCreate(n, dim, lx, ly, lz, speciesPtr, S, tablePtr, skin);
  const M = n * 3;
  const bytes = <usize>M << 3;
  const y = heap.alloc(bytes), f = heap.alloc(bytes), fOld = heap.alloc(bytes), d = heap.alloc(bytes);
  const sBuf = heap.alloc(bytes * <usize>mMem), yBuf = heap.alloc(bytes * <usize>mMem);
  const rho = heap.alloc(<usize>mMem << 3), alf = heap.alloc(<usize>mMem << 3);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      store<f64>(y + <usize>(i * 3 + a) * 8, a < dim ? load<f64>(posPtr + (<usize>(i * dim + a) << 3)) : 0.0);
    }
  }
  let U = minVerletForces(h, y, f, 0);
  let evals = 1, iter = 0, resets = 0, stored = 0, newest = -1;
  let ff = dot(f, f, M), fmax = maxAbs(f, M);
  let bad = !isFinite(U) || !isFinite(ff);
  let stalled = false;
  let aLast = 0.0;
  while (!bad && !stalled && iter < maxIter && !((ftol <= 0 || fmax < ftol) && (fnormTol <= 0 || ff < fnormTol * fnormTol))) {
    iter++;
    // d = -H g = H f (two-loop recursion on q = f)
    memory.copy(d, f, bytes);
    for (let k = 0; k < stored; k++) {
      let i = newest - k; if (i < 0) i += mMem;
      const si = sBuf + bytes * <usize>i, yi = yBuf + bytes * <usize>i;
      const a = load<f64>(rho + (<usize>i << 3)) * dot(si, d, M);
      store<f64>(alf + (<usize>i << 3), a);
      axpyL(d, yi, M, -a);
    }
    if (stored > 0) {
      const sn = sBuf + bytes * <usize>newest, yn = yBuf + bytes * <usize>newest;
      const gamma = dot(sn, yn, M) / dot(yn, yn, M);
      for (let q = 0; q < M; q++) { const p = d + (<usize>q << 3); store<f64>(p, gamma * load<f64>(p)); }
    }
    for (let k = stored - 1; k >= 0; k--) {
      let i = newest - k; if (i < 0) i += mMem;
      const si = sBuf + bytes * <usize>i, yi = yBuf + bytes * <usize>i;
      const b = load<f64>(rho + (<usize>i << 3)) * dot(yi, d, M);
      axpyL(d, si, M, load<f64>(alf + (<usize>i << 3)) - b);
    }
    // y-pairs use g = -F: the recursion above ran on q = f = -g with y_i = g_{i+1} - g_i, which
    // gives H f = -H g = the descent direction directly
    let gd = -dot(f, d, M); // g.d
    if (!(gd < 0.0)) {
      memory.copy(d, f, bytes);
      gd = -ff;
      stored = 0; newest = -1; resets++;
    }
    let a = 1.0;
    const dmax = maxAbs(d, M);
    if (a * dmax > maxStep) a = maxStep / dmax;
    if (stored == 0 && a * dmax > 0.1 * maxStep) a = 0.1 * maxStep / dmax; // first/steepest step: small
    memory.copy(fOld, f, bytes);
    const U0 = U;
    let moved = 0.0; // y = x_k + moved d
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      axpyL(y, d, M, a - moved);
      moved = a;
      U = minVerletForces(h, y, f, 0);
      evals++;
      if (!isFinite(U)) { bad = true; break; }
      const dU = U - U0;
      if (dU <= 1e-4 * a * gd) { accepted = true; break; }
      if (Math.abs(dU) <= 1e-12 * Math.abs(U0) && Math.abs(dot(f, d, M)) <= Math.abs(gd)) { accepted = true; break; }
      // quadratic interpolation of U along d, safeguarded to [0.1 a, 0.5 a]
      const den = 2.0 * (dU - gd * a);
      let an = den > 0.0 ? -gd * a * a / den : 0.5 * a;
      an = Math.max(0.1 * a, Math.min(0.5 * a, an));
      a = an;
    }
    if (bad) break;
    if (!accepted) {
      // back to x_k; drop the memory and try steepest descent once more, else give up
      axpyL(y, d, M, -moved);
      U = minVerletForces(h, y, f, 0);
      evals++;
      if (stored == 0) { stalled = true; break; }
      stored = 0; newest = -1; resets++;
      ff = dot(f, f, M); fmax = maxAbs(f, M);
      continue;
    }
    aLast = a;
    // new pair: s = a d, y = g_new - g_old = fOld - f
    const slot = (newest + 1) % mMem;
    const sp = sBuf + bytes * <usize>slot, yp = yBuf + bytes * <usize>slot;
    for (let q = 0; q < M; q++) { const o = <usize>q << 3; store<f64>(sp + o, a * load<f64>(d + o)); }
    diffScaled(yp, fOld, f, M, 1.0);
    const sy = dot(sp, yp, M);
    if (sy > 1e-12 * Math.sqrt(dot(sp, sp, M) * dot(yp, yp, M))) {
      store<f64>(rho + (<usize>slot << 3), 1.0 / sy);
      newest = slot;
      if (stored < mMem) stored++;
    }
    ff = dot(f, f, M); fmax = maxAbs(f, M);
    bad = !isFinite(ff);
  }
  const converged = !bad && (ftol <= 0 || fmax < ftol) && (fnormTol <= 0 || ff < fnormTol * fnormTol);
  minVerletUnwrap(h, y, outPosPtr, n, dim);
  minStoreResults(resultsPtr, U, fmax, Math.sqrt(ff), iter, converged, evals, minVerletRebuilds(h), resets, aLast, bad);
  heap.free(alf); heap.free(rho); heap.free(yBuf); heap.free(sBuf);
  heap.free(d); heap.free(fOld); heap.free(f); heap.free(y);
  minVerletFree(h);
  return iter;
}
