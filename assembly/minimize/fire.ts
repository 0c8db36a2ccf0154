// FIRE energy minimisation, periodic, 2D/3D, entirely in one kernel call.
//
// FIRE: Bitzek, Koskinen, Gaehler, Moseler, Gumbsch, PRL 97, 170201 (2006), with the FIRE 2.0
// refinements of Guenole et al., Comput. Mater. Sci. 175, 109584 (2020), with the update order
// of LAMMPS's `min_style fire` (version 29 Sep 2021, checked step by step against it: semi-implicit
// Euler, unit masses), so that the same start reaches the same minimum as LAMMPS with its
// defaults. Iteration k (k = 1, 2, ...):
//   P = v.F
//   if P > 0:  mixing  v <- (1 - a) v + a |v| F/|F|   (applied after the velocity update below);
//              if k - k_last_restart > N_delay: dt <- min(dt f_inc, dt_max), a <- a f_alpha
//   else (restart): k_last_restart = k; unless k < N_delay (initial delay): a <- a0,
//              dt <- dt f_dec if dt f_dec >= dt_min;  half step back x <- x - (dt/2) v (new dt);
//              v <- 0; F, U re-evaluated at x
//   dt_v = min(dt, d_max / max_i |v_i,c|)   (v before the update; v = dt F right after a restart)
//   so no coordinate moves more than d_max in one step
//   v <- v + dt_v F;  (mixing if P > 0);  x <- x + dt_v v;  F, U at the new x
//   stop when max_i,c |F_i,c| < ftol (if ftol > 0) and |F|_2 < fnormTol (if fnormTol > 0),
//   or after maxIter iterations (reported as not converged).
// abc-FIRE (optional; Echeverri Restrepo & Andric, Comput. Mater. Sci. 218, 111978 (2023)): the
// mixed velocity is divided by the bias correction 1 - (1 - a)^m, m = steps since the last restart,
// and each velocity component is clipped to d_max / dt_v.
//
// Energy monotonicity (what the restart rule allows): U never rises over a step (beyond roundoff,
// 1e-12 relative) unless the next iteration restarts: an uphill step makes P = v.F <= 0 there, and
// the restart zeroes v and steps half back (checked in test/minimize.test.ts on every run; e.g. 55
// such steps in the 5430 iterations of KA3D configuration 1). The trace records, per iteration, U after the step, P, the restart flag, dt_v,
// the kinetic energy K = |v|^2 / 2 after the step, the largest force component, and U at the
// step's starting point (after the half step back on a restart).

import { minVerletCreate, minVerletFree, minVerletForces, minVerletForcesOnly, minVerletRebuilds, minVerletUnwrap } from "./forces";
import { minStoreResults } from "./results";

// ---- parameter block (f64) ----
export const MIN_P_DT: i32 = 0;
export const MIN_P_DTMAX: i32 = 1;
export const MIN_P_DTMIN: i32 = 2;
export const MIN_P_DMAX: i32 = 3;
export const MIN_P_FTOL: i32 = 4;
export const MIN_P_FNORMTOL: i32 = 5;
export const MIN_P_MAXITER: i32 = 6;
export const MIN_P_NDELAY: i32 = 7;
export const MIN_P_DTGROW: i32 = 8;
export const MIN_P_DTSHRINK: i32 = 9;
export const MIN_P_ALPHA0: i32 = 10;
export const MIN_P_ALPHASHRINK: i32 = 11;
export const MIN_P_HALFSTEP: i32 = 12;
export const MIN_P_ABC: i32 = 13;
export const MIN_P_SKIN: i32 = 14;
export const MIN_P_INITIALDELAY: i32 = 15;
export const MIN_P_SIZE: i32 = 16;

// ---- result block (f64; also minLbfgs's) ----
export { MIN_R_U, MIN_R_FMAX, MIN_R_FNORM, MIN_R_ITER, MIN_R_CONVERGED, MIN_R_EVALS, MIN_R_BUILDS, MIN_R_RESTARTS, MIN_R_LASTSTEP, MIN_R_NONFINITE, MIN_R_SIZE } from "./results";
// ---- trace row (f64) ----
export const MIN_T_U: i32 = 0;          // U after the step
export const MIN_T_POWER: i32 = 1;      // P = v.F
export const MIN_T_RESTART: i32 = 2;    // restart flag
export const MIN_T_DT: i32 = 3;         // dt_v
export const MIN_T_K: i32 = 4;          // K = |v|^2 / 2
export const MIN_T_FMAX: i32 = 5;       // max |F_ic|
export const MIN_T_USTART: i32 = 6;     // U at the step's starting point
export const MIN_TRACE_STRIDE: i32 = 7;

@inline function P(params: usize, k: i32): f64 { return load<f64>(params + (<usize>k << 3)); }

// statistics over v and F after a force evaluation
let sVF: f64 = 0, sVV: f64 = 0, sFF: f64 = 0, sFmax: f64 = 0, sVmax: f64 = 0;

function stats(v: usize, f: usize, n: i32): void {
  let vf = 0.0, vv = 0.0, ff = 0.0, fm = 0.0, vm = 0.0;
  for (let i = 0; i < n; i++) {
    const pv = v + <usize>i * 24, pf = f + <usize>i * 24;
    const v0 = load<f64>(pv), v1 = load<f64>(pv, 8), v2 = load<f64>(pv, 16);
    const f0 = load<f64>(pf), f1 = load<f64>(pf, 8), f2 = load<f64>(pf, 16);
    vf += v0 * f0 + v1 * f1 + v2 * f2;
    vv += v0 * v0 + v1 * v1 + v2 * v2;
    ff += f0 * f0 + f1 * f1 + f2 * f2;
    fm = Math.max(fm, Math.max(Math.abs(f0), Math.max(Math.abs(f1), Math.abs(f2))));
    vm = Math.max(vm, Math.max(Math.abs(v0), Math.max(Math.abs(v1), Math.abs(v2))));
  }
  sVF = vf; sVV = vv; sFF = ff; sFmax = fm; sVmax = vm;
}

// The O(N) updates live in their own functions (not inlined: they hold loops), so the engine can
// optimise them while minFire itself keeps running.

/** y <- y + c v (m doubles). */
function axpy(y: usize, v: usize, m: i32, c: f64): void {
  for (let i = 0; i < m; i++) {
    const py = y + (<usize>i << 3);
    store<f64>(py, load<f64>(py) + c * load<f64>(v + (<usize>i << 3)));
  }
}

/** v <- v + dt F;  x <- x + dt v. */
function eulerStep(v: usize, y: usize, f: usize, m: i32, dtv: f64): void {
  for (let i = 0; i < m; i++) {
    const pv = v + (<usize>i << 3);
    const vi = load<f64>(pv) + dtv * load<f64>(f + (<usize>i << 3));
    store<f64>(pv, vi);
    const py = y + (<usize>i << 3);
    store<f64>(py, load<f64>(py) + dtv * vi);
  }
}

/** v <- s1 (v + dt F) + s2 F;  x <- x + dt v. */
function eulerStepMix(v: usize, y: usize, f: usize, m: i32, dtv: f64, s1: f64, s2: f64): void {
  for (let i = 0; i < m; i++) {
    const pv = v + (<usize>i << 3), fi = load<f64>(f + (<usize>i << 3));
    const vi = s1 * (load<f64>(pv) + dtv * fi) + s2 * fi;
    store<f64>(pv, vi);
    const py = y + (<usize>i << 3);
    store<f64>(py, load<f64>(py) + dtv * vi);
  }
}

/** As eulerStepMix, each velocity component then clipped to [-vcap, vcap] (abc-FIRE). */
function eulerStepAbc(v: usize, y: usize, f: usize, m: i32, dtv: f64, s1: f64, s2: f64, vcap: f64): void {
  for (let i = 0; i < m; i++) {
    const pv = v + (<usize>i << 3), fi = load<f64>(f + (<usize>i << 3));
    let vi = s1 * (load<f64>(pv) + dtv * fi) + s2 * fi;
    if (vi > vcap) vi = vcap; else if (vi < -vcap) vi = -vcap;
    store<f64>(pv, vi);
    const py = y + (<usize>i << 3);
    store<f64>(py, load<f64>(py) + dtv * vi);
  }
}

/** Forces at y into f; the energy too when tracing (returned), else u (unchanged: see minFire). */
// @ts-ignore: decorator
@inline function stepForces(h: usize, y: usize, f: usize, tracing: bool, u: f64): f64 {
  if (tracing) return minVerletForces(h, y, f, 0);
  minVerletForcesOnly(h, y, f);
  return u;
}

@inline function isConverged(ftol: f64, fnormTol: f64): bool {
  return (ftol <= 0 || sFmax < ftol) && (fnormTol <= 0 || sFF < fnormTol * fnormTol);
}

/**
 * Minimise the energy of n particles (positions posPtr, f64 x n*dim, may be unwrapped; species
 * i32 x n; pair table S x S) with FIRE. Parameters: `params` (MIN_P_SIZE f64, layout above).
 * Writes the minimised positions to outPosPtr (f64 x n*dim, unwrapped relative to the start:
 * start + accumulated displacement) and the results block to resultsPtr (MIN_R_SIZE f64).
 * When tracePtr != 0, row k (k = 0..min(iterations, traceCap - 1)) of MIN_TRACE_STRIDE f64 gets
 * [U after step k, P_k, restart_k, dt_v, K after the step, max |F_ic| after the step, U at the step's
 * start] (row 0: the start).
 * Returns the number of iterations.
 */
export function minFire(posPtr: usize, n: i32, dim: i32, lx: f64, ly: f64, lz: f64, speciesPtr: usize, S: i32, tablePtr: usize,
  params: usize, outPosPtr: usize, resultsPtr: usize, tracePtr: usize, traceCap: i32): i32 {
  const dt0 = P(params, MIN_P_DT), dtMax = P(params, MIN_P_DTMAX), dtMin = P(params, MIN_P_DTMIN);
  const dmax = P(params, MIN_P_DMAX), ftol = P(params, MIN_P_FTOL), fnormTol = P(params, MIN_P_FNORMTOL);
  const maxIter = <i32>P(params, MIN_P_MAXITER), nDelay = <i32>P(params, MIN_P_NDELAY);
  const fInc = P(params, MIN_P_DTGROW), fDec = P(params, MIN_P_DTSHRINK);
  const alpha0 = P(params, MIN_P_ALPHA0), fAlpha = P(params, MIN_P_ALPHASHRINK);
  const halfStep = P(params, MIN_P_HALFSTEP) != 0, abc = P(params, MIN_P_ABC) != 0;
  const skin = P(params, MIN_P_SKIN), initialDelay = P(params, MIN_P_INITIALDELAY) != 0;
  assert(dt0 > 0 && dtMax >= dt0 && dtMin <= dt0 && dmax > 0, "minFire: invalid time steps");
  assert(ftol > 0 || fnormTol > 0, "minFire: no stopping tolerance");

  const h = minVerletCreate(n, dim, lx, ly, lz, speciesPtr, S, tablePtr, skin);
  const bytes = <usize>n * 24;
  const y = heap.alloc(bytes), v = heap.alloc(bytes), f = heap.alloc(bytes);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      store<f64>(y + <usize>(i * 3 + a) * 8, a < dim ? load<f64>(posPtr + (<usize>(i * dim + a) << 3)) : 0.0);
    }
  }
  memory.fill(v, 0, bytes);

  let U = minVerletForces(h, y, f, 0);
  let evals = 1;
  stats(v, f, n);
  let converged = isConverged(ftol, fnormTol);
  let bad = !isFinite(U) || !isFinite(sFF);
  const tracing = tracePtr != 0 && traceCap > 0;
  if (tracing) {
    const row = tracePtr;
    store<f64>(row, U, MIN_T_U << 3); store<f64>(row, 0.0, MIN_T_POWER << 3); store<f64>(row, 0.0, MIN_T_RESTART << 3);
    store<f64>(row, 0.0, MIN_T_DT << 3); store<f64>(row, 0.0, MIN_T_K << 3); store<f64>(row, sFmax, MIN_T_FMAX << 3); store<f64>(row, U, MIN_T_USTART << 3);
  }

  // The steps use F alone: without a trace they evaluate forces only (minVerletForcesOnly, the
  // same F bit for bit), U stays that of the start until the end, where it is evaluated once at
  // the final positions (not counted as a force evaluation); non-finite forces stop the run.
  let dt = dt0, alpha = alpha0, dtv = dt0;
  let lastNeg = 0, iter = 0, restarts = 0;
  while (!converged && !bad && iter < maxIter) {
    iter++;
    const pvf = sVF;
    let mix = false;
    let scale1 = 1.0, scale2 = 0.0;
    let vmax = sVmax;
    if (pvf > 0.0) {
      mix = true;
      scale1 = 1.0 - alpha;
      scale2 = sFF <= 1e-20 ? 0.0 : alpha * Math.sqrt(sVV / sFF);
      if (abc) {
        alpha = Math.max(alpha, 1e-10);
        const corr = 1.0 - Math.pow(1.0 - alpha, <f64>(iter - lastNeg));
        scale1 = (1.0 - alpha) / corr;
        scale2 = sFF <= 1e-20 ? 0.0 : alpha * Math.sqrt(sVV / sFF) / corr;
      }
      if (iter - lastNeg > nDelay) {
        dt = Math.min(dt * fInc, dtMax);
        alpha *= fAlpha;
      }
    } else {
      lastNeg = iter;
      restarts++;
      if (!(initialDelay && iter < nDelay)) {
        alpha = alpha0;
        if (dt * fDec >= dtMin) dt *= fDec;
      }
      // FIRE 2.0 inertia correction: half step back x <- x - (dt/2) v with the (shrunk) dt, v <- 0,
      // forces re-evaluated there; the step limit then sees v = dt F (as LAMMPS 29Sep2021)
      const moved = halfStep && sVV > 0.0;
      if (moved) axpy(y, v, n * 3, -0.5 * dt);
      memory.fill(v, 0, bytes);
      if (moved) {
        U = stepForces(h, y, f, tracing, U);
        evals++;
      }
      stats(v, f, n);
      vmax = dt * sFmax;
    }
    const uStart = U;
    dtv = dt;
    if (dtv * vmax > dmax) dtv = dmax / vmax;
    // semi-implicit Euler with mixing
    if (mix) {
      if (abc) eulerStepAbc(v, y, f, n * 3, dtv, scale1, scale2, dmax / dtv);
      else eulerStepMix(v, y, f, n * 3, dtv, scale1, scale2);
    } else {
      eulerStep(v, y, f, n * 3, dtv);
    }
    U = stepForces(h, y, f, tracing, U);
    evals++;
    stats(v, f, n);
    converged = isConverged(ftol, fnormTol);
    bad = !isFinite(U) || !isFinite(sFF);
    if (tracing && iter < traceCap) {
      const row = tracePtr + (<usize>(iter * MIN_TRACE_STRIDE) << 3);
      store<f64>(row, U, MIN_T_U << 3);
      store<f64>(row, pvf, MIN_T_POWER << 3);
      store<f64>(row, mix ? 0.0 : 1.0, MIN_T_RESTART << 3);
      store<f64>(row, dtv, MIN_T_DT << 3);
      store<f64>(row, 0.5 * sVV, MIN_T_K << 3);
      store<f64>(row, sFmax, MIN_T_FMAX << 3);
      store<f64>(row, uStart, MIN_T_USTART << 3);
    }
  }

  if (!tracing && iter > 0) U = minVerletForces(h, y, f, 0);
  // unwrapped output: y (build frame) + accumulated whole-box shifts
  minVerletUnwrap(h, y, outPosPtr, n, dim);
  minStoreResults(resultsPtr, U, sFmax, Math.sqrt(sFF), iter, converged, evals, minVerletRebuilds(h), restarts, dt, bad);
  heap.free(y);
  heap.free(v);
  heap.free(f);
  minVerletFree(h);
  return iter;
}
