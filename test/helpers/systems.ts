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
