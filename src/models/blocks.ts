// Spatial-block cross-validation (docs/spec/cv-blocks.md).
//
// The box is cut into n blocks per axis. Block of a particle: b_a = min(n-1, floor(n u_a)),
// u_a = x_a / L_a - floor(x_a / L_a) (wrapped); the block id runs with the LAST axis outermost,
//   id = sum_a b_a n^a   (a = 0 .. D-1),
// so consecutive ids form slabs along the last axis. Folds are sets of blocks: the blocks that
// hold training rows, in id order, are dealt to K folds in contiguous chunks of about equal row
// counts (fold = min(K-1, floor(K (rows before the block + half its rows) / all rows))), so each
// fold is a compact region; if that leaves a fold empty, chunks of equal block counts
// (fold = floor(rank K / nEligible)).
//
// Buffer: a training row is dropped from fold f when its minimum-image distance to the region of
// fold f's blocks is <= buffer. Distance of a point x to the block [lo_a, hi_a) x ... (periodic):
//   d_a = 0 when x_a lies in [lo_a, hi_a) (on the circle of length L_a), else
//   d_a = min(mod(lo_a - x_a, L_a), mod(x_a - hi_a, L_a)),     dist = sqrt(sum_a d_a^2).
// The buffer defaults to the descriptors' reach (descriptorReach): the largest distance at which
// a particle's structure enters another particle's descriptors, so a kept training row's
// descriptors never involve a particle of the test region.
//
// Held-out slab: with no test configurations, the blocks with b_0 = n-1 (a slab of width L_0/n
// along axis 0) are the test set; rows within the buffer of the slab are removed from the
// training data (and so from CV) altogether.
//
// The CV machinery is the grouped CV of src/models/cv.ts: rows are grouped by
// (configuration, block, set of folds whose buffer holds them); every group is one CvConfig with
// its statistics; options `folds` (group -> fold), `excluded` (group dropped from training in a
// fold) and `units` ((configuration, fold) pooled for one Pearson) describe the rest.

import { InputError } from '../errors.js';
import { maxPairCutoff } from '../potential/potentials.js';
import { resolveFeatureOptions, type FeatureOptions } from '../features/options.js';
import type { System } from '../system/system.js';
import type { CvConfig, CvOptions } from './cv.js';
import { statsFromBlock } from './stats.js';

/** How far a particle's structure reaches into others' descriptors, by part. */
export interface Reach {
  reach: number;
  /** Named contributions, e.g. { 'R/A: r_R 2.8 + 2 x r_c 2': 6.8 }. */
  parts: Record<string, number>;
  text: string;
}

/**
 * The descriptors' reach from the feature options (../shared/spec/descriptors.md):
 *   R, A: r_R + max(levels) r_c        (each CG level adds r_c)
 *   P:    max(scales)                  (rho, phi, x at scale L have cutoff L)
 *   E:    V cutoff + max(scales)       (e has the pair cutoff; e(L), evar(L) coarse-grain it at L)
 * reach = the largest of the families computed.
 */
export function descriptorReach(sys: System, fo: FeatureOptions): Reach {
  const { options: o } = resolveFeatureOptions(sys, fo);
  const parts: Record<string, number> = {};
  const maxLevel = Math.max(...o.levels);
  const maxScale = Math.max(...o.scales);
  if (o.families.has('R') || o.families.has('A')) parts[`R/A: r_R ${fmt(o.rR)} + ${maxLevel} x r_c ${fmt(o.cgLength)}`] = o.rR + maxLevel * o.cgLength;
  if (o.families.has('P')) parts[`P: max scale ${fmt(maxScale)}`] = maxScale;
  if (o.families.has('E') && o.potential) {
    const vc = maxPairCutoff(o.potential);
    parts[`E: V cutoff ${fmt(vc)} + max scale ${fmt(maxScale)}`] = vc + maxScale;
  }
  const reach = Math.max(0, ...Object.values(parts));
  const text = `${fmt(reach)} (${Object.entries(parts).map(([k, v]) => `${k} = ${fmt(v)}`).join('; ')})`;
  return { reach, parts, text };
}

const fmt = (x: number) => String(Number(x.toPrecision(6)));

/** Block id of every particle (N), n blocks per axis, last axis outermost (module comment). */
export function blockIds(positions: ArrayLike<number>, box: ArrayLike<number>, n: number): Int32Array {
  const D = box.length;
  const N = positions.length / D;
  const out = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let id = 0, mul = 1;
    for (let a = 0; a < D; a++) {
      const u0 = positions[i * D + a] / box[a];
      const u = u0 - Math.floor(u0);
      const b = Math.min(n - 1, Math.floor(u * n));
      id += b * mul;
      mul *= n;
    }
    out[i] = id;
  }
  return out;
}

/** Per-axis block index of block id (last axis outermost). */
export function blockCoords(id: number, n: number, D: number): number[] {
  const c: number[] = [];
  for (let a = 0; a < D; a++) {
    c.push(id % n);
    id = Math.floor(id / n);
  }
  return c;
}

const mod = (a: number, L: number) => a - L * Math.floor(a / L);

/** Minimum-image distance of point x (D values) to block `id` (periodic box, n per axis). */
export function distanceToBlock(x: ArrayLike<number>, box: ArrayLike<number>, n: number, id: number): number {
  const D = box.length;
  const c = blockCoords(id, n, D);
  let s = 0;
  for (let a = 0; a < D; a++) {
    const L = box[a];
    const lo = (c[a] * L) / n, hi = ((c[a] + 1) * L) / n;
    const xa = mod(x[a], L);
    let d = 0;
    if (!(xa >= lo && xa < hi)) d = Math.min(mod(lo - xa, L), mod(xa - hi, L));
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Folds of block ids (one entry per training row): contiguous chunks of about equal rows (module comment). */
export function blockFolds(eligible: readonly number[], k: number): Map<number, number> {
  const count = new Map<number, number>();
  for (const id of eligible) count.set(id, (count.get(id) ?? 0) + 1);
  const ids = [...count.keys()].sort((a, b) => a - b);
  if (ids.length < k) throw new InputError(`block CV: ${k} folds need at least ${k} blocks holding training rows, got ${ids.length} (use more blocks per axis (--blocks) or fewer folds)`);
  const total = eligible.length;
  const m = new Map<number, number>();
  let before = 0;
  for (const id of ids) {
    const c = count.get(id)!;
    m.set(id, Math.min(k - 1, Math.floor((k * (before + c / 2)) / total)));
    before += c;
  }
  if (new Set(m.values()).size < k) ids.forEach((id, r) => m.set(id, Math.floor((r * k) / ids.length)));
  return m;
}

export interface BlockConfigInput {
  name: string;
  positions: ArrayLike<number>;
  box: ArrayLike<number>;
  /** Particle index of each evaluation row. */
  rows: Int32Array;
  /** rows x p */
  X: Float64Array;
  y: Float64Array;
}

export interface BlockCvPlan {
  /** One per (configuration, block, buffer set): statistics (the CV's) + its rows (pre-centred per configuration when asked). */
  groups: (CvConfig & { evalX: Float64Array; evalY: Float64Array })[];
  cvOptions: Required<Pick<CvOptions, 'folds' | 'excluded' | 'units' | 'k'>> & { center: 'global' };
  /** Rows (indices into the configuration's evaluation rows) kept for training, per configuration. */
  trainRows: Int32Array[];
  /** Rows of the held-out slab per configuration (empty without a slab). */
  slabRows: Int32Array[];
  blocks: number;
  blocksPerAxis: number;
  buffer: number;
  k: number;
  /** Rows dropped from training by the buffer, per fold (summed over configurations). */
  rowsDroppedPerFold: number[];
  /** Held-out rows per fold. */
  rowsTestPerFold: number[];
  /** Rows removed by the slab's buffer (not test, not training). */
  slabBufferRows: number;
  slab: { axis: number; from: number; to: number } | null;
  /** Fold of every block id (-1: no training rows). */
  blockFold: Int32Array;
}

export interface BlockCvOptions {
  blocksPerAxis: number;
  k: number;
  buffer: number;
  /** Hold out the slab b_0 = n - 1 as the test set. */
  slab: boolean;
  /** Centre every configuration's rows on its own means first (per-config centring). */
  centerPerConfig: boolean;
  /** Minimum evaluation rows of a scored (configuration, fold) unit (default 3). */
  minUnitRows?: number;
}

/** Distances of the rows' particles to each fold's region (or to a set of blocks), min over blocks. */
function minDistance(x: Float64Array, box: ArrayLike<number>, n: number, ids: readonly number[]): number {
  let m = Infinity;
  for (const id of ids) {
    const d = distanceToBlock(x, box, n, id);
    if (d < m) m = d;
    if (m === 0) break;
  }
  return m;
}

/** The whole plan of a block CV over one or more configurations (module comment). */
export function planBlockCv(configs: BlockConfigInput[], o: BlockCvOptions): BlockCvPlan {
  const n = o.blocksPerAxis;
  if (!(Number.isInteger(n) && n >= 1)) throw new InputError(`block CV: blocks per axis must be a positive integer, got ${n}`);
  if (!(o.buffer >= 0)) throw new InputError(`block CV: buffer must be >= 0, got ${o.buffer}`);
  if (!(Number.isInteger(o.k) && o.k >= 2)) throw new InputError(`block CV: folds must be an integer >= 2, got ${o.k}`);
  if (o.k > 31) throw new InputError(`block CV: at most 31 folds, got ${o.k}`);
  if (configs.length === 0) throw new InputError('block CV: no configurations');
  const D = configs[0].box.length;
  const nb = n ** D;
  if (o.slab && n < 2) throw new InputError('block CV: a held-out slab needs at least 2 blocks per axis');
  const slabIds: number[] = [];
  if (o.slab) for (let id = 0; id < nb; id++) if (blockCoords(id, n, D)[0] === n - 1) slabIds.push(id);
  const p = configs[0].X.length / Math.max(1, configs[0].rows.length);
  // 1. slab and its buffer; block ids of the remaining rows
  const trainRows: Int32Array[] = [];
  const slabRows: Int32Array[] = [];
  const rowBlock: Int32Array[] = [];
  let slabBufferRows = 0;
  const eligible: number[] = [];
  for (const c of configs) {
    if (c.box.length !== D) throw new InputError(`block CV: ${c.name} is ${c.box.length}D, the first configuration is ${D}D`);
    const ids = blockIds(c.positions, c.box, n);
    const tr: number[] = [], sl: number[] = [];
    const xb = new Float64Array(D);
    c.rows.forEach((i, r) => {
      if (o.slab) {
        if (slabIds.includes(ids[i])) {
          sl.push(r);
          return;
        }
        for (let a = 0; a < D; a++) xb[a] = c.positions[i * D + a];
        if (minDistance(xb, c.box, n, slabIds) <= o.buffer) {
          slabBufferRows++;
          return;
        }
      }
      tr.push(r);
    });
    trainRows.push(Int32Array.from(tr));
    slabRows.push(Int32Array.from(sl));
    rowBlock.push(Int32Array.from(tr, (r) => ids[c.rows[r]]));
    for (const r of tr) eligible.push(ids[c.rows[r]]);
  }
  const foldMap = blockFolds(eligible, o.k);
  const blockFold = new Int32Array(nb).fill(-1);
  for (const [id, f] of foldMap) blockFold[id] = f;
  const foldIds: number[][] = Array.from({ length: o.k }, () => []);
  for (const [id, f] of foldMap) foldIds[f].push(id);
  // 2. groups: (configuration, fold, block, buffer mask), ordered so that units are contiguous
  const groups: BlockCvPlan["groups"] = [];
  const gFold: number[] = [], gUnit: number[] = [], gMask: number[] = [];
  const rowsDroppedPerFold = new Array(o.k).fill(0);
  const rowsTestPerFold = new Array(o.k).fill(0);
  configs.forEach((c, ci) => {
    const tr = trainRows[ci];
    const xb = new Float64Array(D);
    const keyRows = new Map<string, number[]>();
    const keyInfo = new Map<string, { fold: number; block: number; mask: number }>();
    tr.forEach((r, t) => {
      const i = c.rows[r];
      const block = rowBlock[ci][t];
      const fold = foldMap.get(block)!;
      for (let a = 0; a < D; a++) xb[a] = c.positions[i * D + a];
      let mask = 0;
      for (let f = 0; f < o.k; f++) {
        if (f === fold) continue;
        if (minDistance(xb, c.box, n, foldIds[f]) <= o.buffer) {
          mask |= 1 << f;
          rowsDroppedPerFold[f]++;
        }
      }
      rowsTestPerFold[fold]++;
      const key = `${fold}:${block}:${mask}`;
      if (!keyRows.has(key)) {
        keyRows.set(key, []);
        keyInfo.set(key, { fold, block, mask });
      }
      keyRows.get(key)!.push(r);
    });
    // per-configuration centring over the configuration's training rows
    const mx = new Float64Array(p);
    let my = 0;
    if (o.centerPerConfig && tr.length > 0) {
      for (const r of tr) {
        for (let j = 0; j < p; j++) mx[j] += c.X[r * p + j];
        my += c.y[r];
      }
      for (let j = 0; j < p; j++) mx[j] /= tr.length;
      my /= tr.length;
    }
    const keys = [...keyInfo.keys()].sort((a, b) => {
      const x = keyInfo.get(a)!, y = keyInfo.get(b)!;
      return x.fold - y.fold || x.block - y.block || x.mask - y.mask;
    });
    for (const key of keys) {
      const info = keyInfo.get(key)!;
      const rs = keyRows.get(key)!;
      const X = new Float64Array(rs.length * p);
      const y = new Float64Array(rs.length);
      rs.forEach((r, k) => {
        for (let j = 0; j < p; j++) X[k * p + j] = c.X[r * p + j] - mx[j];
        y[k] = c.y[r] - my;
      });
      // the group's rows are kept for inspection; the CV scores from the statistics (evalStats = stats)
      const st = statsFromBlock(X, y, rs.length, p);
      groups.push({ stats: st, evalStats: st, evalX: X, evalY: y });
      gFold.push(info.fold);
      gUnit.push(ci * o.k + info.fold);
      gMask.push(info.mask);
    }
  });
  const excluded = new Uint8Array(groups.length * o.k);
  gMask.forEach((mask, g) => {
    for (let f = 0; f < o.k; f++) if (mask & (1 << f)) excluded[g * o.k + f] = 1;
  });
  for (let f = 0; f < o.k; f++) {
    let nTrain = 0;
    for (let g = 0; g < groups.length; g++) if (gFold[g] !== f && !excluded[g * o.k + f]) nTrain += groups[g].stats.n;
    if (nTrain < 2) {
      throw new InputError(
        `block CV: fold ${f} keeps ${nTrain} training rows: the buffer ${fmt(o.buffer)} around its test blocks covers the rest of the data ` +
          `(box ${Array.from(configs[0].box, (L) => fmt(L)).join(' x ')}, ${n} blocks per axis); use a smaller descriptor reach (--levels, --scales), ` +
          `more configurations with --cv configs, or a larger box`,
      );
    }
  }
  return {
    groups,
    cvOptions: { folds: Int32Array.from(gFold), excluded, units: Int32Array.from(gUnit), k: o.k, center: 'global' },
    trainRows, slabRows, blocks: nb, blocksPerAxis: n, buffer: o.buffer, k: o.k, rowsDroppedPerFold, rowsTestPerFold, slabBufferRows,
    slab: o.slab ? { axis: 0, from: ((n - 1) * configs[0].box[0]) / n, to: configs[0].box[0] } : null,
    blockFold,
  };
}
