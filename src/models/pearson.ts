// The score of every model, CV fold and chart: Pearson's correlation coefficient.
// Plain TS with no dependencies, so the report (browser and Node) and the pipeline share it.

/**
 * Pearson correlation of two equal-length arrays,
 *   r = sum (a_i - <a>)(b_i - <b>) / sqrt(sum (a_i - <a>)^2 sum (b_i - <b>)^2),
 * two passes (means first) for accuracy; NaN when either array is constant.
 */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}
