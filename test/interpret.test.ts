// Interpretability measured (src/models/interpret.ts): the 1-SE rule and weight reproducibility
// on small hand-computed cases, named components against brute-force scores.
import { describe, expect, it } from 'vitest';
import '../src/index.js'; // loads the wasm kernels
import { nameComponents, oneSERule, randomHalves, reproducibility, weightCorrelation, type FrontierPoint } from '../src/models/interpret.js';
import { statsFromBlock, standardize } from '../src/models/stats.js';
import { fitOLS } from '../src/models/ols.js';
import { correlationEigen } from '../src/models/spectrum.js';
import { rng, standardizeRows } from './helpers/standardize.js';
import type { FeatureMeta } from '../src/features/types.js';

const pt = (model: string, size: number, cvScore: number, cvSe: number): FrontierPoint => ({ model, size, cvScore, cvSe, params: {} });

describe('1-SE rule (hand-computed)', () => {
  it('picks the smallest model within one SE of the best, the higher score among equal sizes', () => {
    const points = [pt('enet', 10, 0.8, 0.02), pt('enet', 3, 0.785, 0.01), pt('pcr', 2, 0.77, 0.01), pt('lasso', 3, 0.79, 0.01), pt('enet', 0, 0.9, 0)];
    // size 0 is not a model; best = 0.80 (se 0.02) -> threshold 0.78; sizes >= 1 with score >= 0.78: 10, 3 (0.785), 3 (0.79)
    const r = oneSERule(points)!;
    expect(r.best.cvScore).toBe(0.8);
    expect(r.threshold).toBeCloseTo(0.78, 15);
    expect(r.chosen.model).toBe('lasso');
    expect(r.chosen.size).toBe(3);
  });
  it('the best itself when nothing smaller is within one SE; NaN scores ignored; none without points', () => {
    const r = oneSERule([pt('pcr', 1, 0.5, 0.01), pt('pcr', 2, 0.6, 0.01), pt('pcr', 3, NaN, 0.01), pt('pcr', 4, 0.65, 0.02)])!;
    expect(r.threshold).toBeCloseTo(0.63, 15);
    expect([r.chosen.model, r.chosen.size]).toEqual(['pcr', 4]);
    expect(oneSERule([])).toBeNull();
  });
});

describe('weight reproducibility (hand-computed)', () => {
  it('weightCorrelation: [1,2,3] vs [1,2,4] = 3 / sqrt(2 * 42/9)', () => {
    expect(weightCorrelation([1, 2, 3], [1, 2, 4])).toBeCloseTo(3 / Math.sqrt((2 * 42) / 9), 14);
    expect(weightCorrelation([1, 1], [0, 2])).toBeNaN();
  });

  it('halves are disjoint, cover every unit, and are reproducible by seed', () => {
    const h = randomHalves(7, 4, 3);
    expect(h).toEqual(randomHalves(7, 4, 3));
    for (const { a, b } of h) {
      expect(a.length).toBe(3);
      expect([...a, ...b].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    }
    expect(() => randomHalves(1, 2)).toThrow(/cannot be split/);
  });

  it('OLS on halves with y = x1 exactly and y = x2 exactly: weights (s1, 0) vs (0, s2), correlation -1; same law: +1', () => {
    const r = rng(4);
    const unit = (law: (x: number[]) => number) => {
      const n = 30;
      const X = new Float64Array(n * 2), y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        X[i * 2] = r();
        X[i * 2 + 1] = r();
        y[i] = law([X[i * 2], X[i * 2 + 1]]);
      }
      return statsFromBlock(X, y, n, 2);
    };
    const u = [unit((x) => x[0]), unit((x) => x[0]), unit((x) => x[1]), unit((x) => x[1])];
    const res = reproducibility(u, (s) => fitOLS(s), [{ a: [0, 1], b: [2, 3] }]);
    expect(res.values[0]).toBeCloseTo(-1, 12);
    const v = [unit((x) => 2 * x[0] - x[1]), unit((x) => 2 * x[0] - x[1]), unit((x) => 2 * x[0] - x[1]), unit((x) => 2 * x[0] - x[1])];
    // two weights per vector: any two non-constant 2-vectors of the same ordering correlate +1
    expect(reproducibility(v, (s) => fitOLS(s), [{ a: [0, 1], b: [2, 3] }, { a: [0, 2], b: [1, 3] }]).mean).toBeCloseTo(1, 12);
  });
});

describe('named components', () => {
  it('corr(PC_i scores, column j) = sqrt(lambda_i) V_ji equals the brute-force correlation over rows', () => {
    const r = rng(8);
    const n = 200, p = 5;
    const X = new Float64Array(n * p), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = r(), b = r();
      X[i * p] = a; X[i * p + 1] = a + 0.1 * r(); X[i * p + 2] = b; X[i * p + 3] = a - b + 0.2 * r(); X[i * p + 4] = r();
      y[i] = a;
    }
    const std = standardize(statsFromBlock(X, y, n, p));
    const meta: FeatureMeta[] = [
      { name: 'rho(L=2)', family: 'P', level: 0, kind: 'rho', L: 2 }, { name: 'phi(L=2)', family: 'P', level: 0, kind: 'phi', L: 2 },
      { name: 'x[A](L=2)', family: 'P', level: 0, kind: 'x', species: 'A', L: 2 }, { name: 'e(L=2)', family: 'E', level: 0, kind: 'e', L: 2 },
      { name: 'CG1:A[l=6](d=1)', family: 'A', level: 1, kind: 'A', l: 6, d: 1 },
    ];
    const c = nameComponents(std, meta, 3, 3, 2);
    expect(c.summaries).toEqual(['rho(L=2)', 'phi(L=2)', 'x[A](L=2)', 'e(L=2)', 'Q6 level 1 (d=1)']);
    const rows = standardizeRows(X, y, n, p);
    const { vectors } = correlationEigen(std);
    for (let i = 0; i < 3; i++) {
      const T = Array.from({ length: n }, (_, k) => {
        let s = 0;
        for (let j = 0; j < p; j++) s += rows.Xs[k * p + j] * vectors![j * p + i];
        return s;
      });
      for (let j = 0; j < p; j++) {
        const col = Array.from({ length: n }, (_, k) => rows.Xs[k * p + j]);
        expect(c.correlation[i][j]).toBeCloseTo(weightCorrelation(T, col), 10);
      }
      expect(c.top[i]).toHaveLength(2);
    }
  });
});
