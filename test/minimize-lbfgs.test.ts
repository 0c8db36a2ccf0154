// L-BFGS and the FIRE -> L-BFGS hybrid (src/minimize/lbfgs.ts, assembly/minimize/lbfgs.ts):
// convergence checked by recomputing the forces, the hybrid's minimum against FIRE's (same
// basin), input untouched, bad options refused. Speed vs LAMMPS: bench/minimize-lbfgs.bench.mjs.
import { describe, expect, it } from 'vitest';
import { energyAndForces, minimize, InputError } from '../src/index.js';
import { minimizeHybrid, minimizeLbfgs } from '../src/minimize/lbfgs.js';
import { latticeSystem } from './helpers/systems.js';

const ka3dRandom = (seed: number) => latticeSystem(seed, 3, 6, 1.2, 0.1, ['A', 'B'], [0.8, 0.2]);
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

describe('L-BFGS minimiser', () => {
  for (const [name, sys, pot] of [['KA3D', ka3dRandom(41), 'KA3D'], ['KA2D', ka2dRandom(42), 'KA2D']] as const) {
    it(`${name}: converges to |F|_2 < 1e-8 (forces recomputed), energy lowered, input untouched`, () => {
      const before = Float64Array.from(sys.positions);
      const start = energyAndForces(sys, pot);
      const r = minimizeLbfgs(sys, pot, { fnormTol: 1e-8, ftol: 0 });
      expect(r.converged).toBe(true);
      expect(r.forceNorm).toBeLessThan(1e-8);
      const after = energyAndForces(r.system, pot);
      expect(Math.hypot(...after.forces)).toBeLessThan(1e-7);
      expect(after.energyPerParticle).toBeLessThan(start.energyPerParticle);
      expect(Math.abs(after.energyPerParticle - r.energyPerParticle)).toBeLessThan(1e-12 * Math.abs(r.energyPerParticle));
      expect(sys.positions).toEqual(before);
    });

    it(`${name}: the hybrid ends in FIRE's minimum (energy 1e-10 relative, positions 1e-6)`, () => {
      const fire = minimize(sys, pot, { fnormTol: 1e-8, ftol: 0 });
      const h = minimizeHybrid(sys, pot, { fnormTol: 1e-8, ftol: 0 });
      expect(fire.converged && h.converged).toBe(true);
      expect(h.stages.lbfgs).not.toBeNull();
      expect(h.forceEvaluations).toBe(h.stages.fire.forceEvaluations + h.stages.lbfgs!.forceEvaluations);
      expect(Math.abs(h.energyPerParticle - fire.energyPerParticle)).toBeLessThan(1e-10 * Math.abs(fire.energyPerParticle));
      expect(maxMinImageDiff(h.system.positions, fire.system.positions, sys.box, sys.dim)).toBeLessThan(1e-6);
    });
  }

  it('refuses a bad memory size', () => {
    expect(() => minimizeLbfgs(ka3dRandom(1), 'KA3D', { memory: 0 })).toThrow(InputError);
    expect(() => minimizeLbfgs(ka3dRandom(1), 'KA3D', { memory: 2.5 })).toThrow(/memory must be an integer 1\.\.64/);
  });
});
