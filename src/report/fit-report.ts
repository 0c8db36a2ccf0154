// The report of `glassbox fit`: one offline HTML file whose charts tell the interpretability
// story (Sharma, Liu, Ozawa & Coslovich, arXiv:2508.15933): how well each model predicts,
// why OLS weights oscillate on collinear descriptors while ridge weights stay smooth, what the
// principal components are made of, and which coefficients survive resampling.

import type { Configuration } from '../workflow/configurations.js';
import type { FitResult } from '../workflow/pipeline.js';
import { resolvedSystem } from '../features/index.js';
import {
  bootstrapStability, coefficientProfiles, eigenSpectrum, particleMap, pcrLoadings, predictedVsTrue,
  renderReport, scoresByModel, vifChart, type Chart, type ReportInput, type ReportSection,
} from './index.js';

import { interpretabilitySections } from './interpret-report.js';

const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(3));

/** Render the report for a fit; `tests` are the test configurations (for the particle map). */
export async function renderFitReport(r: FitResult, tests: Configuration[]): Promise<string> {
  return renderReport(await fitReportInput(r, tests));
}

/**
 * The report's content (sections with their charts: vega-lite spec + static SVG), before it is
 * laid out as HTML. The web page draws the same specs interactively (web/worker.js).
 */
export async function fitReportInput(r: FitResult, tests: Configuration[]): Promise<ReportInput> {
  const ok = r.models.filter((m) => !m.error);
  const best = r.best;
  const sections: ReportSection[] = [];

  sections.push({
    heading: 'Models',
    text:
      `Pearson correlation between predicted and true propensity, per configuration on species ${r.species}, averaged ` +
      `(GlassBench convention). CV: ${r.cv?.method === 'blocks' ? `spatial blocks (${r.cv.blocksPerAxis} per axis, ${r.cv.folds} folds, buffer ${r.cv.buffer}: the descriptors' reach ${r.cv.reach}; ${r.cv.rowsDropped} training rows dropped over the folds)${r.cv.slab ? `; test: the held-out slab x in [${r.cv.slab.from.toFixed(2)}, ${r.cv.slab.to.toFixed(2)}) with the same buffer` : ''}` : `grouped ${r.models[0]?.cv?.k ?? '-'}-fold cross-validation over the training configurations`}; ` +
      `the hyper-parameters shown are the CV choice. Best by CV score: ${best.model}.`,
    table: {
      columns: ['model', 'parameters', 'CV r', 'CV sd', 'test r', 'test r per configuration', 'nonzero'],
      rows: r.models.map((m) => [
        m.model,
        m.error ? `failed: ${m.error}` : Object.entries(m.params).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(3)}`).join(' ') || '-',
        f3(m.cvScore), f3(m.cvStd), f3(m.testPearson), m.testPearsonPerConfig.map(f3).join(' ') || '-', `${m.nonzero}/${r.features}`,
      ]),
    },
    charts: [await scoresByModel(ok.map((m) => ({ model: m.model, cvScore: m.cvScore, testPearson: m.testPearson ?? undefined, testPearsonPerConfig: m.testPearsonPerConfig })))],
  });

  if (r.predictions.length) {
    const pred: number[] = [], obs: number[] = [], cfg: number[] = [];
    r.predictions.forEach((p, c) => {
      const v = p.predicted[best.model];
      for (let k = 0; k < v.length; k++) { pred.push(v[k]); obs.push(p.truth[k]); cfg.push(c); }
    });
    const charts: Chart[] = [await predictedVsTrue({ predicted: pred, observed: obs, config: cfg, model: best.model })];
    const t0 = tests[0];
    const p0 = r.predictions[0];
    if (t0 && p0) {
      const sys = resolvedSystem(t0.system, r.featureOptions);
      const D = sys.dim;
      const pos = new Float64Array(p0.indices.length * D);
      p0.indices.forEach((i, k) => { for (let a = 0; a < D; a++) pos[k * D + a] = sys.positions[i * D + a]; });
      charts.push(await particleMap({ positions: pos, dim: D, box: sys.box, predicted: p0.predicted[best.model], observed: p0.truth, title: `${p0.name}: species ${r.species}` }));
    }
    sections.push({
      heading: 'Predictions on the test configurations',
      text: `Model ${best.model}. ${r.center === 'per-config' ? 'With per-configuration centring the predictions are deviations from each configuration\'s mean propensity (the Pearson correlation ignores that constant). ' : ''}The maps colour the particles of species ${r.species} by rank of predicted and of true propensity${r.predictions[0] && tests[0]?.system.dim === 3 ? ' in a slab of the box' : ''}.`,
      charts,
    });
  }

  const profileModels = ok.filter((m) => m.model !== 'pcr' || ok.length === 1).map((m) => ({ model: m.model, coef: m.fit.coefStd }));
  const charts: Chart[] = [];
  if (r.meta.some((m) => m.d !== undefined)) charts.push(await coefficientProfiles(profileModels, r.meta));
  sections.push({
    heading: 'Coefficients',
    text:
      'Standardised coefficients against the shell distance d, per species (radial family R) and per l (angular family A), ' +
      'for each coarse-graining level. The descriptors are strongly collinear: OLS weights oscillate from shell to shell, ' +
      'ridge weights stay smooth, the elastic net keeps a few representatives of each correlated group.',
    table: r.diagnostics.contributions
      ? {
          columns: ['group (family:level)', 'features', 'share of sum |w|', 'share of prediction variance'],
          rows: r.diagnostics.contributions.map((g) => [g.key, g.nFeatures, f3(g.shareAbs), f3(g.varianceShare)]),
        }
      : undefined,
    charts,
  });

  const kept = new Set(Array.from(r.scaler.kept));
  const keptMeta = r.meta.filter((_, j) => kept.has(j));
  if (r.diagnostics.pcrLoadings) {
    const pl = r.diagnostics.pcrLoadings;
    sections.push({
      heading: 'Principal components',
      text: `Loadings of the first ${pl.k} principal components of the descriptor correlation matrix, grouped by family and coarse-graining level, with the variance each explains. PCR regresses on the leading components; the CV chose k = ${r.models.find((m) => m.model === 'pcr' && !m.error)?.params.k ?? '-'}.`,
      charts: [await pcrLoadings(pl.loadings, pl.explained.subarray(0, pl.k), keptMeta)],
    });
  }

  sections.push({
    heading: 'Collinearity',
    text: `Condition number of the correlation matrix: ${r.diagnostics.conditionNumber.toExponential(3)}. Variance inflation factors VIF_j = [C^-1]_jj.${r.diagnostics.dropped.length ? ` Constant columns dropped: ${r.diagnostics.dropped.join(', ')}.` : ''}`,
    charts: [await eigenSpectrum(r.diagnostics.eigenvalues), await vifChart(r.diagnostics.vif, r.diagnostics.keptNames)],
  });

  if (r.diagnostics.stability) {
    const s = r.diagnostics.stability;
    sections.push({
      heading: 'Coefficient stability',
      text: `${s.B} bootstrap resamples of the training configurations (model ${best.model}, its CV hyper-parameters)${s.failed ? `; ${s.failed} resamples failed and were left out` : ''}.`,
      charts: [await bootstrapStability(s.meanStd, s.stdStd, s.signAgreement, s.names, { model: best.model })],
    });
  }

  sections.push(...(await interpretabilitySections(r)));

  return {
    title: 'glassbox fit report',
    subtitle: `${r.trainConfigs.length} training / ${r.testConfigs.length} test configurations`,
    meta: {
      species: r.species,
      structure: r.structure,
      centring: r.center,
      descriptors: r.features,
      'training rows': r.rowsTrain,
      train: r.trainConfigs.join(', '),
      test: r.testConfigs.join(', ') || '-',
      timings: Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', '),
    },
    sections,
  };
}
