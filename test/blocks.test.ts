// Spatial-block CV (src/models/blocks.ts): block ids, distances, folds and the buffer against
// brute force (minimum image over explicit periodic images / particle pairs), and the CV scores
// against a direct fit on the kept rows of every fold.
import { solveRidge } from './helpers/solve.js';
import { describe, expect, it } from 'vitest';
import { blockCoords, blockIds, descriptorReach, distanceToBlock, planBlockCv, type BlockConfigInput } from '../src/models/blocks.js';
import { cvGrid, type Standardized } from '../src/index.js';
import { type Solver } from '../src/models/cv.js';
import { standardizeRows, rng } from './helpers/standardize.js';
import type { System } from '../src/system/system.js';

/** Distance of x to block id by brute force: every periodic image of the block, clamp, min. */
function bruteDistance(x: number[], box: number[], n: number, id: number): number {
  const D = box.length;
  const c = blockCoords(id, n, D);
  let best = Infinity;
  const shifts = D === 2 ? [[-1, -1], [-1, 0], [-1, 1], [0, -1], [0, 0], [0, 1], [1, -1], [1, 0], [1, 1]] : [-1, 0, 1].flatMap((a) => [-1, 0, 1].flatMap((b) => [-1, 0, 1].map((d) => [a, b, d])));
  const xw = x.map((v, a) => v - box[a] * Math.floor(v / box[a]));
  for (const s of shifts) {
    let d2 = 0;
    for (let a = 0; a < D; a++) {
      const lo = (c[a] * box[a]) / n + s[a] * box[a];
      const hi = ((c[a] + 1) * box[a]) / n + s[a] * box[a];
      const d = xw[a] < lo ? lo - xw[a] : xw[a] >= hi ? xw[a] - hi : 0;
      d2 += d * d;
    }
    best = Math.min(best, Math.sqrt(d2));
  }
  return best;
}

function minImage(a: number[], b: number[], box: number[]): number {
  let s = 0;
  for (let k = 0; k < box.length; k++) {
    let d = a[k] - b[k];
    d -= box[k] * Math.round(d / box[k]);
    s += d * d;
  }
  return Math.sqrt(s);
}

function randomConfig(seed: number, N: number, box: number[], p: number): BlockConfigInput & { all: number[][] } {
  const r = rng(seed);
  const D = box.length;
  const pos = new Float64Array(N * D);
  for (let i = 0; i < N * D; i++) pos[i] = (r() * 1.4 - 0.2) * box[i % D]; // some outside [0, L)
  const rows = Int32Array.from({ length: Math.floor(N * 0.8) }, (_, k) => k); // "species A": the first 80%
  const X = new Float64Array(rows.length * p);
  const y = new Float64Array(rows.length);
  const w = Array.from({ length: p }, () => r() - 0.5);
  rows.forEach((i, k) => {
    for (let j = 0; j < p; j++) X[k * p + j] = Math.sin(pos[i * D + (j % D)] * (j + 1) * 0.7) + 0.3 * r();
    y[k] = w.reduce((s, wj, j) => s + wj * X[k * p + j], 0) + 0.2 * r();
  });
  const all = Array.from({ length: N }, (_, i) => Array.from(pos.subarray(i * D, (i + 1) * D)));
  return { name: `c${seed}`, positions: pos, box, rows, X, y, all };
}

describe('block geometry', () => {
  it('block ids and distances agree with brute force (explicit images), 2D and 3D', () => {
    const r = rng(3);
    for (const box of [[10, 7], [6, 8, 5]]) {
      for (const n of [1, 2, 3, 4]) {
        const D = box.length;
        for (let t = 0; t < 200; t++) {
          const x = box.map((L) => (r() * 3 - 1) * L);
          const id = blockIds(x, box, n)[0];
          const c = blockCoords(id, n, D);
          c.forEach((b, a) => {
            const u = x[a] / box[a] - Math.floor(x[a] / box[a]);
            expect(u * n).toBeGreaterThanOrEqual(b);
            expect(u * n).toBeLessThan(b + 1 + 1e-12);
          });
          expect(distanceToBlock(x, box, n, id)).toBe(0);
          for (let b = 0; b < n ** D; b++) expect(distanceToBlock(x, box, n, b)).toBeCloseTo(bruteDistance(x, box, n, b), 12);
        }
      }
    }
  });

  it('descriptors reach: R/A + CG levels, P scales, E cutoff + scales', () => {
    const sys: System = { dim: 3, n: 2, box: new Float64Array([20, 20, 20]), positions: new Float64Array(6), species: new Int32Array([0, 1]), labels: ['0', '1'], columns: {} } as unknown as System;
    const r = descriptorReach(sys, { potential: 'KA3D' });
    expect(r.reach).toBeCloseTo(7.5, 12); // 2.5 (A-A cutoff) + 5
    expect(Object.values(r.parts)).toEqual([2.5 + 0.3 + 2 * 2, 5, 7.5].map((v) => expect.closeTo(v, 12)));
    expect(descriptorReach(sys, { families: ['R', 'A'], levels: [0] }).reach).toBeCloseTo(2.8, 12);
    expect(descriptorReach(sys, { families: ['R', 'A', 'P'], levels: [0, 1], scales: [1.5, 2] }).reach).toBeCloseTo(4.8, 12);
  });
});

describe('block CV plan against brute force', () => {
  for (const [box, n, k, buffer, slab] of [
    [[12, 12], 4, 5, 1.5, false],
    [[12, 10], 4, 3, 1.2, true],
    [[9, 9, 9], 3, 4, 1.0, false],
  ] as [number[], number, number, number, boolean][]) {
    it(`${box.length}D box ${box.join('x')}, ${n} per axis, ${k} folds, buffer ${buffer}${slab ? ', held-out slab' : ''}`, () => {
      const cfgs = [randomConfig(1, 300, box, 4), randomConfig(2, 260, box, 4)];
      const plan = planBlockCv(cfgs, { blocksPerAxis: n, k, buffer, slab, centerPerConfig: true });
      const D = box.length;
      const idOf = (x: number[]) => {
        let id = 0, mul = 1;
        x.forEach((v, a) => {
          const u = v / box[a] - Math.floor(v / box[a]);
          id += Math.min(n - 1, Math.floor(u * n)) * mul;
          mul *= n;
        });
        return id;
      };
      // slab: rows with b_0 = n-1 held out; rows within the buffer of the slab gone
      let bufferRows = 0;
      cfgs.forEach((c, ci) => {
        const inSlab = (i: number) => slab && blockCoords(idOf(c.all[i]), n, D)[0] === n - 1;
        const slabSet = new Set(plan.slabRows[ci]);
        const trainSet = new Set(plan.trainRows[ci]);
        c.rows.forEach((i, r) => {
          expect(slabSet.has(r)).toBe(inSlab(i));
          if (!slab || inSlab(i)) return;
          // brute: distance to the slab = min over slab particles' images is >= the region distance;
          // the region distance by explicit images decides
          const dSlab = Math.min(...Array.from({ length: n ** D }, (_, b) => b).filter((b) => blockCoords(b, n, D)[0] === n - 1).map((b) => bruteDistance(c.all[i], box, n, b)));
          expect(trainSet.has(r)).toBe(dSlab > buffer);
          if (!trainSet.has(r)) bufferRows++;
          else for (let j = 0; j < c.all.length; j++) if (inSlab(j)) expect(minImage(c.all[i], c.all[j], box)).toBeGreaterThan(buffer);
        });
      });
      expect(plan.slabBufferRows).toBe(bufferRows);
      // folds: contiguous chunks of the eligible block ids with about equal rows
      const rowIds = cfgs.flatMap((c, ci) => Array.from(plan.trainRows[ci], (r) => idOf(c.all[c.rows[r]])));
      const eligible = [...new Set(rowIds)].sort((a, b) => a - b);
      let before = 0;
      const byRows = eligible.map((id) => {
        const cnt = rowIds.filter((x) => x === id).length;
        const f = Math.min(k - 1, Math.floor((k * (before + cnt / 2)) / rowIds.length));
        before += cnt;
        return f;
      });
      const expected = new Set(byRows).size === k ? byRows : eligible.map((_, rank) => Math.floor((rank * k) / eligible.length));
      eligible.forEach((id, i) => expect(plan.blockFold[id]).toBe(expected[i]));
      for (let b = 0; b < plan.blocks; b++) if (!eligible.includes(b)) expect(plan.blockFold[b]).toBe(-1);
      // every training row of every fold: test (own fold), dropped (within buffer of the fold's
      // region, brute force), or kept; kept rows are farther than the buffer from every particle
      // of the fold's blocks (minimum image, all particles, all species)
      let g = 0;
      const dropped = new Array(k).fill(0);
      cfgs.forEach((c, ci) => {
        const rowsOfGroups: number[] = [];
        for (; g < plan.groups.length && plan.cvOptions.units[g] < (ci + 1) * k; g++) rowsOfGroups.push(g);
        const status = new Map<string, { fold: number; excl: number[] }>();
        for (const gi of rowsOfGroups) {
          const ex: number[] = [];
          for (let f = 0; f < k; f++) if (plan.cvOptions.excluded[gi * k + f]) ex.push(f);
          const grp = plan.groups[gi];
          for (let q = 0; q < grp.evalY.length; q++) status.set(`${grp.evalY[q]}`, { fold: plan.cvOptions.folds[gi], excl: ex });
        }
        const my = Array.from(plan.trainRows[ci], (r) => c.y[r]).reduce((a, b) => a + b, 0) / plan.trainRows[ci].length;
        for (const r of plan.trainRows[ci]) {
          const i = c.rows[r];
          const st = status.get(`${c.y[r] - my}`)!;
          expect(st).toBeDefined();
          expect(st.fold).toBe(plan.blockFold[idOf(c.all[i])]);
          for (let f = 0; f < k; f++) {
            if (f === st.fold) continue;
            const fb = Array.from(plan.blockFold).map((ff, b) => (ff === f ? b : -1)).filter((b) => b >= 0);
            const d = Math.min(...fb.map((b) => bruteDistance(c.all[i], box, n, b)));
            expect(st.excl.includes(f)).toBe(d <= buffer);
            if (st.excl.includes(f)) dropped[f]++;
            else {
              for (let j = 0; j < c.all.length; j++) {
                if (plan.blockFold[idOf(c.all[j])] === f) expect(minImage(c.all[i], c.all[j], box)).toBeGreaterThan(buffer);
              }
            }
          }
        }
      });
      expect(plan.rowsDroppedPerFold).toEqual(dropped);
    });
  }

  it('CV scores equal a direct fit on each fold\'s kept rows (ridge, pooled Pearson per configuration and fold)', () => {
    const box = [12, 12];
    const k = 4;
    const cfgs = [randomConfig(5, 400, box, 3), randomConfig(6, 400, box, 3)];
    const plan = planBlockCv(cfgs, { blocksPerAxis: 4, k, buffer: 1.0, slab: false, centerPerConfig: true });
    const alpha = 2.5;
    const ridge: Solver = (std: Standardized, grid: number[]) => grid.map((a) => solveRidge(std.C, std.c, std.p, a / std.n));
    const cv = cvGrid(plan.groups, 'ridge', 'alpha', ridge, [alpha], plan.cvOptions);
    const p = 3;
    for (let f = 0; f < k; f++) {
      const tr: number[][] = [], ty: number[] = [];
      const units: { X: number[][]; y: number[] }[] = [];
      cfgs.forEach((_, ci) => units.push({ X: [], y: [] }));
      plan.groups.forEach((grp, gi) => {
        const ci = Math.floor(plan.cvOptions.units[gi] / k);
        for (let q = 0; q < grp.evalY.length; q++) {
          const x = Array.from(grp.evalX.subarray(q * p, (q + 1) * p));
          if (plan.cvOptions.folds[gi] === f) {
            units[ci].X.push(x);
            units[ci].y.push(grp.evalY[q]);
          } else if (!plan.cvOptions.excluded[gi * k + f]) {
            tr.push(x);
            ty.push(grp.evalY[q]);
          }
        }
      });
      const s = standardizeRows(Float64Array.from(tr.flat()), Float64Array.from(ty), ty.length, p);
      const w = solveRidge(s.C, s.c, p, alpha / ty.length);
      const scored = units.filter((u) => u.y.length >= 3);
      let mean = 0;
      for (const u of scored) {
        const pred = u.X.map((x) => x.reduce((acc, v, j) => acc + (w[j] * (v - s.mean[j])) / s.std[j], 0));
        mean += pearsonOf(pred, u.y) / scored.length;
      }
      expect(cv.curves[0].foldScores[f]).toBeCloseTo(mean, 10);
    }
  });
});


function pearsonOf(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((x, y) => x + y, 0) / n, mb = b.reduce((x, y) => x + y, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}
