// glassbox report (Node-only entry: it imports vega and vega-lite). Plain data in, static SVG
// charts and one self-contained report.html out. Not re-exported from src/api.ts, so the
// browser entry stays light.
//
//   const charts = [await predictedVsTrue({ predicted, observed, config }), ...];
//   writeFileSync('report.html', renderReport({ title, sections: [{ heading, text, charts }] }));

export { renderSvg, makeChart, type Chart } from './render.js';
export { renderReport, scopeSvgIds, renameSvgIds, escapeHtml, type ReportInput, type ReportSection, type ReportTable } from './html.js';
export {
  predictedVsTrue, predictedVsTrueSpec, type PredictedVsTrueInput,
  scoresByModel, scoresByModelSpec, type ModelScoreRow,
  coefficientProfiles, coefficientProfilesSpec, type ModelCoefficients, type ProfileOptions,
  pcrLoadings, pcrLoadingsSpec, type PcrLoadingsOptions,
  eigenSpectrum, eigenSpectrumSpec,
  vifChart, vifChartSpec, type VifOptions,
  bootstrapStability, bootstrapStabilitySpec, type StabilityOptions,
  particleMap, particleMapSpec, type ParticleMapInput,
  pearson,
} from './charts.js';
