// The scalar and the SIMD builds of the kernels must give bit-identical results (fixed
// summation orders), so that Node and browsers, with or without SIMD, agree exactly.
import { describe, expect, it, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { cvEnet, predictModel as predict } from '../src/index.js';
import { enetPath } from '../src/models/enet.js';
import { buildModel } from '../src/models/model-file.js';
import { wasm } from '../src/wasm/runtime.js';
import { loadNodeWasm } from '../src/wasm/node.js';
import { setWasm } from '../src/wasm/runtime.js';
import { statsFromBlock } from '../src/models/stats.js';
import { standardizeRows } from './helpers/standardize.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/regression_fixture.json', import.meta.url), 'utf8'));
const n = fixture.X.length, p = fixture.X[0].length;
const X = Float64Array.from(fixture.X.flat());
const y = Float64Array.from(fixture.y);
const std = standardizeRows(X, y, n, p);
// 8 pseudo-configurations of 50 rows for the CV
const configs = Array.from({ length: 8 }, (_, c) => {
  const Xc = X.slice(c * 50 * p, (c + 1) * 50 * p);
  const yc = y.slice(c * 50, (c + 1) * 50);
  return { stats: statsFromBlock(Xc, yc, 50, p), evalX: Xc, evalY: yc };
});

function runAll() {
  const path = enetPath(std, { l1Ratio: 0.5, nAlphas: 40, tol: 1e-8, maxIter: 100000 });
  const lasso = enetPath(std, { l1Ratio: 1, nAlphas: 40, tol: 1e-8, maxIter: 100000 });
  const cv = cvEnet(configs, { k: 4, nAlphas: 20 });
  const m = buildModel({ std, wKept: path.coefStd.slice(30 * p, 31 * p), model: 'enet', params: {}, center: 'global' });
  return [path.coefStd, lasso.coefStd, cv.curves[0].foldScores, cv.curves[0].foldMse, predict(m, X)];
}

describe('scalar and SIMD builds agree bit for bit', () => {
  const original = wasm();
  afterAll(() => setWasm(original));
  it('elastic net / lasso paths, CV scores, predictions', () => {
    setWasm(loadNodeWasm(false));
    expect(wasm().simd).toBe(false);
    const scalar = runAll();
    setWasm(loadNodeWasm(true));
    expect(wasm().simd).toBe(true);
    const simd = runAll();
    scalar.forEach((a, i) => {
      expect(a.length).toBe(simd[i].length);
      expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(simd[i].buffer, simd[i].byteOffset, simd[i].byteLength))).toBe(true);
    });
  });
});
