// Regression engine on the REAL matrix (issue 4, "Benchmarks"): the descriptors of the 10
// training configurations of ../shared/data/ka3d-T0.44/train (full default vector, KA3D preset,
// thermal = stored initial positions), A particles only (species 0): 10 x 3,277 = 32,770 rows x
// 596 columns; target: propensity `abs` (mean |r(t) - r(0)| over the 32 isoconfigurational runs).
//
//   npx tsc -p tsconfig.json && node bench/regression-real.bench.mjs [--rebuild] [--quick]
//
// The descriptor stage (computeFeatures + propensity per configuration) runs once and is cached
// as .npy under bench/.cache/ (gitignored): X (rows x p, f8), y (rows, f8), groups (rows, i4:
// the configuration index 1..10) and the column names (.names.json). --rebuild recomputes it.
//
// Timed cases (bench/lib.mjs, JSON in bench/results/regression-real.json):
//   (a) Gram accumulation over the 10 per-configuration blocks:
//       - one GramAccumulator fed the 10 blocks (kernel + copy into wasm memory),
//       - statsFromBlock x 10 (column means, shifted Gram, per block) + sumStats;
//       GFLOP/s = rows * p * (p + 1) / t: the symmetric half of X^T X including the diagonal,
//       p (p + 1) / 2 multiply-adds per row at 2 flops each (X^T y and the sums not counted).
//   (b) ridge over 50 alphas (10^-3 .. 10^5, log-spaced): standardize + ridgePathStd
//       (one eigendecomposition of the 596 x 596 correlation matrix + 50 solves).
//   (c) PCR for k = 1..100: standardize + pcrPathStd.
//   (d) the complete elastic-net CV, 5 grouped folds (configuration c -> fold c mod 5) x 100
//       alphas (eps 1e-3) x l1_ratio 0.5, center 'global' and 'per-config': from the 10
//       per-configuration matrices to the chosen alpha, INCLUDING the statistics (statsFromBlock
//       x 10) and the copy of the evaluation rows into wasm; non-converged warnings counted.
// Targets (issue 4): Gram >= 3 GFLOP/s; complete enet CV < 5 s on this 2-core machine
// (scikit-learn's ElasticNetCV: 29 s on the same matrix, 133 non-convergence warnings).
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { readSystems, computeFeatures, propensity, readNpy, writeNpy, statsFromBlock, sumStats, standardize, cvEnet } from '../dist/src/index.js';
import { GramAccumulator } from '../dist/src/linalg/linalg.js';
import { ridgePathStd } from '../dist/src/models/ridge.js';
import { pcrPathStd } from '../dist/src/models/pcr.js';
import { wasm } from '../dist/src/wasm/runtime.js';
import { runSuite } from './lib.mjs';

const { values: args } = parseArgs({ options: { rebuild: { type: 'boolean' }, quick: { type: 'boolean' } }, allowPositionals: true }); // positionals: bench/run.mjs's suite names

const TRAIN = fileURLToPath(new URL('../../shared/data/ka3d-T0.44/train/', import.meta.url));
const CACHE = fileURLToPath(new URL('./.cache/', import.meta.url));
const base = `${CACHE}ka3d-T0.44-train-A`;
const files = { X: `${base}.X.npy`, y: `${base}.y.npy`, g: `${base}.groups.npy`, names: `${base}.names.json` };

/** Descriptor stage: features + propensity of every training configuration, A rows only. */
function buildMatrix() {
  const L = Math.cbrt(4096 / 1.2);
  const list = readdirSync(TRAIN).filter((f) => /_(\d+)_tc07\.npz$/.test(f))
    .map((f) => ({ f, c: Number(/_(\d+)_tc07\.npz$/.exec(f)[1]) })).sort((a, b) => a.c - b.c);
  const Xs = [], ys = [], gs = [];
  let names = null, p = 0, rows = 0;
  const t0 = performance.now();
  let tFeat = 0, tProp = 0;
  for (const { f, c } of list) {
    const parsed = readSystems(TRAIN + f, { box: L });
    const sys = parsed.frames[0].system;
    let t = performance.now();
    const fm = computeFeatures(sys, { potential: 'KA3D' });
    tFeat += performance.now() - t;
    t = performance.now();
    const prop = propensity(sys, parsed.runs, 'abs');
    tProp += performance.now() - t;
    names ??= fm.names;
    p = fm.p;
    const idx = [];
    for (let i = 0; i < sys.n; i++) if (sys.species[i] === 0) idx.push(i);
    const X = new Float64Array(idx.length * p);
    const y = new Float64Array(idx.length);
    idx.forEach((i, r) => { X.set(fm.values.subarray(i * p, (i + 1) * p), r * p); y[r] = prop[i]; });
    Xs.push(X); ys.push(y); gs.push(new Int32Array(idx.length).fill(c));
    rows += idx.length;
    console.log(`  ${f}: ${sys.n} particles, ${idx.length} A rows x ${p} features`);
  }
  const X = new Float64Array(rows * p), y = new Float64Array(rows), g = new Int32Array(rows);
  let r = 0;
  for (let k = 0; k < Xs.length; k++) { X.set(Xs[k], r * p); y.set(ys[k], r); g.set(gs[k], r); r += ys[k].length; }
  const seconds = (performance.now() - t0) / 1000;
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(files.X, writeNpy({ dtype: '<f8', shape: [rows, p], data: X }));
  writeFileSync(files.y, writeNpy({ dtype: '<f8', shape: [rows], data: y }));
  writeFileSync(files.g, writeNpy({ dtype: '<i4', shape: [rows], data: g }));
  writeFileSync(files.names, JSON.stringify(names) + '\n');
  const info = { seconds: +seconds.toFixed(2), featureSeconds: +(tFeat / 1000).toFixed(2), propensitySeconds: +(tProp / 1000).toFixed(2), configurations: list.length };
  console.log(`descriptor stage: ${JSON.stringify(info)} -> ${base}.*`);
  return { X, y, g, names, rows, p, descriptorStage: info };
}

function loadMatrix() {
  const xa = readNpy(new Uint8Array(readFileSync(files.X)), { file: files.X });
  const [rows, p] = xa.shape;
  const y = Float64Array.from(readNpy(new Uint8Array(readFileSync(files.y)), { file: files.y }).data);
  const g = Int32Array.from(readNpy(new Uint8Array(readFileSync(files.g)), { file: files.g }).data);
  return { X: Float64Array.from(xa.data), y, g, names: JSON.parse(readFileSync(files.names, 'utf8')), rows, p, descriptorStage: 'cached' };
}

const haveCache = Object.values(files).every((f) => existsSync(f));
if (!(haveCache && !args.rebuild) && !existsSync(TRAIN)) console.log(`regression-real: skipped (${TRAIN} absent and no cached matrix)`);
else await main(!args.rebuild && haveCache ? loadMatrix() : buildMatrix());

async function main(data) {
  const { X, y, g, rows, p } = data;

  // per-configuration blocks (views; rows of one configuration are contiguous)
  const blocks = [];
  for (let r0 = 0; r0 < rows;) {
    let r1 = r0;
    while (r1 < rows && g[r1] === g[r0]) r1++;
    blocks.push({ label: g[r0], X: X.subarray(r0 * p, r1 * p), y: y.subarray(r0, r1), n: r1 - r0 });
    r0 = r1;
  }
  console.log(`matrix: ${rows} rows x ${p} columns, ${blocks.length} configurations (${blocks.map((b) => b.n).join(', ')} rows), ${wasm().simd ? 'SIMD' : 'scalar'} build`);

  const flops = rows * p * (p + 1);
  const gflops = (mean) => +(flops / mean / 1e9).toFixed(2);
  const FLOPS_NOTE = 'rows*p*(p+1): symmetric half of X^T X incl. diagonal, 2 flops per multiply-add';

  const perConfigStats = () => blocks.map((b) => statsFromBlock(b.X, b.y, b.n, p));
  const stats = sumStats(perConfigStats());
  const alphas = Array.from({ length: 50 }, (_, i) => 10 ** (-3 + (8 * i) / 49));

  /** fn wrapped to record the process CPU time (user + system) per call. */
  function cpuTimed(fn) {
    const st = { calls: 0, cpu: 0 };
    const g2 = () => {
      const c0 = process.cpuUsage();
      const r = fn();
      const c = process.cpuUsage(c0);
      st.calls++;
      st.cpu += (c.user + c.system) / 1e6;
      return r;
    };
    g2.cpu = () => +(st.cpu / Math.max(1, st.calls)).toFixed(3);
    return g2;
  }

  const gramAcc = cpuTimed(() => {
    const acc = new GramAccumulator(p);
    try {
      for (const b of blocks) acc.add(b.X, b.y, b.n);
      acc.sums();
    } finally {
      acc.free();
    }
  });
  const gramStats = cpuTimed(() => sumStats(perConfigStats()));
  let ridgeInfo = null, pcrInfo = null;
  const ridge = cpuTimed(() => {
    const std = standardize(stats);
    const W = ridgePathStd(std, alphas);
    ridgeInfo = { kept: std.p, alphas: W.length };
  });
  const pcr = cpuTimed(() => {
    const std = standardize(stats);
    const path = pcrPathStd(std, 100);
    pcrInfo = { kept: std.p, kMax: 100, explainedVarianceRatioAt100: path.explainedVarianceRatio ? +Array.from(path.explainedVarianceRatio).slice(0, 100).reduce((a, b) => a + b, 0).toFixed(4) : undefined };
  });

  function cvCase(center) {
    let last = null;
    const fn = cpuTimed(() => {
      const t0 = performance.now();
      const configs = blocks.map((b) => ({ stats: statsFromBlock(b.X, b.y, b.n, p), evalX: b.X, evalY: b.y }));
      const t1 = performance.now();
      const res = cvEnet(configs, { k: 5, l1Ratios: [0.5], nAlphas: 100, eps: 1e-3, center });
      const t2 = performance.now();
      last = { res, statsSeconds: (t1 - t0) / 1000, cvSeconds: (t2 - t1) / 1000 };
    });
    return {
      name: `complete enet CV (stats + 5 grouped folds x 100 alphas x l1 0.5), center ${center}`,
      fn,
      extra: () => ({
        cpuSecondsPerCall: fn.cpu(),
        statsSecondsLastRun: +last.statsSeconds.toFixed(3),
        cvSecondsLastRun: +last.cvSeconds.toFixed(3),
        folds: Array.from(last.res.folds),
        bestAlpha: last.res.best.params.alpha,
        bestIndex: last.res.best.index,
        bestScore: +last.res.best.score.toFixed(4),
        bestMse: +last.res.best.mse.toFixed(5),
        notConvergedWarnings: last.res.warnings.length,
        warnings: last.res.warnings.slice(0, 5),
        targetSeconds: 5,
      }),
      minSamples: 3,
      maxTime: args.quick ? 1 : 8,
    };
  }

  const out = await runSuite('regression-real', [
    {
      name: `Gram: GramAccumulator over ${blocks.length} config blocks (${rows} x ${p}, incl. copy)`,
      fn: gramAcc,
      extra: (mean) => ({ gflops: gflops(mean), flops, flopCount: FLOPS_NOTE, cpuSecondsPerCall: gramAcc.cpu(), targetGflops: 3 }),
      minSamples: 3,
      maxTime: args.quick ? 1 : 5,
    },
    {
      name: `Gram: statsFromBlock x ${blocks.length} + sumStats (means + shifted Gram)`,
      fn: gramStats,
      extra: (mean) => ({ gflops: gflops(mean), flops, flopCount: FLOPS_NOTE, cpuSecondsPerCall: gramStats.cpu(), targetGflops: 3 }),
      minSamples: 3,
      maxTime: args.quick ? 1 : 5,
    },
    {
      name: `ridge, 50 alphas (standardize + 1 tridiagonalisation of ${p}x${p} + 50 tridiagonal solves)`,
      fn: ridge,
      extra: () => ({ ...ridgeInfo, cpuSecondsPerCall: ridge.cpu() }),
      minSamples: 3,
      maxTime: args.quick ? 1 : 5,
    },
    {
      name: 'PCR k = 1..100 (standardize + 1 eigen)',
      fn: pcr,
      extra: () => ({ ...pcrInfo, cpuSecondsPerCall: pcr.cpu() }),
      minSamples: 3,
      maxTime: args.quick ? 1 : 5,
    },
    cvCase('global'),
    cvCase('per-config'),
  ]);

  // add the data description and machine load to the JSON
  out.data = {
    source: '../shared/data/ka3d-T0.44/train, 10 configurations, A particles (species 0), thermal positions',
    features: 'computeFeatures(system, { potential: "KA3D" }) (full default vector)',
    target: 'propensity abs (32 isoconfigurational runs)',
    rows, p, configurations: blocks.length, rowsPerConfiguration: blocks.map((b) => b.n),
    descriptorStage: data.descriptorStage,
    simd: wasm().simd,
  };
  out.loadavg = os.loadavg().map((v) => +v.toFixed(2));
  writeFileSync(fileURLToPath(new URL('./results/regression-real.json', import.meta.url)), JSON.stringify(out, null, 2) + '\n');
  console.log(`load average ${out.loadavg.join(' ')}`);
}

