// A feature matrix is always paired with its names (and per-column metadata), as in partycls.

export type Family = 'R' | 'A' | 'P' | 'E' | 'X';

/** What a column means; enough to group, plot and interpret coefficients. */
export interface FeatureMeta {
  name: string;
  /** R radial, A angular, P packing/composition, E energy, X anything else (e.g. dIS). */
  family: Family;
  /** Coarse-graining level (0 = plain; CG1: 1, CG2: 2); 0 for P and E. */
  level: number;
  /** R: the neighbour species; x[..]: the composition species. */
  species?: string;
  /** Shell centre d (R, A). */
  d?: number;
  /** Angular order l (A). */
  l?: number;
  /** Scale L (P, E coarse-grained). */
  L?: number;
  /** Quantity within the family: 'R', 'A', 'rho', 'phi', 'x', 'e', 'evar', or another. */
  kind: string;
  /** Structure the column was computed on: '' thermal, 'IS:' inherent. */
  structure?: string;
}

/** N x p row-major values with their names; rows are particles. */
export interface FeatureMatrix {
  n: number;
  p: number;
  values: Float64Array;
  names: string[];
  meta: FeatureMeta[];
}
