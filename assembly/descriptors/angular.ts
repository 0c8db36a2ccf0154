// Family A: angular (bond-orientational) profile (../shared/spec/descriptors.md, "Family A").
//
// Shells as family R (w_k, cutoff rcut), all species together, Z_ik = sum_j w_k(r_ij).
//   3D: q_lm(i,k) = (1/Z_ik) sum_j w_k(r_ij) Y_lm(u_ij),
//       A_i[l,k] = sqrt( 4 pi/(2l+1) sum_{m=-l..l} |q_lm|^2 )
//     (Steinhardt, Nelson, Ronchetti, PRB 28, 784 (1983); shell-weighted form of Boattini et al.,
//      Nat. Commun. 11, 5479 (2020)). With real weights q_{l,-m} = (-1)^m conj(q_lm), so
//     sum_m |q_lm|^2 = |q_l0|^2 + 2 sum_{m>0} |q_lm|^2 and only m >= 0 is accumulated.
//     Y_lm(u) = Qbar_lm(z) (x + i y)^m with the fully normalised associated Legendre
//     polynomials divided by sin^m(theta) (so no angles, no pole singularity), by the stable
//     recurrences
//       Qbar_mm     = sqrt(1/(4 pi)) prod_{k=1..m} sqrt((2k+1)/(2k)),
//       Qbar_{l,m}  = a_lm z Qbar_{l-1,m} - (a_lm / a_{l-1,m}) Qbar_{l-2,m},
//       a_lm        = sqrt((4 l^2 - 1) / (l^2 - m^2))
//     (Holmes & Featherstone, J. Geodesy 76, 279 (2002)); the Condon-Shortley sign is a global
//     sign per (l, m) and drops out of |q_lm|.
//   2D: A_i[l,k] = | sum_j w_k(r_ij) exp(i l theta_ij) | / Z_ik, exp(i l theta) = (x + i y)^l
//     (hexatic order psi_l, Nelson & Halperin, PRB 19, 2457 (1979)).
//   Z_ik < 1e-10 gives A = 0.
//
// Per row i the work is a small matrix product S = W^T Y: W (nj x K) the shell weights of the
// row's pairs, Y (nj x ncomp) their harmonics, ncomp = sum over the distinct l of 2l+1 (3D) or
// 2 (2D): the fewest real numbers that hold q_l (m >= 0, Re and Im for m > 0). That product is
// the cost (K ncomp multiply-adds per pair, ~1.4 GFlop for N = 4096 KA 3D, l = 1..8, K = 19);
// everything else is arranged around it:
//   - Y is stored tile-major (4 components x nj pairs contiguous per tile) so that the product's
//     register tiles (4 shells x 4 components) stream it linearly, one L1-resident tile at a time;
//   - components: first Re, Im for m = 1..l of each distinct l (even offsets, so a (Re, Im) pair
//     never straddles a tile), then the m = 0 values; padding only up to a multiple of 4;
//   - Z_k = sum_j w_k(r_j) is summed beside the product, not as a column of it;
//   - with SIMD, the harmonics of two pairs are computed at once (one pair per lane, each lane
//     doing exactly the scalar operations), the product runs on f64x2 lanes.
// Every element of S and Z sums over j in increasing order from 0 with the same operations as
// the previous kernel (and the scalar and SIMD builds agree bit for bit).
//
// descRadialAngular computes family R as well from the same shell weights (one exp pair per
// pair instead of two): bit for bit what descRadial and descAngular give.

import {
  neighborListFirst, neighborListRows, neighborListOffsets, neighborListR, neighborListD, neighborListJ,
} from "../neighbors/celllist";
import { shellWeights, shellRatio } from "./radial";

/** Largest angular order the kernels accept. */
export const DESC_LMAX: i32 = 32;

/** Byte offset of component c of pair j in a tile-major block of `cap` rows (4 components per tile). */
// @ts-ignore: decorator
@inline function ycomp(c: i32, cap: i32): i32 { return ((c >> 2) * cap << 5) + ((c & 3) << 3); }

/**
 * acc[k*ncp + c] = sum_{j < nj} W[j*Kp + k] * Y(j, c) for k < Kp, c < ncp (both multiples of 4),
 * Y tile-major (ycomp): the per-row product W^T Y in register tiles of 4 shells x 4 components,
 * component tiles outer (the Y tile stays in L1 across the shell tiles). Every element sums
 * over j in increasing order from 0 (SIMD lanes do the scalar operations).
 */
// @ts-ignore: decorator
@inline function shellProduct(acc: usize, W: usize, Y: usize, nj: i32, Kp: i32, ncp: i32, cap: i32): void {
  const sw = <usize>Kp << 3, sy = <usize>ncp << 3;
  for (let ct = 0; ct < ncp; ct += 4) {
    const y0p = Y + (<usize>((ct >> 2) * cap) << 5);
    for (let kt = 0; kt < Kp; kt += 4) {
      let pw = W + (<usize>kt << 3), py = y0p;
      const pa = acc + (<usize>(kt * ncp + ct) << 3);
      if (ASC_FEATURE_SIMD) {
        let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
        let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
        for (let j = 0; j < nj; j++) {
          const y0 = v128.load(py), y1 = v128.load(py, 16);
          const w0 = v128.load64_splat(pw), w1 = v128.load64_splat(pw, 8);
          const w2 = v128.load64_splat(pw, 16), w3 = v128.load64_splat(pw, 24);
          a00 = f64x2.add(a00, f64x2.mul(w0, y0)); a01 = f64x2.add(a01, f64x2.mul(w0, y1));
          a10 = f64x2.add(a10, f64x2.mul(w1, y0)); a11 = f64x2.add(a11, f64x2.mul(w1, y1));
          a20 = f64x2.add(a20, f64x2.mul(w2, y0)); a21 = f64x2.add(a21, f64x2.mul(w2, y1));
          a30 = f64x2.add(a30, f64x2.mul(w3, y0)); a31 = f64x2.add(a31, f64x2.mul(w3, y1));
          pw += sw; py += 32;
        }
        v128.store(pa, a00); v128.store(pa, a01, 16);
        v128.store(pa + sy, a10); v128.store(pa + sy, a11, 16);
        v128.store(pa + 2 * sy, a20); v128.store(pa + 2 * sy, a21, 16);
        v128.store(pa + 3 * sy, a30); v128.store(pa + 3 * sy, a31, 16);
      } else {
        for (let kk = 0; kk < 4; kk++) {
          let b0: f64 = 0, b1: f64 = 0, b2: f64 = 0, b3: f64 = 0;
          let qw = pw + (<usize>kk << 3), qy = py;
          for (let j = 0; j < nj; j++) {
            const wk = load<f64>(qw);
            b0 += wk * load<f64>(qy); b1 += wk * load<f64>(qy, 8);
            b2 += wk * load<f64>(qy, 16); b3 += wk * load<f64>(qy, 24);
            qw += sw; qy += 32;
          }
          const qa = pa + <usize>kk * sy;
          store<f64>(qa, b0); store<f64>(qa, b1, 8); store<f64>(qa, b2, 16); store<f64>(qa, b3, 24);
        }
      }
    }
  }
}

/**
 * Tables of one call. Component layout (see the header): for the distinct selected l in order of
 * first appearance, 3D: pairs block of 2l slots at pofs[l] (Re, Im of m = 1..l), then the m = 0
 * value at sofs[l] after all pairs blocks; 2D: Re, Im at pofs[l]. Recurrence tables in walk
 * order (m outer, l = m..lmax inner), entry t: coefA[t] = a_lm, coefB[t] = a_lm / a_{l-1,m}
 * (0 for l = m + 1; unused for l = m), yoff[t] = byte offset (ycomp) of Y_lm (m = 0: the value;
 * m > 0: Re, Im) or -1 when l is not selected; qmm[m] = Qbar_mm.
 */
// @ts-ignore: decorator
@unmanaged class Plan {
  lmax: i32 = 0;
  ncomp: i32 = 0;
  pofs: usize = 0;   // i32 x (lmax+1): pairs-block offset of l, -1 if unselected
  sofs: usize = 0;   // i32 x (lmax+1): m = 0 slot of l (3D)
  coefA: usize = 0;
  coefB: usize = 0;
  yoff: usize = 0;
  qmm: usize = 0;
  yoff2: usize = 0;  // 2D: i32 x (lmax+1) byte offset of (Re, Im) of l, -1 if unselected
}

// @ts-ignore: decorator
@inline function geti32(p: usize, k: i32): i32 { return load<i32>(p + (<usize>k << 2)); }

function makePlan(dim: i32, ls: usize, nls: i32, cap: i32): Plan {
  const P = changetype<Plan>(heap.alloc(offsetof<Plan>()));
  memory.fill(changetype<usize>(P), 0, offsetof<Plan>());
  let lmax = 0;
  for (let q = 0; q < nls; q++) {
    const l = geti32(ls, q);
    assert(l >= 0 && l <= DESC_LMAX, "descAngular: l out of range 0..32");
    if (l > lmax) lmax = l;
  }
  P.lmax = lmax;
  const pofs = heap.alloc(<usize>(lmax + 1) << 2), sofs = heap.alloc(<usize>(lmax + 1) << 2);
  for (let l = 0; l <= lmax; l++) { store<i32>(pofs + (<usize>l << 2), -1); store<i32>(sofs + (<usize>l << 2), -1); }
  let np = 0, ns = 0;
  for (let q = 0; q < nls; q++) {
    const l = geti32(ls, q);
    if (geti32(pofs, l) >= 0) continue;
    store<i32>(pofs + (<usize>l << 2), np);
    np += dim == 3 ? 2 * l : 2;
    if (dim == 3) { store<i32>(sofs + (<usize>l << 2), ns); ns++; }
  }
  for (let l = 0; l <= lmax; l++) {
    const s = geti32(sofs, l);
    if (s >= 0) store<i32>(sofs + (<usize>l << 2), np + s);
  }
  P.ncomp = np + ns;
  P.pofs = pofs;
  P.sofs = sofs;
  if (dim == 3) {
    const ntri = ((lmax * (lmax + 1)) >> 1) + lmax + 1;
    const coefA = heap.alloc(<usize>ntri << 3), coefB = heap.alloc(<usize>ntri << 3);
    const yoff = heap.alloc(<usize>ntri << 2), qmm = heap.alloc(<usize>(lmax + 1) << 3);
    let d: f64 = Math.sqrt(1.0 / (4.0 * Math.PI));
    let t = 0;
    for (let m = 0; m <= lmax; m++) {
      if (m > 0) d *= Math.sqrt(<f64>(2 * m + 1) / <f64>(2 * m));
      store<f64>(qmm + (<usize>m << 3), d);
      for (let l = m; l <= lmax; l++) {
        let a: f64 = 0.0, b: f64 = 0.0;
        if (l > m) {
          a = Math.sqrt(<f64>(4 * l * l - 1) / <f64>(l * l - m * m));
          if (l >= m + 2) b = a / Math.sqrt(<f64>(4 * (l - 1) * (l - 1) - 1) / <f64>((l - 1) * (l - 1) - m * m));
        }
        store<f64>(coefA + (<usize>t << 3), a);
        store<f64>(coefB + (<usize>t << 3), b);
        const po = geti32(pofs, l);
        store<i32>(yoff + (<usize>t << 2), po < 0 ? -1 : ycomp(m == 0 ? geti32(sofs, l) : po + 2 * m - 2, cap));
        t++;
      }
    }
    P.coefA = coefA; P.coefB = coefB; P.yoff = yoff; P.qmm = qmm;
  } else {
    const yoff2 = heap.alloc(<usize>(lmax + 1) << 2);
    for (let l = 0; l <= lmax; l++) {
      const po = geti32(pofs, l);
      store<i32>(yoff2 + (<usize>l << 2), po < 0 ? -1 : ycomp(po, cap));
    }
    P.yoff2 = yoff2;
  }
  return P;
}

function freePlan(P: Plan): void {
  heap.free(P.pofs); heap.free(P.sofs);
  if (P.coefA) { heap.free(P.coefA); heap.free(P.coefB); heap.free(P.yoff); heap.free(P.qmm); }
  if (P.yoff2) heap.free(P.yoff2);
  heap.free(changetype<usize>(P));
}

/**
 * Harmonics of pairs j (and j + 1 with SIMD) into the tile-major Y: unit vectors from Ux, Uy,
 * Uz (f64 x cap). 3D: Y_lm = Qbar_lm(z) (x + i y)^m by the recurrences of the header, the power
 * (x + i y)^m by p_m = p_{m-1} (x + i y); 2D: (x + i y)^l.
 */
// @ts-ignore: decorator
@inline function harmonics(P: Plan, dim: i32, Ux: usize, Uy: usize, Uz: usize, j: i32, Y: usize): void {
  const lmax = P.lmax;
  const yoff = P.yoff, coefA = P.coefA, coefB = P.coefB, qmm = P.qmm;
  const yj = Y + (<usize>j << 5);
  if (ASC_FEATURE_SIMD) {
    // lanes: pairs j, j + 1 (Y rows j, j + 1 are 32 bytes apart in a tile)
    const ux = v128.load(Ux + (<usize>j << 3)), uy = v128.load(Uy + (<usize>j << 3));
    if (dim == 3) {
      const uz = v128.load(Uz + (<usize>j << 3));
      let q2 = f64x2.splat(0.0);
      let q1 = v128.load64_splat(qmm);
      let o = load<i32>(yoff);
      if (o >= 0) { v128.store64_lane(yj + <usize>o, q1, 0); v128.store64_lane(yj + <usize>o, q1, 1, 32); }
      let t = 1;
      for (let l = 1; l <= lmax; l++, t++) {
        const qq = f64x2.sub(f64x2.mul(f64x2.mul(v128.load64_splat(coefA + (<usize>t << 3)), uz), q1), f64x2.mul(v128.load64_splat(coefB + (<usize>t << 3)), q2));
        q2 = q1;
        q1 = qq;
        o = load<i32>(yoff + (<usize>t << 2));
        if (o >= 0) { v128.store64_lane(yj + <usize>o, qq, 0); v128.store64_lane(yj + <usize>o, qq, 1, 32); }
      }
      let pre = f64x2.splat(1.0), pim = f64x2.splat(0.0);
      for (let m = 1; m <= lmax; m++) {
        const nre = f64x2.sub(f64x2.mul(pre, ux), f64x2.mul(pim, uy));
        const nim = f64x2.add(f64x2.mul(pre, uy), f64x2.mul(pim, ux));
        pre = nre; pim = nim;
        q2 = f64x2.splat(0.0);
        q1 = v128.load64_splat(qmm + (<usize>m << 3));
        o = load<i32>(yoff + (<usize>t << 2));
        if (o >= 0) {
          const re = f64x2.mul(q1, pre), im = f64x2.mul(q1, pim);
          v128.store(yj + <usize>o, f64x2.shuffle(re, im, 0, 2));
          v128.store(yj + <usize>o, f64x2.shuffle(re, im, 1, 3), 32);
        }
        t++;
        for (let l = m + 1; l <= lmax; l++, t++) {
          const qq = f64x2.sub(f64x2.mul(f64x2.mul(v128.load64_splat(coefA + (<usize>t << 3)), uz), q1), f64x2.mul(v128.load64_splat(coefB + (<usize>t << 3)), q2));
          q2 = q1;
          q1 = qq;
          o = load<i32>(yoff + (<usize>t << 2));
          if (o >= 0) {
            const re = f64x2.mul(qq, pre), im = f64x2.mul(qq, pim);
            v128.store(yj + <usize>o, f64x2.shuffle(re, im, 0, 2));
            v128.store(yj + <usize>o, f64x2.shuffle(re, im, 1, 3), 32);
          }
        }
      }
    } else {
      const yoff2 = P.yoff2;
      let pre = f64x2.splat(1.0), pim = f64x2.splat(0.0);
      for (let l = 0; l <= lmax; l++) {
        if (l > 0) {
          const nre = f64x2.sub(f64x2.mul(pre, ux), f64x2.mul(pim, uy));
          const nim = f64x2.add(f64x2.mul(pre, uy), f64x2.mul(pim, ux));
          pre = nre; pim = nim;
        }
        const o = load<i32>(yoff2 + (<usize>l << 2));
        if (o >= 0) {
          v128.store(yj + <usize>o, f64x2.shuffle(pre, pim, 0, 2));
          v128.store(yj + <usize>o, f64x2.shuffle(pre, pim, 1, 3), 32);
        }
      }
    }
  } else {
    const ux = load<f64>(Ux + (<usize>j << 3)), uy = load<f64>(Uy + (<usize>j << 3));
    if (dim == 3) {
      const uz = load<f64>(Uz + (<usize>j << 3));
      let q2: f64 = 0.0;
      let q1: f64 = load<f64>(qmm);
      let o = load<i32>(yoff);
      if (o >= 0) store<f64>(yj + <usize>o, q1);
      let t = 1;
      for (let l = 1; l <= lmax; l++, t++) {
        const qq = load<f64>(coefA + (<usize>t << 3)) * uz * q1 - load<f64>(coefB + (<usize>t << 3)) * q2;
        q2 = q1;
        q1 = qq;
        o = load<i32>(yoff + (<usize>t << 2));
        if (o >= 0) store<f64>(yj + <usize>o, qq);
      }
      let pre: f64 = 1.0, pim: f64 = 0.0;
      for (let m = 1; m <= lmax; m++) {
        const nre = pre * ux - pim * uy;
        const nim = pre * uy + pim * ux;
        pre = nre; pim = nim;
        q2 = 0.0;
        q1 = load<f64>(qmm + (<usize>m << 3));
        o = load<i32>(yoff + (<usize>t << 2));
        if (o >= 0) { store<f64>(yj + <usize>o, q1 * pre); store<f64>(yj + <usize>o, q1 * pim, 8); }
        t++;
        for (let l = m + 1; l <= lmax; l++, t++) {
          const qq = load<f64>(coefA + (<usize>t << 3)) * uz * q1 - load<f64>(coefB + (<usize>t << 3)) * q2;
          q2 = q1;
          q1 = qq;
          o = load<i32>(yoff + (<usize>t << 2));
          if (o >= 0) { store<f64>(yj + <usize>o, qq * pre); store<f64>(yj + <usize>o, qq * pim, 8); }
        }
      }
    } else {
      const yoff2 = P.yoff2;
      let pre: f64 = 1.0, pim: f64 = 0.0;
      for (let l = 0; l <= lmax; l++) {
        if (l > 0) {
          const nre = pre * ux - pim * uy;
          const nim = pre * uy + pim * ux;
          pre = nre; pim = nim;
        }
        const o = load<i32>(yoff2 + (<usize>l << 2));
        if (o >= 0) { store<f64>(yj + <usize>o, pre); store<f64>(yj + <usize>o, pim, 8); }
      }
    }
  }
}

/**
 * Rows of `nl`: family A into outA[i * ldoA + li * K + k] (l = ls[0..nls), i32 list) and, when
 * outR != 0, family R into outR[i * ldoR + beta * K + k] (species: i32 x N, S species; as
 * descRadial). Pairs with r > rcut are ignored.
 */
function radialAngular(nl: usize, species: usize, S: i32, dim: i32, r0: f64, dr: f64, K: i32, delta: f64, rcut: f64, ls: usize, nls: i32, outR: usize, ldoR: i32, outA: usize, ldoA: i32): void {
  assert(dim == 2 || dim == 3, "descAngular: dim must be 2 or 3");
  const i0 = neighborListFirst(nl), rows = neighborListRows(nl);
  const off = neighborListOffsets(nl), pr = neighborListR(nl), pd = neighborListD(nl), pj = neighborListJ(nl);
  let cap = 2;
  for (let q = 0; q < rows; q++) cap = max<i32>(cap, load<i32>(off + (<usize>(q + 1) << 2)) - load<i32>(off + (<usize>q << 2)));
  cap = (cap + 1) & ~1; // even: the SIMD harmonics write rows in pairs
  const P = makePlan(dim, ls, nls, cap);
  const ncomp = P.ncomp;
  const ncp = (ncomp + 3) & ~3;
  const Kp = (K + 3) & ~3;
  // per-row gathered data: Wm (cap x Kp) shell weights (padding 0), Ym (tile-major, cap x ncp;
  // padding components 0), unit vectors U (3 x cap), Zk (Kp), the product acc (Kp x ncp)
  const Wm = heap.alloc(<usize>(cap * Kp) << 3);
  const Ym = heap.alloc(<usize>(cap * ncp) << 3);
  const U = heap.alloc(<usize>(3 * cap) << 3);
  const Zk = heap.alloc(<usize>Kp << 3);
  const acc = heap.alloc(<usize>(Kp * ncp) << 3);
  memory.fill(Wm, 0, <usize>(cap * Kp) << 3);
  memory.fill(Ym, 0, <usize>(cap * ncp) << 3);
  memory.fill(U, 0, <usize>(3 * cap) << 3);
  const Ux = U, Uy = U + (<usize>cap << 3), Uz = U + (<usize>(2 * cap) << 3);
  const c = 1.0 / (2.0 * delta * delta);
  const G = shellRatio(dr, c);
  const ncol = S * K;
  for (let q = 0; q < rows; q++) {
    const i = i0 + q;
    const oR = outR + ((<usize>i * <usize>ldoR) << 3);
    if (outR) memory.fill(oR, 0, <usize>ncol << 3);
    let nj = 0;
    const a0 = load<i32>(off + (<usize>q << 2)), a1 = load<i32>(off + (<usize>(q + 1) << 2));
    for (let p = a0; p < a1; p++) {
      const r = load<f64>(pr + (<usize>p << 3));
      if (r > rcut) continue;
      const dp = pd + <usize>p * 24;
      const inv = 1.0 / r;
      store<f64>(Ux + (<usize>nj << 3), load<f64>(dp) * inv);
      store<f64>(Uy + (<usize>nj << 3), load<f64>(dp, 8) * inv);
      if (dim == 3) store<f64>(Uz + (<usize>nj << 3), load<f64>(dp, 16) * inv);
      const wj = Wm + (<usize>(nj * Kp) << 3);
      shellWeights(r, r0, dr, K, c, G, wj);
      if (outR) {
        // R_i[s_j, k] += w_k(r_ij), pairs in list order (as descRadial)
        const os = oR + (<usize>(load<i32>(species + (<usize>load<i32>(pj + (<usize>p << 2)) << 2)) * K) << 3);
        for (let k = 0; k < K; k++) {
          const ok = os + (<usize>k << 3);
          store<f64>(ok, load<f64>(ok) + load<f64>(wj + (<usize>k << 3)));
        }
      }
      nj++;
    }
    if (!outA) continue;
    if (nj & 1) { // the SIMD harmonics do pairs: the odd row's partner is a zero vector (row unused)
      store<f64>(Ux + (<usize>nj << 3), 0.0); store<f64>(Uy + (<usize>nj << 3), 0.0); store<f64>(Uz + (<usize>nj << 3), 0.0);
    }
    if (ASC_FEATURE_SIMD) {
      for (let j = 0; j < nj; j += 2) harmonics(P, dim, Ux, Uy, Uz, j, Ym);
    } else {
      for (let j = 0; j < nj; j++) harmonics(P, dim, Ux, Uy, Uz, j, Ym);
    }
    // Z_k = sum_j w_k(r_j), j in order from 0
    memory.fill(Zk, 0, <usize>Kp << 3);
    for (let j = 0; j < nj; j++) {
      const wj = Wm + (<usize>(j * Kp) << 3);
      if (ASC_FEATURE_SIMD) {
        for (let k = 0; k < Kp; k += 2) {
          const zk = Zk + (<usize>k << 3);
          v128.store(zk, f64x2.add(v128.load(zk), v128.load(wj + (<usize>k << 3))));
        }
      } else {
        for (let k = 0; k < K; k++) {
          const zk = Zk + (<usize>k << 3);
          store<f64>(zk, load<f64>(zk) + load<f64>(wj + (<usize>k << 3)));
        }
      }
    }
    shellProduct(acc, Wm, Ym, nj, Kp, ncp, cap);
    // A = sqrt(4 pi/(2l+1) (|S_l0|^2 + 2 sum_{m>0} |S_lm|^2)) / Z   (3D);  |S_l| / Z   (2D)
    const orow = outA + ((<usize>i * <usize>ldoA) << 3);
    for (let li = 0; li < nls; li++) {
      const l = geti32(ls, li);
      const po = geti32(P.pofs, l);
      const f = 4.0 * Math.PI / <f64>(2 * l + 1);
      for (let k = 0; k < K; k++) {
        const Z = load<f64>(Zk + (<usize>k << 3));
        let v: f64 = 0.0;
        if (Z >= 1e-10) {
          const pa = acc + (<usize>(k * ncp + po) << 3);
          if (dim == 3) {
            const s0 = load<f64>(acc + (<usize>(k * ncp + geti32(P.sofs, l)) << 3));
            let s: f64 = 0.0;
            for (let t = 0; t < 2 * l; t++) {
              const e = load<f64>(pa + (<usize>t << 3));
              s += e * e;
            }
            v = Math.sqrt(f * (s0 * s0 + 2.0 * s)) / Z;
          } else {
            const re = load<f64>(pa), im = load<f64>(pa, 8);
            v = Math.sqrt(re * re + im * im) / Z;
          }
        }
        store<f64>(orow + (<usize>(li * K + k) << 3), v);
      }
    }
  }
  heap.free(acc);
  heap.free(Zk);
  heap.free(U);
  heap.free(Ym);
  heap.free(Wm);
  freePlan(P);
}

/**
 * A_i[l, k] for the rows of neighbour list `nl`, l = ls[0..nls) (i32 list), written to
 * out[i * ldo + li * K + k]. dim 3: spherical harmonics; dim 2: exp(i l theta).
 * Pairs with r > rcut are ignored.
 */
export function descAngular(nl: usize, dim: i32, r0: f64, dr: f64, K: i32, delta: f64, rcut: f64, ls: usize, nls: i32, out: usize, ldo: i32): void {
  radialAngular(nl, 0, 0, dim, r0, dr, K, delta, rcut, ls, nls, 0, 0, out, ldo);
}

/**
 * Families R and A of the rows of `nl` in one walk (the shell weights once per pair):
 * R_i[beta, k] into outR[i * ldoR + beta * K + k] exactly as descRadial(nl, species, S, r0, dr,
 * K, delta, rcut, outR, ldoR), A_i[l, k] into outA[i * ldoA + li * K + k] exactly as
 * descAngular(nl, dim, r0, dr, K, delta, rcut, ls, nls, outA, ldoA).
 */
export function descRadialAngular(nl: usize, species: usize, S: i32, dim: i32, r0: f64, dr: f64, K: i32, delta: f64, rcut: f64, ls: usize, nls: i32, outR: usize, ldoR: i32, outA: usize, ldoA: i32): void {
  assert(outR != 0 && outA != 0, "descRadialAngular: both outputs are required");
  radialAngular(nl, species, S, dim, r0, dr, K, delta, rcut, ls, nls, outR, ldoR, outA, ldoA);
}
