// The cell list's header layout and the one walk over its cells: which cells a query from cell c
// visits, and in which order. Every kernel that looks for pairs through a cell list walks the
// cells with this iterator: the neighbour lists (neighborListBuild, neighborCountPairs in
// celllist.ts; through them the descriptors, the cage neighbours of dynamics/md.ts and the
// cage-relative propensity of targets/propensity.ts) and the minimiser's Verlet list
// (minimize/forces.ts). What a kernel does with the particles of a visited cell (the minimum image
// per pair and the stored displacement of a neighbour list, or the image code a Verlet list
// stores with each pair) stays with the kernel.
//
// A cell list (built by cellListCreateReach) bins the wrapped positions into n_a cells per axis
// a, cell index c = (c_z n_y + c_y) n_x + c_x, and answers queries up to `reach` cells away.
// Modes of cellWalkBegin(cl, c, mode), for c = (c_x, c_y, c_z):
//   CW_FULL          every distinct cell (c_x + o_x, c_y + o_y, c_z + o_z) mod n, o_a in -reach..reach,
//                    once: z offsets outermost, x innermost. An axis whose n_a <= 2 reach + 1
//                    (the stencil covers it) is walked in absolute order 0..n_a-1, else as
//                    c_a - reach .. c_a + reach.
//   CW_FULL_CENTRED  the same cells; an axis is walked c_a - reach .. c_a + reach as long as these are
//                    distinct (n_a >= 2 reach + 1), absolute order 0..n_a-1 only when n_a < 2 reach + 1.
//   CW_HALF          (reach 1, >= 3 cells per axis: cellWalkHalfExact) the cell c itself first, then its
//                    forward half of the 3^dim - 1 neighbours, offsets (o_x, o_y, o_z) with o_z = 1, or
//                    o_z = 0 and o_y = 1, or o_z = o_y = 0 and o_x = 1 (13 in 3D, 4 in 2D), in the loop
//                    order o_z = 0..1, o_y = -1..1, o_x = -1..1. Of two distinct neighbouring cells
//                    exactly one has the other in its forward half, so a walk over all cells finds every
//                    unordered pair of particles once (within cell c: take the later slots only).
// The two full orders visit the same cells and differ only on an axis of exactly 2 reach + 1 cells.
// Both are kept because the order of the pairs in a row fixes floating-point summation orders
// downstream: CW_FULL is the neighbour lists' order, CW_FULL_CENTRED the Verlet list's thin-box order.

import { geti } from "../mem";

// ---- layout of the CellList header (raw memory, 8-byte fields) ----
// 0 n | 8 dim | 16 lx | 24 ly | 32 lz | 40 cellSide | 48 ncx | 56 ncy | 64 ncz
// 72 cellStart ptr (i32 x ncell+1) | 80 order ptr (i32 x n) | 88 sortedPos ptr (f64 x 3n)
// 96 pos ptr (f64 x 3n, wrapped, particle order) | 104 cellOf ptr (i32 x n) | 112 slotOf ptr (i32 x n)
// 120 reach
export const CL_N: usize = 0;
export const CL_DIM: usize = 8;
export const CL_LX: usize = 16;
export const CL_LY: usize = 24;
export const CL_LZ: usize = 32;
export const CL_SIDE: usize = 40;
export const CL_NCX: usize = 48;
export const CL_NCY: usize = 56;
export const CL_NCZ: usize = 64;
export const CL_START: usize = 72;
export const CL_ORDER: usize = 80;
export const CL_SPOS: usize = 88;
export const CL_POS: usize = 96;
export const CL_CELLOF: usize = 104;
export const CL_SLOT: usize = 112;
export const CL_REACH: usize = 120;
export const CL_SIZE: usize = 128;

/** Largest reach a cell list accepts (the walk buffer holds (2 MAX_REACH + 1)^3 cells). */
export const MAX_REACH: i32 = 4;

export const CW_FULL: i32 = 0;
export const CW_FULL_CENTRED: i32 = 1;
export const CW_HALF: i32 = 2;

// the cells of the current walk, and the per-axis offsets (at most 2 MAX_REACH + 1 per axis)
const walkCells = memory.data(((2 * MAX_REACH + 1) * (2 * MAX_REACH + 1) * (2 * MAX_REACH + 1)) << 2);
const offX = memory.data((2 * MAX_REACH + 1) << 2);
const offY = memory.data((2 * MAX_REACH + 1) << 2);
const offZ = memory.data((2 * MAX_REACH + 1) << 2);

/**
 * The distinct offsets along an axis of n cells (see the modes above) into out; returns their
 * number: 0..n-1 when 2 reach + 1 > n, or = n and not centred; else -reach..reach.
 */
@inline function axisOffsets(n: i32, reach: i32, centred: bool, out: usize): i32 {
  const w = 2 * reach + 1;
  if (w > n || (w == n && !centred)) {
    for (let k = 0; k < n; k++) store<i32>(out + (<usize>k << 2), k);
    return n;
  }
  for (let k = -reach; k <= reach; k++) store<i32>(out + (<usize>(k + reach) << 2), k);
  return w;
}

/** c + o taken modulo n, for -n <= c + o < 2n. */
@inline function wrapCell(c: i32, n: i32): i32 {
  if (c < 0) return c + n;
  if (c >= n) return c - n;
  return c;
}

/**
 * Start a walk from cell c of cell list cl: the cells visited (mode CW_FULL, CW_FULL_CENTRED or
 * CW_HALF, see the file header) are stored in visiting order, read back with cellWalkCell(q) for
 * q < the returned count. The walk buffer is static: one walk at a time.
 */
export function cellWalkBegin(cl: usize, c: i32, mode: i32): i32 {
  const ncx = geti(cl, CL_NCX), ncy = geti(cl, CL_NCY), ncz = geti(cl, CL_NCZ);
  const cx = c % ncx, cy = (c / ncx) % ncy, cz = c / (ncx * ncy);
  let q = 0;
  if (mode == CW_HALF) {
    assert(cellWalkHalfExact(cl), "cellWalkBegin: the half stencil needs reach 1 and at least 3 cells per axis");
    store<i32>(walkCells, c);
    q = 1;
    const dzMax = geti(cl, CL_DIM) == 3 ? 1 : 0;
    for (let dz = 0; dz <= dzMax; dz++) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
      if (dz == 1 || dy == 1 || (dy == 0 && dx == 1)) {
        const xx = wrapCell(cx + dx, ncx), yy = wrapCell(cy + dy, ncy), zz = wrapCell(cz + dz, ncz);
        store<i32>(walkCells + (<usize>q << 2), (zz * ncy + yy) * ncx + xx);
        q++;
      }
    }
    return q;
  }
  const reach = geti(cl, CL_REACH);
  const centred = mode == CW_FULL_CENTRED;
  const nox = axisOffsets(ncx, reach, centred, offX);
  const noy = axisOffsets(ncy, reach, centred, offY);
  const noz = axisOffsets(ncz, reach, centred, offZ);
  for (let a = 0; a < noz; a++) {
    const zz = wrapCell(cz + load<i32>(offZ + (<usize>a << 2)), ncz);
    for (let b = 0; b < noy; b++) {
      const rowBase = (zz * ncy + wrapCell(cy + load<i32>(offY + (<usize>b << 2)), ncy)) * ncx;
      for (let e = 0; e < nox; e++) {
        store<i32>(walkCells + (<usize>q << 2), rowBase + wrapCell(cx + load<i32>(offX + (<usize>e << 2)), ncx));
        q++;
      }
    }
  }
  return q;
}

/** The q-th cell of the current walk (q < the count cellWalkBegin returned). */
@inline export function cellWalkCell(q: i32): i32 {
  return load<i32>(walkCells + (<usize>q << 2));
}

/** True when CW_HALF is exact for cl: reach 1 and at least 3 cells along every axis (x, y in 2D). */
export function cellWalkHalfExact(cl: usize): bool {
  return geti(cl, CL_REACH) == 1 && geti(cl, CL_NCX) >= 3 && geti(cl, CL_NCY) >= 3 && (geti(cl, CL_DIM) == 2 || geti(cl, CL_NCZ) >= 3);
}

/**
 * True when no cell of a full walk from c wraps around the box and every axis has
 * n_a >= 2 (reach + 1) cells: then |x_j - x_i| < (reach + 1) L_a / n_a <= L_a / 2 for every particle
 * j visited, and the raw difference of wrapped positions already is the minimum image (2D: z is 0).
 */
export function cellWalkInterior(cl: usize, c: i32): bool {
  const ncx = geti(cl, CL_NCX), ncy = geti(cl, CL_NCY), ncz = geti(cl, CL_NCZ);
  const reach = geti(cl, CL_REACH);
  const cx = c % ncx, cy = (c / ncx) % ncy, cz = c / (ncx * ncy);
  return axisInterior(cx, ncx, reach) && axisInterior(cy, ncy, reach) && (geti(cl, CL_DIM) == 2 || axisInterior(cz, ncz, reach));
}

/** Cell c of n along an axis reaches its +-reach neighbours without wrapping, and n >= 2 (reach + 1). */
@inline function axisInterior(c: i32, n: i32, reach: i32): bool {
  return n >= 2 * (reach + 1) && c >= reach && c <= n - 1 - reach;
}

/**
 * Stable counting sort of n items by integer key (keys: i32 x n, 0 <= key < nkeys):
 *   start[k] = number of items with key < k   (bin k is slots start[k] .. start[k+1]),
 *   perm[slot] = item index, the items of a bin in increasing index.
 * start must hold nkeys + 2 i32 (the last one is scratch). The counts go to start[k + 2], so that
 * after the prefix sum start[k + 1] is the first slot of bin k and serves as its fill cursor,
 * ending at the first slot of bin k + 1: no second array. The binning step of the cell list
 * (key = cell) and of the spatial order (key = Morton code).
 */
export function countingSort(keys: usize, n: i32, nkeys: i32, start: usize, perm: usize): void {
  memory.fill(start, 0, <usize>(nkeys + 2) << 2);
  for (let i = 0; i < n; i++) {
    const sp = start + (<usize>(load<i32>(keys + (<usize>i << 2)) + 2) << 2);
    store<i32>(sp, load<i32>(sp) + 1);
  }
  for (let k = 2; k <= nkeys; k++) {
    const sp = start + (<usize>k << 2);
    store<i32>(sp, load<i32>(sp) + load<i32>(sp - 4));
  }
  for (let i = 0; i < n; i++) {
    const fp = start + (<usize>(load<i32>(keys + (<usize>i << 2)) + 1) << 2);
    const slot = load<i32>(fp);
    store<i32>(fp, slot + 1);
    store<i32>(perm + (<usize>slot << 2), i);
  }
}
