// Plain TS references for the minimiser's differential tests (O(N^2), no neighbour lists, no wasm).
//
//   U = sum_{i<j} V_{s_i s_j}(r_ij)  with minimum-image r_ij,  e_i = 1/2 sum_{j != i} V(r_ij),
//   F_i = -dU/dx_i = sum_{j != i} -V'(r_ij) (x_i - x_j) / r_ij
// V from potentials.ts (pairEnergyRef); V'(r) = 4 eps [-12 s^12/r^13 + 6 s^6/r^7 + 2 c2 r/s^2 + 4 c4 r^3/s^4].
// fireReference follows the same FIRE update rules as assembly/minimize/fire.ts, written out plainly.

import type { System } from '../system/system.js';
import { minImage } from './geometry.js';
import { pairEnergyRef, type PairParams } from '../potential/potentials.js';
import { resolvePotential, resolveMinimizeOptions, type MinimizeOptions, type PotentialSpec } from '../minimize/minimize.js';

function dV(q: PairParams, r: number): number {
  if (r >= q.cutoff) return 0;
  const s = q.sigma;
  return 4 * q.eps * (-12 * s ** 12 / r ** 13 + 6 * s ** 6 / r ** 7 + 2 * q.c2 * r / (s * s) + 4 * q.c4 * r ** 3 / s ** 4);
}

/** Brute-force energy, per-particle energies and forces (positions n x dim, any images). */
export function energyAndForcesReference(system: System, potential: PotentialSpec, positions: ArrayLike<number> = system.positions) {
  const { potential: pot, species } = resolvePotential(system, potential);
  const D = system.dim, n = system.n;
  const forces = new Float64Array(n * D);
  const energies = new Float64Array(n);
  let energy = 0;
  const d = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const r2 = minImage(positions, i, j, system.box, D, d);
      const q = pot.pairs[species[i]][species[j]];
      const r = Math.sqrt(r2);
      if (r >= q.cutoff) continue;
      const v = pairEnergyRef(q, r);
      energy += v;
      energies[i] += v / 2;
      energies[j] += v / 2;
      const g = dV(q, r) / r; // dU/dx_j = g d, dU/dx_i = -g d
      for (let a = 0; a < D; a++) {
        forces[i * D + a] += g * d[a];
        forces[j * D + a] -= g * d[a];
      }
    }
  }
  return { energy, energyPerParticle: energy / n, energies, forces };
}

/** FIRE with the reference forces (same rules and defaults as `minimize`); for small systems only. */
export function fireReference(system: System, potential: PotentialSpec, options: MinimizeOptions = {}) {
  const o = resolveMinimizeOptions(options);
  const n = system.n, D = system.dim, m = n * D;
  const x = Float64Array.from(system.positions);
  const v = new Float64Array(m);
  let ef = energyAndForcesReference(system, potential, x);
  let f = ef.forces;
  let U = ef.energy;
  const energies = [U];
  const restartsAt: number[] = [];
  const dot = (a: Float64Array, b: Float64Array) => { let s = 0; for (let k = 0; k < m; k++) s += a[k] * b[k]; return s; };
  const amax = (a: Float64Array) => { let s = 0; for (let k = 0; k < m; k++) s = Math.max(s, Math.abs(a[k])); return s; };
  const done = () => (o.ftol <= 0 || amax(f) < o.ftol) && (o.fnormTol <= 0 || dot(f, f) < o.fnormTol ** 2);
  let dt = o.dtStart, alpha = o.alpha0, dtv = dt, lastNeg = 0, iter = 0;
  let converged = done();
  while (!converged && iter < o.maxIter) {
    iter++;
    const P = dot(v, f);
    let mix = false, s1 = 1, s2 = 0;
    let vmax = amax(v);
    if (P > 0) {
      mix = true;
      const ff = dot(f, f);
      s1 = 1 - alpha;
      s2 = ff <= 1e-20 ? 0 : alpha * Math.sqrt(dot(v, v) / ff);
      if (iter - lastNeg > o.nDelay) {
        dt = Math.min(dt * o.dtGrow, o.dtMax);
        alpha *= o.alphaShrink;
      }
    } else {
      lastNeg = iter;
      restartsAt.push(iter);
      if (!(o.initialDelay && iter < o.nDelay)) {
        alpha = o.alpha0;
        if (dt * o.dtShrink >= o.dtMin) dt *= o.dtShrink;
      }
      // half step back with the (shrunk) dt, forces re-evaluated there; the step limit sees v = dt F
      if (o.halfStepBack && dot(v, v) > 0) {
        for (let k = 0; k < m; k++) x[k] -= 0.5 * dt * v[k];
        ef = energyAndForcesReference(system, potential, x);
        f = ef.forces;
        U = ef.energy;
      }
      v.fill(0);
      vmax = dt * amax(f);
    }
    dtv = dt;
    if (dtv * vmax > o.maxStep) dtv = o.maxStep / vmax;
    for (let k = 0; k < m; k++) {
      let vk = v[k] + dtv * f[k];
      if (mix) vk = s1 * vk + s2 * f[k];
      v[k] = vk;
      x[k] += dtv * vk;
    }
    ef = energyAndForcesReference(system, potential, x);
    f = ef.forces;
    U = ef.energy;
    energies.push(U);
    converged = done();
  }
  return { positions: x, energy: U, iterations: iter, converged, energies, restartsAt, maxForce: amax(f), forceNorm: Math.sqrt(dot(f, f)) };
}
