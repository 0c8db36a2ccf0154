// Pair potentials shared by family E (descriptors/energy.ts) and the minimiser (minimize/forces.ts,
// and through it dynamics/md.ts): the one pair form, its table and its evaluators.
//
// One form covers the KA3D and KA2D presets and user LJ tables (../shared/spec/descriptors.md, E):
//   V_ab(r) = 4 eps [ (s/r)^12 - (s/r)^6 + c0 + c2 (r/s)^2 + c4 (r/s)^4 ]   for r < rc_ab (strict),
//   V_ab(r) = 0                                                           for r >= rc_ab.
// Truncated-and-shifted LJ (KA3D) has c0 = -[(s/rc)^12 - (s/rc)^6], c2 = c4 = 0; KA2D uses its
// smoothing polynomial.
//   dV/dr = 4 eps [ -12 s^12/r^13 + 6 s^6/r^7 + 2 c2 r/s^2 + 4 c4 r^3/s^4 ]
//
// The table: S x S entries of PAIR_STRIDE f64, entry (a, b) at table + 8 (a S + b) PAIR_STRIDE,
// written by src/potential/potentials.ts (flattenPotential); fields (f64 index in the entry):
//   0 eps | 1 sigma | 2 rc | 3 c0 | 4 c2 | 5 c4
// read only through the accessors below.
//
// The force loops evaluate the same V from precomputed coefficients (pairCoefFill): an entry of
// PAIR_COEF_STRIDE f64 per (a, b), fields
//   0 rc^2 | 1 lj1 = 48 eps s^12 | 2 lj2 = 24 eps s^6 | 3 lj3 = 4 eps s^12 | 4 lj4 = 4 eps s^6
//   5 e0 = 4 eps c0 | 6 ec2 = 4 eps c2 / s^2 | 7 ec4 = 4 eps c4 / s^4
// so that, with ir2 = 1/r^2 and ir6 = ir2^3,
//   V     = ir6 (lj3 ir6 - lj4) + e0 + r^2 (ec2 + ec4 r^2)
//   -V'/r = ir6 (lj1 ir6 - lj2) ir2 - (2 ec2 + 4 ec4 r^2)
// (the polynomial terms are skipped, poly = false, when every c2 and c4 is 0: the same numbers).

export const PAIR_STRIDE: i32 = 6;

/** eps of table entry t. */
@inline export function pairEps(t: usize): f64 { return load<f64>(t); }
/** sigma of table entry t. */
@inline export function pairSigma(t: usize): f64 { return load<f64>(t, 8); }
/** Cutoff rc (absolute length) of table entry t. */
@inline export function pairCutoff(t: usize): f64 { return load<f64>(t, 16); }
/** c0 of table entry t. */
@inline export function pairC0(t: usize): f64 { return load<f64>(t, 24); }
/** c2 of table entry t. */
@inline export function pairC2(t: usize): f64 { return load<f64>(t, 32); }
/** c4 of table entry t. */
@inline export function pairC4(t: usize): f64 { return load<f64>(t, 40); }

/** Address of the (a, b) entry in a table of S species. */
@inline export function pairEntry(table: usize, S: i32, a: i32, b: i32): usize {
  return table + (<usize>((a * S + b) * PAIR_STRIDE) << 3);
}

/** Address of the k-th entry (k = a S + b). */
@inline function pairEntryAt(table: usize, k: i32): usize {
  return table + (<usize>(k * PAIR_STRIDE) << 3);
}

/** V_ab(r) from table entry t (the formula in the header). */
@inline export function pairEnergy(t: usize, r: f64): f64 {
  if (r >= pairCutoff(t)) return 0.0;
  const s = pairSigma(t);
  const ir = s / r;
  const ir2 = ir * ir;
  const ir6 = ir2 * ir2 * ir2;
  const q = r / s;
  const q2 = q * q;
  return 4.0 * pairEps(t) * (ir6 * ir6 - ir6 + pairC0(t) + pairC2(t) * q2 + pairC4(t) * q2 * q2);
}

/** Largest rc_ab of a table of S species. */
export function pairMaxCutoff(table: usize, S: i32): f64 {
  let m = 0.0;
  for (let k = 0; k < S * S; k++) m = Math.max(m, pairCutoff(pairEntryAt(table, k)));
  return m;
}

// ---- coefficient form ----

export const PAIR_COEF_STRIDE: i32 = 8;

/** rc^2 of coefficient entry k. */
@inline export function coefCut2(k: usize): f64 { return load<f64>(k); }
@inline function coefLj1(k: usize): f64 { return load<f64>(k, 8); }
@inline function coefLj2(k: usize): f64 { return load<f64>(k, 16); }
@inline function coefLj3(k: usize): f64 { return load<f64>(k, 24); }
@inline function coefLj4(k: usize): f64 { return load<f64>(k, 32); }
@inline function coefE0(k: usize): f64 { return load<f64>(k, 40); }
@inline function coefEc2(k: usize): f64 { return load<f64>(k, 48); }
@inline function coefEc4(k: usize): f64 { return load<f64>(k, 56); }

/** Fill `out` (S*S*PAIR_COEF_STRIDE f64) with the coefficient entries of a pair table (fields above). */
export function pairCoefFill(table: usize, S: i32, out: usize): void {
  for (let k = 0; k < S * S; k++) {
    const t = pairEntryAt(table, k);
    const o = out + (<usize>(k * PAIR_COEF_STRIDE) << 3);
    const eps = pairEps(t), s = pairSigma(t), rc = pairCutoff(t);
    const s2 = s * s, s6 = s2 * s2 * s2, s12 = s6 * s6;
    store<f64>(o, rc * rc);
    store<f64>(o, 48.0 * eps * s12, 8);
    store<f64>(o, 24.0 * eps * s6, 16);
    store<f64>(o, 4.0 * eps * s12, 24);
    store<f64>(o, 4.0 * eps * s6, 32);
    store<f64>(o, 4.0 * eps * pairC0(t), 40);
    store<f64>(o, 4.0 * eps * pairC2(t) / s2, 48);
    store<f64>(o, 4.0 * eps * pairC4(t) / (s2 * s2), 56);
  }
}

/** True when some of the S*S coefficient entries has a polynomial term (ec2 or ec4 != 0). */
export function pairCoefHasPoly(coef: usize, S: i32): bool {
  for (let k = 0; k < S * S; k++) {
    const o = coef + (<usize>(k * PAIR_COEF_STRIDE) << 3);
    if (coefEc2(o) != 0 || coefEc4(o) != 0) return true;
  }
  return false;
}

/** V(r) from coefficient entry k, r2 = r^2 < rc^2, ir6 = 1/r^6 (the formula in the header). */
@inline export function pairCoefEnergy(k: usize, r2: f64, ir6: f64, poly: bool): f64 {
  let v = ir6 * (coefLj3(k) * ir6 - coefLj4(k)) + coefE0(k);
  if (poly) v += r2 * (coefEc2(k) + coefEc4(k) * r2);
  return v;
}

/**
 * -V'(r)/r from coefficient entry k, r2 = r^2 < rc^2, ir2 = 1/r^2, ir6 = ir2^3: the force on j
 * from i is (-V'/r) d_ij with d_ij = x_j - x_i.
 */
@inline export function pairCoefForceOverR(k: usize, r2: f64, ir2: f64, ir6: f64, poly: bool): f64 {
  let fr = ir6 * (coefLj1(k) * ir6 - coefLj2(k)) * ir2;
  if (poly) fr -= 2.0 * coefEc2(k) + 4.0 * coefEc4(k) * r2;
  return fr;
}
