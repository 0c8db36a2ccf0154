// Cross-validation scores of predictions, block by block (a block = the evaluation rows of one
// held-out configuration; src/models/cv.ts): the Pearson correlation of prediction and target
// and the squared error, for m prediction columns (one per grid point) at once.

import { ldf, stf, ldi } from "../mem";

/**
 * Scores of m prediction columns on nBlocks row blocks (configurations).
 * Rows starts[bl] .. starts[bl+1] of P (row-major, m columns) and y form block bl;
 * prediction yhat_ia = P[i, a] + off[bl*m + a], target y_i - yOff[bl].
 *   pearson[bl*m + a] = sum (yhat - mean yhat)(y - mean y) / sqrt(sum (yhat - .)^2 sum (y - .)^2)
 *                       (two passes; 0 when either variance is 0 or the block is empty)
 *   sse[bl*m + a]     = sum (y - yOff - yhat)^2
 */
export function cvScoreBlocks(
  P: usize, m: i32, y: usize, nBlocks: i32, starts: usize, off: usize, yOff: usize,
  pearson: usize, sse: usize,
): void {
  const mz = <usize>m << 3;
  const mean = heap.alloc(mz);
  const sxy = heap.alloc(mz);
  const sxx = heap.alloc(mz);
  const se = heap.alloc(mz);
  for (let bl = 0; bl < nBlocks; bl++) {
    const r0 = ldi(starts, bl);
    const r1 = ldi(starts, bl + 1);
    const nb = r1 - r0;
    const ob = off + <usize>bl * mz;
    const yo = ldf(yOff, bl);
    memory.fill(mean, 0, mz);
    memory.fill(sxy, 0, mz);
    memory.fill(sxx, 0, mz);
    memory.fill(se, 0, mz);
    let ym = 0.0;
    // mean_a = sum_i P[i, a] / nb;  ym = sum_i y_i / nb
    for (let i = r0; i < r1; i++) {
      const pi = P + (<usize>i * <usize>m << 3);
      for (let a = 0; a < m; a++) stf(mean, a, ldf(mean, a) + ldf(pi, a));
      ym += ldf(y, i);
    }
    const inv = nb > 0 ? 1.0 / <f64>nb : 0.0;
    for (let a = 0; a < m; a++) stf(mean, a, ldf(mean, a) * inv);
    ym *= inv;
    let syy = 0.0;
    for (let i = r0; i < r1; i++) {
      const pi = P + (<usize>i * <usize>m << 3);
      const yi = ldf(y, i);
      const dy = yi - ym;
      const yt = yi - yo;
      syy += dy * dy;
      for (let a = 0; a < m; a++) {
        const pa = ldf(pi, a);
        const dx = pa - ldf(mean, a);
        stf(sxy, a, ldf(sxy, a) + dx * dy);
        stf(sxx, a, ldf(sxx, a) + dx * dx);
        const e = yt - (pa + ldf(ob, a));
        stf(se, a, ldf(se, a) + e * e);
      }
    }
    const pb = pearson + <usize>bl * mz;
    const sb = sse + <usize>bl * mz;
    for (let a = 0; a < m; a++) {
      const xx = ldf(sxx, a);
      stf(pb, a, xx > 0.0 && syy > 0.0 ? ldf(sxy, a) / Math.sqrt(xx * syy) : 0.0);
      stf(sb, a, ldf(se, a));
    }
  }
  heap.free(mean);
  heap.free(sxy);
  heap.free(sxx);
  heap.free(se);
}
