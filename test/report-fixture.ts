// Realistic fake inputs for the report (shapes and names of the default KA3D descriptor set,
// ../shared/spec/descriptors.md), deterministic. Used by test/report.test.ts and
// test/browser.test.ts; also a worked example of calling every chart function.

import type { FeatureMeta } from '../src/features/types.js';
import {
  bootstrapStability, coefficientProfiles, eigenSpectrum, particleMap, pcrLoadings, predictedVsTrue,
  renderReport, scoresByModel, vifChart, type Chart,
} from '../src/report/index.js';
import { rng } from './browser/checks.js';

function gauss(r: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/** The default feature layout: [R0, A0, R1, A1, R2, A2, P, E] with spec names. */
export function fakeMeta(): FeatureMeta[] {
  const meta: FeatureMeta[] = [];
  const ds = Array.from({ length: 19 }, (_, k) => Math.round((0.7 + 0.1 * k) * 10) / 10);
  for (let level = 0; level <= 2; level++) {
    const pre = level ? `CG${level}:` : '';
    for (const s of ['A', 'B']) for (const d of ds) meta.push({ name: `${pre}R[${s}](d=${d})`, family: 'R', level, species: s, d, kind: 'R' });
    for (let l = 1; l <= 8; l++) for (const d of ds) meta.push({ name: `${pre}A[l=${l}](d=${d})`, family: 'A', level, l, d, kind: 'A' });
  }
  for (const L of [1.5, 2, 3, 4, 5]) {
    meta.push({ name: `rho(L=${L})`, family: 'P', level: 0, L, kind: 'rho' });
    meta.push({ name: `phi(L=${L})`, family: 'P', level: 0, L, kind: 'phi' });
    meta.push({ name: `x[A](L=${L})`, family: 'P', level: 0, L, species: 'A', kind: 'x' });
  }
  meta.push({ name: 'e', family: 'E', level: 0, kind: 'e' });
  for (const L of [1.5, 2, 3, 4, 5]) {
    meta.push({ name: `e(L=${L})`, family: 'E', level: 0, L, kind: 'e' });
    meta.push({ name: `evar(L=${L})`, family: 'E', level: 0, L, kind: 'evar' });
  }
  return meta;
}

export interface FakeReportData {
  meta: FeatureMeta[];
  ols: Float64Array;
  ridge: Float64Array;
  enet: Float64Array;
  eigenvalues: Float64Array;
  vif: Float64Array;
  loadings: Float64Array; // p x k
  explained: Float64Array;
  bootMean: Float64Array;
  bootStd: Float64Array;
  bootSign: Float64Array;
  positions: Float64Array;
  box: number[];
  predicted: Float64Array;
  observed: Float64Array;
  config: Int32Array;
}

export function fakeReportData(seed = 1): FakeReportData {
  const r = rng(seed);
  const g = gauss(r);
  const meta = fakeMeta();
  const p = meta.length;
  // smooth "true" weight profile in d; OLS adds large shell-to-shell oscillation; enet is sparse
  const ridge = new Float64Array(p), ols = new Float64Array(p), enet = new Float64Array(p);
  meta.forEach((f, j) => {
    const d = f.d ?? 1;
    const base = f.family === 'R' ? 0.08 * Math.sin(4 * d) * (f.species === 'A' ? 1 : -0.6) / (1 + f.level)
      : f.family === 'A' ? 0.03 * Math.cos(3 * d + (f.l ?? 0)) / (1 + f.level) : 0.05 * g();
    ridge[j] = base + 0.005 * g();
    ols[j] = base + 0.6 * (j % 2 ? 1 : -1) * Math.abs(g());
    enet[j] = Math.abs(base) > 0.05 ? base * 0.8 : 0;
  });
  const eigenvalues = Float64Array.from({ length: p }, (_, k) => 120 * Math.pow(k + 1, -1.2) * Math.exp(-k / 60) + 1e-7);
  const vif = Float64Array.from({ length: p }, () => Math.exp(3 + 3 * g()));
  vif[5] = Infinity;
  const k = 10;
  const loadings = new Float64Array(p * k);
  for (let c = 0; c < k; c++) {
    let nrm = 0;
    for (let j = 0; j < p; j++) {
      const fam = meta[j].family === 'R' ? 0 : meta[j].family === 'A' ? 1 : 2;
      const v = g() * (1 + ((c + fam) % 3 === 0 ? 3 : 0));
      loadings[j * k + c] = v;
      nrm += v * v;
    }
    for (let j = 0; j < p; j++) loadings[j * k + c] /= Math.sqrt(nrm);
  }
  const explained = Float64Array.from({ length: k }, (_, c) => eigenvalues[c] / p);
  const bootMean = Float64Array.from(ridge);
  const bootStd = Float64Array.from({ length: p }, () => 0.01 + 0.02 * r());
  const bootSign = Float64Array.from({ length: p }, (_, j) => Math.min(1, 0.5 + Math.abs(bootMean[j]) / (bootStd[j] * 2)));
  // 3 configurations of 1000 particles in a KA-like box; mobility = smooth field + noise
  const L = 10;
  const nPer = 1000;
  const nCfg = 3;
  const positions = new Float64Array(nCfg * nPer * 3);
  const predicted = new Float64Array(nCfg * nPer);
  const observed = new Float64Array(nCfg * nPer);
  const config = new Int32Array(nCfg * nPer);
  const bumps = Array.from({ length: 6 }, () => [r() * L, r() * L, r() * L]);
  for (let i = 0; i < nCfg * nPer; i++) {
    let field = 0;
    for (let a = 0; a < 3; a++) positions[3 * i + a] = r() * L;
    for (const b of bumps) {
      let d2 = 0;
      for (let a = 0; a < 3; a++) {
        let dx = positions[3 * i + a] - b[a];
        dx -= L * Math.round(dx / L);
        d2 += dx * dx;
      }
      field += Math.exp(-d2 / 4);
    }
    observed[i] = 0.3 + field + 0.25 * g();
    predicted[i] = 0.5 + 0.6 * field + 0.2 * g();
    config[i] = Math.floor(i / nPer);
  }
  return { meta, ols, ridge, enet, eigenvalues, vif, loadings, explained, bootMean, bootStd, bootSign, positions, box: [L, L, L], predicted, observed, config };
}

/** Every chart of the report, from fake data. */
export async function fakeCharts(data = fakeReportData()): Promise<Record<string, Chart>> {
  const names = data.meta.map((m) => m.name);
  const first = { positions: data.positions.subarray(0, 3000), predicted: data.predicted.subarray(0, 1000), observed: data.observed.subarray(0, 1000) };
  return {
    scores: await scoresByModel([
      { model: 'ols', cvScore: 0.52, testPearson: 0.548, testPearsonPerConfig: [0.53, 0.56, 0.55] },
      { model: 'ridge', cvScore: 0.59, testPearson: 0.598, testPearsonPerConfig: [0.58, 0.61, 0.6] },
      { model: 'enet', cvScore: 0.595, testPearson: 0.602, testPearsonPerConfig: [0.59, 0.62, 0.6] },
      { model: 'pcr', cvScore: 0.57, testPearson: 0.575, testPearsonPerConfig: [0.56, 0.58, 0.585] },
    ]),
    predVsTrue: await predictedVsTrue({ predicted: data.predicted, observed: data.observed, config: data.config, model: 'ridge', maxPoints: 1500 }),
    profiles: await coefficientProfiles([
      { model: 'ols', coef: data.ols },
      { model: 'ridge', coef: data.ridge },
      { model: 'enet', coef: data.enet },
    ], data.meta),
    pcr: await pcrLoadings(data.loadings, data.explained, data.meta),
    eigen: await eigenSpectrum(data.eigenvalues),
    vif: await vifChart(data.vif, names),
    stability: await bootstrapStability(data.bootMean, data.bootStd, data.bootSign, names, { model: 'ridge' }),
    map: await particleMap({ ...first, dim: 3, box: data.box, slab: { axis: 2, width: 3 } }),
  };
}

/** A complete fake report.html. */
export async function fakeReportHtml(): Promise<{ html: string; charts: Record<string, Chart> }> {
  const c = await fakeCharts();
  const html = renderReport({
    title: 'glassbox fit: KA 3D, T = 0.44 (fake data for tests)',
    subtitle: 'glassbox fit --train ... --test ... --model all --out out/',
    meta: { 'training configurations': 10, 'test configurations': 3, features: 596, target: 'abs', species: 'A' },
    sections: [
      {
        heading: 'Scores',
        text: 'Per-configuration Pearson correlation on species A, averaged over configurations.\n\nFake numbers <for tests> & layout checks.',
        table: { columns: ['model', 'CV score', 'test Pearson', 'non-zero'], rows: [['ols', 0.52, 0.548, 596], ['ridge', 0.59, 0.598, 596], ['enet', 0.595, 0.602, 212]] },
        charts: [c.scores, c.predVsTrue],
      },
      { heading: 'Coefficients', text: 'What the models learned.', charts: [c.profiles, c.stability] },
      { heading: 'Collinearity', charts: [c.eigen, c.vif, c.pcr] },
      { heading: 'Particles', charts: [c.map] },
    ],
  });
  return { html, charts: c };
}
