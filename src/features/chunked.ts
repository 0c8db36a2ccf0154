// Descriptors of systems past one wasm instance's memory (wasm32: 4 GiB): the box is cut into
// slabs along its longest axis; each slab is computed with a halo of particles around it, as a
// system of its own whose box along that axis is the slab + both halos + a gap wider than every
// cutoff (so no pair crosses the artificial periodic boundary); the slab's own particles keep
// their rows. The halo is the longest chain of cutoffs a descriptor depends on:
//   R/A with CG levels up to n: r_R + n r_c(CG)  (level n of i needs level n-1 within r_c, ...)
//   P/E at scales L:            max L + (E: the pair cutoff, since e_j needs j's neighbours)
// so every slab particle sees exactly the neighbours (and neighbours' values) it has in the whole
// system. The values equal the unchunked ones up to rounding (the neighbour order, hence the
// summation order, differs): 1e-12 relative in test/chunked.test.ts.

import { InputError } from '../errors.js';
import { maxPairCutoff } from '../potential/potentials.js';
import type { System } from '../system/system.js';
import { computeFeatures } from './compute.js';
import { resolveFeatureOptions, type FeatureOptions } from './options.js';
import { planFeatures } from './families.js';
import type { FeatureMatrix } from './types.js';

export interface ChunkOptions {
  /** Largest number of particles (slab + halos) per kernel call. Default 400,000. */
  maxParticles?: number;
  /** Number of slabs (overrides maxParticles). */
  slabs?: number;
}

/** Halo width and gap the descriptors of these options need (see the module comment). */
export function featureHalo(system: System, options: FeatureOptions = {}): { halo: number; gap: number } {
  const { options: o } = resolveFeatureOptions(system, options);
  const fam = o.families;
  const rc = o.potential ? maxPairCutoff(o.potential) : 0;
  const hasRA = fam.has('R') || fam.has('A');
  const maxLevel = hasRA && o.levels.length ? Math.max(...o.levels) : 0;
  const hasE = fam.has('E') && o.potential !== null;
  const chainRA = hasRA ? o.rR + maxLevel * o.cgLength : 0;
  const chainPE = fam.has('P') || hasE ? Math.max(...o.scales) + (hasE ? rc : 0) : 0;
  const halo = Math.max(chainRA, chainPE, hasE ? rc : 0) * (1 + 1e-9) + 1e-9;
  const gap = Math.max(o.rR, o.cgLength, ...o.scales, rc) * 1.01 + 1e-6;
  return { halo, gap };
}

/** Rough wasm bytes computeFeatures needs for N particles under these options. */
export function featureMemoryEstimate(system: System, options: FeatureOptions = {}, n = system.n): number {
  const { system: rs, options: o } = resolveFeatureOptions(system, options);
  const plan = planFeatures(rs, o);
  const maxLevel = plan.nRA > 0 ? Math.max(...o.levels) : -1;
  const levelBlocks = maxLevel < 0 ? 0 : maxLevel === 0 ? 1 : Math.max(o.levels.length, 2); // blocks alive at once
  return n * (8 * plan.nRA * levelBlocks + 8 * (plan.nP + plan.nE) + 8 * (plan.nP + plan.nE + 4) * o.scales.length + 200) + 80e6;
}

/**
 * computeFeatures in slabs with halos (see the module comment): the same columns, rows in the
 * caller's order. One slab (small systems) is computeFeatures itself.
 */
export function computeFeaturesChunked(system: System, options: FeatureOptions = {}, chunk: ChunkOptions = {}): FeatureMatrix {
  const N = system.n, D = system.dim;
  const box = system.box;
  let axis = 0;
  for (let a = 1; a < D; a++) if (box[a] > box[axis]) axis = a;
  const L = box[axis];
  const { halo, gap } = featureHalo(system, options);
  const maxP = chunk.maxParticles ?? 400_000;
  if (!(maxP >= 1)) throw new InputError(`maxParticles must be >= 1, got ${maxP}`);
  let S = chunk.slabs ?? 1;
  if (chunk.slabs === undefined) {
    // smallest S with N (L/S + 2 halo) / L <= maxP
    while (N * (L / S + 2 * halo) / L > maxP && L / (S + 1) > 1e-9) S++;
  }
  if (!Number.isInteger(S) || S < 1) throw new InputError(`slabs must be a positive integer, got ${S}`);
  const w = L / S;
  if (S === 1 || w + 2 * halo >= L) return computeFeatures(system, options);
  if (N * (w + 2 * halo) / L > 2 * maxP && chunk.slabs === undefined) {
    throw new InputError(`${system.source ? system.source + ': ' : ''}a slab of the ${L}-long axis with its ${halo.toFixed(2)}-wide halos holds more than ${maxP} particles: the system is too dense or the cutoffs too long to chunk`);
  }
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
  let values: Float64Array | null = null;
  let head: FeatureMatrix | null = null;
  for (let s = 0; s < S; s++) {
    const lo = s * w;
    const idx: number[] = [];
    for (let i = 0; i < N; i++) {
      let d = xs[i] - lo + halo;
      d -= L * Math.floor(d / L);
      if (slabOf[i] === s || d < w + 2 * halo) idx.push(i);
    }
    const n = idx.length;
    const sub = new Float64Array(n * D);
    const species = new Int32Array(n);
    idx.forEach((i, k) => {
      for (let a = 0; a < D; a++) sub[k * D + a] = pos[i * D + a];
      let d = xs[i] - lo + halo;
      d -= L * Math.floor(d / L);
      if (slabOf[i] === s && d >= w + 2 * halo) d = halo; // rounding at the seam: it is interior
      sub[k * D + axis] = d;
      species[k] = system.species[i];
    });
    const subBox = Float64Array.from(box);
    subBox[axis] = w + 2 * halo + gap;
    const part: System = { ...system, n, positions: sub, species, box: subBox, columns: {}, source: `${system.source ?? 'system'} [slab ${s + 1}/${S}]` };
    const fm = computeFeatures(part, options);
    if (!head) {
      head = fm;
      values = new Float64Array(N * fm.p);
    } else if (fm.p !== head.p) {
      throw new InputError(`${part.source}: ${fm.p} columns, the first slab has ${head.p}`);
    }
    const p = fm.p;
    idx.forEach((i, k) => {
      if (slabOf[i] === s) values!.set(fm.values.subarray(k * p, (k + 1) * p), i * p);
    });
  }
  return { n: N, p: head!.p, values: values!, names: head!.names, meta: head!.meta };
}
