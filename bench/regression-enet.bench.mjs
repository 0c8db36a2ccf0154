// Elastic-net cross-validation: 5 grouped folds x 100 alphas x l1_ratio 0.5 on a 32,770 x 590
// matrix with 10 configurations (3,277 rows each), the size of the A-particle descriptors of the
// ka3d-T0.44 training set. Default data: a synthetic strongly collinear matrix (40 smooth latent
// factors + 5% noise per column, per-configuration offsets; condition number of the correlation
// matrix ~3e5). Real data: --x X.npy --y y.npy --groups g.npy (one configuration label per row).
//
//   node bench/regression-enet.bench.mjs [--x X.npy --y y.npy --groups g.npy] [--quick]
//
// Timed: cvEnet from per-configuration statistics and held-out rows (fold statistics by
// subtraction, standardisation per fold, one warm-started path per fold, predictions of the
// whole path by one product per held-out configuration, per-configuration Pearson + MSE) with
// center per-config (the default) and global, one full-data path, and the global CV with plain
// cyclic coordinate descent (accelerate: false: scikit-learn's algorithm and stopping rule). The per-configuration statistics (Gram accumulation) are timed once, separately: that
// kernel belongs to the linear-algebra module (on branch enet it is a plain-TS stub).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cvEnet } from '../dist/src/index.js';
import { enetPath } from '../dist/src/models/enet.js';
import { mulberry32 as rng } from '../dist/src/models/diagnostics.js';
import { statsFromBlock, addStats, standardize } from '../dist/src/models/stats.js';
import { readNpy } from '../dist/src/io/npy.js';
import { runSuite } from './lib.mjs';

const { values: args } = parseArgs({ options: { x: { type: 'string' }, y: { type: 'string' }, groups: { type: 'string' }, quick: { type: 'boolean' } } });


/** Synthetic: x_ij = sum_f z_if L_fj + 0.05 e_ij + 0.1 o_c, y_i = 0.3 sum_f beta_f z_if + 0.8 e_i + o_c. */
function synthetic(NC = 10, R = 3277, P = 590, K = 40) {
  const r = rng(1);
  const g = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const L = new Float64Array(K * P);
  for (let f = 0; f < K; f++) for (let j = 0; j < P; j++) L[f * P + j] = Math.sin((f + 1) * j * 0.01 + f) + 0.3 * g();
  const beta = new Float64Array(K).map(() => g());
  const blocks = [];
  const z = new Float64Array(K);
  for (let c = 0; c < NC; c++) {
    const X = new Float64Array(R * P);
    const y = new Float64Array(R);
    const off = g();
    for (let i = 0; i < R; i++) {
      for (let f = 0; f < K; f++) z[f] = g();
      let s = 0.8 * g() + off;
      for (let f = 0; f < K; f++) s += beta[f] * z[f] * 0.3;
      y[i] = s;
      for (let j = 0; j < P; j++) {
        let v = 0.05 * g() + 0.1 * off;
        for (let f = 0; f < K; f++) v += z[f] * L[f * P + j];
        X[i * P + j] = v;
      }
    }
    blocks.push({ X, y, n: R });
  }
  return { blocks, p: P, source: `synthetic ${NC} configurations x ${R} rows x ${P} columns (40 latent factors)` };
}

function fromNpy() {
  const xa = readNpy(new Uint8Array(readFileSync(args.x)), args.x);
  const [n, p] = xa.shape;
  const X = Float64Array.from(xa.data);
  const y = Float64Array.from(readNpy(new Uint8Array(readFileSync(args.y)), args.y).data, Number);
  const gr = Array.from(readNpy(new Uint8Array(readFileSync(args.groups)), args.groups).data, Number);
  const order = [...new Set(gr)];
  const blocks = order.map((lab) => {
    const rows = [];
    for (let i = 0; i < n; i++) if (gr[i] === lab) rows.push(i);
    const Xc = new Float64Array(rows.length * p);
    const yc = new Float64Array(rows.length);
    rows.forEach((rw, i) => { Xc.set(X.subarray(rw * p, (rw + 1) * p), i * p); yc[i] = y[rw]; });
    return { X: Xc, y: yc, n: rows.length };
  });
  return { blocks, p, source: `${args.x} (${n} x ${p}, ${order.length} configurations)` };
}

const data = args.x ? fromNpy() : synthetic();
const { blocks, p } = data;
const nRows = blocks.reduce((s, b) => s + b.n, 0);
console.log(`data: ${data.source}`);
let t0 = performance.now();
const configs = blocks.map((b) => ({ stats: statsFromBlock(b.X, b.y, b.n, p), evalX: b.X, evalY: b.y }));
const statsSeconds = (performance.now() - t0) / 1000;
console.log(`per-configuration statistics (statsFromBlock x ${blocks.length}): ${statsSeconds.toFixed(2)} s (timed once; not part of the CV figure)`);
let total = configs[0].stats;
for (let c = 1; c < configs.length; c++) total = addStats(total, configs[c].stats);
const full = standardize(total);

const sum = (a) => a.reduce((s, v) => s + v, 0);
let last = null;
const cvCase = (center, accelerate) => ({
  name: `enet CV 5 folds x 100 alphas, l1 0.5, ${nRows} x ${p}, center ${center}${accelerate ? '' : ' (plain CD)'}`,
  fn: () => {
    const c0 = process.cpuUsage();
    const res = cvEnet(configs, { k: 5, l1Ratios: [0.5], nAlphas: 100, eps: 1e-3, center, accelerate });
    last = { res, cpu: process.cpuUsage(c0).user / 1e6 };
  },
  extra: () => ({
    cpuSecondsLastRun: +last.cpu.toFixed(3),
    bestAlpha: last.res.best.params.alpha,
    bestScore: +last.res.best.score.toFixed(4),
    notConvergedWarnings: last.res.warnings.length,
  }),
  minSamples: accelerate ? 3 : 1,
  maxTime: accelerate ? 5 : 1,
});
let pathInfo = null;
const cases = [
  cvCase('per-config', true),
  cvCase('global', true),
  {
    name: `enet path on all rows (global), 100 alphas, l1 0.5, p = ${p}`,
    fn: () => {
      const path = enetPath(full, { l1Ratio: 0.5 });
      pathInfo = { sweeps: sum(path.nIter), newtonSteps: sum(path.newtonSteps), notConverged: path.notConverged, nonzeroAtEnd: path.nonzero[path.nonzero.length - 1] };
    },
    extra: () => pathInfo,
    minSamples: 3,
  },
];
if (!args.quick) cases.push(cvCase('global', false));
await runSuite('regression-enet', cases, { minSamples: 3, maxTime: 5 });
console.log(`(per-configuration statistics, timed once: ${statsSeconds.toFixed(2)} s)`);
