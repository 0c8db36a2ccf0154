// Structure combinations for `fit --structure` (docs/spec/cage-and-displacement.md).
//
//   parts: thermal | inherent | cage | dIS | dCS, comma-separated, e.g. "inherent,cage,dIS".
//   Columns, in this order: thermal descriptors (plain names) | IS:<name> (inherent structure) |
//   CS:<name> (cage state, families R, A, P only: never E, whose pair energies on averaged
//   positions are not a physical energy) | dIS, dIS(L=..) | dCS, dCS(L=..).
//   A single part keeps plain names (as `--structure inherent` always did); "both" keeps its
//   own layout (thermal | IS: | dIS), unchanged.
//   dIS_i = |x_i^IS - x_i| and dCS_i = |x_i^CS - x_i| (minimum image; thermal -> inherent /
//   cage), plus their coarse-grainings at the scales L of families P and E (the spec's CG
//   kernel on the thermal configuration: coarseGrain in src/features/compute.ts).
// Browser-safe: the minimiser and the cage-state function are injected, or the positions come
// precomputed in the Configuration (`inherent`, and `cage` via setCageState).

import { InputError } from '../errors.js';
import type { Configuration } from './configurations.js';
import { computeFeatures, featureNames, coarseGrain, resolveFeatureOptions, type FeatureOptions } from '../features/index.js';
import type { FeatureMatrix, FeatureMeta } from '../features/types.js';
import { formatNum } from '../features/names.js';
import type { System } from '../system/system.js';

export const STRUCTURE_PARTS = ['thermal', 'inherent', 'cage', 'dIS', 'dCS'] as const;
export type StructurePart = (typeof STRUCTURE_PARTS)[number];

/** Minimised (inherent-structure) positions of a system, N*dim. */
export type PositionsProvider = (system: System, potential: string, name: string) => Float64Array;

/** Cage-state positions stored with a configuration (filled before fit by the Node workflow). */
const cageStore = new WeakMap<Configuration, Float64Array>();
export function setCageState(c: Configuration, positions: Float64Array): void {
  if (positions.length !== c.system.positions.length) throw new InputError(`${c.name}: cage positions have ${positions.length} values, expected ${c.system.positions.length}`);
  cageStore.set(c, positions);
}
export function getCageState(c: Configuration): Float64Array | undefined {
  return cageStore.get(c);
}

/** true for the names this module handles (a comma list, or one of cage / dIS / dCS). */
export function isCombination(structure: string): boolean {
  return !['thermal', 'inherent', 'both'].includes(structure);
}

/** Parse "inherent,cage,dIS" into canonical order; InputError on unknown or repeated parts. */
export function parseStructure(structure: string): StructurePart[] {
  const parts = structure.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new InputError(`--structure: empty`);
  for (const p of parts) {
    if (!(STRUCTURE_PARTS as readonly string[]).includes(p)) throw new InputError(`--structure: unknown part "${p}" (expected thermal, inherent, cage, dIS, dCS, a comma list of them, both or auto)`);
  }
  if (new Set(parts).size !== parts.length) throw new InputError(`--structure: repeated part in "${structure}"`);
  return STRUCTURE_PARTS.filter((p) => parts.includes(p));
}

/** Canonical name of a combination ("cage,inherent" -> "inherent,cage"). */
export function canonicalStructure(structure: string): string {
  return isCombination(structure) ? parseStructure(structure).join(',') : structure;
}

export const needsInherent = (parts: StructurePart[]): boolean => parts.includes('inherent') || parts.includes('dIS');
export const needsCage = (parts: StructurePart[]): boolean => parts.includes('cage') || parts.includes('dCS');

function cageFeatureOptions(fo: FeatureOptions): FeatureOptions {
  const fams = (fo.families ?? ['R', 'A', 'P', 'E']).filter((f) => f !== 'E');
  return { ...fo, families: fams };
}

function scalesOf(c: Configuration, fo: FeatureOptions): number[] {
  return resolveFeatureOptions(c.system, fo).options.scales;
}

function displacementNames(tag: 'dIS' | 'dCS', scales: number[]): string[] {
  return [tag, ...scales.map((L) => `${tag}(L=${formatNum(L)})`)];
}

/** Column names of a combination, without computing anything. */
export function combinationNames(c: Configuration, fo: FeatureOptions, parts: StructurePart[]): string[] {
  const single = parts.length === 1;
  const out: string[] = [];
  const pre = (p: string) => (single ? '' : p);
  if (parts.includes('thermal')) out.push(...featureNames(c.system, fo));
  if (parts.includes('inherent')) out.push(...featureNames(c.system, fo).map((x) => pre('IS:') + x));
  if (parts.includes('cage')) out.push(...featureNames(c.system, cageFeatureOptions(fo)).map((x) => pre('CS:') + x));
  if (parts.includes('dIS')) out.push(...displacementNames('dIS', scalesOf(c, fo)));
  if (parts.includes('dCS')) out.push(...displacementNames('dCS', scalesOf(c, fo)));
  return out;
}

/** |b_i - a_i| with the minimum image per axis. */
export function displacementMagnitudes(sys: System, a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const D = sys.dim, n = sys.n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < D; k++) {
      const L = sys.box[k];
      let d = b[i * D + k] - a[i * D + k];
      d -= L * Math.round(d / L);
      s += d * d;
    }
    out[i] = Math.sqrt(s);
  }
  return out;
}

// Part matrices memoised while `withFeatureMemo` runs (structure auto: every candidate reuses them).
let memo: Map<Configuration, Map<string, FeatureMatrix>> | null = null;

/** Run fn with the per-configuration part matrices memoised (freed afterwards). */
export function withFeatureMemo<T>(fn: () => T): T {
  const outer = memo;
  memo = outer ?? new Map();
  try {
    return fn();
  } finally {
    memo = outer;
  }
}

function part(c: Configuration, key: string, make: () => FeatureMatrix): FeatureMatrix {
  if (!memo) return make();
  let m = memo.get(c);
  if (!m) memo.set(c, (m = new Map()));
  let fm = m.get(key);
  if (!fm) m.set(key, (fm = make()));
  return fm;
}

function displacementBlock(c: Configuration, fo: FeatureOptions, tag: 'dIS' | 'dCS', target: Float64Array): FeatureMatrix {
  const d = displacementMagnitudes(c.system, c.system.positions, target);
  const scales = scalesOf(c, fo);
  const n = c.system.n, p = 1 + scales.length;
  const values = new Float64Array(n * p);
  for (let i = 0; i < n; i++) values[i * p] = d[i];
  scales.forEach((L, s) => {
    const g = coarseGrain(c.system, d, 1, L);
    for (let i = 0; i < n; i++) values[i * p + 1 + s] = g[i];
  });
  const names = displacementNames(tag, scales);
  const meta: FeatureMeta[] = names.map((name, k) => ({ name, family: 'X', level: 0, kind: tag, ...(k > 0 ? { L: scales[k - 1] } : {}) }));
  return { n, p, values, names, meta };
}

/**
 * Descriptors of one configuration for a combination of structure parts. Inherent positions come
 * from c.inherent or `minimize`; cage positions from setCageState or `cage`.
 */
export function combinationFeatures(c: Configuration, fo: FeatureOptions, parts: StructurePart[], minimize?: PositionsProvider, cage?: PositionsProvider): FeatureMatrix {
  const single = parts.length === 1;
  const pot = fo.potential;
  const foKey = JSON.stringify(fo);
  let inh: Float64Array | undefined;
  let cs: Float64Array | undefined;
  if (needsInherent(parts)) {
    inh = c.inherent;
    if (!inh) {
      if (!minimize) throw new InputError(`${c.name}: this structure needs an inherent structure: none is stored and no minimiser was given`);
      if (!pot || typeof pot !== 'string') throw new InputError(`${c.name}: the inherent structure needs a potential preset to minimise (e.g. --preset KA3D)`);
      inh = minimize(c.system, pot, c.name);
      c.inherent = inh;
    }
    if (inh.length !== c.system.positions.length) throw new InputError(`${c.name}: inherent positions have ${inh.length} values, expected ${c.system.positions.length}`);
  }
  if (needsCage(parts)) {
    cs = getCageState(c);
    if (!cs) {
      if (!cage) throw new InputError(`${c.name}: this structure needs a cage state: none was computed and no cage-state function was given`);
      if (!pot || typeof pot !== 'string') throw new InputError(`${c.name}: the cage state needs a potential preset for the MD (e.g. --preset KA3D)`);
      cs = cage(c.system, pot, c.name);
      setCageState(c, cs);
    }
  }
  const blocks: { fm: FeatureMatrix; prefix: string; structure: string }[] = [];
  if (parts.includes('thermal')) blocks.push({ fm: part(c, 'thermal' + foKey, () => computeFeatures(c.system, fo)), prefix: '', structure: '' });
  if (inh && parts.includes('inherent')) {
    const x = inh;
    blocks.push({ fm: part(c, 'inherent' + foKey, () => computeFeatures({ ...c.system, positions: x }, fo)), prefix: single ? '' : 'IS:', structure: 'IS:' });
  }
  if (cs && parts.includes('cage')) {
    const x = cs;
    blocks.push({ fm: part(c, 'cage' + foKey, () => computeFeatures({ ...c.system, positions: x }, cageFeatureOptions(fo))), prefix: single ? '' : 'CS:', structure: 'CS:' });
  }
  if (inh && parts.includes('dIS')) {
    const x = inh;
    blocks.push({ fm: part(c, 'dIS' + foKey, () => displacementBlock(c, fo, 'dIS', x)), prefix: '', structure: '' });
  }
  if (cs && parts.includes('dCS')) {
    const x = cs;
    blocks.push({ fm: part(c, 'dCS' + foKey, () => displacementBlock(c, fo, 'dCS', x)), prefix: '', structure: '' });
  }
  if (blocks.length === 1 && blocks[0].prefix === '') {
    const b = blocks[0];
    return b.structure ? { ...b.fm, meta: b.fm.meta.map((m) => ({ ...m, structure: b.structure })) } : b.fm;
  }
  const n = c.system.n;
  const p = blocks.reduce((s, b) => s + b.fm.p, 0);
  const values = new Float64Array(n * p);
  let off = 0;
  for (const b of blocks) {
    const q = b.fm.p;
    for (let i = 0; i < n; i++) values.set(b.fm.values.subarray(i * q, (i + 1) * q), i * p + off);
    off += q;
  }
  const names = blocks.flatMap((b) => b.fm.names.map((x) => b.prefix + x));
  const meta = blocks.flatMap((b) => b.fm.meta.map((m) => ({ ...m, name: b.prefix + m.name, ...(b.structure ? { structure: b.structure } : {}) })));
  return { n, p, values, names, meta };
}
