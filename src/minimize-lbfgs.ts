// L-BFGS minimisation (assembly/minimize/lbfgs.ts): the same pair forces, Verlet list, stopping
// rules and result shape as FIRE's `minimize` (src/minimize.ts), fewer force evaluations to the
// same minimum (bench/minimize-lbfgs.bench.mjs). The input system is not modified.

import { InputError, NumericalError } from './errors.js';
import { resolveMinimizeOptions, resolvePotential, type MinimizeOptions, type MinimizeResult, type PotentialSpec } from './minimize.js';
import { flattenPotential, maxPairCutoff } from './potentials.js';
import type { System } from './system.js';
import { wasm } from './wasm/runtime.js';

export interface LbfgsOptions extends Pick<MinimizeOptions, 'ftol' | 'fnormTol' | 'maxIter' | 'maxStep' | 'skin'> {
  /** Correction pairs kept (m). Default 8. */
  memory?: number;
}

/**
 * Minimise the potential energy with L-BFGS until max |F_ic| < ftol (default 1e-8) and/or
 * |F|_2 < fnormTol, as `minimize` (FIRE). `restarts` counts memory resets; `iterations` counts
 * L-BFGS iterations (each with one or more force evaluations: `forceEvaluations`).
 */
export function minimizeLbfgs(system: System, potential: PotentialSpec, options: LbfgsOptions = {}): MinimizeResult {
  const o = resolveMinimizeOptions(options);
  const m = options.memory ?? 8;
  if (!Number.isInteger(m) || m < 1 || m > 64) throw new InputError(`L-BFGS memory must be an integer 1..64, got ${m}`);
  const r = resolvePotential(system, potential);
  const half = 0.5 * Math.min(...system.box);
  const rc = maxPairCutoff(r.potential);
  if (rc > half) {
    throw new InputError(`potential ${r.potential.name}: its largest cutoff ${rc} exceeds half the smallest box side (box ${Array.from(system.box).join(' x ')}, half = ${half})`);
  }
  const skin = Math.min(o.skin, half - rc);
  const w = wasm();
  return w.scoped((s) => {
    const pos = s.f64From(system.positions);
    const sp = s.i32From(r.species);
    const table = s.f64From(flattenPotential(r.potential));
    const par = s.f64From([m, o.ftol, o.fnormTol, o.maxIter, o.maxStep, skin]);
    const out = s.f64(system.n * system.dim);
    const res = s.f64(10);
    const box: [number, number, number] = [system.box[0], system.box[1], system.dim === 3 ? system.box[2] : 1];
    w.exports.minLbfgs(pos.ptr, system.n, system.dim, ...box, sp.ptr, r.potential.species.length, table.ptr, par.ptr, out.ptr, res.ptr);
    const q = res.toArray();
    if (q[9] !== 0) {
      throw new NumericalError(`${system.source ? system.source + ': ' : ''}the energy or forces became non-finite after ${q[3]} L-BFGS iterations (overlapping particles?)`);
    }
    return {
      system: { ...r.system, positions: out.toArray(), columns: { ...r.system.columns } },
      energy: q[0],
      energyPerParticle: q[0] / system.n,
      maxForce: q[1],
      forceNorm: q[2],
      iterations: q[3],
      converged: q[4] === 1,
      forceEvaluations: q[5],
      neighborRebuilds: q[6],
      restarts: q[7],
      skin,
      options: o,
    };
  });
}
