// Family E: per-particle pair energy (../shared/spec/descriptors.md, "Family E").
//
//   e_i = 1/2 sum_{j != i} V_{s_i s_j}(r_ij)
//
// V is the one pair form of assembly/potential/pair.ts (KA3D, KA2D presets, user LJ tables;
// V = 0 for r >= rc_ab, strict). Its coarse-grained mean e(L) and variance evar(L) come from the
// coarse-graining kernel (coarsegrain.ts) through packing.ts.

import {
  neighborListFirst, neighborListRows, neighborListOffsets, neighborListJ, neighborListR,
} from "../neighbors/celllist";
import { pairEnergy, pairEntry } from "../potential/pair";

/**
 * out[i] = e_i for the rows of neighbour list `nl` (its cutoff must be >= the largest pair
 * cutoff of the table). species: i32 x N; table: S x S entries of assembly/potential/pair.ts.
 */
export function descEnergy(nl: usize, species: usize, table: usize, S: i32, out: usize): void {
  const i0 = neighborListFirst(nl), rows = neighborListRows(nl);
  const off = neighborListOffsets(nl), pj = neighborListJ(nl), pr = neighborListR(nl);
  for (let q = 0; q < rows; q++) {
    const i = i0 + q;
    const si = load<i32>(species + (<usize>i << 2));
    let e: f64 = 0.0;
    const a = load<i32>(off + (<usize>q << 2)), b = load<i32>(off + (<usize>(q + 1) << 2));
    for (let p = a; p < b; p++) {
      const j = load<i32>(pj + (<usize>p << 2));
      const sj = load<i32>(species + (<usize>j << 2));
      e += pairEnergy(pairEntry(table, S, si, sj), load<f64>(pr + (<usize>p << 3)));
    }
    store<f64>(out + (<usize>i << 3), 0.5 * e);
  }
}
