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
// Query: for particle i, the distinct neighbour cells are the products of the per-axis offset
// sets {-1,0,+1} taken modulo n_a and deduplicated ({0} when n_a = 1, {0,1} when n_a = 2),
// so a box with fewer than 3 cells per side never visits a cell twice (no double counting).
//
// A NeighborList holds CSR rows for a contiguous range of particles [i0, i1):
//   offsets[i - i0] .. offsets[i - i0 + 1] -> j, r, d (3 f64 per pair; z = 0 in 2D).
// Large systems are walked in chunks of particles, so the whole pair list never has to sit in
// memory at once. Within a row, neighbours come in cell-scan order (deterministic).

// ---- layout of the CellList header (raw memory, 8-byte fields) ----
// 0 n | 8 dim | 16 lx | 24 ly | 32 lz | 40 cellSide | 48 ncx | 56 ncy | 64 ncz
// 72 cellStart ptr (i32 x ncell+1) | 80 order ptr (i32 x n) | 88 sortedPos ptr (f64 x 3n)
// 96 pos ptr (f64 x 3n, wrapped, particle order) | 104 cellOf ptr (i32 x n) | 112 slotOf ptr (i32 x n)
const CL_N: usize = 0;
const CL_DIM: usize = 8;
const CL_LX: usize = 16;
const CL_LY: usize = 24;
const CL_LZ: usize = 32;
const CL_SIDE: usize = 40;
const CL_NCX: usize = 48;
const CL_NCY: usize = 56;
const CL_NCZ: usize = 64;
const CL_START: usize = 72;
const CL_ORDER: usize = 80;
const CL_SPOS: usize = 88;
const CL_POS: usize = 96;
const CL_CELLOF: usize = 104;
const CL_SLOT: usize = 112;
const CL_REACH: usize = 120;
const CL_SIZE: usize = 128;

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

@inline function geti(h: usize, f: usize): i32 { return <i32>load<i64>(h + f); }
@inline function seti(h: usize, f: usize, v: i32): void { store<i64>(h + f, <i64>v); }
@inline function getf(h: usize, f: usize): f64 { return load<f64>(h + f); }
@inline function setf(h: usize, f: usize, v: f64): void { store<f64>(h + f, v); }
@inline function getp(h: usize, f: usize): usize { return <usize>load<i64>(h + f); }
@inline function setp(h: usize, f: usize, v: usize): void { store<i64>(h + f, <i64>v); }

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
  assert(reach >= 1 && reach <= 4, "cellListCreate: reach must be 1..4");
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
  const start = heap.alloc(<usize>(ncell + 1) << 2);
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
  memory.fill(start, 0, <usize>(ncell + 1) << 2);
  const fx = <f64>ncx / lx, fy = <f64>ncy / ly, fz = <f64>ncz / lz;
  // wrap, bin and count: cellOf[i] = cell index; start[c+1] += 1
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
    const c = (cz * ncy + cy) * ncx + cx;
    store<i32>(cellOf + (<usize>i << 2), c);
    const sp = start + (<usize>(c + 1) << 2);
    store<i32>(sp, load<i32>(sp) + 1);
  }
  // prefix sum: start[c] = first slot of cell c
  for (let c = 0; c < ncell; c++) {
    const sp = start + (<usize>(c + 1) << 2);
    store<i32>(sp, load<i32>(sp) + load<i32>(sp - 4));
  }
  // scatter (stable: particles of a cell in increasing index). Use order as a fill cursor first.
  const fill = heap.alloc(<usize>ncell << 2);
  memory.copy(fill, start, <usize>ncell << 2);
  for (let i = 0; i < n; i++) {
    const c = load<i32>(cellOf + (<usize>i << 2));
    const fp = fill + (<usize>c << 2);
    const slot = load<i32>(fp);
    store<i32>(fp, slot + 1);
    store<i32>(order + (<usize>slot << 2), i);
    store<i32>(slotOf + (<usize>i << 2), slot);
    memory.copy(spos + <usize>slot * 24, pos + <usize>i * 24, 24);
  }
  heap.free(fill);
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

// Scratch for the per-axis distinct offsets (at most 3 per axis).
const offX = memory.data(40);
const offY = memory.data(40);
const offZ = memory.data(40);

@inline function axisOffsets(nc: i32, reach: i32, out: usize): i32 {
  // the distinct values of {-reach..reach} modulo nc, as offsets in -reach..reach
  if (2 * reach + 1 >= nc) {
    // every cell of the axis, once: offsets 0..nc-1
    for (let k = 0; k < nc; k++) store<i32>(out + (<usize>k << 2), k);
    return nc;
  }
  for (let k = -reach; k <= reach; k++) store<i32>(out + (<usize>(k + reach) << 2), k);
  return 2 * reach + 1;
}

/**
 * Cell c of n along an axis reaches its +-reach neighbours without wrapping, and
 * n >= 2 (reach + 1), so |x_j - x_i| < (reach + 1) L/n <= L/2 for the cells visited.
 */
@inline function axisInterior(c: i32, n: i32, reach: i32): bool {
  return n >= 2 * (reach + 1) && c >= reach && c <= n - 1 - reach;
}

/** Append pair (j, r = sqrt(r2), d) at index `count` of the list arrays. */
@inline function storePair(pj: usize, pr: usize, pd: usize, count: i32, j: i32, r2: f64, dx: f64, dy: f64, dz: f64): void {
  store<i32>(pj + (<usize>count << 2), j);
  store<f64>(pr + (<usize>count << 3), Math.sqrt(r2));
  const q = pd + <usize>count * 24;
  store<f64>(q, dx);
  store<f64>(q, dy, 8);
  store<f64>(q, dz, 16);
}

/** Create an empty neighbour list (grows as needed; reuse it across chunks and calls). */
export function neighborListCreate(): usize {
  const h = heap.alloc(NL_SIZE);
  memory.fill(h, 0, NL_SIZE);
  const cap = 1024;
  setp(h, NL_J, heap.alloc(<usize>cap << 2));
  setp(h, NL_R, heap.alloc(<usize>cap << 3));
  setp(h, NL_D, heap.alloc(<usize>cap * 24));
  seti(h, NL_CAP, cap);
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
  setp(h, NL_J, heap.realloc(getp(h, NL_J), <usize>cap << 2));
  setp(h, NL_R, heap.realloc(getp(h, NL_R), <usize>cap << 3));
  setp(h, NL_D, heap.realloc(getp(h, NL_D), <usize>cap * 24));
  seti(h, NL_CAP, cap);
}

/**
 * Fill `nl` with the neighbours within `cutoff` (inclusive) of particles i0 <= i < i1.
 * half != 0 keeps each unordered pair once (j after i in the cell ordering, not j > i).
 * cutoff must not exceed the cell side.
 * Returns the number of pairs stored.
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
  const ncx = geti(cl, CL_NCX), ncy = geti(cl, CL_NCY), ncz = geti(cl, CL_NCZ);
  const reach = geti(cl, CL_REACH);
  const nox = axisOffsets(ncx, reach, offX), noy = axisOffsets(ncy, reach, offY), noz = axisOffsets(ncz, reach, offZ);
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
  if (expect < 2.0e8 && <i32>expect > geti(nl, NL_CAP)) {
    // nothing to keep: free and allocate (a realloc would copy the old arrays)
    let ncap = <i32>expect;
    heap.free(getp(nl, NL_J)); heap.free(getp(nl, NL_R)); heap.free(getp(nl, NL_D));
    setp(nl, NL_J, heap.alloc(<usize>ncap << 2));
    setp(nl, NL_R, heap.alloc(<usize>ncap << 3));
    setp(nl, NL_D, heap.alloc(<usize>ncap * 24));
    seti(nl, NL_CAP, ncap);
  }
  let cap = geti(nl, NL_CAP);
  let pj = getp(nl, NL_J), pr = getp(nl, NL_R), pd = getp(nl, NL_D);
  for (let i = i0; i < i1; i++) {
    store<i32>(off + (<usize>(i - i0) << 2), count);
    const pi = pos + <usize>i * 24;
    const xi = load<f64>(pi), yi = load<f64>(pi, 8), zi = load<f64>(pi, 16);
    const c = load<i32>(cellOf + (<usize>i << 2));
    const cx = c % ncx, cy = (c / ncx) % ncy, cz = c / (ncx * ncy);
    const si = load<i32>(slotOf + (<usize>i << 2));
    // interior: no visited cell wraps around the box on any axis, and n_a >= 2 (reach + 1) so
    // that |x_j - x_i| < L/2: the raw difference is the minimum image (2D: z is 0)
    const interior = axisInterior(cx, ncx, reach) && axisInterior(cy, ncy, reach) && (dim == 2 || axisInterior(cz, ncz, reach));
    for (let a = 0; a < noz; a++) {
      let zz = cz + load<i32>(offZ + (<usize>a << 2)); if (zz < 0) zz += ncz; else if (zz >= ncz) zz -= ncz;
      for (let b = 0; b < noy; b++) {
        let yy = cy + load<i32>(offY + (<usize>b << 2)); if (yy < 0) yy += ncy; else if (yy >= ncy) yy -= ncy;
        const rowBase = (zz * ncy + yy) * ncx;
        for (let e = 0; e < nox; e++) {
          let xx = cx + load<i32>(offX + (<usize>e << 2)); if (xx < 0) xx += ncx; else if (xx >= ncx) xx -= ncx;
          const cc = rowBase + xx;
          const s0 = load<i32>(start + (<usize>cc << 2));
          const s1 = load<i32>(start + (<usize>(cc + 1) << 2));
          if (count + (s1 - s0) > cap) {
            seti(nl, NL_COUNT, count);
            nlReserve(nl, count + (s1 - s0));
            cap = geti(nl, NL_CAP);
            pj = getp(nl, NL_J); pr = getp(nl, NL_R); pd = getp(nl, NL_D);
          }
          // for slot s in cell cc: d = minImage(x_s - x_i); keep if s != slot(i) (half: s > slot(i))
          // and |d|^2 <= c^2. In an interior cell the raw difference already is the minimum image.
          if (interior) {
            for (let s = s0; s < s1; s++) {
              if (half ? s <= si : s == si) continue;
              const ps = spos + <usize>s * 24;
              const dx = load<f64>(ps) - xi;
              const dy = load<f64>(ps, 8) - yi;
              const dz = load<f64>(ps, 16) - zi;
              const r2 = dx * dx + dy * dy + dz * dz;
              if (r2 <= c2) { storePair(pj, pr, pd, count, load<i32>(order + (<usize>s << 2)), r2, dx, dy, dz); count++; }
            }
          } else {
            for (let s = s0; s < s1; s++) {
              if (half ? s <= si : s == si) continue;
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
    }
  }
  store<i32>(off + (<usize>rows << 2), count);
  seti(nl, NL_COUNT, count);
  return count;
}

/**
 * Count pairs within `cutoff` without storing them (each unordered pair once).
 * The streaming path for very large systems.
 */
export function neighborCountPairs(cl: usize, cutoff: f64): f64 {
  assert(cutoff > 0 && cutoff <= getf(cl, CL_SIDE), "neighborCountPairs: cutoff exceeds the cell list's cell side");
  const n = geti(cl, CL_N);
  const lx = getf(cl, CL_LX), ly = getf(cl, CL_LY), lz = getf(cl, CL_LZ);
  const hx = 0.5 * lx, hy = 0.5 * ly, hz = 0.5 * lz;
  const ncx = geti(cl, CL_NCX), ncy = geti(cl, CL_NCY), ncz = geti(cl, CL_NCZ);
  const reach = geti(cl, CL_REACH);
  const nox = axisOffsets(ncx, reach, offX), noy = axisOffsets(ncy, reach, offY), noz = axisOffsets(ncz, reach, offZ);
  const start = getp(cl, CL_START), order = getp(cl, CL_ORDER), spos = getp(cl, CL_SPOS);
  const c2 = cutoff * cutoff;
  let total: f64 = 0;
  // walk cells in order; particle slots are contiguous within a cell
  for (let cz = 0; cz < ncz; cz++) for (let cy = 0; cy < ncy; cy++) for (let cx = 0; cx < ncx; cx++) {
    const c = (cz * ncy + cy) * ncx + cx;
    const a0 = load<i32>(start + (<usize>c << 2)), a1 = load<i32>(start + (<usize>(c + 1) << 2));
    for (let sa = a0; sa < a1; sa++) {
      const pa = spos + <usize>sa * 24;
      const xi = load<f64>(pa), yi = load<f64>(pa, 8), zi = load<f64>(pa, 16);
      let cnt = 0;
      for (let a = 0; a < noz; a++) {
        let zz = cz + load<i32>(offZ + (<usize>a << 2)); if (zz < 0) zz += ncz; else if (zz >= ncz) zz -= ncz;
        for (let b = 0; b < noy; b++) {
          let yy = cy + load<i32>(offY + (<usize>b << 2)); if (yy < 0) yy += ncy; else if (yy >= ncy) yy -= ncy;
          const rowBase = (zz * ncy + yy) * ncx;
          for (let e = 0; e < nox; e++) {
            let xx = cx + load<i32>(offX + (<usize>e << 2)); if (xx < 0) xx += ncx; else if (xx >= ncx) xx -= ncx;
            const cc = rowBase + xx;
            const s1 = load<i32>(start + (<usize>(cc + 1) << 2));
            for (let s = load<i32>(start + (<usize>cc << 2)); s < s1; s++) {
              if (s <= sa) continue;
              const ps = spos + <usize>s * 24;
              const dx = minImage(load<f64>(ps) - xi, lx, hx);
              const dy = minImage(load<f64>(ps, 8) - yi, ly, hy);
              const dz = minImage(load<f64>(ps, 16) - zi, lz, hz);
              if (dx * dx + dy * dy + dz * dz <= c2) cnt++;
            }
          }
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

// ---- raw CSR access for kernels that walk the cells themselves (e.g. the minimiser's Verlet list) ----
/** Address of the cell starts (i32 x ncell+1): slots of cell c are start[c] .. start[c+1]. */
export function cellListStartPtr(h: usize): usize { return getp(h, CL_START); }
/** Address of the particle index of each slot (i32 x n, cell order). */
export function cellListOrderPtr(h: usize): usize { return getp(h, CL_ORDER); }
/** Address of the cell index of each particle (i32 x n, particle order; cell = (cz*ncy + cy)*ncx + cx). */
export function cellListCellOfPtr(h: usize): usize { return getp(h, CL_CELLOF); }
