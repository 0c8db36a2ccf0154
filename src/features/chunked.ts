// Descriptors of systems past one wasm instance's memory (wasm32: 4 GiB), in two passes:
//
//   1. the base quantities (level 0 of R and A, and the pair energies e) of every particle, on
//      the whole system's neighbour search, in blocks of rows (only one block of the level-0
//      block is in wasm at a time; runFeatures' blockRows): no halo at all, since every
//      particle's neighbours are in the system;
//   2. the rest (CG levels of R and A, P, E's averages) from the base quantities, in slabs along
//      the box's longest axis: each slab is computed with a halo of particles around it, as a
//      system of its own whose box along that axis is the slab + both halos + a gap wider than
//      every cutoff (so no pair crosses the artificial periodic boundary), with the halo
//      particles' base quantities given from pass 1; the slab's own particles keep their rows.
//      The halo of pass 2 is the reach of what it computes from positions and given values:
//        CG levels up to n: n r_c(CG)      (level n of i needs level n-1 within r_c, ...)
//        P and E's averages at scales L: max L (e_j is given: its own pair cutoff is not needed)
//
// The single pass (ChunkOptions.passes = 1, the earlier scheme) computes everything in slabs
// whose halo is the longest chain of cutoffs a descriptor depends on (featureHalo):
//   R/A with CG levels up to n: r_R + n r_c(CG);   P/E at scales L: max L + (E: the pair cutoff)
// On the 1M-particle benchmark that halo (7.5 on a 45-wide slab) made every kernel do a third
// more work; the two passes do the expensive level 0 once per particle and give the cheaper
// averages a 5-wide halo (bench/million.bench.mjs).
//
// Either way every slab particle sees exactly the neighbours (and neighbours' values) it has in
// the whole system. The values equal the unchunked ones up to rounding (the neighbour order,
// hence the summation order, differs): 1e-12 relative in test/chunked.test.ts.

import { InputError } from '../errors.js';
import { MAX_WASM_BLOCK } from '../wasm/memory.js';
import type { System } from '../system/system.js';
import { computeFeatures, jobMemory, runFeatures } from './compute.js';
import { resolveFeatureOptions, type FeatureOptions } from './options.js';
import { featureFamilies, planFamilies, planFeatures } from './families.js';
import type { FeatureMatrix } from './types.js';

export interface ChunkOptions {
  /** Largest number of particles (slab + halos) per kernel call. Default 400,000. */
  maxParticles?: number;
  /** Number of slabs (overrides maxParticles). */
  slabs?: number;
  /** 2 (default): base quantities once per particle, then slabs with the averages' halo; 1: slabs with the full chain's halo. */
  passes?: 1 | 2;
  /** Cell reach of the neighbour searches (tests; default automatic). */
  reach?: number;
}

/** Halo width and gap the descriptors of these options need in one pass (see the module comment). */
export function featureHalo(system: System, options: FeatureOptions = {}): { halo: number; gap: number } {
  const { system: sys, options: o } = resolveFeatureOptions(system, options);
  const f = featureFamilies(sys, o);
  const rc = f.pair ? f.pair.reach : 0;
  const chainRA = f.radial || f.angular ? o.rR + (f.cg!.levels.length ? f.cg!.reach : 0) : 0;
  const chainPE = f.averages ? Math.max(f.packing ? f.packing.reach : 0, f.energy ? f.energy.reach : 0) : 0;
  const halo = Math.max(chainRA, chainPE, rc) * (1 + 1e-9) + 1e-9;
  const gap = Math.max(o.rR, o.cgLength, ...o.scales, rc) * 1.01 + 1e-6;
  return { halo, gap };
}

/** Halo width and gap of pass 2 (the base quantities given): the CG levels' and the averages' reach. */
export function averagesHalo(system: System, options: FeatureOptions = {}): { halo: number; gap: number } {
  const { system: sys, options: o } = resolveFeatureOptions(system, options);
  const f = featureFamilies(sys, o);
  const cgReach = f.cg ? f.cg.reach : 0;
  const avgReach = f.averages ? f.averages.cutoff : 0;
  const halo = Math.max(cgReach, avgReach) * (1 + 1e-9) + 1e-9;
  const gap = Math.max(f.cg && f.cg.maxLevel > 0 ? o.cgLength : 0, f.averages ? f.averages.cutoff : 0, 1e-3) * 1.01 + 1e-6;
  return { halo, gap };
}

/** Rough wasm bytes computeFeatures needs for N particles under these options. */
export function featureMemoryEstimate(system: System, options: FeatureOptions = {}, n = system.n): number {
  const { system: rs, options: o } = resolveFeatureOptions(system, options);
  return jobMemory(n, o, planFeatures(rs, o), false);
}

/** The slab geometry: axis, slab count and width for a halo (null: one slab is the whole system). */
function slabsFor(system: System, halo: number, chunk: ChunkOptions): { axis: number; S: number; w: number } | null {
  const N = system.n, D = system.dim, box = system.box;
  let axis = 0;
  for (let a = 1; a < D; a++) if (box[a] > box[axis]) axis = a;
  const L = box[axis];
  const maxP = chunk.maxParticles ?? 400_000;
  if (!(maxP >= 1)) throw new InputError(`maxParticles must be >= 1, got ${maxP}`);
  let S = chunk.slabs ?? 1;
  if (chunk.slabs === undefined) {
    // smallest S with N (L/S + 2 halo) / L <= maxP, i.e. L/S <= c = maxP L/N - 2 halo
    const fits = (k: number) => N * (L / k + 2 * halo) / L <= maxP;
    const c = (maxP * L) / N - 2 * halo;
    if (!(c > 0)) S = Math.max(1, Math.ceil(L / 1e-9)); // no slab count fits: refused below
    else {
      S = Math.max(1, Math.ceil(L / c));
      while (!fits(S)) S++;
      while (S > 1 && fits(S - 1)) S--;
    }
  }
  if (!Number.isInteger(S) || S < 1) throw new InputError(`slabs must be a positive integer, got ${S}`);
  const w = L / S;
  if (S === 1 || w + 2 * halo >= L) return null;
  if (N * (w + 2 * halo) / L > 2 * maxP && chunk.slabs === undefined) {
    throw new InputError(`${system.source ? system.source + ': ' : ''}a slab of the ${L}-long axis with its ${halo.toFixed(2)}-wide halos holds more than ${maxP} particles: the system is too dense or the cutoffs too long to chunk`);
  }
  return { axis, S, w };
}

/**
 * Walk the slabs: for each, the sub-system (slab + halos, its box along `axis` the slab, both
 * halos and the gap), idx[k] = the particle of `system` that is row k of the sub-system, and
 * own = the rows of the sub-system that belong to the slab.
 */
function forSlabs(system: System, geo: { axis: number; S: number; w: number }, halo: number, gap: number, fn: (part: System, idx: Int32Array, own: Int32Array) => void): void {
  const N = system.n, D = system.dim, { axis, S, w } = geo;
  const L = system.box[axis];
  const pos = system.positions;
  const xs = new Float64Array(N);
  const slabOf = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let x = pos[i * D + axis];
    x -= L * Math.floor(x / L);
    if (x >= L) x -= L;
    xs[i] = x;
    slabOf[i] = Math.min(S - 1, Math.floor(x / w));
  }
  const dist = new Float64Array(N);
  for (let s = 0; s < S; s++) {
    const lo = s * w;
    let n = 0, nOwn = 0;
    for (let i = 0; i < N; i++) {
      let d = xs[i] - lo + halo;
      d -= L * Math.floor(d / L);
      if (slabOf[i] === s && d >= w + 2 * halo) d = halo; // rounding at the seam: it is interior
      dist[i] = d;
      if (slabOf[i] === s || d < w + 2 * halo) {
        n++;
        if (slabOf[i] === s) nOwn++;
      }
    }
    const idx = new Int32Array(n), own = new Int32Array(nOwn);
    const sub = new Float64Array(n * D);
    const species = new Int32Array(n);
    let k = 0, m = 0;
    for (let i = 0; i < N; i++) {
      if (!(slabOf[i] === s || dist[i] < w + 2 * halo)) continue;
      idx[k] = i;
      if (slabOf[i] === s) own[m++] = k;
      for (let a = 0; a < D; a++) sub[k * D + a] = pos[i * D + a];
      sub[k * D + axis] = dist[i];
      species[k] = system.species[i];
      k++;
    }
    const subBox = Float64Array.from(system.box);
    subBox[axis] = w + 2 * halo + gap;
    const part: System = { ...system, n, positions: sub, species, box: subBox, columns: {}, source: `${system.source ?? 'system'} [slab ${s + 1}/${S}]` };
    fn(part, idx, own);
  }
}

/**
 * computeFeatures in passes and slabs with halos (see the module comment): the same columns,
 * rows in the caller's order. A system that fits in one slab is computeFeatures itself.
 */
export function computeFeaturesChunked(system: System, options: FeatureOptions = {}, chunk: ChunkOptions = {}): FeatureMatrix {
  const passes = chunk.passes ?? 2;
  if (passes !== 1 && passes !== 2) throw new InputError(`passes must be 1 or 2, got ${String(passes)}`);
  const one = featureHalo(system, options);
  // one slab for the whole chain: no chunking at all (the same call as before)
  if (slabsFor(system, one.halo, chunk) === null) return computeFeatures(system, options);
  const N = system.n;
  const { system: rs, options: o } = resolveFeatureOptions(system, options);
  const plan = planFamilies(featureFamilies(rs, o));
  const p = plan.p;
  const values = new Float64Array(N * p);
  const head = { n: N, p, values, names: plan.names, meta: plan.meta };
  const job = chunk.reach !== undefined ? { reach: chunk.reach } : {};
  if (passes === 1) {
    forSlabs(system, slabsFor(system, one.halo, chunk)!, one.halo, one.gap, (part, idx, own) => {
      runFeatures(part, options, { ...job, rows: own, into: { values, at: Int32Array.from(own, (k) => idx[k]) } });
    });
    return head;
  }
  // pass 1: base quantities of every particle, blocks of rows sized to one wasm block
  const maxP = chunk.maxParticles ?? 400_000;
  const blockRows = plan.nRA > 0 ? Math.max(1, Math.min(maxP, Math.floor((0.9 * MAX_WASM_BLOCK) / (8 * plan.nRA)))) : N;
  const base = runFeatures(system, options, { ...job, baseOnly: true, blockRows });
  // pass 2: slabs with the averages' halo, base quantities given
  const two = averagesHalo(system, options);
  const geo = slabsFor(system, two.halo, chunk) ?? { axis: 0, S: 1, w: system.box[0] };
  const nRA = plan.nRA;
  const run = (part: System, idx: Int32Array, own: Int32Array) => {
    let level0: Float64Array | undefined, energies: Float64Array | undefined;
    if (base.level0) {
      level0 = new Float64Array(part.n * nRA);
      for (let k = 0; k < part.n; k++) level0.set(base.level0.subarray(idx[k] * nRA, (idx[k] + 1) * nRA), k * nRA);
    }
    if (base.energies) energies = Float64Array.from(idx, (i) => base.energies![i]);
    runFeatures(part, options, { ...job, level0, energies, rows: own, into: { values, at: Int32Array.from(own, (k) => idx[k]) } });
  };
  if (geo.S === 1) run(system, Int32Array.from({ length: N }, (_, i) => i), Int32Array.from({ length: N }, (_, i) => i));
  else forSlabs(system, geo, two.halo, two.gap, run);
  return head;
}
