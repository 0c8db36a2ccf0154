// src/report in Node: every chart renders to an SVG with data marks, the data behind each chart
// is right (independent oracles), bad input gives an InputError naming the argument, and
// renderReport produces one self-contained document. (The browser side, with a screenshot,
// is in test/browser.test.ts.)

import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InputError } from '../src/index.js';
import {
  bootstrapStabilitySpec, coefficientProfilesSpec, eigenSpectrumSpec, particleMapSpec, pcrLoadingsSpec, predictedVsTrueSpec,
  renderReport, scopeSvgIds, scoresByModelSpec, vifChartSpec, pearson, escapeHtml, type Chart,
} from '../src/report/index.js';
import { fakeCharts, fakeMeta, fakeReportData, fakeReportHtml } from './report-fixture.js';

/** Data-mark groups of a vega SVG (class "mark-<type> role-mark") and how many items each draws. */
function dataMarks(svg: string): { type: string; count: number }[] {
  const out: { type: string; count: number }[] = [];
  const re = /<g class="mark-(\w+) role-mark[^"]*"[^>]*>((?:<(?:path|line|rect|circle|text)\b[^>]*?(?:\/>|>[^<]*<\/text>))*)<\/g>/g;
  for (const m of svg.matchAll(re)) out.push({ type: m[1], count: (m[2].match(/<(?:path|line|rect|circle|text)\b/g) ?? []).length });
  return out;
}

const values = (spec: any): any[] => spec.data.values;

let charts: Record<string, Chart>;
let data: ReturnType<typeof fakeReportData>;

beforeAll(async () => {
  data = fakeReportData();
  charts = await fakeCharts(data);
});

describe('every chart renders to an SVG with data marks', () => {
  it('all eight charts: <svg>, marks drawn, no NaN, no vega warning', () => {
    expect(Object.keys(charts).length).toBe(8);
    for (const [k, c] of Object.entries(charts)) {
      expect(c.svg.startsWith('<svg'), k).toBe(true);
      const marks = dataMarks(c.svg);
      expect(marks.length, `${k}: data-mark groups`).toBeGreaterThan(0);
      expect(marks.reduce((s, m) => s + m.count, 0), `${k}: data marks`).toBeGreaterThan(0);
      expect(c.svg, k).not.toMatch(/NaN|Infinity|undefined/);
      expect(c.warnings, k).toEqual([]);
    }
  });

  it('the number of drawn marks matches the data', () => {
    const count = (c: Chart, type: string) => dataMarks(c.svg).filter((m) => m.type === type).reduce((s, m) => s + m.count, 0);
    expect(count(charts.predVsTrue, 'symbol')).toBe(values(charts.predVsTrue.spec).length); // one symbol per drawn particle
    expect(values(charts.predVsTrue.spec).length).toBe(1500);
    expect(count(charts.vif, 'rect')).toBe(30);
    expect(count(charts.stability, 'symbol')).toBe(30);
    expect(count(charts.scores, 'rect')).toBe(8); // 4 models x (CV, test)
    expect(count(charts.scores, 'symbol')).toBe(12); // 4 models x 3 test configurations
    expect(count(charts.profiles, 'line')).toBe(3 * 10 * 3); // 3 models x 10 rows x 3 levels
    const mapPoints = values(charts.map.spec).length;
    expect(count(charts.map, 'symbol')).toBe(mapPoints);
    expect(count(charts.pcr, 'rect')).toBe(10 + values((charts.pcr.spec as any).vconcat[1]).length);
  });

  it('rendering is deterministic', async () => {
    const again = await fakeCharts(data);
    for (const k of Object.keys(charts)) expect(again[k].svg === charts[k].svg, k).toBe(true);
  });
});

describe('the data behind each chart', () => {
  it('predictedVsTrue: r over all finite pairs, every k-th point drawn, non-finite left out', () => {
    const pred = Float64Array.from(data.predicted);
    pred[10] = NaN;
    const s = predictedVsTrueSpec({ predicted: pred, observed: data.observed, maxPoints: 1000 }) as any;
    const keep = [...pred.keys()].filter((i) => i !== 10);
    const r = pearson(keep.map((i) => data.observed[i]), keep.map((i) => pred[i]));
    expect(s.title.subtitle[0]).toContain(`Pearson r = ${r.toFixed(3)} over ${keep.length} particles (1000 drawn); 1 non-finite left out`);
    expect(values(s).length).toBe(1000);
    expect(values(s)[1]).toEqual({ observed: data.observed[keep[3]], predicted: pred[keep[3]] });
    // pearson against a textbook two-pass formula on a tiny case
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8.5])).toBeCloseTo(10.75 / Math.sqrt(5 * 23.1875), 14); // sxy / sqrt(sxx syy) by hand
  });

  it('coefficientProfiles: only R and A features, normalised per model to max |coef| = 1, raw on request', () => {
    const meta = fakeMeta();
    const s = coefficientProfilesSpec([{ model: 'ols', coef: data.ols }, { model: 'ridge', coef: data.ridge }], meta) as any;
    const nRA = meta.filter((m) => m.family === 'R' || m.family === 'A').length;
    expect(values(s).length).toBe(2 * nRA);
    for (const model of ['ols', 'ridge']) {
      const v = values(s).filter((r) => r.model === model).map((r) => Math.abs(r.coef));
      expect(Math.max(...v)).toBeCloseTo(1, 14);
    }
    const raw = coefficientProfilesSpec([{ model: 'ridge', coef: data.ridge }], meta, { normalize: 'none' }) as any;
    const j = meta.findIndex((m) => m.name === 'CG1:A[l=6](d=1.1)');
    expect(values(raw).find((r) => r.quantity === 'A l=6' && r.level === 'CG1' && r.d === 1.1).coef).toBe(data.ridge[j]);
    expect(s.facet.row.sort).toEqual(['R[A]', 'R[B]', 'A l=1', 'A l=2', 'A l=3', 'A l=4', 'A l=5', 'A l=6', 'A l=7', 'A l=8']);
    expect(s.facet.column.sort).toEqual(['level 0', 'CG1', 'CG2']);
  });

  it('pcrLoadings: loading weights of each component sum to 1 over the family/level groups', () => {
    const s = pcrLoadingsSpec(data.loadings, data.explained, data.meta) as any;
    const share = values(s.vconcat[1]);
    for (let c = 1; c <= 10; c++) {
      const sum = share.filter((r) => r.component === c).reduce((t, r) => t + r.share, 0);
      expect(sum).toBeCloseTo(1, 12);
    }
    // group weight recomputed directly for component 3, group "A CG1"
    const k = 10;
    let num = 0, den = 0;
    data.meta.forEach((m, j) => {
      const v = data.loadings[j * k + 2];
      den += v * v;
      if (m.family === 'A' && m.level === 1) num += v * v;
    });
    expect(share.find((r) => r.component === 3 && r.group === 'A CG1').share).toBeCloseTo(num / den, 14);
    expect(s.vconcat[1].encoding.color.scale.domain).toEqual(['R', 'R CG1', 'R CG2', 'A', 'A CG1', 'A CG2', 'P', 'E']);
    expect(() => pcrLoadingsSpec(data.loadings.subarray(1), data.explained, data.meta)).toThrow(/loadings has 5959 values, expected p x k = 596 x 10/);
  });

  it('eigenSpectrum: sorted descending, condition number, non-positive values counted', () => {
    const s = eigenSpectrumSpec([0.5, 4, -1e-12, 2, 1e-3]) as any;
    expect(values(s).map((r) => r.eigenvalue)).toEqual([4, 2, 0.5, 1e-3]);
    expect(s.title.subtitle).toMatch(/condition number infinite \(singular\); 2 of 5 eigenvalues below 0.01; 1 non-positive not drawn/);
    expect((eigenSpectrumSpec([4, 2, 0.5]) as any).title.subtitle).toMatch(/condition number 8;/);
  });

  it('vifChart: largest first, top N, infinite counted', () => {
    const s = vifChartSpec([3, Infinity, 50, 12, 1.5], ['a', 'b', 'c', 'd', 'e'], { top: 3 }) as any;
    expect(values(s).map((r) => r.feature)).toEqual(['c', 'd', 'a']);
    expect(s.title.subtitle).toMatch(/^2 of 5 features have VIF > 10;.*1 infinite/);
  });

  it('bootstrapStability: largest |mean| first, mean +- std', () => {
    const s = bootstrapStabilitySpec([0.1, -0.5, 0.2], [0.05, 0.1, 0.3], [1, 1, 0.6], ['a', 'b', 'c'], { top: 2 }) as any;
    expect(values(s)).toEqual([
      { feature: 'b', mean: -0.5, lo: -0.6, hi: -0.4, agreement: 1 },
      { feature: 'c', mean: 0.2, lo: 0.2 - 0.3, hi: 0.2 + 0.3, agreement: 0.6 },
    ]);
    expect(s.title.subtitle).toMatch(/2 of 3 coefficients keep their sign in every resample/);
  });

  it('particleMap: the slab holds exactly the particles within width/2 of its centre (periodic), percentiles in [0, 1]', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 10, noNaN: true }), fc.double({ min: 0.5, max: 6, noNaN: true }), fc.constantFrom<0 | 1 | 2>(0, 1, 2), (center, width, axis) => {
        const n = 1000;
        const pos = data.positions.subarray(0, 3 * n);
        let inSlab = 0;
        for (let i = 0; i < n; i++) {
          let dz = pos[3 * i + axis] - center;
          dz -= 10 * Math.round(dz / 10);
          if (Math.abs(dz) <= width / 2) inSlab++;
        }
        if (inSlab === 0) return;
        const s = particleMapSpec({ positions: pos, dim: 3, box: data.box, predicted: data.predicted.subarray(0, n), observed: data.observed.subarray(0, n), slab: { axis, center, width } }) as any;
        const v = values(s);
        expect(v.length).toBe(2 * inSlab);
        expect(v.every((r) => r.v >= 0 && r.v <= 1 && r.x >= 0 && r.x < 10 && r.y >= 0 && r.y < 10)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('particleMap in 2D: every particle, positions wrapped into the box, ties share a percentile', () => {
    const s = particleMapSpec({ positions: [1, 1, 12, -1, 3, 3], dim: 2, box: [10, 10], predicted: [5, 5, 7], observed: [1, 2, 3] }) as any;
    const pred = values(s).filter((r) => r.panel === 'predicted');
    expect(pred.map((r) => [r.x, r.y, r.v])).toEqual([[1, 1, 0.25], [2, 9, 0.25], [3, 3, 1]]);
  });

  it('scoresByModel: bars for CV and test, dots per configuration, best model named', () => {
    const s = scoresByModelSpec([{ model: 'ols', testPearson: 0.5, cvScore: 0.45 }, { model: 'ridge', testPearson: 0.6, testPearsonPerConfig: [0.58, 0.62] }]) as any;
    expect(s.layer[0].data.values).toEqual([
      { model: 'ols', metric: 'CV score', value: 0.45 },
      { model: 'ols', metric: 'test Pearson', value: 0.5 },
      { model: 'ridge', metric: 'test Pearson', value: 0.6 },
    ]);
    expect(s.layer[2].data.values.length).toBe(2);
    expect(s.title.subtitle).toMatch(/best test Pearson: ridge 0.600/);
  });
});

describe('bad input is an InputError naming the argument', () => {
  it.each([
    ['predictedVsTrue lengths', () => predictedVsTrueSpec({ predicted: [1, 2, 3], observed: [1, 2] }), /predictedVsTrue: observed has 2 values, expected 3/],
    ['coefficientProfiles coef length', () => coefficientProfilesSpec([{ model: 'ols', coef: [1, 2] }], fakeMeta()), /coef of "ols" has 2 values, expected 596/],
    ['coefficientProfiles without R/A', () => coefficientProfilesSpec([{ model: 'ols', coef: [1] }], [{ name: 'e', family: 'E', level: 0, kind: 'e' }]), /no R or A feature/],
    ['vif names', () => vifChartSpec([1, 2], ['a']), /vifChart: vif has 2 values, expected 1/],
    ['stability std', () => bootstrapStabilitySpec([1], [1, 2], [1], ['a']), /bootstrapStability: std has 2 values, expected 1/],
    ['particleMap box', () => particleMapSpec({ positions: [1, 2, 3], dim: 3, box: [1, 1], predicted: [1], observed: [1] }), /particleMap: box has 2 values, expected 3/],
    ['particleMap empty slab', () => particleMapSpec({ positions: [1, 1, 1], dim: 3, box: [10, 10, 10], predicted: [1], observed: [1], slab: { center: 6, width: 1 } }), /no particle in the slab/],
    ['scores duplicate model', () => scoresByModelSpec([{ model: 'a', testPearson: 1 }, { model: 'a', testPearson: 1 }]), /model names must be unique/],
  ])('%s', (_name, fn, msg) => {
    expect(fn).toThrow(InputError);
    expect(fn).toThrow(msg);
  });
});

describe('renderReport', () => {
  let html: string;
  beforeAll(async () => {
    html = (await fakeReportHtml()).html;
  });

  it('one self-contained document: no script, no external resource, every chart inline', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script\b/i);
    expect(html).not.toMatch(/\s(?:src|href)="(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect((html.match(/<svg\b/g) ?? []).length).toBe(8);
    expect((html.match(/<figure class="chart"/g) ?? []).length).toBe(8);
    for (const h of ['Scores', 'Coefficients', 'Collinearity', 'Particles']) expect(html).toContain(`<h2>${h}</h2>`);
  });

  it('ids are unique across the document and every url(#id) points to one of them', () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const set = new Set(ids);
    const refs = [...html.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(set.has(r), r).toBe(true);
  });

  it('text is escaped, paragraphs split, table cells formatted', () => {
    expect(html).toContain('<p>Fake numbers &lt;for tests&gt; &amp; layout checks.</p>');
    expect(html).toContain('<td>ridge</td><td>0.590</td><td>0.598</td><td>596</td>');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('rejects a chart that was not awaited and a ragged table', () => {
    expect(() => renderReport({ title: 't', sections: [{ heading: 'h', charts: [Promise.resolve() as any] }] })).toThrow(/chart without an SVG/);
    expect(() => renderReport({ title: 't', sections: [{ heading: 'h', table: { columns: ['a', 'b'], rows: [[1]] } }] })).toThrow(/row 0 has 1 cells for 2 columns/);
  });

  it('scopeSvgIds rewrites ids and their references only', () => {
    const svg = '<svg><defs><linearGradient id="g0"/><clipPath id="clip1"/></defs><path fill="url(#g0)" clip-path="url(#clip1)"/><use href="#clip1"/><path fill="url(#other)"/></svg>';
    expect(scopeSvgIds(svg, 'c7-')).toBe('<svg><defs><linearGradient id="c7-g0"/><clipPath id="c7-clip1"/></defs><path fill="url(#c7-g0)" clip-path="url(#c7-clip1)"/><use href="#c7-clip1"/><path fill="url(#other)"/></svg>');
  });
});
