// Energy minimisation to the inherent structure (FIRE, in wasm: assembly/minimize/), and pair
// energies/forces for a System under a pair potential (../shared/spec/descriptors.md, family E).
//
//   U = sum_{i<j} V_{s_i s_j}(r_ij),  e_i = 1/2 sum_{j != i} V(r_ij),  F_i = -dU/dx_i
// FIRE: Bitzek et al., PRL 97, 170201 (2006) with the FIRE 2.0 refinements of Guenole et al.,
// Comput. Mater. Sci. 175, 109584 (2020), parameters and update order as LAMMPS's `min_style fire`
// defaults (dt = 0.005, dt_max = 10 dt, dt_min = 0.02 dt, d_max = 0.1, N_delay = 20, f_inc = 1.1,
// f_dec = 0.5, a0 = 0.25, f_a = 0.99, half step back, initial delay; the update order of
// assembly/minimize/fire.ts). The whole minimisation is one kernel call.

import { InputError, NumericalError } from '../errors.js';
import { relabel, type System } from '../system/system.js';
import { flattenPotential, maxPairCutoff, preset, type PairPotential } from '../potential/potentials.js';
import { FIRE_PARAMS, FIRE_TRACE, LBFGS_PARAMS, MIN_RESULTS } from '../wasm/blocks.js';
import { wasm } from '../wasm/runtime.js';

/** A potential: a PairPotential, or a preset name ('KA3D', 'KA2D'). */
export type PotentialSpec = PairPotential | 'KA3D' | 'KA2D' | string;

export interface ResolvedPotential {
  potential: PairPotential;
  /** The system with its species labelled by the potential's names when they were integer codes. */
  system: System;
  /** Potential species index of each particle (i32 x n). */
  species: Int32Array;
}

function isIntegerCode(s: string): boolean {
  return /^[+-]?\d+$/.test(s);
}

/**
 * Match a system's species to a potential's (spec, family E): by name when every label is one of
 * the potential's species; otherwise, when the labels are integer codes and the number of species
 * equals the potential's, the codes are relabelled with the potential's names in ascending order
 * (KA3D data with types 0/1 become A/B). Anything else is an InputError.
 */
export function resolvePotential(system: System, potential: PotentialSpec): ResolvedPotential {
  const pot = typeof potential === 'string' ? preset(potential) : potential;
  const where = system.source ? `${system.source}: ` : '';
  const idx = new Map(pot.species.map((s, k) => [s, k] as const));
  let sys = system;
  let map: number[];
  if (system.labels.every((l) => idx.has(l))) {
    map = system.labels.map((l) => idx.get(l)!);
  } else if (system.labels.every(isIntegerCode)) {
    if (system.labels.length !== pot.species.length) {
      throw new InputError(`${where}the system has ${system.labels.length} species [${system.labels.join(', ')}] but the potential ${pot.name} has ${pot.species.length} [${pot.species.join(', ')}]: give the species labels explicitly`);
    }
    // labels of integer codes are already in ascending numeric order (System convention)
    sys = relabel(system, pot.species);
    map = pot.species.map((_, k) => k);
  } else {
    throw new InputError(`${where}species [${system.labels.join(', ')}] do not match the potential ${pot.name}'s species [${pot.species.join(', ')}]`);
  }
  const species = new Int32Array(system.n);
  for (let i = 0; i < system.n; i++) species[i] = map[system.species[i]];
  return { potential: pot, system: sys, species };
}

function boxArgs(sys: System): [number, number, number] {
  return [sys.box[0], sys.box[1], sys.dim === 3 ? sys.box[2] : 1];
}

export interface EnergyAndForces {
  /** Total energy U = sum_{i<j} V(r_ij). */
  energy: number;
  /** U / N. */
  energyPerParticle: number;
  /** e_i = 1/2 sum_{j != i} V(r_ij) (family E's `e`). */
  energies: Float64Array;
  /** F_i = -dU/dx_i, n x dim. */
  forces: Float64Array;
}

/**
 * Half the smallest box side, after checking that the potential's largest cutoff rc fits in it
 * (minimum image: rc <= L_min / 2); an InputError naming the potential and the box otherwise.
 * Used by every kernel that builds a Verlet list (forces, FIRE, L-BFGS, MD).
 */
export function cutoffFitsBox(system: System, r: { potential: PairPotential }): { half: number; rc: number } {
  const half = 0.5 * Math.min(...system.box);
  const rc = maxPairCutoff(r.potential);
  if (rc > half) {
    throw new InputError(`potential ${r.potential.name}: its largest cutoff ${rc} exceeds half the smallest box side (box ${Array.from(system.box).join(' x ')}, half = ${half})`);
  }
  return { half, rc };
}

/** Energy, per-particle energies and forces of a configuration (wasm kernel, cell list). */
export function energyAndForces(system: System, potential: PotentialSpec): EnergyAndForces {
  const r = resolvePotential(system, potential);
  cutoffFitsBox(system, r);
  const w = wasm();
  return w.scoped((s) => {
    const pos = s.f64From(system.positions);
    const sp = s.i32From(r.species);
    const table = s.f64From(flattenPotential(r.potential));
    const forces = s.f64(system.n * system.dim);
    const energies = s.f64(system.n);
    const energy: number = w.exports.minEnergyForces(pos.ptr, system.n, system.dim, ...boxArgs(system), sp.ptr, r.potential.species.length, table.ptr, forces.ptr, energies.ptr);
    return { energy, energyPerParticle: energy / system.n, energies: energies.toArray(), forces: forces.toArray() };
  });
}

/** Options of the minimisers: stopping rule (force tolerances, iteration cap), FIRE parameters (LAMMPS defaults), Verlet skin, method. */
export interface MinimizeOptions {
  /** Stop when the largest force component |F_ic| < ftol. Default 1e-8, unless only fnormTol is given. */
  ftol?: number;
  /** Stop when the force two-norm |F|_2 < fnormTol (LAMMPS's `minimize` ftol rule). Off by default. */
  fnormTol?: number;
  /** Iteration cap (then `converged: false`). Default 100000. */
  maxIter?: number;
  /** Initial time step (LJ units). Default 0.005. */
  dtStart?: number;
  /** Largest time step. Default 10 dtStart. */
  dtMax?: number;
  /** Smallest time step (no shrinking below it). Default 0.02 dtStart. */
  dtMin?: number;
  /** Largest move of any coordinate in one step. Default 0.1. */
  maxStep?: number;
  /** Verlet-list skin. Default 0.3 (reduced automatically when the box is small). */
  skin?: number;
  /** Steps after a restart before dt may grow. Default 20. */
  nDelay?: number;
  dtGrow?: number;
  dtShrink?: number;
  alpha0?: number;
  alphaShrink?: number;
  /** FIRE 2.0 half step back on P <= 0. Default true. */
  halfStepBack?: boolean;
  /** FIRE 2.0 initial delay: no dt/alpha reset during the first nDelay steps. Default true. */
  initialDelay?: boolean;
  /** abc-FIRE bias correction (Echeverri Restrepo & Andric 2023). Default false. */
  abc?: boolean;
  /** Record the per-iteration trace (method 'fire' only). Default false. */
  trace?: boolean;
  /**
   * 'fire' (default): FIRE alone (LAMMPS's update order and rule). 'hybrid': FIRE until
   * |F|_2 < switchFnorm (FIRE chooses the basin, as LAMMPS's `min_style fire` does), then L-BFGS
   * with coordinate steps <= lbfgsMaxStep to the stopping tolerance (assembly/minimize/lbfgs.ts).
   */
  method?: MinimizeMethod;
  /** Hybrid: the force two-norm at which L-BFGS takes over. Default 0.01. */
  switchFnorm?: number;
  /** Hybrid: largest coordinate move of an L-BFGS step. Default 0.01 (stays in FIRE's basin). */
  lbfgsMaxStep?: number;
  /** Hybrid: L-BFGS correction pairs kept. Default 8. */
  lbfgsMemory?: number;
}

/** The minimisers `minimize` runs (MinimizeOptions.method). */
export type MinimizeMethod = 'fire' | 'hybrid';

type HybridKeys = 'method' | 'switchFnorm' | 'lbfgsMaxStep' | 'lbfgsMemory';

/**
 * Options with every default filled in (this, JSON-encoded, keys the cache). The hybrid's keys
 * are present only for method 'hybrid', so FIRE's resolved options (and cache keys) are as before.
 */
export type ResolvedMinimizeOptions = Required<Omit<MinimizeOptions, 'trace' | HybridKeys>> & {
  method?: 'hybrid';
  switchFnorm?: number;
  lbfgsMaxStep?: number;
  lbfgsMemory?: number;
};

/**
 * Named stopping rules (`--min-rule`): 'lammps' = LAMMPS's `min_style fire` + `minimize 0.0 1e-8`
 * (FIRE, |F|_2 < 1e-8, skin 0.3: the same minimum as LAMMPS to ~3e-9 on the KA 3D data);
 * 'fast' = the `fit` default, chosen in bench/stopping-rule.bench.mjs (README "Minimisers"):
 * the hybrid (FIRE to |F|_2 < 1e-3, then L-BFGS) to |F|_2 < 1e-6, skin 0.1 (fewer pairs per force
 * evaluation; the skin changes no minimum, only rounding). A switch at 0.01 lands in a neighbouring
 * minimum (lower by ~1e-8 per particle) on 4 of the 10 KA 3D configurations; at 1e-3 on none.
 */
export const MINIMIZE_RULES: Readonly<Record<'lammps' | 'fast', Readonly<MinimizeOptions>>> = Object.freeze({
  lammps: Object.freeze({ method: 'fire' as const, fnormTol: 1e-8, ftol: 0 }),
  fast: Object.freeze({ method: 'hybrid' as const, fnormTol: 1e-6, ftol: 0, switchFnorm: 1e-3, lbfgsMaxStep: 0.01, skin: 0.1 }),
});

/**
 * The rule `glassbox fit` (and the web app) minimise inherent structures with by default,
 * recorded in model.json (`predict` minimises with the recorded rule, or with FIRE's defaults for
 * model files that record none). `--min-rule lammps` gives LAMMPS's rule.
 */
export const FIT_MIN_RULE = 'fast';

/** The options of a named rule ('lammps' | 'fast'); an InputError names the rules otherwise. */
export function minimizeRule(name: string): MinimizeOptions {
  if (!Object.prototype.hasOwnProperty.call(MINIMIZE_RULES, name)) {
    throw new InputError(`minimisation rule must be one of ${Object.keys(MINIMIZE_RULES).join(', ')}, got "${name}"`);
  }
  return { ...MINIMIZE_RULES[name as 'lammps' | 'fast'] };
}

export function resolveMinimizeOptions(o: MinimizeOptions = {}): ResolvedMinimizeOptions {
  const dt = o.dtStart ?? 0.005;
  const r: ResolvedMinimizeOptions = {
    ftol: o.ftol ?? (o.fnormTol !== undefined ? 0 : 1e-8),
    fnormTol: o.fnormTol ?? 0,
    maxIter: o.maxIter ?? 100000,
    dtStart: dt,
    dtMax: o.dtMax ?? 10 * dt,
    dtMin: o.dtMin ?? 0.02 * dt,
    maxStep: o.maxStep ?? 0.1,
    skin: o.skin ?? 0.3,
    nDelay: o.nDelay ?? 20,
    dtGrow: o.dtGrow ?? 1.1,
    dtShrink: o.dtShrink ?? 0.5,
    alpha0: o.alpha0 ?? 0.25,
    alphaShrink: o.alphaShrink ?? 0.99,
    halfStepBack: o.halfStepBack ?? true,
    initialDelay: o.initialDelay ?? true,
    abc: o.abc ?? false,
  };
  const pos = (k: keyof ResolvedMinimizeOptions, v: number, strict = true) => {
    if (!Number.isFinite(v) || (strict ? !(v > 0) : !(v >= 0))) throw new InputError(`minimize option ${k} must be a ${strict ? 'positive' : 'non-negative'} finite number, got ${v}`);
  };
  pos('ftol', r.ftol, false);
  pos('fnormTol', r.fnormTol, false);
  if (!(r.ftol > 0) && !(r.fnormTol > 0)) throw new InputError('minimize needs a stopping tolerance: ftol > 0 or fnormTol > 0');
  if (!Number.isInteger(r.maxIter) || r.maxIter < 0) throw new InputError(`minimize option maxIter must be a non-negative integer, got ${r.maxIter}`);
  if (!Number.isInteger(r.nDelay) || r.nDelay < 0) throw new InputError(`minimize option nDelay must be a non-negative integer, got ${r.nDelay}`);
  pos('dtStart', r.dtStart);
  pos('dtMax', r.dtMax);
  pos('dtMin', r.dtMin);
  pos('maxStep', r.maxStep);
  pos('skin', r.skin, false);
  pos('dtGrow', r.dtGrow);
  pos('dtShrink', r.dtShrink);
  pos('alpha0', r.alpha0, false);
  pos('alphaShrink', r.alphaShrink);
  if (r.dtMax < r.dtStart) throw new InputError(`minimize option dtMax (${r.dtMax}) must be >= dtStart (${r.dtStart})`);
  if (r.dtMin > r.dtStart) throw new InputError(`minimize option dtMin (${r.dtMin}) must be <= dtStart (${r.dtStart})`);
  if (r.alpha0 >= 1) throw new InputError(`minimize option alpha0 must be < 1, got ${r.alpha0}`);
  const method = o.method ?? 'fire';
  if (method !== 'fire' && method !== 'hybrid') throw new InputError(`minimize option method must be 'fire' or 'hybrid', got ${JSON.stringify(o.method)}`);
  if (method === 'fire') {
    for (const k of ['switchFnorm', 'lbfgsMaxStep', 'lbfgsMemory'] as const) {
      if (o[k] !== undefined) throw new InputError(`minimize option ${k} applies to method 'hybrid' only`);
    }
    return r;
  }
  if (o.trace) throw new InputError("minimize option trace applies to method 'fire' only");
  r.method = 'hybrid';
  r.switchFnorm = o.switchFnorm ?? 0.01;
  r.lbfgsMaxStep = o.lbfgsMaxStep ?? 0.01;
  r.lbfgsMemory = o.lbfgsMemory ?? 8;
  pos('switchFnorm', r.switchFnorm);
  pos('lbfgsMaxStep', r.lbfgsMaxStep);
  if (!Number.isInteger(r.lbfgsMemory) || r.lbfgsMemory < 1 || r.lbfgsMemory > 64) throw new InputError(`minimize option lbfgsMemory must be an integer 1..64, got ${r.lbfgsMemory}`);
  return r;
}

/** Per-iteration record (index 0 = the start, k = after iteration k). */
export interface FireTrace {
  /** U after the step. */
  energy: Float64Array;
  /** P = v.F at the start of the iteration. */
  power: Float64Array;
  /** 1 when the iteration restarted (P <= 0: v = 0, dt shrunk, half step back). */
  restart: Uint8Array;
  /** The step's time step dt_v (after the max-step limit). */
  dt: Float64Array;
  /** K = |v|^2 / 2 after the step. */
  kinetic: Float64Array;
  /** Largest force component after the step. */
  maxForce: Float64Array;
  /** U at the point the step started from (after the half step back on a restart). */
  startEnergy: Float64Array;
}

/** A minimised System (the inherent structure) with its energy, final force norms, iteration and force-evaluation counts, and whether it converged. */
export interface MinimizeResult {
  /** The minimised configuration (positions: start + accumulated displacement, not wrapped). */
  system: System;
  energy: number;
  energyPerParticle: number;
  /** Largest force component at the end. */
  maxForce: number;
  /** Force two-norm at the end. */
  forceNorm: number;
  iterations: number;
  /** False when the iteration cap was reached first. */
  converged: boolean;
  forceEvaluations: number;
  neighborRebuilds: number;
  restarts: number;
  /** The Verlet skin actually used. */
  skin: number;
  options: ResolvedMinimizeOptions;
  trace?: FireTrace;
  /** Method 'hybrid': the two stages (L-BFGS null when FIRE alone met the tolerance). */
  stages?: { fire: MinimizeResult; lbfgs: MinimizeResult | null };
}

/** The result record of the minimisers' MIN_RESULTS block (FIRE and L-BFGS write the same one). */
function resultRecord(minimized: System, q: ReturnType<typeof MIN_RESULTS.read>, iterations: number, skin: number, o: ResolvedMinimizeOptions): MinimizeResult {
  return {
    system: minimized,
    energy: q.energy,
    energyPerParticle: q.energy / minimized.n,
    maxForce: q.maxForce,
    forceNorm: q.forceNorm,
    iterations,
    converged: q.converged === 1,
    forceEvaluations: q.forceEvaluations,
    neighborRebuilds: q.neighborRebuilds,
    restarts: q.restarts,
    skin,
    options: o,
  };
}

/**
 * Minimise the potential energy from the given configuration with FIRE (periodic, 2D/3D) until
 * the largest force component is below ftol (and/or the force two-norm below fnormTol), or
 * maxIter iterations (then `converged: false`). The input system is not modified.
 * Energy rule: U never rises over an iteration (beyond 1e-12 relative) unless the next iteration
 * restarts (P = v.F <= 0: v = 0, half step back, dt shrunk); see `trace`.
 * With `method: 'hybrid'`: FIRE until |F|_2 < switchFnorm, then L-BFGS (steps <= lbfgsMaxStep) to
 * the same stopping rule; counts are the sums of both stages, `stages` holds each.
 */
export function minimize(system: System, potential: PotentialSpec, options: MinimizeOptions = {}): MinimizeResult {
  const o = resolveMinimizeOptions(options);
  return o.method === 'hybrid' ? hybrid(system, potential, o) : fire(system, potential, o, !!options.trace);
}

/**
 * The hybrid: FIRE (the resolved FIRE parameters, ftol off, |F|_2 < max(switchFnorm, fnormTol)),
 * then, unless FIRE already met the stopping rule or hit its cap, L-BFGS from FIRE's positions
 * with the same stopping rule, steps <= lbfgsMaxStep and the iterations FIRE left (at least 1).
 */
function hybrid(system: System, potential: PotentialSpec, o: ResolvedMinimizeOptions): MinimizeResult {
  const { method: _m, switchFnorm, lbfgsMaxStep, lbfgsMemory, ...fo } = o;
  const f = fire(system, potential, { ...fo, ftol: 0, fnormTol: Math.max(switchFnorm!, o.fnormTol) }, false);
  const done = (o.ftol <= 0 || f.maxForce < o.ftol) && (o.fnormTol <= 0 || f.forceNorm < o.fnormTol);
  if (done || !f.converged) return { ...f, options: o, stages: { fire: f, lbfgs: null } };
  const lb = lbfgsKernel(f.system, potential, { ...fo, maxStep: lbfgsMaxStep!, maxIter: Math.max(1, o.maxIter - f.iterations) }, lbfgsMemory!);
  return {
    ...lb,
    iterations: f.iterations + lb.iterations,
    forceEvaluations: f.forceEvaluations + lb.forceEvaluations,
    neighborRebuilds: f.neighborRebuilds + lb.neighborRebuilds,
    restarts: f.restarts + lb.restarts,
    options: o,
    stages: { fire: f, lbfgs: lb },
  };
}

/**
 * One L-BFGS kernel call (assembly/minimize/lbfgs.ts) with resolved options and memory m:
 * stopping rule ftol / fnormTol, maxIter, coordinate steps <= maxStep, the skin capped by the box.
 */
export function lbfgsKernel(system: System, potential: PotentialSpec, o: ResolvedMinimizeOptions, m: number): MinimizeResult {
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
    w.exports.minLbfgs(pos.ptr, system.n, system.dim, ...boxArgs(system), sp.ptr, r.potential.species.length, table.ptr, par.ptr, out.ptr, res.ptr);
    const q = MIN_RESULTS.read(w, res);
    if (q.nonFinite !== 0) {
      throw new NumericalError(`${system.source ? system.source + ': ' : ''}the energy or forces became non-finite after ${q.iterations} L-BFGS iterations (overlapping particles?)`);
    }
    return resultRecord({ ...r.system, positions: out.toArray(), columns: { ...r.system.columns } }, q, q.iterations, skin, o);
  });
}

/** FIRE, one kernel call (assembly/minimize/fire.ts), with resolved options. */
function fire(system: System, potential: PotentialSpec, o: ResolvedMinimizeOptions, traced: boolean): MinimizeResult {
  const r = resolvePotential(system, potential);
  const { half, rc } = cutoffFitsBox(system, r);
  const skin = Math.min(o.skin, half - rc);
  const w = wasm();
  const params = FIRE_PARAMS.write(w, { dt: o.dtStart, dtMax: o.dtMax, dtMin: o.dtMin, maxStep: o.maxStep, ftol: o.ftol, fnormTol: o.fnormTol,
    maxIter: o.maxIter, nDelay: o.nDelay, dtGrow: o.dtGrow, dtShrink: o.dtShrink, alpha0: o.alpha0, alphaShrink: o.alphaShrink,
    halfStepBack: o.halfStepBack ? 1 : 0, abc: o.abc ? 1 : 0, skin, initialDelay: o.initialDelay ? 1 : 0 });
  return w.scoped((s) => {
    const pos = s.f64From(system.positions);
    const sp = s.i32From(r.species);
    const table = s.f64From(flattenPotential(r.potential));
    const par = s.f64From(params);
    const out = s.f64(system.n * system.dim);
    const res = s.f64(MIN_RESULTS.size(w));
    const cap = traced ? o.maxIter + 1 : 0;
    const tr = cap ? s.f64(cap * FIRE_TRACE.size(w)) : null;
    w.exports.minFire(pos.ptr, system.n, system.dim, ...boxArgs(system), sp.ptr, r.potential.species.length, table.ptr,
      par.ptr, out.ptr, res.ptr, tr ? tr.ptr : 0, cap);
    const q = MIN_RESULTS.read(w, res);
    if (q.nonFinite !== 0) {
      throw new NumericalError(`${system.source ? system.source + ': ' : ''}the energy or forces became non-finite after ${q.iterations} FIRE iterations (overlapping particles?)`);
    }
    const iterations = q.iterations;
    let trace: FireTrace | undefined;
    if (tr) {
      const t = FIRE_TRACE.columns(w, tr, iterations + 1);
      trace = { ...t, restart: Uint8Array.from(t.restart) };
    }
    const minimized: System = { ...r.system, positions: out.toArray(), columns: { ...r.system.columns } };
    return { ...resultRecord(minimized, q, iterations, skin, o), trace };
  });
}
