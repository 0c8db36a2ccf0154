// Molecular dynamics and cage states (wasm kernel: assembly/dynamics/md.ts).
//
//   md(system, potential, options)          velocity Verlet (NVE) or Langevin BAOAB (NVT), optional
//                                           Maxwell-Boltzmann start from a seed; trace of U, K, T
//   cageState(system, potential, options)   the cage state: mean positions over `runs` short NVT
//                                           runs (independent velocities and noise), each particle
//                                           confined to its Voronoi cell of the initial positions
//                                           (docs/spec/cage-and-displacement.md)
// Unit masses, LJ units. Browser-safe (no node: imports).

import { InputError, NumericalError } from '../errors.js';
import type { System } from '../system/system.js';
import { flattenPotential } from '../potential/potentials.js';
import { cutoffFitsBox, resolvePotential, type PotentialSpec } from '../minimize/minimize.js';
import { MD_PARAMS, MD_RESULTS, MD_TRACE } from '../wasm/blocks.js';
import { wasm } from '../wasm/runtime.js';

export interface MdOptions {
  /** Time step (LJ units). Default 0.005. */
  dt?: number;
  /** Number of steps. Default 1000. */
  steps?: number;
  /** Langevin friction gamma (1/time); 0 = NVE (velocity Verlet). Default 0. */
  gamma?: number;
  /** Thermostat / Maxwell-Boltzmann temperature. Needed when gamma > 0 or no velocities are given. */
  temperature?: number;
  /** Seed of the random stream (Maxwell-Boltzmann velocities, Langevin noise). Default 1. */
  seed?: number;
  /** Initial velocities (n x dim). Default: Maxwell-Boltzmann at `temperature` from `seed`. */
  velocities?: Float64Array;
  /** Verlet-list skin. Default 0.3 (reduced when the box is small). */
  skin?: number;
  /** Confine each particle to its Voronoi cell of the initial positions (cage). Default false. */
  cage?: boolean;
  /** Sites within this distance give the cage's faces. Default 2.2. */
  cageRadius?: number;
  /** Average the positions every k steps (0 = off). Default 0. */
  sampleEvery?: number;
  /** First step averaged (0 = the start). Default 0. */
  sampleFrom?: number;
  /** Record [step, U, K, T] every k steps (0 = off). Default 0. */
  traceEvery?: number;
}

export interface MdTrace {
  step: Float64Array;
  potential: Float64Array;
  kinetic: Float64Array;
  temperature: Float64Array;
}

export interface MdResult {
  /** Final positions (unwrapped: start + displacement), n x dim. */
  positions: Float64Array;
  velocities: Float64Array;
  /** Mean sampled positions (when sampleEvery > 0). */
  mean?: Float64Array;
  samples: number;
  potentialEnergy: number;
  kineticEnergy: number;
  /** Kinetic temperature 2K / (dim (N - 1)). */
  temperature: number;
  neighborRebuilds: number;
  /** Reflections on the cage walls. */
  reflections: number;
  /** Largest distance of a particle from its start (over the run under `cage`, else at the end). */
  maxDisplacement: number;
  /** Cage faces per particle (mean). */
  facesPerParticle: number;
  steps: number;
  trace?: MdTrace;
}

function boxArgs(sys: System): [number, number, number] {
  return [sys.box[0], sys.box[1], sys.dim === 3 ? sys.box[2] : 1];
}

function checkNumber(name: string, v: number, opt: { min?: number; strictMin?: number; integer?: boolean }): void {
  if (!Number.isFinite(v) || (opt.min !== undefined && v < opt.min) || (opt.strictMin !== undefined && !(v > opt.strictMin)) || (opt.integer && !Number.isInteger(v))) {
    const what = opt.integer ? 'an integer' : 'a finite number';
    const bound = opt.strictMin !== undefined ? ` > ${opt.strictMin}` : opt.min !== undefined ? ` >= ${opt.min}` : '';
    throw new InputError(`md option ${name} must be ${what}${bound}, got ${v}`);
  }
}

/** Run MD (see MdOptions). The input system is not modified. */
export function md(system: System, potential: PotentialSpec, options: MdOptions = {}): MdResult {
  const dt = options.dt ?? 0.005, steps = options.steps ?? 1000, gamma = options.gamma ?? 0;
  const seed = options.seed ?? 1, skinWanted = options.skin ?? 0.3;
  const cageR = options.cageRadius ?? 2.2, sampleEvery = options.sampleEvery ?? 0, sampleFrom = options.sampleFrom ?? 0;
  const traceEvery = options.traceEvery ?? 0;
  checkNumber('dt', dt, { strictMin: 0 });
  checkNumber('steps', steps, { min: 0, integer: true });
  checkNumber('gamma', gamma, { min: 0 });
  checkNumber('seed', seed, { min: 0, integer: true });
  checkNumber('skin', skinWanted, { min: 0 });
  checkNumber('sampleEvery', sampleEvery, { min: 0, integer: true });
  checkNumber('sampleFrom', sampleFrom, { min: 0, integer: true });
  checkNumber('traceEvery', traceEvery, { min: 0, integer: true });
  if (seed > Number.MAX_SAFE_INTEGER) throw new InputError(`md option seed must be below 2^53, got ${seed}`);
  const needT = gamma > 0 || !options.velocities;
  const T = options.temperature ?? NaN;
  if (needT) checkNumber('temperature', T, { strictMin: 0 });
  const n = system.n, D = system.dim;
  if (options.velocities && options.velocities.length !== n * D) throw new InputError(`md: velocities have ${options.velocities.length} values, expected ${n * D}`);
  const r = resolvePotential(system, potential);
  const { half, rc } = cutoffFitsBox(system, r);
  if (options.cage) {
    checkNumber('cageRadius', cageR, { strictMin: 0 });
    if (cageR > half) throw new InputError(`md option cageRadius ${cageR} exceeds half the smallest box side (${half})`);
  }
  const skin = Math.min(skinWanted, half - rc);
  const w = wasm();
  const params = MD_PARAMS.write(w, { dt, steps, gamma, temperature: needT ? T : 0, seed, skin, initVelocities: options.velocities ? 0 : 1,
    cage: options.cage ? 1 : 0, cageRadius: cageR, sampleEvery, sampleFrom, traceEvery });
  return w.scoped((s) => {
    const pos = s.f64From(system.positions);
    const vel = s.f64From(options.velocities ?? new Float64Array(n * D));
    const sp = s.i32From(r.species);
    const table = s.f64From(flattenPotential(r.potential));
    const par = s.f64From(params);
    const outPos = s.f64(n * D), outVel = s.f64(n * D), avg = s.f64(n * D), res = s.f64(MD_RESULTS.size(w));
    const cap = traceEvery > 0 ? Math.floor(steps / traceEvery) + 1 : 0;
    const tr = cap ? s.f64(cap * MD_TRACE.size(w)) : null;
    const rows: number = w.exports.mdRun(pos.ptr, vel.ptr, n, D, ...boxArgs(system), sp.ptr, r.potential.species.length, table.ptr,
      par.ptr, outPos.ptr, outVel.ptr, avg.ptr, res.ptr, tr ? tr.ptr : 0, cap);
    const q = MD_RESULTS.read(w, res);
    if (q.nonFinite !== 0) throw new NumericalError(`${system.source ? system.source + ': ' : ''}the energy became non-finite after ${q.steps} MD steps (overlapping particles or a too large time step?)`);
    const trace: MdTrace | undefined = tr ? MD_TRACE.columns(w, tr, rows) : undefined;
    const dof = D * (n - 1);
    return {
      positions: outPos.toArray(),
      velocities: outVel.toArray(),
      mean: sampleEvery > 0 ? avg.toArray() : undefined,
      samples: q.samples,
      potentialEnergy: q.potentialEnergy,
      kineticEnergy: q.kineticEnergy,
      temperature: dof > 0 ? (2 * q.kineticEnergy) / dof : 0,
      neighborRebuilds: q.neighborRebuilds,
      reflections: q.reflections,
      maxDisplacement: q.maxDisplacement,
      facesPerParticle: q.facesPerParticle,
      steps: q.steps,
      trace,
    };
  });
}

export interface CageOptions {
  /** Temperature of the cage runs. Default 0.44 (KA 3D data of ../shared; give the data's own). */
  temperature?: number;
  /** Length of each run (time units). Default 2. */
  time?: number;
  /** Independent runs averaged. Default 4. */
  runs?: number;
  /** Time step. Default 0.005. */
  dt?: number;
  /** Langevin friction. Default 1. */
  gamma?: number;
  /** Positions averaged every k steps. Default 10. */
  sampleEvery?: number;
  /** Seed of the first run (run r uses seed + r). Default 1. */
  seed?: number;
  /** Cage faces from sites within this distance. Default 2.2. */
  cageRadius?: number;
}

export type ResolvedCageOptions = Required<CageOptions>;

export function resolveCageOptions(o: CageOptions = {}): ResolvedCageOptions {
  const r: ResolvedCageOptions = {
    temperature: o.temperature ?? 0.44,
    time: o.time ?? 2,
    runs: o.runs ?? 4,
    dt: o.dt ?? 0.005,
    gamma: o.gamma ?? 1,
    sampleEvery: o.sampleEvery ?? 10,
    seed: o.seed ?? 1,
    cageRadius: o.cageRadius ?? 2.2,
  };
  const bad = (k: string, v: number, why: string) => new InputError(`cage option ${k} must be ${why}, got ${v}`);
  if (!(r.temperature > 0) || !Number.isFinite(r.temperature)) throw bad('temperature', r.temperature, 'a positive number');
  if (!(r.time > 0) || !Number.isFinite(r.time)) throw bad('time', r.time, 'a positive number');
  if (!Number.isInteger(r.runs) || r.runs < 1) throw bad('runs', r.runs, 'an integer >= 1');
  if (!(r.dt > 0) || !Number.isFinite(r.dt)) throw bad('dt', r.dt, 'a positive number');
  if (!(r.gamma > 0) || !Number.isFinite(r.gamma)) throw bad('gamma', r.gamma, 'a positive number (Langevin friction)');
  if (!Number.isInteger(r.sampleEvery) || r.sampleEvery < 1) throw bad('sampleEvery', r.sampleEvery, 'an integer >= 1');
  if (!Number.isInteger(r.seed) || r.seed < 0) throw bad('seed', r.seed, 'a non-negative integer');
  if (!(r.cageRadius > 0)) throw bad('cageRadius', r.cageRadius, 'a positive number');
  return r;
}

export interface CageResult {
  /** Cage-state positions (unwrapped relative to the input positions), n x dim. */
  positions: Float64Array;
  options: ResolvedCageOptions;
  /** Wall reflections per particle per step (how often the cage constraint acted). */
  reflectionRate: number;
  /** Largest distance of a particle from its start over all runs. */
  maxDisplacement: number;
  /** Mean kinetic temperature at the end of the runs. */
  temperature: number;
}

/**
 * The cage state (docs/spec/cage-and-displacement.md): the mean positions over `runs` Langevin
 * NVT runs of `time` each from the given configuration, with fresh Maxwell-Boltzmann velocities
 * (seed + r) and every particle confined to its Voronoi cell of the initial positions.
 */
export function cageState(system: System, potential: PotentialSpec, options: CageOptions = {}): CageResult {
  const o = resolveCageOptions(options);
  const steps = Math.max(1, Math.round(o.time / o.dt));
  const n = system.n, D = system.dim;
  const sum = new Float64Array(n * D);
  let refl = 0, maxDisp = 0, temp = 0;
  for (let r = 0; r < o.runs; r++) {
    const res = md(system, potential, {
      dt: o.dt, steps, gamma: o.gamma, temperature: o.temperature, seed: o.seed + r, cage: true, cageRadius: o.cageRadius,
      sampleEvery: o.sampleEvery, sampleFrom: o.sampleEvery,
    });
    const m = res.mean!;
    for (let k = 0; k < n * D; k++) sum[k] += m[k];
    refl += res.reflections;
    maxDisp = Math.max(maxDisp, res.maxDisplacement);
    temp += res.temperature;
  }
  for (let k = 0; k < n * D; k++) sum[k] /= o.runs;
  if (maxDisp >= o.cageRadius / 2) {
    throw new NumericalError(`${system.source ? system.source + ': ' : ''}a particle moved ${maxDisp.toFixed(3)} from its site, beyond cageRadius/2 = ${o.cageRadius / 2}: the Voronoi faces listed may be incomplete (raise cageRadius)`);
  }
  return { positions: sum, options: o, reflectionRate: refl / (n * steps * o.runs), maxDisplacement: maxDisp, temperature: temp / o.runs };
}
