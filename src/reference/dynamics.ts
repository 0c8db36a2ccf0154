// Plain TS reference of the MD kernel (assembly/dynamics/md.ts) for differential tests: brute-force
// O(N^2) forces (minimize-reference.ts), the same B A O A B splitting, the same random stream
// (splitmix64 with BigInt, Marsaglia polar), the same Maxwell-Boltzmann start and the same cage
// walls (faces from every other site within cageRadius, minimum image). Small N only.

import type { System } from '../system/system.js';
import { minImage } from './geometry.js';
import { energyAndForcesReference } from './minimize.js';
import type { PotentialSpec } from '../minimize/minimize.js';
import type { MdOptions } from '../dynamics/dynamics.js';

const M64 = (1n << 64n) - 1n;

class SplitMix {
  private s: bigint;
  private spare = 0;
  private have = false;
  constructor(seed: number) { this.s = BigInt(seed) & M64; }
  next(): bigint {
    this.s = (this.s + 0x9e3779b97f4a7c15n) & M64;
    let z = this.s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  }
  uniform(): number { return Number(this.next() >> 11n) * 1.1102230246251565e-16; }
  gauss(): number {
    if (this.have) { this.have = false; return this.spare; }
    let a = 0, b = 0, s = 0;
    do { a = 2 * this.uniform() - 1; b = 2 * this.uniform() - 1; s = a * a + b * b; } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = b * m;
    this.have = true;
    return a * m;
  }
}

export interface MdReferenceResult {
  positions: Float64Array;
  velocities: Float64Array;
  mean?: Float64Array;
  potentialEnergy: number;
  kineticEnergy: number;
  reflections: number;
}

/** The MD kernel's algorithm written out plainly (see assembly/dynamics/md.ts). */
export function mdReference(system: System, potential: PotentialSpec, o: MdOptions = {}): MdReferenceResult {
  const n = system.n, D = system.dim;
  const dt = o.dt ?? 0.005, steps = o.steps ?? 1000, gamma = o.gamma ?? 0, T = o.temperature ?? 0;
  const rng = new SplitMix(o.seed ?? 1);
  const x = Float64Array.from(system.positions);
  const x0 = Float64Array.from(system.positions);
  const v = new Float64Array(n * D);
  if (o.velocities) v.set(o.velocities);
  else {
    // stride-3 draw order as the kernel (z drawn only in 3D)
    for (let i = 0; i < n; i++) for (let a = 0; a < D; a++) v[i * D + a] = Math.sqrt(T) * rng.gauss();
    for (let a = 0; a < D; a++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += v[i * D + a];
      m /= n;
      for (let i = 0; i < n; i++) v[i * D + a] -= m;
    }
    let k = 0;
    for (const c of v) k += c * c;
    k *= 0.5;
    const f = Math.sqrt((T * D * (n - 1)) / (2 * k));
    for (let q = 0; q < v.length; q++) v[q] *= f;
  }
  // faces
  const faces: number[][][] = [];
  const R = o.cageRadius ?? 2.2;
  if (o.cage) {
    for (let i = 0; i < n; i++) {
      const row: number[][] = [];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const h = [0, 0, 0];
        const r2 = minImage(x0, i, j, system.box, D, h);
        if (r2 <= R * R) row.push(h);
      }
      faces.push(row);
    }
  }
  let reflections = 0;
  const walls = () => {
    for (let i = 0; i < n; i++) {
      const u = [0, 0, 0];
      for (let a = 0; a < D; a++) u[a] = x[i * D + a] - x0[i * D + a];
      for (let pass = 0; pass < 8; pass++) {
        let hit = false;
        for (const h of faces[i]) {
          let sh = 0, h2 = 0, vh = 0;
          for (let a = 0; a < 3; a++) { sh += (u[a] - 0.5 * h[a]) * h[a]; h2 += h[a] * h[a]; vh += (a < D ? v[i * D + a] : 0) * h[a]; }
          if (sh > 0) {
            for (let a = 0; a < D; a++) u[a] -= (2 * sh / h2) * h[a];
            if (vh > 0) for (let a = 0; a < D; a++) v[i * D + a] -= (2 * vh / h2) * h[a];
            reflections++;
            hit = true;
          }
        }
        if (!hit) break;
      }
      for (let a = 0; a < D; a++) x[i * D + a] = x0[i * D + a] + u[a];
    }
  };
  let ef = energyAndForcesReference(system, potential, x);
  const c1 = Math.exp(-gamma * dt), c2 = Math.sqrt((1 - c1 * c1) * T);
  const every = o.sampleEvery ?? 0, from = o.sampleFrom ?? 0;
  const acc = new Float64Array(n * D);
  let samples = 0;
  const sample = () => { for (let q = 0; q < acc.length; q++) acc[q] += x[q]; samples++; };
  if (every > 0 && from <= 0) sample();
  for (let s = 1; s <= steps; s++) {
    for (let q = 0; q < v.length; q++) v[q] += 0.5 * dt * ef.forces[q];
    for (let q = 0; q < x.length; q++) x[q] += 0.5 * dt * v[q];
    if (o.cage) walls();
    if (gamma > 0) for (let q = 0; q < v.length; q++) v[q] = c1 * v[q] + c2 * rng.gauss();
    for (let q = 0; q < x.length; q++) x[q] += 0.5 * dt * v[q];
    if (o.cage) walls();
    ef = energyAndForcesReference(system, potential, x);
    for (let q = 0; q < v.length; q++) v[q] += 0.5 * dt * ef.forces[q];
    if (every > 0 && s >= from && (s - from) % every === 0) sample();
  }
  let K = 0;
  for (const c of v) K += 0.5 * c * c;
  return {
    positions: x, velocities: v, mean: every > 0 ? acc.map((a) => a / samples) : undefined,
    potentialEnergy: ef.energy, kineticEnergy: K, reflections,
  };
}
