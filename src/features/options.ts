// Descriptor options: every parameter of ../shared/spec/descriptors.md with its default, their
// validation (InputError naming the option and what was expected), the species conventions of
// the spec's "System" section (preset relabelling, explicit order, pair tables matched by name),
// and the column plan (names and metadata in the spec's order).

import { InputError } from '../errors.js';
import { wasm } from '../wasm/runtime.js';
import { PRESETS, maxPairCutoff, preset, type PairPotential } from '../potential/potentials.js';
import { relabel, sortLabels, type System } from '../system/system.js';

export type DescriptorFamily = 'R' | 'A' | 'P' | 'E';

/** Options of the descriptors (../shared/spec/descriptors.md): families, shells, l list, CG levels, scales, potential; every field defaults to the spec. */
export interface FeatureOptions {
  /** First shell centre r0 (default 0.7). */
  r0?: number;
  /** Shell spacing dr (default 0.1). */
  dr?: number;
  /** Number of shells K (default 19): d_k = r0 + k dr, k = 0..K-1. */
  K?: number;
  /** Gaussian shell width delta (default 0.1). Cutoff of R and A: r_R = d_{K-1} + 3 delta. */
  delta?: number;
  /** Angular orders l of family A (default 1..8). */
  ls?: number[];
  /** Coarse-graining length r_c of the CG levels (default 2.0). */
  cgLength?: number;
  /** Levels of R and A: 0 = plain, n = CG applied n times (default [0, 1, 2]). */
  levels?: number[];
  /** Scales L of families P and E (default [1.5, 2, 3, 4, 5]). */
  scales?: number[];
  /** Diameters sigma per species (index order, or by label); default: the potential's, else 1. */
  diameters?: number[] | Record<string, number>;
  /** Pair potential: a preset name ('KA3D', 'KA2D') or a PairPotential (e.g. ljTable(...)). */
  potential?: string | PairPotential | null;
  /** Explicit species order (labels); default ascending (numeric, else lexicographic). */
  speciesOrder?: string[];
  /** Families to compute (default R, A, P, and E when a potential is given). */
  families?: DescriptorFamily[];
  /** Rows per neighbour-list chunk (default: about 1M pairs per chunk). */
  chunkRows?: number;
  /** Compute on a copy sorted along a space-filling curve (default true; faster, same values up to rounding). */
  spatialOrder?: boolean;
}

/** The options after defaults, validation and species matching. */
export interface ResolvedFeatureOptions {
  r0: number;
  dr: number;
  K: number;
  delta: number;
  /** Shell centres d_k = r0 + k dr (float64). */
  shells: number[];
  /** Cutoff of R and A: d_{K-1} + 3 delta. */
  rR: number;
  ls: number[];
  cgLength: number;
  levels: number[];
  scales: number[];
  /** Per species index (of the resolved system). */
  diameters: number[];
  /** Reindexed to the resolved system's species order; null without E. */
  potential: PairPotential | null;
  families: Set<DescriptorFamily>;
  chunkRows?: number;
}

export const DEFAULTS = {
  r0: 0.7,
  dr: 0.1,
  K: 19,
  delta: 0.1,
  ls: [1, 2, 3, 4, 5, 6, 7, 8],
  cgLength: 2.0,
  levels: [0, 1, 2],
  scales: [1.5, 2, 3, 4, 5],
} as const;

const isIntLabel = (s: string) => /^[+-]?\d+$/.test(s);

function finite(x: unknown, name: string, cond: (v: number) => boolean, expected: string): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || !cond(x)) throw new InputError(`option ${name} must be ${expected}, got ${String(x)}`);
  return x;
}

function intList(xs: unknown, name: string, min: number, max: number): number[] {
  if (!Array.isArray(xs) || xs.length === 0) throw new InputError(`option ${name} must be a non-empty list of integers`);
  const out = xs.map((v, k) => finite(v, `${name}[${k}]`, (u) => Number.isInteger(u) && u >= min && u <= max, `an integer in ${min}..${max}`));
  if (new Set(out).size !== out.length) throw new InputError(`option ${name} has repeated values [${out.join(', ')}]`);
  return out;
}

function boxText(sys: System): string {
  return Array.from(sys.box).join(' x ');
}

/** Every cutoff must be at most half the smallest box side (spec, System): else name it and the box. */
export function checkHalfBox(sys: System, value: number, what: string): void {
  const half = 0.5 * Math.min(...sys.box);
  if (!(value <= half)) {
    throw new InputError(`${what} = ${value} exceeds half the smallest box side ${half} (box ${boxText(sys)}${sys.source ? ', ' + sys.source : ''}); use a smaller value or a larger box`);
  }
}

/** The same system with species indices in the given label order. */
export function reorderSpecies(sys: System, order: readonly string[]): System {
  const set = new Set(order);
  if (set.size !== order.length) throw new InputError(`option speciesOrder has repeated labels [${order.join(', ')}]`);
  const missing = sys.labels.filter((l) => !set.has(l));
  if (missing.length) throw new InputError(`option speciesOrder [${order.join(', ')}] lacks the system's species ${missing.join(', ')}`);
  const extra = order.filter((l) => !sys.labels.includes(l));
  if (extra.length) throw new InputError(`option speciesOrder names species ${extra.join(', ')} not present in the system (species [${sys.labels.join(', ')}])`);
  const map = Int32Array.from(sys.labels, (l) => order.indexOf(l));
  const species = new Int32Array(sys.n);
  for (let i = 0; i < sys.n; i++) species[i] = map[sys.species[i]];
  return { ...sys, species, labels: [...order] };
}

/** A potential with its species, diameters and pairs put in the order `labels`. */
function reindexPotential(p: PairPotential, labels: string[]): PairPotential {
  const idx = labels.map((l) => p.species.indexOf(l));
  return {
    name: p.name,
    species: [...labels],
    diameters: idx.map((k) => p.diameters[k]),
    pairs: idx.map((a) => idx.map((b) => p.pairs[a][b])),
  };
}

/**
 * Match the system's species to a potential. Presets (by name, or a PairPotential whose name is
 * a preset's): integer species codes are relabelled with the preset's names in ascending order
 * (KA3D 0/1 -> A/B; the counts must match); otherwise labels are matched by name. Any species
 * without parameters, or any species of the table the system lacks, is an InputError.
 */
export function matchPotential(sys: System, potential: string | PairPotential): { system: System; potential: PairPotential } {
  const isPreset = typeof potential === 'string' || potential.name.toUpperCase() in PRESETS;
  const p = typeof potential === 'string' ? preset(potential) : potential;
  const where = sys.source ? `${sys.source}: ` : '';
  let s = sys;
  const same = p.species.length === s.labels.length && s.labels.every((l) => p.species.includes(l));
  if (isPreset && !same) {
    if (p.species.length !== s.labels.length) {
      throw new InputError(`${where}potential ${p.name} has ${p.species.length} species [${p.species.join(', ')}] but the system has ${s.labels.length} [${s.labels.join(', ')}]`);
    }
    if (!s.labels.every(isIntLabel)) {
      throw new InputError(`${where}species [${s.labels.join(', ')}] do not match potential ${p.name}'s [${p.species.join(', ')}] (integer codes are relabelled in ascending order; give labels explicitly otherwise)`);
    }
    // ascending code order -> the preset's names in order
    const asc = sortLabels(s.labels);
    s = relabel(reorderSpecies(s, asc), p.species);
  }
  const unknownSys = s.labels.filter((l) => !p.species.includes(l));
  if (unknownSys.length) {
    throw new InputError(`${where}species ${unknownSys.join(', ')} of the system have no parameters in pair potential ${p.name} (its species [${p.species.join(', ')}])`);
  }
  const unknownTab = p.species.filter((l) => !s.labels.includes(l));
  if (unknownTab.length) {
    throw new InputError(`${where}pair potential ${p.name} names unknown species ${unknownTab.join(', ')} (system species [${s.labels.join(', ')}])`);
  }
  return { system: s, potential: reindexPotential(p, s.labels) };
}

/** Defaults, validation and species matching. Returns the system to compute on (maybe relabelled). */
export function resolveFeatureOptions(system: System, options: FeatureOptions = {}): { system: System; options: ResolvedFeatureOptions } {
  if (!system || !(system.n >= 1)) throw new InputError('the system is empty (no particles): descriptors need at least one particle');
  if (system.dim !== 2 && system.dim !== 3) throw new InputError(`the system's dim must be 2 or 3, got ${system.dim}`);
  let sys = system;
  if (options.speciesOrder) sys = reorderSpecies(sys, options.speciesOrder);
  let matched: PairPotential | null = null;
  if (options.potential !== undefined && options.potential !== null) {
    const m = matchPotential(sys, options.potential);
    sys = m.system;
    matched = m.potential;
  }
  const r0 = finite(options.r0 ?? DEFAULTS.r0, 'r0', (v) => v >= 0, 'a non-negative number');
  const K = finite(options.K ?? DEFAULTS.K, 'K', (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  const dr = finite(options.dr ?? DEFAULTS.dr, 'dr', (v) => v > 0, 'a positive number');
  const delta = finite(options.delta ?? DEFAULTS.delta, 'delta', (v) => v > 0, 'a positive number');
  const shells = Array.from({ length: K }, (_, k) => r0 + k * dr);
  const rR = shells[K - 1] + 3 * delta;
  const ls = intList(options.ls ?? [...DEFAULTS.ls], 'ls', 0, wasm().layout.DESC_LMAX); // the kernels' largest l (assembly/descriptors/angular.ts)
  const cgLength = finite(options.cgLength ?? DEFAULTS.cgLength, 'cgLength', (v) => v > 0, 'a positive length');
  const levels = intList(options.levels ?? [...DEFAULTS.levels], 'levels', 0, 64);
  for (let k = 1; k < levels.length; k++) {
    if (levels[k] <= levels[k - 1]) throw new InputError(`option levels must be increasing, got [${levels.join(', ')}]`);
  }
  const scales = (options.scales ?? [...DEFAULTS.scales]).map((v, k) => finite(v, `scales[${k}]`, (u) => u > 0, 'a positive length'));
  if (scales.length === 0) throw new InputError('option scales must be a non-empty list of lengths');
  const fam = options.families ?? (matched ? ['R', 'A', 'P', 'E'] : ['R', 'A', 'P']);
  for (const f of fam) if (!['R', 'A', 'P', 'E'].includes(f)) throw new InputError(`option families: unknown family "${f}" (expected R, A, P, E)`);
  const families = new Set<DescriptorFamily>(fam);
  if (families.size === 0) throw new InputError('option families is empty: nothing to compute');
  if (families.has('E') && !matched) throw new InputError('family E needs a pair potential (option potential: KA3D, KA2D or a pair table)');
  const potential = families.has('E') ? matched : null;
  const S = sys.labels.length;
  let diameters: number[];
  const dopt = options.diameters;
  if (Array.isArray(dopt)) {
    if (dopt.length !== S) throw new InputError(`option diameters has ${dopt.length} values for ${S} species [${sys.labels.join(', ')}]`);
    diameters = dopt.map((v, k) => finite(v, `diameters[${k}]`, (u) => u > 0, 'a positive diameter'));
  } else if (dopt) {
    for (const k of Object.keys(dopt)) if (!sys.labels.includes(k)) throw new InputError(`option diameters names unknown species "${k}" (system species [${sys.labels.join(', ')}])`);
    diameters = sys.labels.map((l) => finite(dopt[l], `diameters.${l}`, (u) => u > 0, 'a positive diameter'));
  } else if (matched) {
    diameters = [...matched.diameters];
  } else diameters = sys.labels.map(() => 1);
  // cutoffs against half the box, each named
  const hasRA = families.has('R') || families.has('A');
  if (hasRA) {
    checkHalfBox(sys, rR, `shell cutoff r_R = d_{K-1} + 3 delta (r0 ${r0}, dr ${dr}, K ${K}, delta ${delta})`);
    if (levels.some((l) => l > 0)) checkHalfBox(sys, cgLength, 'coarse-graining length cgLength (r_c)');
  }
  if (families.has('P') || families.has('E')) {
    for (const L of scales) checkHalfBox(sys, L, `scale L`);
    if (new Set(scales).size !== scales.length) throw new InputError(`option scales has repeated values [${scales.join(', ')}]`);
  }
  if (families.has('E') && potential) checkHalfBox(sys, maxPairCutoff(potential), `pair potential ${potential.name} cutoff`);
  let chunkRows: number | undefined;
  if (options.chunkRows !== undefined) chunkRows = finite(options.chunkRows, 'chunkRows', (v) => Number.isInteger(v) && v >= 1, 'a positive integer');
  return {
    system: sys,
    options: { r0, dr, K, delta, shells, rR, ls, cgLength, levels, scales, diameters, potential, families, chunkRows },
  };
}
