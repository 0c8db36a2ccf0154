// Plain TypeScript reference implementation of the propensity targets (for differential tests
// against the wasm kernel; O(N^2) brute-force cage neighbours). Same formulas as src/targets/targets.ts.

import type { System } from '../system/system.js';

/** Reference propensity: abs | msd | cage_abs, runs as M arrays of N*D. */
export function propensityReference(
  system: System,
  runs: readonly Float64Array[],
  kind: 'abs' | 'msd' | 'cage_abs',
  opts: { cageRadius?: number; minimumImage?: boolean } = {},
): Float64Array {
  const { n, dim: D, box } = system;
  const ref = system.positions;
  const mi = !!opts.minimumImage;
  const disp = (d: number, L: number) => (mi ? d - L * Math.floor(d / L + 0.5) : d);
  const delta = (run: Float64Array, i: number): number[] => {
    const v = [0, 0, 0];
    for (let a = 0; a < D; a++) v[a] = disp(run[i * D + a] - ref[i * D + a], box[a]);
    return v;
  };
  const nbrs: number[][] = [];
  if (kind === 'cage_abs') {
    const c = opts.cageRadius ?? 1.5;
    const w = new Float64Array(n * D);
    for (let i = 0; i < n * D; i++) {
      const L = box[i % D];
      let x = ref[i] - L * Math.floor(ref[i] / L);
      if (x >= L || x < 0) x = 0;
      w[i] = x;
    }
    for (let i = 0; i < n; i++) {
      const row: number[] = [];
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        let r2 = 0;
        for (let a = 0; a < D; a++) {
          const L = box[a];
          let d = w[j * D + a] - w[i * D + a];
          if (d > L / 2) d -= L;
          else if (d < -L / 2) d += L;
          r2 += d * d;
        }
        if (r2 <= c * c) row.push(j);
      }
      nbrs.push(row);
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (const run of runs) {
      const d = delta(run, i);
      if (kind === 'cage_abs' && nbrs[i].length > 0) {
        const s = [0, 0, 0];
        for (const j of nbrs[i]) {
          const dj = delta(run, j);
          for (let a = 0; a < 3; a++) s[a] += dj[a];
        }
        for (let a = 0; a < 3; a++) d[a] -= s[a] / nbrs[i].length;
      }
      const s2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      acc += kind === 'msd' ? s2 : Math.sqrt(s2);
    }
    out[i] = acc / runs.length;
  }
  return out;
}
