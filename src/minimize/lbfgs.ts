// L-BFGS minimisation (assembly/minimize/lbfgs.ts): the same pair forces, Verlet list, stopping
// rules and result shape as FIRE's `minimize` (src/minimize/minimize.ts), fewer force evaluations to the
// same minimum (bench/minimize-lbfgs.bench.mjs). The input system is not modified.
// The kernel call itself (lbfgsKernel) and the hybrid driver live in minimize.ts, because
// `minimize(..., { method: 'hybrid' })` (what the workers and the cache run) needs them.

import { InputError } from '../errors.js';
import { lbfgsKernel, minimize, resolveMinimizeOptions, type MinimizeOptions, type MinimizeResult, type PotentialSpec } from './minimize.js';
import type { System } from '../system/system.js';

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
  const { memory: _m, ...rest } = options;
  const o = resolveMinimizeOptions(rest);
  const m = options.memory ?? 8;
  if (!Number.isInteger(m) || m < 1 || m > 64) throw new InputError(`L-BFGS memory must be an integer 1..64, got ${m}`);
  return lbfgsKernel(system, potential, o, m);
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
 * tolerance, L-BFGS is not run. The same as `minimize(system, potential, { method: 'hybrid', ... })`.
 */
export function minimizeHybrid(system: System, potential: PotentialSpec, options: HybridOptions = {}): MinimizeResult & { stages: { fire: MinimizeResult; lbfgs: MinimizeResult | null } } {
  const sw = options.switchFnorm ?? 0.01;
  if (!(sw > 0)) throw new InputError(`switchFnorm must be > 0, got ${sw}`);
  const { memory, maxStep: _s, ...rest } = options;
  const r = minimize(system, potential, { ...rest, method: 'hybrid', switchFnorm: sw, lbfgsMemory: memory ?? 8 });
  return r as MinimizeResult & { stages: { fire: MinimizeResult; lbfgs: MinimizeResult | null } };
}
