// Feature API: options -> kernel calls (assembly/descriptors/) -> FeatureMatrix.
//
// Data flow (all per-particle data stays in wasm memory; JS only loops over chunks and scales):
//   0. the particles are sorted along a Morton curve (neighbours in space become neighbours in
//      memory); rows are gathered back into the caller's order at the end;
//   1. level 0 of R and A (and e when the potential's cutoff fits inside r_R), one full
//      neighbour list at r_R per chunk of rows;
//   2. CG levels: x^(n) = CG_{r_c}(x^(n-1)) with the coarse-graining kernel on the whole R+A
//      block of the previous level (each level its own block, < 1 GB);
//   3. e_i (own neighbour list at the potential's cutoff when it did not fit in step 1);
//   4. P and E: one half neighbour list at the largest scale per chunk, one coarse-graining
//      call per scale on the source columns [1[s=b] (b < S-1), e, e^2, v_s];
//   5. the blocks are gathered row chunk by row chunk into the row-major N x p result.
// Large systems are walked in chunks of rows (about 1M pairs per list), so no pair list for the
// whole system is ever held; one neighbour-list handle per cutoff is reused across chunks and
// freed when its phase ends. Memory: about 8 (S K + n_l K)(levels) + ~100 bytes per particle of
// wasm memory plus the result (the default 3D vector: 1.8 GB at N = 262144).

import { InputError } from '../errors.js';
import { NeighborQuery } from '../neighbors/neighbors.js';
import { flattenPotential, maxPairCutoff, type PairPotential } from '../potential/potentials.js';
import type { System } from '../system/system.js';
import { wasm } from '../wasm/runtime.js';
import type { F64Buffer, I32Buffer, Scope, Wasm } from '../wasm/memory.js';
import { checkHalfBox, planFeatures, resolveFeatureOptions, type DescriptorFamily, type FeatureOptions, type ResolvedFeatureOptions } from './options.js';
import type { FeatureMatrix } from './types.js';
import { dpow } from '../wasm/detmath.js';

/** Pairs per neighbour-list chunk (about 36 MB of list). */
const PAIR_BUDGET = 1 << 20;

/** Volume of a D-ball of radius r. */
function ballVolume(dim: number, r: number): number {
  return dim === 3 ? (4 / 3) * Math.PI * r * r * r : Math.PI * r * r;
}

/** Rows per chunk so that a list at `cutoff` holds about PAIR_BUDGET pairs. */
function chunkRows(sys: System, cutoff: number, fixed?: number): number {
  if (fixed) return Math.min(sys.n, fixed);
  let vol = 1;
  for (const L of sys.box) vol *= L;
  const perRow = Math.max(1, (sys.n / vol) * ballVolume(sys.dim, cutoff));
  return Math.max(64, Math.min(sys.n, Math.floor(PAIR_BUDGET / perRow)));
}

/** v_b = volume of a D-sphere of diameter sigma_b: pi/6 sigma^3 (3D), pi/4 sigma^2 (2D). */
export function particleVolume(dim: number, sigma: number): number {
  return dim === 3 ? (Math.PI / 6) * sigma * sigma * sigma : (Math.PI / 4) * sigma * sigma;
}

/** W_D(L) = integral of exp(-r/L) over the D-ball of radius L: 4 pi L^3 (2 - 5/e) (3D), 2 pi L^2 (1 - 2/e) (2D). */
export function ballWeight(dim: number, L: number): number {
  return dim === 3 ? 4 * Math.PI * L * L * L * (2 - 5 / Math.E) : 2 * Math.PI * L * L * (1 - 2 / Math.E);
}

/** Positions must be finite (checked in wasm: no JS loop over particles). Returns them in wasm. */
function checkFinite(w: Wasm, sc: Scope, sys: System): F64Buffer {
  const pos = sc.f64From(sys.positions);
  const k = w.exports.descFirstNonFinite(pos.ptr, sys.positions.length);
  if (k >= 0) {
    throw new InputError(`${sys.source ? sys.source + ': ' : ''}particle ${Math.floor(k / sys.dim)} has a non-finite coordinate ${'xyz'[k % sys.dim]} = ${sys.positions[k]}`);
  }
  return pos;
}

/**
 * The system with its particles sorted along a Morton curve of cells holding about 4 particles
 * (neighbours in space become neighbours in memory: the kernels' random accesses hit the cache),
 * its species in wasm, and inv[i] = sorted row of the caller's particle i. Without sorting
 * (sort = false) the identity.
 */
function spatialSort(w: Wasm, sc: Scope, sys: System, pos: F64Buffer, sort: boolean): { sys: System; spec: I32Buffer; inv: I32Buffer; perm: I32Buffer } {
  const N = sys.n, D = sys.dim;
  const x = w.exports;
  const spec0 = sc.i32From(sys.species);
  const perm = sc.i32(N);
  if (sort) {
    let vol = 1;
    for (const L of sys.box) vol *= L;
    const side = dpow((4 * vol) / N, 1 / D);
    x.descSpatialOrder(pos.ptr, N, D, sys.box[0], sys.box[1], D === 3 ? sys.box[2] : 1, side, perm.ptr);
  } else perm.set(Int32Array.from({ length: N }, (_, i) => i));
  const spos = sc.f64(N * D);
  x.descGatherRows(pos.ptr, D, perm.ptr, N, spos.ptr, D, D);
  const spec = sc.i32(N);
  const inv = sc.i32(N);
  x.descGatherI32(spec0.ptr, perm.ptr, N, spec.ptr, inv.ptr);
  const sorted: System = { ...sys, positions: spos.toArray(), species: spec.toArray() };
  spos.free();
  spec0.free();
  return { sys: sorted, spec, inv, perm };
}

/** Two particles at distance 0 have no bond direction and an infinite pair energy: an InputError. */
function checkCoincident(w: Wasm, sc: Scope, h: number, sys: System, perm: I32Buffer | null): void {
  const out = sc.i32(1);
  const i = w.exports.descFirstCoincident(h, out.ptr);
  if (i >= 0) {
    const j = out.view[0];
    const orig = (k: number) => (perm ? perm.view[k] : k);
    throw new InputError(`${sys.source ? sys.source + ': ' : ''}particles ${Math.min(orig(i), orig(j))} and ${Math.max(orig(i), orig(j))} are at the same position (distance 0)`);
  }
  out.free();
}

/** Walk [0, n) in chunks of `rows`: fn(i0, i1). */
function forChunks(n: number, rows: number, fn: (i0: number, i1: number) => void): void {
  for (let i0 = 0; i0 < n; i0 += rows) fn(i0, Math.min(n, i0 + rows));
}

/** Run fn with a cell list at `cutoff`, freed (with its neighbour list) as soon as fn returns. */
function withQuery<T>(sys: System, cutoff: number, fn: (q: NeighborQuery) => T): T {
  const q = new NeighborQuery(sys, cutoff);
  try {
    return fn(q);
  } finally {
    q.free();
  }
}

/**
 * out = CG_L(x) on ncol columns (N x ldx -> N x ncol rows of out, row stride ncol) with the
 * coarse-graining kernel: half neighbour lists chunk by chunk, then the normalisation.
 * W (N) receives the neighbour weight sums.
 */
function coarseGrainBlock(w: Wasm, q: NeighborQuery, L: number, rows: number, x: F64Buffer, ldx: number, ncol: number, out: F64Buffer, W: F64Buffer): void {
  const n = q.system.n;
  out.view.fill(0);
  W.view.fill(0);
  forChunks(n, 2 * rows, (i0, i1) => {
    w.exports.descCoarseGrainAdd(q.buildHandle(i0, i1, L, true), L, x.ptr, ldx, ncol, out.ptr, ncol, W.ptr);
  });
  w.exports.descCoarseGrainFinish(0, n, x.ptr, ldx, ncol, out.ptr, ncol, W.ptr);
}

/** Per-particle pair energies e_i into `e` (wasm), with its own or a shared neighbour list. */
function energies(w: Wasm, sc: Scope, sys: System, o: ResolvedFeatureOptions, pot: PairPotential, spec: I32Buffer, e: F64Buffer, perm: I32Buffer | null): void {
  const rc = maxPairCutoff(pot);
  const table = sc.f64From(flattenPotential(pot));
  withQuery(sys, rc, (q) => forChunks(sys.n, chunkRows(sys, rc, o.chunkRows), (i0, i1) => {
    const h = q.buildHandle(i0, i1);
    checkCoincident(w, sc, h, sys, perm);
    w.exports.descEnergy(h, spec.ptr, table.ptr, sys.labels.length, e.ptr);
  }));
}

/**
 * The spec's feature vector for every particle of `system`: columns in the order
 * [R^(0), A^(0), R^(1), A^(1), ..., P, E] (../shared/spec/descriptors.md, "Default feature
 * vector"), names as the spec writes them, metadata per column.
 */
export function computeFeatures(system: System, options: FeatureOptions = {}): FeatureMatrix {
  const { system: sys0, options: o } = resolveFeatureOptions(system, options);
  const plan = planFeatures(sys0, o);
  // wasm32 holds 4 GiB: refuse up front (an InputError, not a trap deep in a kernel) when the
  // per-particle blocks cannot fit; computeFeaturesChunked (features/chunked.ts) splits the box
  const maxLevel = plan.nRA > 0 ? Math.max(...o.levels) : -1;
  const blocks = maxLevel < 0 ? 0 : maxLevel === 0 ? 1 : Math.max(o.levels.length, 2);
  const need = sys0.n * (8 * plan.nRA * blocks + 8 * (plan.nP + plan.nE) + 8 * (plan.nP + plan.nE + 4) * o.scales.length + 200) + 80e6;
  if (need > 4.2e9) {
    throw new InputError(`${sys0.source ? sys0.source + ': ' : ''}${sys0.n} particles x ${plan.p} descriptors need about ${(need / 1e9).toFixed(1)} GB of wasm memory, more than wasm32's 4 GiB: use computeFeaturesChunked (glassbox features does it automatically)`);
  }
  const w = wasm();
  const x = w.exports;
  const N = sys0.n, S = sys0.labels.length, K = o.K;
  const fam = o.families;
  return w.scoped((sc) => {
    const pos = checkFinite(w, sc, sys0);
    const { sys, spec, inv, perm } = spatialSort(w, sc, sys0, pos, options.spatialOrder !== false);
    pos.free();
    const pot = o.potential;
    let e: F64Buffer | null = null;
    const eNeeded = fam.has('E') && pot !== null;
    // 1. level 0 of R and A (+ e on the same list when it fits)
    const levelBlocks: F64Buffer[] = [];
    const { nRA, nR } = plan;
    const maxLevel = nRA > 0 ? Math.max(...o.levels) : -1;
    if (nRA > 0) {
      const b0 = sc.f64(N * nRA);
      levelBlocks.push(b0);
      const ls = sc.i32From(o.ls);
      const shareE = eNeeded && maxPairCutoff(pot!) <= o.rR;
      let table: F64Buffer | null = null;
      if (shareE) {
        e = sc.f64(N);
        table = sc.f64From(flattenPotential(pot!));
      }
      withQuery(sys, o.rR, (q) => forChunks(N, chunkRows(sys, o.rR, o.chunkRows), (i0, i1) => {
        const h = q.buildHandle(i0, i1);
        checkCoincident(w, sc, h, sys, perm);
        if (fam.has('R')) x.descRadial(h, spec.ptr, S, o.r0, o.dr, K, o.delta, o.rR, b0.ptr, nRA);
        if (fam.has('A')) x.descAngular(h, sys.dim, o.r0, o.dr, K, o.delta, o.rR, ls.ptr, o.ls.length, b0.ptr + 8 * nR, nRA);
        if (shareE) x.descEnergy(h, spec.ptr, table!.ptr, S, e!.ptr);
      }));
      // 2. coarse-graining levels: x^(n) = CG_{r_c}(x^(n-1)) on the whole R+A block
      if (maxLevel > 0) {
        const rows = chunkRows(sys, o.cgLength, o.chunkRows);
        const W = sc.f64(N);
        withQuery(sys, o.cgLength, (q2) => {
          for (let lev = 1; lev <= maxLevel; lev++) {
            const prev = levelBlocks[lev - 1];
            const b = sc.f64(N * nRA);
            levelBlocks.push(b);
            coarseGrainBlock(w, q2, o.cgLength, rows, prev, nRA, nRA, b, W);
            if (!o.levels.includes(lev - 1)) prev.free(); // an intermediate level, not in the output
          }
        });
        W.free();
      }
    }
    // 3. energies on their own list
    if (eNeeded && e === null) {
      e = sc.f64(N);
      energies(w, sc, sys, o, pot!, spec, e, perm);
    }
    // 4. P and E
    const nPE = plan.nP + plan.nE;
    let pe: F64Buffer | null = null;
    if (nPE > 0) {
      pe = sc.f64(N * nPE);
      const hasE = fam.has('E');
      const nx = S - 1;
      const nAvg = nx + (hasE ? 2 : 0);
      const nSum = S > 1 ? 1 : 0;
      const nsrc = nAvg + nSum;
      const vol = sc.f64From(o.diameters.map((d) => particleVolume(sys.dim, d)));
      const src = sc.f64(Math.max(1, N * nsrc));
      x.descPackingSource(N, spec.ptr, S, hasE ? e!.ptr : 0, vol.ptr, src.ptr, nsrc);
      if (hasE) x.descCopyBlock(e!.ptr, 1, pe.ptr + 8 * plan.nP, nPE, N, 1);
      // one half list at the largest scale per chunk; per scale its own sums
      const nS = o.scales.length;
      const acc = sc.f64(Math.max(1, N * nsrc * nS));
      const W = sc.f64(N * nS);
      acc.view.fill(0);
      W.view.fill(0);
      const Lmax = Math.max(...o.scales);
      withQuery(sys, Lmax, (q) => forChunks(N, 2 * chunkRows(sys, Lmax, o.chunkRows), (i0, i1) => {
        const h = q.buildHandle(i0, i1, Lmax, true);
        checkCoincident(w, sc, h, sys, perm);
        o.scales.forEach((L, s) => x.descCoarseGrainAdd(h, L, src.ptr, nsrc, nsrc, acc.ptr + 8 * s * N * nsrc, nsrc, W.ptr + 8 * s * N));
      }));
      o.scales.forEach((L, s) => {
        const as = acc.ptr + 8 * s * N * nsrc, Ws = W.ptr + 8 * s * N;
        x.descCoarseGrainFinish(0, N, src.ptr, nsrc, nAvg, as, nsrc, Ws);
        const pOut = fam.has('P') ? pe!.ptr + 8 * s * plan.nPScale : 0;
        const eOut = hasE ? pe!.ptr + 8 * (plan.nP + 1 + 2 * s) : 0;
        x.descPackingAssemble(0, N, as, nsrc, Ws, S, hasE ? 1 : 0, 1 / ballWeight(sys.dim, L), pOut, nPE, eOut, nPE);
      });
      for (const b of [acc, W, src]) b.free();
    }
    // 5. gather the blocks into the row-major result, straight from wasm memory (no staging
    //    buffer: a fresh N x p block in wasm memory cost as much as the copy itself)
    const p = plan.p;
    const values = new Float64Array(N * p);
    const invV = inv.view;
    const gather = (blk: F64Buffer, ld: number, col: number): void => {
      const src = blk.view;
      for (let i = 0; i < N; i++) {
        const s0 = invV[i] * ld;
        values.set(src.subarray(s0, s0 + ld), i * p + col);
      }
    };
    let col = 0;
    if (nRA > 0) {
      for (const lev of o.levels) {
        gather(levelBlocks[lev], nRA, col);
        col += nRA;
      }
    }
    if (pe) gather(pe, nPE, col);
    return { n: N, p, values, names: plan.names, meta: plan.meta };
  });
}

/** The column names computeFeatures would give (nothing computed). */
export function featureNames(system: System, options: FeatureOptions = {}): string[] {
  const { system: sys, options: o } = resolveFeatureOptions(system, options);
  return planFeatures(sys, o).names;
}

function only(options: FeatureOptions, f: DescriptorFamily): FeatureOptions {
  return { ...options, families: [f] };
}

/** Family R (with its CG levels as options.levels says). */
export function radialFeatures(system: System, options: FeatureOptions = {}): FeatureMatrix {
  return computeFeatures(system, only(options, 'R'));
}
/** Family A (with its CG levels as options.levels says). */
export function angularFeatures(system: System, options: FeatureOptions = {}): FeatureMatrix {
  return computeFeatures(system, only(options, 'A'));
}
/** Family P: rho, phi, x at every scale. */
export function packingFeatures(system: System, options: FeatureOptions = {}): FeatureMatrix {
  return computeFeatures(system, only(options, 'P'));
}
/** Family E: e, e(L), evar(L) (needs options.potential). */
export function energyFeatures(system: System, options: FeatureOptions = {}): FeatureMatrix {
  return computeFeatures(system, only(options, 'E'));
}

/**
 * The coarse-graining kernel on any per-particle columns: values is N x ncols row-major;
 * returns CG_L(values) (same shape): (x_i + sum_{j != i, r_ij <= L} e^{-r_ij/L} x_j) / (1 + sum e^{-r_ij/L}).
 */
export function coarseGrain(system: System, values: Float64Array, ncols: number, L: number, chunk?: number): Float64Array {
  if (!(system.n >= 1)) throw new InputError('the system is empty (no particles)');
  if (!Number.isInteger(ncols) || ncols < 1 || values.length !== system.n * ncols) {
    throw new InputError(`coarseGrain: values must hold N x ncols = ${system.n} x ${ncols} numbers, got ${values.length}`);
  }
  if (!(L > 0)) throw new InputError(`coarseGrain: length L must be positive, got ${L}`);
  checkHalfBox(system, L, 'coarse-graining length L');
  const w = wasm();
  return w.scoped((sc) => {
    checkFinite(w, sc, system).free();
    const src = sc.f64From(values);
    const out = sc.f64(values.length);
    withQuery(system, L, (q) => coarseGrainBlock(w, q, L, chunkRows(system, L, chunk), src, ncols, ncols, out, sc.f64(system.n)));
    return out.toArray();
  });
}

/** e_i = 1/2 sum_{j != i} V_{s_i s_j}(r_ij) for a preset name or pair table (species matched as in computeFeatures). */
export function particleEnergies(system: System, potential: string | PairPotential, speciesOrder?: string[]): Float64Array {
  const { system: sys, options: o } = resolveFeatureOptions(system, { potential, families: ['E'], speciesOrder, scales: [1e-9] });
  const w = wasm();
  return w.scoped((sc) => {
    checkFinite(w, sc, sys).free();
    const spec = sc.i32From(sys.species);
    const e = sc.f64(sys.n);
    energies(w, sc, sys, o, o.potential!, spec, e, null);
    return e.toArray();
  });
}

/** The system computeFeatures works on for these options (species reordered/relabelled). */
export function resolvedSystem(system: System, options: FeatureOptions = {}): System {
  return resolveFeatureOptions(system, options).system;
}
