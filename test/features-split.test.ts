// One configuration's descriptors on two threads (src/node/parallel/features.ts: the worker takes
// sorted rows [m, N) of step 1 and the P|E block) give the bytes of the one-thread stream
// (featureRowBytes = computeFeatures, test/row-bytes.test.ts) exactly, for every family mix,
// 2D and 3D, with and without CG levels and spatial sorting, at every split row; errors found
// in the worker's rows come back as the same InputError.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { jitteredLattice } from './helpers/systems.js';
import { createSystem, InputError, readSystems, type System } from '../src/index.js';
import { addAverages, featureRowBytes, heldRowBytes, holdFeatures, runFeatures, stageRows } from '../src/features/compute.js';
import { featureAveragesTask, featureBaseTask } from '../src/node/parallel/feature-tasks.js';
import { systemMessage } from '../src/node/parallel/messages.js';
import { GlassboxError } from '../src/errors.js';
import { FeatureThreads, splitRow } from '../src/node/parallel/features.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';

const liquid = jitteredLattice;

function concat(parts: Iterable<Uint8Array>): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) out.push(Buffer.from(p)); // a copy: each view is valid until the next step
  return Buffer.concat(out);
}

const threads = new FeatureThreads(2, { minParticles: 1 });
afterAll(() => threads.close());

describe('descriptors on two threads', () => {
  it('equal the one-thread bytes (families, 2D/3D, CG levels, no sorting)', async () => {
    const cases: [System, object][] = [
      [liquid(1, 700, 3, 8.4), { potential: 'KA3D', scales: [1.5, 2, 3] }],
      [liquid(2, 600, 3, 8.0), { potential: 'KA3D', levels: [0], scales: [1.5, 3] }],
      [liquid(3, 500, 2, 20.4), {}],
      [liquid(4, 400, 3, 7.0), { families: ['A'], levels: [0, 2] }],
      [liquid(11, 1000, 3, 10.2), {}],
      [liquid(5, 400, 3, 7.0), { families: ['R', 'P'], scales: [1, 3], spatialOrder: false }],
      [liquid(6, 500, 2, 20.4, 3), { potential: 'KA2D', families: ['R', 'E'], scales: [2] }],
    ];
    for (const [sys, opts] of cases) {
      expect(threads.splits(sys, opts), JSON.stringify(opts)).toBe(true);
      const want = concat(featureRowBytes(sys, opts));
      const got = concat(heldRowBytes(await threads.hold(sys, opts)));
      expect(got.length).toBe(want.length);
      expect(got.equals(want), `${sys.dim}D ${JSON.stringify(opts)}`).toBe(true);
    }
  });

  it('step 1 on any sorted row range is the same rows of the whole run', () => {
    const sys = liquid(7, 500, 3, 7.6);
    const opts = { potential: 'KA3D', scales: [1.5, 3] };
    const whole = runFeatures(sys, opts, { baseOnly: true });
    const nRA = whole.level0!.length / sys.n;
    for (const [r0, r1] of [[0, 0], [0, 1], [13, 250], [250, 500], [0, 500]] as [number, number][]) {
      const part = runFeatures(sys, opts, { baseOnly: true, blockRows: Math.max(1, r1 - r0), sortedRange: [r0, r1] });
      expect(part.rows!.length).toBe(r1 - r0);
      part.rows!.forEach((i, k) => {
        expect(Buffer.from(part.level0!.buffer, 8 * k * nRA, 8 * nRA).equals(Buffer.from(whole.level0!.buffer, 8 * i * nRA, 8 * nRA))).toBe(true);
        expect(Object.is(part.energies![k], whole.energies![i])).toBe(true);
      });
    }
    expect(() => runFeatures(sys, opts, { baseOnly: true, blockRows: 10, sortedRange: [5, 501] })).toThrow(InputError);
    // the P|E block alone, e computed by the job itself or given: the last columns of the matrix
    const full = runFeatures(sys, opts).matrix!;
    for (const job of [{ averagesOnly: true }, { averagesOnly: true, energies: whole.energies! }]) {
      const pe = runFeatures(sys, opts, job).averages!;
      const nPE = pe.length / sys.n;
      expect(nPE).toBeGreaterThan(0);
      for (let i = 0; i < sys.n; i++) {
        const want = full.values.subarray(i * full.p + full.p - nPE, (i + 1) * full.p);
        expect(Buffer.from(pe.buffer, 8 * i * nPE, 8 * nPE).equals(Buffer.from(want.buffer, want.byteOffset, 8 * nPE)), `row ${i}`).toBe(true);
      }
    }
  });

  it('staged rows (stageRows, then the P|E block written into them) = the streamed rows', () => {
    const sys = liquid(12, 600, 3, 8.0);
    const opts = { potential: 'KA3D', scales: [1.5, 3] };
    const want = concat(featureRowBytes(sys, opts));
    const pe = runFeatures(sys, opts, { averagesOnly: true }).averages!;
    const held = holdFeatures(sys, opts, { skipAverages: true });
    expect(stageRows(held)).toBe(true);
    addAverages(held, pe);
    expect(concat(heldRowBytes(held, 97)).equals(want)).toBe(true);
    // staged after the P|E block was added, and without any P|E at all
    const h2 = holdFeatures(sys, opts, { skipAverages: true });
    addAverages(h2, pe);
    expect(stageRows(h2)).toBe(true);
    expect(concat(heldRowBytes(h2)).equals(want)).toBe(true);
    const o3 = { families: ['R', 'A'] as ('R' | 'A')[] };
    const h3 = holdFeatures(sys, o3);
    stageRows(h3);
    expect(concat(heldRowBytes(h3, 1)).equals(concat(featureRowBytes(sys, o3)))).toBe(true);
  });

  it('the worker keeps its e for P|E: the caller sends only its rows\' e; a stale token is an error', () => {
    const sys = liquid(13, 500, 3, 7.6);
    const opts = { potential: 'KA3D', scales: [2] };
    const msg = systemMessage(sys).message;
    const m = 200;
    const mine = runFeatures(sys, opts, { baseOnly: true, blockRows: m, sortedRange: [0, m] });
    const base = featureBaseTask({ system: msg, options: opts, range: [m, sys.n], keepEnergies: 7 }).result;
    expect(base.energies).toBeNull(); // kept in the worker
    const part = { rows: mine.rows!, values: mine.energies! };
    const got = featureAveragesTask({ system: msg, options: opts, energies: null, energyPart: { token: 7, ...part } }).result;
    expect(Buffer.from(got.buffer).equals(Buffer.from(runFeatures(sys, opts, { averagesOnly: true }).averages!.buffer))).toBe(true);
    // used once: the same token again, or another one, finds nothing kept
    expect(() => featureAveragesTask({ system: msg, options: opts, energies: null, energyPart: { token: 7, ...part } })).toThrow(GlassboxError);
    featureBaseTask({ system: msg, options: opts, range: [m, sys.n], keepEnergies: 8 });
    expect(() => featureAveragesTask({ system: msg, options: opts, energies: null, energyPart: { token: 9, ...part } })).toThrow(/no kept e for token 9/);
  });

  it('prefetch: the same bytes when hold() takes it up, when it is for another system, and when nobody does', async () => {
    const a = liquid(14, 700, 3, 8.4), b = liquid(15, 700, 3, 8.4);
    const opts = { potential: 'KA3D', scales: [1.5, 3] };
    threads.prefetch(a, opts);
    expect(concat(heldRowBytes(await threads.hold(a, opts))).equals(concat(featureRowBytes(a, opts)))).toBe(true);
    threads.prefetch(a, opts);
    expect(concat(heldRowBytes(await threads.hold(b, opts))).equals(concat(featureRowBytes(b, opts)))).toBe(true);
    const t2 = new FeatureThreads(2, { minParticles: 1 });
    t2.prefetch(a, opts);
    await t2.close(); // the pending featureBase fails with "closed": not an unhandled rejection
  });

  it('split row: inside (0.1 N, 0.9 N), more rows here when the worker also has P|E', () => {
    for (const n of [1, 100, 4096, 1e6]) {
      for (const lev of [0, 1, 2, 5]) {
        for (const avg of [false, true]) {
          const m = splitRow(n, lev, avg);
          expect(m).toBeGreaterThanOrEqual(Math.round(0.1 * n));
          expect(m).toBeLessThanOrEqual(Math.round(0.9 * n));
        }
        expect(splitRow(n, lev, true)).toBeGreaterThanOrEqual(splitRow(n, lev, false));
        expect(splitRow(n, lev, false)).toBeLessThanOrEqual(splitRow(n, 0, false));
      }
    }
  });

  it('coincident particles in the worker\'s rows: the same InputError as one thread', async () => {
    const sys = liquid(8, 500, 3, 7.6);
    // particles 3 and 4 at one point: wherever the sort puts them, one thread reports them
    sys.positions.set(sys.positions.subarray(9, 12), 12);
    let one: unknown, two: unknown;
    try { concat(featureRowBytes(sys, { potential: 'KA3D', scales: [2] })); } catch (e) { one = e; }
    try { concat(heldRowBytes(await threads.hold(sys, { potential: 'KA3D', scales: [2] }))); } catch (e) { two = e; }
    expect(one).toBeInstanceOf(InputError);
    expect(two).toBeInstanceOf(InputError);
    expect((two as Error).message).toBe((one as Error).message);
    // and the worker is still usable
    const ok = liquid(9, 400, 3, 7.0);
    expect(concat(heldRowBytes(await threads.hold(ok, { scales: [3] }))).equals(concat(featureRowBytes(ok, { scales: [3] })))).toBe(true);
  });

  it('one thread, small systems and slabs stay on this thread', async () => {
    const one = new FeatureThreads(1);
    const sys = liquid(10, 300, 3, 6.6);
    const o = { scales: [3] };
    expect(one.splits(sys, o)).toBe(false);
    expect(concat(heldRowBytes(await one.hold(sys, o))).equals(concat(featureRowBytes(sys, o)))).toBe(true);
    await one.close();
    const dflt = new FeatureThreads(2);
    expect(dflt.splits(sys, o)).toBe(false); // 300 < SPLIT_MIN_PARTICLES
    expect(threads.splits(sys, { ...o, families: ['P'] })).toBe(false); // no R or A: nothing to split
    await dflt.close();
  });
});

const KA = '../shared/data/ka3d-T0.44/train/isoconfig_N4096T0.44_5_tc07.npz';
describe.skipIf(!existsSync(KA))('KA 3D configuration (needs ../shared)', () => {
  it('the default vector (N = 4096, 596 columns) on two threads = one thread', async () => {
    const sys = readSystems(KA, { box: [15.05657646] }).frames[0].system;
    const opts = { potential: 'KA3D' };
    const want = concat(featureRowBytes(sys, opts));
    expect(want.length).toBe(4096 * 596 * 8);
    expect(concat(heldRowBytes(await threads.hold(sys, opts))).equals(want)).toBe(true);
  });
});
if (!existsSync(KA)) console.warn(`skipping the KA 3D two-thread check: ${KA} is absent`);
