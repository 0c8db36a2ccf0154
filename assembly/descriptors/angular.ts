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

/** acc[k*ncp + c] += w[k] * y[c] for k < K, c < ncp (ncp even). */
// @ts-ignore: decorator
@inline function accumulate(acc: usize, w: usize, y: usize, K: i32, ncp: i32): void {
  if (ASC_FEATURE_SIMD) {
    let pa = acc;
    for (let k = 0; k < K; k++) {
      const wv = f64x2.splat(load<f64>(w + (<usize>k << 3)));
      let py = y;
      const end = pa + (<usize>ncp << 3);
      while (pa < end) {
        v128.store(pa, f64x2.add(v128.load(pa), f64x2.mul(wv, v128.load(py))));
        pa += 16;
        py += 16;
      }
    }
  } else {
    let pa = acc;
    for (let k = 0; k < K; k++) {
      const wk = load<f64>(w + (<usize>k << 3));
      for (let c = 0; c < ncp; c++) {
        const py = y + (<usize>c << 3);
        store<f64>(pa, load<f64>(pa) + wk * load<f64>(py));
        pa += 8;
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
  const ncp = (ncomp + 1) & ~1;
  const ntri = idx(lmax, lmax) + 1;
  // recurrence tables: coefA[idx(l,m)] = a_lm, coefB[idx(l,m)] = a_lm / a_{l-1,m}; qmm[m]
  const coefA = heap.alloc(<usize>ntri << 3);
  const coefB = heap.alloc(<usize>ntri << 3);
  const qmm = heap.alloc(<usize>(lmax + 1) << 3);
  let d: f64 = Math.sqrt(1.0 / (4.0 * Math.PI));
  for (let m = 0; m <= lmax; m++) {
    if (m > 0) d *= Math.sqrt(<f64>(2 * m + 1) / <f64>(2 * m));
    store<f64>(qmm + (<usize>m << 3), d);
    for (let l = m + 1; l <= lmax; l++) {
      const a = Math.sqrt(<f64>(4 * l * l - 1) / <f64>(l * l - m * m));
      store<f64>(coefA + (<usize>idx(l, m) << 3), a);
      const b = l >= m + 2 ? a / Math.sqrt(<f64>(4 * (l - 1) * (l - 1) - 1) / <f64>((l - 1) * (l - 1) - m * m)) : 0.0;
      store<f64>(coefB + (<usize>idx(l, m) << 3), b);
    }
  }
  const cre = heap.alloc(<usize>(lmax + 1) << 3);
  const cim = heap.alloc(<usize>(lmax + 1) << 3);
  const y = heap.alloc(<usize>ncp << 3);
  const w = heap.alloc(<usize>K << 3);
  const z = heap.alloc(<usize>K << 3);
  const acc = heap.alloc(<usize>(K * ncp) << 3);
  memory.fill(y, 0, <usize>ncp << 3);

  const c = 1.0 / (2.0 * delta * delta);
  const G = shellRatio(dr, c);
  const i0 = neighborListFirst(nl), rows = neighborListRows(nl);
  const off = neighborListOffsets(nl), pr = neighborListR(nl), pd = neighborListD(nl);
  for (let q = 0; q < rows; q++) {
    const i = i0 + q;
    memory.fill(acc, 0, <usize>(K * ncp) << 3);
    memory.fill(z, 0, <usize>K << 3);
    const a0 = load<i32>(off + (<usize>q << 2)), a1 = load<i32>(off + (<usize>(q + 1) << 2));
    for (let p = a0; p < a1; p++) {
      const r = load<f64>(pr + (<usize>p << 3));
      if (r > rcut) continue;
      const dp = pd + <usize>p * 24;
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
        for (let m = 0; m <= lmax; m++) {
          const xr = load<f64>(cre + (<usize>m << 3)), xi = load<f64>(cim + (<usize>m << 3));
          let q2: f64 = 0.0;                                   // Qbar_{l-2,m}
          let q1: f64 = load<f64>(qmm + (<usize>m << 3));      // Qbar_{l-1,m}, starting at l = m
          for (let l = m; l <= lmax; l++) {
            let qq = q1;
            if (l > m) {
              const t = idx(l, m);
              qq = load<f64>(coefA + (<usize>t << 3)) * uz * q1 - load<f64>(coefB + (<usize>t << 3)) * q2;
              q2 = q1;
              q1 = qq;
            }
            const o = load<i32>(sel + (<usize>l << 2));
            if (o >= 0) {
              if (m == 0) {
                store<f64>(y + (<usize>o << 3), qq);
              } else {
                const yo = y + (<usize>(o + 2 * m - 1) << 3);
                store<f64>(yo, qq * xr);
                store<f64>(yo, qq * xi, 8);
              }
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
      shellWeights(r, r0, dr, K, c, G, w);
      for (let k = 0; k < K; k++) {
        const zk = z + (<usize>k << 3);
        store<f64>(zk, load<f64>(zk) + load<f64>(w + (<usize>k << 3)));
      }
      accumulate(acc, w, y, K, ncp);
    }
    // A = sqrt(4 pi/(2l+1) (|S_l0|^2 + 2 sum_{m>0} |S_lm|^2)) / Z   (3D);  |S_l| / Z   (2D)
    const orow = out + ((<usize>i * <usize>ldo) << 3);
    for (let li = 0; li < nls; li++) {
      const l = load<i32>(ls + (<usize>li << 2));
      const o = load<i32>(lofs + (<usize>li << 2));
      const f = 4.0 * Math.PI / <f64>(2 * l + 1);
      for (let k = 0; k < K; k++) {
        const Z = load<f64>(z + (<usize>k << 3));
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
  heap.free(z);
  heap.free(w);
  heap.free(y);
  heap.free(cim);
  heap.free(cre);
  heap.free(qmm);
  heap.free(coefB);
  heap.free(coefA);
  heap.free(lofs);
  heap.free(sel);
}
