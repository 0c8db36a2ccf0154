// Minimiser: pair forces (wasm) vs the O(N^2) TS reference and vs finite differences of the energy,
// FIRE vs LAMMPS (step by step, fixture) and vs the TS reference FIRE, the energy rule, the cache,
// the CLI, and the real KA 3D data against LAMMPS's inherent structures (skipped without ../shared).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystem, energyAndForces, minimize, InputError, type System } from '../src/index.js';
import { minimizeCached, minimizeCacheKey } from '../src/node/cache.js';
import { ka2d, ka3d, pairEnergyRef } from '../src/potential/potentials.js';
import { energyAndForcesReference, fireReference } from '../src/reference/minimize.js';
import { run as runCli } from '../src/cli/minimize.js';
import { readSystems as readFile } from '../src/node/fs.js';
import { writeXyz } from '../src/io/xyz.js';
const readSystems = (f: string) => readFile(f).frames.map((fr) => fr.system);
import { readNpy, readNpz } from './helpers/npy.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';
import { latticeSystem } from './helpers/systems.js';
import { setWasm, wasm } from '../src/wasm/runtime.js';
import { loadNodeWasm } from '../src/wasm/node.js';
import { minimizeRule } from '../src/minimize/minimize.js';

const SHARED = new URL('../../shared/', import.meta.url);
const KA3D_TRAIN = new URL('data/ka3d-T0.44/train/isoconfig_N4096T0.44_1_tc07.npz', SHARED);
const KA3D_IS = new URL('data/ka3d-T0.44/inherent/isoconfig_N4096T0.44_1_tc07_is.npy', SHARED);
const KA2D_CONF = new URL('data/ka2d-T0.23/N1290T0.23_151_tc05.npz', SHARED);
const haveShared = existsSync(KA3D_TRAIN) && existsSync(KA3D_IS);
if (!haveShared) console.warn('minimize.test: ../shared data not found: the real-data tests are skipped');


const ka3dRandom = (seed: number, side = 7, noise = 0.1) => latticeSystem(seed, 3, side, 1.2, noise, ['A', 'B'], [0.8, 0.2]);
const ka2dRandom = (seed: number, side = 14, noise = 0.1) => latticeSystem(seed, 2, side, 1.1, noise, ['1', '2', '3'], [0.465, 0.256, 0.279]);

function loadKa3d(): { sys: System; is: Float64Array; L: number } {
  const z = readNpz(KA3D_TRAIN);
  const L = Math.cbrt(4096 / 1.2);
  const sys = createSystem({ dim: 3, box: [L, L, L], positions: z.initial_positions.data as Float64Array, types: z.types.data as Int8Array, source: 'ka3d conf 1' });
  return { sys, is: readNpy(KA3D_IS).data as Float64Array, L };
}

function loadKa2d(): System {
  const z = readNpz(KA2D_CONF);
  const L = (z.box.data as Float64Array)[0];
  const types = Array.from(z.types.data as BigInt64Array, Number);
  return createSystem({ dim: 2, box: [L, L], positions: z.initial_positions.data as Float64Array, types, source: 'ka2d 151' });
}

/** max over components of |a - b| (a, b flat). */
function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * F_ic against minus the 4th-order central difference of sum_j V_ij = 2 e_i (the part of U that
 * depends on x_i), step h; checks |F_fd - F| <= rel |F| + abs for the chosen particles.
 */
function checkFiniteDifferences(sys: System, pot: 'KA3D' | 'KA2D', particles: number[], rel = 1e-6, abs = 1e-9) {
  const { forces } = energyAndForces(sys, pot);
  const h = 1e-4;
  const D = sys.dim;
  const P = pot === 'KA3D' ? ka3d() : ka2d();
  // the stencil must not cross a cutoff (truncated-and-shifted LJ has a force jump there)
  const nearCutoff = (i: number) => {
    for (let j = 0; j < sys.n; j++) {
      if (j === i) continue;
      let r2 = 0;
      for (let c = 0; c < D; c++) {
        let d = sys.positions[j * D + c] - sys.positions[i * D + c];
        d -= sys.box[c] * Math.round(d / sys.box[c]);
        r2 += d * d;
      }
      if (Math.abs(Math.sqrt(r2) - P.pairs[sys.species[i]][sys.species[j]].cutoff) < 10 * h) return true;
    }
    return false;
  };
  let worst = 0, checked = 0;
  for (const i of particles) {
    if (nearCutoff(i)) continue;
    checked++;
    for (let c = 0; c < D; c++) {
      const e2 = (dx: number) => {
        const p = Float64Array.from(sys.positions);
        p[i * D + c] += dx;
        return 2 * energyAndForces({ ...sys, positions: p }, pot).energies[i];
      };
      const g = (-e2(2 * h) + 8 * e2(h) - 8 * e2(-h) + e2(-2 * h)) / (12 * h);
      const f = forces[i * D + c];
      const err = Math.abs(-g - f);
      worst = Math.max(worst, err / (Math.abs(f) + 1e-3));
      expect(err, `particle ${i} component ${c}: F = ${f}, -dU/dx = ${-g}`).toBeLessThanOrEqual(rel * Math.abs(f) + abs);
    }
  }
  expect(checked).toBeGreaterThan(particles.length / 2);
  return worst;
}

function totalForce(sys: System, forces: Float64Array) {
  const D = sys.dim;
  const s = new Array(D).fill(0), a = new Array(D).fill(0);
  for (let i = 0; i < sys.n; i++) for (let c = 0; c < D; c++) { s[c] += forces[i * D + c]; a[c] += Math.abs(forces[i * D + c]); }
  return { sum: s, scale: a };
}

/** The restart rule: U rises (beyond roundoff) over step k only if iteration k+1 restarts (P <= 0). */
function checkEnergyRule(r: ReturnType<typeof minimize>) {
  const t = r.trace!;
  let rises = 0;
  for (let k = 1; k <= r.iterations; k++) {
    const dU = t.energy[k] - t.startEnergy[k];
    if (dU > 1e-12 * Math.abs(t.energy[k])) {
      rises++;
      if (k < r.iterations) expect(t.restart[k + 1], `energy rose by ${dU} at step ${k} without a restart at step ${k + 1}`).toBe(1);
    }
    // a step that does not restart starts where the previous one ended
    if (!t.restart[k]) expect(t.startEnergy[k]).toBe(t.energy[k - 1]);
  }
  return rises;
}

describe('pair energies and forces', () => {
  it('two particles: kernel V(r) and F(r) equal the spec formula for every species pair (KA3D, KA2D)', () => {
    for (const pot of [ka3d(), ka2d()]) {
      const S = pot.species.length;
      for (let a = 0; a < S; a++) for (let b = 0; b < S; b++) {
        const q = pot.pairs[a][b];
        for (const r of [0.7, 0.9, 1.0, 1.3, 1.9, q.cutoff - 1e-9, q.cutoff, q.cutoff + 1e-9, 2.7]) {
          const L = 8;
          const sys = createSystem({ dim: pot.name === 'KA3D' ? 3 : 2, box: pot.name === 'KA3D' ? [L, L, L] : [L, L], positions: pot.name === 'KA3D' ? [7.9, 1, 1, 7.9 + r - L, 1, 1] : [7.9, 1, 7.9 + r - L, 1], types: [pot.species[a], pot.species[b]], speciesOrder: pot.species });
          const ef = energyAndForces(sys, pot);
          const v = pairEnergyRef(q, r);
          expect(Math.abs(ef.energy - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
          const s = q.sigma;
          const dv = r >= q.cutoff ? 0 : 4 * q.eps * (-12 * s ** 12 / r ** 13 + 6 * s ** 6 / r ** 7 + 2 * q.c2 * r / s ** 2 + 4 * q.c4 * r ** 3 / s ** 4);
          // particle 1 sits at +r along x from particle 0 (through the boundary): F_1x = -V'(r)
          const D = sys.dim;
          expect(Math.abs(ef.forces[D] + dv)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(dv)));
          expect(ef.forces[0] + ef.forces[D]).toBe(0);
          expect(Math.abs(ef.energies[0] - v / 2)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
        }
      }
    }
  });

  it('kernel equals the O(N^2) reference on random 3D KA3D and 2D KA2D configurations (property)', () => {
    fc.assert(
      // boxes with 2 cells per side (full stencil) and >= 3 (half stencil)
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.boolean(), fc.boolean(), fc.integer({ min: -3, max: 3 }), (seed, three, big, images) => {
        const base = three ? ka3dRandom(seed, big ? 10 : 7, 0.3) : ka2dRandom(seed, big ? 14 : 8, 0.3);
        // shift some particles by whole boxes: energies and forces must not change
        const p = Float64Array.from(base.positions);
        for (let i = 0; i < base.n; i += 7) p[i * base.dim] += images * base.box[0];
        const sys = { ...base, positions: p };
        const pot = three ? 'KA3D' : 'KA2D';
        const k = energyAndForces(sys, pot);
        const ref = energyAndForcesReference(sys, pot);
        expect(Math.abs(k.energy - ref.energy)).toBeLessThanOrEqual(1e-11 * Math.abs(ref.energy));
        const emax = Math.max(...Array.from(ref.energies, Math.abs));
        expect(maxAbsDiff(k.energies, ref.energies)).toBeLessThan(1e-12 * emax);
        const fmax = Math.max(...Array.from(ref.forces, Math.abs));
        expect(maxAbsDiff(k.forces, ref.forces)).toBeLessThan(1e-12 * fmax);
      }),
      { numRuns: 8 },
    );
  });

  it('forces are minus the finite-difference gradient of the energy (3D KA3D, 2D KA2D, random)', () => {
    const r = rng(11);
    for (const [sys, pot] of [[ka3dRandom(3), 'KA3D'], [ka2dRandom(4), 'KA2D']] as const) {
      const picks = Array.from({ length: 25 }, () => Math.floor(r() * sys.n));
      checkFiniteDifferences(sys, pot, picks);
    }
  });

  it('total force is zero', () => {
    for (const [sys, pot] of [[ka3dRandom(5), 'KA3D'], [ka2dRandom(6), 'KA2D']] as const) {
      const { sum, scale } = totalForce(sys, energyAndForces(sys, pot).forces);
      for (let c = 0; c < sys.dim; c++) expect(Math.abs(sum[c])).toBeLessThan(1e-13 * scale[c]);
    }
  });
});

describe('FIRE', () => {
  const fx = JSON.parse(readFileSync(new URL('./fixtures/lammps_fire_ka3d_n500.json', import.meta.url), 'utf8'));
  const fxSys = createSystem({ dim: 3, box: [fx.box, fx.box, fx.box], positions: fx.start, types: fx.types });

  it('reproduces LAMMPS FIRE step by step (N = 500 KA3D fixture, force two-norm < 1e-8)', () => {
    const r = minimize(fxSys, 'KA3D', { fnormTol: 1e-8, trace: true });
    expect(r.system.labels).toEqual(['A', 'B']); // LAMMPS types 1/2 relabelled
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(fx.iterations);
    expect(r.forceEvaluations).toBe(fx.forceEvaluations);
    const E: number[] = fx.energy;
    let worst = 0;
    for (let k = 0; k <= r.iterations; k++) worst = Math.max(worst, Math.abs(r.trace!.energy[k] - E[k]) / Math.abs(E[k]));
    expect(worst).toBeLessThan(1e-12);
    expect(maxAbsDiff(r.system.positions, fx.final)).toBeLessThan(1e-8);
    expect(r.forceNorm).toBeLessThan(1e-8);
    checkEnergyRule(r);
  });

  it('the kernel follows the TS reference FIRE (2D KA2D, 3D KA3D, 250 iterations)', () => {
    for (const [sys, pot] of [[ka2dRandom(21, 10), 'KA2D'], [ka3dRandom(22, 7), 'KA3D']] as const) {
      const k = minimize(sys, pot, { maxIter: 250, trace: true });
      const ref = fireReference(sys, pot, { maxIter: 250 });
      expect(k.iterations).toBe(ref.iterations);
      for (let s = 0; s <= k.iterations; s++) expect(Math.abs(k.trace!.energy[s] - ref.energies[s])).toBeLessThan(1e-9 * Math.abs(ref.energies[s]));
      expect(maxAbsDiff(k.system.positions, ref.positions)).toBeLessThan(1e-8);
      expect(Array.from(k.trace!.restart).flatMap((x, s) => (x ? [s] : []))).toEqual(ref.restartsAt);
    }
  });

  it('converges to ftol (largest force component) in 2D and 3D; energy rises only on steps that trigger a restart', () => {
    for (const [sys, pot] of [[ka2dRandom(31), 'KA2D'], [ka3dRandom(32), 'KA3D']] as const) {
      const r = minimize(sys, pot, { trace: true });
      expect(r.converged).toBe(true);
      expect(r.maxForce).toBeLessThan(1e-8);
      const check = energyAndForces(r.system, pot);
      expect(Math.max(...Array.from(check.forces, Math.abs))).toBeLessThan(1e-8);
      expect(check.energy).toBeCloseTo(r.energy, 8);
      expect(r.energy).toBeLessThan(energyAndForces(sys, pot).energy);
      checkEnergyRule(r);
    }
  });

  it('abc-FIRE (option) also converges to a minimum', () => {
    const sys = ka3dRandom(41);
    const r = minimize(sys, 'KA3D', { abc: true, fnormTol: 1e-8 });
    expect(r.converged).toBe(true);
    expect(energyAndForces(r.system, 'KA3D').forces.every((f) => Math.abs(f) < 1e-8)).toBe(true);
  });

  it('reports the iteration cap as not converged', () => {
    const r = minimize(ka3dRandom(51), 'KA3D', { maxIter: 10 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(10);
    expect(r.maxForce).toBeGreaterThan(1e-8);
  });

  it('positions are start + displacement (unwrapped), whatever images the input uses; the input is untouched', () => {
    const sys = ka2dRandom(61, 10);
    const before = Float64Array.from(sys.positions);
    const a = minimize(sys, 'KA2D');
    expect(Array.from(sys.positions)).toEqual(Array.from(before));
    const shifted = Float64Array.from(sys.positions);
    for (let i = 0; i < sys.n; i++) shifted[i * 2] += (i % 5 - 2) * 3 * sys.box[0];
    const b = minimize({ ...sys, positions: shifted }, 'KA2D');
    expect(b.iterations).toBe(a.iterations);
    for (let i = 0; i < sys.n; i++) {
      expect(Math.abs(b.system.positions[2 * i] - a.system.positions[2 * i] - (i % 5 - 2) * 3 * sys.box[0])).toBeLessThan(1e-9);
      expect(Math.abs(b.system.positions[2 * i + 1] - a.system.positions[2 * i + 1])).toBeLessThan(1e-9);
    }
    // displacements are small (no whole-box jumps)
    for (let i = 0; i < sys.n * 2; i++) expect(Math.abs(a.system.positions[i] - sys.positions[i])).toBeLessThan(0.25 * sys.box[0]);
  });

  it('scalar and SIMD builds: the same forces, energies and minima bit for bit (FIRE, the fast hybrid, 2D and 3D)', () => {
    const original = wasm();
    const same = (a: ArrayBufferView, b: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    try {
      for (const [sys, pot] of [[ka3dRandom(41), 'KA3D'], [ka2dRandom(42), 'KA2D']] as const) {
        const out = (['scalar', 'simd'] as const).map((b) => {
          setWasm(loadNodeWasm(b === 'simd'));
          expect(wasm().simd).toBe(b === 'simd');
          return { ef: energyAndForces(sys, pot), fire: minimize(sys, pot, { maxIter: 300 }), fast: minimize(sys, pot, minimizeRule('fast')) };
        });
        const [a, b] = out;
        expect(same(a.ef.forces, b.ef.forces) && same(a.ef.energies, b.ef.energies) && a.ef.energy === b.ef.energy).toBe(true);
        for (const k of ['fire', 'fast'] as const) {
          expect(same(a[k].system.positions, b[k].system.positions)).toBe(true);
          expect([a[k].energy, a[k].forceEvaluations]).toEqual([b[k].energy, b[k].forceEvaluations]);
        }
      }
    } finally {
      setWasm(original);
    }
  });

  it('bad inputs are typed errors naming what is wrong', () => {
    const small = latticeSystem(1, 3, 3, 1.2, 0.1, ['A', 'B'], [0.8, 0.2]);
    expect(() => minimize(small, 'KA3D')).toThrow(/exceeds half the smallest box side/);
    const three = latticeSystem(1, 3, 7, 1.2, 0.1, ['0', '1', '2'], [0.4, 0.3, 0.3]);
    expect(() => minimize(three, 'KA3D')).toThrow(InputError);
    const named = latticeSystem(1, 3, 7, 1.2, 0.1, ['X', 'Y'], [0.8, 0.2]);
    expect(() => energyAndForces(named, 'KA3D')).toThrow(/do not match/);
    expect(() => minimize(ka3dRandom(1), 'KA3D', { ftol: -1 })).toThrow(/ftol/);
    expect(() => minimize(ka3dRandom(1), 'KA3D', { dtMax: 0.001 })).toThrow(/dtMax/);
    expect(() => minimize(ka3dRandom(1), 'LJ9')).toThrow(/unknown potential preset/);
    // integer codes 0/1 become A/B; names are matched
    const codes = latticeSystem(2, 3, 7, 1.2, 0.1, ['0', '1'], [0.8, 0.2]);
    expect(minimize(codes, 'KA3D', { maxIter: 1 }).system.labels).toEqual(['A', 'B']);
  });
});

describe('minimised-structure cache', () => {
  it('a repeated run reads the stored minimum; other options or positions miss', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-cache-'));
    try {
      const sys = ka2dRandom(71, 10);
      const a = minimizeCached(sys, 'KA2D', {}, { dir });
      expect(a.cached).toBe(false);
      const b = minimizeCached(sys, 'KA2D', {}, { dir });
      expect(b.cached).toBe(true);
      expect(Array.from(b.system.positions)).toEqual(Array.from(a.system.positions));
      expect(b.energy).toBe(a.energy);
      expect(b.iterations).toBe(a.iterations);
      expect(minimizeCacheKey(sys, 'KA2D', { ftol: 1e-9 })).not.toBe(a.cacheKey);
      const moved = Float64Array.from(sys.positions);
      moved[0] += 1e-12;
      expect(minimizeCacheKey({ ...sys, positions: moved }, 'KA2D')).not.toBe(a.cacheKey);
      // a damaged entry is recomputed and rewritten
      writeFileSync(join(dir, 'minimize', `${a.cacheKey}.npy`), 'garbage');
      const c = minimizeCached(sys, 'KA2D', {}, { dir });
      expect(c.cached).toBe(false);
      expect(Array.from(c.system.positions)).toEqual(Array.from(a.system.positions));
      expect(minimizeCached(sys, 'KA2D', {}, { dir }).cached).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('glassbox minimize (CLI)', () => {
  it('minimises an extended XYZ file, writes extended XYZ, exit 3 at the iteration cap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-cli-'));
    try {
      const sys = ka2dRandom(81, 10);
      const input = join(dir, 'in.xyz'), out = join(dir, 'out.xyz');
      writeFileSync(input, writeXyz(sys));
      const err = console.error;
      console.error = () => {};
      let code: number, capped: number;
      try {
        code = await runCli([input, '-o', out, '--preset', 'KA2D', '--cache-dir', join(dir, 'cache')]);
        capped = await runCli([input, '-o', join(dir, 'capped.xyz'), '--max-iter', '5', '--no-cache']);
      } finally {
        console.error = err;
      }
      expect(code).toBe(0);
      expect(capped).toBe(3);
      const [got] = readSystems(out);
      const want = minimize(sys, 'KA2D');
      expect(got.labels).toEqual(['1', '2', '3']);
      expect(maxAbsDiff(got.positions, want.system.positions)).toBe(0);
      await expect(runCli([input])).rejects.toThrow(/-o OUT.xyz/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!haveShared)('real configurations (../shared/data)', () => {
  it('KA3D configuration 1: forces vs reference, finite differences and total force', () => {
    const { sys } = loadKa3d();
    const k = energyAndForces(sys, 'KA3D');
    const ref = energyAndForcesReference(sys, 'KA3D');
    expect(Math.abs(k.energy - ref.energy)).toBeLessThan(1e-11 * Math.abs(ref.energy));
    expect(maxAbsDiff(k.forces, ref.forces)).toBeLessThan(1e-9);
    const r = rng(7);
    checkFiniteDifferences(sys, 'KA3D', Array.from({ length: 12 }, () => Math.floor(r() * sys.n)));
    const { sum, scale } = totalForce(sys, k.forces);
    for (let c = 0; c < 3; c++) expect(Math.abs(sum[c])).toBeLessThan(1e-13 * scale[c]);
  });

  it.skipIf(!existsSync(KA2D_CONF))('KA2D configuration 151: forces vs reference and finite differences', () => {
    const sys = loadKa2d();
    expect(sys.labels).toEqual(['1', '2', '3']);
    const k = energyAndForces(sys, 'KA2D');
    const ref = energyAndForcesReference(sys, 'KA2D');
    expect(Math.abs(k.energy - ref.energy)).toBeLessThan(1e-11 * Math.abs(ref.energy));
    expect(maxAbsDiff(k.forces, ref.forces)).toBeLessThan(1e-9);
    const r = rng(8);
    checkFiniteDifferences(sys, 'KA2D', Array.from({ length: 12 }, () => Math.floor(r() * sys.n)));
  });

  it.skipIf(!existsSync(KA2D_CONF))("KA2D configuration 151: the thermal start and the data's (loosely converged) inherent structure reach the same minimum", () => {
    const sys = loadKa2d();
    const z = readNpz(KA2D_CONF);
    const given = { ...sys, positions: z.initial_positions_inherent.data as Float64Array };
    // the data's inherent structure is only roughly converged under the KA2D potential (largest |F| ~ 0.2)
    const a = minimize(sys, 'KA2D');
    const b = minimize(given, 'KA2D');
    expect(a.converged && b.converged).toBe(true);
    expect(b.energyPerParticle).toBeLessThan(energyAndForces(given, 'KA2D').energyPerParticle);
    expect(Math.abs(a.energyPerParticle - b.energyPerParticle)).toBeLessThan(1e-12 * Math.abs(a.energyPerParticle));
    const L = sys.box[0];
    let worst = 0;
    for (let i = 0; i < sys.n * 2; i++) {
      let d = a.system.positions[i] - b.system.positions[i];
      d -= L * Math.round(d / L);
      worst = Math.max(worst, Math.abs(d));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("KA3D configuration 1: the minimum equals LAMMPS's (energy 1e-9 relative, >= 99% of particles within 1e-6)", () => {
    const { sys, is, L } = loadKa3d();
    // LAMMPS's minimum is a minimum of our potential too
    const lmp = energyAndForces({ ...sys, positions: is }, 'KA3D');
    expect(Math.hypot(...lmp.forces)).toBeLessThan(1e-7);
    const r = minimize(sys, 'KA3D', { fnormTol: 1e-8, trace: true });
    expect(r.converged).toBe(true);
    expect(r.forceNorm).toBeLessThan(1e-8);
    expect(Math.abs(r.energyPerParticle - lmp.energyPerParticle)).toBeLessThan(1e-9 * Math.abs(lmp.energyPerParticle));
    let within = 0;
    for (let i = 0; i < sys.n; i++) {
      let m = 0;
      for (let a = 0; a < 3; a++) {
        let d = r.system.positions[3 * i + a] - is[3 * i + a];
        d -= L * Math.round(d / L);
        m = Math.max(m, Math.abs(d));
      }
      if (m < 1e-6) within++;
    }
    expect(within / sys.n).toBeGreaterThanOrEqual(0.99);
    checkEnergyRule(r);
  });
});
