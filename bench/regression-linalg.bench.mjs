// Regression linear algebra on a matrix the size of the KA 3D training set (10 configurations
// x 3,277 A particles = 32,770 rows, 590 descriptor columns; random N(0,1) values with column
// offsets, since only the shapes matter for speed):
//   - Gram accumulation (sufficient statistics) of the whole matrix, GFLOP/s counted as
//     rows * p * (p + 1) (2 flops per multiply-add over the symmetric half incl. diagonal);
//     once as one block, once as 10 per-configuration blocks (per-config centring) + merge;
//   - ridge over 50 alphas from the statistics (standardise + ONE eigendecomposition + 50 solves);
//   - PCR for k = 1..100 from the statistics (standardise + one eigendecomposition);
//   - the symmetric eigendecomposition of the 590 x 590 correlation matrix alone, and one
//     ridge solve by Cholesky.
// Usage: npx tsc -p tsconfig.json && node bench/regression-linalg.bench.mjs
//        (GLASSBOX_SIMD=0 for the scalar build; results in bench/results/regression-linalg*.json)
import { statsFromBlock, sumStats, standardize } from '../dist/src/index.js';
import { GramAccumulator, symEigen } from '../dist/src/linalg/linalg.js';
import { ridgePathStd, ridgeCholeskyStd } from '../dist/src/models/ridge.js';
import { pcrPathStd } from '../dist/src/models/pcr.js';
import { wasm } from '../dist/src/wasm/runtime.js';
import { mulberry32 as rng } from '../dist/src/models/diagnostics.js';
import { runSuite } from './lib.mjs';


const configs = 10, perConfig = 3277, p = 590;
const rows = configs * perConfig;
const r = rng(42);
const X = new Float64Array(rows * p);
const y = new Float64Array(rows);
for (let i = 0; i < rows; i++) {
  let t = 0;
  for (let j = 0; j < p; j++) {
    const v = r() - 0.5;
    X[i * p + j] = 1 + (j % 7) + v;
    if (j % 50 === 0) t += v;
  }
  y[i] = t + 0.1 * (r() - 0.5);
}
const flops = rows * p * (p + 1);
const simd = wasm().simd;
console.log(`X ${rows} x ${p}, ${simd ? 'SIMD' : 'scalar'} build`);

const stats = statsFromBlock(X, y, rows, p);
const alphas = Array.from({ length: 50 }, (_, i) => 10 ** (-3 + (8 * i) / 49));
const stdOnce = standardize(stats);

const panelCases = [128, 256, 512].map((panelRows) => ({
  name: `Gram 32770x590 one block, panel ${panelRows} rows (incl. copy into wasm)`,
  fn: () => {
    const acc = new GramAccumulator(p, { panelRows });
    acc.add(X, y, rows);
    acc.sums();
    acc.free();
  },
  extra: (mean) => ({ gflops: +(flops / mean / 1e9).toFixed(2), panelRows }),
  minSamples: 3,
  maxTime: 4,
}));

await runSuite(simd ? 'regression-linalg' : 'regression-linalg-scalar', [
  ...panelCases,
  {
    name: 'stats: 10 configurations x 3277 rows, per-config centring, merged',
    fn: () => {
      const parts = [];
      for (let c = 0; c < configs; c++) {
        parts.push(statsFromBlock(X.subarray(c * perConfig * p, (c + 1) * perConfig * p), y.subarray(c * perConfig, (c + 1) * perConfig), perConfig, p, { center: 'per-config' }));
      }
      sumStats(parts);
    },
    extra: (mean) => ({ gflops: +(flops / mean / 1e9).toFixed(2) }),
    minSamples: 3,
    maxTime: 4,
  },
  {
    name: 'ridge, 50 alphas, from the statistics (standardise + 1 eigen + 50 solves)',
    fn: () => {
      ridgePathStd(standardize(stats), alphas);
    },
    minSamples: 3,
  },
  {
    name: 'PCR k = 1..100 from the statistics (standardise + 1 eigen)',
    fn: () => {
      pcrPathStd(standardize(stats), 100);
    },
    minSamples: 3,
  },
  {
    name: 'symmetric eigen of C (590 x 590, values + vectors)',
    fn: () => {
      symEigen(stdOnce.C, stdOnce.p);
    },
    minSamples: 3,
  },
  {
    name: 'ridge, 1 alpha, Cholesky of n C + alpha I',
    fn: () => {
      ridgeCholeskyStd(stdOnce, 1.0);
    },
    minSamples: 3,
  },
]);
