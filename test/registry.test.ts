// The model registry (src/models/registry.ts): one entry per model, one set of defaults under fit
// and fitMatrix (regress), PCR's grid up to the numerical rank (past the old cap of 150), edge
// warnings; CV scored from statistics equals CV scored from the rows to 1e-12; and a small oracle
// for `fit`: a hand-made data set whose CV scores, chosen model and test scores are recomputed
// here from the rows with plain arithmetic.
import { solveDense as solve } from './helpers/solve.js';
import { describe, expect, it } from 'vitest';
import { cvGrid, fit, fitMatrix, InputError, type Standardized } from '../src/index.js';
import { type CvConfig } from '../src/models/cv.js';
import { type Prepared } from '../src/workflow/pipeline.js';
import { MODEL_NAMES, REGISTRY, edgeWarning, logspace, modelEntry, selectAndFit } from '../src/models/registry.js';
import { coefFromStandardized } from '../src/models/model-file.js';
import { toOriginalUnits } from '../src/models/coef.js';
import { numericalRank } from '../src/models/scale.js';
import { perConfigStats, standardize, statsFromBlock, sumStats } from '../src/models/stats.js';
import { standardizeRows, syntheticData, rng } from './helpers/standardize.js';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

/** Two-pass Pearson (0 for a constant array), independent of src/. */
function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}


describe('registry: one entry per model', () => {
  it('every model has its hyper-parameter, grid, path solver, CV, refit and model-file fields', () => {
    expect([...MODEL_NAMES]).toEqual(['ols', 'ridge', 'enet', 'lasso', 'pcr']);
    expect(Object.keys(REGISTRY).sort()).toEqual([...MODEL_NAMES].sort());
    for (const name of MODEL_NAMES) {
      const e = modelEntry(name);
      expect(e.name).toBe(name);
      for (const f of ['grid', 'path', 'cv', 'refit', 'fileParams'] as const) expect(typeof e[f]).toBe('function');
    }
    expect(REGISTRY.ols.param).toBe(null);
    expect(REGISTRY.ridge.param).toBe('alpha');
    expect(REGISTRY.pcr.param).toBe('k');
    expect(REGISTRY.lasso.fileParams({ alpha: 0.1 })).toEqual({ alpha: 0.1, l1Ratio: 1 });
    expect(() => modelEntry('svm')).toThrow(InputError);
    expect(() => modelEntry('toString')).toThrow(/unknown model "toString"/);
  });
  it('one original-units mapping: coefFromStandardized is toOriginalUnits', () => {
    expect(coefFromStandardized).toBe(toOriginalUnits);
  });
  it("the path solvers agree with the refits at every grid value", () => {
    const d = syntheticData(4, 200, 6, 3, 0.2);
    const std = standardize(statsFromBlock(d.X, d.y, 200, 6));
    for (const name of ['ridge', 'pcr', 'enet', 'lasso'] as const) {
      const e = REGISTRY[name];
      const grid = e.grid(std, {}).values.slice(0, 5);
      const W = e.path(std, grid, { tol: 1e-12, maxIter: 100000 });
      grid.forEach((g, a) => {
        const params = e.param === 'k' ? { k: g } : { alpha: g, l1Ratio: name === 'lasso' ? 1 : 0.5 };
        const f = e.refit(std, params, { tol: 1e-12, maxIter: 100000 }).fit;
        const w = Float64Array.from(std.kept, (j) => f.coefStd[j]);
        expect(maxAbsDiff(w, W[a]), `${name} at ${g}`).toBeLessThan(1e-8);
      });
    }
  });
});

// 12 configurations x 25 rows, p = 5, per-configuration offsets in X and y
const NC = 12, R = 25, P = 5;
const syn = syntheticData(17, NC * R, P, 3, 0.5);
const groups = new Int32Array(NC * R);
{
  const r = rng(8);
  for (let c = 0; c < NC; c++) {
    const dy = 2 * r() - 1;
    const dx = Array.from({ length: P }, () => r() - 0.5);
    for (let i = 0; i < R; i++) {
      const row = c * R + i;
      groups[row] = c;
      syn.y[row] += dy;
      for (let j = 0; j < P; j++) syn.X[row * P + j] += dx[j];
    }
  }
}
const blockOf = (c: number) => ({ X: syn.X.slice(c * R * P, (c + 1) * R * P), y: syn.y.slice(c * R, (c + 1) * R) });

describe('registry: fit and regress share one path and one set of defaults', () => {
  it("regress's ridge grid is fit's: logspace(-1, 7, 33) (alpha chosen by grouped CV)", () => {
    const res = fitMatrix(syn.X, syn.y, NC * R, P, { model: 'ridge', groups });
    expect(Array.from(res.cv!.curves[0].grid)).toEqual(logspace(-1, 7, 33));
    expect(logspace(-1, 7, 33).includes(res.model.params.alpha)).toBe(true);
    // the same numbers as the registry on the per-configuration statistics
    const stats = Array.from({ length: NC }, (_, c) => statsFromBlock(blockOf(c).X, blockOf(c).y, R, P));
    const std = standardize(sumStats(stats.map(perConfigStats)));
    const sel = selectAndFit('ridge', std, stats.map((s) => ({ stats: s })), { cvAlways: true, cv: { k: 5, center: 'per-config' } });
    expect(sel.params.alpha).toBe(res.model.params.alpha);
    expect(Array.from(sel.fit.coef)).toEqual(res.model.coef);
    expect(sel.fit.intercept).toBe(res.model.intercept);
    expect(Array.from(sel.cv!.curves[0].meanScore)).toEqual(Array.from(res.cv!.curves[0].meanScore));
  });
  it('PCR: the grid reaches the numerical rank, past the old cap of 150 (p = 160)', () => {
    const n = 400, p = 160;
    const r = rng(5);
    const X = Float64Array.from({ length: n * p }, () => r() - 0.5);
    const y = Float64Array.from({ length: n }, (_, i) => X[i * p] + 0.1 * r());
    const std = standardize(statsFromBlock(X, y, n, p));
    const rank = numericalRank(std);
    expect(rank).toBe(160);
    const g = REGISTRY.pcr.grid(std, {});
    expect(g.values.length).toBe(160);
    expect(g.values[159]).toBe(160);
    expect(g.warnings).toEqual([]);
    expect(REGISTRY.pcr.grid(std, { pcrMaxK: 20 }).values.length).toBe(20);
  });
  it('CV at the edge of a grid is a warning, for every model', () => {
    // y = X w exactly (plus tiny noise): PCR wants every component, ridge the smallest alpha
    const n = 240, p = 4;
    const r = rng(11);
    const X = Float64Array.from({ length: n * p }, () => r() - 0.5);
    const y = Float64Array.from({ length: n }, (_, i) => X[i * p] - 2 * X[i * p + 1] + 3 * X[i * p + 2] + X[i * p + 3] + 1e-3 * r());
    const g = Float64Array.from({ length: n }, (_, i) => i % 8);
    const pcr = fitMatrix(X, y, n, p, { model: 'pcr', groups: g, center: 'global' });
    expect(pcr.model.params.k).toBe(4);
    expect(pcr.warnings.join('\n')).toMatch(/pcr: CV chose k = 4, the largest value of its grid \(1 \.\. 4\): k = the numerical rank of C/);
    const ridge = fitMatrix(X, y, n, p, { model: 'ridge', groups: g, center: 'global', ridgeAlphas: [1, 10, 100] });
    expect(ridge.model.params.alpha).toBe(1);
    expect(ridge.warnings.join('\n')).toMatch(/ridge: CV chose alpha = 1, the smallest value of its grid \(1 \.\. 100\): the optimum may lie below it/);
    const enet = fitMatrix(X, y, n, p, { model: 'enet', groups: g, center: 'global', nAlphas: 10, eps: 0.1 });
    expect(enet.warnings.join('\n')).toMatch(/enet: CV chose alpha = .* \(l1Ratio 0\.5\), the smallest value of its grid/);
    // an interior optimum: no warning
    const cv = ridge.cv!;
    const inner = { ...cv, best: { ...cv.best, index: 1 } };
    expect(edgeWarning('ridge', inner)).toBe(null);
  });
});

describe('cv: scores from statistics = scores from the rows, to 1e-12', () => {
  // fitted rows = all rows, evaluation rows = the odd rows (given as rows: turned into statistics)
  const evalOf = (c: number) => {
    const b = blockOf(c);
    const ix = Array.from({ length: (R - 1) / 2 }, (_, i) => 2 * i + 1);
    return { X: Float64Array.from(ix.flatMap((i) => Array.from(b.X.subarray(i * P, (i + 1) * P)))), y: Float64Array.from(ix, (i) => b.y[i]) };
  };
  const configs: CvConfig[] = Array.from({ length: NC }, (_, c) => {
    const b = blockOf(c);
    const e = evalOf(c);
    return { stats: statsFromBlock(b.X, b.y, R, P), evalX: e.X, evalY: e.y };
  });
  for (const center of ['global', 'per-config'] as const) {
    it(`ridge path, center ${center}`, () => {
      const grid = [0.01, 1, 30, 1000];
      const seen: { std: Standardized; W: Float64Array[] }[] = [];
      const solver = (std: Standardized, g: number[]) => {
        const W = REGISTRY.ridge.path(std, g, {});
        seen.push({ std, W });
        return W;
      };
      const res = cvGrid(configs, 'ridge', 'alpha', solver, grid, { k: 4, center });
      // the same fold problems and coefficients, scored on the rows
      for (let f = 0; f < 4; f++) {
        const { std, W } = seen[f];
        const held = Array.from({ length: NC }, (_, c) => c).filter((c) => res.folds[c] === f);
        grid.forEach((_, a) => {
          let score = 0, sse = 0, nEval = 0;
          for (const c of held) {
            const b = blockOf(c);
            const e = evalOf(c);
            // fitted-row means of configuration c (per-config offsets)
            const mx = new Float64Array(P);
            let my = 0;
            for (let i = 0; i < R; i++) { my += b.y[i] / R; for (let j = 0; j < P; j++) mx[j] += b.X[i * P + j] / R; }
            const ne = e.y.length;
            const pred = new Float64Array(ne);
            for (let i = 0; i < ne; i++) {
              let s = center === 'global' ? std.yMean : 0;
              for (let q = 0; q < std.p; q++) {
                const j = std.kept[q];
                const v = W[a][q] / std.std[q];
                s += v * (e.X[i * P + j] - (center === 'global' ? std.mean[q] : mx[j]));
              }
              pred[i] = s;
              sse += (e.y[i] - (center === 'global' ? 0 : my) - s) ** 2;
            }
            score += pearson(pred, e.y) / held.length;
            nEval += ne;
          }
          expect(Math.abs(res.curves[0].foldScores[f * grid.length + a] - score)).toBeLessThan(1e-12);
          expect(Math.abs(res.curves[0].foldMse[f * grid.length + a] - sse / nEval)).toBeLessThan(1e-12 * (1 + sse / nEval));
        });
      }
    });
  }
});

describe('fit: a small oracle (hand-made rows, every number recomputed here)', () => {
  // 6 training configurations x 8 rows x 3 columns and 2 test configurations, as prepared rows
  // (descriptors computed beforehand), per-config centring, ridge on a 3-point grid and OLS
  const NT = 6, RT = 8, PT = 3;
  const r = rng(2024);
  const make = (name: string): Prepared => {
    const X = Float64Array.from({ length: RT * PT }, () => Math.round(20 * r()) / 4);
    const off = 3 * r();
    const y = Float64Array.from({ length: RT }, (_, i) => X[i * PT] - 0.5 * X[i * PT + 1] + 0.25 * X[i * PT + 2] * X[i * PT + 2] + off + (r() - 0.5));
    const names = ['a', 'b', 'c'];
    return { name, fm: { n: RT, p: PT, values: X, names, meta: names.map((nm) => ({ name: nm, family: 'X', level: 0, kind: nm })) as any }, rows: Int32Array.from({ length: RT }, (_, i) => i), X, y, speciesLabel: 'A' };
  };
  const train = Array.from({ length: NT }, (_, c) => make(`t${c}`));
  const test = [make('u0'), make('u1')];
  const alphas = [0.5, 5, 50];
  const res = fit({ train: [], prepared: { train, test, dim: 3, labels: ['A'] }, models: ['ridge', 'ols'], ridgeAlphas: alphas, folds: 3, bootstrap: 0 });

  /** Centre rows within a configuration. */
  const centred = (q: Prepared) => {
    const mx = new Float64Array(PT);
    let my = 0;
    for (let i = 0; i < RT; i++) { my += q.y![i] / RT; for (let j = 0; j < PT; j++) mx[j] += q.X[i * PT + j] / RT; }
    return { X: q.X.map((v, t) => v - mx[t % PT]), y: q.y!.map((v) => v - my), mx, my };
  };
  /** Ridge (sklearn: penalty alpha, not divided by n) on standardised rows: (n C + alpha I) w = n c; alpha 0 = OLS. */
  const fitRows = (qs: Prepared[], alpha: number) => {
    const cs = qs.map(centred);
    const std = standardizeRows(Float64Array.from(cs.flatMap((c) => Array.from(c.X))), Float64Array.from(cs.flatMap((c) => Array.from(c.y))), qs.length * RT, PT);
    const A = std.C.map((v, t) => std.n * v + (t % (PT + 1) === 0 ? alpha : 0));
    const w = solve(A, std.c.map((v) => std.n * v), PT);
    return { coef: w.map((v, j) => v / std.std[j]) };
  };
  /** Pearson of a per-config model's predictions on configuration q (centred on its own means). */
  const score = (coef: Float64Array, q: Prepared) => {
    const cq = centred(q);
    return pearson(Array.from({ length: RT }, (_, i) => coef.reduce((s, v, j) => s + v * cq.X[i * PT + j], 0)), q.y!);
  };
  const cvOf = (alpha: number) => {
    let total = 0;
    for (let f = 0; f < 3; f++) {
      const tr = train.filter((_, c) => c % 3 !== f), held = train.filter((_, c) => c % 3 === f);
      const m = fitRows(tr, alpha);
      total += held.reduce((s, q) => s + score(m.coef, q), 0) / held.length;
    }
    return total / 3;
  };

  it('CV scores, chosen alpha, chosen model, coefficients and test scores', () => {
    const ridge = res.models.find((m) => m.model === 'ridge')!;
    const ols = res.models.find((m) => m.model === 'ols')!;
    const want = alphas.map(cvOf);
    for (let a = 0; a < alphas.length; a++) expect(Math.abs(ridge.cv!.curves[0].meanScore[a] - want[a])).toBeLessThan(1e-12);
    const bestA = want.indexOf(Math.max(...want));
    expect(ridge.params.alpha).toBe(alphas[bestA]);
    expect(Math.abs(ridge.cvScore - want[bestA])).toBeLessThan(1e-12);
    const wOls = cvOf(0);
    expect(Math.abs(ols.cvScore - wOls)).toBeLessThan(1e-12);
    expect(res.best.model).toBe(want[bestA] >= wOls ? 'ridge' : 'ols');
    // refit on all training configurations, test Pearson per configuration
    const m = fitRows(train, alphas[bestA]);
    expect(maxAbsDiff(ridge.fit.coef, m.coef)).toBeLessThan(1e-12);
    const perConfig = test.map((q) => score(m.coef, q));
    expect(maxAbsDiff(ridge.testPearsonPerConfig, perConfig)).toBeLessThan(1e-12);
    expect(Math.abs(ridge.testPearson! - (perConfig[0] + perConfig[1]) / 2)).toBeLessThan(1e-12);
    expect(res.rowsTrain).toBe(NT * RT);
    expect(res.trainConfigs).toEqual(train.map((q) => q.name));
  });
  it('training configurations given as statistics give the same fit, bit for bit', () => {
    const asStats = train.map((q) => ({ name: q.name, names: q.fm.names, meta: q.fm.meta, speciesLabel: 'A', stats: statsFromBlock(q.X, q.y!, RT, PT) }));
    const res2 = fit({ train: [], prepared: { train: asStats, test, dim: 3, labels: ['A'] }, models: ['ridge', 'ols'], ridgeAlphas: alphas, folds: 3, bootstrap: 0 });
    for (const [k, m] of res.models.entries()) {
      expect(Array.from(res2.models[k].fit.coef)).toEqual(Array.from(m.fit.coef));
      expect(Object.is(res2.models[k].cvScore, m.cvScore)).toBe(true);
      expect(res2.models[k].testPearsonPerConfig).toEqual(m.testPearsonPerConfig);
    }
  });
});
