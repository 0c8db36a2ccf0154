// Report sections of the measured interpretability (src/models/interpret.ts), each chart with a
// one-line caption that says what to read.

import type { FitResult } from '../workflow/pipeline.js';
import type { ReportSection } from './html.js';
import { components, frontier, pathChart, reproducibility, ridgeTrace } from './analysis-charts.js';
import type { Chart } from './render.js';

const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(3));

export async function interpretabilitySections(r: FitResult): Promise<ReportSection[]> {
  const it = r.interpretability;
  if (!it) return [];
  const charts: Chart[] = [];
  if (it.ridgeTrace) {
    const t = it.ridgeTrace;
    charts.push(await ridgeTrace({ grid: t.alphas, coefs: t.features, cvMean: t.cvMean, cvStd: t.cvStd, chosen: t.chosen }));
  }
  if (it.enetPath) {
    const e = it.enetPath;
    charts.push(await pathChart('enet-path', { grid: e.alphas, nonzero: e.nonzero, cvMean: e.cvMean, chosen: e.chosen, title: `Elastic-net path (l1_ratio ${e.l1Ratio}): non-zeros and CV score`, param: 'alpha', log: true },
      'Read how many features the elastic net keeps (orange, dashed) for the CV score it reaches (blue): a flat blue line over a falling orange one means the extra features buy nothing.'));
  }
  if (it.pcrCurve) {
    const q = it.pcrCurve;
    charts.push(await pathChart('pcr-curve', { grid: q.k, nonzero: q.k, cvMean: q.cvMean, chosen: q.chosen, title: 'PCR: CV score against the number of components k', param: 'k', log: false, sizeTitle: 'k' },
      'Read where the CV score stops rising with k: components after that point add weights without adding prediction.'));
  }
  if (it.frontier.points.length && it.frontier.threshold !== null) {
    charts.push(await frontier(it.frontier.points, it.frontier.threshold, it.oneSE ? { model: it.oneSE.model, size: it.oneSE.size, cvScore: it.oneSE.cvScore } : undefined));
  }
  const rep = Object.entries(it.reproducibility);
  if (rep.length) charts.push(await reproducibility(rep.map(([model, mean]) => ({ model, mean, values: it.reproducibilitySplits[model] ?? [] }))));
  if (it.components && it.components.summaries.length) {
    const c = it.components;
    charts.push(await components(c.correlation.flatMap((row, i) => row.map((v, j) => ({ component: i + 1, summary: c.summaries[j], r: v })))));
  }
  const one = it.oneSE;
  return [{
    heading: 'Interpretability measured',
    text:
      (one ? `1-SE interpretable model: ${one.model} with ${one.size} ${one.model === 'pcr' ? 'components' : 'features'}, CV ${f3(one.cvScore)} (best ${f3(it.frontier.best?.cvScore)}; threshold ${f3(it.frontier.threshold)}), test ${f3(one.testPearson)}: ${one.features.slice(0, 12).join('; ')}${one.features.length > 12 ? '; ...' : ''}. ` : '') +
      (rep.length ? `Weight reproducibility over ${it.reproducibilityUnits} split in disjoint halves: ${rep.map(([m, v]) => `${m} ${f3(v)}`).join(', ')}.` : ''),
    table: it.components
      ? { columns: ['component', 'explained variance', 'top loadings'], rows: it.components.top.map((t, i) => [`PC${i + 1}`, f3(it.components!.explained[i]), t.map((q) => `${q.name} ${q.loading >= 0 ? '+' : ''}${q.loading.toFixed(2)}`).join(', ')]) }
      : undefined,
    charts,
  }];
}
