// The minimisation rules (src/minimize/minimize.ts MINIMIZE_RULES, issue 14 part 3): minimize()
// with method 'hybrid' (FIRE until |F|_2 < switchFnorm, then L-BFGS) converges by recomputed
// forces, ends in FIRE's minimum, leaves its input untouched, runs the same in workers; the rules'
// options, their cache keys (one rule's minimum is never reused for another), the CLI's
// --min-rule, and bad options. The real-data comparison with LAMMPS: bench/stopping-rule.bench.mjs.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { energyAndForces, minimize, minimizeMany, InputError } from '../src/index.js';
import { minimizeCacheKey, minimizeCached } from '../src/node/cache.js';
import { minimizeRule, MINIMIZE_RULES, resolveMinimizeOptions } from '../src/minimize/minimize.js';
import { fitMinimizeOptions, FIT_MIN_RULE } from '../src/node/minimize.js';
import { minimizeHybrid } from '../src/minimize/lbfgs.js';
import { run as runCli } from '../src/cli/minimize.js';
import { readSystems } from '../src/node/fs.js';
import { writeXyz } from '../src/io/xyz.js';
import { latticeSystem } from './helpers/systems.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const haveDist = existsSync(join(ROOT, 'dist', 'src', 'node', 'parallel', 'worker.js'));
const ka3dRandom = (seed: number, side = 6) => latticeSystem(seed, 3, side, 1.2, 0.1, ['A', 'B'], [0.8, 0.2]);
const ka2dRandom = (seed: number) => latticeSystem(seed, 2, 12, 1.1, 0.1, ['1', '2', '3'], [0.465, 0.256, 0.279]);

function maxMinImageDiff(a: ArrayLike<number>, b: ArrayLike<number>, box: ArrayLike<number>, dim: number): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const L = box[i % dim];
    let d = a[i] - b[i];
    d -= L * Math.round(d / L);
    worst = Math.max(worst, Math.abs(d));
  }
  return worst;
}
const bitsEqual = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

describe('minimize({ method: "hybrid" }) and the fast rule', () => {
  for (const [name, sys, pot] of [['KA3D', ka3dRandom(51), 'KA3D'], ['KA2D', ka2dRandom(52), 'KA2D']] as const) {
    it(`${name}: the fast rule converges (forces recomputed), ends in FIRE's (lammps rule) minimum, input untouched`, () => {
      const before = Float64Array.from(sys.positions);
      const lammps = minimize(sys, pot, minimizeRule('lammps'));
      const fast = minimize(sys, pot, minimizeRule('fast'));
      expect(lammps.converged && fast.converged).toBe(true);
      expect(fast.forceNorm).toBeLessThan(1e-6);
      const after = energyAndForces(fast.system, pot);
      expect(Math.hypot(...after.forces)).toBeLessThan(1e-5);
      expect(Math.abs(after.energyPerParticle - fast.energyPerParticle)).toBeLessThan(1e-12 * Math.abs(fast.energyPerParticle));
      expect(Math.abs(fast.energyPerParticle - lammps.energyPerParticle)).toBeLessThan(1e-10 * Math.abs(lammps.energyPerParticle));
      // |F|_2 < 1e-6 leaves each coordinate within ~|F| / (smallest curvature) of the minimum
      expect(maxMinImageDiff(fast.system.positions, lammps.system.positions, sys.box, sys.dim)).toBeLessThan(1e-4);
      expect(fast.stages!.lbfgs).not.toBeNull();
      expect(fast.forceEvaluations).toBe(fast.stages!.fire.forceEvaluations + fast.stages!.lbfgs!.forceEvaluations);
      expect(fast.forceEvaluations).toBeLessThan(lammps.forceEvaluations);
      expect(fast.options.method).toBe('hybrid');
      expect(sys.positions).toEqual(before);
    });
  }

  it('to |F|_2 < 1e-8 the hybrid (switch 1e-3) is minimizeHybrid, bit for bit, and FIRE\'s minimum to 1e-6', () => {
    const sys = ka3dRandom(53);
    const a = minimize(sys, 'KA3D', { method: 'hybrid', fnormTol: 1e-8, switchFnorm: 1e-3 });
    const b = minimizeHybrid(sys, 'KA3D', { fnormTol: 1e-8, switchFnorm: 1e-3 });
    expect(bitsEqual(a.system.positions, b.system.positions)).toBe(true);
    expect(a.forceEvaluations).toBe(b.forceEvaluations);
    const f = minimize(sys, 'KA3D', { fnormTol: 1e-8 });
    expect(maxMinImageDiff(a.system.positions, f.system.positions, sys.box, 3)).toBeLessThan(1e-6);
  });

  it('FIRE reaching the tolerance before the switch skips L-BFGS', () => {
    const sys = ka3dRandom(54);
    const r = minimize(sys, 'KA3D', { method: 'hybrid', fnormTol: 0.5, switchFnorm: 0.01 });
    expect(r.stages!.lbfgs).toBeNull();
    expect(r.forceNorm).toBeLessThan(0.5);
  });
});

describe('rules, options and cache keys', () => {
  it('lammps = FIRE to |F|_2 < 1e-8; fast = hybrid; FIRE\'s resolved options carry no hybrid keys', () => {
    expect(resolveMinimizeOptions(minimizeRule('lammps'))).toEqual(resolveMinimizeOptions({ fnormTol: 1e-8 }));
    expect(Object.keys(resolveMinimizeOptions({})).some((k) => ['method', 'switchFnorm', 'lbfgsMaxStep', 'lbfgsMemory'].includes(k))).toBe(false);
    const f = resolveMinimizeOptions(MINIMIZE_RULES.fast);
    expect(f).toMatchObject({ method: 'hybrid', switchFnorm: 1e-3, lbfgsMaxStep: 0.01, lbfgsMemory: 8, fnormTol: 1e-6, ftol: 0, skin: 0.1 });
    expect(FIT_MIN_RULE).toBe('fast');
    expect(fitMinimizeOptions()).toEqual(minimizeRule('fast'));
    // a copy: editing it changes no rule
    const copy = minimizeRule('fast');
    copy.fnormTol = 1;
    expect(MINIMIZE_RULES.fast.fnormTol).toBe(1e-6);
  });

  it('every rule and hybrid option has its own cache key; the cache stores each apart', () => {
    const sys = ka3dRandom(55, 6);
    const keys = [
      minimizeCacheKey(sys, 'KA3D', {}),
      minimizeCacheKey(sys, 'KA3D', minimizeRule('lammps')),
      minimizeCacheKey(sys, 'KA3D', minimizeRule('fast')),
      minimizeCacheKey(sys, 'KA3D', { ...minimizeRule('fast'), switchFnorm: 0.02 }),
      minimizeCacheKey(sys, 'KA3D', { ...minimizeRule('fast'), lbfgsMaxStep: 0.02 }),
      minimizeCacheKey(sys, 'KA3D', { ...minimizeRule('fast'), lbfgsMemory: 5 }),
      minimizeCacheKey(sys, 'KA3D', { ...minimizeRule('fast'), fnormTol: 1e-8 }),
      minimizeCacheKey(sys, 'KA3D', { ...minimizeRule('lammps'), skin: 0.1 }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    // the same options spelled differently (defaults explicit) share the key
    expect(minimizeCacheKey(sys, 'KA3D', { method: 'hybrid' })).toBe(minimizeCacheKey(sys, 'KA3D', { method: 'hybrid', switchFnorm: 0.01, lbfgsMaxStep: 0.01, lbfgsMemory: 8 }));
    expect(minimizeCacheKey(sys, 'KA3D', { method: 'fire' })).toBe(minimizeCacheKey(sys, 'KA3D', {}));
    const dir = mkdtempSync(join(tmpdir(), 'gb-rule-cache-'));
    try {
      const a = minimizeCached(sys, 'KA3D', minimizeRule('fast'), { dir });
      const b = minimizeCached(sys, 'KA3D', minimizeRule('lammps'), { dir });
      expect(a.cached || b.cached).toBe(false);
      const a2 = minimizeCached(sys, 'KA3D', minimizeRule('fast'), { dir });
      expect(a2.cached).toBe(true);
      expect(bitsEqual(a2.system.positions, a.system.positions)).toBe(true);
      expect(a2.options).toEqual(a.options);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad rules and options, naming them', () => {
    const sys = ka3dRandom(56, 6);
    expect(() => minimizeRule('quick')).toThrow(/rule must be one of lammps, fast, got "quick"/);
    expect(() => minimize(sys, 'KA3D', { method: 'cg' as never })).toThrow(InputError);
    expect(() => minimize(sys, 'KA3D', { switchFnorm: 0.1 })).toThrow(/switchFnorm applies to method 'hybrid' only/);
    expect(() => minimize(sys, 'KA3D', { method: 'hybrid', trace: true })).toThrow(/trace applies to method 'fire' only/);
    expect(() => minimize(sys, 'KA3D', { method: 'hybrid', switchFnorm: 0 })).toThrow(/switchFnorm must be a positive/);
    expect(() => minimize(sys, 'KA3D', { method: 'hybrid', lbfgsMemory: 0 })).toThrow(/lbfgsMemory must be an integer 1\.\.64/);
    expect(() => minimize(sys, 'KA3D', { method: 'hybrid', lbfgsMaxStep: -1 })).toThrow(/lbfgsMaxStep/);
  });
});

describe.skipIf(!haveDist)('the fast rule in workers', () => {
  it('minimizeMany (2 workers) gives inline minimize\'s numbers bit for bit', async () => {
    const systems = [ka3dRandom(61, 6), ka3dRandom(62, 6), ka2dRandom(63)];
    const pots = ['KA3D', 'KA3D', 'KA2D'];
    const rs = await minimizeMany(systems, pots, minimizeRule('fast'), { enabled: false }, { threads: 2 });
    rs.forEach((r, i) => {
      const inline = minimize(systems[i], pots[i], minimizeRule('fast'));
      expect(bitsEqual(r.system.positions, inline.system.positions)).toBe(true);
      expect(r.forceEvaluations).toBe(inline.forceEvaluations);
      expect(r.options).toEqual(inline.options);
    });
  });
});

describe('glassbox minimize --min-rule', () => {
  it('lammps: FIRE to |F|_2 < 1e-8; fast: the fit rule; a tolerance overrides the rule\'s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-cli-rule-'));
    const err = console.error;
    try {
      const sys = ka2dRandom(71);
      const input = join(dir, 'in.xyz');
      writeFileSync(input, writeXyz(sys));
      console.error = () => {};
      expect(await runCli([input, '-o', join(dir, 'l.xyz'), '--min-rule', 'lammps', '--no-cache'])).toBe(0);
      expect(await runCli([input, '-o', join(dir, 'f.xyz'), '--min-rule', 'fast', '--no-cache'])).toBe(0);
      expect(await runCli([input, '-o', join(dir, 't.xyz'), '--min-rule', 'fast', '--fnorm-tol', '1e-9', '--no-cache'])).toBe(0);
      await expect(runCli([input, '-o', join(dir, 'x.xyz'), '--min-rule', 'quick'])).rejects.toThrow(/--min-rule must be one of lammps, fast/);
      console.error = err;
      const got = (f: string) => readSystems(join(dir, f)).frames[0].system.positions;
      expect(bitsEqual(got('l.xyz'), minimize(sys, 'KA2D', { fnormTol: 1e-8 }).system.positions)).toBe(true);
      expect(bitsEqual(got('f.xyz'), minimize(sys, 'KA2D', minimizeRule('fast')).system.positions)).toBe(true);
      expect(bitsEqual(got('t.xyz'), minimize(sys, 'KA2D', { ...minimizeRule('fast'), fnormTol: 1e-9, ftol: 0 }).system.positions)).toBe(true);
    } finally {
      console.error = err;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
