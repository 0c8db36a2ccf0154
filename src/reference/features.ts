// Plain TypeScript O(N^2) reference of every descriptor family, written straight from
// ../shared/spec/descriptors.md with different numerics than the kernels (direct exp per shell,
// angles by atan2/acos, unnormalised associated Legendre functions with factorials, minimum
// image by rounding): the oracle of the differential tests. Small systems only.

import { pairEnergyRef } from '../potential/potentials.js';
import type { System } from '../system/system.js';
import { resolveFeatureOptions, type FeatureOptions } from '../features/options.js';
import { ballWeight, particleVolume, planFeatures } from '../features/families.js';
import type { FeatureMatrix } from '../features/types.js';

interface Pair { j: number; r: number; d: number[] }

function allPairs(sys: System, cutoff: number): Pair[][] {
  const D = sys.dim;
  const wrapped: number[][] = [];
  for (let i = 0; i < sys.n; i++) {
    const p: number[] = [];
    for (let a = 0; a < D; a++) {
      const L = sys.box[a];
      p.push(((sys.positions[i * D + a] % L) + L) % L);
    }
    wrapped.push(p);
  }
  const out: Pair[][] = [];
  for (let i = 0; i < sys.n; i++) {
    const row: Pair[] = [];
    for (let j = 0; j < sys.n; j++) {
      if (j === i) continue;
      const d = [0, 0, 0];
      for (let a = 0; a < D; a++) {
        const L = sys.box[a];
        let x = wrapped[j][a] - wrapped[i][a];
        x -= L * Math.round(x / L);
        d[a] = x;
      }
      const r = Math.hypot(d[0], d[1], d[2]);
      if (r <= cutoff) row.push({ j, r, d });
    }
    out.push(row);
  }
  return out;
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** Associated Legendre P_l^m(x), m >= 0, with the Condon-Shortley phase (standard recurrence in l). */
function legendre(l: number, m: number, x: number): number {
  let pmm = 1;
  const s = Math.sqrt(Math.max(0, 1 - x * x));
  for (let k = 1; k <= m; k++) pmm *= -(2 * k - 1) * s;
  if (l === m) return pmm;
  let pm1 = x * (2 * m + 1) * pmm;
  if (l === m + 1) return pm1;
  let pl = 0;
  for (let ll = m + 2; ll <= l; ll++) {
    pl = (x * (2 * ll - 1) * pm1 - (ll + m - 1) * pmm) / (ll - m);
    pmm = pm1;
    pm1 = pl;
  }
  return pl;
}

/** Y_lm(theta, phi) for -l <= m <= l as [re, im]. */
export function sphericalHarmonic(l: number, m: number, theta: number, phi: number): [number, number] {
  const am = Math.abs(m);
  const norm = Math.sqrt(((2 * l + 1) / (4 * Math.PI)) * (factorial(l - am) / factorial(l + am)));
  const p = norm * legendre(l, am, Math.cos(theta));
  let re = p * Math.cos(am * phi), im = p * Math.sin(am * phi);
  if (m < 0) {
    const sgn = am % 2 ? -1 : 1; // Y_{l,-m} = (-1)^m conj(Y_lm)
    re *= sgn;
    im *= -sgn;
  }
  return [re, im];
}

function cg(pairs: Pair[][], L: number, x: number[]): number[] {
  return x.map((xi, i) => {
    let num = xi, den = 1;
    for (const p of pairs[i]) {
      if (p.r > L) continue;
      const w = Math.exp(-p.r / L);
      num += w * x[p.j];
      den += w;
    }
    return num / den;
  });
}

/** The feature matrix by brute force (same options, names and order as computeFeatures). */
export function referenceFeatures(system: System, options: FeatureOptions = {}): FeatureMatrix {
  const { system: sys, options: o } = resolveFeatureOptions(system, options);
  const plan = planFeatures(sys, o);
  const N = sys.n, S = sys.labels.length, D = sys.dim;
  const cols: number[][] = []; // column-major while building
  // level 0 of R and A
  const ra: number[][] = [];
  if (o.families.has('R') || o.families.has('A')) {
    const pairs = allPairs(sys, o.rR);
    const shellW = (r: number, d: number) => Math.exp(-((r - d) ** 2) / (2 * o.delta * o.delta));
    if (o.families.has('R')) {
      for (let b = 0; b < S; b++) {
        for (const d of o.shells) {
          ra.push(pairs.map((row) => row.reduce((s, p) => s + (sys.species[p.j] === b ? shellW(p.r, d) : 0), 0)));
        }
      }
    }
    if (o.families.has('A')) {
      for (const l of o.ls) {
        for (const d of o.shells) {
          ra.push(pairs.map((row) => {
            let Z = 0;
            for (const p of row) Z += shellW(p.r, d);
            if (Z < 1e-10) return 0;
            if (D === 2) {
              let re = 0, im = 0;
              for (const p of row) {
                const th = Math.atan2(p.d[1], p.d[0]);
                const w = shellW(p.r, d);
                re += w * Math.cos(l * th);
                im += w * Math.sin(l * th);
              }
              return Math.hypot(re, im) / Z;
            }
            let s2 = 0;
            for (let m = -l; m <= l; m++) {
              let re = 0, im = 0;
              for (const p of row) {
                const th = Math.acos(Math.max(-1, Math.min(1, p.d[2] / p.r)));
                const ph = Math.atan2(p.d[1], p.d[0]);
                const [yr, yi] = sphericalHarmonic(l, m, th, ph);
                const w = shellW(p.r, d);
                re += w * yr;
                im += w * yi;
              }
              s2 += (re / Z) ** 2 + (im / Z) ** 2;
            }
            return Math.sqrt(((4 * Math.PI) / (2 * l + 1)) * s2);
          }));
        }
      }
    }
    const levels: number[][][] = [ra];
    const maxLevel = Math.max(...o.levels);
    if (maxLevel > 0) {
      const cgPairs = allPairs(sys, o.cgLength);
      for (let lev = 1; lev <= maxLevel; lev++) levels.push(levels[lev - 1].map((c) => cg(cgPairs, o.cgLength, c)));
    }
    for (const lev of o.levels) cols.push(...levels[lev]);
  }
  // P and E
  let e: number[] | null = null;
  if (o.families.has('E') && o.potential) {
    const pot = o.potential;
    let rc = 0;
    for (const row of pot.pairs) for (const q of row) rc = Math.max(rc, q.cutoff);
    const pairs = allPairs(sys, rc);
    e = pairs.map((row, i) => 0.5 * row.reduce((s, p) => s + pairEnergyRef(pot.pairs[sys.species[i]][sys.species[p.j]], p.r), 0));
  }
  if (o.families.has('P') || o.families.has('E')) {
    const pairs = allPairs(sys, Math.max(...o.scales));
    const pcols: number[][] = [];
    const ecols: number[][] = [];
    if (e) ecols.push(e);
    for (const L of o.scales) {
      if (o.families.has('P')) {
        pcols.push(pairs.map((row) => row.reduce((s, p) => s + (p.r <= L ? Math.exp(-p.r / L) : 0), 0)));
        if (S > 1) {
          const WD = ballWeight(D, L);
          pcols.push(pairs.map((row) => row.reduce((s, p) => s + (p.r <= L ? Math.exp(-p.r / L) * particleVolume(D, o.diameters[sys.species[p.j]]) : 0), 0) / WD));
          for (let b = 0; b < S - 1; b++) pcols.push(cg(pairs, L, Array.from(sys.species, (s) => (s === b ? 1 : 0))));
        }
      }
      if (e) {
        const m = cg(pairs, L, e);
        const m2 = cg(pairs, L, e.map((v) => v * v));
        ecols.push(m, m2.map((v, i) => v - m[i] * m[i]));
      }
    }
    cols.push(...pcols, ...ecols);
  }
  const p = cols.length;
  const values = new Float64Array(N * p);
  for (let c = 0; c < p; c++) for (let i = 0; i < N; i++) values[i * p + c] = cols[c][i];
  return { n: N, p, values, names: plan.names, meta: plan.meta };
}
