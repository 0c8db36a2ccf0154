// Charts of the analyses (src/report/analysis-charts.ts): specs (pure) and the published-curve match.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { publishedCurves, rOfTSpec, ridgeTraceSpec, frontierSpec } from '../src/report/analysis-charts.js';
import { hasShared, sharedPath } from './helpers/golden.js';

const pts = [
  { label: 'dr_1', t: 0.1, model: 'ridge', cvScore: 0.1, testPearson: 0.12 },
  { label: 'dr_2', t: 1, model: 'ridge', cvScore: 0.3, testPearson: null },
];

describe('analysis charts', () => {
  it('r(t): log time axis with the lag times named; ordinal when a time is unknown', () => {
    const s = rOfTSpec(pts) as any;
    expect(s.layer[0].encoding.x.scale.type).toBe('log');
    expect(s.layer[0].encoding.x.axis.values).toEqual([0.1, 1]);
    expect(s.layer[0].data.values).toHaveLength(3); // the null test score is left out
    const o = rOfTSpec(pts.map((p) => ({ ...p, t: null }))) as any;
    expect(o.layer[0].encoding.x.type).toBe('ordinal');
    expect(() => rOfTSpec([{ label: 'a', t: 1, model: 'm', cvScore: NaN, testPearson: null }])).toThrow(/no finite score/);
  });

  it('ridge trace and frontier specs carry the data', () => {
    const t = ridgeTraceSpec({ grid: [1, 10], coefs: [{ name: 'e', values: [0.2, 0.1] }], cvMean: [0.5, 0.52], cvStd: [0.01, 0.01], chosen: 10 }) as any;
    expect(t.vconcat).toHaveLength(2);
    expect(t.vconcat[0].layer[0].data.values).toEqual([{ x: 1, w: 0.2, feature: 'e' }, { x: 10, w: 0.1, feature: 'e' }]);
    const f = frontierSpec([{ model: 'pcr', size: 2, cvScore: 0.5, cvSe: 0.01 }], 0.49, { model: 'pcr', size: 2, cvScore: 0.5 }) as any;
    expect(f.title.subtitle).toMatch(/0\.490.*pcr with 2/);
  });

  it.skipIf(!hasShared('data/glassbench_published_curves.json'))('published curves: matched by system and temperature', () => {
    const j = JSON.parse(readFileSync(sharedPath('data/glassbench_published_curves.json'), 'utf8'));
    const ka2d = publishedCurves(j, 'KA2D', 0.23);
    expect(ka2d.map((c) => c.name)).toEqual(['GlassMLP (KA2D T=0.23)']);
    expect(ka2d[0].points).toHaveLength(8);
    expect(publishedCurves(j, 'KA3D', 0.44).map((c) => c.name)).toContain('BOTAN (KA3D T=0.44)');
    expect(publishedCurves(j, 'KA3D', 0.56)).toEqual([]);
    expect(publishedCurves(j, 'KA3D', undefined)).toEqual([]);
    expect(publishedCurves(j, undefined, 0.44)).toEqual([]);
  });
  if (!existsSync(sharedPath('data/glassbench_published_curves.json'))) console.warn('skipping the published-curve match: ../shared/data is absent');
});
