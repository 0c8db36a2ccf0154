// Minimum-image geometry for the plain-TS oracles (textbook form, no cell lists).

/**
 * Minimum-image separation x_j - x_i of rows i and j of a row-major position array (dim D) in
 * an orthorhombic periodic box: d_a = dx_a - L_a round(dx_a / L_a), written into `out[0..D)`.
 * Returns |d|^2 (summed over a in order).
 */
export function minImage(positions: ArrayLike<number>, i: number, j: number, box: ArrayLike<number>, D: number, out: number[]): number {
  let r2 = 0;
  for (let a = 0; a < D; a++) {
    const L = box[a];
    let x = positions[j * D + a] - positions[i * D + a];
    x -= L * Math.round(x / L);
    out[a] = x;
    r2 += x * x;
  }
  return r2;
}
