// Pair potentials shared by family E (descriptors) and the minimiser (forces).
//
// One form covers the KA3D and KA2D presets and user LJ tables (../shared/spec/descriptors.md, E):
//   V_ab(r) = 4 eps [ (s/r)^12 - (s/r)^6 + c0 + c2 (r/s)^2 + c4 (r/s)^4 ]   for r < rc_ab (strict),
//   V_ab(r) = 0                                                           for r >= rc_ab,
// with (eps, s, rc, c0, c2, c4) = table[(a*S + b)*PAIR_STRIDE + 0..5]. Truncated-and-shifted LJ
// (KA3D) has c0 = -[(s/rc)^12 - (s/rc)^6], c2 = c4 = 0; KA2D uses its smoothing polynomial.
//   dV/dr = 4 eps [ -12 s^12/r^13 + 6 s^6/r^7 + 2 c2 r/s^2 + 4 c4 r^3/s^4 ]

export const PAIR_STRIDE: i32 = 6;

/** V_ab(r); `t` = address of the entry for (a, b). */
@inline export function pairEnergy(t: usize, r: f64): f64 {
  const rc = load<f64>(t, 16);
  if (r >= rc) return 0.0;
  const eps = load<f64>(t), s = load<f64>(t, 8);
  const ir = s / r;
  const ir2 = ir * ir;
  const ir6 = ir2 * ir2 * ir2;
  const q = r / s;
  const q2 = q * q;
  return 4.0 * eps * (ir6 * ir6 - ir6 + load<f64>(t, 24) + load<f64>(t, 32) * q2 + load<f64>(t, 40) * q2 * q2);
}

/** -(1/r) dV_ab/dr (so the force on j from i is fOverR * d_ij with d_ij = x_j - x_i); 0 beyond rc. */
@inline export function pairForceOverR(t: usize, r2: f64): f64 {
  const rc = load<f64>(t, 16);
  if (r2 >= rc * rc) return 0.0;
  const eps = load<f64>(t), s = load<f64>(t, 8);
  const s2 = s * s;
  const ir2 = s2 / r2;
  const ir6 = ir2 * ir2 * ir2;
  // -(1/r) dV/dr = 4 eps [ 12 s^12/r^14 - 6 s^6/r^8 - 2 c2/s^2 - 4 c4 r^2/s^4 ]
  return 4.0 * eps * ((12.0 * ir6 * ir6 - 6.0 * ir6) / r2 - 2.0 * load<f64>(t, 32) / s2 - 4.0 * load<f64>(t, 40) * r2 / (s2 * s2));
}

/** Address of the (a, b) entry in a table of S species. */
@inline export function pairEntry(table: usize, S: i32, a: i32, b: i32): usize {
  return table + (<usize>((a * S + b) * PAIR_STRIDE) << 3);
}
