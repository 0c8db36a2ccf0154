// Pair potentials: the spec's presets (KA3D, KA2D) and user LJ tables, flattened into the one
// form the kernels evaluate (assembly/potential/pair.ts):
//   V_ab(r) = 4 eps [ (s/r)^12 - (s/r)^6 + c0 + c2 (r/s)^2 + c4 (r/s)^4 ]  for r < rc_ab, else 0.

import { InputError } from '../errors.js';
import { wasm } from '../wasm/runtime.js';

export interface PairParams {
  eps: number;
  sigma: number;
  /** Cutoff in absolute length units. */
  cutoff: number;
  c0: number;
  c2: number;
  c4: number;
}

export interface PairPotential {
  /** Preset name, or 'table' for a user table. */
  name: string;
  /** Species names in index order (presets attach parameters to indices in this order). */
  species: string[];
  /** Diameters per species (for the packing fraction phi). */
  diameters: number[];
  /** S x S symmetric parameters. */
  pairs: PairParams[][];
}

function ljShift(sigma: number, cutoff: number): number {
  const x = sigma / cutoff;
  const x2 = x * x;
  const x6 = x2 * x2 * x2;
  return -(x6 * x6 - x6);
}

/** Kob-Andersen 80:20 (3D), truncated and shifted at 2.5 sigma_ab. */
export function ka3d(): PairPotential {
  const eps = [[1, 1.5], [1.5, 0.5]];
  const sig = [[1, 0.8], [0.8, 0.88]];
  const pairs = eps.map((row, a) =>
    row.map((e, b) => ({ eps: e, sigma: sig[a][b], cutoff: 2.5 * sig[a][b], c0: ljShift(sig[a][b], 2.5 * sig[a][b]), c2: 0, c4: 0 })),
  );
  return { name: 'KA3D', species: ['A', 'B'], diameters: [1.0, 0.88], pairs };
}

/** Ternary 2D Kob-Andersen (Jung, Biroli, Berthier), smoothed at 2.5 sigma_ab. */
export function ka2d(): PairPotential {
  const C0 = 0.04049023795, C2 = -0.00970155098, C4 = 0.00062012616;
  // species 1, 2, 3 = A, B, C
  const eps = [[1, 1.5, 0.75], [1.5, 0.5, 1.5], [0.75, 1.5, 0.75]];
  const sig = [[1, 0.8, 0.9], [0.8, 0.88, 0.8], [0.9, 0.8, 0.94]];
  const pairs = eps.map((row, a) => row.map((e, b) => ({ eps: e, sigma: sig[a][b], cutoff: 2.5 * sig[a][b], c0: C0, c2: C2, c4: C4 })));
  return { name: 'KA2D', species: ['1', '2', '3'], diameters: [1.0, 0.88, 0.94], pairs };
}

export const PRESETS: Record<string, () => PairPotential> = { KA3D: ka3d, KA2D: ka2d };

export function preset(name: string): PairPotential {
  const f = PRESETS[name.toUpperCase()];
  if (!f) throw new InputError(`unknown potential preset "${name}" (expected one of ${Object.keys(PRESETS).join(', ')})`);
  return f();
}

export interface LJTableEntry {
  a: string;
  b: string;
  eps: number;
  sigma: number;
  /** Cutoff in units of sigma (default 2.5). */
  cutoff?: number;
  /** Shift V to zero at the cutoff (default true). */
  shift?: boolean;
}

/** A user LJ table over the given species (every unordered pair must be given once). */
export function ljTable(species: string[], entries: LJTableEntry[], diameters?: number[]): PairPotential {
  const S = species.length;
  const idx = new Map(species.map((s, k) => [s, k] as const));
  const pairs: (PairParams | null)[][] = species.map(() => species.map(() => null));
  for (const e of entries) {
    const a = idx.get(e.a), b = idx.get(e.b);
    if (a === undefined || b === undefined) {
      throw new InputError(`pair table names species "${a === undefined ? e.a : e.b}" which is not among the system's species [${species.join(', ')}]`);
    }
    if (!(e.eps >= 0) || !(e.sigma > 0)) throw new InputError(`pair table entry ${e.a}-${e.b}: eps must be >= 0 and sigma > 0`);
    const rc = (e.cutoff ?? 2.5) * e.sigma;
    const p = { eps: e.eps, sigma: e.sigma, cutoff: rc, c0: e.shift === false ? 0 : ljShift(e.sigma, rc), c2: 0, c4: 0 };
    pairs[a][b] = p;
    pairs[b][a] = p;
  }
  for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) {
    if (!pairs[a][b]) throw new InputError(`pair table has no entry for species pair ${species[a]}-${species[b]}`);
  }
  return { name: 'table', species: [...species], diameters: diameters ?? species.map(() => 1), pairs: pairs as PairParams[][] };
}

/** Flatten to the kernels' table: S*S entries of (eps, sigma, cutoff, c0, c2, c4). */
export function flattenPotential(p: PairPotential): Float64Array {
  const S = p.species.length;
  const PAIR_STRIDE = wasm().layout.PAIR_STRIDE; // f64 per (a, b) entry, from the module (assembly/potential/pair.ts)
  const t = new Float64Array(S * S * PAIR_STRIDE);
  for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) {
    const q = p.pairs[a][b];
    t.set([q.eps, q.sigma, q.cutoff, q.c0, q.c2, q.c4], (a * S + b) * PAIR_STRIDE);
  }
  return t;
}

/** Largest pair cutoff (the neighbour cutoff energy and forces need). */
export function maxPairCutoff(p: PairPotential): number {
  let m = 0;
  for (const row of p.pairs) for (const q of row) m = Math.max(m, q.cutoff);
  return m;
}

/** Plain TS reference of V_ab(r) (for differential tests of the kernels). */
export function pairEnergyRef(q: PairParams, r: number): number {
  if (r >= q.cutoff) return 0;
  const ir = q.sigma / r, ir2 = ir * ir, ir6 = ir2 * ir2 * ir2;
  const x2 = (r / q.sigma) * (r / q.sigma);
  return 4 * q.eps * (ir6 * ir6 - ir6 + q.c0 + q.c2 * x2 + q.c4 * x2 * x2);
}
