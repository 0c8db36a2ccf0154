import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { InputError } from '../src/index.js';
import { enetFit, enetPath, enetAlphaGrid, enetSolveGram, lassoFit, pathCoef, type GramProblem } from '../src/models/enet.js';
import { enetFitReference, enetGapReference, enetPathReference } from '../src/reference/enet.js';
import { standardizeRows, syntheticData, bumpData } from './helpers/standardize.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/regression_fixture.json', import.meta.url), 'utf8'));

function rawGram(X: number[][], y: number[]): GramProblem {
  // sklearn's toy example: fit_intercept centres X and y (means are 0 here), no scaling
  const n = X.length;
  const p = X[0].length;
  const C = new Float64Array(p * p);
  const c = new Float64Array(p);
  let yy = 0;
  for (let i = 0; i < n; i++) {
    yy += y[i] * y[i];
    for (let a = 0; a < p; a++) {
      c[a] += X[i][a] * y[i];
      for (let b = 0; b < p; b++) C[a * p + b] += X[i][a] * X[i][b];
    }
  }
  return { p, C: C.map((v) => v / n), c: c.map((v) => v / n), yy: yy / n };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('elastic net: scikit-learn toy oracles (raw Gram)', () => {
  const toy = rawGram([[-1], [0], [1]], [-1, 0, 1]);
  it('lasso alpha 0.1 / 0.5 / 1 -> 0.85 / 0.25 / 0', () => {
    expect(lassoFit(toy, { alpha: 0.1 }).coefStd[0]).toBeCloseTo(0.85, 12);
    expect(lassoFit(toy, { alpha: 0.5 }).coefStd[0]).toBeCloseTo(0.25, 12);
    expect(lassoFit(toy, { alpha: 1 }).coefStd[0]).toBe(0);
  });
  it('enet alpha 0.5, l1_ratio 0.3 -> 0.50819, 0.5 -> 0.45454', () => {
    // sklearn's docstring prints the truncated values 0.50819 and 0.45454
    expect(Math.abs(enetFit(toy, { alpha: 0.5, l1Ratio: 0.3 }).coefStd[0] - 0.50819)).toBeLessThan(1e-5);
    expect(Math.abs(enetFit(toy, { alpha: 0.5, l1Ratio: 0.5 }).coefStd[0] - 0.45454)).toBeLessThan(1e-5);
    // closed form for one column: S(c, a) / (C + b)
    expect(enetFit(toy, { alpha: 0.5, l1Ratio: 0.3 }).coefStd[0]).toBeCloseTo((2 / 3 - 0.15) / (2 / 3 + 0.35), 14);
  });
});

describe('elastic net: orthonormal design gives exact soft thresholding', () => {
  it('w_j = S(c_j, a) / (1 + b) for C = I (property)', () => {
    fc.assert(
      fc.property(
        // (l1_ratio values so small that a = alpha l1_ratio is below the rounding of c are left
        // out: formulation A of the gap cannot certify those, in scikit-learn either)
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 2, noNaN: true }), fc.double({ min: -2, max: -1e-6, noNaN: true })), { minLength: 1, maxLength: 12 }),
        fc.double({ min: 1e-3, max: 1.5, noNaN: true }),
        fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 1e-3, max: 1, noNaN: true })),
        (cs, alpha, l1) => {
          const p = cs.length;
          const C = new Float64Array(p * p);
          for (let j = 0; j < p; j++) C[j * p + j] = 1;
          const c = Float64Array.from(cs);
          const yy = 5 + cs.reduce((s, v) => s + v * v, 0);
          const a = alpha * l1, b = alpha * (1 - l1);
          // tol = 0: sweep until the gap is at rounding level (one sweep is exact for C = I)
          const f = enetFit({ p, C, c, yy }, { alpha, l1Ratio: l1, tol: 0, maxIter: 4 });
          // tol > 0: the gap bounds the error: (1 + b)/2 |w - w*|^2 <= gap <= tol yy
          const h = enetFit({ p, C, c, yy }, { alpha, l1Ratio: l1, tol: 1e-6 });
          expect(h.converged).toBe(true);
          const bound = Math.sqrt((2 * h.tolGap) / (1 + b));
          for (let j = 0; j < p; j++) {
            const want = (Math.sign(c[j]) * Math.max(Math.abs(c[j]) - a, 0)) / (1 + b);
            expect(Math.abs(f.coefStd[j] - want)).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(want)));
            expect(Math.abs(h.coefStd[j] - want)).toBeLessThanOrEqual(bound);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('elastic net: regression fixture (shared goldens)', () => {
  const n = fixture.X.length;
  const p = fixture.X[0].length;
  const X = Float64Array.from(fixture.X.flat());
  const y = Float64Array.from(fixture.y);
  const std = standardizeRows(X, y, n, p);
  it('standardisation matches', () => {
    expect(maxAbsDiff(std.mean, fixture.standardisation.mean)).toBeLessThan(1e-12 * maxAbs(fixture.standardisation.mean));
    expect(maxAbsDiff(std.std, fixture.standardisation.std)).toBeLessThan(1e-12 * maxAbs(fixture.standardisation.std));
  });
  for (const e of fixture.enet) {
    it(`enet alpha=${e.alpha}, l1_ratio=${e.l1_ratio}, tol=${e.tol}: coefficients within 1e-6 of the largest`, () => {
      const f = enetFit(std, { alpha: e.alpha, l1Ratio: e.l1_ratio, tol: e.tol, maxIter: e.max_iter });
      expect(f.converged).toBe(true);
      expect(f.warnings).toEqual([]);
      const scale = maxAbs(e.coef_std);
      expect(maxAbsDiff(f.coefStd, e.coef_std)).toBeLessThan(1e-6 * scale);
      expect(f.nonzero).toBe(e.n_nonzero);
      expect(Math.abs(f.objective - e.objective)).toBeLessThan(1e-9 * e.objective);
      // original units: coef = w / std, intercept = ybar - sum coef mean
      const coef = Array.from(f.coefStd, (w, j) => w / std.std[j]);
      expect(maxAbsDiff(coef, e.coef)).toBeLessThan(1e-6 * maxAbs(e.coef));
      const icpt = std.yMean - coef.reduce((s, v, j) => s + v * std.mean[j], 0);
      expect(Math.abs(icpt - e.intercept)).toBeLessThan(1e-6 * Math.max(1, Math.abs(e.intercept)));
      // the same with strong rules off
      const g = enetFit(std, { alpha: e.alpha, l1Ratio: e.l1_ratio, tol: e.tol, maxIter: e.max_iter, strongRules: false });
      expect(maxAbsDiff(g.coefStd, e.coef_std)).toBeLessThan(1e-6 * scale);
    });
  }
  it('default alpha grid for l1_ratio 0.5', () => {
    const g = fixture.enet_alpha_grid_l1_0_5;
    const grid = enetAlphaGrid(std, g.l1_ratio, g.n_alphas, g.eps);
    expect(Math.abs(grid[0] - g.alpha_max)).toBeLessThan(1e-12 * g.alpha_max);
    let rel = 0;
    for (let k = 0; k < grid.length; k++) rel = Math.max(rel, Math.abs(grid[k] - g.alphas[k]) / g.alphas[k]);
    expect(rel).toBeLessThan(1e-12);
  });
  it('the path at alpha_max is zero and every point has a small duality gap (checked independently)', () => {
    const path = enetPath(std, { l1Ratio: 0.5, nAlphas: 30, tol: 1e-8, maxIter: 100000 });
    expect(maxAbs(pathCoef(path, 0))).toBe(0);
    for (let k = 0; k < 30; k++) {
      const { gap } = enetGapReference(std, pathCoef(path, k), path.alphas[k], 0.5);
      expect(gap).toBeLessThanOrEqual(1e-8 * std.yy * (1 + 1e-6));
      expect(path.converged[k]).toBe(1);
    }
    expect(path.notConverged).toBe(0);
  });
});

describe('elastic net: paths, warm starts, strong rules', () => {
  const n = 300, p = 25;
  const { X, y } = syntheticData(11, n, p, 4, 0.2);
  const std = standardizeRows(X, y, n, p);
  it('warm-started path equals cold fits at every alpha', () => {
    const path = enetPath(std, { l1Ratio: 0.7, nAlphas: 20, eps: 1e-3, tol: 1e-12, maxIter: 100000 });
    for (let k = 0; k < 20; k++) {
      const cold = enetFit(std, { alpha: path.alphas[k], l1Ratio: 0.7, tol: 1e-12, maxIter: 100000 });
      const w = pathCoef(path, k);
      expect(maxAbsDiff(w, cold.coefStd)).toBeLessThan(1e-7 * Math.max(1e-3, maxAbs(cold.coefStd)));
    }
  });
  it('strong rules on and off give the same path; KKT re-solves keep it exact', () => {
    const on = enetPath(std, { l1Ratio: 1, nAlphas: 40, tol: 1e-12, maxIter: 100000 });
    const off = enetPath(std, { l1Ratio: 1, nAlphas: 40, tol: 1e-12, maxIter: 100000, strongRules: false });
    expect(maxAbsDiff(on.coefStd, off.coefStd)).toBeLessThan(1e-7 * maxAbs(off.coefStd));
    // the strong rule actually discards columns at the start of the path
    expect(on.workingSet[1]).toBeLessThan(p);
  });
  it('acceleration on and off (plain cyclic CD, as scikit-learn) give the same path', () => {
    const on = enetPath(std, { l1Ratio: 0.5, nAlphas: 30, tol: 1e-12, maxIter: 200000 });
    const off = enetPath(std, { l1Ratio: 0.5, nAlphas: 30, tol: 1e-12, maxIter: 200000, accelerate: false });
    expect(off.notConverged).toBe(0);
    expect(maxAbsDiff(on.coefStd, off.coefStd)).toBeLessThan(1e-7 * maxAbs(off.coefStd));
    expect(on.newtonSteps.reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
    expect(off.newtonSteps.reduce((s, v) => s + v, 0)).toBe(0);
  });
  it('nearly collinear columns (overlapping bumps, condition number > 1e8): every alpha converges, gaps checked independently', () => {
    const d = bumpData(5, 800, 150, 40, 0.001);
    const s2 = standardizeRows(d.X, d.y, 800, 150);
    for (const l1 of [1, 0.5]) {
      const path = enetPath(s2, { l1Ratio: l1, nAlphas: 100 });
      expect(path.notConverged).toBe(0);
      for (let k = 0; k < 100; k += 9) {
        const { gap } = enetGapReference(s2, pathCoef(path, k), path.alphas[k], l1);
        expect(gap).toBeLessThanOrEqual(1e-4 * s2.yy * (1 + 1e-6) + 1e-15);
      }
      // plain cyclic CD (scikit-learn's algorithm) does not get there in 1000 sweeps
      if (l1 === 1) expect(enetPath(s2, { l1Ratio: l1, nAlphas: 100, accelerate: false }).notConverged).toBeGreaterThan(0);
    }
  });
  it('KKT check catches strong-rule mistakes (forced by a large jump in alpha)', () => {
    // from alpha_max straight to a tiny alpha: 2a - a_prev < 0, so ... use an increasing jump instead
    const grid = enetAlphaGrid(std, 1, 5, 1e-2);
    const alphas = [grid[4], grid[0] * 0.999, grid[4] * 0.5];
    const on = enetSolveGram(std, 1, alphas, { tol: 1e-12, maxIter: 100000 });
    const off = enetSolveGram(std, 1, alphas, { tol: 1e-12, maxIter: 100000, strongRules: false });
    expect(maxAbsDiff(on.coefStd, off.coefStd)).toBeLessThan(1e-7 * maxAbs(off.coefStd));
  });
  it('agrees with the plain TS reference solver (differential, random problems)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.double({ min: 0.05, max: 1, noNaN: true }), (seed, l1) => {
        const d = syntheticData(seed, 60, 8, 3, 0.3);
        const s = standardizeRows(d.X, d.y, 60, 8);
        const alphas = enetAlphaGrid(s, l1, 8, 1e-2);
        const ref = enetPathReference(s, alphas, l1, { tol: 1e-13, maxIter: 200000 });
        const got = enetSolveGram(s, l1, alphas, { tol: 1e-13, maxIter: 200000 });
        expect(maxAbsDiff(got.coefStd, ref)).toBeLessThan(1e-6 * Math.max(1e-8, maxAbs(ref)));
      }),
      { numRuns: 25 },
    );
  });
  it('the reference solver also reproduces the fixture (validates the reference)', () => {
    const n2 = fixture.X.length, p2 = fixture.X[0].length;
    const s = standardizeRows(Float64Array.from(fixture.X.flat()), Float64Array.from(fixture.y), n2, p2);
    const e = fixture.enet[0];
    const r = enetFitReference(s, e.alpha, e.l1_ratio, { tol: e.tol, maxIter: e.max_iter });
    expect(r.converged).toBe(true);
    expect(maxAbsDiff(r.coef, e.coef_std)).toBeLessThan(1e-6 * maxAbs(e.coef_std));
  });
  it('reports the iteration cap instead of failing silently', () => {
    const f = enetFit(std, { alpha: 1e-5, l1Ratio: 1, tol: 1e-14, maxIter: 3 });
    expect(f.converged).toBe(false);
    expect(f.nIter).toBe(3);
    expect(f.warnings.length).toBe(1);
    expect(f.warnings[0]).toMatch(/did not converge within maxIter=3/);
  });
  it('edge cases: alpha above alpha_max, an optimal warm start, a zero-variance column, p = 1', () => {
    const grid = enetAlphaGrid(std, 0.5, 3);
    const top = enetFit(std, { alpha: grid[0] * 1.01 });
    expect(maxAbs(top.coefStd)).toBe(0);
    expect(top.nIter).toBe(0);
    const f = enetFit(std, { alpha: grid[2], tol: 1e-10 });
    const again = enetFit(std, { alpha: grid[2], tol: 1e-10, warmStart: f.coefStd });
    expect(again.nIter).toBe(0);
    expect(Array.from(again.coefStd)).toEqual(Array.from(f.coefStd));
    // a column with C_jj = 0 (constant) keeps coefficient 0, the others are unaffected
    const q = std.p + 1;
    const C = new Float64Array(q * q);
    for (let i = 0; i < std.p; i++) for (let j = 0; j < std.p; j++) C[i * q + j] = std.C[i * std.p + j];
    const c = new Float64Array(q);
    c.set(std.c);
    const g = enetFit({ p: q, C, c, yy: std.yy }, { alpha: grid[2], tol: 1e-10 });
    expect(g.coefStd[std.p]).toBe(0);
    expect(maxAbsDiff(g.coefStd.subarray(0, std.p), f.coefStd)).toBeLessThan(1e-7 * maxAbs(f.coefStd));
    const one = enetFit({ p: 1, C: new Float64Array([2]), c: new Float64Array([1]), yy: 1 }, { alpha: 0.2, l1Ratio: 0.5, tol: 1e-12 });
    expect(one.coefStd[0]).toBeCloseTo((1 - 0.1) / (2 + 0.1), 14);
  });
  it('bad options are InputErrors naming the option', () => {
    expect(() => enetFit(std, { alpha: 0 })).toThrow(InputError);
    expect(() => enetFit(std, { alpha: 0 })).toThrow(/alpha/);
    expect(() => enetFit(std, { alpha: 1, l1Ratio: 2 })).toThrow(/l1Ratio/);
    expect(() => enetFit(std, { alpha: 1, maxIter: 0 })).toThrow(/maxIter/);
    expect(() => enetPath(std, { l1Ratio: 0 })).toThrow(/l1Ratio = 0/);
    expect(() => enetFit(std, { alpha: 1, warmStart: new Float64Array(3) })).toThrow(/warmStart/);
  });
  it('ridge limit (l1_ratio 0) by CD matches the closed form (formulation-B gap)', () => {
    // (C + b I) w = c, solved here by Gaussian elimination
    const b = 0.3;
    const f = enetFit(std, { alpha: b, l1Ratio: 0, tol: 1e-14, maxIter: 100000 });
    const q = std.p;
    const A = Array.from({ length: q }, (_, i) => Array.from({ length: q + 1 }, (_, j) => (j === q ? std.c[i] : std.C[i * q + j] + (i === j ? b : 0))));
    for (let k = 0; k < q; k++) {
      for (let i = k + 1; i < q; i++) {
        const m = A[i][k] / A[k][k];
        for (let j = k; j <= q; j++) A[i][j] -= m * A[k][j];
      }
    }
    const x = new Array(q).fill(0);
    for (let i = q - 1; i >= 0; i--) {
      let s = A[i][q];
      for (let j = i + 1; j < q; j++) s -= A[i][j] * x[j];
      x[i] = s / A[i][i];
    }
    expect(maxAbsDiff(f.coefStd, x)).toBeLessThan(1e-8 * maxAbs(x));
  });
});
