// Descriptor families as compute objects (../shared/spec/descriptors.md; the shape follows
// freud's compute classes: the parameters are held by the object, the formula and its edge cases
// are in its doc comment, and it exposes what a scheduler needs):
//   columns()  its column names, in the spec's order (metadata: parseFeatureName of each);
//   cutoff     the neighbour distance its kernel reads;
//   reach      how far from a particle its value depends on positions (the chain of cutoffs;
//              what a slab's halo must cover, src/features/chunked.ts);
//   kernel(f)  the per-chunk kernel call on a neighbour-list handle (buffers it needs are put in
//              the frame's scope once).
// computeFeatures (./compute.ts) is the scheduler: it builds each neighbour list once and runs
// every family that reads it. No family owns a neighbour list: R, A and (when its cutoff fits)
// the pair energy share the full list at r_R; the CG levels share one half list at r_c; P and
// the coarse-grained E share one half list at the largest scale (LocalAverages).

import { flattenPotential, maxPairCutoff, type PairPotential } from '../potential/potentials.js';
import type { System } from '../system/system.js';
import type { F64Buffer, I32Buffer, Scope, Wasm } from '../wasm/memory.js';
import type { NeighborQuery } from '../neighbors/neighbors.js';
import {
  angularName, cgName, energyCgName, energyName, energyVarName, fractionName, parseFeatureName, phiName, radialName, rhoName,
} from './names.js';
import type { ResolvedFeatureOptions } from './options.js';
import type { FeatureMeta } from './types.js';

/** The system as the kernels see it: positions sorted (or not), species in wasm, a scope. */
export interface KernelFrame {
  w: Wasm;
  sc: Scope;
  sys: System;
  /** Species index per particle of `sys`, in wasm. */
  spec: I32Buffer;
}

/** Volume of a D-ball of radius r. */
export function ballVolume(dim: number, r: number): number {
  return dim === 3 ? (4 / 3) * Math.PI * r * r * r : Math.PI * r * r;
}

/** v_b = volume of a D-sphere of diameter sigma_b: pi/6 sigma^3 (3D), pi/4 sigma^2 (2D). */
export function particleVolume(dim: number, sigma: number): number {
  return dim === 3 ? (Math.PI / 6) * sigma * sigma * sigma : (Math.PI / 4) * sigma * sigma;
}

/** W_D(L) = integral of exp(-r/L) over the D-ball of radius L: 4 pi L^3 (2 - 5/e) (3D), 2 pi L^2 (1 - 2/e) (2D). */
export function ballWeight(dim: number, L: number): number {
  return dim === 3 ? 4 * Math.PI * L * L * L * (2 - 5 / Math.E) : 2 * Math.PI * L * L * (1 - 2 / Math.E);
}

/**
 * The Gaussian shells of R and A: centres d_k = r0 + k dr (k = 0..K-1), width delta, cutoff
 * r_R = d_{K-1} + 3 delta (a shell weight at the cutoff is exp(-4.5) of its peak).
 */
export class Shells {
  readonly centres: number[];
  readonly cutoff: number;
  constructor(readonly r0: number, readonly dr: number, readonly K: number, readonly delta: number) {
    this.centres = Array.from({ length: K }, (_, k) => r0 + k * dr);
    this.cutoff = this.centres[K - 1] + 3 * delta;
  }
}

/**
 * Family R, the radial structure profile:
 *   R_i[b, k] = sum_{j != i, s_j = b, r_ij <= r_R} exp(-(r_ij - d_k)^2 / (2 delta^2)).
 * Columns `R[<label>](d=<d_k>)`, species outer, shells inner (S K columns). Edge cases: a
 * particle without neighbours gets 0; particles at distance 0 are refused by the scheduler
 * (checkCoincident) before any family runs. reach = cutoff = r_R.
 */
export class RadialProfile {
  readonly family = 'R' as const;
  constructor(readonly shells: Shells, readonly labels: readonly string[]) {}
  get cutoff(): number {
    return this.shells.cutoff;
  }
  get reach(): number {
    return this.cutoff;
  }
  get width(): number {
    return this.labels.length * this.shells.K;
  }
  columns(): string[] {
    const out: string[] = [];
    for (const lab of this.labels) for (const d of this.shells.centres) out.push(radialName(lab, d));
    return out;
  }
  /** Per chunk: rows of list `h` into out[i*ld + 0 .. S K) (assembly/descriptors/radial.ts). */
  kernel(f: KernelFrame): (h: number, out: number, ld: number) => void {
    const s = this.shells, S = this.labels.length;
    return (h, out, ld) => f.w.exports.descRadial(h, f.spec.ptr, S, s.r0, s.dr, s.K, s.delta, s.cutoff, out, ld);
  }
}

/**
 * Family A, the angular (bond-orientational) profile on the shells of R, all species together:
 * w_k(r) = exp(-(r - d_k)^2 / (2 delta^2)), Z_ik = sum_{j != i, r_ij <= r_R} w_k(r_ij);
 *   3D: q_lm(i,k) = (1/Z_ik) sum_j w_k(r_ij) Y_lm(u_ij), A_i[l,k] = sqrt(4 pi/(2l+1) sum_m |q_lm|^2)
 *   2D: A_i[l,k] = |sum_j w_k(r_ij) exp(i l theta_ij)| / Z_ik.
 * Edge cases: Z_ik < 1e-10 (no neighbour near shell k) gives 0; values lie in [0, 1] (l = 0
 * gives 1 wherever Z_ik >= 1e-10). Columns `A[l=<l>](d=<d_k>)`, l outer, shells inner.
 * reach = cutoff = r_R.
 */
export class AngularProfile {
  readonly family = 'A' as const;
  constructor(readonly shells: Shells, readonly ls: readonly number[], readonly dim: number) {}
  get cutoff(): number {
    return this.shells.cutoff;
  }
  get reach(): number {
    return this.cutoff;
  }
  get width(): number {
    return this.ls.length * this.shells.K;
  }
  columns(): string[] {
    const out: string[] = [];
    for (const l of this.ls) for (const d of this.shells.centres) out.push(angularName(l, d));
    return out;
  }
  /** Per chunk: rows of list `h` into out[i*ld + 0 .. n_l K) (assembly/descriptors/angular.ts). */
  kernel(f: KernelFrame): (h: number, out: number, ld: number) => void {
    const s = this.shells;
    const ls = f.sc.i32From(this.ls);
    return (h, out, ld) => f.w.exports.descAngular(h, this.dim, s.r0, s.dr, s.K, s.delta, s.cutoff, ls.ptr, this.ls.length, out, ld);
  }
}

/**
 * Families R and A of one neighbour list in one walk (assembly/descriptors/angular.ts,
 * descRadialAngular: the shell weights w_k(r_ij) once per pair, bit for bit descRadial followed
 * by descAngular). Per chunk: R_i into out[i*ld + 0 .. S K), A_i into out[i*ld + S K .. S K + n_l K).
 * Both families must share their shells (featureFamilies builds them from one Shells).
 */
export function radialAngularKernel(f: KernelFrame, radial: RadialProfile, angular: AngularProfile): (h: number, out: number, ld: number) => void {
  const s = radial.shells, a = angular.shells;
  if (s.r0 !== a.r0 || s.dr !== a.dr || s.K !== a.K || s.delta !== a.delta) throw new Error('radialAngularKernel: R and A must share their shells');
  const S = radial.labels.length, nR = radial.width;
  const ls = f.sc.i32From(angular.ls);
  const nls = angular.ls.length, dim = angular.dim;
  return (h, out, ld) => f.w.exports.descRadialAngular(h, f.spec.ptr, S, dim, s.r0, s.dr, s.K, s.delta, s.cutoff, ls.ptr, nls, out, ld, (out + 8 * nR) >>> 0, ld);
}

/**
 * The coarse-graining kernel and the recursive CG levels of R and A (Boattini averaging):
 *   CG_L(x)_i = (x_i + sum_{j != i, r_ij <= L} exp(-r_ij/L) x_j) / (1 + sum_{j != i, r_ij <= L} exp(-r_ij/L)),
 *   x^(0) = the family, x^(n) = CG_{r_c}(x^(n-1)).
 * The particle itself has weight 1, so an isolated particle keeps its value. Columns: level 0
 * keeps the plain name, level n prefixes `CG<n>:`. cutoff = L; reach = (max level) L (level n
 * of i reads level n-1 within L, and so on down to level 0).
 */
export class CoarseGraining {
  constructor(readonly length: number, readonly levels: readonly number[]) {}
  get cutoff(): number {
    return this.length;
  }
  get maxLevel(): number {
    return this.levels.length ? Math.max(...this.levels) : 0;
  }
  get reach(): number {
    return this.maxLevel * this.length;
  }
  /** The names of `base` (level 0 columns) at every output level, levels outer. */
  columns(base: readonly string[]): string[] {
    const out: string[] = [];
    if (base.length) for (const lev of this.levels) for (const n of base) out.push(cgName(lev, n));
    return out;
  }
  /**
   * out = CG_L(x) on ncol columns (rows of x with stride ldx; out with stride ncol) with the
   * coarse-graining kernel: half neighbour lists of `q` chunk by chunk (2 rows per chunk of a
   * full list: a half list holds half the pairs), then the normalisation. W (N) receives the
   * neighbour weight sums. L defaults to this object's length.
   */
  static apply(w: Wasm, q: NeighborQuery, L: number, rows: number, x: F64Buffer, ldx: number, ncol: number, out: F64Buffer, W: F64Buffer): void {
    const n = q.system.n;
    out.view.fill(0);
    W.view.fill(0);
    for (let i0 = 0; i0 < n; i0 += 2 * rows) {
      const i1 = Math.min(n, i0 + 2 * rows);
      w.exports.descCoarseGrainAdd(q.buildHandle(i0, i1, L, true), L, x.ptr, ldx, ncol, out.ptr, ncol, W.ptr);
    }
    w.exports.descCoarseGrainFinish(0, n, x.ptr, ldx, ncol, out.ptr, ncol, W.ptr);
  }
}

/**
 * The per-particle pair energy e_i = 1/2 sum_{j != i, r_ij < r_c(s_i, s_j)} V_{s_i s_j}(r_ij)
 * of a pair table (potential/potentials.ts: truncated and shifted LJ, KA2D's smoothed LJ, ...).
 * Edge cases: a particle without neighbours has e = 0; r = 0 is refused before (coincident
 * particles). cutoff = reach = the largest pair cutoff.
 */
export class PairEnergy {
  constructor(readonly potential: PairPotential) {}
  get cutoff(): number {
    return maxPairCutoff(this.potential);
  }
  get reach(): number {
    return this.cutoff;
  }
  /** Per chunk: e[i] for the rows of list `h` (assembly/descriptors/energy.ts). */
  kernel(f: KernelFrame): (h: number, e: number) => void {
    const table = f.sc.f64From(flattenPotential(this.potential));
    const S = f.sys.labels.length;
    return (h, e) => f.w.exports.descEnergy(h, f.spec.ptr, table.ptr, S, e);
  }
}

/**
 * Family P, local packing and composition at each scale L (w(r) = exp(-r/L)):
 *   rho_i(L) = sum_{j != i, r_ij <= L} w(r_ij),
 *   phi_i(L) = sum_{j != i, r_ij <= L} w(r_ij) v_{s_j} / W_D(L)   (v: particleVolume, W_D: ballWeight),
 *   x_i^b(L) = CG_L(1[s = b])_i for every species b but the last.
 * Edge cases: with one species only rho (phi would be proportional to it, x is 1). Columns per
 * scale: rho, phi, then x in species order; scales outer. cutoff = reach = max L.
 */
export class PackingProfile {
  readonly family = 'P' as const;
  constructor(readonly scales: readonly number[], readonly labels: readonly string[], readonly diameters: readonly number[], readonly dim: number) {}
  get cutoff(): number {
    return Math.max(...this.scales);
  }
  get reach(): number {
    return this.cutoff;
  }
  /** Columns per scale: 1 (rho) with one species, else S + 1 (rho, phi, S - 1 fractions). */
  get perScale(): number {
    const S = this.labels.length;
    return S > 1 ? S + 1 : 1;
  }
  get width(): number {
    return this.perScale * this.scales.length;
  }
  columns(): string[] {
    const out: string[] = [];
    const S = this.labels.length;
    for (const L of this.scales) {
      out.push(rhoName(L));
      if (S > 1) {
        out.push(phiName(L));
        for (let b = 0; b < S - 1; b++) out.push(fractionName(this.labels[b], L));
      }
    }
    return out;
  }
  /** v_b per species. */
  volumes(): number[] {
    return this.diameters.map((d) => particleVolume(this.dim, d));
  }
}

/**
 * Family E, the potential energy and its local statistics (needs a pair potential):
 *   e_i (PairEnergy),  e(L)_i = CG_L(e)_i,  evar(L)_i = CG_L(e^2)_i - CG_L(e)_i^2.
 * Edge cases: evar can be a rounding-level negative number where the e_j are all equal.
 * Columns `e`, then per scale `e(L=..)`, `evar(L=..)`. cutoff = max L (the averaging list);
 * reach = max L + the pair cutoff (e_j needs j's neighbours).
 */
export class EnergyProfile {
  readonly family = 'E' as const;
  constructor(readonly scales: readonly number[], readonly pair: PairEnergy) {}
  get cutoff(): number {
    return Math.max(...this.scales);
  }
  get reach(): number {
    return this.cutoff + this.pair.cutoff;
  }
  get width(): number {
    return 1 + 2 * this.scales.length;
  }
  columns(): string[] {
    const out = [energyName()];
    for (const L of this.scales) out.push(energyCgName(L), energyVarName(L));
    return out;
  }
}

/**
 * P and the coarse-grained E in one walk: one half list at the largest scale per chunk, one
 * coarse-graining sum per scale over the source columns [1[s=b] (b < S-1), e, e^2, v_s]
 * (assembly/descriptors/packing.ts), then per scale the normalisation and the assembly of rho,
 * phi, x, e(L), evar(L) into the P|E block (row stride ldpe; P at column 0, E at column nP).
 */
export class LocalAverages {
  constructor(readonly packing: PackingProfile | null, readonly energy: EnergyProfile | null, readonly scales: readonly number[], readonly dim: number, readonly diameters: readonly number[]) {}
  get cutoff(): number {
    return Math.max(...this.scales);
  }
  /**
   * Fill `pe` (N x ldpe) for the frame's particles; e (N, or null without E) the energies;
   * `check` is called on each chunk's list handle before the kernels (coincident particles).
   */
  run(f: KernelFrame, q: NeighborQuery, rows: number, e: F64Buffer | null, pe: F64Buffer, check: (h: number) => void): void {
    const x = f.w.exports, sc = f.sc;
    const N = f.sys.n, S = f.sys.labels.length;
    const nP = this.packing ? this.packing.width : 0;
    const nPE = nP + (this.energy ? this.energy.width : 0);
    const nPScale = this.packing ? this.packing.perScale : 0;
    const hasE = this.energy !== null;
    const nx = S - 1;
    const nAvg = nx + (hasE ? 2 : 0);
    const nSum = S > 1 ? 1 : 0;
    const nsrc = nAvg + nSum;
    const vol = sc.f64From(this.diameters.map((d) => particleVolume(this.dim, d)));
    const src = sc.f64(Math.max(1, N * nsrc));
    x.descPackingSource(N, f.spec.ptr, S, hasE ? e!.ptr : 0, vol.ptr, src.ptr, nsrc);
    if (hasE) x.descCopyBlock(e!.ptr, 1, pe.ptr + 8 * nP, nPE, N, 1);
    const nS = this.scales.length;
    const acc = sc.f64(Math.max(1, N * nsrc * nS));
    const W = sc.f64(N * nS);
    acc.view.fill(0);
    W.view.fill(0);
    const Lmax = this.cutoff;
    for (let i0 = 0; i0 < N; i0 += 2 * rows) {
      const i1 = Math.min(N, i0 + 2 * rows);
      const h = q.buildHandle(i0, i1, Lmax, true);
      check(h);
      this.scales.forEach((L, s) => x.descCoarseGrainAdd(h, L, src.ptr, nsrc, nsrc, acc.ptr + 8 * s * N * nsrc, nsrc, W.ptr + 8 * s * N));
    }
    this.scales.forEach((L, s) => {
      const as = acc.ptr + 8 * s * N * nsrc, Ws = W.ptr + 8 * s * N;
      x.descCoarseGrainFinish(0, N, src.ptr, nsrc, nAvg, as, nsrc, Ws);
      const pOut = this.packing ? pe.ptr + 8 * s * nPScale : 0;
      const eOut = hasE ? pe.ptr + 8 * (nP + 1 + 2 * s) : 0;
      x.descPackingAssemble(0, N, as, nsrc, Ws, S, hasE ? 1 : 0, 1 / ballWeight(this.dim, L), pOut, nPE, eOut, nPE);
    });
    for (const b of [acc, W, src]) b.free();
  }
}

/** The families of one resolved option set (null where a family is off). */
export interface FeatureFamilies {
  radial: RadialProfile | null;
  angular: AngularProfile | null;
  /** The CG levels of R and A (null without R and A). */
  cg: CoarseGraining | null;
  packing: PackingProfile | null;
  energy: EnergyProfile | null;
  /** The pair energy (E's base quantity; null without E). */
  pair: PairEnergy | null;
  /** P and E's joint walk (null without both). */
  averages: LocalAverages | null;
}

/** The compute objects for a system (its labels and dimension) and resolved options. */
export function featureFamilies(sys: System, o: ResolvedFeatureOptions): FeatureFamilies {
  const fam = o.families;
  const shells = new Shells(o.r0, o.dr, o.K, o.delta);
  const radial = fam.has('R') ? new RadialProfile(shells, sys.labels) : null;
  const angular = fam.has('A') ? new AngularProfile(shells, o.ls, sys.dim) : null;
  const cg = radial || angular ? new CoarseGraining(o.cgLength, o.levels) : null;
  const packing = fam.has('P') ? new PackingProfile(o.scales, sys.labels, o.diameters, sys.dim) : null;
  const pair = fam.has('E') && o.potential ? new PairEnergy(o.potential) : null;
  const energy = pair ? new EnergyProfile(o.scales, pair) : null;
  const averages = packing || energy ? new LocalAverages(packing, energy, o.scales, sys.dim, o.diameters) : null;
  return { radial, angular, cg, packing, energy, pair, averages };
}

/** Column layout of the feature matrix: [R^(0), A^(0), R^(1), A^(1), ..., P, E]. */
export interface FeaturePlan {
  names: string[];
  meta: FeatureMeta[];
  /** Columns per level block (R then A). */
  nRA: number;
  /** Columns of R within a level block (S*K when R is on). */
  nR: number;
  /** Columns of P per scale. */
  nPScale: number;
  nP: number;
  nE: number;
  p: number;
}

/** The plan of the families: every family's columns in the spec's order ("Default feature vector"). */
export function planFamilies(f: FeatureFamilies): FeaturePlan {
  const r = f.radial ? f.radial.columns() : [];
  const a = f.angular ? f.angular.columns() : [];
  const ra = [...r, ...a];
  const names = [...(f.cg ? f.cg.columns(ra) : []), ...(f.packing ? f.packing.columns() : []), ...(f.energy ? f.energy.columns() : [])];
  const meta = names.map(parseFeatureName);
  const nPScale = f.packing ? f.packing.perScale : 0;
  return { names, meta, nRA: ra.length, nR: r.length, nPScale, nP: f.packing ? f.packing.width : 0, nE: f.energy ? f.energy.width : 0, p: names.length };
}

/** The column plan for a system and resolved options (names and metadata; nothing computed). */
export function planFeatures(sys: System, o: ResolvedFeatureOptions): FeaturePlan {
  return planFamilies(featureFamilies(sys, o));
}
