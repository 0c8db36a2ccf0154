// Brute-force O(N^2) neighbour oracle for the cell-list tests (assembly/neighbors/, src/neighbors/).

import type { System } from '../system/system.js';

/** Brute-force O(N^2) oracle with the same conventions (for tests). */
export function bruteForceNeighbors(sys: System, cutoff: number): { i: number; j: number; r: number; d: number[] }[] {
  const out: { i: number; j: number; r: number; d: number[] }[] = [];
  const D = sys.dim;
  const wrap = (x: number, L: number) => {
    let w = x - L * Math.floor(x / L);
    if (w >= L || w < 0) w = 0;
    return w;
  };
  for (let i = 0; i < sys.n; i++) {
    for (let j = 0; j < sys.n; j++) {
      if (i === j) continue;
      const d = [0, 0, 0];
      let r2 = 0;
      for (let a = 0; a < D; a++) {
        const L = sys.box[a];
        let x = wrap(sys.positions[j * D + a], L) - wrap(sys.positions[i * D + a], L);
        if (x > L / 2) x -= L;
        else if (x < -L / 2) x += L;
        d[a] = x;
        r2 += x * x;
      }
      if (r2 <= cutoff * cutoff) out.push({ i, j, r: Math.sqrt(r2), d });
    }
  }
  return out;
}

/**
 * Oracle of descSpatialOrder (assembly/descriptors/order.ts): the particles sorted by the Morton
 * key of their cell, ties in index order. Cells: n_a = clamp(floor(L_a / side), 1, 2^bits) per
 * axis (bits 7 in 3D, 10 in 2D), c_a = min(n_a - 1, floor(wrap(x_a) n_a / L_a)); key = the bits
 * of c_x, c_y, c_z interleaved (bit b of c_a -> bit dim*b + a).
 */
export function spatialOrderRef(positions: ArrayLike<number>, n: number, dim: 2 | 3, box: readonly number[], side: number): Int32Array {
  const bits = dim === 3 ? 7 : 10;
  const cells = box.slice(0, dim).map((L) => Math.min(1 << bits, Math.max(1, Math.floor(L / side))));
  const wrap = (x: number, L: number) => {
    let w = x - L * Math.floor(x / L);
    if (w >= L || w < 0) w = 0;
    return w;
  };
  const keys = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let a = 0; a < dim; a++) {
      const c = Math.min(cells[a] - 1, Math.trunc(wrap(positions[i * dim + a], box[a]) * (cells[a] / box[a])));
      for (let b = 0; b < bits; b++) if ((c >> b) & 1) k += 2 ** (dim * b + a);
    }
    keys[i] = k;
  }
  return Int32Array.from([...Array(n).keys()].sort((i, j) => keys[i] - keys[j] || i - j));
}
