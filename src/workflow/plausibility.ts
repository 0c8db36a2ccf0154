// Plausibility of a configuration before any work (issue 11): a wrong --box, a wrong preset or
// a file in other units gives numbers that look fine and mean nothing (a box 4% too small put
// pairs at 0.1 sigma: per-particle energies of 6e8). Checked, in order:
//   1. with a potential: the closest pair (minimum image) against the pair's sigma_ab: a pair
//      closer than CLOSE_FRACTION * sigma_ab is an error (LJ energy > 1e3 eps for that pair);
//   2. with a preset and N >= DENSITY_MIN_N: the number density N / V against the preset's
//      (KA3D, KA2D: 1.2) within a factor DENSITY_FACTOR (tiny synthetic test systems are exempt);
//   3. always (unit-free, needs N >= 32): the largest empty slab along an axis of the wrapped
//      positions; more than EMPTY_SLAB of the box side means the box is too large for the data;
//   4. for formats known to store wrapped positions (LAMMPS dumps without image flags or
//      unwrapped columns): a position more than WRAP_SLACK box sides outside the box.
// Each failure is an InputError naming the configuration, what is off, and the figures.
// Browser-safe (functions of a System; the closest pair runs in the kernels).

import { InputError } from '../errors.js';
import { resolvePotential } from '../minimize/minimize.js';
import { preset as presetPotential, type PairPotential } from '../potential/potentials.js';
import type { System } from '../system/system.js';
import { NeighborQuery } from '../neighbors/neighbors.js';
import { wasm } from '../wasm/runtime.js';

export const CLOSE_FRACTION = 0.6;
export const DENSITY_FACTOR = 2.5;
export const DENSITY_MIN_N = 200;
export const EMPTY_SLAB = 0.25;
export const WRAP_SLACK = 0.5;
/** Number densities of the presets (the BOTAN / GlassBench KA systems). */
export const PRESET_DENSITY: Record<string, number> = { KA3D: 1.2, KA2D: 1.2 };

export interface PlausibilityOptions {
  /** Name for messages (file, frame). */
  name?: string;
  /** A preset name or pair potential: enables the closest-pair and (presets) density checks. */
  potential?: string | PairPotential;
  /** The positions are stored wrapped into the box (enables check 4). */
  wrapped?: boolean;
}

const fmt = (x: number) => (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(3) : Number(x.toPrecision(4)).toString());

/**
 * Closest pair relative to sigma_ab: { ratio, i, j, r } of the pair (i < j) with the smallest
 * r / sigma_ab below `limit`, or null. Minimum image. On the neighbour lists at
 * limit * max sigma (the kernel nlClosestPair, assembly/neighbors/closest.ts) when that fits in
 * half the box; in a box smaller than that (a wrong --box, or a toy system), over all pairs.
 */
export function closestPair(sys: System, sigma: (a: number, b: number) => number, species: Int32Array, limit: number): { ratio: number; i: number; j: number; r: number } | null {
  const { n, dim, box } = sys;
  let S = 1;
  for (let i = 0; i < n; i++) if (species[i] >= S) S = species[i] + 1;
  const sig = new Float64Array(S * S);
  let maxSigma = 0;
  for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) maxSigma = Math.max(maxSigma, (sig[a * S + b] = sigma(a, b)));
  const rc = limit * maxSigma;
  if (!(rc > 0) || n < 2) return null;
  if (rc > 0.5 * Math.min(...box)) return closestPairAll(sys, sig, S, species, limit);
  const w = wasm();
  return w.scoped((sc) => {
    const q = new NeighborQuery(sys, rc);
    try {
      const sp = sc.i32From(species), sg = sc.f64From(sig), out = sc.f64From([Infinity, 0, 0, 0]);
      let vol = 1;
      for (const L of box) vol *= L;
      const perRow = (n / vol) * (dim === 3 ? (4 / 3) * Math.PI * rc ** 3 : Math.PI * rc ** 2);
      const rows = Math.max(64, Math.floor((1 << 16) / Math.max(1, perRow)));
      for (let i0 = 0; i0 < n; i0 += rows) w.exports.nlClosestPair(q.buildHandle(i0, Math.min(n, i0 + rows)), sp.ptr, S, sg.ptr, limit, out.ptr);
      const [ratio, r, i, j] = out.toArray();
      return ratio < Infinity ? { ratio, i, j, r } : null;
    } finally {
      q.free();
    }
  });
}

/** closestPair over all pairs (boxes narrower than twice the search radius: every image distance is the minimum image's). */
function closestPairAll(sys: System, sig: Float64Array, S: number, species: Int32Array, limit: number): { ratio: number; i: number; j: number; r: number } | null {
  const { n, dim, box, positions: x } = sys;
  let best: { ratio: number; i: number; j: number; r: number } | null = null;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let r2 = 0;
      for (let a = 0; a < dim; a++) {
        let d = x[i * dim + a] - x[j * dim + a];
        d -= box[a] * Math.round(d / box[a]);
        r2 += d * d;
      }
      const s = sig[species[i] * S + species[j]];
      const r = Math.sqrt(r2);
      if (r < limit * s && (!best || r / s < best.ratio)) best = { ratio: r / s, i, j, r };
    }
  }
  return best;
}

/** Throw an InputError when the configuration is implausible (see the module comment). */
export function checkPlausible(sys: System, opts: PlausibilityOptions = {}): void {
  const name = opts.name ?? sys.source ?? 'configuration';
  const boxText = Array.from(sys.box).map(fmt).join(' x ');
  const hint = 'check --box / --density (or the box stored in the file), the preset, and the length units';
  // 4. wrapped formats: positions far outside the box
  if (opts.wrapped) {
    for (let i = 0; i < sys.n; i++) {
      for (let a = 0; a < sys.dim; a++) {
        const x = sys.positions[i * sys.dim + a];
        const L = sys.box[a];
        if (x < -WRAP_SLACK * L || x > (1 + WRAP_SLACK) * L) {
          throw new InputError(`${name}: particle ${i} has ${'xyz'[a]} = ${fmt(x)}, far outside the box (${boxText}) of a file that stores wrapped positions: ${hint}`);
        }
      }
    }
  }
  // 3. an empty slab: the box is too large for the positions
  if (sys.n >= 32) {
    for (let a = 0; a < sys.dim; a++) {
      const L = sys.box[a];
      const xs = new Float64Array(sys.n);
      for (let i = 0; i < sys.n; i++) {
        let x = sys.positions[i * sys.dim + a] % L;
        if (x < 0) x += L;
        xs[i] = x;
      }
      xs.sort();
      let gap = xs[0] + L - xs[sys.n - 1];
      for (let i = 1; i < sys.n; i++) gap = Math.max(gap, xs[i] - xs[i - 1]);
      if (gap > EMPTY_SLAB * L) {
        throw new InputError(`${name}: no particle in a slab ${fmt(gap)} wide along ${'xyz'[a]} (box ${boxText}): the box is too large for these positions; ${hint}`);
      }
    }
  }
  if (opts.potential === undefined) return;
  let pot: PairPotential;
  let species: Int32Array;
  try {
    pot = typeof opts.potential === 'string' ? presetPotential(opts.potential) : opts.potential;
    species = resolvePotential(sys, pot).species;
  } catch {
    return; // species that do not match the potential: reported by the step that needs them
  }
  // 2. density against the preset's
  const rho0 = PRESET_DENSITY[pot.name];
  if (rho0 !== undefined && sys.n >= DENSITY_MIN_N) {
    const rho = sys.n / Array.from(sys.box).reduce((p, q) => p * q, 1);
    if (rho > rho0 * DENSITY_FACTOR || rho < rho0 / DENSITY_FACTOR) {
      throw new InputError(`${name}: number density ${fmt(rho)} (N = ${sys.n}, box ${boxText}) is far from the ${pot.name} preset's ${rho0} (accepted: ${fmt(rho0 / DENSITY_FACTOR)} to ${fmt(rho0 * DENSITY_FACTOR)}): ${hint}`);
    }
  }
  // 1. closest pair against the species' diameters
  const bad = closestPair(sys, (a, b) => pot.pairs[a][b].sigma, species, CLOSE_FRACTION);
  if (bad) {
    const la = pot.species[species[bad.i]], lb = pot.species[species[bad.j]];
    const s = pot.pairs[species[bad.i]][species[bad.j]].sigma;
    throw new InputError(
      `${name}: particles ${bad.i} (${la}) and ${bad.j} (${lb}) are ${fmt(bad.r)} apart, ${fmt(bad.ratio)} of their diameter sigma_${la}${lb} = ${s} ` +
        `(below ${CLOSE_FRACTION} sigma the ${pot.name} energy is over 1e3 per pair): ${hint}`,
    );
  }
}
