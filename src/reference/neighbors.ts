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
