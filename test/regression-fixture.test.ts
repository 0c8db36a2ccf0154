// The regression golden (test/fixtures/regression_fixture.json, a copy of
// ../shared/golden/regression_fixture.json: independent numpy/scikit-learn implementation of
// ../shared/spec/regression.md) reproduced to relative 1e-6: standardisation, OLS, ridge at each
// alpha, PCR k = 5, VIF, condition number and eigenvalues.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { collinearity, fitOLS, fitPCR, fitRidge, standardize, statsFromBlock } from '../src/index.js';
import { addStats, subtractStats } from '../src/models/stats.js';
import { fitRidgePath } from '../src/models/ridge.js';
import { predict } from '../src/models/coef.js';

const fx = JSON.parse(readFileSync(new URL('./fixtures/regression_fixture.json', import.meta.url), 'utf8'));
const n: number = fx.X.length;
const p: number = fx.X[0].length;
const X = Float64Array.from(fx.X.flat() as number[]);
const y = Float64Array.from(fx.y as number[]);
const names: string[] = fx.names;

/** max_i |a_i - b_i| <= tol * max_i |b_i| (coefficients within tol of the largest). */
function expectVecClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6, what = '') {
  expect(a.length, what).toBe(b.length);
  let scale = 0, err = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
  expect(err, `${what}: max abs error ${err} vs scale ${scale}`).toBeLessThanOrEqual(tol * scale);
}
/** elementwise relative error <= tol. */
function expectRelClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-6, what = '') {
  expect(a.length, what).toBe(b.length);
  for (let i = 0; i < b.length; i++) {
    expect(Math.abs(a[i] - b[i]), `${what}[${i}]: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(tol * Math.abs(b[i]));
  }
}
function expectNumClose(a: number, b: number, tol = 1e-6, what = '') {
  expect(Math.abs(a - b), `${what}: ${a} vs ${b}`).toBeLessThanOrEqual(tol * Math.abs(b));
}

describe('regression fixture (global centring)', () => {
  const stats = statsFromBlock(X, y, n, p);
  const std = standardize(stats, names);

  it('standardisation: means, population stds, y mean; no column dropped', () => {
    expect(std.n).toBe(n);
    expect(std.p).toBe(p);
    expect(std.dropped.length).toBe(0);
    expectRelClose(std.mean, fx.standardisation.mean, 1e-10, 'mean');
    expectRelClose(std.std, fx.standardisation.std, 1e-9, 'std');
    expectNumClose(std.yMean, fx.standardisation.y_mean, 1e-12, 'y_mean');
  });

  it('streamed blocks (merge of 3 blocks, and total - held out) give the same standardisation', () => {
    const cut = [0, 97, 250, n];
    const blocks = [0, 1, 2].map((b) => statsFromBlock(X.subarray(cut[b] * p, cut[b + 1] * p), y.subarray(cut[b], cut[b + 1]), cut[b + 1] - cut[b], p));
    const merged = standardize(addStats(addStats(blocks[0], blocks[1]), blocks[2]), names);
    expectRelClose(merged.std, fx.standardisation.std, 1e-9, 'merged std');
    expectVecClose(merged.C, std.C, 1e-10, 'merged C');
    const firstTwo = standardize(subtractStats(stats, blocks[2]));
    const direct = standardize(addStats(blocks[0], blocks[1]));
    expectVecClose(firstTwo.C, direct.C, 1e-9, 'total - held C');
    expectVecClose(firstTwo.c, direct.c, 1e-9, 'total - held c');
    expectNumClose(firstTwo.yMean, direct.yMean, 1e-12, 'total - held yMean');
  });

  it('OLS coefficients (standardised and original units) and intercept', () => {
    const fit = fitOLS(std);
    expectVecClose(fit.coefStd, fx.ols.coef_std, 1e-6, 'ols coef_std');
    expectVecClose(fit.coef, fx.ols.coef, 1e-6, 'ols coef');
    expectNumClose(fit.intercept, fx.ols.intercept, 1e-6, 'ols intercept');
    expect(fit.info!.conditionNumber as number).toBeCloseTo(fx.condition_number, -1);
    expect(fit.names).toEqual(names);
  });

  it('ridge at each alpha: eigen path (one decomposition) and Cholesky', () => {
    const alphas = fx.ridge.map((r: any) => r.alpha);
    const path = fitRidgePath(std, alphas);
    fx.ridge.forEach((r: any, i: number) => {
      for (const fit of [path[i], fitRidge(std, r.alpha, { method: 'cholesky' })]) {
        expectVecClose(fit.coefStd, r.coef_std, 1e-6, `ridge ${r.alpha} coef_std`);
        expectVecClose(fit.coef, r.coef, 1e-6, `ridge ${r.alpha} coef`);
        expectNumClose(fit.intercept, r.intercept, 1e-6, `ridge ${r.alpha} intercept`);
      }
    });
  });

  it('PCR k = 5: eigenvalues, loadings (sign convention), coefficients, intercept', () => {
    const fit = fitPCR(std, fx.pcr.k);
    expectRelClose(fit.eigenvalues, fx.pcr.eigenvalues_top, 1e-9, 'pcr eigenvalues');
    expectVecClose(fit.loadings, (fx.pcr.loadings as number[][]).flat(), 1e-6, 'pcr loadings');
    expectVecClose(fit.coefStd, fx.pcr.coef_std, 1e-6, 'pcr coef_std');
    expectVecClose(fit.coef, fx.pcr.coef, 1e-6, 'pcr coef');
    expectNumClose(fit.intercept, fx.pcr.intercept, 1e-6, 'pcr intercept');
  });

  it('condition number, eigenvalues and VIFs of C', () => {
    const d = collinearity(std);
    expectNumClose(d.conditionNumber, fx.condition_number, 1e-6, 'condition number');
    expectRelClose(d.eigenvalues, fx.eigenvalues, 1e-6, 'eigenvalues');
    expectRelClose(d.vif, fx.vif, 1e-6, 'vif');
    expect(d.names).toEqual(names);
  });

  it('predict reproduces X coef + intercept', () => {
    const fit = fitRidge(std, 10);
    const yhat = predict(fit, X, n);
    for (const r of [0, 17, n - 1]) {
      let s = fit.intercept;
      for (let j = 0; j < p; j++) s += X[r * p + j] * fit.coef[j];
      expect(Math.abs(yhat[r] - s)).toBeLessThan(1e-12 * (1 + Math.abs(s)));
    }
  });
});
