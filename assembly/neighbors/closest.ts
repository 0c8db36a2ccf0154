// The closest pair relative to its diameter, for the plausibility check that runs before any
// work (src/workflow/plausibility.ts: a wrong box, preset or unit puts pairs far inside each
// other's core).
//
//   best = min over pairs (i, j), j > i, r_ij < limit sigma_{s_i s_j}, of r_ij / sigma_{s_i s_j}
//
// on a full neighbour list (each pair is seen from both ends; j > i keeps one), rows in
// increasing i and each row in its list order: the first pair reaching the minimum is kept.

import {
  neighborListFirst, neighborListRows, neighborListOffsets, neighborListJ, neighborListR,
} from "./celllist";

/**
 * Scan list nl (rows i0..i0+rows) for the closest pair below `limit` diameters. species: i32 x n;
 * sigma: f64 S x S. out (f64 x 4, kept across calls: pass the previous best or ratio = +inf):
 * [ratio, r, i, j]. Returns 1 when out was improved.
 */
export function nlClosestPair(nl: usize, species: usize, S: i32, sigma: usize, limit: f64, out: usize): i32 {
  const i0 = neighborListFirst(nl), rows = neighborListRows(nl);
  const off = neighborListOffsets(nl), pj = neighborListJ(nl), pr = neighborListR(nl);
  let best = load<f64>(out);
  let found = 0;
  for (let q = 0; q < rows; q++) {
    const i = i0 + q;
    const si = load<i32>(species + (<usize>i << 2)) * S;
    const a = load<i32>(off + (<usize>q << 2)), b = load<i32>(off + (<usize>(q + 1) << 2));
    for (let p = a; p < b; p++) {
      const j = load<i32>(pj + (<usize>p << 2));
      if (j <= i) continue;
      const s = load<f64>(sigma + (<usize>(si + load<i32>(species + (<usize>j << 2))) << 3));
      const r = load<f64>(pr + (<usize>p << 3));
      if (r < limit * s && r / s < best) {
        best = r / s;
        store<f64>(out, best);
        store<f64>(out, r, 8);
        store<f64>(out, <f64>i, 16);
        store<f64>(out, <f64>j, 24);
        found = 1;
      }
    }
  }
  return found;
}
