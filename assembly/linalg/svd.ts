// Thin singular value decomposition A = U diag(s) V^T by one-sided Jacobi (Hestenes 1958;
// Demmel & Veselic, SIAM J. Matrix Anal. Appl. 13, 1204 (1992)).
//
// The columns a_i of A (stored transposed, so each is a contiguous row) are rotated pairwise
// until every pair is orthogonal: for alpha = a_i.a_i, beta = a_j.a_j, gamma = a_i.a_j with
// |gamma| > tol sqrt(alpha beta), zeta = (beta - alpha) / (2 gamma),
// t = sign(zeta) / (|zeta| + sqrt(1 + zeta^2)), c = 1 / sqrt(1 + t^2), s = c t,
//   a_i <- c a_i - s a_j,  a_j <- s a_i + c a_j   (and the same on the rows of V^T).
// Columns with ||a||^2 <= (4 max(m,n) eps)^2 ||A||_F^2 are numerically zero and not rotated.
// On convergence s_j = ||a_j||, U[:, j] = a_j / s_j (0 for a numerically zero column), V accumulated.
// Singular values are sorted descending; each V column's largest-|entry| is made positive
// (U's column flipped with it).

import { argsortDesc, dot, rot, storeColumnSignFixed, zeroF64 } from "./vec";

/** f64 workspace laSvdJacobi needs for an m x n matrix. */
export function laSvdWorkSize(m: i32, n: i32): i32 {
  return n * m + n * n + 2 * n;
}

/**
 * A: m x n row-major (not modified). Outputs U (m x n), s (n), V (n x n), all row-major.
 * Returns the number of sweeps used (>= 1), or -1 when maxSweeps sweeps did not converge.
 */
export function laSvdJacobi(A: usize, m: i32, n: i32, U: usize, s: usize, V: usize, work: usize, maxSweeps: i32, tol: f64): i32 {
  const At = work;
  const Vt = At + ((<usize>n * <usize>m) << 3);
  const norms = Vt + ((<usize>n * <usize>n) << 3);
  const perm = norms + (<usize>n << 3);
  const mb = <usize>m << 3;
  const nb = <usize>n << 3;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) store<f64>(At + <usize>j * mb + (<usize>i << 3), load<f64>(A + <usize>i * nb + (<usize>j << 3)));
  }
  zeroF64(Vt, n * n);
  for (let j = 0; j < n; j++) store<f64>(Vt + <usize>j * nb + (<usize>j << 3), 1.0);
  // columns whose squared norm falls below tiny are numerically zero (rank deficiency, m < n):
  // they take no part in rotations, else the sweep would chase rounding noise forever
  let fro2 = 0.0;
  for (let j = 0; j < n; j++) fro2 += dot(At + <usize>j * mb, At + <usize>j * mb, m);
  const zeroTol = 4.0 * <f64>max(m, n) * 2.220446049250313e-16;
  const tiny = zeroTol * zeroTol * fro2;
  let sweeps = 0;
  let converged = false;
  while (sweeps < maxSweeps) {
    sweeps++;
    let rotated = 0;
    for (let i = 0; i < n - 1; i++) {
      const ai = At + <usize>i * mb;
      for (let j = i + 1; j < n; j++) {
        const aj = At + <usize>j * mb;
        const alpha = dot(ai, ai, m);
        const beta = dot(aj, aj, m);
        const gamma = dot(ai, aj, m);
        if (alpha <= tiny || beta <= tiny) continue;
        if (Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated++;
        const zeta = (beta - alpha) / (2.0 * gamma);
        const t = (zeta >= 0.0 ? 1.0 : -1.0) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
        const c = 1.0 / Math.sqrt(1.0 + t * t);
        const sn = c * t;
        rot(ai, aj, m, c, sn);
        rot(Vt + <usize>i * nb, Vt + <usize>j * nb, n, c, sn);
      }
    }
    if (rotated == 0) {
      converged = true;
      break;
    }
  }
  if (!converged) return -1;
  for (let j = 0; j < n; j++) {
    const aj = At + <usize>j * mb;
    store<f64>(norms + (<usize>j << 3), Math.sqrt(dot(aj, aj, m)));
  }
  argsortDesc(norms, n, perm);
  for (let jj = 0; jj < n; jj++) {
    const j = load<i32>(perm + (<usize>jj << 2));
    const sv = load<f64>(norms + (<usize>j << 3));
    store<f64>(s + (<usize>jj << 3), sv);
    const sgn = storeColumnSignFixed(Vt + <usize>j * nb, n, V, n, jj);
    const arow = At + <usize>j * mb;
    const inv = sv * sv > tiny ? sgn / sv : 0.0;
    for (let i = 0; i < m; i++) store<f64>(U + <usize>i * nb + (<usize>jj << 3), inv * load<f64>(arow + (<usize>i << 3)));
  }
  return sweeps;
}
