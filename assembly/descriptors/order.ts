// Spatial ordering for cache locality: particles sorted along a Morton (Z-order) curve of small
// cells, so that neighbours in space are neighbours in memory. The feature API computes on the
// sorted copy and gathers the rows back into the caller's order (results are the same up to
// the order of floating-point sums).

import { wrapCoord } from "../neighbors/celllist";
import { countingSort } from "../neighbors/cellwalk";

/** Spread the low 10 bits of v: bit b -> bit 3b (3D) or 2b (2D). */
// @ts-ignore: decorator
@inline function spread(v: u32, dim: i32): u32 {
  let r: u32 = 0;
  for (let b: u32 = 0; b < 10; b++) r |= ((v >> b) & 1) << (b * <u32>dim);
  return r;
}

/**
 * perm[k] = index of the k-th particle along the Morton curve of cells of side >= side
 * (at most 2^bits cells per axis: 7 bits in 3D, 10 in 2D); ties keep index order (stable).
 * pos: n x dim f64 (may be unwrapped).
 */
export function descSpatialOrder(pos: usize, n: i32, dim: i32, lx: f64, ly: f64, lz: f64, side: f64, perm: usize): void {
  const bits = dim == 3 ? 7 : 10;
  const cmax = 1 << bits;
  const ncx = min<i32>(cmax, max<i32>(1, <i32>Math.floor(lx / side)));
  const ncy = min<i32>(cmax, max<i32>(1, <i32>Math.floor(ly / side)));
  const ncz = dim == 3 ? min<i32>(cmax, max<i32>(1, <i32>Math.floor(lz / side))) : 1;
  // keys only as wide as the cell counts need (a cell coordinate < 2^used, so every key <
  // 2^(used dim)): 4096 keys for N = 4096 in 3D instead of 2^21, whose counts array (8 MB, zeroed
  // and scanned) cost ~5 ms a call; a stable counting sort gives the same perm for any bound
  const cmaxUsed = max<i32>(ncx, max<i32>(ncy, ncz)) - 1;
  const used = cmaxUsed > 0 ? 32 - <i32>clz<u32>(<u32>cmaxUsed) : 0;
  const nkeys = 1 << (used * dim);
  const count = heap.alloc(<usize>(nkeys + 2) << 2);
  const key = heap.alloc(<usize>n << 2);
  for (let i = 0; i < n; i++) {
    const p = pos + (<usize>(i * dim) << 3);
    const cx = min<i32>(ncx - 1, <i32>(wrapCoord(load<f64>(p), lx) * (<f64>ncx / lx)));
    const cy = min<i32>(ncy - 1, <i32>(wrapCoord(load<f64>(p, 8), ly) * (<f64>ncy / ly)));
    let k = spread(<u32>cx, dim) | (spread(<u32>cy, dim) << 1);
    if (dim == 3) {
      const cz = min<i32>(ncz - 1, <i32>(wrapCoord(load<f64>(p, 16), lz) * (<f64>ncz / lz)));
      k |= spread(<u32>cz, dim) << 2;
    }
    store<u32>(key + (<usize>i << 2), k);
  }
  countingSort(key, n, nkeys, count, perm);
  heap.free(key);
  heap.free(count);
}

/** dst[r*ldd + c] = src[idx[r]*lds + c] for r < rows, c < cols (f64 rows gathered by index). */
export function descGatherRows(src: usize, lds: i32, idx: usize, rows: i32, dst: usize, ldd: i32, cols: i32): void {
  const bytes = <usize>cols << 3;
  for (let r = 0; r < rows; r++) {
    const s = load<i32>(idx + (<usize>r << 2));
    memory.copy(dst + ((<usize>r * <usize>ldd) << 3), src + ((<usize>s * <usize>lds) << 3), bytes);
  }
}

/** dst[r] = src[idx[r]] (i32), and inv[idx[r]] = r when inv != 0. */
export function descGatherI32(src: usize, idx: usize, rows: i32, dst: usize, inv: usize): void {
  for (let r = 0; r < rows; r++) {
    const s = load<i32>(idx + (<usize>r << 2));
    store<i32>(dst + (<usize>r << 2), load<i32>(src + (<usize>s << 2)));
    if (inv) store<i32>(inv + (<usize>s << 2), r);
  }
}
