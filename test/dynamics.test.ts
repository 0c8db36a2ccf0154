// MD kernel (assembly/dynamics/md.ts) vs its plain TS reference (brute force, same random stream),
// NVE energy conservation, the Langevin temperature, the cage walls, and the cage state.
// LAMMPS comparisons (energy drift, temperature, speed) are in bench/md.bench.mjs.
import { describe, expect, it } from 'vitest';
import { cageState, md, energyAndForces, InputError } from '../src/index.js';
import { mdReference } from '../src/reference/dynamics.js';
import { latticeSystem } from './helpers/systems.js';

const ka3dSmall = (seed: number, side = 6, noise = 0.08) => latticeSystem(seed, 3, side, 1.2, noise, ['A', 'B'], [0.8, 0.2]);
const ka2dSmall = (seed: number) => latticeSystem(seed, 2, 12, 1.1, 0.08, ['1', '2', '3'], [0.465, 0.256, 0.279]);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('md kernel vs TS reference', () => {
  it('Langevin, Maxwell-Boltzmann start: same trajectory (3D KA, 216 particles)', () => {
    const sys = ka3dSmall(3);
    const o = { dt: 0.002, steps: 40, gamma: 1, temperature: 0.5, seed: 7, sampleEvery: 5 };
    const a = md(sys, 'KA3D', o);
    const b = mdReference(sys, 'KA3D', o);
    expect(maxAbsDiff(a.positions, b.positions)).toBeLessThan(1e-9);
    expect(maxAbsDiff(a.velocities, b.velocities)).toBeLessThan(1e-8);
    expect(maxAbsDiff(a.mean!, b.mean!)).toBeLessThan(1e-9);
    expect(Math.abs(a.potentialEnergy - b.potentialEnergy)).toBeLessThan(1e-8 * Math.abs(b.potentialEnergy));
    // the particles did move (the test can fail)
    expect(maxAbsDiff(a.positions, sys.positions)).toBeGreaterThan(1e-3);
  });
  it('NVE with given velocities and the cage walls: same trajectory and reflections (2D KA)', () => {
    const sys = ka2dSmall(5);
    const v0 = md(sys, 'KA2D', { steps: 0, temperature: 2, seed: 3 }).velocities;
    const o = { dt: 0.005, steps: 60, velocities: v0, cage: true, cageRadius: 2.2 };
    const a = md(sys, 'KA2D', o);
    const b = mdReference(sys, 'KA2D', o);
    expect(a.reflections).toBeGreaterThan(0);
    expect(a.reflections).toBe(b.reflections);
    expect(maxAbsDiff(a.positions, b.positions)).toBeLessThan(1e-9);
  });
});

describe('md physics', () => {
  it('NVE conserves the total energy (drift and fluctuation small at dt = 0.005)', () => {
    // the random lattice is far from equilibrium (hot): melt it with Langevin first
    const sys0 = ka3dSmall(11, 6);
    const eq = md(sys0, 'KA3D', { dt: 0.002, steps: 2000, gamma: 5, temperature: 0.8, seed: 1 });
    const sys = { ...sys0, positions: eq.positions };
    const r = md(sys, 'KA3D', { steps: 2000, temperature: 0.8, seed: 1, traceEvery: 100 });
    const t = r.trace!;
    const E = Array.from(t.potential, (u, k) => (u + t.kinetic[k]) / sys.n);
    const spread = Math.max(...E) - Math.min(...E);
    expect(spread).toBeLessThan(2e-3);
    expect(t.temperature[0]).toBeCloseTo(0.8, 12); // MB start scaled to T exactly
    expect(Math.abs(t.temperature[t.temperature.length - 1] - 0.8)).toBeGreaterThan(1e-4); // T moves, E does not
  });
  it('Langevin holds the temperature', () => {
    const sys = ka3dSmall(12, 6);
    const r = md(sys, 'KA3D', { steps: 3000, gamma: 2, temperature: 0.8, seed: 2, traceEvery: 10 });
    const T = Array.from(r.trace!.temperature).slice(100);
    const mean = T.reduce((a, b) => a + b, 0) / T.length;
    expect(Math.abs(mean - 0.8)).toBeLessThan(0.04);
  });
  it('deterministic: same seed, same numbers; another seed, other numbers', () => {
    const sys = ka3dSmall(4);
    const o = { steps: 30, gamma: 1, temperature: 0.5, seed: 9 };
    expect(md(sys, 'KA3D', o).positions).toEqual(md(sys, 'KA3D', o).positions);
    expect(maxAbsDiff(md(sys, 'KA3D', { ...o, seed: 10 }).positions, md(sys, 'KA3D', o).positions)).toBeGreaterThan(1e-6);
  });
  it('cage walls keep every particle in its Voronoi cell at a high temperature', () => {
    const sys = ka3dSmall(8);
    const r = md(sys, 'KA3D', { steps: 400, gamma: 1, temperature: 3, seed: 4, cage: true });
    expect(r.reflections).toBeGreaterThan(0);
    // closest site of each final position is its own
    const n = sys.n, L = sys.box;
    for (let i = 0; i < n; i++) {
      let best = -1, bd = Infinity;
      for (let j = 0; j < n; j++) {
        let d2 = 0;
        for (let a = 0; a < 3; a++) { let d = r.positions[i * 3 + a] - sys.positions[j * 3 + a]; d -= L[a] * Math.round(d / L[a]); d2 += d * d; }
        if (d2 < bd) { bd = d2; best = j; }
      }
      expect(best).toBe(i);
    }
  });
  it('bad options are InputErrors', () => {
    const sys = ka3dSmall(1);
    expect(() => md(sys, 'KA3D', { steps: 10 })).toThrow(InputError); // no temperature for MB
    expect(() => md(sys, 'KA3D', { dt: -1, temperature: 1 })).toThrow(InputError);
    expect(() => cageState(sys, 'KA3D', { runs: 0 })).toThrow(InputError);
  });
});

describe('cage state', () => {
  it('is the mean of the runs, stays near the start, and differs from the start', () => {
    const sys = ka3dSmall(21);
    const c = cageState(sys, 'KA3D', { temperature: 0.5, time: 0.5, runs: 2 });
    const d = maxAbsDiff(c.positions, sys.positions);
    expect(d).toBeGreaterThan(1e-3);
    expect(d).toBeLessThan(0.6);
    const r0 = md(sys, 'KA3D', { steps: 100, gamma: 1, temperature: 0.5, seed: 1, cage: true, sampleEvery: 10, sampleFrom: 10 });
    const r1 = md(sys, 'KA3D', { steps: 100, gamma: 1, temperature: 0.5, seed: 2, cage: true, sampleEvery: 10, sampleFrom: 10 });
    const mean = r0.mean!.map((x, k) => (x + r1.mean![k]) / 2);
    expect(maxAbsDiff(c.positions, mean)).toBeLessThan(1e-12);
    expect(energyAndForces({ ...sys, positions: c.positions }, 'KA3D').energy).toBeLessThan(0);
  });
});
