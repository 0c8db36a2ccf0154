// Computations run IDENTICALLY in Node and in headless Chromium (test/browser.test.ts compares
// their outputs bit for bit). Plain ESM (no TypeScript): the browser loads this file as-is
// through web/test-harness.html.
//
// A check is `async (gb, ctx, args) => result`:
//   gb    the glassbox module (Node: dist/src/index.js, browser: dist/src/browser.js after init())
//   ctx   { fetchBytes(rel), fetchText(rel) }: files by path relative to the repository root
//         (e.g. 'test/fixtures/regression_fixture.json'); Node reads the disk, the page fetches
//   args  a JSON-serialisable object (the same on both sides)
//   result a flat object of typed arrays (compared byte for byte), numbers, strings, booleans
//
// To add a check: add a function to `checks` below and a row to CASES in test/browser.test.ts.
// Build test data inside the check from `args` (deterministic generators below), never
// from Math.random.

/** mulberry32: a deterministic generator of floats in [0, 1) (integer arithmetic only). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n random particles in `box` (dim = box.length), some shifted by whole box images (unwrapped). */
export function randomPositions(seed, n, box, unwrap = true) {
  const r = rng(seed);
  const dim = box.length;
  const pos = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      const shift = unwrap ? Math.floor((r() - 0.5) * 4) * box[a] : 0;
      pos[i * dim + a] = r() * box[a] + shift;
    }
  }
  return pos;
}

/** n species codes with fraction `fracA` of 0 (A) and the rest 1 (B). */
export function randomTypes(seed, n, fracA = 0.8) {
  const r = rng(seed ^ 0x9e3779b9);
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) t[i] = r() < fracA ? 0 : 1;
  return t;
}

export const checks = {
  /** The wasm build in use (so the test can assert which kernels ran on each side). */
  async kernels(gb) {
    return { simd: gb.wasm().simd };
  },

  /**
   * Neighbour lists (NeighborQuery rows: CSR offsets, j, r, minimum-image d) of a random
   * system, full and half lists, a chunk, and the streamed pair count.
   */
  async neighbors(gb, _ctx, { seed = 7, n = 600, box = [8, 8, 8], cutoff = 2.5, halfCutoff = 1.7 } = {}) {
    const sys = gb.createSystem({ dim: box.length, box, positions: randomPositions(seed, n, box), types: randomTypes(seed, n) });
    const q = new gb.NeighborQuery(sys, cutoff);
    try {
      const full = q.rows();
      const half = q.rows(0, sys.n, halfCutoff, true);
      const mid = Math.floor(sys.n / 3);
      const chunk = q.rows(mid, sys.n);
      return {
        simd: gb.wasm().simd,
        offsets: full.offsets,
        j: full.j,
        r: full.r,
        d: full.d,
        halfOffsets: half.offsets,
        halfJ: half.j,
        halfR: half.r,
        chunkJ: chunk.j,
        chunkD: chunk.d,
        pairs: q.countPairs(),
        pairsHalfCutoff: q.countPairs(halfCutoff),
      };
    } finally {
      q.free();
    }
  },
};

// ---- transport: typed arrays cross page.evaluate as base64 of their bytes ------------------

function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Encode a check result for JSON transport: typed arrays -> { $typed, b64 }. */
export function encodeResult(result) {
  const out = {};
  for (const [k, v] of Object.entries(result)) {
    if (ArrayBuffer.isView(v)) {
      out[k] = { $typed: v.constructor.name, length: v.length, b64: toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    } else if (v === null || ['number', 'string', 'boolean'].includes(typeof v)) {
      // numbers: keep the exact bits (JSON loses -0, NaN, Infinity)
      out[k] = typeof v === 'number' ? { $number: toBase64(new Uint8Array(Float64Array.of(v).buffer)) } : v;
    } else {
      throw new TypeError(`check result "${k}" must be a typed array, number, string, boolean or null (got ${Object.prototype.toString.call(v)})`);
    }
  }
  return out;
}

/** Run a check and encode its result, or its error as { $error: { name, message } }. */
/** Elastic net and ridge (and the grouped CV) on the regression fixture: the engine's numbers. */
export const regressionChecks = {
  async regression(gb, ctx, { alphaRidge = 10, alphaEnet = 0.01, l1Ratio = 0.5 } = {}) {
    const fx = JSON.parse(await ctx.fetchText('test/fixtures/regression_fixture.json'));
    const n = fx.X.length, p = fx.X[0].length;
    const X = Float64Array.from(fx.X.flat());
    const y = Float64Array.from(fx.y);
    const std = gb.standardize(gb.statsFromBlock(X, y, n, p));
    const ridge = gb.fitRidge(std, alphaRidge);
    const enet = gb.enetFit(std, { alpha: alphaEnet, l1Ratio, tol: 1e-10 });
    const path = gb.enetPath(std, { l1Ratio, nAlphas: 20 });
    // four pseudo-configurations of 100 rows for a grouped CV
    const configs = [0, 1, 2, 3].map((c) => {
      const Xc = X.slice(c * 100 * p, (c + 1) * 100 * p), yc = y.slice(c * 100, (c + 1) * 100);
      return { stats: gb.statsFromBlock(Xc, yc, 100, p), evalX: Xc, evalY: yc };
    });
    const cv = gb.cvEnet(configs, { k: 4, l1Ratios: [l1Ratio], nAlphas: 10 });
    return {
      ridgeCoef: ridge.coef, ridgeIntercept: ridge.intercept,
      enetCoefStd: enet.coefStd, enetGap: enet.gap,
      pathCoef: path.coefStd,
      cvScores: cv.curves[0].meanScore, cvBestAlpha: cv.best.params.alpha,
    };
  },

  /** The full descriptor vector of the 60-particle 3D golden system (its non-default parameters). */
  async descriptors(gb, ctx) {
    const g = JSON.parse(await ctx.fetchText('test/fixtures/small_random_3d.json'));
    const sys = gb.createSystem({ dim: g.dim, box: g.box, positions: g.positions.flat(), types: g.species.map((s) => g.species_labels[s] ?? s) });
    const P = g.params;
    const fm = gb.computeFeatures(sys, { r0: P.r0, dr: P.dr, K: P.K, delta: P.delta, ls: P.ls, cgLength: P.r_c, levels: P.levels, scales: P.scales, potential: P.potential });
    return { values: fm.values, names: fm.names.join('|') };
  },
};
Object.assign(checks, regressionChecks);

export async function runCheck(gb, ctx, name, args) {
  const fn = checks[name];
  if (!fn) throw new Error(`unknown check "${name}" (known: ${Object.keys(checks).join(', ')})`);
  try {
    return encodeResult(await fn(gb, ctx, args ?? {}));
  } catch (e) {
    return { $error: { name: e?.name ?? 'Error', message: String(e?.message ?? e) } };
  }
}
