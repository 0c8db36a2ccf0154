// Propensity over time (src/workflow/times.ts): one fit per time with descriptors computed once;
// r(t) at one time equals the single-time fit to the last bit.
import { describe, expect, it } from 'vitest';
import { fit, type Configuration } from '../src/index.js';
import { expandColumns, fitTimes, timesJSON } from '../src/workflow/times.js';
import { structureDifference } from '../src/node/times.js';
import { latticeSystem } from './helpers/systems.js';
import { rng } from './helpers/standardize.js';

function targets(c: Configuration, seed: number, t: number): Float64Array {
  const r = rng(seed);
  const s = c.system;
  const y = new Float64Array(s.n);
  for (let i = 0; i < s.n; i++) y[i] = Math.sin(s.positions[i * 2] * 0.9 + t) + Math.cos(s.positions[i * 2 + 1] * (0.5 + 0.1 * t)) + 0.5 * r();
  return y;
}

const features = { families: ['R', 'A', 'P'] as ('R' | 'A' | 'P')[], K: 6, r0: 0.8, dr: 0.25, levels: [0, 1], cgLength: 1.5, scales: [1.5, 2], ls: [2, 4, 6] };

describe('fit over times', () => {
  const cfg = (seed: number): Configuration => ({ name: `c${seed}`, system: latticeSystem(seed, 2, 26, 1.0, 0.3, ['A', 'B'], [0.7, 0.3]) });
  const times = [0, 1, 2];

  it('one configuration (block CV, held-out slab): every time equals its single-time fit bit for bit, descriptors computed once', () => {
    const c = cfg(11);
    const pts = times.map((t) => ({ label: `dr_${t + 1}`, t: 10 ** t, train: [targets(c, 100 + t, t)] }));
    const opts = { train: [c], features, structure: 'thermal' as const, models: ['ridge' as const, 'pcr' as const], bootstrap: 0, blocks: 4, folds: 3 };
    const r = fitTimes(opts, pts);
    expect(r.times.map((x) => x.label)).toEqual(['dr_1', 'dr_2', 'dr_3']);
    for (let k = 0; k < times.length; k++) {
      const single = fit({ ...opts, train: [{ ...c, target: pts[k].train[0] }] });
      const multi = r.times[k].result;
      expect(multi.cv.method).toBe('blocks');
      expect(multi.cv.slab).not.toBeNull();
      expect(multi.models.map((m) => [m.model, m.params, m.cvScore, m.cvStd, m.testPearson])).toEqual(single.models.map((m) => [m.model, m.params, m.cvScore, m.cvStd, m.testPearson]));
      multi.models.forEach((m, j) => {
        expect(m.error).toBeUndefined();
        expect(m.fit.coef).toEqual(single.models[j].fit.coef);
      });
    }
    const js = timesJSON(r);
    expect(Object.keys(js[0])).toEqual(['label', 't', 'best', 'models']);
    expect(Object.keys((js[0].models as object[])[0])).toEqual(expect.arrayContaining(['model', 'params', 'cvScore', 'testPearson']));
    // the descriptors of later times are the cached ones (only the rows are selected again)
    expect(r.timings.descriptorsLaterTimes).toBeLessThan(r.timings.descriptorsFirstTime);
  });

  it('several configurations with test configurations (grouped CV): equal to the single-time fits', () => {
    const tr = [cfg(1), cfg(2), cfg(3)];
    const te = [cfg(4)];
    const pts = times.slice(0, 2).map((t) => ({ label: `t${t}`, t: null, train: tr.map((c, i) => targets(c, 10 * i + t, t)), test: te.map((c) => targets(c, 99 + t, t)) }));
    const opts = { train: tr, test: te, features, structure: 'thermal' as const, models: ['ridge' as const], bootstrap: 0 };
    const r = fitTimes(opts, pts);
    pts.forEach((pt, k) => {
      const single = fit({ ...opts, train: tr.map((c, i) => ({ ...c, target: pt.train[i] })), test: te.map((c, i) => ({ ...c, target: pt.test[i] })) });
      expect(r.times[k].result.models[0].testPearsonPerConfig).toEqual(single.models[0].testPearsonPerConfig);
      expect(r.times[k].result.models[0].cvScore).toBe(single.models[0].cvScore);
      expect(r.times[k].result.cv.method).toBe('configs');
    });
  });

  it('column lists and patterns', () => {
    const cols = ['species', 'msd_1', 'msd_2', 'dr_10', 'dr_2', 'dr_1'];
    expect(expandColumns('dr_*', cols)).toEqual(['dr_1', 'dr_2', 'dr_10']);
    expect(expandColumns('dr_2,msd_1', cols)).toEqual(['dr_2', 'msd_1']);
    expect(() => expandColumns('dr_3', cols)).toThrow(/dr_3.*missing/);
    expect(() => expandColumns('x_*', cols)).toThrow(/match none/);
    expect(() => expandColumns('dr_1,dr_*', cols)).toThrow(/repeat/);
  });

  it('--over-time checks that the files share one starting structure', () => {
    const a = cfg(5), b = cfg(5), c = cfg(6);
    expect(structureDifference(a, b)).toBeNull();
    expect(structureDifference(a, c)).toMatch(/position of particle 0|species/);
  });
});
