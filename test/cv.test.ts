import { solveRidge } from './helpers/solve.js';
import { describe, expect, it } from 'vitest';
import { cvEnet, cvGrid, InputError, type Standardized } from '../src/index.js';
import { cvFolds, type CvConfig, type Solver } from '../src/models/cv.js';
import { centerConfigStats } from '../src/models/stats.js';
import { enetAlphaGrid } from '../src/models/enet.js';
import { statsFromBlock } from '../src/models/stats.js';
import { enetPathReference } from '../src/reference/enet.js';
import { standardizeRows, syntheticData, rng } from './helpers/standardize.js';

/** Tiny ridge solver for the tests: (C + alpha/n I) w = c  (sklearn Ridge on standardised X). */
const ridgeSolver: Solver = (std: Standardized, grid: number[]) => grid.map((alpha) => solveRidge(std.C, std.c, std.p, alpha / std.n));

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

// 10 configurations x 40 rows, p = 12; every configuration has its own offsets in X and y,
// and evaluation rows = the even rows ("species A"), fitted rows = all rows.
const NC = 10, R = 40, P = 12;
const data = syntheticData(5, NC * R, P, 3, 0.3);
const r = rng(99);
const cfgX: Float64Array[] = [];
const cfgY: Float64Array[] = [];
for (let c = 0; c < NC; c++) {
  const X = data.X.slice(c * R * P, (c + 1) * R * P);
  const y = data.y.slice(c * R, (c + 1) * R);
  const dx = Array.from({ length: P }, () => 2 * r() - 1);
  const dy = 3 * (r() - 0.5);
  for (let i = 0; i < R; i++) {
    for (let j = 0; j < P; j++) X[i * P + j] += dx[j];
    y[i] += dy;
  }
  cfgX.push(X);
  cfgY.push(y);
}
const evalRows = (X: Float64Array, y: Float64Array) => {
  const ix = Array.from({ length: R / 2 }, (_, i) => 2 * i);
  return { X: Float64Array.from(ix.flatMap((i) => Array.from(X.subarray(i * P, (i + 1) * P)))), y: Float64Array.from(ix, (i) => y[i]) };
};
const configs: CvConfig[] = cfgX.map((X, c) => {
  const e = evalRows(X, cfgY[c]);
  return { stats: statsFromBlock(X, cfgY[c], R, P), evalX: e.X, evalY: e.y };
});

/** Brute-force CV from rows: returns fold x grid scores and MSEs. */
function bruteCv(folds: Int32Array, k: number, center: 'global' | 'per-config', fit: (std: Standardized) => Float64Array[], m: number) {
  const scores = new Float64Array(k * m);
  const mses = new Float64Array(k * m);
  const centred = (c: number) => {
    const X = Float64Array.from(cfgX[c]);
    const y = Float64Array.from(cfgY[c]);
    const mx = new Float64Array(P);
    let my = 0;
    for (let i = 0; i < R; i++) { my += y[i] / R; for (let j = 0; j < P; j++) mx[j] += X[i * P + j] / R; }
    if (center === 'per-config') {
      for (let i = 0; i < R; i++) { y[i] -= my; for (let j = 0; j < P; j++) X[i * P + j] -= mx[j]; }
    }
    return { X, y, mx, my };
  };
  for (let f = 0; f < k; f++) {
    const train = Array.from({ length: NC }, (_, c) => c).filter((c) => folds[c] !== f);
    const Xt = Float64Array.from(train.flatMap((c) => Array.from(centred(c).X)));
    const yt = Float64Array.from(train.flatMap((c) => Array.from(centred(c).y)));
    const std = standardizeRows(Xt, yt, train.length * R, P);
    const ws = fit(std);
    const held = Array.from({ length: NC }, (_, c) => c).filter((c) => folds[c] === f);
    let nEval = 0;
    for (const c of held) {
      const { mx, my } = centred(c);
      const e = evalRows(cfgX[c], cfgY[c]);
      const ne = e.y.length;
      nEval += ne;
      for (let a = 0; a < m; a++) {
        const pred = new Float64Array(ne);
        for (let i = 0; i < ne; i++) {
          let s = center === 'per-config' ? 0 : std.yMean;
          for (let j = 0; j < std.p; j++) {
            const col = std.kept[j];
            const x = center === 'per-config' ? e.X[i * P + col] - mx[col] : e.X[i * P + col];
            s += (ws[a][j] * (x - (center === 'per-config' ? 0 : std.mean[j]))) / std.std[j];
          }
          pred[i] = s;
        }
        scores[f * m + a] += pearson(pred, e.y) / held.length;
        for (let i = 0; i < ne; i++) mses[f * m + a] += (e.y[i] - (center === 'per-config' ? my : 0) - pred[i]) ** 2;
      }
    }
    for (let a = 0; a < m; a++) mses[f * m + a] /= nEval;
  }
  return { scores, mses };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('cv: fold assignment', () => {
  it('configuration c goes to fold c mod K', () => {
    expect(Array.from(cvFolds(7, 3))).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });
  it('caller groups: labels in order of first appearance, dealt mod K; a group never splits', () => {
    expect(Array.from(cvFolds(6, 2, [7, 7, 3, 9, 3, 7]))).toEqual([0, 0, 1, 0, 1, 0]);
  });
  it('too few configurations or groups is an InputError', () => {
    expect(() => cvFolds(3, 5)).toThrow(InputError);
    expect(() => cvFolds(6, 3, [1, 1, 2, 2, 1, 2])).toThrow(/at least 3 groups/);
    expect(() => cvFolds(6, 1)).toThrow(/k = 1/);
  });
  it('centerConfigStats equals the statistics of the within-configuration centred rows', () => {
    const X = cfgX[3], y = cfgY[3];
    const mx = new Float64Array(P);
    let my = 0;
    for (let i = 0; i < R; i++) { my += y[i] / R; for (let j = 0; j < P; j++) mx[j] += X[i * P + j] / R; }
    const Xc = X.map((v, t) => v - mx[t % P]);
    const yc = y.map((v) => v - my);
    const want = statsFromBlock(Xc, yc, R, P);
    const got = centerConfigStats(statsFromBlock(X, y, R, P));
    expect(maxAbsDiff(got.XtX, want.XtX)).toBeLessThan(1e-10);
    expect(maxAbsDiff(got.Xty, want.Xty)).toBeLessThan(1e-10);
    expect(Math.abs(got.yty - want.yty)).toBeLessThan(1e-10);
  });
});

describe('cv: grouped scoring equals a brute-force CV from rows', () => {
  const grid = [0.1, 3, 30, 300, 3000];
  for (const center of ['global', 'per-config'] as const) {
    it(`ridge grid, center=${center}, K=5`, () => {
      const res = cvGrid(configs, 'ridge', 'alpha', ridgeSolver, grid, { k: 5, center });
      const want = bruteCv(res.folds, 5, center, (std) => ridgeSolver(std, grid), grid.length);
      expect(maxAbsDiff(res.curves[0].foldScores, want.scores)).toBeLessThan(1e-9);
      expect(maxAbsDiff(res.curves[0].foldMse, want.mses)).toBeLessThan(1e-9);
      // mean / std over folds and the choice
      const m = grid.length;
      for (let a = 0; a < m; a++) {
        const fs = Array.from({ length: 5 }, (_, f) => want.scores[f * m + a]);
        const mean = fs.reduce((s, v) => s + v, 0) / 5;
        expect(res.curves[0].meanScore[a]).toBeCloseTo(mean, 10);
        expect(res.curves[0].stdScore[a]).toBeCloseTo(Math.sqrt(fs.reduce((s, v) => s + (v - mean) ** 2, 0) / 5), 10);
      }
      const bestA = Array.from(res.curves[0].meanScore).indexOf(Math.max(...res.curves[0].meanScore));
      expect(res.best.index).toBe(bestA);
      expect(res.best.params.alpha).toBe(grid[bestA]);
    });
  }
  it('caller groups change the folds and the scores follow', () => {
    const groups = [0, 0, 1, 1, 2, 2, 3, 3, 4, 4];
    const res = cvGrid(configs, 'ridge', 'alpha', ridgeSolver, grid, { k: 5, groups, center: 'global' });
    expect(Array.from(res.folds)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    const want = bruteCv(res.folds, 5, 'global', (std) => ridgeSolver(std, grid), grid.length);
    expect(maxAbsDiff(res.curves[0].foldScores, want.scores)).toBeLessThan(1e-9);
  });
  it('elastic net: per-fold warm-started paths scored for every alpha (two l1 ratios)', () => {
    const l1Ratios = [0.5, 1];
    const res = cvEnet(configs, { k: 5, l1Ratios, nAlphas: 12, eps: 1e-2, tol: 1e-12, maxIter: 100000, center: 'per-config' });
    expect(res.warnings).toEqual([]);
    expect(res.curves.length).toBe(2);
    // the alpha grid is the full data's (ElasticNetCV convention)
    const all = cfgX.map((X, c) => {
      const mx = new Float64Array(P);
      let my = 0;
      for (let i = 0; i < R; i++) { my += cfgY[c][i] / R; for (let j = 0; j < P; j++) mx[j] += X[i * P + j] / R; }
      return { X: X.map((v, t) => v - mx[t % P]), y: cfgY[c].map((v) => v - my) };
    });
    const full = standardizeRows(Float64Array.from(all.flatMap((a) => Array.from(a.X))), Float64Array.from(all.flatMap((a) => Array.from(a.y))), NC * R, P);
    l1Ratios.forEach((l1, i) => {
      const grid = enetAlphaGrid(full, l1, 12, 1e-2);
      expect(maxAbsDiff(res.curves[i].grid, grid)).toBeLessThan(1e-12 * grid[0]);
      const want = bruteCv(res.folds, 5, 'per-config', (std) => {
        const W = enetPathReference(std, grid, l1, { tol: 1e-13, maxIter: 200000 });
        return Array.from({ length: grid.length }, (_, a) => W.slice(a * std.p, (a + 1) * std.p));
      }, grid.length);
      expect(maxAbsDiff(res.curves[i].foldScores, want.scores)).toBeLessThan(1e-6);
      expect(maxAbsDiff(res.curves[i].foldMse, want.mses)).toBeLessThan(1e-6);
    });
    expect(res.best.score).toBe(Math.max(...res.curves.flatMap((c) => Array.from(c.meanScore))));
    expect(res.best.params.l1Ratio).toBe(l1Ratios[res.best.curve]);
  });
  it("an alpha above every fold's alpha_max gives zero coefficients: constant prediction, score 0", () => {
    const res = cvEnet(configs, { k: 5, alphas: [1e6, 1e-3], center: 'global' });
    expect(res.curves[0].meanScore[0]).toBe(0);
    expect(res.curves[0].meanScore[1]).toBeGreaterThan(0.3);
    expect(res.best.index).toBe(1);
  });
  it('bad inputs are InputErrors', () => {
    expect(() => cvGrid(configs.slice(0, 3), 'ridge', 'alpha', ridgeSolver, [1], { k: 5 })).toThrow(/at least 5 configurations/);
    const bad = [...configs];
    bad[2] = { ...bad[2], evalY: bad[2].evalY.slice(0, 1), evalX: bad[2].evalX.slice(0, P) };
    expect(() => cvGrid(bad, 'ridge', 'alpha', ridgeSolver, [1])).toThrow(/configuration 2 has 1 evaluation rows/);
    expect(() => cvGrid(configs, 'ridge', 'alpha', ridgeSolver, [1], { center: 'both' as any })).toThrow(/center/);
  });
});
