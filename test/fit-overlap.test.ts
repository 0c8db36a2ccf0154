// fitFiles with inherent structures to minimise: one pool task per configuration (minimise, then
// describe, in the same worker: src/node/parallel/minimize-prepare.ts) gives the same fit, bit for
// bit, as the two stages (every minimisation first, then every descriptor: overlapStages false):
// coefficients, CV scores, test predictions, model file, inherent structures, cache entries. A
// second run reads the cache (hits: no minimisation, nothing rewritten) and gives the same numbers;
// a partial cache mixes hits and misses; one thread runs the same handler inline; a configuration
// given twice falls back to the two stages (minimizeMany minimises it once). Real data: ../shared/data/ka3d-T0.44
// (4 configurations, N = 4096, with a loose minimiser rule so that each minimisation takes ~1 s).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveModel } from '../src/models/model-file.js';
import { fitFiles, readConfigurations } from '../src/index.js';
import type { FitFilesOptions, FitFilesResult } from '../src/node/files.js';
import { fitMinimizeOptions } from '../src/node/minimize.js';
import { minimizeAndPrepareFitInputs } from '../src/node/parallel/minimize-prepare.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TRAIN = join(ROOT, '..', 'shared', 'data', 'ka3d-T0.44', 'train');
const haveData = existsSync(TRAIN);
const haveDist = existsSync(join(ROOT, 'dist', 'src', 'node', 'parallel', 'worker.js'));
if (!haveData) console.warn(`fit-overlap.test: ${TRAIN} absent (../shared/data): the overlapped-fit tests are SKIPPED`);
if (!haveDist) console.warn('fit-overlap.test: dist/src/node/parallel/worker.js not built (run `npx tsc -p tsconfig.json`): the overlapped-fit tests are SKIPPED');

const file = (c: number) => join(TRAIN, `isoconfig_N4096T0.44_${c}_tc07.npz`);
// the fit rule (FIRE, then L-BFGS), loosened: FIRE to |F|_2 < 1, L-BFGS to 1e-2 (~900 iterations)
const minimizeOptions = { ...fitMinimizeOptions(), switchFnorm: 1, fnormTol: 1e-2 };
const base: FitFilesOptions = {
  train: [file(1), file(2), file(3)], test: [file(8)], preset: 'KA3D', box: 15.05657646,
  models: ['ridge', 'enet'], bootstrap: 0, minimizeOptions, onWarning: () => {},
  features: { families: ['R', 'P'], levels: [0, 1] },
};

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'gb-overlap-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const bitsEqual = (a: ArrayBufferView, b: ArrayBufferView) => bytes(a).equals(bytes(b));

/** The same fit, bit for bit: every model's coefficients and scores, test predictions, model file, inherent structures. */
function expectSameFit(a: FitFilesResult, b: FitFilesResult, what: string) {
  expect(b.names, what).toEqual(a.names);
  expect(b.models.map((m) => m.model), what).toEqual(a.models.map((m) => m.model));
  a.models.forEach((m, k) => {
    const n = b.models[k];
    const w = `${what}: ${m.model}`;
    expect(m.error, w).toBeUndefined();
    expect(bitsEqual(n.fit.coef, m.fit.coef), `${w} coef`).toBe(true);
    expect(bitsEqual(n.fit.coefStd, m.fit.coefStd), `${w} coefStd`).toBe(true);
    expect(Object.is(n.fit.intercept, m.fit.intercept), `${w} intercept`).toBe(true);
    expect(n.params, w).toEqual(m.params);
    for (const f of ['cvScore', 'cvStd', 'cvMse', 'testPearson'] as const) expect(Object.is(n[f], m[f]), `${w} ${f}`).toBe(true);
    expect(bitsEqual(Float64Array.from(n.testPearsonPerConfig), Float64Array.from(m.testPearsonPerConfig)), `${w} test per config`).toBe(true);
    const folds = (r: typeof m) => Float64Array.from(r.cv!.curves.flatMap((c) => [...c.foldScores, ...c.meanScore]));
    expect(bitsEqual(folds(n), folds(m)), `${w} CV fold scores`).toBe(true);
  });
  expect(b.best.model).toBe(a.best.model);
  a.predictions.forEach((p, k) => {
    const q = b.predictions[k];
    expect(q.name).toBe(p.name);
    expect(bitsEqual(q.indices, p.indices) && bitsEqual(q.truth, p.truth), what).toBe(true);
    for (const m of Object.keys(p.predicted)) expect(bitsEqual(q.predicted[m], p.predicted[m]), `${what}: predictions ${m}`).toBe(true);
  });
  expect(bitsEqual(b.scaler.mean, a.scaler.mean) && bitsEqual(b.scaler.std, a.scaler.std), `${what}: scaler`).toBe(true);
  expect(saveModel(b.model), `${what}: model.json`).toBe(saveModel(a.model));
  [...a.trainConfigurations, ...a.testConfigurations].forEach((c, k) => {
    const d = [...b.trainConfigurations, ...b.testConfigurations][k];
    expect(bitsEqual(d.inherent!, c.inherent!), `${what}: ${c.name} inherent`).toBe(true);
  });
}

/** name -> bytes of every cache entry, and name -> mtime. */
function cacheFiles(dir: string): { bytes: Map<string, Buffer>; mtimes: Map<string, number> } {
  const d = join(dir, 'minimize');
  const names = readdirSync(d).sort();
  return { bytes: new Map(names.map((f) => [f, readFileSync(join(d, f))])), mtimes: new Map(names.map((f) => [f, statSync(join(d, f)).mtimeMs])) };
}

describe.skipIf(!haveData || !haveDist)('fit: minimisation and descriptors in one pool task per configuration (KA3D, 3 train + 1 test)', () => {
  let twoStage: FitFilesResult;
  let overlapped: FitFilesResult;
  const cacheA = tmp();
  const cacheB = tmp();
  beforeAll(() => vi.stubEnv('GLASSBOX_THREADS', '2'));
  afterAll(() => vi.unstubAllEnvs());

  it('the overlapped fit equals the two-stage fit bit for bit; the same cache entries; timing keys', async () => {
    twoStage = await fitFiles({ ...base, cacheDir: cacheA, overlapStages: false });
    overlapped = await fitFiles({ ...base, cacheDir: cacheB });
    expectSameFit(twoStage, overlapped, 'overlapped vs two stages');
    expect(Object.keys(twoStage.timings)).toEqual(expect.arrayContaining(['read', 'minimise', 'descriptors', 'total']));
    expect(Object.keys(overlapped.timings)).toEqual(expect.arrayContaining(['read', 'minimise + descriptors', 'total']));
    expect(Object.keys(overlapped.timings)).not.toContain('minimise');
    expect(Object.keys(overlapped.timings)).not.toContain('descriptors');
    expect(Object.keys(overlapped.timings)[0]).toBe('read');
    expect(Object.keys(overlapped.timings).at(-1)).toBe('total');
    // the cache holds the same entries, byte for byte (positions and metadata)
    const a = cacheFiles(cacheA), b = cacheFiles(cacheB);
    expect([...b.bytes.keys()]).toEqual([...a.bytes.keys()]);
    expect([...b.bytes.keys()].filter((f) => f.endsWith('.npy'))).toHaveLength(4);
    for (const [f, buf] of a.bytes) expect(b.bytes.get(f)!.equals(buf), f).toBe(true);
  }, 120_000);

  it('second run: cache hits (no minimisation, nothing rewritten), the same numbers; a partial cache: hits and misses', async () => {
    const before = cacheFiles(cacheB);
    const again = await fitFiles({ ...base, cacheDir: cacheB });
    expectSameFit(overlapped, again, 'second run');
    expect(cacheFiles(cacheB).mtimes).toEqual(before.mtimes);
    // every configuration a hit, straight from the orchestration
    const train = readConfigurations(base.train, { box: base.box, potential: 'KA3D' });
    const test = readConfigurations(base.test!, { box: base.box, potential: 'KA3D' });
    const got = await minimizeAndPrepareFitInputs(train, test, { potential: 'KA3D' }, 'inherent', undefined, 'KA3D', { options: minimizeOptions, cache: { dir: cacheB } });
    expect(got!.minimized.map((m) => m!.cached)).toEqual([true, true, true, true]);
    expect(got!.minimized.map((m) => m!.seconds)).toEqual([0, 0, 0, 0]);
    [...train, ...test].forEach((c, k) => expect(bitsEqual(c.inherent!, [...overlapped.trainConfigurations, ...overlapped.testConfigurations][k].inherent!)).toBe(true));
    // one entry gone: that configuration is minimised again (and stored again, identical), the others read
    const key = got!.minimized[1]!.cacheKey;
    rmSync(join(cacheB, 'minimize', `${key}.json`));
    rmSync(join(cacheB, 'minimize', `${key}.npy`));
    const mixed = await fitFiles({ ...base, cacheDir: cacheB });
    expectSameFit(overlapped, mixed, 'partial cache');
    const after = cacheFiles(cacheB);
    for (const [f, buf] of before.bytes) expect(after.bytes.get(f)!.equals(buf), f).toBe(true);
    for (const [f, t] of before.mtimes) if (!f.startsWith(key)) expect(after.mtimes.get(f), f).toBe(t);
  }, 120_000);

  it('one thread (inline, no worker) and no cache: the same numbers', async () => {
    vi.stubEnv('GLASSBOX_THREADS', '1');
    try {
      const inline = await fitFiles({ ...base, cache: false });
      expectSameFit(overlapped, inline, 'one thread');
      expect(Object.keys(inline.timings)).toContain('minimise + descriptors');
    } finally {
      vi.stubEnv('GLASSBOX_THREADS', '2');
    }
  }, 120_000);

  it('structure both (thermal | inherent | dIS): minimised in the worker, then both structures described there, as the two stages', async () => {
    const ref = await fitFiles({ ...base, structure: 'both', cacheDir: cacheA, overlapStages: false }); // cache hits: descriptors only
    const one = await fitFiles({ ...base, structure: 'both', cache: false });
    expect(one.names).toContain('dIS');
    expectSameFit(ref, one, 'both');
  }, 120_000);

  it('a configuration given twice (allowOverlap): the two stages, the same inherent structures', async () => {
    const warnings: string[] = [];
    const dup = await fitFiles({ ...base, train: [file(1), file(2), file(3), file(2)], cacheDir: cacheB, allowOverlap: true, onWarning: (m) => warnings.push(m) });
    expect(warnings.some((w) => /is the same configuration as/.test(w))).toBe(true);
    expect(Object.keys(dup.timings)).toEqual(expect.arrayContaining(['minimise', 'descriptors']));
    expect(Object.keys(dup.timings)).not.toContain('minimise + descriptors');
    const byName = new Map(overlapped.trainConfigurations.map((c) => [c.name, c.inherent!]));
    for (const c of dup.trainConfigurations) expect(bitsEqual(c.inherent!, byName.get(c.name)!), c.name).toBe(true);
  }, 120_000);
});
