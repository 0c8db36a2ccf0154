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
// Browser-safe (pure functions of a System).

import { InputError } from '../errors.js';
import { resolvePotential } from '../minimize/minimize.js';
import { preset as presetPotential, type PairPotential } from '../potential/potentials.js';
import type { System } from '../system/system.js';

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

/** Closest pair relative to sigma_ab: { ratio, i, j, r } of the pair with the smallest r / sigma_ab below `limit`, or null. */
export function closestPair(sys: System, sigma: (a: number, b: number) => number, species: Int32Array, limit: number): { ratio: number; i: number; j: number; r: number } | null {
  const { n, dim, box } = sys;
  let maxSigma = 0;
  const S = Math.max(...Array.from(species)) + 1;
  for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) maxSigma = Math.max(maxSigma, sigma(a, b));
  const rc = limit * maxSigma;
  const w = new Float64Array(n * dim);
  for (let i = 0; i < n * dim; i++) {
    const L = box[i % dim];
    let x = sys.positions[i] % L;
    if (x < 0) x += L;
    w[i] = x;
  }
  // cells of side >= rc (at most ~2 M cells); fewer than 3 per axis: all pairs in that axis
  const nc: number[] = [];
  let cap = Math.max(1, Math.floor(Math.cbrt(2e6)));
  if (dim === 2) cap = 1400;
  for (let a = 0; a < dim; a++) nc.push(Math.max(1, Math.min(cap, Math.floor(box[a] / rc))));
  if (dim === 2) nc.push(1);
  const [nx, ny, nz] = nc;
  const head = new Int32Array(nx * ny * nz).fill(-1);
  const next = new Int32Array(n);
  const cx = new Int32Array(n), cy = new Int32Array(n), cz = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    cx[i] = Math.min(nx - 1, Math.floor((w[i * dim] / box[0]) * nx));
    cy[i] = Math.min(ny - 1, Math.floor((w[i * dim + 1] / box[1]) * ny));
    cz[i] = dim === 3 ? Math.min(nz - 1, Math.floor((w[i * dim + 2] / box[2]) * nz)) : 0;
    const c = (cz[i] * ny + cy[i]) * nx + cx[i];
    next[i] = head[c];
    head[c] = i;
  }
  // (limit sigma_ab)^2 and sigma_ab by species pair
  const lim2 = new Float64Array(S * S), sig = new Float64Array(S * S);
  for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) { sig[a * S + b] = sigma(a, b); lim2[a * S + b] = (limit * sigma(a, b)) ** 2; }
  // neighbouring cells per axis: -1, 0, 1 (3 or more cells), 0, 1 (2 cells), 0 (1 cell): distinct
  const lo = (m: number) => (m >= 3 ? -1 : 0), hi = (m: number) => (m >= 2 ? 1 : 0);
  const x0 = lo(nx), x1 = hi(nx), y0 = lo(ny), y1 = hi(ny), z0 = lo(nz), z1 = hi(nz);
  const Lx = box[0], Ly = box[1], Lz = dim === 3 ? box[2] : 1;
  let best: { ratio: number; i: number; j: number; r: number } | null = null;
  // particle by particle (most cells are empty when their side is ~0.6 sigma): every j > i in
  // the distinct neighbouring cells of i's cell, so each pair once
  for (let i = 0; i < n; i++) {
    const xi = w[i * dim], yi = w[i * dim + 1], zi = dim === 3 ? w[i * dim + 2] : 0;
    const si = species[i] * S;
    for (let dz = z0; dz <= z1; dz++) {
      let zz = cz[i] + dz;
      if (zz < 0) zz += nz; else if (zz >= nz) zz -= nz;
      for (let dy = y0; dy <= y1; dy++) {
        let yy = cy[i] + dy;
        if (yy < 0) yy += ny; else if (yy >= ny) yy -= ny;
        const base = (zz * ny + yy) * nx;
        for (let dx = x0; dx <= x1; dx++) {
          let xx = cx[i] + dx;
          if (xx < 0) xx += nx; else if (xx >= nx) xx -= nx;
          for (let j = head[base + xx]; j >= 0; j = next[j]) {
            if (j <= i) continue;
            let ex = xi - w[j * dim], ey = yi - w[j * dim + 1];
            ex -= Lx * Math.round(ex / Lx);
            ey -= Ly * Math.round(ey / Ly);
            let r2 = ex * ex + ey * ey;
            if (dim === 3) {
              let ez = zi - w[j * dim + 2];
              ez -= Lz * Math.round(ez / Lz);
              r2 += ez * ez;
            }
            const k = si + species[j];
            if (r2 < lim2[k]) {
              const r = Math.sqrt(r2);
              const s = sig[k];
              if (!best || r / s < best.ratio) best = { ratio: r / s, i, j, r };
            }
          }
        }
      }
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
