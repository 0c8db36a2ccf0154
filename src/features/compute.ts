// Feature API: the scheduler. The descriptor families are compute objects (./families.ts: each
// holds its parameters, states its formula, and exposes its columns, cutoff, reach and kernel
// call); computeFeatures builds each neighbour list once and runs every family that reads it.
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
//
// The base quantities (level 0 of R and A, and e) are what the other steps read: runFeatures can
// return only them (steps 1 and 3) or take them as given (skipping steps 1 and 3), which is how
// computeFeaturesChunked (./chunked.ts) gives each step a halo no wider than its own reach.

import { InputError } from '../errors.js';
import { NeighborQuery } from '../neighbors/neighbors.js';
import type { PairPotential } from '../potential/potentials.js';
import type { System } from '../system/system.js';
import { wasm } from '../wasm/runtime.js';
import { Scope, type F64Buffer, type I32Buffer, type Wasm } from '../wasm/memory.js';
import { ballVolume, CoarseGraining, featureFamilies, PairEnergy, planFamilies, radialAngularKernel, type FeatureFamilies, type FeaturePlan, type KernelFrame } from './families.js';
import { checkHalfBox, resolveFeatureOptions, type DescriptorFamily, type FeatureOptions, type ResolvedFeatureOptions } from './options.js';
import type { FeatureMatrix } from './types.js';
import { dpow } from '../wasm/detmath.js';

export { ballWeight, particleVolume } from './families.js';

/**
 * Pairs per neighbour-list chunk (about 1.2 MB of list: j, r, d per pair). Small lists reused
 * chunk after chunk keep the wasm memory small: a fresh 4 KiB page costs ~13 us on first touch,
 * and a one-configuration run pays for every page it touches (N = 4096 KA 3D, whole CLI process:
 * 18.3k page faults at 1 << 15, 20.3k at 1 << 17, 27.8k at 1 << 20, same CPU otherwise within
 * noise). The walk order of the rows does not depend on it: the values do not change.
 */
const PAIR_BUDGET = 1 << 15;

/** Rows per chunk so that a list at `cutoff` holds about PAIR_BUDGET pairs. */
function chunkRows(sys: System, cutoff: number, fixed?: number): number {
  if (fixed) return Math.min(sys.n, fixed);
  let vol = 1;
  for (const L of sys.box) vol *= L;
  const perRow = Math.max(1, (sys.n / vol) * ballVolume(sys.dim, cutoff));
  return Math.max(64, Math.min(sys.n, Math.floor(PAIR_BUDGET / perRow)));
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
function withQuery<T>(sys: System, cutoff: number, fn: (q: NeighborQuery) => T, reach?: number): T {
  const q = new NeighborQuery(sys, cutoff, reach);
  try {
    return fn(q);
  } finally {
    q.free();
  }
}

/** Per-particle pair energies e_i into `e` (wasm) on their own neighbour list at the pair cutoff. */
function energies(f: KernelFrame, pair: PairEnergy, rows: number | undefined, e: F64Buffer, perm: I32Buffer | null, reach?: number): void {
  const rc = pair.cutoff;
  const kernel = pair.kernel(f);
  withQuery(f.sys, rc, (q) => forChunks(f.sys.n, chunkRows(f.sys, rc, rows), (i0, i1) => {
    const h = q.buildHandle(i0, i1);
    checkCoincident(f.w, f.sc, h, f.sys, perm);
    kernel(h, e.ptr);
  }), reach);
}

/** Scheduler variants (internal; computeFeaturesChunked's passes). */
export interface FeatureJob {
  /** Level 0 of R|A given (n x nRA, the caller's row order; or rows[i] = the row of particle i in values): step 1 is skipped. */
  level0?: Float64Array | GivenRows;
  /** e_i given (n, the caller's order; or by rows as level0): step 3 is skipped. */
  energies?: Float64Array | GivenRows;
  /** Only the base quantities (level 0 of R|A, e): steps 2, 4 and 5 are skipped. */
  baseOnly?: boolean;
  /** The caller's rows to return (default all, in order). */
  rows?: Int32Array;
  /** Cell reach of every neighbour search (cells of side >= cutoff / reach; default automatic). */
  reach?: number;
  /**
   * With baseOnly and without rows: level 0 is computed in blocks of at most this many (sorted)
   * rows on the whole system's neighbour search, so only one block of N x nRA is in wasm at a
   * time; no halo is needed (every particle's neighbours are in the system).
   */
  blockRows?: number;
  /**
   * Write output row k into into.values at row into.at[k] instead of a new matrix: row stride
   * into.stride (default p), the columns from into.col (default 0).
   */
  into?: { values: Float64Array; at: Int32Array; stride?: number; col?: number };
  /**
   * With baseOnly and blockRows: only the sorted rows [r0, r1) (the Morton order of step 0, the
   * same in every thread). Their level 0 and e come back compact, for the caller's particles
   * FeatureRun.rows (row k of level0/energies is particle rows[k]); each row's neighbour walk,
   * hence its bits, is the same as in the whole run.
   */
  sortedRange?: [number, number];
  /** Only step 4's P|E block (n x nPE, the caller's row order) in FeatureRun.averages (e computed as the whole run does, unless given). */
  averagesOnly?: boolean;
  /** Steps 3 and 4 (e and P|E) left to the caller (held jobs only: addAverages gives the block). */
  skipAverages?: boolean;
}

/** Per-particle values given by row: particle i's are values[rows[i]*ld .. +ld). */
export interface GivenRows {
  values: Float64Array;
  rows: Int32Array;
}

/** What runFeatures returns: the matrix (rows = job.rows), or with baseOnly the base quantities of job.rows. */
export interface FeatureRun {
  matrix: FeatureMatrix | null;
  /** baseOnly: level 0 of R|A (rows x nRA), null without R and A. */
  level0: Float64Array | null;
  /** baseOnly: e (rows), null without E. */
  energies: Float64Array | null;
  /** sortedRange: the caller's particles whose rows level0 and energies hold, in that order. */
  rows?: Int32Array;
  /** averagesOnly: the P|E block (n x nPE). */
  averages?: Float64Array;
}

/** wasm bytes a job of n particles needs (the blocks alive at once, lists, ~80 MB of code and lists). */
export function jobMemory(n: number, o: ResolvedFeatureOptions, plan: { nRA: number; nP: number; nE: number }, baseOnly: boolean, blockRows = n): number {
  if (baseOnly) return Math.min(n, blockRows) * 8 * plan.nRA + n * (8 + 200) + 80e6;
  const maxLevel = plan.nRA > 0 ? Math.max(...o.levels) : -1;
  const blocks = maxLevel < 0 ? 0 : maxLevel === 0 ? 1 : Math.max(o.levels.length, 2);
  return n * (8 * plan.nRA * blocks + 8 * (plan.nP + plan.nE) + 8 * (plan.nP + plan.nE + 4) * o.scales.length + 200) + 80e6;
}

/** The scheduler: families of `options` on `system`, steps 0-5 of the module comment (or a part of them, see FeatureJob). */
export function runFeatures(system: System, options: FeatureOptions = {}, job: FeatureJob = {}): FeatureRun {
  return runJob(system, options, job, null) as FeatureRun;
}

/**
 * Step 5's sources left in wasm memory (in the held scope): output row k is, for every segment,
 * row inv[k] of seg.blk (seg.ld values) at columns seg.col .. seg.col + seg.ld of a row of p.
 */
interface RowSources {
  n: number;
  p: number;
  inv: I32Buffer;
  /** perm[r] = the caller's row of sorted row r. */
  perm: I32Buffer;
  segments: { blk: F64Buffer; ld: number; col: number }[];
  /** skipAverages: where the caller's P|E block goes (addAverages), else null. */
  pendingAverages: { ld: number; col: number } | null;
  /** stageRows: the whole n x p output (caller's row order), the segments already gathered into it. */
  staged?: F64Buffer;
}

/**
 * runFeatures' body. With `held` (a scope the caller disposes) and a plain job, steps 0-4 run in
 * that scope and step 5 is left to the caller: the blocks and the row map are returned.
 */
function runJob(system: System, options: FeatureOptions, job: FeatureJob, held: Scope | null): FeatureRun | RowSources {
  const { system: sys0, options: o } = resolveFeatureOptions(system, options);
  const fams = featureFamilies(sys0, o);
  const plan = planFamilies(fams);
  const baseOnly = job.baseOnly === true;
  // wasm32 holds 4 GiB: refuse up front (an InputError, not a trap deep in a kernel) when the
  // per-particle blocks cannot fit; computeFeaturesChunked (features/chunked.ts) splits the box
  const blocked = baseOnly && job.blockRows !== undefined && job.rows === undefined && job.level0 === undefined && plan.nRA > 0;
  const need = jobMemory(sys0.n, o, plan, baseOnly, blocked ? job.blockRows : sys0.n);
  if (need > 4.2e9) {
    throw new InputError(`${sys0.source ? sys0.source + ': ' : ''}${sys0.n} particles x ${plan.p} descriptors need about ${(need / 1e9).toFixed(1)} GB of wasm memory, more than wasm32's 4 GiB: use computeFeaturesChunked (glassbox features does it automatically)`);
  }
  const w = wasm();
  const x = w.exports;
  const N = sys0.n;
  const { radial, angular, cg, pair, averages } = fams;
  const reach = job.reach;
  const checkGiven = (g: Float64Array | GivenRows | undefined, ld: number, what: string) => {
    if (!g) return;
    if (g instanceof Float64Array) {
      if (g.length !== N * ld) throw new InputError(`${what} must hold ${N} x ${ld} values, got ${g.length}`);
    } else if (g.rows.length !== N || g.values.length % Math.max(1, ld) !== 0) throw new InputError(`${what}: rows must hold ${N} indices into rows of ${ld} values`);
  };
  checkGiven(job.level0, plan.nRA, 'level0');
  checkGiven(job.energies, 1, 'energies');
  if (held && (baseOnly || job.rows || job.into || job.averagesOnly)) throw new Error('runJob: a held scope takes a job that returns the whole matrix');
  if (job.skipAverages && !held) throw new Error('runJob: skipAverages is for held jobs (holdFeatures + addAverages)');
  if (job.sortedRange && !blocked) throw new Error('runJob: sortedRange needs baseOnly and blockRows');
  const body = (sc: Scope): FeatureRun | RowSources => {
    const pos = checkFinite(w, sc, sys0);
    const { sys, spec, inv, perm } = spatialSort(w, sc, sys0, pos, options.spatialOrder !== false);
    pos.free();
    const f: KernelFrame = { w, sc, sys, spec };
    /** A caller-order block given from JS into wasm, in the sorted order. */
    const given = (g: Float64Array | GivenRows, ld: number): F64Buffer => {
      const out = sc.f64(N * ld);
      if (g instanceof Float64Array) {
        // out[r] = g[perm[r]]: one copy into wasm and a gather there (no JS loop over particles)
        const tmp = sc.f64From(g);
        x.descGatherRows(tmp.ptr, ld, perm.ptr, N, out.ptr, ld, ld);
        tmp.free();
        return out;
      }
      const src = g.values, rows = g.rows;
      const ov = out.view, pv = perm.view; // no allocation in the loop: the views stay valid
      for (let r = 0; r < N; r++) {
        const s0 = rows[pv[r]] * ld;
        if (ld === 1) ov[r] = src[s0];
        else ov.set(src.subarray(s0, s0 + ld), r * ld);
      }
      return out;
    };
    let e: F64Buffer | null = null;
    if (pair && job.energies) e = given(job.energies, 1);
    if (blocked) return blockedBase(f, fams, o, plan, perm, e, job.blockRows!, reach, job.sortedRange);
    if (job.averagesOnly) {
      if (pair && e === null) {
        // e as the whole run computes it (the same lists, hence the same bits): on the r_R list
        // of step 1 when the pair cutoff fits inside r_R, else on its own list (step 3)
        e = sc.f64(N);
        if (plan.nRA > 0 && pair.cutoff <= o.rR) {
          const en = pair.kernel(f);
          withQuery(sys, o.rR, (q) => forChunks(N, chunkRows(sys, o.rR, o.chunkRows), (i0, i1) => {
            const h = q.buildHandle(i0, i1);
            checkCoincident(w, sc, h, sys, perm);
            en(h, e!.ptr);
          }), reach);
        } else energies(f, pair, o.chunkRows, e, perm, reach);
      }
      const nPE = plan.nP + plan.nE;
      const pe = sc.f64(Math.max(1, N * nPE));
      if (averages) withQuery(sys, averages.cutoff, (q) => averages.run(f, q, chunkRows(sys, averages.cutoff, o.chunkRows), e, pe, (h) => checkCoincident(w, sc, h, sys, perm)), reach);
      const out = new Float64Array(N * nPE);
      const src = pe.view, invV = inv.view;
      for (let k = 0; k < N; k++) out.set(src.subarray(invV[k] * nPE, invV[k] * nPE + nPE), k * nPE);
      return { matrix: null, level0: null, energies: null, averages: out };
    }
    // 1. level 0 of R and A (+ e on the same list when it fits)
    const levelBlocks: F64Buffer[] = [];
    const { nRA, nR } = plan;
    const maxLevel = nRA > 0 ? Math.max(...o.levels) : -1;
    if (nRA > 0) {
      if (job.level0) levelBlocks.push(given(job.level0, nRA));
      else {
        const b0 = sc.f64(N * nRA);
        levelBlocks.push(b0);
        // both families: the fused kernel (one set of shell weights per pair; the same bits)
        const both = radial && angular ? radialAngularKernel(f, radial, angular) : null;
        const rad = radial && !both ? radial.kernel(f) : null;
        const ang = angular && !both ? angular.kernel(f) : null;
        const shareE = pair !== null && e === null && pair.cutoff <= o.rR;
        const en = shareE ? pair!.kernel(f) : null;
        if (shareE) e = sc.f64(N);
        withQuery(sys, o.rR, (q) => forChunks(N, chunkRows(sys, o.rR, o.chunkRows), (i0, i1) => {
          const h = q.buildHandle(i0, i1);
          checkCoincident(w, sc, h, sys, perm);
          if (both) both(h, b0.ptr, nRA);
          if (rad) rad(h, b0.ptr, nRA);
          if (ang) ang(h, b0.ptr + 8 * nR, nRA);
          if (en) en(h, e!.ptr);
        }), reach);
      }
      // 2. coarse-graining levels: x^(n) = CG_{r_c}(x^(n-1)) on the whole R+A block
      if (maxLevel > 0 && !baseOnly) {
        const rows = chunkRows(sys, cg!.length, o.chunkRows);
        const W = sc.f64(N);
        withQuery(sys, cg!.length, (q2) => {
          for (let lev = 1; lev <= maxLevel; lev++) {
            const prev = levelBlocks[lev - 1];
            const b = sc.f64(N * nRA);
            levelBlocks.push(b);
            CoarseGraining.apply(w, q2, cg!.length, rows, prev, nRA, nRA, b, W);
            if (!o.levels.includes(lev - 1)) prev.free(); // an intermediate level, not in the output
          }
        }, reach);
        W.free();
      }
    }
    // 3. energies on their own list (not needed when P|E is the caller's)
    if (pair && e === null && !job.skipAverages) {
      e = sc.f64(N);
      energies(f, pair, o.chunkRows, e, perm, reach);
    }
    const rowsOut = job.rows;
    const nOut = rowsOut ? rowsOut.length : N;
    /** values[(at[k] or k) * stride + col ..] = row of blk for output row k (the caller's row rowsOut[k] or k). */
    const gather = (values: Float64Array, stride: number, blk: F64Buffer, ld: number, col: number, at: Int32Array | null): void => {
      const src = blk.view, invV = inv.view; // views taken here: an allocation may grow (detach) the memory
      for (let k = 0; k < nOut; k++) {
        const s0 = invV[rowsOut ? rowsOut[k] : k] * ld;
        values.set(src.subarray(s0, s0 + ld), (at ? at[k] : k) * stride + col);
      }
    };
    if (baseOnly) {
      let level0: Float64Array | null = null, en: Float64Array | null = null;
      if (nRA > 0) gather((level0 = new Float64Array(nOut * nRA)), nRA, levelBlocks[0], nRA, 0, null);
      if (e) gather((en = new Float64Array(nOut)), 1, e, 1, 0, null);
      return { matrix: null, level0, energies: en };
    }
    // 4. P and E
    const nPE = plan.nP + plan.nE;
    let pe: F64Buffer | null = null;
    if (averages && !job.skipAverages) {
      pe = sc.f64(N * nPE);
      const Lmax = averages.cutoff;
      withQuery(sys, Lmax, (q) => averages.run(f, q, chunkRows(sys, Lmax, o.chunkRows), e, pe!, (h) => checkCoincident(w, sc, h, sys, perm)), reach);
    }
    // 5. gather the blocks into the row-major result, straight from wasm memory (no staging
    //    buffer: a fresh N x p block in wasm memory cost as much as the copy itself)
    const p = plan.p;
    if (job.into && job.into.at.length !== nOut) throw new InputError(`into.at must hold ${nOut} rows, got ${job.into.at.length}`);
    let stride = p, col0 = 0;
    if (job.into) {
      stride = job.into.stride ?? p;
      col0 = job.into.col ?? 0;
      if (!(col0 >= 0 && col0 + p <= stride) || job.into.values.length % stride !== 0) throw new InputError(`into: columns ${col0}..${col0 + p} do not fit rows of ${stride} values`);
    }
    const segments: RowSources['segments'] = [];
    let col = 0;
    if (nRA > 0) {
      for (const lev of o.levels) {
        segments.push({ blk: levelBlocks[lev], ld: nRA, col });
        col += nRA;
      }
    }
    if (pe) segments.push({ blk: pe, ld: nPE, col });
    if (held) return { n: nOut, p, inv, perm, segments, pendingAverages: averages && job.skipAverages ? { ld: nPE, col } : null };
    const values = job.into ? job.into.values : new Float64Array(nOut * p);
    const at = job.into ? job.into.at : null;
    for (const g of segments) gather(values, stride, g.blk, g.ld, col0 + g.col, at);
    return { matrix: { n: values.length / stride, p: stride, values, names: plan.names, meta: plan.meta }, level0: null, energies: null };
  };
  return held ? body(held) : w.scoped(body);
}

/**
 * Steps 0-4 of a job whose result stays in wasm memory (its own scope) until streamed by
 * heldRowBytes: the matrix is never assembled. Dispose with heldRowBytes (it always does) or
 * HeldFeatures.scope.dispose().
 */
export interface HeldFeatures {
  readonly scope: Scope;
  readonly rows: RowSources;
}

/** Run steps 0-4 of `job` (a job that returns the whole matrix) and hold the blocks (see HeldFeatures). */
export function holdFeatures(system: System, options: FeatureOptions = {}, job: FeatureJob = {}): HeldFeatures {
  const sc = new Scope(wasm());
  try {
    return { scope: sc, rows: runJob(system, options, job, sc) as RowSources };
  } catch (e) {
    sc.dispose();
    throw e;
  }
}

/**
 * Give a held skipAverages job its P|E block (n x nPE in the caller's row order, as a job with
 * averagesOnly computes it in another instance): copied into wasm in the sorted order, the same
 * bits as if step 4 had run here.
 */
export function addAverages(h: HeldFeatures, averages: Float64Array): void {
  const pend = h.rows.pendingAverages;
  if (!pend) throw new Error('addAverages: the held job has no pending P|E block');
  const { n, p, perm, staged } = h.rows;
  if (averages.length !== n * pend.ld) throw new InputError(`averages must hold ${n} x ${pend.ld} values, got ${averages.length}`);
  h.rows.pendingAverages = null;
  if (staged) {
    // staged[k, col .. col + ld) = averages[k, ..]: both in the caller's row order
    const v = staged.view; // no allocation in the loop: the view stays valid
    for (let k = 0; k < n; k++) v.set(averages.subarray(k * pend.ld, k * pend.ld + pend.ld), k * p + pend.col);
    return;
  }
  // blk[r] = averages[perm[r]]: one copy into wasm and a gather there
  const blk = h.scope.f64(Math.max(1, n * pend.ld));
  const tmp = h.scope.f64From(averages);
  wasm().exports.descGatherRows(tmp.ptr, pend.ld, perm.ptr, n, blk.ptr, pend.ld, pend.ld);
  tmp.free();
  h.rows.segments.push({ blk, ld: pend.ld, col: pend.col });
}

/** Largest output stageRows gathers whole (bigger ones stream in row blocks). */
export const STAGE_MAX_BYTES = 64 * 2 ** 20;

/**
 * Gather the held blocks into the whole n x p output now (out[k, seg.col ..] = seg.blk[inv[k], ..],
 * descGatherRows: the same bits as heldRowBytes' row blocks), while the P|E block is still being
 * computed elsewhere: addAverages then writes it straight into the output's columns and
 * heldRowBytes only hands out views. The blocks are freed. Nothing when the output is larger
 * than STAGE_MAX_BYTES (returns false).
 */
export function stageRows(h: HeldFeatures): boolean {
  const src = h.rows;
  if (src.staged) return true;
  if (8 * src.n * src.p > STAGE_MAX_BYTES) return false;
  const w = wasm();
  const out = h.scope.f64(Math.max(1, src.n * src.p));
  for (const g of src.segments) {
    w.exports.descGatherRows(g.blk.ptr, g.ld, src.inv.ptr, src.n, out.ptr + 8 * g.col, src.p, g.ld);
    g.blk.free();
  }
  src.segments = [];
  src.staged = out;
  return true;
}

/**
 * The held matrix's bytes (row-major float64, little-endian: wasm memory is), block after block
 * of `blockRows` rows, each gathered in wasm (descGatherRows: a copy, the same bits) into one
 * staging block that is reused. Each yielded view is valid only until the iterator is stepped
 * again (consume it synchronously, e.g. write it to a file); the held memory is released when
 * the iteration ends or is abandoned (return/throw).
 */
export function* heldRowBytes(h: HeldFeatures, blockRows = 256): Generator<Uint8Array, void, undefined> {
  try {
    const src = h.rows;
    if (src.pendingAverages) throw new Error('heldRowBytes: the P|E block was not given (addAverages)');
    const w = wasm();
    const B = Math.max(1, Math.min(src.n, Math.floor(blockRows)));
    if (src.staged) {
      for (let k0 = 0; k0 < src.n; k0 += B) {
        const k1 = Math.min(src.n, k0 + B);
        yield new Uint8Array(w.exports.memory.buffer, src.staged.ptr + 8 * k0 * src.p, 8 * (k1 - k0) * src.p);
      }
      return;
    }
    const stage = h.scope.f64(Math.max(1, B * src.p));
    for (let k0 = 0; k0 < src.n; k0 += B) {
      const k1 = Math.min(src.n, k0 + B);
      for (const g of src.segments) w.exports.descGatherRows(g.blk.ptr, g.ld, src.inv.ptr + 4 * k0, k1 - k0, stage.ptr + 8 * g.col, src.p, g.ld);
      yield new Uint8Array(w.exports.memory.buffer, stage.ptr, 8 * (k1 - k0) * src.p);
    }
  } finally {
    h.scope.dispose();
  }
}

/**
 * The bytes of computeFeatures(system, options).values, row block after row block, without ever
 * holding the N x p matrix (holdFeatures + heldRowBytes). For systems past one wasm call
 * (computeFeaturesChunked's slabs) use computeFeaturesChunked.
 */
export function* featureRowBytes(system: System, options: FeatureOptions = {}, blockRows = 256): Generator<Uint8Array, void, undefined> {
  yield* heldRowBytes(holdFeatures(system, options), blockRows);
}

/**
 * Level 0 of R|A (and e) of every particle, in blocks of sorted rows: the full neighbour list at
 * r_R is built for rows [b0, b1) of the whole system and the kernels write row i at
 * out + 8 i ld, so the block buffer is passed as its address minus 8 b0 ld (mod 2^32: the
 * kernels only touch rows b0..b1-1, which land inside the block). Each block is copied to the
 * caller's rows of the result.
 */
function blockedBase(f: KernelFrame, fams: FeatureFamilies, o: ResolvedFeatureOptions, plan: FeaturePlan, perm: I32Buffer, given: F64Buffer | null, blockRows: number, reach?: number, range?: [number, number]): FeatureRun {
  const { w, sc, sys } = f;
  const N = sys.n, nRA = plan.nRA, nR = plan.nR;
  const [r0, r1] = range ?? [0, N];
  if (!(Number.isInteger(r0) && Number.isInteger(r1) && 0 <= r0 && r0 <= r1 && r1 <= N)) throw new InputError(`sortedRange [${r0}, ${r1}) is not a range of rows of ${N}`);
  /** Where particle pv[r]'s row goes: its own row (whole system) or r - r0 (compact range). */
  const dest = range ? (r: number) => r - r0 : (r: number) => perm.view[r];
  const B = Math.max(1, Math.min(N, Math.floor(blockRows)));
  const blk = sc.f64(B * nRA);
  const both = fams.radial && fams.angular ? radialAngularKernel(f, fams.radial, fams.angular) : null;
  const rad = fams.radial && !both ? fams.radial.kernel(f) : null;
  const ang = fams.angular && !both ? fams.angular.kernel(f) : null;
  const shareE = fams.pair !== null && given === null && fams.pair.cutoff <= o.rR;
  const en = shareE ? fams.pair!.kernel(f) : null;
  let e = given;
  if (shareE) e = sc.f64(N);
  const level0 = new Float64Array((range ? r1 - r0 : N) * nRA);
  const rowAddr = (ptr: number, b0: number, ld: number) => (ptr - 8 * b0 * ld) >>> 0;
  withQuery(sys, o.rR, (q) => {
    for (let b0 = r0; b0 < r1; b0 += B) {
      const b1 = Math.min(r1, b0 + B);
      const base = rowAddr(blk.ptr, b0, nRA);
      forChunks(b1 - b0, chunkRows(sys, o.rR, o.chunkRows), (c0, c1) => {
        const h = q.buildHandle(b0 + c0, b0 + c1);
        checkCoincident(w, sc, h, sys, perm);
        if (both) both(h, base, nRA);
        if (rad) rad(h, base, nRA);
        if (ang) ang(h, (base + 8 * nR) >>> 0, nRA);
        if (en) en(h, e!.ptr);
      });
      const src = blk.view;
      for (let r = b0; r < b1; r++) {
        const s0 = (r - b0) * nRA;
        level0.set(src.subarray(s0, s0 + nRA), dest(r) * nRA);
      }
    }
  }, reach);
  if (fams.pair && e === null) {
    e = sc.f64(N);
    energies(f, fams.pair, o.chunkRows, e, perm, reach);
  }
  let energy: Float64Array | null = null;
  if (e) {
    energy = new Float64Array(range ? r1 - r0 : N);
    const ev = e.view;
    for (let r = r0; r < r1; r++) energy[dest(r)] = ev[r];
  }
  return { matrix: null, level0, energies: energy, ...(range ? { rows: perm.view.slice(r0, r1) } : {}) };
}

/**
 * The spec's feature vector for every particle of `system`: columns in the order
 * [R^(0), A^(0), R^(1), A^(1), ..., P, E] (../shared/spec/descriptors.md, "Default feature
 * vector"), names as the spec writes them, metadata per column.
 */
export function computeFeatures(system: System, options: FeatureOptions = {}): FeatureMatrix {
  return runFeatures(system, options).matrix!;
}

/** The column names computeFeatures would give (nothing computed). */
export function featureNames(system: System, options: FeatureOptions = {}): string[] {
  const { system: sys, options: o } = resolveFeatureOptions(system, options);
  return planFamilies(featureFamilies(sys, o)).names;
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
    withQuery(system, L, (q) => CoarseGraining.apply(w, q, L, chunkRows(system, L, chunk), src, ncols, ncols, out, sc.f64(system.n)));
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
    energies({ w, sc, sys, spec }, new PairEnergy(o.potential!), o.chunkRows, e, null);
    return e.toArray();
  });
}

/** The system computeFeatures works on for these options (species reordered/relabelled). */
export function resolvedSystem(system: System, options: FeatureOptions = {}): System {
  return resolveFeatureOptions(system, options).system;
}
