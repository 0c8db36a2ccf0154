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
// Per row the accumulation acc[k][c] += w_k(r_j) Y_c(u_j) (K x ncomp, ncomp = sum_l (2l+1) in
// 3D, 2 n_l in 2D) is the hot loop; with SIMD two components go per v128 lane pair, each lane
// doing exactly the scalar operations (the two builds agree bit for bit).

import {
  neighborListFirst, neighborListRows, neighborListOffsets, neighborListR, neighborListD,
} from "../neighbors/celllist";
import { shellWeights, shellRatio } from "./radial";

/** Largest angular order the kernels accept. */
export const DESC_LMAX: i32 = 32;

// @ts-ignore: decorator
@inline function idx(l: i32, m: i32): i32 { return ((l * (l + 1)) >> 1) + m; }

/**
 * acc[k*ncp + c] = sum_{j < nj} W[j*Kp + k] * Y[j*ncp + c] for k < Kp, c < ncp (both multiples
 * of 4): the per-row product W^T Y, in register tiles of 4 shells x 4 components. Every
 * element sums over j in increasing order from 0 (SIMD lanes do the scalar operations).
 */
// @ts-ignore: decorator
@inline function shellProduct(acc: usize, W: usize, Y: usize, nj: i32, Kp: i32, ncp: i32): void {
  const sw = <usize>Kp << 3, sy = <usize>ncp << 3;
  for (let kt = 0; kt < Kp; kt += 4) {
    for (let ct = 0; ct < ncp; ct += 4) {
      let pw = W + (<usize>kt << 3), py = Y + (<usize>ct << 3);
      const pa = acc + (<usize>(kt * ncp + ct) << 3);
      if (ASC_FEATURE_SIMD) {
        let a00 = f64x2.splat(0), a01 = f64x2.splat(0), a10 = f64x2.splat(0), a11 = f64x2.splat(0);
        let a20 = f64x2.splat(0), a21 = f64x2.splat(0), a30 = f64x2.splat(0), a31 = f64x2.splat(0);
        for (let j = 0; j < nj; j++) {
          const y0 = v128.load(py), y1 = v128.load(py, 16);
          const w0 = f64x2.splat(load<f64>(pw)), w1 = f64x2.splat(load<f64>(pw, 8));
          const w2 = f64x2.splat(load<f64>(pw, 16)), w3 = f64x2.splat(load<f64>(pw, 24));
          a00 = f64x2.add(a00, f64x2.mul(w0, y0)); a01 = f64x2.add(a01, f64x2.mul(w0, y1));
          a10 = f64x2.add(a10, f64x2.mul(w1, y0)); a11 = f64x2.add(a11, f64x2.mul(w1, y1));
          a20 = f64x2.add(a20, f64x2.mul(w2, y0)); a21 = f64x2.add(a21, f64x2.mul(w2, y1));
          a30 = f64x2.add(a30, f64x2.mul(w3, y0)); a31 = f64x2.add(a31, f64x2.mul(w3, y1));
          pw += sw; py += sy;
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
            qw += sw; qy += sy;
          }
          const qa = pa + <usize>kk * sy;
          store<f64>(qa, b0); store<f64>(qa, b1, 8); store<f64>(qa, b2, 16); store<f64>(qa, b3, 24);
        }
      }
    }
  }
}

/**
 * A_i[l, k] for the rows of neighbour list `nl`, l = ls[0..nls) (i32 list), written to
 * out[i * ldo + li * K + k]. dim 3: spherical harmonics; dim 2: exp(i l theta).
 * Pairs with r > rcut are ignored.
 */
export function descAngular(nl: usize, dim: i32, r0: f64, dr: f64, K: i32, delta: f64, rcut: f64, ls: usize, nls: i32, out: usize, ldo: i32): void {
  assert(dim == 2 || dim == 3, "descAngular: dim must be 2 or 3");
  let lmax = 0;
  for (let q = 0; q < nls; q++) {
    const l = load<i32>(ls + (<usize>q << 2));
    assert(l >= 0 && l <= DESC_LMAX, "descAngular: l out of range 0..32");
    if (l > lmax) lmax = l;
  }
  // component layout: selected l at offset sel[l]; 3D: 2l+1 slots (Q_l0, Re/Im for m=1..l); 2D: Re, Im
  const sel = heap.alloc(<usize>(lmax + 1) << 2);
  for (let l = 0; l <= lmax; l++) store<i32>(sel + (<usize>l << 2), -1);
  const lofs = heap.alloc(<usize>nls << 2);
  let ncomp = 0;
  for (let q = 0; q < nls; q++) {
    const l = load<i32>(ls + (<usize>q << 2));
    let o = load<i32>(sel + (<usize>l << 2));
    if (o < 0) {
      o = ncomp;
      store<i32>(sel + (<usize>l << 2), o);
      ncomp += dim == 3 ? 2 * l + 1 : 2;
    }
    store<i32>(lofs + (<usize>q << 2), o);
  }
  const ntri = idx(lmax, lmax) + 1;
  // recurrence tables in walk order (m outer, l = m..lmax inner), entry t:
  //   coefA[t] = a_lm, coefB[t] = a_lm / a_{l-1,m} (0 for l = m + 1; unused for l = m),
  //   slot[t] = where Y_lm goes (m = 0: the real value; m > 0: Re, Im at slot, slot+1), -1 if l unselected;
  //   qmm[m] = Qbar_mm
  const coefA = heap.alloc(<usize>ntri << 3);
  const coefB = heap.alloc(<usize>ntri << 3);
  const slot = heap.alloc(<usize>ntri << 2);
  const qmm = heap.alloc(<usize>(lmax + 1) << 3);
  let d: f64 = Math.sqrt(1.0 / (4.0 * Math.PI));
  let t0 = 0;
  for (let m = 0; m <= lmax; m++) {
    if (m > 0) d *= Math.sqrt(<f64>(2 * m + 1) / <f64>(2 * m));
    store<f64>(qmm + (<usize>m << 3), d);
    for (let l = m; l <= lmax; l++) {
      let a: f64 = 0.0, b: f64 = 0.0;
      if (l > m) {
        a = Math.sqrt(<f64>(4 * l * l - 1) / <f64>(l * l - m * m));
        if (l >= m + 2) b = a / Math.sqrt(<f64>(4 * (l - 1) * (l - 1) - 1) / <f64>((l - 1) * (l - 1) - m * m));
      }
      store<f64>(coefA + (<usize>t0 << 3), a);
      store<f64>(coefB + (<usize>t0 << 3), b);
      const o = load<i32>(sel + (<usize>l << 2));
      store<i32>(slot + (<usize>t0 << 2), o < 0 ? -1 : (m == 0 ? o : o + 2 * m - 1));
      t0++;
    }
  }
  const cre = heap.alloc(<usize>(lmax + 1) << 3);
  const cim = heap.alloc(<usize>(lmax + 1) << 3);
  const i0 = neighborListFirst(nl), rows = neighborListRows(nl);
  const off = neighborListOffsets(nl), pr = neighborListR(nl), pd = neighborListD(nl);
  // per-row gathered matrices: Wm (nj x Kp) shell weights, Ym (nj x ncp) harmonics with a
  // constant-1 column at ncomp (so acc[k][ncomp] = Z_k); padding stays 0
  let cap = 1;
  for (let q = 0; q < rows; q++) cap = max<i32>(cap, load<i32>(off + (<usize>(q + 1) << 2)) - load<i32>(off + (<usize>q << 2)));
  const ncp = (ncomp + 1 + 3) & ~3;
  const Kp = (K + 3) & ~3;
  const Wm = heap.alloc(<usize>(cap * Kp) << 3);
  const Ym = heap.alloc(<usize>(cap * ncp) << 3);
  const acc = heap.alloc(<usize>(Kp * ncp) << 3);
  memory.fill(Wm, 0, <usize>(cap * Kp) << 3);
  memory.fill(Ym, 0, <usize>(cap * ncp) << 3);
  for (let j = 0; j < cap; j++) store<f64>(Ym + (<usize>(j * ncp + ncomp) << 3), 1.0);

  const c = 1.0 / (2.0 * delta * delta);
  const G = shellRatio(dr, c);
  for (let q = 0; q < rows; q++) {
    const i = i0 + q;
    let nj = 0;
    const a0 = load<i32>(off + (<usize>q << 2)), a1 = load<i32>(off + (<usize>(q + 1) << 2));
    for (let p = a0; p < a1; p++) {
      const r = load<f64>(pr + (<usize>p << 3));
      if (r > rcut) continue;
      const dp = pd + <usize>p * 24;
      const y = Ym + (<usize>(nj * ncp) << 3);
      const inv = 1.0 / r;
      const ux = load<f64>(dp) * inv, uy = load<f64>(dp, 8) * inv;
      // (x + i y)^m, m = 0..lmax
      store<f64>(cre, 1.0);
      store<f64>(cim, 0.0);
      let pre: f64 = 1.0, pim: f64 = 0.0;
      for (let m = 1; m <= lmax; m++) {
        const nre = pre * ux - pim * uy;
        const nim = pre * uy + pim * ux;
        pre = nre; pim = nim;
        store<f64>(cre + (<usize>m << 3), pre);
        store<f64>(cim + (<usize>m << 3), pim);
      }
      if (dim == 3) {
        const uz = load<f64>(dp, 16) * inv;
        // m = 0: real values
        let q2: f64 = 0.0;                                 // Qbar_{l-2,m}
        let q1: f64 = load<f64>(qmm);                      // Qbar_{l-1,m}
        let o = load<i32>(slot);
        if (o >= 0) store<f64>(y + (<usize>o << 3), q1);
        let t = 1;
        for (let l = 1; l <= lmax; l++, t++) {
          const qq = load<f64>(coefA + (<usize>t << 3)) * uz * q1 - load<f64>(coefB + (<usize>t << 3)) * q2;
          q2 = q1;
          q1 = qq;
          o = load<i32>(slot + (<usize>t << 2));
          if (o >= 0) store<f64>(y + (<usize>o << 3), qq);
        }
        // m > 0: Qbar_lm (x + i y)^m
        for (let m = 1; m <= lmax; m++) {
          const xr = load<f64>(cre + (<usize>m << 3)), xi = load<f64>(cim + (<usize>m << 3));
          q2 = 0.0;
          q1 = load<f64>(qmm + (<usize>m << 3));
          o = load<i32>(slot + (<usize>t << 2));
          if (o >= 0) {
            const yo = y + (<usize>o << 3);
            store<f64>(yo, q1 * xr);
            store<f64>(yo, q1 * xi, 8);
          }
          t++;
          for (let l = m + 1; l <= lmax; l++, t++) {
            const qq = load<f64>(coefA + (<usize>t << 3)) * uz * q1 - load<f64>(coefB + (<usize>t << 3)) * q2;
            q2 = q1;
            q1 = qq;
            o = load<i32>(slot + (<usize>t << 2));
            if (o >= 0) {
              const yo = y + (<usize>o << 3);
              store<f64>(yo, qq * xr);
              store<f64>(yo, qq * xi, 8);
            }
          }
        }
      } else {
        for (let l = 0; l <= lmax; l++) {
          const o = load<i32>(sel + (<usize>l << 2));
          if (o >= 0) {
            const yo = y + (<usize>o << 3);
            store<f64>(yo, load<f64>(cre + (<usize>l << 3)));
            store<f64>(yo, load<f64>(cim + (<usize>l << 3)), 8);
          }
        }
      }
      shellWeights(r, r0, dr, K, c, G, Wm + (<usize>(nj * Kp) << 3));
      nj++;
    }
    shellProduct(acc, Wm, Ym, nj, Kp, ncp);
    // A = sqrt(4 pi/(2l+1) (|S_l0|^2 + 2 sum_{m>0} |S_lm|^2)) / Z   (3D);  |S_l| / Z   (2D)
    const orow = out + ((<usize>i * <usize>ldo) << 3);
    for (let li = 0; li < nls; li++) {
      const l = load<i32>(ls + (<usize>li << 2));
      const o = load<i32>(lofs + (<usize>li << 2));
      const f = 4.0 * Math.PI / <f64>(2 * l + 1);
      for (let k = 0; k < K; k++) {
        const Z = load<f64>(acc + (<usize>(k * ncp + ncomp) << 3));
        let v: f64 = 0.0;
        if (Z >= 1e-10) {
          const pa = acc + (<usize>(k * ncp + o) << 3);
          if (dim == 3) {
            const s0 = load<f64>(pa);
            let s: f64 = 0.0;
            for (let t = 1; t <= 2 * l; t++) {
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
  heap.free(Ym);
  heap.free(Wm);
  heap.free(cim);
  heap.free(cre);
  heap.free(qmm);
  heap.free(slot);
  heap.free(coefB);
  heap.free(coefA);
  heap.free(lofs);
  heap.free(sel);
}
