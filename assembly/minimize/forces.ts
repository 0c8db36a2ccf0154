// Pair forces and energy for the minimiser: a Verlet (half) neighbour list with a skin, built on
// the shared cell list, rebuilt automatically when any particle has moved more than half the skin
// since the last build (Allen & Tildesley, Computer Simulation of Liquids, 2nd ed., sec. 5.3).
//
// Potential: the shared pair form of assembly/potential/pair.ts, evaluated from its coefficient
// form (pairCoefFill, pairCoefEnergy, pairCoefForceOverR; formulas there):
//   V_ab(r) = 4 eps [ (s/r)^12 - (s/r)^6 + c0 + c2 (r/s)^2 + c4 (r/s)^4 ]   for r < rc_ab, else 0.
// Total energy U = sum_{i<j} V(r_ij); per-particle energy e_i = 1/2 sum_{j != i} V(r_ij) (family E);
// force F_i = -dU/dx_i = sum_j (-V'(r_ij)/r_ij) (x_i - x_j), accumulated once per pair (Newton's
// third law on the half list; which row holds a pair: verletBuild).
//
// Positions inside the context are stored with stride 3 (z = 0 in 2D) in the "build frame": at each
// rebuild they are wrapped into [0, L) and the whole-box shift is added to `shift`, so that
// (y + shift) is always the caller's unwrapped trajectory. Each list entry packs j with the
// minimum-image shift found at the build (code c = (s_x+1) + 3 (s_y+1) + 9 (s_z+1), s_a in
// {-1, 0, 1} boxes); between rebuilds d_ij = y_j - y_i + s L, which stays the minimum image
// because no particle moves more than skin/2 and rc + skin <= L / 2.

import {
  PAIR_COEF_STRIDE, coefCut2, pairCoefEnergy, pairCoefFill, pairCoefForceOverR, pairCoefHasPoly,
  pairCutoff, pairEntry, pairMaxCutoff,
} from "../potential/pair";
import { cellListCreate, cellListFree, wrapCoord, minImage } from "../neighbors/celllist";
import {
  CL_CELLOF, CL_NCX, CL_NCY, CL_NCZ, CL_ORDER, CL_SPOS, CL_START, CW_FULL_CENTRED, CW_HALF, cellWalkBegin, cellWalkCell, cellWalkHalfExact,
} from "../neighbors/cellwalk";
import { geti, seti, getf, setf, getp, setp } from "../mem";

/** f64 per coefficient entry (the wasm name of PAIR_COEF_STRIDE). */
export const MIN_COEF_STRIDE: i32 = PAIR_COEF_STRIDE;
/** Coefficient entries of a pair table (pairCoefFill of assembly/potential/pair.ts, under its wasm name). */
export { pairCoefFill as minCoefFill, pairMaxCutoff as minMaxPairCutoff } from "../potential/pair";

// ---- Verlet context header (8-byte fields) ----
const V_N: usize = 0;
const V_DIM: usize = 8;
const V_LX: usize = 16;
const V_LY: usize = 24;
const V_LZ: usize = 32;
const V_SKIN: usize = 40;
const V_S: usize = 48;
const V_COEF: usize = 56;     // f64 x S*S*COEF_STRIDE
const V_NCUT2: usize = 64;    // f64 x S*S: (rc_ab + skin)^2
const V_SPEC: usize = 72;     // i32 x n (copied species indices)
const V_OFF: usize = 80;      // i32 x n+1: row r holds the pairs of particle rowI[r]
const V_J: usize = 88;        // i32 x cap: (j << 5) | image code, each unordered pair once (verletBuild)
const V_CAP: usize = 96;
const V_YB: usize = 104;      // f64 x 3n: positions at the last build
const V_SHIFT: usize = 112;   // f64 x 3n: accumulated whole-box shifts
const V_SCR: usize = 120;     // f64 x n*dim: scratch for the cell list
const V_REBUILDS: usize = 128;
const V_CELL: usize = 136;    // cell side = max_ab (rc_ab + skin)
const V_BUILT: usize = 144;
const V_PAIRS: usize = 152;
const V_IMG: usize = 160;     // f64 x 27 x 3: whole-box image shifts by code
const V_POLY: usize = 168;    // 1 when some pair has c2 or c4 != 0 (else the plain LJ loop runs)
const V_ROWI: usize = 176;    // i32 x n: particle of each list row
const V_SPS: usize = 184;     // i32 x n: species in cell-slot order (scratch of verletBuild)
const V_SIZE: usize = 192;

/**
 * Create a Verlet-list context for n particles of species `speciesPtr` (i32, 0..S-1) under the
 * pair table `tablePtr` with the given skin. Requires max(rc) + skin <= min(L)/2 (aborts otherwise).
 */
export function minVerletCreate(n: i32, dim: i32, lx: f64, ly: f64, lz: f64, speciesPtr: usize, S: i32, tablePtr: usize, skin: f64): usize {
  assert(n >= 1, "minVerletCreate: empty system");
  assert(dim == 2 || dim == 3, "minVerletCreate: dim must be 2 or 3");
  assert(S >= 1, "minVerletCreate: no species");
  assert(skin >= 0, "minVerletCreate: negative skin");
  if (dim == 2) lz = 1.0;
  const h = heap.alloc(V_SIZE);
  memory.fill(h, 0, V_SIZE);
  seti(h, V_N, n);
  seti(h, V_DIM, dim);
  setf(h, V_LX, lx);
  setf(h, V_LY, ly);
  setf(h, V_LZ, lz);
  setf(h, V_SKIN, skin);
  seti(h, V_S, S);
  const coef = heap.alloc(<usize>(S * S * PAIR_COEF_STRIDE) << 3);
  pairCoefFill(tablePtr, S, coef);
  setp(h, V_COEF, coef);
  seti(h, V_POLY, pairCoefHasPoly(coef, S) ? 1 : 0);
  // list cutoffs (rc_ab + skin)^2; cell side = the largest rc_ab + skin
  const nc = heap.alloc(<usize>(S * S) << 3);
  for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) {
    const c = pairCutoff(pairEntry(tablePtr, S, a, b)) + skin;
    store<f64>(nc + (<usize>(a * S + b) << 3), c * c);
  }
  const cell = pairMaxCutoff(tablePtr, S) + skin;
  setp(h, V_NCUT2, nc);
  let half = 0.5 * Math.min(lx, ly);
  if (dim == 3) half = Math.min(half, 0.5 * lz);
  assert(cell > 0 && cell <= half, "minVerletCreate: largest pair cutoff + skin exceeds half the smallest box side");
  setf(h, V_CELL, cell);
  const sp = heap.alloc(<usize>n << 2);
  for (let i = 0; i < n; i++) {
    const s = load<i32>(speciesPtr + (<usize>i << 2));
    assert(s >= 0 && s < S, "minVerletCreate: species index out of range");
    store<i32>(sp + (<usize>i << 2), s);
  }
  setp(h, V_SPEC, sp);
  setp(h, V_OFF, heap.alloc(<usize>(n + 1) << 2));
  setp(h, V_ROWI, heap.alloc(<usize>n << 2));
  setp(h, V_SPS, heap.alloc(<usize>n << 2));
  const cap = max<i32>(1024, n * 64);
  setp(h, V_J, heap.alloc(<usize>cap << 2));
  seti(h, V_CAP, cap);
  setp(h, V_YB, heap.alloc(<usize>n * 24));
  const shift = heap.alloc(<usize>n * 24);
  memory.fill(shift, 0, <usize>n * 24);
  setp(h, V_SHIFT, shift);
  setp(h, V_SCR, heap.alloc(<usize>(n * dim) << 3));
  assert(n < (1 << 26), "minVerletCreate: too many particles for the packed list (2^26)");
  const img = heap.alloc(27 * 24);
  for (let c = 0; c < 27; c++) {
    store<f64>(img + <usize>c * 24, <f64>(c % 3 - 1) * lx);
    store<f64>(img + <usize>c * 24, <f64>((c / 3) % 3 - 1) * ly, 8);
    store<f64>(img + <usize>c * 24, <f64>(c / 9 - 1) * lz, 16);
  }
  setp(h, V_IMG, img);
  return h;
}

export function minVerletFree(h: usize): void {
  heap.free(getp(h, V_COEF));
  heap.free(getp(h, V_NCUT2));
  heap.free(getp(h, V_SPEC));
  heap.free(getp(h, V_OFF));
  heap.free(getp(h, V_ROWI));
  heap.free(getp(h, V_SPS));
  heap.free(getp(h, V_J));
  heap.free(getp(h, V_YB));
  heap.free(getp(h, V_SHIFT));
  heap.free(getp(h, V_SCR));
  heap.free(getp(h, V_IMG));
  heap.free(h);
}

/** Number of list builds so far. */
export function minVerletRebuilds(h: usize): i32 { return geti(h, V_REBUILDS); }
/** Number of pairs in the current half list. */
export function minVerletPairs(h: usize): i32 { return geti(h, V_PAIRS); }
/** Address of the accumulated whole-box shifts (f64 x 3n): unwrapped position = y + shift. */
export function minVerletShiftPtr(h: usize): usize { return getp(h, V_SHIFT); }
/**
 * Unwrapped positions into outPos (n x dim, f64): out[i][a] = y[i][a] + shift[i][a], where y is
 * the list's working copy (n x 3, build frame) and shift the accumulated whole-box shifts.
 * The output step of every minimiser (FIRE, L-BFGS).
 */
export function minVerletUnwrap(h: usize, y: usize, outPosPtr: usize, n: i32, dim: i32): void {
  const shift = minVerletShiftPtr(h);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      const q = <usize>(i * 3 + a) * 8;
      store<f64>(outPosPtr + (<usize>(i * dim + a) << 3), load<f64>(y + q) + load<f64>(shift + q));
    }
  }
}

// per cell of a half walk (at most 14): shift x, y, z (f64), image code, end slot (i32)
const walkShift = memory.data(14 * 32, 8);

function verletReserve(h: usize, need: i32): void {
  let cap = geti(h, V_CAP);
  while (cap < need) cap = cap + (cap >> 1) + 1024;
  setp(h, V_J, heap.realloc(getp(h, V_J), <usize>cap << 2));
  seti(h, V_CAP, cap);
}

/** Append j to the list when r_ij < rc_ab + skin, packed with its image code; returns the new count. */
@inline function verletTry(jl: usize, count: i32, j: i32, y: usize, sp: usize, rowC: usize, xi: f64, yi: f64, zi: f64,
  lx: f64, ly: f64, lz: f64, hx: f64, hy: f64, hz: f64): i32 {
  const pj = y + <usize>j * 24;
  const rx = load<f64>(pj) - xi, ry = load<f64>(pj, 8) - yi, rz = load<f64>(pj, 16) - zi;
  const dx = minImage(rx, lx, hx);
  const dy = minImage(ry, ly, hy);
  const dz = minImage(rz, lz, hz);
  if (dx * dx + dy * dy + dz * dz < load<f64>(rowC + (<usize>load<i32>(sp + (<usize>j << 2)) << 3))) {
    // image code: which whole-box shift the minimum image applied on each axis
    const code = (dx == rx ? 1 : dx > rx ? 2 : 0) + 3 * (dy == ry ? 1 : dy > ry ? 2 : 0) + 9 * (dz == rz ? 1 : dz > rz ? 2 : 0);
    store<i32>(jl + (<usize>count << 2), (j << 5) | code);
    return count + 1;
  }
  return count;
}

/**
 * Rebuild the half list from positions y (stride 3): wrap y into the box (adding the whole-box
 * shifts to `shift`), bin with the cell list, keep each unordered pair with r_ij < rc_ab + skin
 * once, in the row of the particle met first in the cell walk (./neighbors/cellwalk.ts):
 *   >= 3 cells per axis: cells in index order, rows in slot order; a CW_HALF walk from each cell,
 *     so row i holds the later slots of its own cell and every particle of the forward half cells;
 *   thin box (fewer than 3 cells on an axis): rows in particle order; a CW_FULL_CENTRED walk, and
 *     row i holds the neighbours j > i.
 * Within a row, pairs come in walk order (the order of the force sums).
 */
function verletBuild(h: usize, y: usize): void {
  const n = geti(h, V_N), dim = geti(h, V_DIM), S = geti(h, V_S);
  const lx = getf(h, V_LX), ly = getf(h, V_LY), lz = getf(h, V_LZ);
  const shift = getp(h, V_SHIFT), yb = getp(h, V_YB), scr = getp(h, V_SCR);
  for (let i = 0; i < n; i++) {
    const p = y + <usize>i * 24, s = shift + <usize>i * 24, b = yb + <usize>i * 24;
    const q = scr + (<usize>(i * dim) << 3);
    const x0 = load<f64>(p), x1 = load<f64>(p, 8);
    const w0 = wrapCoord(x0, lx), w1 = wrapCoord(x1, ly);
    store<f64>(s, load<f64>(s) + (x0 - w0));
    store<f64>(s, load<f64>(s, 8) + (x1 - w1), 8);
    store<f64>(p, w0); store<f64>(p, w1, 8);
    store<f64>(b, w0); store<f64>(b, w1, 8);
    store<f64>(q, w0); store<f64>(q, w1, 8);
    if (dim == 3) {
      const x2 = load<f64>(p, 16);
      const w2 = wrapCoord(x2, lz);
      store<f64>(s, load<f64>(s, 16) + (x2 - w2), 16);
      store<f64>(p, w2, 16);
      store<f64>(b, w2, 16);
      store<f64>(q, w2, 16);
    } else {
      store<f64>(p, 0.0, 16);
      store<f64>(b, 0.0, 16);
    }
  }
  const cl = cellListCreate(scr, n, dim, lx, ly, lz, getf(h, V_CELL));
  const start = getp(cl, CL_START), order = getp(cl, CL_ORDER), cellOf = getp(cl, CL_CELLOF);
  const hx = 0.5 * lx, hy = 0.5 * ly, hz = 0.5 * lz;
  const sp = getp(h, V_SPEC), nc2 = getp(h, V_NCUT2), off = getp(h, V_OFF), rowI = getp(h, V_ROWI);
  let count = 0;
  if (cellWalkHalfExact(cl)) {
    // Each visited cell is a definite periodic image of a neighbour of cell c (>= 3 cells per axis):
    // its whole-box shift s (per axis -1, 0, 1 boxes, from the cells' coordinates) is the minimum
    // image of every pair within rc_ab + skin <= one cell side, so d = (x_j - x_i) + s L: the same
    // operations, hence the same accepted pairs and image codes, as minImage per pair (verletTry),
    // with positions and species read in slot order (contiguous per cell).
    const ncx = geti(cl, CL_NCX), ncy = geti(cl, CL_NCY), ncz = geti(cl, CL_NCZ);
    const ncell = ncx * ncy * ncz;
    const spos = getp(cl, CL_SPOS), sps = getp(h, V_SPS);
    for (let s = 0; s < n; s++) store<i32>(sps + (<usize>s << 2), load<i32>(sp + (<usize>load<i32>(order + (<usize>s << 2)) << 2)));
    for (let c = 0; c < ncell; c++) {
      const a0 = load<i32>(start + (<usize>c << 2)), a1 = load<i32>(start + (<usize>(c + 1) << 2));
      const nw = cellWalkBegin(cl, c, CW_HALF);
      const cx = c % ncx, cy = (c / ncx) % ncy, cz = c / (ncx * ncy);
      // particles in the walk's cells (a bound on any row of this cell); per walk cell: the shift
      // (f64 x 3), the image code and the end slot
      let occ = 0;
      for (let q = 0; q < nw; q++) {
        const cc = cellWalkCell(q);
        occ += load<i32>(start + (<usize>(cc + 1) << 2)) - load<i32>(start + (<usize>cc << 2));
        const ox = cc % ncx - cx, oy = (cc / ncx) % ncy - cy, oz = cc / (ncx * ncy) - cz;
        const bx = ox > 1 ? -1 : ox < -1 ? 1 : 0, by = oy > 1 ? -1 : oy < -1 ? 1 : 0, bz = oz > 1 ? -1 : oz < -1 ? 1 : 0;
        const wq = walkShift + <usize>q * 32;
        store<f64>(wq, <f64>bx * lx);
        store<f64>(wq, <f64>by * ly, 8);
        store<f64>(wq, <f64>bz * lz, 16);
        store<i32>(wq, (bx + 1) + 3 * (by + 1) + 9 * (bz + 1), 24);
        store<i32>(wq, load<i32>(start + (<usize>(cc + 1) << 2)), 28);
      }
      for (let sa = a0; sa < a1; sa++) {
        const i = load<i32>(order + (<usize>sa << 2));
        store<i32>(off + (<usize>sa << 2), count);
        store<i32>(rowI + (<usize>sa << 2), i);
        if (count + occ > geti(h, V_CAP)) verletReserve(h, count + occ);
        const jl = getp(h, V_J);
        const pi = spos + <usize>sa * 24;
        const xi = load<f64>(pi), yi = load<f64>(pi, 8), zi = load<f64>(pi, 16);
        const rowC = nc2 + (<usize>(load<i32>(sp + (<usize>i << 2)) * S) << 3);
        // cell c itself (walk cell 0, no shift): the later slots only; then the forward cells, all slots
        for (let q = 0; q < nw; q++) {
          const wq = walkShift + <usize>q * 32;
          const sx = load<f64>(wq), sy = load<f64>(wq, 8), sz = load<f64>(wq, 16);
          const code = load<i32>(wq, 24);
          const s1 = load<i32>(wq, 28);
          for (let sb = q == 0 ? sa + 1 : load<i32>(start + (<usize>cellWalkCell(q) << 2)); sb < s1; sb++) {
            const pj = spos + <usize>sb * 24;
            const dx = (load<f64>(pj) - xi) + sx, dy = (load<f64>(pj, 8) - yi) + sy, dz = (load<f64>(pj, 16) - zi) + sz;
            if (dx * dx + dy * dy + dz * dz < load<f64>(rowC + (<usize>load<i32>(sps + (<usize>sb << 2)) << 3))) {
              store<i32>(jl + (<usize>count << 2), (load<i32>(order + (<usize>sb << 2)) << 5) | code);
              count++;
            }
          }
        }
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      store<i32>(off + (<usize>i << 2), count);
      store<i32>(rowI + (<usize>i << 2), i);
      const pi = y + <usize>i * 24;
      const xi = load<f64>(pi), yi = load<f64>(pi, 8), zi = load<f64>(pi, 16);
      const rowC = nc2 + (<usize>(load<i32>(sp + (<usize>i << 2)) * S) << 3);
      if (count + n > geti(h, V_CAP)) verletReserve(h, count + n);
      const jl = getp(h, V_J);
      const nw = cellWalkBegin(cl, load<i32>(cellOf + (<usize>i << 2)), CW_FULL_CENTRED);
      for (let q = 0; q < nw; q++) {
        const cc = cellWalkCell(q);
        const s1 = load<i32>(start + (<usize>(cc + 1) << 2));
        for (let sb = load<i32>(start + (<usize>cc << 2)); sb < s1; sb++) {
          const j = load<i32>(order + (<usize>sb << 2));
          if (j > i) count = verletTry(jl, count, j, y, sp, rowC, xi, yi, zi, lx, ly, lz, hx, hy, hz);
        }
      }
    }
  }
  store<i32>(off + (<usize>n << 2), count);
  cellListFree(cl);
  seti(h, V_PAIRS, count);
  seti(h, V_BUILT, 1);
  seti(h, V_REBUILDS, geti(h, V_REBUILDS) + 1);
}

/** Rebuild when the list was never built or some particle moved more than skin/2 since the last build. */
function verletCheck(h: usize, y: usize): void {
  if (geti(h, V_BUILT) == 0) { verletBuild(h, y); return; }
  const n = geti(h, V_N);
  const yb = getp(h, V_YB);
  const half = 0.5 * getf(h, V_SKIN);
  const lim = half * half;
  for (let i = 0; i < n; i++) {
    const p = y + <usize>i * 24, b = yb + <usize>i * 24;
    const dx = load<f64>(p) - load<f64>(b), dy = load<f64>(p, 8) - load<f64>(b, 8), dz = load<f64>(p, 16) - load<f64>(b, 16);
    if (dx * dx + dy * dy + dz * dz > lim) { verletBuild(h, y); return; }
  }
}

/** Force the next evaluation to rebuild the list. */
export function minVerletInvalidate(h: usize): void { seti(h, V_BUILT, 0); }

/**
 * Forces f (f64 x 3n, overwritten) and total energy U = sum_{i<j} V(r_ij) at positions y
 * (f64 x 3n, stride 3; wrapped in place when the list is rebuilt). When ePtr != 0 it receives
 * e_i = 1/2 sum_j V(r_ij) (f64 x n). Rebuilds the Verlet list when needed.
 */
export function minVerletForces(h: usize, y: usize, f: usize, ePtr: usize): f64 {
  verletCheck(h, y);
  memory.fill(f, 0, <usize>geti(h, V_N) * 24);
  const poly = geti(h, V_POLY) != 0;
  if (ePtr) {
    memory.fill(ePtr, 0, <usize>geti(h, V_N) << 3);
    return poly ? forceLoop(h, y, f, ePtr, true, true, true) : forceLoop(h, y, f, ePtr, true, false, true);
  }
  return poly ? forceLoop(h, y, f, 0, false, true, true) : forceLoop(h, y, f, 0, false, false, true);
}

/**
 * Forces only (f as minVerletForces, bit for bit; no energy is summed: ~5% less work per
 * evaluation). For FIRE's steps, whose update uses F alone; the energy of the final positions
 * is then one minVerletForces call at the end.
 */
export function minVerletForcesOnly(h: usize, y: usize, f: usize): void {
  verletCheck(h, y);
  memory.fill(f, 0, <usize>geti(h, V_N) * 24);
  if (geti(h, V_POLY) != 0) forceLoop(h, y, f, 0, false, true, false);
  else forceLoop(h, y, f, 0, false, false, false);
}

// The pair loop. withE, poly and withU are constants at each call site, so their branches fold
// away (poly = false: c2 = c4 = 0 everywhere, the polynomial terms are skipped; same result;
// withU = false: no energy, the same forces).
@inline function forceLoop(h: usize, y: usize, f: usize, ePtr: usize, withE: bool, poly: bool, withU: bool): f64 {
  const n = geti(h, V_N), S = geti(h, V_S);
  const img = getp(h, V_IMG);
  const coef = getp(h, V_COEF), sp = getp(h, V_SPEC), off = getp(h, V_OFF), jl = getp(h, V_J), rowI = getp(h, V_ROWI);
  let etot = 0.0;
  const rowStride = <usize>(S * PAIR_COEF_STRIDE) << 3;
  let k = load<i32>(off);
  for (let r = 0; r < n; r++) {
    const i = load<i32>(rowI + (<usize>r << 2));
    const pi = y + <usize>i * 24;
    const rowT = coef + <usize>load<i32>(sp + (<usize>i << 2)) * rowStride;
    const k1 = load<i32>(off + (<usize>(r + 1) << 2));
    let ei = 0.0;
    const fi = f + <usize>i * 24;
    if (ASC_FEATURE_SIMD) {
      // (x, y) in one f64x2 lane pair, z apart: every lane does the scalar path's operations in
      // its order (d = (x_j - x_i) + shift, r2 = (dx dx + dy dy) + dz dz, F_i -= fr d, F_j += fr d),
      // so both builds give the same bits
      const pxy = v128.load(pi);
      const zi = load<f64>(pi, 16);
      let fxy = f64x2.splat(0.0);
      let fzi = 0.0;
      for (; k < k1; k++) {
        const e = load<i32>(jl + (<usize>k << 2));
        const j = e >>> 5;
        const st = img + <usize>(e & 31) * 24;
        const pj = y + <usize>j * 24;
        const dxy = f64x2.add(f64x2.sub(v128.load(pj), pxy), v128.load(st));
        const dz = load<f64>(pj, 16) - zi + load<f64>(st, 16);
        const sq = f64x2.mul(dxy, dxy);
        const r2 = f64x2.extract_lane(sq, 0) + f64x2.extract_lane(sq, 1) + dz * dz;
        const t = rowT + (<usize>(load<i32>(sp + (<usize>j << 2)) * PAIR_COEF_STRIDE) << 3);
        if (r2 < coefCut2(t)) {
          const inv = 1.0 / r2;
          const ir6 = inv * inv * inv;
          const fr = pairCoefForceOverR(t, r2, inv, ir6, poly);
          const v = withU || withE ? pairCoefEnergy(t, r2, ir6, poly) : 0.0;
          if (withU) etot += v;
          const gxy = f64x2.mul(f64x2.splat(fr), dxy);
          const gz = fr * dz;
          fxy = f64x2.sub(fxy, gxy);
          fzi -= gz;
          const fj = f + <usize>j * 24;
          v128.store(fj, f64x2.add(v128.load(fj), gxy));
          store<f64>(fj, load<f64>(fj, 16) + gz, 16);
          if (withE) {
            ei += 0.5 * v;
            const ej = ePtr + (<usize>j << 3);
            store<f64>(ej, load<f64>(ej) + 0.5 * v);
          }
        }
      }
      v128.store(fi, f64x2.add(v128.load(fi), fxy));
      store<f64>(fi, load<f64>(fi, 16) + fzi, 16);
    } else {
      const xi = load<f64>(pi), yi = load<f64>(pi, 8), zi = load<f64>(pi, 16);
      let fxi = 0.0, fyi = 0.0, fzi = 0.0;
      for (; k < k1; k++) {
        const e = load<i32>(jl + (<usize>k << 2));
        const j = e >>> 5;
        const st = img + <usize>(e & 31) * 24;
        const pj = y + <usize>j * 24;
        const dx = load<f64>(pj) - xi + load<f64>(st);
        const dy = load<f64>(pj, 8) - yi + load<f64>(st, 8);
        const dz = load<f64>(pj, 16) - zi + load<f64>(st, 16);
        const r2 = dx * dx + dy * dy + dz * dz;
        const t = rowT + (<usize>(load<i32>(sp + (<usize>j << 2)) * PAIR_COEF_STRIDE) << 3);
        if (r2 < coefCut2(t)) {
          const inv = 1.0 / r2;
          const ir6 = inv * inv * inv;
          const fr = pairCoefForceOverR(t, r2, inv, ir6, poly);
          const v = withU || withE ? pairCoefEnergy(t, r2, ir6, poly) : 0.0;
          if (withU) etot += v;
          // force on j: +fr d, on i: -fr d  (d = x_j - x_i)
          const fx = fr * dx, fy = fr * dy, fz = fr * dz;
          fxi -= fx; fyi -= fy; fzi -= fz;
          const fj = f + <usize>j * 24;
          store<f64>(fj, load<f64>(fj) + fx);
          store<f64>(fj, load<f64>(fj, 8) + fy, 8);
          store<f64>(fj, load<f64>(fj, 16) + fz, 16);
          if (withE) {
            ei += 0.5 * v;
            const ej = ePtr + (<usize>j << 3);
            store<f64>(ej, load<f64>(ej) + 0.5 * v);
          }
        }
      }
      store<f64>(fi, load<f64>(fi) + fxi);
      store<f64>(fi, load<f64>(fi, 8) + fyi, 8);
      store<f64>(fi, load<f64>(fi, 16) + fzi, 16);
    }
    if (withE) {
      const e = ePtr + (<usize>i << 3);
      store<f64>(e, load<f64>(e) + ei);
    }
  }
  return etot;
}

/**
 * One-shot energy and forces: positions (f64 x n*dim, may be unwrapped), species (i32 x n),
 * pair table (S x S entries). Writes forces (f64 x n*dim) and, when energiesPtr != 0, the
 * per-particle energies e_i = 1/2 sum_j V(r_ij). Returns the total energy U.
 * Requires max(rc) <= min(L)/2.
 */
export function minEnergyForces(posPtr: usize, n: i32, dim: i32, lx: f64, ly: f64, lz: f64, speciesPtr: usize, S: i32, tablePtr: usize, forcesPtr: usize, energiesPtr: usize): f64 {
  const h = minVerletCreate(n, dim, lx, ly, lz, speciesPtr, S, tablePtr, 0.0);
  const y = heap.alloc(<usize>n * 24);
  const f = heap.alloc(<usize>n * 24);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < 3; a++) {
      store<f64>(y + <usize>(i * 3 + a) * 8, a < dim ? load<f64>(posPtr + (<usize>(i * dim + a) << 3)) : 0.0);
    }
  }
  const u = minVerletForces(h, y, f, energiesPtr);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      store<f64>(forcesPtr + (<usize>(i * dim + a) << 3), load<f64>(f + <usize>(i * 3 + a) * 8));
    }
  }
  heap.free(y);
  heap.free(f);
  minVerletFree(h);
  return u;
}
