// Descriptors of systems past one wasm instance's memory (wasm32: 4 GiB), in three passes:
//
//   1. the base quantities (level 0 of R and A, and the pair energies e) of every particle, on
//      the whole system's neighbour search, in blocks of rows (only one block of the level-0
//      block is in wasm at a time; runFeatures' blockRows): no halo at all, since every
//      particle's neighbours are in the system;
//   2. the CG levels of R and A from level 0;
//   3. P and E's averages from the positions and e.
// Passes 2 and 3 each run on the whole system when their blocks fit in the memory that
// maxParticles stands for (P and E need ~1.6 kB per particle against ~6 kB for the full vector,
// so at 10^6 particles pass 3 needs no slabs); otherwise in slabs along the box's longest axis:
// each slab is computed with a halo of particles around it, as a system of its own whose box
// along that axis is the slab + both halos + a gap wider than every cutoff it uses (so no pair
// crosses the artificial periodic boundary), with the halo particles' base quantities given from
// pass 1; the slab's own particles keep their rows. A pass's halo is the reach of what it
// computes from positions and given values:
//   pass 2, CG levels up to n: n r_c(CG)   (level n of i needs level n-1 within r_c, ...)
//   pass 3, scales L:          max L       (e_j is given: its own pair cutoff is not needed)
//
// The single pass (ChunkOptions.passes = 1, the earlier scheme) computes everything in slabs
// whose halo is the longest chain of cutoffs a descriptor depends on (featureHalo):
//   R/A with CG levels up to n: r_R + n r_c(CG);   P/E at scales L: max L + (E: the pair cutoff)
// On the 10^6-particle benchmark that halo (7.5 on a 45-wide slab) made every kernel do a third
// more work (bench/million.bench.mjs).
//
// Either way every slab particle sees exactly the neighbours (and neighbours' values) it has in
// the whole system. The values equal the unchunked ones up to rounding (the neighbour order,
// hence the summation order, differs): 1e-12 relative in test/chunked.test.ts and
// test/backend-matrix.test.ts.

import { InputError } from '../errors.js';
import { MAX_WASM_BLOCK } from '../wasm/memory.js';
import type { System } from '../system/system.js';
import { computeFeatures, jobMemory, runFeatures } from './compute.js';
import { resolveFeatureOptions, type FeatureOptions } from './options.js';
import { featureFamilies, planFamilies, planFeatures } from './families.js';
import type { FeatureMatrix } from './types.js';

export interface ChunkOptions {
  /**
   * Largest number of particles (slab + halos) per kernel call for the full descriptor vector
   * (default 400,000); a pass that needs fewer bytes per particle takes proportionally more.
   */
  maxParticles?: number;
  /** Number of slabs (overrides maxParticles). */
  slabs?: number;
  /** 2 (default): base quantities once per particle, then the CG levels and the averages, each with its own halo (see the module comment); 1: slabs with the full chain's halo. */
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

/** Rough wasm bytes computeFeatures needs for N particles under these options. */
export function featureMemoryEstimate(system: System, options: FeatureOptions = {}, n = system.n): number {
  const { system: rs, options: o } = resolveFeatureOptions(system, options);
  return jobMemory(n, o, planFeatures(rs, o), false);
}

/** True when computeFeaturesChunked(system, options, chunk) is one computeFeatures call (no slabs): then featureRowBytes gives its bytes. */
export function fitsOneCall(system: System, options: FeatureOptions = {}, chunk: ChunkOptions = {}): boolean {
  return slabsFor(system, featureHalo(system, options).halo, chunk) === null;
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
  // the wasm bytes maxParticles stands for (the full vector); a pass that needs fewer bytes per
  // particle takes proportionally more particles per call
  const budget = jobMemory(maxP, o, plan, false);
  const fams = featureFamilies(rs, o);
  const ra = (['R', 'A'] as const).filter((x) => o.families.has(x));
  const pe = (['P', 'E'] as const).filter((x) => o.families.has(x));
  // pass 2: the R|A levels from level 0 (halo: the CG levels' reach); pass 3: P and E's averages
  // from the positions and e (halo: the largest scale); each on the whole system when it fits
  const parts: { families: ('R' | 'A' | 'P' | 'E')[]; halo: number; gap: number; col: number; levels: boolean }[] = [];
  if (ra.length) {
    const reach = fams.cg!.reach;
    parts.push({ families: ra, halo: reach * (1 + 1e-9) + 1e-9, gap: Math.max(fams.cg!.maxLevel > 0 ? o.cgLength : 0, 1e-3) * 1.01 + 1e-6, col: 0, levels: true });
  }
  if (pe.length) {
    const L = fams.averages!.cutoff;
    parts.push({ families: pe, halo: L * (1 + 1e-9) + 1e-9, gap: L * 1.01 + 1e-6, col: plan.nRA * o.levels.length, levels: false });
  }
  for (const part of parts) {
    const po: FeatureOptions = { ...options, families: part.families };
    const { system: ps, options: pr } = resolveFeatureOptions(system, po);
    const pplan = planFeatures(ps, pr);
    const perParticle = (jobMemory(1e6, pr, pplan, false) - jobMemory(0, pr, pplan, false)) / 1e6;
    const maxPart = Math.max(1, Math.floor((budget - jobMemory(0, pr, pplan, false)) / perParticle));
    const run = (sub: System, idx: Int32Array | null, own: Int32Array | null) => {
      const at = own ? Int32Array.from(own, (k) => idx![k]) : Int32Array.from({ length: N }, (_, i) => i);
      const sel = (v: Float64Array | null) => (v ? (idx ? { values: v, rows: idx } : v) : undefined);
      runFeatures(sub, po, {
        ...job, level0: part.levels ? sel(base.level0) : undefined, energies: part.levels ? undefined : sel(base.energies),
        rows: own ?? undefined, into: { values, at, stride: p, col: part.col },
      });
    };
    const geo = slabsFor(system, part.halo, { ...chunk, maxParticles: chunk.slabs === undefined ? maxPart : chunk.maxParticles });
    if (geo === null) run(system, null, null);
    else forSlabs(system, geo, part.halo, part.gap, run);
  }
  return head;
}
