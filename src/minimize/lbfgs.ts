// L-BFGS minimisation (assembly/minimize/lbfgs.ts): the same pair forces, Verlet list, stopping
// rules and result shape as FIRE's `minimize` (src/minimize/minimize.ts), fewer force evaluations to the
// same minimum (bench/minimize-lbfgs.bench.mjs). The input system is not modified.

import { InputError, NumericalError } from '../errors.js';
import { cutoffFitsBox, minimize, resolveMinimizeOptions, resolvePotential, type MinimizeOptions, type MinimizeResult, type PotentialSpec } from './minimize.js';
import { flattenPotential } from '../potential/potentials.js';
import type { System } from '../system/system.js';
import { LBFGS_PARAMS, MIN_RESULTS } from '../wasm/blocks.js';
import { wasm } from '../wasm/runtime.js';

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
  const { half, rc } = cutoffFitsBox(system, r);
  const skin = Math.min(o.skin, half - rc);
  const w = wasm();
  return w.scoped((s) => {
    const pos = s.f64From(system.positions);
    const sp = s.i32From(r.species);
    const table = s.f64From(flattenPotential(r.potential));
    const par = s.f64From(LBFGS_PARAMS.write(w, { memory: m, ftol: o.ftol, fnormTol: o.fnormTol, maxIter: o.maxIter, maxStep: o.maxStep, skin }));
    const out = s.f64(system.n * system.dim);
    const res = s.f64(MIN_RESULTS.size(w));
    const box: [number, number, number] = [system.box[0], system.box[1], system.dim === 3 ? system.box[2] : 1];
    w.exports.minLbfgs(pos.ptr, system.n, system.dim, ...box, sp.ptr, r.potential.species.length, table.ptr, par.ptr, out.ptr, res.ptr);
    const q = MIN_RESULTS.read(w, res);
    if (q.nonFinite !== 0) {
      throw new NumericalError(`${system.source ? system.source + ': ' : ''}the energy or forces became non-finite after ${q.iterations} L-BFGS iterations (overlapping particles?)`);
    }
    return {
      system: { ...r.system, positions: out.toArray(), columns: { ...r.system.columns } },
      energy: q.energy,
      energyPerParticle: q.energy / system.n,
      maxForce: q.maxForce,
      forceNorm: q.forceNorm,
      iterations: q.iterations,
      converged: q.converged === 1,
      forceEvaluations: q.forceEvaluations,
      neighborRebuilds: q.neighborRebuilds,
      restarts: q.restarts,
      skin,
      options: o,
    };
  });
}

export interface HybridOptions extends LbfgsOptions {
  /** FIRE (LAMMPS's rule and update order) runs until |F|_2 < switchFnorm; L-BFGS takes over. Default 0.01. */
  switchFnorm?: number;
  /** Largest coordinate move of an L-BFGS step. Default 0.01 (stays in FIRE's basin). */
  lbfgsMaxStep?: number;
}

/**
 * FIRE until the force two-norm is below `switchFnorm` (the basin is chosen by FIRE, as LAMMPS's
 * `min_style fire` chooses it), then L-BFGS to the stopping tolerance (fewer force evaluations
 * for the slow, linear tail of FIRE's convergence). Counts are the sums of both stages;
 * `iterations` = FIRE iterations + L-BFGS iterations. When FIRE alone already meets the final
 * tolerance, L-BFGS is not run.
 */
export function minimizeHybrid(system: System, potential: PotentialSpec, options: HybridOptions = {}): MinimizeResult & { stages: { fire: MinimizeResult; lbfgs: MinimizeResult | null } } {
  const sw = options.switchFnorm ?? 0.01;
  if (!(sw > 0)) throw new InputError(`switchFnorm must be > 0, got ${sw}`);
  const o = resolveMinimizeOptions(options);
  const fire = minimize(system, potential, { maxIter: o.maxIter, skin: o.skin, fnormTol: Math.max(sw, o.fnormTol), ftol: 0 });
  const done = (o.ftol <= 0 || fire.maxForce < o.ftol) && (o.fnormTol <= 0 || fire.forceNorm < o.fnormTol);
  if (done || !fire.converged) return { ...fire, options: o, stages: { fire, lbfgs: null } };
  const lb = minimizeLbfgs(fire.system, potential, { ...options, maxStep: options.lbfgsMaxStep ?? 0.01, maxIter: Math.max(1, o.maxIter - fire.iterations) });
  return {
    ...lb,
    iterations: fire.iterations + lb.iterations,
    forceEvaluations: fire.forceEvaluations + lb.forceEvaluations,
    neighborRebuilds: fire.neighborRebuilds + lb.neighborRebuilds,
    restarts: fire.restarts + lb.restarts,
    options: o,
    stages: { fire, lbfgs: lb },
  };
}
