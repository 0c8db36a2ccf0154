import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSystem,
  propensity,
  readSystems,
  readIsoconfigFile,
  readNpy,
  boxForDensity,
  InputError,
  writeOutputFile,
  type System,
} from '../src/index.js';
import { propensityReference } from '../src/reference/targets.js';
import { run as propensityRun } from '../src/cli/propensity.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
const HAVE_SHARED = existsSync(join(SHARED, 'data')) && existsSync(join(SHARED, 'golden'));
if (!HAVE_SHARED) console.warn(`[targets.test] ${SHARED} is absent: the shared-data propensity tests are SKIPPED`);


/** max_i |got_i - want_i| / max(|want_i|, floor) */
function maxRel(got: ArrayLike<number>, want: ArrayLike<number>, floor = 1e-12): number {
  expect(got.length).toBe(want.length);
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), floor));
  return m;
}

const quiet = { onWarning: () => {} };

describe('golden small random systems (test/fixtures/small_random_*.json)', () => {
  for (const name of ['small_random_3d', 'small_random_2d']) {
    it(`${name}: abs, msd, cage_abs to 1e-10 relative`, () => {
      const g = JSON.parse(readFileSync(join(FIX, `${name}.json`), 'utf8'));
      const t = g.targets;
      const sys = createSystem({ dim: g.dim, box: g.box, positions: t.reference_positions.flat(), types: g.species.map(String) });
      const runs = t.runs.map((r: number[][]) => Float64Array.from(r.flat()));
      const warn = vi.fn();
      for (const kind of ['abs', 'msd', 'cage_abs'] as const) {
        const p = propensity(sys, runs, kind, { onWarning: warn });
        expect(maxRel(p, t[kind]), kind).toBeLessThan(1e-10);
        // the plain TS reference agrees too
        expect(maxRel(propensityReference(sys, runs, kind), t[kind]), kind).toBeLessThan(1e-10);
      }
      // runs are unwrapped (particles 0-4 moved by a whole box): no minimum image, no warning
      expect(warn).not.toHaveBeenCalled();
      expect(propensity(sys, runs, 'abs', quiet)[0]).toBeGreaterThan(0.9 * g.box[0]);
    });
  }
});

describe('wasm kernel vs plain TS reference (property)', () => {
  it('random systems, 2D and 3D, small boxes, unwrapped and wrapped runs, cage radius up to half the box', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom<2 | 3>(2, 3),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0.3, max: 1, noNaN: true }),
        fc.boolean(),
        (seed, n, dim, m, radFrac, wrapRuns) => {
          const r = rng(seed);
          const box = Array.from({ length: dim }, () => 3 + r() * 4);
          const ref = new Float64Array(n * dim);
          for (let i = 0; i < n * dim; i++) ref[i] = (r() * 3 - 1) * box[i % dim];
          const runs = Array.from({ length: m }, () => {
            const x = new Float64Array(n * dim);
            for (let i = 0; i < n * dim; i++) {
              x[i] = ref[i] + (r() - 0.5) * 1.2 + (r() < 0.1 ? box[i % dim] * Math.round(r() * 4 - 2) : 0);
              if (wrapRuns) x[i] -= box[i % dim] * Math.floor(x[i] / box[i % dim]);
            }
            return x;
          });
          const sys = createSystem({ dim, box, positions: ref });
          // the spec's rule: runs entirely inside the box count as wrapped (minimum image + warning)
          const inside = runs.every((x) => x.every((v, i) => v >= 0 && v <= box[i % dim]));
          expect(inside || !wrapRuns).toBe(true);
          const radius = radFrac * 0.5 * Math.min(...box);
          const warn = vi.fn();
          for (const kind of ['abs', 'msd', 'cage_abs'] as const) {
            const got = propensity(sys, runs, kind, { cageRadius: radius, onWarning: warn });
            const want = propensityReference(sys, runs, kind, { cageRadius: radius, minimumImage: inside });
            expect(maxRel(got, want, 1e-9)).toBeLessThan(1e-12);
          }
          expect(warn).toHaveBeenCalledTimes(inside ? 3 : 0);
          // explicit choice: no warning
          propensity(sys, runs, 'abs', { minimumImage: false, onWarning: warn });
          expect(warn).toHaveBeenCalledTimes(inside ? 3 : 0);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('wrapped runs of a real displacement give the same propensity as unwrapped runs (minimum image, with a warning)', () => {
    const r = rng(5);
    const n = 200;
    const L = 8;
    const ref = Float64Array.from({ length: 3 * n }, () => r() * L);
    const un = Float64Array.from(ref, (x) => x + (r() - 0.5) * 2);
    const wr = Float64Array.from(un, (x) => x - L * Math.floor(x / L));
    const sys = createSystem({ dim: 3, box: [L, L, L], positions: ref });
    const warnings: string[] = [];
    const a = propensity(sys, [wr], 'abs', { onWarning: (m) => warnings.push(m) });
    const b = propensity(sys, [un], 'abs', { onWarning: (m) => warnings.push(m) });
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/minimum image/);
    expect(maxRel(a, b)).toBeLessThan(1e-12);
  });

  it('accepts one flat array of M*N*D run positions', () => {
    const sys = createSystem({ dim: 2, box: [5, 5], positions: [0, 0, 1, 1, 2, 2] });
    const runs = [Float64Array.from([6, 0, 1, 2, 2, 2]), Float64Array.from([0, 7, 1, 1, 3, 2])];
    const flat = new Float64Array(12);
    flat.set(runs[0], 0);
    flat.set(runs[1], 6);
    expect(Array.from(propensity(sys, flat, 'msd', quiet))).toEqual(Array.from(propensity(sys, runs, 'msd', quiet)));
    expect(Array.from(propensity(sys, runs, 'msd', quiet))).toEqual([(36 + 49) / 2, 0.5, 0.5]);
  });

  it('bad input: cage radius above half the box, wrong run length, unknown kind, NaN runs -> InputError', () => {
    const sys = createSystem({ dim: 3, box: [4, 4, 4], positions: [0, 0, 0, 1, 1, 1] });
    const run = Float64Array.from([0, 0, 5, 1, 1, 1]);
    expect(() => propensity(sys, [run], 'cage_abs', { cageRadius: 2.01 })).toThrow(/cage radius 2.01/);
    expect(() => propensity(sys, [run], 'cage_abs', { cageRadius: 2.01 })).toThrow(InputError);
    expect(propensity(sys, [run], 'cage_abs', { cageRadius: 2 })[0]).toBeGreaterThan(0);
    expect(() => propensity(sys, [run.subarray(0, 5)], 'abs')).toThrow(InputError);
    expect(() => propensity(sys, [], 'abs')).toThrow(InputError);
    expect(() => propensity(sys, [run], 'foo' as any)).toThrow(/unknown propensity kind/);
    expect(() => propensity(sys, [Float64Array.from([0, NaN, 5, 1, 1, 1])], 'abs')).toThrow(InputError);
  });
});

describe.skipIf(!HAVE_SHARED)('propensity goldens from the shared data', () => {
  const DATA = join(SHARED, 'data');
  const GOLD = join(SHARED, 'golden');

  it('ka3d train config 1: abs propensity of the 80 golden particles to 1e-10', () => {
    const g = JSON.parse(readFileSync(join(GOLD, 'ka3d_train1_features.json'), 'utf8'));
    const ds = readIsoconfigFile(join(DATA, 'ka3d-T0.44/train/isoconfig_N4096T0.44_1_tc07.npz'), { box: boxForDensity(4096, 1.2) });
    const warn = vi.fn();
    const p = propensity(ds.system, ds.runs, 'abs', { onWarning: warn });
    expect(warn).not.toHaveBeenCalled();
    expect(maxRel(g.indices.map((i: number) => p[i]), g.abs_propensity)).toBeLessThan(1e-10);
  });

  it('ka2d config 151 (tc40): cage_abs and abs of the 64 golden particles to 1e-10', () => {
    const g = JSON.parse(readFileSync(join(GOLD, 'ka2d_151_features.json'), 'utf8'));
    const parsed = readSystems(join(DATA, 'ka2d-T0.23/N1290T0.23_151_tc40.npz'));
    const sys = parsed.frames[0].system;
    const cage = propensity(sys, parsed.runs!, 'cage_abs', quiet);
    const abs = propensity(sys, parsed.runs!, 'abs', quiet);
    expect(maxRel(g.indices.map((i: number) => cage[i]), g.cage_abs_propensity_tc40)).toBeLessThan(1e-10);
    expect(maxRel(g.indices.map((i: number) => abs[i]), g.abs_propensity_tc40)).toBeLessThan(1e-10);
  });

  it('LAMMPS runs of ka3d-T0.56 c1 (start.data + 24 dumps) reproduce dr_8 / msd_8 of conf1.xyz to its 6 significant digits; CLI too', async () => {
    const dir = join(DATA, 'ka3d-T0.56/lammps-runs-c1');
    const ref = readSystems(join(dir, 'start.data')).frames[0];
    const runs: Float64Array[] = [];
    for (let k = 1; k <= 24; k++) {
      const f = readSystems(join(dir, `run${k}_t30.dump`)).frames[0];
      expect(Array.from(f.ids!)).toEqual(Array.from(ref.ids!));
      runs.push(f.system.positions);
    }
    const conf = readSystems(join(DATA, 'ka3d-T0.56/conf1.xyz')).frames[0].system;
    const within6 = (got: Float64Array, want: Float64Array) => {
      for (let i = 0; i < want.length; i++) {
        // the written value is got rounded to 6 significant digits: |got - want| <= half a unit of the 6th digit
        const unit = 10 ** (Math.floor(Math.log10(Math.abs(want[i]))) - 5);
        if (!(Math.abs(got[i] - want[i]) <= 0.5 * unit * (1 + 1e-9))) return `particle ${i}: ${got[i]} vs ${want[i]}`;
      }
      return 'ok';
    };
    const dr = propensity(ref.system, runs, 'abs', quiet);
    const msd = propensity(ref.system, runs, 'msd', quiet);
    expect(within6(dr, conf.columns.dr_8 as Float64Array)).toBe('ok');
    expect(within6(msd, conf.columns.msd_8 as Float64Array)).toBe('ok');
    // a real check: an unrelated column does not pass
    expect(within6(dr, conf.columns.dr_7 as Float64Array)).not.toBe('ok');

    // the same through the CLI, to .npy; refuses to overwrite without --force
    const out = join(mkdtempSync(join(tmpdir(), 'gbprop-')), 'dr.npy');
    const logs: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
    try {
      expect(await propensityRun(['--reference', join(dir, 'start.data'), '--runs', join(dir, 'run*_t30.dump'), '--kind', 'abs', '-o', out])).toBe(0);
      await expect(propensityRun(['--reference', join(dir, 'start.data'), '--runs', join(dir, 'run*_t30.dump'), '--kind', 'abs', '-o', out])).rejects.toThrow(/exists.*--force/);
      expect(await propensityRun(['--reference', join(dir, 'start.data'), '--runs', join(dir, 'run*_t30.dump'), '--kind', 'msd', '-o', out, '--force'])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(logs[0]).toMatch(/24 runs/);
    const a = readNpy(new Uint8Array(readFileSync(out)));
    expect(a.shape).toEqual([4096]);
    expect(Array.from(a.data as Float64Array)).toEqual(Array.from(msd));
  });

  it('CLI on a BOTAN npz: needs --box or --density; writes extended XYZ with the propensity column', async () => {
    const f = join(DATA, 'ka3d-T0.44/train/isoconfig_N4096T0.44_2_tc07.npz');
    const dir = mkdtempSync(join(tmpdir(), 'gbprop-'));
    await expect(propensityRun([f, '--kind', 'abs', '-o', join(dir, 'x.xyz')])).rejects.toThrow(/stores no box/);
    const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await propensityRun([f, '--kind', 'abs', '--density', '1.2', '-o', join(dir, 'x.xyz')])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const back = readSystems(join(dir, 'x.xyz')).frames[0].system;
    const ds = readIsoconfigFile(f, { box: boxForDensity(4096, 1.2) });
    expect(Array.from(back.columns.abs as Float64Array)).toEqual(Array.from(propensity(ds.system, ds.runs, 'abs', quiet)));
    expect(Array.from(back.positions)).toEqual(Array.from(ds.system.positions));
    // an output that is an input is refused even with --force
    const copy = join(dir, 'in.npy');
    writeFileSync(copy, new Uint8Array(8));
    expect(() => writeOutputFile(copy, new Uint8Array(1), { force: true, inputs: [f, copy] })).toThrow(/one of the input files/);
    writeOutputFile(copy, new Uint8Array(1), { force: true, inputs: [f] });
    expect(readFileSync(copy).length).toBe(1);
  });
});

export type { System };
