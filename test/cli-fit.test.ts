// End to end: glassbox fit and glassbox predict on the embedded KA 3D data (data/ka3d-T0.44-mini,
// stored propensities and inherent structures, so nothing is minimised), called in-process with the
// console captured. Checks the files and the --json keys, that a saved model predicts the fit's
// test Pearson exactly again, and that each mistake a user will make gives one clear message,
// a non-zero exit through main(), and writes nothing.
import { mulberry32 as rng } from '../src/models/diagnostics.js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystem, fitFiles, InputError, loadModel, predictFiles, saveModel, writeXyz } from '../src/index.js';
import { pearson } from '../src/models/pearson.js';
import { readXyz } from '../src/io/xyz.js';
import { parseNpy } from './helpers/npy.js';

const { main } = await import('../src/cli/main.js');
const fitCli = await import('../src/cli/fit.js');
const predictCli = await import('../src/cli/predict.js');

const DATA = new URL('../data/ka3d-T0.44-mini/', import.meta.url).pathname;
const cfg = (i: number) => join(DATA, `config${i}.npz`);
const dir = mkdtempSync(join(tmpdir(), 'gbfit-'));
const cache = join(dir, 'cache');

/** Run an async function with console.log / console.error captured. */
async function capture(f: () => Promise<number>): Promise<{ code: number | undefined; out: string; err: string[]; thrown?: unknown }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await f(), out: out.join('\n'), err };
  } catch (e) {
    return { code: undefined, out: out.join('\n'), err, thrown: e };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}


/** A jittered lattice (no close pairs) of m^dim particles in a box of side L, 80:20 species, a target column. */
function lattice(dim: 2 | 3, m: number, L: number, labels: [string, string], seed: number) {
  const r = rng(seed);
  const pos: number[] = [];
  const types: string[] = [];
  const target: number[] = [];
  const a = L / m;
  const n = m ** dim;
  for (let k = 0; k < n; k++) {
    const idx = dim === 3 ? [k % m, Math.floor(k / m) % m, Math.floor(k / (m * m))] : [k % m, Math.floor(k / m)];
    for (const c of idx) pos.push((c + 0.5 + 0.2 * (r() - 0.5)) * a);
    types.push(r() < 0.8 ? labels[0] : labels[1]);
    target.push(r());
  }
  return { pos, types, target, n };
}

/** Extended XYZ without Lattice: the box must come from --box. */
function plainXyz(path: string, dim: 3, m: number, L: number, seed: number): void {
  const s = lattice(dim, m, L, ['A', 'B'], seed);
  const lines = [String(s.n), 'Properties=species:S:1:pos:R:3:abs_propensity:R:1'];
  for (let i = 0; i < s.n; i++) lines.push(`${s.types[i]} ${s.pos.slice(3 * i, 3 * i + 3).join(' ')} ${s.target[i]}`);
  writeFileSync(path, lines.join('\n') + '\n');
}

/** A 2D configuration (extended XYZ with Lattice, pbc T T F) with species A/B and abs_propensity. */
function xyz2d(path: string): void {
  const s = lattice(2, 14, 13, ['A', 'B'], 7);
  const sys = createSystem({ dim: 2, box: [13, 13], positions: s.pos, types: s.types, columns: { abs_propensity: Float64Array.from(s.target) } });
  writeFileSync(path, writeXyz(sys));
}

/** A 3D configuration (Lattice) of species A/B, for the species-set mismatch against 0/1 labels. */
function xyz3dAB(path: string): void {
  const s = lattice(3, 9, 11, ['A', 'B'], 11);
  const sys = createSystem({ dim: 3, box: [11, 11, 11], positions: s.pos, types: s.types, columns: { abs_propensity: Float64Array.from(s.target) } });
  writeFileSync(path, writeXyz(sys));
}

function snapshot(files: string[]): string[] {
  return files.map((f) => (existsSync(f) ? `${statSync(f).mtimeMs}:${readFileSync(f, 'utf8').length}:${readFileSync(f, 'utf8').slice(0, 200)}` : 'absent'));
}

afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// one full default-data run (ridge, no bootstrap) shared by the tests below
const outDir = join(dir, 'out');
let fitJson: any;
let fitRun: Awaited<ReturnType<typeof capture>>;
beforeAll(async () => {
  fitRun = await capture(() => fitCli.run(['--default-data', '--model', 'ridge', '--bootstrap', '0', '--out', outDir, '--cache', cache, '--json']));
  if (fitRun.thrown) throw fitRun.thrown;
  fitJson = JSON.parse(fitRun.out);
});

describe('glassbox fit (embedded KA 3D data)', () => {
  it('writes model.json, results.json and report.html; --json has the documented keys', () => {
    expect(fitRun.code).toBe(0);
    for (const f of ['model.json', 'results.json', 'report.html']) expect(existsSync(join(outDir, f))).toBe(true);
    expect(Object.keys(fitJson)).toEqual(expect.arrayContaining(['models', 'features', 'timings']));
    expect(fitJson.features).toBe(596); // default descriptors of a binary 3D mixture with a potential
    expect(fitJson.models).toHaveLength(1);
    const m = fitJson.models[0];
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['model', 'params', 'cvScore', 'testPearson', 'testPearsonPerConfig', 'nonzero']));
    expect(m.model).toBe('ridge');
    expect(typeof m.params.alpha).toBe('number');
    expect(m.testPearsonPerConfig).toHaveLength(2);
    expect(m.testPearson).toBeCloseTo((m.testPearsonPerConfig[0] + m.testPearsonPerConfig[1]) / 2, 14);
    // a real signal on held-out configurations (the embedded data reach about 0.7 with ridge)
    expect(m.testPearson).toBeGreaterThan(0.6);
    expect(m.cvScore).toBeGreaterThan(0.5);
    expect(m.nonzero).toBeGreaterThan(0);
    expect(m.nonzero).toBeLessThanOrEqual(596);
    for (const k of ['read', 'descriptors', 'total']) expect(typeof fitJson.timings[k]).toBe('number');
    expect(fitJson.species).toBe('A');
    expect(fitJson.structure).toBe('inherent');
    const saved = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
    expect(saved.models).toEqual(fitJson.models);
    const model = loadModel(readFileSync(join(outDir, 'model.json'), 'utf8'));
    expect(model.model).toBe('ridge');
    expect(model.params.alpha).toBe(m.params.alpha);
    expect(model.featureOptions).toMatchObject({ species: 'A', structure: 'inherent', dim: 3, labels: ['A', 'B'], target: 'abs', descriptors: { potential: 'KA3D' } });
  });

  it('prints the table (thermal structure, two training configurations)', async () => {
    const r = await capture(() => main(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', cfg(9), '--preset', 'KA3D', '--structure', 'thermal', '--model', 'ridge,ols', '--bootstrap', '0', '--cache', cache]));
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^glassbox fit: 2 training \/ 1 test configurations, species A, 6554 training rows x 596 descriptors \(thermal structure, per-config centring\)/);
    expect(lines[1]).toMatch(/^model\s+params\s+CV r \(mean ± sd\)\s+test r\s+test r per configuration\s+nonzero$/);
    expect(r.out).toMatch(/^ridge( \*)?\s+alpha=\S+\s+0\.\d{3} ± 0\.\d{3}\s+0\.\d{3}\s+0\.\d{3}\s+596\/596$/m);
    expect(r.out).toMatch(/^ols( \*)?\s+-\s+/m);
  });
});

describe('glassbox predict', () => {
  it('the saved model reproduces the fit test Pearson per configuration (xyz, npy, --json)', async () => {
    const model = join(outDir, 'model.json');
    const xyz = join(dir, 'pred9.xyz');
    const r = await capture(() => predictCli.run(['--model', model, cfg(9), '-o', xyz, '--cache', cache]));
    expect(r.thrown).toBeUndefined();
    expect(r.out).toMatch(/config9\.npz: 4096 particles, Pearson r on species A = (0\.\d{3})/);
    expect(r.out).toContain(`= ${fitJson.models[0].testPearsonPerConfig[0].toFixed(3)} (column abs_propensity)`);
    // the file: species, positions, propensity_pred, propensity_true; r recomputed from its columns
    const [frame] = readXyz(readFileSync(xyz, 'utf8'));
    const sys = frame.system;
    expect(sys.n).toBe(4096);
    expect(sys.labels).toEqual(['A', 'B']);
    expect(frame.info.pearson).toBeDefined();
    const pred = sys.columns.propensity_pred as Float64Array;
    const truth = sys.columns.propensity_true as Float64Array;
    const a = [...Array(sys.n).keys()].filter((i) => sys.labels[sys.species[i]] === 'A');
    expect(a.length).toBe(3277);
    const rFile = pearson(a.map((i) => pred[i]), a.map((i) => truth[i]));
    expect(rFile).toBeCloseTo(fitJson.models[0].testPearsonPerConfig[0], 12);
    // per-config model: deviations from the configuration's mean over species A
    expect(a.reduce((s, i) => s + pred[i], 0) / a.length).toBeCloseTo(loadModel(readFileSync(model, 'utf8')).intercept, 10);

    // .npy of two configurations (configs, N) with the metadata beside it; --json summary
    const npy = join(dir, 'pred.npy');
    const rj = await capture(() => predictCli.run(['--model', model, cfg(9), cfg(10), '-o', npy, '--json', '--cache', cache]));
    expect(rj.thrown).toBeUndefined();
    const js = JSON.parse(rj.out);
    expect(js.configurations.map((c: any) => c.pearson)).toEqual([
      expect.closeTo(fitJson.models[0].testPearsonPerConfig[0], 12),
      expect.closeTo(fitJson.models[0].testPearsonPerConfig[1], 12),
    ]);
    expect(js.meanPearson).toBeCloseTo(fitJson.models[0].testPearson, 12);
    const arr = parseNpy(new Uint8Array(readFileSync(npy)));
    expect(arr.shape).toEqual([2, 4096]);
    expect(Array.from((arr.data as Float64Array).subarray(0, 4096))).toEqual(Array.from(pred));
    const meta = JSON.parse(readFileSync(join(dir, 'pred.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ model, modelKind: 'ridge', center: 'per-config', modelSpecies: 'A', shape: [2, 4096] });
    expect(meta.note).toMatch(/deviations from the configuration's mean propensity of species A/);
    expect(meta.species).toHaveLength(2);
    expect(meta.species[0]).toEqual(Array.from(sys.species, (s) => sys.labels[s]));

    // one configuration -> shape (N,)
    const npy1 = join(dir, 'one.npy');
    expect((await capture(() => predictCli.run(['--model', model, cfg(10), '-o', npy1, '--quiet', '--cache', cache]))).code).toBe(0);
    expect(parseNpy(new Uint8Array(readFileSync(npy1))).shape).toEqual([4096]);
  });

  it('testTargetColumn: test files may carry their target in another column (xyz vs npz)', async () => {
    const { readSystems } = await import('../src/index.js');
    const sys = readSystems(cfg(9)).frames[0].system;
    const col = sys.columns.abs_propensity as Float64Array;
    const f = join(dir, 'config9-dr.xyz');
    writeFileSync(f, writeXyz({ system: { ...sys, columns: {} }, columns: { dr: col } }));
    const common = { train: [cfg(1), cfg(2), cfg(3)], preset: 'KA3D', structure: 'thermal' as const, models: ['ridge' as const], bootstrap: 0, folds: 3 };
    const a = await fitFiles({ ...common, test: [cfg(9)] });
    const b = await fitFiles({ ...common, test: [f], testTargetColumn: 'dr' });
    expect(b.models[0].testPearsonPerConfig[0]).toBeCloseTo(a.models[0].testPearsonPerConfig[0], 12);
    await expect(fitFiles({ ...common, test: [f] })).rejects.toThrow(/no target|column/);
  });

  it('API: fitFiles (what the CLI runs) then predictFiles give the same numbers', async () => {
    const features = { families: ['R', 'P'] as ('R' | 'P')[], levels: [0], K: 8 };
    const r = await fitFiles({ train: [cfg(1), cfg(2)], test: [cfg(9)], preset: 'KA3D', features, structure: 'thermal', models: ['ridge'], bootstrap: 0, cacheDir: cache });
    expect(r.testConfigs).toEqual([cfg(9)]);
    expect(r.model.featureOptions).toMatchObject({ structure: 'thermal', species: 'A', descriptors: { potential: 'KA3D', K: 8 } });
    const path = join(dir, 'small-model.json');
    writeFileSync(path, saveModel(r.model));
    const p = await predictFiles(path, [cfg(9)], { cacheDir: cache });
    expect(p.written).toEqual([]);
    expect(p.predictions[0].pearson).toBeCloseTo(r.best.testPearsonPerConfig[0], 12);
    expect(p.predictions[0].values.length).toBe(4096);
  });
});

describe('glassbox predict on a file without a stored inherent structure', () => {
  it('minimises through the cache (FIRE, KA3D) and predicts', async () => {
    const f = join(dir, 'fresh.xyz');
    xyz3dAB(f);
    const c = join(dir, 'fresh-cache');
    const p1 = await predictFiles(join(outDir, 'model.json'), [f], { cacheDir: c, out: join(dir, 'fresh-pred.xyz') });
    expect(p1.predictions[0].values.length).toBe(729);
    expect(Number.isFinite(p1.predictions[0].pearson!)).toBe(true);
    expect(readdirSync(c, { recursive: true }).length).toBeGreaterThan(0);
    // the second time the cached minimum is used: identical numbers
    const p2 = await predictFiles(join(outDir, 'model.json'), [f], { cacheDir: c });
    expect(Array.from(p2.predictions[0].values)).toEqual(Array.from(p1.predictions[0].values));
  });
});

describe('user errors: one clear message, non-zero exit, nothing written', () => {
  const small = join(dir, 'small1.xyz');
  const small2 = join(dir, 'small2.xyz');
  const twoD = join(dir, 'ka2d-like.xyz');
  const ab3d = join(dir, 'ab3d.xyz');
  beforeAll(() => {
    plainXyz(small, 3, 7, 8, 1);
    plainXyz(small2, 3, 7, 8, 2);
    xyz2d(twoD);
    xyz3dAB(ab3d);
  });

  /** main(argv) must exit 2 with exactly one stderr line matching `re`, and create none of `files`. */
  async function expectUserError(argv: string[], re: RegExp, files: string[] = []) {
    const before = snapshot(files);
    const r = await capture(() => main(argv));
    expect(r.thrown).toBeUndefined();
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^glassbox ${argv[0]}: `));
    expect(r.err[0]).toMatch(re);
    expect(snapshot(files)).toEqual(before);
    return r.err[0];
  }
  const fitOut = () => join(dir, `never-${Math.random().toString(36).slice(2)}`);
  const base = ['--bootstrap', '0', '--model', 'ridge', '--cache', cache];

  it('fit: wrong box, box smaller than twice a cutoff', async () => {
    let o = fitOut();
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', cfg(9), '--box', '10', '--out', o, ...base], /file's box \(15\.05\d* x .*\) differs from the box given \(10 x 10 x 10\)/, [o]);
    o = fitOut();
    const msg = await expectUserError(['fit', '--train', `${small},${small2}`, '--test', small, '--box', '8', '--preset', 'KA3D', '--out', o, ...base], /scale L = 5 exceeds half the smallest box side 4 \(box 8 x 8 x 8/, [o]);
    expect(msg).toContain('small1.xyz');
    // without --box the file has no box at all
    await expectUserError(['fit', '--train', `${small},${small2}`, '--test', small, '--out', o, ...base], /stores no box and none was given/, [o]);
  });

  it('fit: target column missing, unknown target, species not present', async () => {
    const o = fitOut();
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', cfg(9), '--target-column', 'dr_8', '--out', o, ...base], /config1\.npz: target column "dr_8" is missing \(columns: abs_propensity, msd_propensity\)/, [o]);
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', cfg(9), '--target', 'cage_abs', '--out', o, ...base], /no target for "cage_abs"/, [o]);
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', cfg(9), '--preset', 'KA3D', '--species', 'C', '--out', o, ...base], /species "C" is not present \(species: A, B\)/, [o]);
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', cfg(9), '--folds', '1', '--out', o, ...base], /--folds expects an integer >= 2/, [o]);
    await expectUserError(['fit', '--train', cfg(1), '--test', cfg(9), '--cv', 'configs', '--out', o, ...base], /at least 2 training configurations/, [o]);
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--cv', 'slabs', '--out', o, ...base], /--cv must be one of blocks, configs, got "slabs"/, [o]);
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--buffer=-1', '--out', o, ...base], /--buffer expects a number >= 0, got "-1"/, [o]);
  });

  it('fit: bad --structure or cage options', async () => {
    const o = fitOut();
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', cfg(9), '--preset', 'KA3D', '--structure', 'inherent,foo', '--out', o, ...base], /--structure: unknown part "foo"/, [o]);
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', cfg(9), '--preset', 'KA3D', '--structure', 'cage', '--cage-runs', '0', '--out', o, ...base], /cage option runs must be an integer >= 1/, [o]);
  });

  it('fit: train and test with different dimension or species sets', async () => {
    const o = fitOut();
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', twoD, '--preset', 'KA3D', '--structure', 'thermal', '--out', o, ...base], /ka2d-like\.xyz: its descriptors cannot be compared with .*config1\.npz's: it is 2D, .* is 3D/, [o]);
    // without a preset the npz species are the integer codes 0/1; the XYZ file says A/B
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', ab3d, '--out', o, ...base], /ab3d\.xyz: .*its species are \[A, B\], .*config1\.npz's are \[0, 1\]/, [o]);
    // with the preset, a third species has no parameters
    const abc = join(dir, 'abc.xyz');
    writeFileSync(abc, readFileSync(ab3d, 'utf8').replace(/^B /m, 'C '));
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', abc, '--preset', 'KA3D', '--out', o, ...base], /abc\.xyz: .*KA3D/, [o]);
  });

  const KA2D = new URL('../../shared/data/ka2d-T0.23/N1290T0.23_151_tc40.npz', import.meta.url).pathname;
  it.skipIf(!existsSync(KA2D))('the real KA2D file (../shared) against the 3D data and model', async () => {
    const o = fitOut();
    await expectUserError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', KA2D, '--preset', 'KA3D', '--out', o, ...base], /N1290T0\.23_151_tc40\.npz: .*it is 2D, .*config1\.npz is 3D/, [o]);
    const out = join(dir, 'never-ka2d.xyz');
    await expectUserError(['predict', '--model', join(outDir, 'model.json'), KA2D, '-o', out], /it is 2D, the model's training data were 3D/, [out]);
  });
  if (!existsSync(KA2D)) console.warn(`skipping the real KA2D check: ${KA2D} is absent`);

  const KA2D35 = new URL('../../shared/data/ka2d-T0.23/N1290T0.23_151_tc35.npz', import.meta.url).pathname;
  it.skipIf(!existsSync(KA2D35))('one configuration: spatial-block CV with the descriptors\' reach as buffer and a held-out slab (issue 9 acceptance, ridge only)', async () => {
    const r = await capture(() => main(['fit', '--train', KA2D35, '--preset', 'KA2D', '--target', 'cage_abs', '--json', '--model', 'ridge', '--bootstrap', '0', '--cache', cache]));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.cv).toMatchObject({ method: 'blocks', blocks: 16, blocksPerAxis: 4, buffer: 7.5, folds: 5 });
    expect(j.cv.reach).toMatch(/^7\.5 \(R\/A: r_R 2\.8 \+ 2 x r_c 2 = 6\.8; P: max scale 5 = 5; E: V cutoff 2\.5 \+ max scale 5 = 7\.5\)/);
    expect(j.cv.rowsDropped).toBeGreaterThan(0);
    expect(j.cv.rowsDropped).toBe(j.cv.rowsDroppedPerFold.reduce((a: number, b: number) => a + b, 0));
    expect(j.cv.slab.testRows).toBeGreaterThan(100);
    expect(j.test[0]).toMatch(/held-out slab/);
    expect(Number.isFinite(j.models[0].cvScore)).toBe(true);
    expect(Number.isFinite(j.models[0].testPearson)).toBe(true);
    expect(j.interpretability.ridgeTrace.alphas).toHaveLength(33);
    expect(Number.isFinite(j.interpretability.reproducibility.ridge)).toBe(true);
  }, 120_000);

  it('fit: existing outputs are not overwritten without --force', async () => {
    const files = ['model.json', 'results.json', 'report.html'].map((f) => join(outDir, f));
    await expectUserError(['fit', '--default-data', '--out', outDir, ...base], /model\.json.*already exist.*use --force/, files);
  });

  it('predict: model from another version, a regress model, errors of the files', async () => {
    const good = readFileSync(join(outDir, 'model.json'), 'utf8');
    const v2 = join(dir, 'model-v2.json');
    writeFileSync(v2, good.replace('"version": 1', '"version": 2'));
    const out = join(dir, 'never.xyz');
    await expectUserError(['predict', '--model', v2, cfg(9), '-o', out], /model-v2\.json: model file version 2 is not supported \(this glassbox reads version 1\)/, [out]);
    const reg = join(dir, 'model-regress.json');
    writeFileSync(reg, JSON.stringify({ ...JSON.parse(good), featureOptions: null }));
    await expectUserError(['predict', '--model', reg, cfg(9), '-o', out], /fitted on a feature matrix \(glassbox regress\)/, [out]);
    await expectUserError(['predict', '--model', join(dir, 'nope.json'), cfg(9), '-o', out], /nope\.json: no such file/, [out]);
    const model = join(outDir, 'model.json');
    await expectUserError(['predict', '--model', model, cfg(9), '-o', out, '--box', '10'], /differs from the box given/, [out]);
    await expectUserError(['predict', '--model', model, small, '-o', out, '--box', '8'], /scale L = 5 exceeds half the smallest box side 4/, [out]);
    await expectUserError(['predict', '--model', model, twoD, '-o', out], /ka2d-like\.xyz: its descriptors cannot be compared with the model \(.*model\.json\)'s: it is 2D, the model's training data were 3D/, [out]);
    await expectUserError(['predict', '--model', model, cfg(9), '-o', out, '--target-column', 'dr_8'], /target column "dr_8" is missing/, [out]);
    await expectUserError(['predict', '--model', model, cfg(9), '-o', join(dir, 'x.csv')], /expected a \.xyz, \.extxyz or \.npy file name/);
  });

  it('predict: existing outputs (and inputs) are not overwritten without --force', async () => {
    const model = join(outDir, 'model.json');
    const xyz = join(dir, 'exists.xyz');
    writeFileSync(xyz, 'keep me\n');
    await expectUserError(['predict', '--model', model, cfg(9), '-o', xyz], /exists\.xyz already exists: refusing to overwrite \(use --force\)/, [xyz]);
    // only the .npy's metadata exists: still refused, and the .npy is not created
    const meta = join(dir, 'm.meta.json');
    writeFileSync(meta, '{}\n');
    await expectUserError(['predict', '--model', model, cfg(9), '-o', join(dir, 'm.npy')], /m\.meta\.json already exists/, [meta, join(dir, 'm.npy')]);
    // the model itself as output: refused even with --force
    const copy = join(dir, 'model-copy.xyz');
    writeFileSync(copy, readFileSync(model));
    await expectUserError(['predict', '--model', copy, cfg(9), '-o', copy, '--force'], /one of the inputs/, [copy]);
    // --force overwrites; --species-names writes chemical symbols for ASE
    const r = await capture(() => main(['predict', '--model', model, cfg(9), '-o', xyz, '--force', '--cache', cache, '--species-names', 'A=Ni,B=P']));
    expect(r.code).toBe(0);
    const text = readFileSync(xyz, 'utf8');
    expect(text.startsWith('4096\n')).toBe(true);
    const species = new Set(text.split('\n').slice(2, 4098).map((l) => l.split(' ')[0]));
    expect([...species].sort()).toEqual(['Ni', 'P']);
  });

  it('errors are InputErrors when run() is called directly', async () => {
    const r = await capture(() => predictCli.run(['--model', join(outDir, 'model.json'), twoD, '-o', join(dir, 'never2.xyz')]));
    expect(r.thrown).toBeInstanceOf(InputError);
  });
});
