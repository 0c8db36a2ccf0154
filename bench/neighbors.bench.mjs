// Neighbour search: KA 3D configuration at r_c = 2.8 (full CSR list), and a 1,000,000-particle
// random 3D system at density 1.2 with r_c = 1.5 (about 17 million pairs), streamed in chunks.
import { NeighborQuery, createSystem } from '../dist/src/index.js';
import { spatialOrder, permuteSystem } from '../dist/src/neighbors/neighbors.js';
import { mulberry32 as rng } from '../dist/src/models/diagnostics.js';
import { runSuite } from './lib.mjs';

function randomSystem(n, rho) {
  const L = Math.cbrt(n / rho);
  const r = rng(7);
  const pos = new Float64Array(3 * n);
  for (let i = 0; i < pos.length; i++) pos[i] = r() * L;
  return createSystem({ dim: 3, box: [L, L, L], positions: pos });
}

const ka = randomSystem(4096, 1.2);
const big = randomSystem(1_000_000, 1.2);
let pairsKA = 0;
let pairsBig = 0;
await runSuite('neighbors', [
  {
    name: 'N=4096 density 1.2, r_c=2.8, full CSR list (build cells + list)',
    fn: () => {
      const q = new NeighborQuery(ka, 2.8);
      q.buildHandle();
      pairsKA = q.w.exports.neighborListCount(q.buildHandle());
      q.free();
    },
    extra: () => ({ directedPairs: pairsKA }),
  },
  {
    name: 'N=1,000,000 density 1.2, r_c=1.5, spatial sort + cells + chunked full lists (64k rows)',
    fn: () => {
      const sorted = permuteSystem(big, spatialOrder(big));
      const q = new NeighborQuery(sorted, 1.5);
      let total = 0;
      for (let i0 = 0; i0 < big.n; i0 += 65536) {
        const h = q.buildHandle(i0, Math.min(big.n, i0 + 65536));
        total += q.w.exports.neighborListCount(h);
      }
      pairsBig = total / 2;
      q.free();
    },
    extra: () => ({ pairs: pairsBig, directedPairs: 2 * pairsBig }),
    minSamples: 3,
  },
  {
    name: 'N=1,000,000 density 1.2, r_c=1.5, spatial sort + cells + chunked half lists',
    fn: () => {
      const sorted = permuteSystem(big, spatialOrder(big));
      const q = new NeighborQuery(sorted, 1.5);
      let total = 0;
      for (let i0 = 0; i0 < big.n; i0 += 65536) {
        const h = q.buildHandle(i0, Math.min(big.n, i0 + 65536), 1.5, true);
        total += q.w.exports.neighborListCount(h);
      }
      pairsBig = total;
      q.free();
    },
    extra: () => ({ pairs: pairsBig }),
    minSamples: 3,
  },
  {
    name: 'N=1,000,000 density 1.2, r_c=1.5, random order, cells + chunked full lists (64k rows)',
    fn: () => {
      const q = new NeighborQuery(big, 1.5);
      let total = 0;
      for (let i0 = 0; i0 < big.n; i0 += 65536) {
        const h = q.buildHandle(i0, Math.min(big.n, i0 + 65536));
        total += q.w.exports.neighborListCount(h);
      }
      pairsBig = total / 2;
      q.free();
    },
    extra: () => ({ pairs: pairsBig }),
    minSamples: 3,
  },
  {
    name: 'N=1,000,000 density 1.2, r_c=1.5, cells + streamed half count',
    fn: () => {
      const q = new NeighborQuery(big, 1.5);
      pairsBig = q.countPairs();
      q.free();
    },
    extra: () => ({ pairs: pairsBig }),
    minSamples: 3,
  },
]);
