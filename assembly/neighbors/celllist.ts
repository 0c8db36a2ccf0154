// Cell-list neighbour search in an orthorhombic periodic box (2D or 3D).
//
// Contract (../shared/spec/descriptors.md, System):
//   neighbours of i within c = { j != i : r_ij <= c }   (inclusive),
//   r_ij = |d_ij|,  d_ij = minimum image of x_j - x_i, componentwise
//          d -> d - L if d > L/2,  d -> d + L if d < -L/2  (so |d| <= L/2; a tie keeps its sign),
//   and c <= min(L)/2, which makes the minimum image unique up to ties.
//
// Build: positions are wrapped into [0, L) and binned into n_a = max(1, floor(L_a / c_cell))
// cells per side (cell side >= c_cell); a counting sort gives CSR arrays
//   cellStart[cell] .. cellStart[cell+1]  ->  slots in cell order,
//   order[slot] = particle index,  sortedPos[slot] = its wrapped position (contiguous scan).
// Query: for particle i the cells within +-reach of its cell, each distinct cell once (the CW_FULL
// walk of ./cellwalk.ts), so a box with few cells per side never visits a cell twice.
//
// A NeighborList holds CSR rows for a contiguous range of particles [i0, i1):
//   offsets[i - i0] .. offsets[i - i0 + 1] -> j, r, d (3 f64 per pair; z = 0 in 2D).
// Large systems are walked in chunks of particles, so the whole pair list never has to sit in
// memory at once. Within a row, neighbours come in cell-scan order (deterministic).

import { geti, seti, getf, setf, getp, setp } from "../mem";
import {
  CL_N, CL_DIM, CL_LX, CL_LY, CL_LZ, CL_SIDE, CL_NCX, CL_NCY, CL_NCZ, CL_START, CL_ORDER, CL_SPOS, CL_POS,
  CL_CELLOF, CL_SLOT, CL_REACH, CL_SIZE, MAX_REACH, CW_FULL, cellWalkBegin, cellWalkCell, cellWalkInterior, countingSort,
} from "./cellwalk";

// The CellList header layout and the walk over its cells are in ./cellwalk.ts.

// ---- layout of the NeighborList header ----
// 0 i0 | 8 i1 | 16 count | 24 capacity | 32 offsets ptr (i32 x rows+1, capacity rowsCap)
// 40 j ptr (i32) | 48 r ptr (f64) | 56 d ptr (f64 x 3) | 64 rowsCap | 72 cutoff
const NL_I0: usize = 0;
const NL_I1: usize = 8;
const NL_COUNT: usize = 16;
const NL_CAP: usize = 24;
const NL_OFF: usize = 32;
const NL_J: usize = 40;
const NL_R: usize = 48;
const NL_D: usize = 56;
const NL_ROWSCAP: usize = 64;
const NL_CUT: usize = 72;
const NL_SIZE: usize = 80;

/** Wrap x into [0, L): x - L floor(x / L), with a rounding result of exactly L mapped to 0. */
@inline export function wrapCoord(x: f64, L: f64): f64 {
  let w = x - L * Math.floor(x / L);
  if (w >= L) w = 0.0;
  if (w < 0.0) w = 0.0;
  return w;
}

/** Minimum-image component: d - L if d > L/2, d + L if d < -L/2 (ties keep their sign). */
@inline export function minImage(d: f64, L: f64, hL: f64): f64 {
  if (d > hL) return d - L;
  if (d < -hL) return d + L;
  return d;
}

/** Largest cutoff a box allows: half its smallest side. */
export function maxCutoff(dim: i32, lx: f64, ly: f64, lz: f64): f64 {
  let m = Math.min(lx, ly);
  if (dim == 3) m = Math.min(m, lz);
  return 0.5 * m;
}

/**
 * Build a cell list for n particles (positions at `posPtr`, n*dim f64, may be unwrapped) with
 * cells of side >= cellSide. Returns a handle. The positions are copied (wrapped), so the
 * caller's array is never modified. Aborts when cellSide > min(L)/2 or n < 1.
 */
export function cellListCreate(posPtr: usize, n: i32, dim: i32, lx: f64, ly: f64, lz: f64, cellSide: f64): usize {
  return cellListCreateReach(posPtr, n, dim, lx, ly, lz, cellSide, 1);
}

/**
 * A cell list for queries up to `cutoff` whose cells have side >= cutoff / reach, so a query
 * visits the cells within +-reach per axis: (2 reach + 1)^3 (cutoff/reach)^3 of volume instead
 * of 27 cutoff^3 (reach 2: 42% fewer candidates, and far fewer when the box holds few cells).
 */
export function cellListCreateReach(posPtr: usize, n: i32, dim: i32, lx: f64, ly: f64, lz: f64, cellSide: f64, reach: i32): usize {
  assert(reach >= 1 && reach <= MAX_REACH, "cellListCreate: reach must be 1..4");
  if (dim == 2) lz = 1.0;
  assert(n >= 1, "cellListCreate: empty system");
  assert(dim == 2 || dim == 3, "cellListCreate: dim must be 2 or 3");
  assert(lx > 0 && ly > 0 && lz > 0, "cellListCreate: box sides must be positive");
  assert(cellSide > 0 && cellSide <= maxCutoff(dim, lx, ly, lz), "cellListCreate: cutoff exceeds half the smallest box side");
  const h = heap.alloc(CL_SIZE);
  seti(h, CL_N, n);
  seti(h, CL_DIM, dim);
  setf(h, CL_LX, lx);
  setf(h, CL_LY, ly);
  setf(h, CL_LZ, lz);
  setf(h, CL_SIDE, cellSide);
  seti(h, CL_REACH, reach);
  const grid = cellSide / <f64>reach;
  const ncx = max<i32>(1, <i32>Math.floor(lx / grid));
  const ncy = max<i32>(1, <i32>Math.floor(ly / grid));
  const ncz = dim == 3 ? max<i32>(1, <i32>Math.floor(lz / grid)) : 1;
  seti(h, CL_NCX, ncx);
  seti(h, CL_NCY, ncy);
  seti(h, CL_NCZ, ncz);
  const ncell = ncx * ncy * ncz;
  const start = heap.alloc(<usize>(ncell + 2) << 2); // + 1 scratch entry for countingSort
  const order = heap.alloc(<usize>n << 2);
  const spos = heap.alloc(<usize>n * 24);
  const pos = heap.alloc(<usize>n * 24);
  const cellOf = heap.alloc(<usize>n << 2);
  const slotOf = heap.alloc(<usize>n << 2);
  setp(h, CL_SLOT, slotOf);
  setp(h, CL_START, start);
  setp(h, CL_ORDER, order);
  setp(h, CL_SPOS, spos);
  setp(h, CL_POS, pos);
  setp(h, CL_CELLOF, cellOf);
  const fx = <f64>ncx / lx, fy = <f64>ncy / ly, fz = <f64>ncz / lz;
  // wrap and bin: cellOf[i] = cell index
  for (let i = 0; i < n; i++) {
    const src = posPtr + (<usize>(i * dim) << 3);
    const x = wrapCoord(load<f64>(src), lx);
    const y = wrapCoord(load<f64>(src, 8), ly);
    const z = dim == 3 ? wrapCoord(load<f64>(src, 16), lz) : 0.0;
    const dst = pos + <usize>i * 24;
    store<f64>(dst, x);
    store<f64>(dst, y, 8);
    store<f64>(dst, z, 16);
    const cx = min<i32>(ncx - 1, <i32>(x * fx));
    const cy = min<i32>(ncy - 1, <i32>(y * fy));
    const cz = min<i32>(ncz - 1, <i32>(z * fz));
    store<i32>(cellOf + (<usize>i << 2), (cz * ncy + cy) * ncx + cx);
  }
  // slots in cell order (stable: the particles of a cell in increasing index)
  countingSort(cellOf, n, ncell, start, order);
  for (let s = 0; s < n; s++) {
    const i = load<i32>(order + (<usize>s << 2));
    store<i32>(slotOf + (<usize>i << 2), s);
    memory.copy(spos + <usize>s * 24, pos + <usize>i * 24, 24);
  }
  return h;
}

export function cellListFree(h: usize): void {
  heap.free(getp(h, CL_START));
  heap.free(getp(h, CL_ORDER));
  heap.free(getp(h, CL_SPOS));
  heap.free(getp(h, CL_POS));
  heap.free(getp(h, CL_CELLOF));
  heap.free(getp(h, CL_SLOT));
  heap.free(h);
}

/** Address of the wrapped positions (n x 3 f64, particle order; z = 0 in 2D). */
export function cellListPositions(h: usize): usize { return getp(h, CL_POS); }
/** Address of the particle indices in cell order (i32 x n): a spatial ordering of the particles. */
export function cellListOrder(h: usize): usize { return getp(h, CL_ORDER); }
export function cellListN(h: usize): i32 { return geti(h, CL_N); }
export function cellListDim(h: usize): i32 { return geti(h, CL_DIM); }
/** Number of cells along axis a (0, 1, 2). */
export function cellListCells(h: usize, a: i32): i32 { return geti(h, CL_NCX + (<usize>a << 3)); }

/** Append pair (j, r = sqrt(r2), d) at index `count` of the list arrays. */
@inline function storePair(pj: usize, pr: usize, pd: usize, count: i32, j: i32, r2: f64, dx: f64, dy: f64, dz: f64): void {
  store<i32>(pj + (<usize>count << 2), j);
  store<f64>(pr + (<usize>count << 3), Math.sqrt(r2));
  const q = pd + <usize>count * 24;
  store<f64>(q, dx);
  store<f64>(q, dy, 8);
  store<f64>(q, dz, 16);
}

/**
 * Give the pair arrays (j, r, d) of list h room for cap pairs: reallocated (contents kept) when
 * keep, else freed (when allocated) and allocated afresh (nothing to copy).
 */
function nlSetCapacity(h: usize, cap: i32, keep: bool): void {
  if (keep) {
    setp(h, NL_J, heap.realloc(getp(h, NL_J), <usize>cap << 2));
    setp(h, NL_R, heap.realloc(getp(h, NL_R), <usize>cap << 3));
    setp(h, NL_D, heap.realloc(getp(h, NL_D), <usize>cap * 24));
  } else {
    if (getp(h, NL_J) != 0) { heap.free(getp(h, NL_J)); heap.free(getp(h, NL_R)); heap.free(getp(h, NL_D)); }
    setp(h, NL_J, heap.alloc(<usize>cap << 2));
    setp(h, NL_R, heap.alloc(<usize>cap << 3));
    setp(h, NL_D, heap.alloc(<usize>cap * 24));
  }
  seti(h, NL_CAP, cap);
}

/** Create an empty neighbour list (grows as needed; reuse it across chunks and calls). */
export function neighborListCreate(): usize {
  const h = heap.alloc(NL_SIZE);
  memory.fill(h, 0, NL_SIZE);
  nlSetCapacity(h, 1024, false);
  setp(h, NL_OFF, heap.alloc(<usize>(64 + 1) << 2));
  seti(h, NL_ROWSCAP, 64);
  return h;
}

export function neighborListFree(h: usize): void {
  heap.free(getp(h, NL_J));
  heap.free(getp(h, NL_R));
  heap.free(getp(h, NL_D));
  heap.free(getp(h, NL_OFF));
  heap.free(h);
}

function nlReserve(h: usize, need: i32): void {
  let cap = geti(h, NL_CAP);
  if (need <= cap) return;
  while (cap < need) cap = cap + (cap >> 1) + 1024;
  nlSetCapacity(h, cap, true);
}

/**
 * Fill `nl` with the neighbours within `cutoff` (inclusive) of particles i0 <= i < i1.
 * Full list (half = 0): row i holds every j != i with r_ij <= cutoff. Half list (half != 0): each
 * unordered pair {i, j} once, in the row of the one of the two that comes first in the cell
 * list's slot order (row i holds j when slot(j) > slot(i); not the rule j > i). This is the one
 * statement of what the half list holds; the kernels that read it (descriptors/coarsegrain.ts)
 * refer here. Rows walk the cells of i's CW_FULL walk (./cellwalk.ts), each cell in slot order.
 * cutoff must not exceed the cell side. Returns the number of pairs stored.
 */
export function neighborListBuild(nl: usize, cl: usize, cutoff: f64, i0: i32, i1: i32, half: i32): i32 {
  assert(cutoff > 0 && cutoff <= getf(cl, CL_SIDE), "neighborListBuild: cutoff exceeds the cell list's cell side");
  const n = geti(cl, CL_N);
  assert(i0 >= 0 && i1 <= n && i0 <= i1, "neighborListBuild: particle range out of bounds");
  const rows = i1 - i0;
  if (rows + 1 > geti(nl, NL_ROWSCAP)) {
    heap.free(getp(nl, NL_OFF));
    setp(nl, NL_OFF, heap.alloc(<usize>(rows + 1) << 2));
    seti(nl, NL_ROWSCAP, rows + 1);
  }
  seti(nl, NL_I0, i0);
  seti(nl, NL_I1, i1);
  setf(nl, NL_CUT, cutoff);
  const lx = getf(cl, CL_LX), ly = getf(cl, CL_LY), lz = getf(cl, CL_LZ);
  const hx = 0.5 * lx, hy = 0.5 * ly, hz = 0.5 * lz;
  const dim = geti(cl, CL_DIM);
  const start = getp(cl, CL_START), order = getp(cl, CL_ORDER), spos = getp(cl, CL_SPOS);
  const pos = getp(cl, CL_POS), cellOf = getp(cl, CL_CELLOF), slotOf = getp(cl, CL_SLOT);
  const off = getp(nl, NL_OFF);
  const c2 = cutoff * cutoff;
  let count = 0;
  // reserve the expected pair count up front (mean density x ball volume, +15%): growing from
  // a small list re-allocates and copies it ~20 times for a million pairs
  const vol: f64 = dim == 3 ? lx * ly * lz : lx * ly;
  const ball: f64 = dim == 3 ? 4.18879020478639 * c2 * cutoff : 3.141592653589793 * c2;
  const expect: f64 = <f64>rows * (<f64>n / vol) * ball * (half ? 0.5 : 1.0) * 1.15 + 1024.0;
  if (expect < 2.0e8 && <i32>expect > geti(nl, NL_CAP)) nlSetCapacity(nl, <i32>expect, false);
  let cap = geti(nl, NL_CAP);
  let pj = getp(nl, NL_J), pr = getp(nl, NL_R), pd = getp(nl, NL_D);
  // the walk of the previous particle's cell is reused while the cell stays the same
  let walkOf = -1, nw = 0, interior = false;
  for (let i = i0; i < i1; i++) {
    store<i32>(off + (<usize>(i - i0) << 2), count);
    const pi = pos + <usize>i * 24;
    const xi = load<f64>(pi), yi = load<f64>(pi, 8), zi = load<f64>(pi, 16);
    const c = load<i32>(cellOf + (<usize>i << 2));
    if (c != walkOf) {
      nw = cellWalkBegin(cl, c, CW_FULL);
      interior = cellWalkInterior(cl, c);
      walkOf = c;
    }
    const si = load<i32>(slotOf + (<usize>i << 2));
    for (let q = 0; q < nw; q++) {
      const cc = cellWalkCell(q);
      const s0 = load<i32>(start + (<usize>cc << 2));
      const s1 = load<i32>(start + (<usize>(cc + 1) << 2));
      if (count + (s1 - s0) > cap) {
        seti(nl, NL_COUNT, count);
        nlReserve(nl, count + (s1 - s0));
        cap = geti(nl, NL_CAP);
        pj = getp(nl, NL_J); pr = getp(nl, NL_R); pd = getp(nl, NL_D);
      }
      // for slot s in cell cc: d = minImage(x_s - x_i); keep if s != slot(i) (half: s > slot(i),
      // so the walk starts past slot(i): cells of lower slots are skipped whole) and |d|^2 <= c^2.
      // In an interior cell the raw difference already is the minimum image.
      const sb = half ? max<i32>(s0, si + 1) : s0;
      if (interior) {
        for (let s = sb; s < s1; s++) {
          if (!half && s == si) continue;
          const ps = spos + <usize>s * 24;
          const dx = load<f64>(ps) - xi;
          const dy = load<f64>(ps, 8) - yi;
          const dz = load<f64>(ps, 16) - zi;
          const r2 = dx * dx + dy * dy + dz * dz;
          if (r2 <= c2) { storePair(pj, pr, pd, count, load<i32>(order + (<usize>s << 2)), r2, dx, dy, dz); count++; }
        }
      } else {
        for (let s = sb; s < s1; s++) {
          if (!half && s == si) continue;
          const ps = spos + <usize>s * 24;
          const dx = minImage(load<f64>(ps) - xi, lx, hx);
          const dy = minImage(load<f64>(ps, 8) - yi, ly, hy);
          const dz = minImage(load<f64>(ps, 16) - zi, lz, hz);
          const r2 = dx * dx + dy * dy + dz * dz;
          if (r2 <= c2) { storePair(pj, pr, pd, count, load<i32>(order + (<usize>s << 2)), r2, dx, dy, dz); count++; }
        }
      }
    }
  }
  store<i32>(off + (<usize>rows << 2), count);
  seti(nl, NL_COUNT, count);
  return count;
}

/**
 * Count the pairs within `cutoff` without storing them: each unordered pair once, from the
 * particle with the lower slot (the half list's rule). The streaming path for very large systems.
 */
export function neighborCountPairs(cl: usize, cutoff: f64): f64 {
  assert(cutoff > 0 && cutoff <= getf(cl, CL_SIDE), "neighborCountPairs: cutoff exceeds the cell list's cell side");
  const lx = getf(cl, CL_LX), ly = getf(cl, CL_LY), lz = getf(cl, CL_LZ);
  const hx = 0.5 * lx, hy = 0.5 * ly, hz = 0.5 * lz;
  const ncell = geti(cl, CL_NCX) * geti(cl, CL_NCY) * geti(cl, CL_NCZ);
  const start = getp(cl, CL_START), spos = getp(cl, CL_SPOS);
  const c2 = cutoff * cutoff;
  let total: f64 = 0;
  // walk cells in order; particle slots are contiguous within a cell
  for (let c = 0; c < ncell; c++) {
    const a0 = load<i32>(start + (<usize>c << 2)), a1 = load<i32>(start + (<usize>(c + 1) << 2));
    if (a0 == a1) continue;
    const nw = cellWalkBegin(cl, c, CW_FULL);
    for (let sa = a0; sa < a1; sa++) {
      const pa = spos + <usize>sa * 24;
      const xi = load<f64>(pa), yi = load<f64>(pa, 8), zi = load<f64>(pa, 16);
      let cnt = 0;
      for (let q = 0; q < nw; q++) {
        const cc = cellWalkCell(q);
        const s1 = load<i32>(start + (<usize>(cc + 1) << 2));
        for (let s = max<i32>(load<i32>(start + (<usize>cc << 2)), sa + 1); s < s1; s++) {
          const ps = spos + <usize>s * 24;
          const dx = minImage(load<f64>(ps) - xi, lx, hx);
          const dy = minImage(load<f64>(ps, 8) - yi, ly, hy);
          const dz = minImage(load<f64>(ps, 16) - zi, lz, hz);
          if (dx * dx + dy * dy + dz * dz <= c2) cnt++;
        }
      }
      total += <f64>cnt;
    }
  }
  return total;
}

export function neighborListCount(h: usize): i32 { return geti(h, NL_COUNT); }
export function neighborListRows(h: usize): i32 { return geti(h, NL_I1) - geti(h, NL_I0); }
export function neighborListFirst(h: usize): i32 { return geti(h, NL_I0); }
export function neighborListCutoff(h: usize): f64 { return getf(h, NL_CUT); }
/** Address of the row offsets (i32 x rows+1). Re-read after every build (buffers may move). */
export function neighborListOffsets(h: usize): usize { return getp(h, NL_OFF); }
/** Address of neighbour indices (i32 x count). */
export function neighborListJ(h: usize): usize { return getp(h, NL_J); }
/** Address of distances (f64 x count). */
export function neighborListR(h: usize): usize { return getp(h, NL_R); }
/** Address of displacement vectors d_ij = x_j - x_i (min image), f64 x 3 x count. */
export function neighborListD(h: usize): usize { return getp(h, NL_D); }
