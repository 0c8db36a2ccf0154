// Test systems shared by the minimiser and worker-pool tests.
import { createSystem, type System } from '../../src/index.js';
import { mulberry32 as rng } from '../../src/models/diagnostics.js';

/** Simple-cubic / square lattice at number density rho, each coordinate displaced by U(-noise, noise) lattice spacings. */
export function latticeSystem(seed: number, dim: 2 | 3, side: number, rho: number, noise: number, labels: string[], fractions: number[]): System {
  const r = rng(seed);
  const a = (1 / rho) ** (1 / dim);
  const n = side ** dim;
  const pos = new Float64Array(n * dim);
  const types: string[] = [];
  for (let i = 0; i < n; i++) {
    let q = i;
    for (let d = 0; d < dim; d++) {
      pos[i * dim + d] = ((q % side) + 0.5 + noise * (2 * r() - 1)) * a;
      q = Math.floor(q / side);
    }
    let u = r(), k = 0;
    while (k < fractions.length - 1 && u > fractions[k]) { u -= fractions[k]; k++; }
    types.push(labels[k]);
  }
  return createSystem({ dim, box: Array(dim).fill(side * a), positions: pos, types, speciesOrder: labels, source: `random ${dim}D #${seed}` });
}

/**
 * A jittered simple-cubic (square) lattice of n particles in a box of side L: no coincident
 * particles, liquid-like neighbour counts. Species: every 5th particle '1', the rest '0'
 * (species = 3: '1', '2', '3' in turn).
 */
export function jitteredLattice(seed: number, n: number, dim: 2 | 3, L: number, species: 3 | 5 = 5): System {
  const r = rng(seed);
  const pos: number[] = [];
  const m = Math.ceil(n ** (1 / dim));
  const a = L / m;
  for (let k = 0; k < n; k++) {
    const ix = k % m, iy = Math.floor(k / m) % m, iz = Math.floor(k / (m * m));
    pos.push((ix + 0.5 + 0.3 * (r() - 0.5)) * a, (iy + 0.5 + 0.3 * (r() - 0.5)) * a);
    if (dim === 3) pos.push((iz + 0.5 + 0.3 * (r() - 0.5)) * a);
  }
  const type = (i: number) => (species === 3 ? String(1 + (i % 3)) : i % 5 === 0 ? '1' : '0');
  return createSystem({ dim, box: Array(dim).fill(L), positions: pos, types: Array.from({ length: n }, (_, i) => type(i)) });
}
