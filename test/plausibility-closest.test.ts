// closestPair (src/workflow/plausibility.ts) against a brute-force oracle over all pairs.
import { describe, expect, it } from 'vitest';
import '../src/wasm/node-install.js'; // closestPair runs in the kernels
import { createSystem } from '../src/system/system.js';
import { closestPair } from '../src/workflow/plausibility.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';

function brute(pos: ArrayLike<number>, box: number[], dim: number, sp: Int32Array, sigma: (a: number, b: number) => number, limit: number): number | null {
  let best: number | null = null;
  const n = sp.length;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let r2 = 0;
      for (let a = 0; a < dim; a++) {
        let d = pos[i * dim + a] - pos[j * dim + a];
        d -= box[a] * Math.round(d / box[a]);
        r2 += d * d;
      }
      const s = sigma(sp[i], sp[j]);
      if (Math.sqrt(r2) < limit * s && (best === null || Math.sqrt(r2) / s < best)) best = Math.sqrt(r2) / s;
    }
  }
  return best;
}

describe('closestPair', () => {
  it('finds the brute-force closest pair (relative to sigma_ab) in 2D and 3D, small and large cell grids', () => {
    const r = rng(11);
    const sig = (a: number, b: number) => [[1, 0.8], [0.8, 0.88]][a][b];
    let listed = 0;
    for (let t = 0; t < 120; t++) {
      const dim = t % 2 ? 3 : 2;
      const n = 2 + Math.floor(r() * 200);
      const box = Array.from({ length: dim }, () => 0.7 + r() * 10);
      const pos = Array.from({ length: n * dim }, (_, k) => (r() * 3 - 1) * box[k % dim]);
      const sys = createSystem({ dim, box, positions: pos, types: Array.from({ length: n }, () => (r() < 0.7 ? 'A' : 'B')) });
      const limit = 0.1 + r() * 1.5;
      listed += limit * 1 <= 0.5 * Math.min(...box) ? 1 : 0; // the kernel path (else all pairs)
      const got = closestPair(sys, sig, sys.species, limit);
      const want = brute(sys.positions, box, dim, sys.species, sig, limit);
      if (want === null) expect(got).toBeNull();
      else {
        expect(got).not.toBeNull();
        expect(Math.abs(got!.ratio - want)).toBeLessThan(1e-12 * Math.max(1, want));
        expect(got!.i).toBeLessThan(got!.j);
      }
    }
    expect(listed).toBeGreaterThan(30); // both paths ran
    expect(listed).toBeLessThan(110);
  });
});
