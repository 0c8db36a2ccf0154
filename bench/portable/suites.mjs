// The portable benchmark suites: ONE definition run by Node (bench/web.mjs) and by a browser
// page (web/bench.html + web/bench.js), with the SIMD and the scalar kernels, so that Node and
// browsers are compared on the same work. Sizes are cut down from the Node-only suites of
// bench/*.bench.mjs so that Node + Chromium x SIMD + scalar take a few minutes on 2 cores.
//
// A suite is { name, title, setup(gb, ctx) -> { cases, data?, skipped? } }:
//   gb  : the glassbox API ('glassbox' in Node, 'glassbox/browser' after init() in a page),
//         with the kernel build already chosen;
//   ctx : { data(rel) -> Promise<Uint8Array | null> (a file of ../shared/data, null when absent),
//           cache: Map (data prepared once per runtime, shared by the suites and both builds),
//           log(line) }.
// cases are bench/portable/harness.mjs cases ({ name, fn, extra?, minSamples?, maxTime? }).
// No Node built-ins and no DOM here.

const L3 = Math.cbrt(4096 / 1.2);
const KA3D_TRAIN = (c) => `ka3d-T0.44/train/isoconfig_N4096T0.44_${c}_tc07.npz`;
const KA2D = 'ka2d-T0.23/N1290T0.23_151_tc40.npz';
/** Configurations of the regression matrix (ka3d-T0.44 train 1..REG_CONFIGS, A rows). */
export const REG_CONFIGS = 5;

/** Cached per runtime: parsed KA3D training configuration c (null when the data is absent). */
async function ka3d(gb, ctx, c) {
  const key = `ka3d:${c}`;
  if (!ctx.cache.has(key)) {
    const bytes = await ctx.data(KA3D_TRAIN(c));
    ctx.cache.set(key, bytes ? gb.parseSystems(bytes, KA3D_TRAIN(c), { box: L3 }) : null);
  }
  return ctx.cache.get(key);
}

function randomSystem(gb, n, rho, seed) {
  const L = Math.cbrt(n / rho);
  const r = gb.mulberry32(seed);
  const pos = new Float64Array(3 * n);
  for (let i = 0; i < pos.length; i++) pos[i] = r() * L;
  const types = Int32Array.from({ length: n }, (_, i) => (i < 0.8 * n ? 0 : 1));
  return gb.createSystem({ dim: 3, box: [L, L, L], positions: pos, types });
}

/** The KA3D base configuration: train 1 of ../shared/data, else random at density 1.2. */
async function baseKA3D(gb, ctx) {
  const parsed = await ka3d(gb, ctx, 1);
  if (parsed) return { system: parsed.frames[0].system, source: 'ka3d-T0.44 train 1' };
  return { system: randomSystem(gb, 4096, 1.2, 1), source: 'random, density 1.2 (../shared/data absent)' };
}

/**
 * The regression matrix: descriptors (KA3D preset, thermal positions, 596 columns) of
 * REG_CONFIGS training configurations, A rows, target `abs` propensity; per-configuration
 * blocks. Null when the data is absent. Computed once per runtime (not timed).
 */
async function realMatrix(gb, ctx) {
  if (!ctx.cache.has('matrix')) {
    const t0 = performance.now();
    const blocks = [];
    let p = 0;
    for (let c = 1; c <= REG_CONFIGS; c++) {
      const parsed = await ka3d(gb, ctx, c);
      if (!parsed) { ctx.cache.set('matrix', null); return null; }
      const sys = parsed.frames[0].system;
      const fm = gb.computeFeatures(sys, { potential: 'KA3D' });
      const prop = gb.propensity(sys, parsed.runs, 'abs');
      p = fm.p;
      const idx = [];
      for (let i = 0; i < sys.n; i++) if (sys.species[i] === 0) idx.push(i);
      const X = new Float64Array(idx.length * p);
      const y = new Float64Array(idx.length);
      idx.forEach((i, r) => { X.set(fm.values.subarray(i * p, (i + 1) * p), r * p); y[r] = prop[i]; });
      blocks.push({ X, y, n: idx.length });
    }
    const rows = blocks.reduce((s, b) => s + b.n, 0);
    const m = { blocks, p, rows, source: `ka3d-T0.44 train 1-${REG_CONFIGS}, A rows, thermal, KA3D descriptors, target abs`, prepSeconds: +((performance.now() - t0) / 1000).toFixed(2) };
    ctx.log(`  regression matrix: ${rows} x ${p} (${m.source}), prepared in ${m.prepSeconds} s (not timed)`);
    ctx.cache.set('matrix', m);
  }
  return ctx.cache.get('matrix');
}

/** Random matrix of the regression matrix's shape (when the data is absent): only shapes matter for Gram speed. */
function randomMatrix(gb, configs = REG_CONFIGS, perConfig = 3277, p = 596) {
  const r = gb.mulberry32(42);
  const blocks = [];
  for (let c = 0; c < configs; c++) {
    const X = new Float64Array(perConfig * p), y = new Float64Array(perConfig);
    for (let i = 0; i < perConfig; i++) {
      for (let j = 0; j < p; j++) X[i * p + j] = 1 + (j % 7) + r() - 0.5;
      y[i] = r();
    }
    blocks.push({ X, y, n: perConfig });
  }
  return { blocks, p, rows: configs * perConfig, source: 'random (../shared/data absent)' };
}

const sum = (a) => a.reduce((s, v) => s + v, 0);

export const SUITES = [
  {
    name: 'neighbors',
    title: 'cell list + neighbour lists',
    async setup(gb, ctx) {
      const ka = await baseKA3D(gb, ctx);
      const big = randomSystem(gb, 131072, 1.2, 7);
      let pairsKA = 0, pairsBig = 0;
      return {
        data: { ka3d: ka.source },
        cases: [
          {
            name: `KA3D N=4096 (${ka.source}), r_c=2.8, full CSR list`,
            fn: () => {
              const q = new gb.NeighborQuery(ka.system, 2.8);
              pairsKA = q.w.exports.neighborListCount(q.buildHandle());
              q.free();
            },
            extra: () => ({ directedPairs: pairsKA }),
          },
          {
            name: 'N=131,072 random, density 1.2, r_c=1.5, spatial sort + chunked full lists',
            fn: () => {
              const sorted = gb.permuteSystem(big, gb.spatialOrder(big));
              const q = new gb.NeighborQuery(sorted, 1.5);
              let total = 0;
              for (let i0 = 0; i0 < big.n; i0 += 65536) total += q.w.exports.neighborListCount(q.buildHandle(i0, Math.min(big.n, i0 + 65536)));
              pairsBig = total / 2;
              q.free();
            },
            extra: () => ({ pairs: pairsBig }),
            minSamples: 3,
          },
          {
            name: 'N=131,072 random, density 1.2, r_c=1.5, streamed half-pair count',
            fn: () => {
              const q = new gb.NeighborQuery(big, 1.5);
              pairsBig = q.countPairs();
              q.free();
            },
            extra: () => ({ pairs: pairsBig }),
            minSamples: 3,
          },
        ],
      };
    },
  },
  {
    name: 'descriptors',
    title: 'full default descriptor vector',
    async setup(gb, ctx) {
      const ka = await baseKA3D(gb, ctx);
      let p3 = 0, p2 = 0;
      const cases = [{
        name: `KA3D N=4096 full default vector (${ka.source})`,
        fn: () => { p3 = gb.computeFeatures(ka.system, { potential: 'KA3D' }).p; },
        extra: (mean) => ({ n: 4096, features: p3, wallMicrosecondsPerParticle: +(1e6 * mean / 4096).toFixed(2) }),
        minSamples: 3,
      }];
      const b2 = await ctx.data(KA2D);
      if (b2) {
        const sys2 = gb.parseSystems(b2, KA2D).frames[0].system;
        cases.push({
          name: `KA2D N=${sys2.n} full default vector (ka2d-T0.23 config 151)`,
          fn: () => { p2 = gb.computeFeatures(sys2, { potential: 'KA2D' }).p; },
          extra: (mean) => ({ n: sys2.n, features: p2, wallMicrosecondsPerParticle: +(1e6 * mean / sys2.n).toFixed(2) }),
          minSamples: 3,
        });
      } else ctx.log(`  descriptors: the 2D case skipped (${KA2D} absent from ../shared/data)`);
      return { data: { ka3d: ka.source, ka2d: b2 ? KA2D : null }, cases };
    },
  },
  {
    name: 'gram',
    title: 'Gram accumulation (sufficient statistics)',
    async setup(gb, ctx) {
      const m = (await realMatrix(gb, ctx)) ?? randomMatrix(gb);
      const { blocks, p, rows } = m;
      const flops = rows * p * (p + 1);
      const gflops = (mean) => ({ gflops: +(flops / mean / 1e9).toFixed(2), flops });
      return {
        data: { source: m.source, rows, p, configurations: blocks.length },
        cases: [
          {
            name: `GramAccumulator over ${blocks.length} config blocks (${rows} x ${p}, incl. copy)`,
            fn: () => {
              const acc = new gb.GramAccumulator(p);
              try { for (const b of blocks) acc.add(b.X, b.y, b.n); acc.sums(); } finally { acc.free(); }
            },
            extra: gflops,
            minSamples: 3,
          },
          {
            name: `statsFromBlock x ${blocks.length} + sumStats (means + shifted Gram)`,
            fn: () => gb.sumStats(blocks.map((b) => gb.statsFromBlock(b.X, b.y, b.n, p))),
            extra: gflops,
            minSamples: 3,
          },
        ],
      };
    },
  },
  {
    name: 'ridge-pcr',
    title: 'ridge path and PCR path from the statistics',
    async setup(gb, ctx) {
      const m = await realMatrix(gb, ctx);
      if (!m) return { skipped: '../shared/data/ka3d-T0.44 absent' };
      const stats = gb.sumStats(m.blocks.map((b) => gb.statsFromBlock(b.X, b.y, b.n, m.p)));
      const alphas = Array.from({ length: 50 }, (_, i) => 10 ** (-3 + (8 * i) / 49));
      let kept = 0;
      return {
        data: { source: m.source, rows: m.rows, p: m.p },
        cases: [
          {
            name: `ridge, 50 alphas (standardize + 1 eigen of ${m.p}x${m.p} + 50 solves)`,
            fn: () => { const std = gb.standardize(stats); gb.ridgePathStd(std, alphas); kept = std.p; },
            extra: () => ({ kept }),
            minSamples: 3,
          },
          {
            name: 'PCR k = 1..100 (standardize + 1 eigen)',
            fn: () => { const std = gb.standardize(stats); gb.pcrPathStd(std, 100); kept = std.p; },
            extra: () => ({ kept }),
            minSamples: 3,
          },
        ],
      };
    },
  },
  {
    name: 'enet-cv',
    title: 'elastic-net grouped CV',
    async setup(gb, ctx) {
      const m = await realMatrix(gb, ctx);
      if (!m) return { skipped: '../shared/data/ka3d-T0.44 absent' };
      const { blocks, p, rows } = m;
      let last = null, pathInfo = null;
      const full = gb.standardize(gb.sumStats(blocks.map((b) => gb.statsFromBlock(b.X, b.y, b.n, p))));
      return {
        data: { source: m.source, rows, p, configurations: blocks.length },
        cases: [
          {
            name: `complete enet CV (stats + ${blocks.length} grouped folds x 100 alphas x l1 0.5), center per-config`,
            fn: () => {
              const configs = blocks.map((b) => ({ stats: gb.statsFromBlock(b.X, b.y, b.n, p), evalX: b.X, evalY: b.y }));
              last = gb.cvEnet(configs, { k: blocks.length, l1Ratios: [0.5], nAlphas: 100, eps: 1e-3, center: 'per-config' });
            },
            extra: () => ({ bestAlpha: last.best.params.alpha, bestScore: +last.best.score.toFixed(4), notConvergedWarnings: last.warnings.length }),
            minSamples: 2,
          },
          {
            name: `enet path on all rows (global), 100 alphas, l1 0.5, p = ${p}`,
            fn: () => {
              const path = gb.enetPath(full, { l1Ratio: 0.5 });
              pathInfo = { sweeps: sum(path.nIter), notConverged: path.notConverged, nonzeroAtEnd: path.nonzero[path.nonzero.length - 1] };
            },
            extra: () => pathInfo,
            minSamples: 3,
          },
        ],
      };
    },
  },
  {
    name: 'fire',
    title: 'FIRE minimisation (fixed iteration count)',
    async setup(gb, ctx) {
      const parsed = await ka3d(gb, ctx, 1);
      if (!parsed) return { skipped: '../shared/data/ka3d-T0.44 absent' };
      const sys = parsed.frames[0].system;
      const iters = 250;
      let last = null;
      return {
        data: { source: 'ka3d-T0.44 train 1 (thermal start)', n: sys.n },
        cases: [{
          name: `FIRE KA3D N=4096, ${iters} iterations from the thermal configuration`,
          // ftol 1e-14 is not reached in 250 iterations: the same work in every runtime and build
          fn: () => { last = gb.minimize(sys, 'KA3D', { ftol: 1e-14, maxIter: iters }); },
          extra: (mean) => ({ iterations: last.iterations, forceEvaluations: last.forceEvaluations, neighborRebuilds: last.neighborRebuilds, msPerIteration: +(1e3 * mean / last.iterations).toFixed(3), energyPerParticle: last.energyPerParticle }),
          minSamples: 3,
        }],
      };
    },
  },
];

/** Run one suite's setup and cases with the harness; returns the bench/results JSON object (without the environment fields). */
export async function runPortableSuite(suite, gb, ctx, runCases, Benchmark, opts = {}) {
  const t0 = performance.now();
  const s = await suite.setup(gb, ctx);
  const setupSeconds = +((performance.now() - t0) / 1000).toFixed(2);
  if (s.skipped) {
    ctx.log(`${suite.name}: skipped (${s.skipped})`);
    return { suite: suite.name, skipped: s.skipped, results: [] };
  }
  const results = await runCases(Benchmark, s.cases, { minSamples: 3, maxTime: 2, log: ctx.log, ...opts });
  return { suite: suite.name, title: suite.title, simd: gb.wasm().simd, data: s.data ?? null, setupSeconds, results };
}
