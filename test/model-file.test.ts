import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModel, loadModel, predictModel as predict, fitMatrix, InputError } from '../src/index.js';
import { buildModel, coefFromStandardized, linearFitFromModel } from '../src/models/model-file.js';
import { run as regress } from '../src/cli/regress.js';
import { standardizeRows, syntheticData, rng } from './helpers/standardize.js';
import { writeNpy } from '../src/io/npy.js';
const npyBytes = (data: Float64Array | Int32Array, shape: number[]) => writeNpy({ shape, data });

const fixture = JSON.parse(readFileSync(new URL('./fixtures/regression_fixture.json', import.meta.url), 'utf8'));
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

async function captureRun(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const log = console.log, error = console.error;
  let out = '', err = '';
  console.log = (...a: unknown[]) => { out += a.join(' ') + '\n'; };
  console.error = (...a: unknown[]) => { err += a.join(' ') + '\n'; };
  try {
    const code = await regress(argv);
    return { code, out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

// 10 configurations x 30 rows, 6 columns (one constant), per-configuration offsets
const NC = 10, R = 30, P = 6;
const syn = syntheticData(21, NC * R, P, 2, 0.4);
const r = rng(3);
const groups = new Int32Array(NC * R);
for (let c = 0; c < NC; c++) {
  const dy = 2 * r() - 1;
  for (let i = 0; i < R; i++) {
    const row = c * R + i;
    groups[row] = 100 + ((c * 7) % NC); // labels not in order: folds follow first appearance
    syn.y[row] += dy;
    syn.X[row * P + 4] = 1.5; // constant column
    syn.X[row * P + 1] += dy;
  }
}
const names = ['a', 'b', 'c', 'd', 'const', 'f'];

describe('model file', () => {
  const std = standardizeRows(syn.X, syn.y, NC * R, P);
  const w = Float64Array.from({ length: std.p }, (_, j) => 0.1 * (j + 1) * (j % 2 ? -1 : 1));
  const m = buildModel({ std, wKept: w, model: 'enet', params: { alpha: 0.1, l1Ratio: 0.5 }, center: 'global', names });
  it('coefficients in both units; the constant column is dropped with coefficient 0', () => {
    expect(Array.from(std.dropped)).toEqual([4]);
    expect(m.coef[4]).toBe(0);
    expect(m.coefStd[4]).toBe(0);
    const c = coefFromStandardized(std, w);
    expect(Array.from(c.coef)).toEqual(m.coef);
    const lf = linearFitFromModel(m, { nIter: 3 });
    expect(lf.dropped).toEqual(['const']);
    expect(Array.from(lf.coef)).toEqual(m.coef);
    expect(lf.info).toEqual({ nIter: 3 });
    // intercept + coef . x equals ybar + sum w (x - mean)/std on every row
    const pred = predict(m, syn.X);
    for (let i = 0; i < 20; i++) {
      let s = std.yMean;
      for (let j = 0; j < std.p; j++) s += (w[j] * (syn.X[i * P + std.kept[j]] - std.mean[j])) / std.std[j];
      expect(pred[i]).toBeCloseTo(s, 12);
    }
  });
  it('save -> load round-trips exactly and predicts the same numbers', () => {
    const text = saveModel(m);
    const back = loadModel(text, 'm.json');
    expect(back).toEqual(m);
    expect(Array.from(predict(back, syn.X))).toEqual(Array.from(predict(m, syn.X)));
  });
  it('a file from another version is an InputError naming the version', () => {
    const o = JSON.parse(saveModel(m));
    o.version = 2;
    expect(() => loadModel(JSON.stringify(o), 'old.json')).toThrow(InputError);
    expect(() => loadModel(JSON.stringify(o), 'old.json')).toThrow(/old\.json: model file version 2 is not supported/);
  });
  it('malformed files are InputErrors naming the field', () => {
    const o = JSON.parse(saveModel(m));
    expect(() => loadModel({ ...o, coef: o.coef.slice(1) })).toThrow(/"coef" has 5 entries, expected 6/);
    expect(() => loadModel({ ...o, format: 'other' })).toThrow(/"format"/);
    expect(() => loadModel({ ...o, center: 'both' })).toThrow(/"center"/);
    expect(() => loadModel({ ...o, scaler: { ...o.scaler, kept: [0, 0, 1, 2, 3] } })).toThrow(/scaler\.kept/);
    expect(() => loadModel('{not json')).toThrow(/not JSON/);
    const { cv, ...noCv } = o;
    expect(() => loadModel(noCv)).toThrow(/"cv" is missing/);
  });
  it('per-config prediction centres each configuration with its own means', () => {
    const mp = { ...m, center: 'per-config' as const };
    const pred = predict(mp, syn.X, { groups });
    for (const g of [100, 107]) {
      const rows = Array.from(groups.keys()).filter((i) => groups[i] === g);
      const mx = new Float64Array(P);
      for (const i of rows) for (let j = 0; j < P; j++) mx[j] += syn.X[i * P + j] / rows.length;
      for (const i of rows.slice(0, 5)) {
        let s = m.intercept;
        for (let j = 0; j < P; j++) s += m.coef[j] * (syn.X[i * P + j] - mx[j]);
        expect(pred[i]).toBeCloseTo(s, 12);
      }
    }
  });
});

describe('glassbox regress (CLI) and fitMatrix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glassbox-regress-'));
  const fx = join(dir, 'X.npy'), fy = join(dir, 'y.npy'), fg = join(dir, 'g.npy'), fn = join(dir, 'names.json');
  writeFileSync(fx, npyBytes(syn.X, [NC * R, P]));
  writeFileSync(fy, npyBytes(syn.y, [NC * R]));
  writeFileSync(fg, npyBytes(groups, [NC * R]));
  writeFileSync(fn, JSON.stringify(names));

  it('reproduces the fixture elastic net (0.01, 0.5) from .npy files, original units', async () => {
    const n = fixture.X.length, p = fixture.X[0].length;
    const X = Float64Array.from(fixture.X.flat());
    const y = Float64Array.from(fixture.y);
    writeFileSync(join(dir, 'fX.npy'), npyBytes(X, [n, p]));
    writeFileSync(join(dir, 'fy.npy'), npyBytes(y, [n]));
    const e = fixture.enet[0];
    const { code, out } = await captureRun(['--x', join(dir, 'fX.npy'), '--y', join(dir, 'fy.npy'), '--model', 'enet', '--alpha', String(e.alpha), '--l1-ratio', String(e.l1_ratio), '--tol', '1e-10', '--max-iter', '100000', '--center', 'global', '--json']);
    expect(code).toBe(0);
    const res = JSON.parse(out);
    expect(res.model).toBe('enet');
    expect(res.params).toEqual({ alpha: e.alpha, l1Ratio: e.l1_ratio });
    expect(res.cv).toBe(null);
    expect(maxAbsDiff(res.coefStd, e.coef_std)).toBeLessThan(1e-6 * maxAbs(e.coef_std));
    expect(maxAbsDiff(res.coef, e.coef)).toBeLessThan(1e-6 * maxAbs(e.coef));
    expect(Math.abs(res.intercept - e.intercept)).toBeLessThan(1e-6 * Math.abs(e.intercept));
  });
  it('without --alpha: alpha chosen by grouped CV; the JSON matches fitMatrix; --save writes a loadable model', async () => {
    const save = join(dir, 'model.json');
    const { code, out } = await captureRun(['--x', fx, '--y', fy, '--groups', fg, '--names', fn, '--model', 'enet', '--cv', '5', '--save', save, '--json']);
    expect(code).toBe(0);
    const res = JSON.parse(out);
    const api = fitMatrix(syn.X, syn.y, NC * R, P, { model: 'enet', groups, names, cv: 5 });
    expect(res.coef).toEqual(api.model.coef);
    expect(res.intercept).toBe(api.model.intercept);
    expect(res.center).toBe('per-config');
    expect(res.dropped).toEqual(['const']);
    expect(res.cv.k).toBe(5);
    expect(res.cv.curves[0].grid.length).toBe(100);
    expect(res.params.alpha).toBe(res.cv.best.params.alpha);
    expect(res.cv.best.score).toBe(Math.max(...res.cv.curves[0].meanScore));
    const m = loadModel(readFileSync(save, 'utf8'), save);
    expect(m.coef).toEqual(res.coef);
    expect(m.cv).not.toBe(null);
    // folds follow the order of first appearance of the labels
    expect(res.cv.folds).toEqual([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
  });
  it('lasso model name, human-readable output', async () => {
    const { code, out } = await captureRun(['--x', fx, '--y', fy, '--groups', fg, '--model', 'enet', '--l1-ratio', '1', '--alpha', '0.05']);
    expect(code).toBe(0);
    expect(out).toMatch(/^lasso \{"alpha":0\.05,"l1Ratio":1\}/);
  });
  it('errors: choosing alpha without configurations, bad options, bad files', async () => {
    await expect(captureRun(['--x', fx, '--y', fy, '--model', 'enet'])).rejects.toThrow(/give --groups/);
    await expect(captureRun(['--x', fx, '--y', fy, '--model', 'svm'])).rejects.toThrow(/--model must be one of .*got "svm"/);
    await expect(captureRun(['--x', fx, '--y', fy, '--model', 'enet', '--alpha', 'x'])).rejects.toThrow(/--alpha expects a number/);
    await expect(captureRun(['--x', fy, '--y', fy, '--model', 'enet', '--alpha', '1'])).rejects.toThrow(/expected a 2-D matrix/);
    await expect(captureRun(['--x', fx, '--y', fx, '--model', 'enet', '--alpha', '1'])).rejects.toThrow(/expected 300 values/);
    await expect(captureRun(['--x', join(dir, 'nope.npy'), '--y', fy, '--model', 'enet', '--alpha', '1'])).rejects.toThrow(InputError);
    writeFileSync(join(dir, 'bad.npy'), new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
    await expect(captureRun(['--x', join(dir, 'bad.npy'), '--y', fy, '--model', 'enet', '--alpha', '1'])).rejects.toThrow(/bad\.npy \[magic\]: not an \.npy file/);
  });

});
