// Worker pool (src/parallel): minimisations in workers are bit-identical to inline ones, errors
// come back with their class, message and fields, worker death fails the task (never a hang),
// cache hits never start a worker, the pool shuts down and the process exits promptly.
// The pool runs the compiled worker dist/src/node/parallel/worker.js: build with `npx tsc -p
// tsconfig.json` first (`npm test`'s pretest does it).
import { mulberry32 as rng } from '../src/models/diagnostics.js';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSystem, minimize, minimizeMany, GlassboxError, InputError, NumericalError, ParseError, type System, type Configuration } from '../src/index.js';
import { minimizeCached } from '../src/node/cache.js';
import { poolSize, runTasks, WorkerPool, workerScript } from '../src/node/parallel/pool.js';
import { precomputeInherent } from '../src/node/parallel/inherent.js';
import { latticeSystem } from './helpers/systems.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST_INDEX = join(ROOT, 'dist', 'src', 'index.js');
const haveDist = existsSync(join(ROOT, 'dist', 'src', 'node', 'parallel', 'worker.js'));
if (!haveDist) console.warn('parallel.test: dist/src/node/parallel/worker.js not built (run `npx tsc -p tsconfig.json`): the pool tests are skipped');


// N = 343 (KA3D) and N = 256 (KA2D): each minimisation well under a second
const ka3dRandom = (seed: number) => latticeSystem(seed, 3, 7, 1.2, 0.1, ['A', 'B'], [0.8, 0.2]);
const ka2dRandom = (seed: number) => latticeSystem(seed, 2, 16, 1.1, 0.1, ['1', '2', '3'], [0.465, 0.256, 0.279]);

const bytesEqual = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const tmpDirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'gb-pool-'));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

describe('pool size', () => {
  it('option > GLASSBOX_THREADS > available cores, capped at the number of tasks, at least 1', () => {
    vi.stubEnv('GLASSBOX_THREADS', '3');
    try {
      expect(poolSize(10)).toBe(3);
      expect(poolSize(2)).toBe(2);
      expect(poolSize(0)).toBe(1);
      expect(poolSize(10, 5)).toBe(5);
      expect(poolSize(10, 1)).toBe(1);
      vi.stubEnv('GLASSBOX_THREADS', 'two');
      expect(() => poolSize(4)).toThrow(InputError);
      expect(() => poolSize(4)).toThrow(/GLASSBOX_THREADS must be a positive integer/);
      vi.stubEnv('GLASSBOX_THREADS', '0');
      expect(() => poolSize(4)).toThrow(InputError);
      expect(poolSize(4, 2)).toBe(2); // the option wins over a bad environment value
      expect(() => poolSize(4, 1.5)).toThrow(/threads must be a positive integer/);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe.skipIf(!haveDist)('minimizeMany', () => {
  const systems = [ka3dRandom(1), ka2dRandom(3), ka3dRandom(2), ka2dRandom(4), ka3dRandom(5)];
  const pots = systems.map((s) => (s.dim === 3 ? 'KA3D' : 'KA2D'));
  const inline = systems.map((s, i) => minimize(s, pots[i]));

  it('2 and 3 workers give bit-identical minima to inline minimize (KA3D N=343, KA2D N=256)', async () => {
    for (const threads of [2, 3]) {
      const progress: [number, number][] = [];
      const rs = await minimizeMany(systems, pots, {}, { enabled: false }, { threads, onProgress: (d, t) => progress.push([d, t]) });
      rs.forEach((r, i) => {
        expect(bytesEqual(r.system.positions, inline[i].system.positions), `system ${i}, ${threads} threads`).toBe(true);
        expect(r.energy).toBe(inline[i].energy);
        expect(r.maxForce).toBe(inline[i].maxForce);
        expect(r.forceNorm).toBe(inline[i].forceNorm);
        expect(r.iterations).toBe(inline[i].iterations);
        expect(r.restarts).toBe(inline[i].restarts);
        expect(r.converged).toBe(true);
        expect(r.cached).toBe(false);
        expect(r.system.labels).toEqual(inline[i].system.labels);
        expect(r.system.source).toBe(systems[i].source);
        expect(r.seconds).toBeGreaterThan(0);
      });
      expect(progress[0]).toEqual([0, systems.length]);
      expect(progress.map((p) => p[0])).toEqual([0, 1, 2, 3, 4, 5]);
    }
    // inputs are untouched (their buffers were copied before transfer)
    expect(systems[0].positions.length).toBe(343 * 3);
    expect(bytesEqual(systems[0].positions, ka3dRandom(1).positions)).toBe(true);
  });

  it('one thread runs inline, same numbers; traces come back intact from workers', async () => {
    const one = await minimizeMany(systems.slice(0, 2), pots.slice(0, 2), {}, { enabled: false }, { threads: 1, script: '/nonexistent/worker.js' });
    one.forEach((r, i) => expect(bytesEqual(r.system.positions, inline[i].system.positions)).toBe(true));
    const traced = await minimizeMany(systems.slice(0, 2), pots.slice(0, 2), { trace: true, maxIter: 500 }, {}, { threads: 2 });
    traced.forEach((r, i) => {
      const ref = minimize(systems[i], pots[i], { trace: true, maxIter: 500 });
      expect(r.trace).toBeDefined();
      for (const k of ['energy', 'power', 'restart', 'dt', 'kinetic', 'maxForce', 'startEnergy'] as const) {
        expect(bytesEqual(r.trace![k], ref.trace![k]), `trace.${k}`).toBe(true);
      }
      expect(bytesEqual(r.system.positions, ref.system.positions)).toBe(true);
    });
  });

  it('cache: hits are read in the parent and never start a worker; misses are stored; duplicates minimised once', async () => {
    const dir = tmp();
    const first = await minimizeMany(systems.slice(0, 3), pots.slice(0, 3), {}, { dir }, { threads: 2 });
    expect(first.map((r) => r.cached)).toEqual([false, false, false]);
    expect(readdirSync(join(dir, 'minimize')).filter((f) => f.endsWith('.npy')).length).toBe(3);
    // all cached: a bogus worker script proves no worker is started
    const again = await minimizeMany(systems.slice(0, 3), pots.slice(0, 3), {}, { dir }, { threads: 2, script: '/nonexistent/worker.js' });
    expect(again.map((r) => r.cached)).toEqual([true, true, true]);
    again.forEach((r, i) => {
      expect(bytesEqual(r.system.positions, inline[i].system.positions)).toBe(true);
      expect(r.energy).toBe(inline[i].energy);
      expect(r.iterations).toBe(inline[i].iterations);
      expect(r.cacheKey).toBe(first[i].cacheKey);
    });
    // the same store as minimizeCached (one at a time)
    expect(minimizeCached(systems[1], pots[1], {}, { dir }).cached).toBe(true);
    // one miss among hits (and its duplicate): a single task, run inline; still no worker
    const mixed = await minimizeMany([systems[0], systems[3], systems[1], systems[3]], [pots[0], pots[3], pots[1], pots[3]], {}, { dir }, { threads: 2, script: '/nonexistent/worker.js' });
    expect(mixed.map((r) => r.cached)).toEqual([true, false, true, false]);
    expect(bytesEqual(mixed[1].system.positions, inline[3].system.positions)).toBe(true);
    expect(bytesEqual(mixed[3].system.positions, inline[3].system.positions)).toBe(true);
    expect(mixed[3].system.positions).not.toBe(mixed[1].system.positions);
    expect(readdirSync(join(dir, 'minimize')).filter((f) => f.endsWith('.npy')).length).toBe(4);
  });

  it('errors: a worker\'s InputError / NumericalError arrive with their class and message; bad input fails before any work', async () => {
    const good = ka3dRandom(7);
    // box too small for the cutoff: thrown inside minimize(), i.e. in the worker
    const tiny = createSystem({ dim: 3, box: [4, 4, 4], positions: [0.5, 0.5, 0.5, 2, 2, 2, 3, 1, 2], types: ['A', 'A', 'B'], source: 'tiny box' });
    let inlineErr: unknown;
    try { minimize(tiny, 'KA3D'); } catch (e) { inlineErr = e; }
    expect(inlineErr).toBeInstanceOf(InputError);
    const p1 = minimizeMany([good, tiny, ka3dRandom(8)], 'KA3D', {}, { enabled: false }, { threads: 2 });
    await expect(p1).rejects.toBeInstanceOf(InputError);
    await expect(p1).rejects.toThrow((inlineErr as Error).message);
    // overlapping particles: non-finite forces -> NumericalError
    const overlap = createSystem({ dim: 3, box: [7, 7, 7], positions: [1, 1, 1, 1, 1, 1, 3, 3, 3], types: ['A', 'A', 'B'], source: 'overlap' });
    const p2 = minimizeMany([overlap, good], 'KA3D', {}, { enabled: false }, { threads: 2 });
    await expect(p2).rejects.toBeInstanceOf(NumericalError);
    await expect(p2).rejects.toThrow(/overlap: the energy or forces became non-finite after 0 FIRE iterations/);
    // species that do not match the potential: an InputError in the parent (before any worker)
    await expect(minimizeMany([good, ka2dRandom(1)], 'KA3D', {}, { enabled: false }, { threads: 2, script: '/nonexistent/worker.js' })).rejects.toThrow(/the system has 3 species \[1, 2, 3\] but the potential KA3D has 2/);
    await expect(minimizeMany([good, good], 'KA3D', { ftol: -1 }, { enabled: false }, { threads: 2 })).rejects.toThrow(/minimize option ftol/);
  });
});

describe.skipIf(!haveDist)('worker pool', () => {
  it('rebuilds ParseError / InputError / unknown errors by class, with fields; a dying worker fails its task and is replaced', async () => {
    const pool = new WorkerPool(2);
    try {
      const pe = await pool.run('__throw', { name: 'ParseError', file: 'conf.xyz', line: 7, field: 'Lattice', message: 'expected 9 numbers' }).catch((e) => e);
      expect(pe).toBeInstanceOf(ParseError);
      expect(pe).toBeInstanceOf(GlassboxError);
      expect(pe).toBeInstanceOf(Error);
      expect(pe.message).toBe('conf.xyz:7 [Lattice]: expected 9 numbers');
      expect(pe.name).toBe('ParseError');
      expect([pe.file, pe.line, pe.field]).toEqual(['conf.xyz', 7, 'Lattice']);
      expect(pe.stack).toMatch(/tasks\.js/); // the worker's stack: where it was thrown
      const ie = await pool.run('__throw', { name: 'InputError', message: '--folds must be >= 2' }).catch((e) => e);
      expect(ie).toBeInstanceOf(InputError);
      expect(ie.message).toBe('--folds must be >= 2');
      const te = await pool.run('__throw', { name: 'TypeError', message: 'x is not a function' }).catch((e) => e);
      expect(te).toBeInstanceOf(TypeError);
      expect(te).not.toBeInstanceOf(GlassboxError);
      const unknown = await pool.run('no-such-task', {}).catch((e) => e);
      expect(unknown).toBeInstanceOf(GlassboxError);
      expect(unknown.message).toMatch(/unknown pool task "no-such-task"/);
      // a worker that dies mid-task: the task fails, the next task gets a fresh worker
      const died = await pool.run('__exit', { code: 7 }).catch((e) => e);
      expect(died).toBeInstanceOf(GlassboxError);
      expect(died.message).toMatch(/exited \(code 7\)/);
      const after = await pool.run('__throw', { name: 'NumericalError', message: 'still alive' }).catch((e) => e);
      expect(after).toBeInstanceOf(NumericalError);
      expect(pool.workers).toBeGreaterThan(0);
      expect(pool.workers).toBeLessThanOrEqual(2);
    } finally {
      await pool.close();
    }
    expect(pool.workers).toBe(0);
    await expect(pool.run('__throw', { name: 'Error', message: 'x' })).rejects.toThrow(/pool is closed/);
  });

  it('close() fails queued and running tasks at once (no hang); runTasks stops at the first failure', async () => {
    const pool = new WorkerPool(1);
    const s = ka3dRandom(11);
    const { systemMessage } = await import('../src/node/parallel/tasks.js');
    const running = pool.run('minimize', { system: systemMessage(s).message, potential: 'KA3D', options: {} }).catch((e) => e);
    const queued = pool.run('minimize', { system: systemMessage(s).message, potential: 'KA3D', options: {} }).catch((e) => e);
    await pool.close();
    for (const e of [await running, await queued]) {
      expect(e).toBeInstanceOf(GlassboxError);
      expect(e.message).toMatch(/closed before the task finished/);
    }
    const r = runTasks('__throw', [{ payload: { name: 'InputError', message: 'first' } }, { payload: { name: 'InputError', message: 'second' } }, { payload: { name: 'KernelError', message: 'third' } }], { threads: 2 });
    await expect(r).rejects.toBeInstanceOf(InputError);
  });

  it('the process exits promptly after minimizeMany, after an error, and with a pool left open (idle workers are unref\'d)', () => {
    const script = `
      import { createSystem, minimizeMany } from ${JSON.stringify('file://' + DIST_INDEX)};
      import { WorkerPool } from ${JSON.stringify('file://' + join(ROOT, 'dist', 'src', 'node', 'parallel', 'pool.js'))};
      const box = [6.5, 6.5, 6.5];
      const lattice = (k) => { const p = []; for (let x = 0; x < 3; x++) for (let y = 0; y < 3; y++) for (let z = 0; z < 3; z++) p.push((x + 0.5 + 0.05 * k) * 6.5 / 3, (y + 0.5) * 6.5 / 3, (z + 0.5) * 6.5 / 3); return createSystem({ dim: 3, box, positions: p, types: p.filter((_, i) => i % 3 === 0).map((_, i) => (i % 5 ? 'A' : 'B')) }); };
      const rs = await minimizeMany([lattice(1), lattice(2), lattice(3)], 'KA3D', { maxIter: 200 }, { enabled: false }, { threads: 2 });
      console.log('ok', rs.length);
      const overlap = createSystem({ dim: 3, box, positions: [1, 1, 1, 1, 1, 1, 3, 3, 3], types: ['A', 'A', 'B'] });
      await minimizeMany([overlap, lattice(1)], 'KA3D', {}, { enabled: false }, { threads: 2 }).catch((e) => console.log('caught', e.name));
      const pool = new WorkerPool(2);
      await pool.run('__throw', { name: 'InputError', message: 'x' }).catch((e) => console.log('caught', e.name));
      // pool deliberately not closed
    `;
    const t0 = Date.now();
    const file = join(tmp(), 'exit-check.mjs');
    writeFileSync(file, script);
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
    expect(r.error, String(r.error)).toBeUndefined();
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['ok 3', 'caught NumericalError', 'caught InputError']);
    expect(Date.now() - t0).toBeLessThan(60_000);
  });

  it('adopt(): a prestarted worker serves tasks; one that died before adoption is retired and replaced', async () => {
    const { Worker } = await import('node:worker_threads');
    const prestarted = (script: string) => {
      const worker = new Worker(script);
      const p = { worker, script, early: null as Error | null, detach: () => {} };
      const onExit = (code: number) => { p.early ??= new Error(`exited (code ${code}) before adoption`); };
      worker.on('exit', onExit);
      worker.on('error', () => {}); // recorded through 'exit' here
      p.detach = () => worker.off('exit', onExit);
      return p;
    };
    const good = new WorkerPool(1).adopt(prestarted(workerScript()));
    try {
      expect(good.workers).toBe(1);
      const ie = await good.run('__throw', { name: 'InputError', message: 'adopted' }).catch((e) => e);
      expect(ie).toBeInstanceOf(InputError);
      expect(good.workers).toBe(1); // the adopted one, no second worker
    } finally {
      await good.close();
    }
    const dying = join(tmp(), 'dies.mjs');
    writeFileSync(dying, 'process.exit(5);\n');
    const p = prestarted(dying);
    await new Promise((r) => p.worker.once('exit', r));
    expect(p.early?.message).toMatch(/code 5/);
    const pool = new WorkerPool(1).adopt(p);
    try {
      expect(pool.workers).toBe(0); // retired at adoption
      const ie = await pool.run('__throw', { name: 'InputError', message: 'fresh' }).catch((e) => e);
      expect(ie).toBeInstanceOf(InputError);
      expect(ie.message).toBe('fresh');
    } finally {
      await pool.close();
    }
  });

  it('workerScript() is the compiled dist worker', () => {
    expect(workerScript()).toBe(join(ROOT, 'dist', 'src', 'node', 'parallel', 'worker.js'));
  });
});

describe.skipIf(!haveDist)('precomputeInherent (fit CLI step)', () => {
  it('fills the missing inherent structures with the minimiser\'s positions; keeps stored ones; thermal or no preset: nothing', async () => {
    const stored = new Float64Array(343 * 3).fill(1);
    const mk = (seed: number, inherent?: Float64Array): Configuration => ({ name: `c${seed}`, system: ka3dRandom(seed), inherent });
    const configs = [mk(21), mk(22, stored), mk(23)];
    expect(await precomputeInherent(configs, 'KA3D', { structure: 'thermal', cache: false, threads: 2 })).toBe(0);
    expect(await precomputeInherent(configs, undefined, { cache: false, threads: 2 })).toBe(0);
    expect(configs[0].inherent).toBeUndefined();
    const progress: number[] = [];
    const secs = await precomputeInherent(configs, 'KA3D', { cache: false, threads: 2, onProgress: (stage, d) => { expect(stage).toBe('minimise'); progress.push(d); } });
    expect(secs).toBeGreaterThan(0);
    expect(progress).toEqual([0, 1, 2]);
    expect(configs[1].inherent).toBe(stored);
    for (const k of [0, 2]) expect(bytesEqual(configs[k].inherent!, minimize(configs[k].system, 'KA3D').system.positions)).toBe(true);
    const both = [mk(24)];
    await precomputeInherent(both, 'KA3D', { structure: 'both', cache: false, threads: 2 });
    expect(both[0].inherent).toBeDefined();
    expect(bytesEqual(both[0].inherent!, minimize(both[0].system, 'KA3D').system.positions)).toBe(true);
  });
});

describe.skipIf(!haveDist)('fitFiles: minimisations and descriptors on one pool', () => {
  it('two workers (descriptor tasks queued as each minimisation ends) = one thread (the two stages inline), bit for bit', async () => {
    const { fitFiles, writeNpz } = await import('../src/index.js');
    const d = tmp();
    const files = [31, 32, 33, 34, 35].map((seed) => {
      const s = latticeSystem(seed, 3, 8, 1.2, 0.1, ['A', 'B'], [0.8, 0.2]); // N = 512, box 7.5
      const r = rng(seed + 100);
      const f = join(d, `c${seed}.npz`);
      writeFileSync(f, writeNpz({
        initial_positions: { dtype: '<f8', shape: [s.n, 3], data: s.positions },
        types: { dtype: '|i1', shape: [s.n], data: Int8Array.from(s.species) },
        box: { dtype: '<f8', shape: [3], data: Float64Array.from(s.box) },
        abs_propensity: { dtype: '<f8', shape: [s.n], data: Float64Array.from({ length: s.n }, () => r()) },
      }));
      return f;
    });
    const run = async (threads: string) => {
      vi.stubEnv('GLASSBOX_THREADS', threads);
      try {
        const progress: string[] = [];
        const r = await fitFiles({ train: files.slice(0, 3), test: files.slice(3), preset: 'KA3D', features: { scales: [1, 2, 3] }, cache: false, models: ['ridge', 'enet'], bootstrap: 0, onProgress: (stage, done) => progress.push(`${stage} ${done}`) });
        return { r, progress };
      } finally {
        vi.unstubAllEnvs();
      }
    };
    const one = await run('1'), two = await run('2');
    expect(two.r.timings.minimise).toBeGreaterThan(0);
    expect(two.r.timings.descriptors).toBeGreaterThanOrEqual(0);
    expect(two.progress).toContain('minimise 5');
    expect(two.progress).toContain('descriptors 5');
    for (const [a, b] of two.r.trainConfigurations.map((c, k) => [c, one.r.trainConfigurations[k]] as const)) expect(bytesEqual(a.inherent!, b.inherent!)).toBe(true);
    expect(two.r.models.length).toBe(2);
    two.r.models.forEach((m, k) => {
      const m1 = one.r.models[k];
      expect(m.model).toBe(m1.model);
      expect(bytesEqual(m.fit!.coef, m1.fit!.coef)).toBe(true);
      expect(m.cvScore).toBe(m1.cvScore);
      expect(m.testPearson).toBe(m1.testPearson);
    });
  }, 60_000);
});
