// Molecular dynamics on the minimiser's pair forces (assembly/minimize/forces.ts: the same pair
// table, the same Verlet list with a skin, rebuilt when a particle has moved more than skin/2),
// periodic, 2D/3D, unit masses (the KA models' convention), LJ units (k_B = 1).
//
// Integrator: velocity Verlet split as B A O A B (Leimkuhler & Matthews, Appl. Math. Res. Express
// 2013, 34; J. Chem. Phys. 138, 174102 (2013)):
//   B: v <- v + (dt/2) F(x)
//   A: x <- x + (dt/2) v
//   O: v <- c1 v + sqrt((1 - c1^2) T) R,   c1 = exp(-gamma dt),  R ~ N(0, 1) per component
//   A: x <- x + (dt/2) v
//   B: v <- v + (dt/2) F(x)      (F at the new positions)
// gamma = 0 removes O: exactly velocity Verlet (NVE). gamma > 0: Langevin NVT at temperature T
// (BAOAB: configurational averages exact to O(dt^2) with a small constant, which is what the
// cage-state averages below need).
// Kinetic temperature T_k = 2 K / (dim (N - 1)), K = sum_i |v_i|^2 / 2 (LAMMPS's `compute temp`
// convention: dim degrees of freedom removed for the total momentum).
// Maxwell-Boltzmann start (initVel = 1): v_ic = sqrt(T) R_ic, then the mean velocity is removed
// and v is scaled so that T_k = T exactly (as LAMMPS's `velocity create T seed dist gaussian`).
// Random numbers: splitmix64 (Steele, Lea & Flood, OOPSLA 2014) seeded with `seed`, 53-bit
// uniforms, normal deviates by Marsaglia's polar method; the stream is the same in every engine.
//
// Cage constraint (cage = 1; docs/spec/cage-and-displacement.md): every particle i is confined to
// its Voronoi cell of the initial positions X (the sites), i.e. it must stay closer to its own
// site than to any other particle's site:  |x_i - X_i| < |x_i - X_j| for all j != i, which with
// u_i = x_i - X_i and h_ij = minimum image of X_j - X_i reads  (u_i - h_ij/2) . h_ij < 0.
// After each A half-drift, a particle that crossed a face is reflected specularly on it (a hard
// wall: u_i <- u_i - 2 s n, v_i <- v_i - 2 (v_i.n) n, n = h_ij/|h_ij|, s = (u_i - h_ij/2).n):
// energy is conserved by the walls, no particle can leave its cage, so no rearrangement happens.
// Faces are taken from the sites within cageR of X_i (a fixed list); this is exact while
// |u_i| < cageR / 2 (a face of a site at distance d lies at d/2), reported as maxDisp.
// Averaging (sampleEvery > 0): the unwrapped positions are summed every sampleEvery steps from
// step sampleFrom on (step 0 = the start) into avgPtr (their mean is written there).

import { minVerletCreate, minVerletFree, minVerletForces, minVerletRebuilds, minVerletShiftPtr } from "../minimize/forces";
import { cellListCreate, cellListFree, neighborListCreate, neighborListFree, neighborListBuild, neighborListOffsets, neighborListD } from "../neighbors/celllist";

// ---- parameter block (f64) ----
export const MD_P_DT: i32 = 0;
export const MD_P_STEPS: i32 = 1;
export const MD_P_GAMMA: i32 = 2;
export const MD_P_TEMP: i32 = 3;
export const MD_P_SEED: i32 = 4;
export const MD_P_SKIN: i32 = 5;
export const MD_P_INITVEL: i32 = 6;
export const MD_P_CAGE: i32 = 7;
export const MD_P_CAGER: i32 = 8;
export const MD_P_SAMPLEEVERY: i32 = 9;
export const MD_P_SAMPLEFROM: i32 = 10;
export const MD_P_TRACEEVERY: i32 = 11;
export const MD_P_SIZE: i32 = 12;

// ---- result block (f64) ----
export const MD_R_U: i32 = 0;           // U
export const MD_R_K: i32 = 1;           // K
export const MD_R_BUILDS: i32 = 2;      // list builds
export const MD_R_REFLECTIONS: i32 = 3; // wall reflections
export const MD_R_MAXDISP: i32 = 4;     // max |u_i| over the run (from the start)
export const MD_R_NONFINITE: i32 = 5;   // non-finite (1/0)
export const MD_R_SAMPLES: i32 = 6;     // samples averaged
export const MD_R_FACES: i32 = 7;       // wall faces per particle (mean)
export const MD_R_STEPS: i32 = 8;       // steps done
export const MD_R_SIZE: i32 = 9;
// ---- trace row (f64) ----
export const MD_T_STEP: i32 = 0;
export const MD_T_U: i32 = 1;
export const MD_T_K: i32 = 2;
export const MD_T_TEMP: i32 = 3;        // T_k = 2 K / dof
export const MD_TRACE_STRIDE: i32 = 4;

@inline function P(params: usize, k: i32): f64 { return load<f64>(params + (<usize>k << 3)); }

// ---- random numbers: splitmix64 + Marsaglia polar ----
let rngState: u64 = 0;
let gaussSpare: f64 = 0;
let gaussHave: bool = false;

export function mdSeed(seed: f64): void {
  rngState = <u64>seed;
  gaussHave = false;
}

@inline function next64(): u64 {
  rngState += 0x9E3779B97F4A7C15;
  let z = rngState;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}

/** Uniform in [0, 1) with 53 random bits. */
export function mdUniform(): f64 {
  return <f64>(next64() >> 11) * 1.1102230246251565e-16;
}

/** Standard normal deviate (Marsaglia polar method; pairs, the second kept for the next call). */
export function mdGauss(): f64 {
  if (gaussHave) { gaussHave = false; return gaussSpare; }
  let a = 0.0, b = 0.0, s = 0.0;
  do {
    a = 2.0 * mdUniform() - 1.0;
    b = 2.0 * mdUniform() - 1.0;
    s = a * a + b * b;
  } while (s >= 1.0 || s == 0.0);
  const m = Math.sqrt(-2.0 * Math.log(s) / s);
  gaussSpare = b * m;
  gaussHave = true;
  return a * m;
}

function kinetic(v: usize, n: i32): f64 {
  let k = 0.0;
  for (let i = 0; i < n * 3; i++) { const x = load<f64>(v + (<usize>i << 3)); k += x * x; }
  return 0.5 * k;
}

/** Maxwell-Boltzmann velocities at T (stride 3), zero total momentum, T_k = T exactly. */
function maxwellBoltzmann(v: usize, n: i32, dim: i32, T: f64): void {
  const s = Math.sqrt(T);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) store<f64>(v + <usize>(i * 3 + a) * 8, a < dim ? s * mdGauss() : 0.0);
  }
  for (let a = 0; a < dim; a++) {
    let m = 0.0;
    for (let i = 0; i < n; i++) m += load<f64>(v + <usize>(i * 3 + a) * 8);
    m /= <f64>n;
    for (let i = 0; i < n; i++) { const p = v + <usize>(i * 3 + a) * 8; store<f64>(p, load<f64>(p) - m); }
  }
  const dof = <f64>(dim * (n - 1));
  const k = kinetic(v, n);
  if (k > 0 && dof > 0) {
    const f = Math.sqrt(T * dof / (2.0 * k));
    for (let i = 0; i < n * 3; i++) { const p = v + (<usize>i << 3); store<f64>(p, load<f64>(p) * f); }
  }
}

/** v <- v + c F (3n doubles). */
function kick(v: usize, f: usize, m: i32, c: f64): void {
  for (let i = 0; i < m; i++) {
    const p = v + (<usize>i << 3);
    store<f64>(p, load<f64>(p) + c * load<f64>(f + (<usize>i << 3)));
  }
}

/** x <- x + c v (3n doubles). */
function drift(y: usize, v: usize, m: i32, c: f64): void {
  for (let i = 0; i < m; i++) {
    const p = y + (<usize>i << 3);
    store<f64>(p, load<f64>(p) + c * load<f64>(v + (<usize>i << 3)));
  }
}

/** O step: v <- c1 v + c2 R (components < dim only). */
function ornstein(v: usize, n: i32, dim: i32, c1: f64, c2: f64): void {
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      const p = v + <usize>(i * 3 + a) * 8;
      store<f64>(p, c1 * load<f64>(p) + c2 * mdGauss());
    }
  }
}

let wallReflections: i32 = 0;
let maxDisp2: f64 = 0;

/**
 * Enforce the Voronoi walls after a drift: for each particle, u = (y + shift) - x0; every face
 * (u - h/2).h >= 0 that is crossed reflects u and v on it (repeated until inside, at most 8 passes).
 */
function cageWalls(y: usize, shift: usize, x0: usize, v: usize, n: i32, woff: usize, wh: usize): void {
  for (let i = 0; i < n; i++) {
    const py = y + <usize>i * 24, ps = shift + <usize>i * 24, p0 = x0 + <usize>i * 24, pv = v + <usize>i * 24;
    let ux = load<f64>(py) + load<f64>(ps) - load<f64>(p0);
    let uy = load<f64>(py, 8) + load<f64>(ps, 8) - load<f64>(p0, 8);
    let uz = load<f64>(py, 16) + load<f64>(ps, 16) - load<f64>(p0, 16);
    const k0 = load<i32>(woff + (<usize>i << 2)), k1 = load<i32>(woff + (<usize>(i + 1) << 2));
    let moved = false;
    for (let pass = 0; pass < 8; pass++) {
      let hit = false;
      for (let k = k0; k < k1; k++) {
        const q = wh + <usize>k * 32;
        const hx = load<f64>(q), hy = load<f64>(q, 8), hz = load<f64>(q, 16), ih2 = load<f64>(q, 24);
        // s |h| = (u - h/2).h ; crossed when > 0
        const sh = (ux - 0.5 * hx) * hx + (uy - 0.5 * hy) * hy + (uz - 0.5 * hz) * hz;
        if (sh > 0) {
          const c = 2.0 * sh * ih2; // 2 s / |h|  (u -= 2 s n = c h)
          ux -= c * hx; uy -= c * hy; uz -= c * hz;
          let vx = load<f64>(pv), vy = load<f64>(pv, 8), vz = load<f64>(pv, 16);
          const vh = vx * hx + vy * hy + vz * hz;
          if (vh > 0) {
            const cv = 2.0 * vh * ih2;
            vx -= cv * hx; vy -= cv * hy; vz -= cv * hz;
            store<f64>(pv, vx); store<f64>(pv, vy, 8); store<f64>(pv, vz, 16);
          }
          wallReflections++;
          hit = true;
          moved = true;
        }
      }
      if (!hit) break;
    }
    if (moved) {
      store<f64>(py, ux + load<f64>(p0) - load<f64>(ps));
      store<f64>(py, uy + load<f64>(p0, 8) - load<f64>(ps, 8), 8);
      store<f64>(py, uz + load<f64>(p0, 16) - load<f64>(ps, 16), 16);
    }
    const d2 = ux * ux + uy * uy + uz * uz;
    if (d2 > maxDisp2) maxDisp2 = d2;
  }
}

function maxDispUpdate(y: usize, shift: usize, x0: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const py = y + <usize>i * 24, ps = shift + <usize>i * 24, p0 = x0 + <usize>i * 24;
    const ux = load<f64>(py) + load<f64>(ps) - load<f64>(p0);
    const uy = load<f64>(py, 8) + load<f64>(ps, 8) - load<f64>(p0, 8);
    const uz = load<f64>(py, 16) + load<f64>(ps, 16) - load<f64>(p0, 16);
    const d2 = ux * ux + uy * uy + uz * uz;
    if (d2 > maxDisp2) maxDisp2 = d2;
  }
}

function accumulate(acc: usize, y: usize, shift: usize, m: i32): void {
  for (let i = 0; i < m; i++) {
    const q = <usize>i << 3;
    store<f64>(acc + q, load<f64>(acc + q) + load<f64>(y + q) + load<f64>(shift + q));
  }
}

/**
 * Run `steps` MD steps from positions posPtr (f64 x n*dim, may be unwrapped) and, when
 * params[INITVEL] = 0, velocities velPtr (f64 x n*dim); else Maxwell-Boltzmann velocities at
 * params[TEMP] drawn from params[SEED]. Writes the final positions (unwrapped: start +
 * displacement) to outPosPtr, the final velocities to outVelPtr, the mean sampled positions to
 * avgPtr (when params[SAMPLEEVERY] > 0 and avgPtr != 0; f64 x n*dim), the result block to
 * resultsPtr (MD_R_SIZE f64) and, every params[TRACEEVERY] steps (and at step 0), a trace row
 * [step, U, K, T_k] to tracePtr (up to traceCap rows). Returns the number of trace rows.
 */
export function mdRun(posPtr: usize, velPtr: usize, n: i32, dim: i32, lx: f64, ly: f64, lz: f64, speciesPtr: usize, S: i32, tablePtr: usize,
  params: usize, outPosPtr: usize, outVelPtr: usize, avgPtr: usize, resultsPtr: usize, tracePtr: usize, traceCap: i32): i32 {
  const dt = P(params, MD_P_DT), steps = <i32>P(params, MD_P_STEPS), gamma = P(params, MD_P_GAMMA), T = P(params, MD_P_TEMP);
  const skin = P(params, MD_P_SKIN), initVel = P(params, MD_P_INITVEL) != 0, cage = P(params, MD_P_CAGE) != 0;
  const cageR = P(params, MD_P_CAGER), sampleEvery = <i32>P(params, MD_P_SAMPLEEVERY), sampleFrom = <i32>P(params, MD_P_SAMPLEFROM);
  const traceEvery = <i32>P(params, MD_P_TRACEEVERY);
  assert(dt > 0 && steps >= 0 && gamma >= 0, "mdRun: invalid dt, steps or gamma");
  assert(!(gamma > 0 || initVel) || T > 0, "mdRun: the thermostat / initial velocities need T > 0");
  mdSeed(P(params, MD_P_SEED));
  wallReflections = 0;
  maxDisp2 = 0;

  const h = minVerletCreate(n, dim, lx, ly, lz, speciesPtr, S, tablePtr, skin);
  const bytes = <usize>n * 24;
  const y = heap.alloc(bytes), v = heap.alloc(bytes), f = heap.alloc(bytes), x0 = heap.alloc(bytes);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      const q = <usize>(i * 3 + a) * 8;
      const x = a < dim ? load<f64>(posPtr + (<usize>(i * dim + a) << 3)) : 0.0;
      store<f64>(y + q, x);
      store<f64>(x0 + q, x);
      store<f64>(v + q, a < dim && !initVel ? load<f64>(velPtr + (<usize>(i * dim + a) << 3)) : 0.0);
    }
  }
  if (initVel) maxwellBoltzmann(v, n, dim, T);

  // Voronoi faces of the sites (cage): h_ij for the sites j within cageR of X_i, with 1/|h|^2
  let woff: usize = 0, wh: usize = 0, faces = 0;
  if (cage) {
    assert(cageR > 0, "mdRun: cage radius must be positive");
    const scr = heap.alloc(<usize>(n * dim) << 3);
    for (let i = 0; i < n * dim; i++) store<f64>(scr + (<usize>i << 3), load<f64>(posPtr + (<usize>i << 3)));
    const cl = cellListCreate(scr, n, dim, lx, ly, lz, cageR);
    const nl = neighborListCreate();
    faces = neighborListBuild(nl, cl, cageR, 0, n, 0);
    woff = heap.alloc(<usize>(n + 1) << 2);
    wh = heap.alloc(<usize>max<i32>(faces, 1) * 32);
    const off = neighborListOffsets(nl), d = neighborListD(nl);
    for (let i = 0; i <= n; i++) store<i32>(woff + (<usize>i << 2), load<i32>(off + (<usize>i << 2)));
    for (let k = 0; k < faces; k++) {
      const hx = load<f64>(d + <usize>k * 24), hy = load<f64>(d + <usize>k * 24, 8), hz = load<f64>(d + <usize>k * 24, 16);
      const q = wh + <usize>k * 32;
      store<f64>(q, hx); store<f64>(q, hy, 8); store<f64>(q, hz, 16);
      store<f64>(q, 1.0 / (hx * hx + hy * hy + hz * hz), 24);
    }
    neighborListFree(nl);
    cellListFree(cl);
    heap.free(scr);
  }

  const m = n * 3;
  const half = 0.5 * dt;
  const c1 = Math.exp(-gamma * dt);
  const c2 = Math.sqrt((1.0 - c1 * c1) * T);
  const shift = minVerletShiftPtr(h);
  let U = minVerletForces(h, y, f, 0);
  let bad = !isFinite(U);
  const dof = <f64>(dim * (n - 1));
  let rows = 0;
  let K = kinetic(v, n);
  if (tracePtr != 0 && traceCap > 0 && traceEvery > 0) {
    store<f64>(tracePtr, 0.0, MD_T_STEP << 3); store<f64>(tracePtr, U, MD_T_U << 3); store<f64>(tracePtr, K, MD_T_K << 3); store<f64>(tracePtr, dof > 0 ? 2.0 * K / dof : 0.0, MD_T_TEMP << 3);
    rows = 1;
  }
  const sampling = sampleEvery > 0 && avgPtr != 0;
  let samples = 0;
  if (sampling) {
    memory.fill(avgPtr, 0, <usize>(n * dim) << 3);
  }
  const acc = sampling ? heap.alloc(bytes) : 0;
  if (sampling) {
    memory.fill(acc, 0, bytes);
    if (sampleFrom <= 0) { accumulate(acc, y, shift, m); samples++; }
  }
  let step = 0;
  while (step < steps && !bad) {
    step++;
    kick(v, f, m, half);
    drift(y, v, m, half);
    if (cage) cageWalls(y, shift, x0, v, n, woff, wh);
    if (gamma > 0) ornstein(v, n, dim, c1, c2);
    drift(y, v, m, half);
    if (cage) cageWalls(y, shift, x0, v, n, woff, wh);
    U = minVerletForces(h, y, f, 0);
    kick(v, f, m, half);
    if (!isFinite(U)) bad = true;
    if (sampling && step >= sampleFrom && (step - sampleFrom) % sampleEvery == 0) { accumulate(acc, y, shift, m); samples++; }
    if (rows > 0 && step % traceEvery == 0 && rows < traceCap) {
      K = kinetic(v, n);
      const row = tracePtr + (<usize>(rows * MD_TRACE_STRIDE) << 3);
      store<f64>(row, <f64>step, MD_T_STEP << 3); store<f64>(row, U, MD_T_U << 3); store<f64>(row, K, MD_T_K << 3); store<f64>(row, dof > 0 ? 2.0 * K / dof : 0.0, MD_T_TEMP << 3);
      rows++;
    }
  }
  if (!cage) maxDispUpdate(y, shift, x0, n);
  K = kinetic(v, n);

  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      const q = <usize>(i * 3 + a) * 8, o = <usize>(i * dim + a) << 3;
      store<f64>(outPosPtr + o, load<f64>(y + q) + load<f64>(shift + q));
      store<f64>(outVelPtr + o, load<f64>(v + q));
      if (sampling && samples > 0) store<f64>(avgPtr + o, load<f64>(acc + q) / <f64>samples);
    }
  }
  store<f64>(resultsPtr, U, MD_R_U << 3);
  store<f64>(resultsPtr, K, MD_R_K << 3);
  store<f64>(resultsPtr, <f64>minVerletRebuilds(h), MD_R_BUILDS << 3);
  store<f64>(resultsPtr, <f64>wallReflections, MD_R_REFLECTIONS << 3);
  store<f64>(resultsPtr, Math.sqrt(maxDisp2), MD_R_MAXDISP << 3);
  store<f64>(resultsPtr, bad ? 1.0 : 0.0, MD_R_NONFINITE << 3);
  store<f64>(resultsPtr, <f64>samples, MD_R_SAMPLES << 3);
  store<f64>(resultsPtr, n > 0 ? <f64>faces / <f64>n : 0.0, MD_R_FACES << 3);
  store<f64>(resultsPtr, <f64>step, MD_R_STEPS << 3);
  if (acc) heap.free(acc);
  if (cage) { heap.free(woff); heap.free(wh); }
  heap.free(y); heap.free(v); heap.free(f); heap.free(x0);
  minVerletFree(h);
  return rows;
}
