// Dynamic propensity targets (../shared/spec/descriptors.md, Targets), computed in wasm
// (assembly/targets/propensity.ts).
//
// Given the reference positions x_i(0) (system.positions, as stored) and M isoconfigurational
// runs x_i^m(t) (unwrapped), Delta_i^m = x_i^m(t) - x_i(0):
//   abs       p_i = (1/M) sum_m |Delta_i^m|            (Bapst et al., Nat. Phys. 16, 448 (2020); GlassBench KA)
//   msd       p_i = (1/M) sum_m |Delta_i^m|^2
//   cage_abs  as abs with Delta_i^m - mean_{j in N_i} Delta_j^m, N_i the neighbours of i within
//             1.5 (cageRadius) at time 0 (cage-relative; for 2D systems).
// If every run position lies inside the box (the runs were wrapped), displacements use the
// minimum image and a warning says so.

import { InputError } from '../errors.js';
import type { System } from '../system/system.js';
import { wasm } from '../wasm/runtime.js';

export type PropensityKind = 'abs' | 'msd' | 'cage_abs';
export const PROPENSITY_KINDS: readonly PropensityKind[] = ['abs', 'msd', 'cage_abs'];

export interface PropensityOptions {
  /** Cage radius for cage_abs (default 1.5; at most half the smallest box side). */
  cageRadius?: number;
  /**
   * Minimum-image displacements: 'auto' (default) uses them, with a warning, when every run
   * position lies inside [0, L]; true / false force the choice (no warning).
   */
  minimumImage?: 'auto' | boolean;
  /** Receives warnings (default console.warn). */
  onWarning?: (message: string) => void;
}

/** Runs as M arrays of N*D positions, or one flat array of M*N*D. */
export type RunPositions = readonly Float64Array[] | Float64Array;

function checkRuns(system: System, runs: RunPositions): { m: number; flat: Float64Array | null } {
  const per = system.n * system.dim;
  if (runs instanceof Float64Array) {
    if (runs.length === 0 || runs.length % per !== 0) throw new InputError(`run positions: ${runs.length} values is not a positive multiple of N*D = ${per}`);
    return { m: runs.length / per, flat: runs };
  }
  if (runs.length === 0) throw new InputError('propensity needs at least one run');
  runs.forEach((r, k) => {
    if (r.length !== per) throw new InputError(`run ${k} has ${r.length} values, expected N*D = ${per}`);
  });
  return { m: runs.length, flat: null };
}

function checkKind(kind: string): asserts kind is PropensityKind {
  if (!PROPENSITY_KINDS.includes(kind as PropensityKind)) throw new InputError(`unknown propensity kind "${kind}" (expected abs, msd or cage_abs)`);
}

function checkFinite(a: Float64Array, what: string): void {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new InputError(`${what}: non-finite value ${a[i]} at index ${i}`);
}

/**
 * Per-particle propensity of `kind` from the reference system and its isoconfigurational runs
 * (see the module comment). Returns a new Float64Array of length N.
 */
export function propensity(system: System, runs: RunPositions, kind: PropensityKind, opts: PropensityOptions = {}): Float64Array {
  checkKind(kind);
  const { m, flat } = checkRuns(system, runs);
  const radius = opts.cageRadius ?? 1.5;
  const b = system.box;
  const half = 0.5 * Math.min(...b);
  if (kind === 'cage_abs' && (!(radius > 0) || radius > half)) {
    throw new InputError(`cage radius ${radius} must be positive and at most half the smallest box side (box ${Array.from(b).join(' x ')}, half = ${half})`);
  }
  const w = wasm();
  const e = w.exports;
  const per = system.n * system.dim;
  return w.scoped((scope) => {
    const ref = scope.f64From(system.positions);
    const rb = scope.f64(m * per);
    if (flat) rb.set(flat);
    else (runs as readonly Float64Array[]).forEach((r, k) => rb.set(r, k * per));
    checkFinite(rb.view, 'run positions');
    const lz = system.dim === 3 ? b[2] : 1;
    let minImg: boolean;
    if (opts.minimumImage === undefined || opts.minimumImage === 'auto') {
      minImg = e.propensityRunsInsideBox(rb.ptr, m * system.n, system.dim, b[0], b[1], lz) === 1;
      if (minImg) {
        (opts.onWarning ?? console.warn)(
          `${system.source ? system.source + ': ' : ''}every run position lies inside the box: the runs look wrapped, so displacements use the minimum image (correct only for displacements below half the box)`,
        );
      }
    } else minImg = opts.minimumImage;
    const out = scope.f64(system.n);
    const mi = minImg ? 1 : 0;
    if (kind === 'abs') e.propensityAbs(ref.ptr, rb.ptr, system.n, system.dim, m, b[0], b[1], lz, mi, out.ptr);
    else if (kind === 'msd') e.propensityMsd(ref.ptr, rb.ptr, system.n, system.dim, m, b[0], b[1], lz, mi, out.ptr);
    else e.propensityCageAbs(ref.ptr, rb.ptr, system.n, system.dim, m, b[0], b[1], lz, mi, radius, out.ptr);
    return out.toArray();
  });
}

