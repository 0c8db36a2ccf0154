// Family P: local density, packing fraction and composition at scale L, and the layout of
// family E's coarse-grained columns (../shared/spec/descriptors.md, "Family P", "Family E").
//
//   rho_i(L)    = sum_{j != i, r_ij <= L} exp(-r_ij/L)                    (= W_i of the CG kernel)
//   phi_i(L)    = sum_{j != i, r_ij <= L} exp(-r_ij/L) v_{s_j} / W_D(L)   (a plain CG-kernel sum)
//   x_i^b(L)    = CG_L(1[s = b])_i,  b = 0..S-2
//   e(L)        = CG_L(e)_i,   evar(L) = CG_L(e^2)_i - CG_L(e)_i^2
//
// All of them come from one coarse-graining pass per scale (coarsegrain.ts: descCoarseGrainAdd
// over every chunk of the half neighbour list, then descCoarseGrainFinish with nAvg = the x, e, e^2
// columns) on the source columns built by descPackingSource:
//   [1[s=0] .. 1[s=S-2] | e, e^2 (when energies are given) | v_s (when S > 1)].
// Local packing after Tong & Tanaka, PRX 8, 011041 (2018); composition as in Boattini et al. (2021).

/** Source columns (see above) into src (n x lds). e = 0: no energy columns. vol: f64 x S. */
export function descPackingSource(n: i32, species: usize, S: i32, e: usize, vol: usize, src: usize, lds: i32): void {
  const nx = S - 1;
  for (let i = 0; i < n; i++) {
    const s = load<i32>(species + (<usize>i << 2));
    const o = src + ((<usize>i * <usize>lds) << 3);
    for (let b = 0; b < nx; b++) store<f64>(o + (<usize>b << 3), b == s ? 1.0 : 0.0);
    let c = nx;
    if (e) {
      const ei = load<f64>(e + (<usize>i << 3));
      store<f64>(o + (<usize>c << 3), ei);
      store<f64>(o + (<usize>(c + 1) << 3), ei * ei);
      c += 2;
    }
    if (S > 1) store<f64>(o + (<usize>c << 3), load<f64>(vol + (<usize>s << 3)));
  }
}

/**
 * Rows i0..i1 of one scale into the output blocks, from t = the coarse-graining output
 * (descCoarseGrainFinish's acc, n x ldt) on the source columns and W = its weight sums:
 *   pOut[i*ldp + 0] = rho, [1] = phi = S_v * invWD, [2 + b] = x^b        (pOut != 0; phi, x only when S > 1)
 *   eOut[i*lde + 0] = e(L), [1] = evar(L)                                  (eOut != 0; needs hasE)
 */
export function descPackingAssemble(i0: i32, i1: i32, t: usize, ldt: i32, W: usize, S: i32, hasE: i32, invWD: f64, pOut: usize, ldp: i32, eOut: usize, lde: i32): void {
  const nx = S - 1;
  const cv = nx + (hasE ? 2 : 0);
  for (let i = i0; i < i1; i++) {
    const ti = t + ((<usize>i * <usize>ldt) << 3);
    if (pOut) {
      const po = pOut + ((<usize>i * <usize>ldp) << 3);
      store<f64>(po, load<f64>(W + (<usize>i << 3)));
      if (S > 1) {
        store<f64>(po, load<f64>(ti + (<usize>cv << 3)) * invWD, 8);
        for (let b = 0; b < nx; b++) store<f64>(po + (<usize>(2 + b) << 3), load<f64>(ti + (<usize>b << 3)));
      }
    }
    if (eOut && hasE) {
      const eo = eOut + ((<usize>i * <usize>lde) << 3);
      const m = load<f64>(ti + (<usize>nx << 3));
      store<f64>(eo, m);
      store<f64>(eo, load<f64>(ti + (<usize>(nx + 1) << 3)) - m * m, 8);
    }
  }
}
