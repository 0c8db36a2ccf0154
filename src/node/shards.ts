// Statistics shards: the per-configuration work of `glassbox fit` done anywhere (one cluster task
// per shard), merged exactly by `glassbox fit --stats`.
//
// A shard (.npz, NumPy-readable; version 2) holds, for each of its configurations k = 0..K-1 in
// input order, the sufficient statistics of its evaluation rows (the species' particles), taken
// around the rows' own means m (statsFromBlock's default, src/models/stats.ts):
//   c<k>.XtX (p x p), c<k>.Xty (p), c<k>.sumX (p), c<k>.shift (p) = m, and
//   c<k>.scalars = [n, sumY, yty, yShift]   (float64; Z = X - 1 m^T, u = y - yShift:
//   XtX = Z^T Z, Xty = Z^T u, sumX = 1^T Z, sumY = 1^T u, yty = u^T u)
// and, for a test shard (--role test) only, the rows themselves (test predictions need them):
//   c<k>.X (rows x p float64), c<k>.y (rows), c<k>.rows (int32 particle indices)
//   meta: uint8 UTF-8 JSON {format, version, role, featureOptions, structure, species,
//         target, dim, labels, names, meta, configurations: [names], minimize (the inherent
//         structures' resolved minimiser options; absent for thermal shards)}
// Training shards hold no rows: fit() needs only the statistics (configuration-grouped CV is
// scored from them), so a shard's size and the merge's memory do not grow with the rows.
// Version-1 shards (rows c<k>.X, c<k>.y, c<k>.rows and per-config-centred statistics without the
// means) are still read: their statistics are recomputed from the rows, as fit() would.
// The merge reads the shards in the order given (a directory: its *.npz in name order), checks
// that every shard was made with the same feature options, structure, species, target, dimension,
// species labels and columns (else an InputError naming the shard and the field), and runs the
// same fit as `glassbox fit` on the concatenated configuration list. The statistics are those
// fit() computes from the same rows (float64 written exactly), so with the same configurations
// in the same order the result is identical to a single fit, bit for bit (the summation order is
// the configuration order).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { FeatureOptions } from '../features/index.js';
import type { FeatureMeta } from '../features/types.js';
import { readNpz, writeNpz } from '../io/npz.js';
import { modelFileFromResult } from '../workflow/model-io.js';
import type { GlassboxModel } from '../models/model-file.js';
import type { SufficientStats } from '../models/types.js';
import type { ResolvedMinimizeOptions } from '../minimize/minimize.js';
import { fit, preparedNames, preparedStats, type FitOptions, type FitResult, type Prepared, type PreparedInputs, type PreparedStats, type Structure } from '../workflow/pipeline.js';

export const SHARD_FORMAT = 'glassbox-stats';
/** Version written; versions read: 1 (rows) and 2 (statistics; rows for test shards only). */
export const SHARD_VERSION = 2;
const READS = [1, 2];

export interface ShardMeta {
  format: string;
  version: number;
  /** 'train' or 'test' (set by `glassbox stats --role`; default train). */
  role: 'train' | 'test';
  featureOptions: FeatureOptions;
  structure: Structure;
  species: string;
  target: string;
  dim: number;
  labels: string[];
  names: string[];
  meta: unknown[];
  configurations: string[];
  /** The minimiser of the inherent structures (resolved options; absent: thermal structure, or a shard written before it was recorded). */
  minimize?: ResolvedMinimizeOptions;
}

/**
 * Encode one shard (configurations in order). Training shards store each configuration's
 * statistics only; test shards (role 'test') also store the rows (they need Prepared rows).
 */
export function encodeShard(prepared: readonly (Prepared | PreparedStats)[], info: Omit<ShardMeta, 'format' | 'version' | 'names' | 'meta' | 'configurations' | 'species'>): Uint8Array {
  if (prepared.length === 0) throw new InputError('a statistics shard needs at least one configuration');
  const names = preparedNames(prepared[0]);
  const p = names.length;
  const meta: ShardMeta = {
    format: SHARD_FORMAT,
    version: SHARD_VERSION,
    ...info,
    species: prepared[0].speciesLabel,
    names: [...names],
    meta: ('fm' in prepared[0] ? prepared[0].fm.meta : prepared[0].meta) as unknown[],
    configurations: prepared.map((q) => q.name),
  };
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const arrays: Parameters<typeof writeNpz>[0] = {
    meta: { dtype: '|u1', shape: [json.length], data: json },
  };
  prepared.forEach((q, k) => {
    if (info.role === 'test') {
      if (!('fm' in q)) throw new InputError(`${q.name}: a test shard needs the configuration's rows (descriptors), not only its statistics`);
      const n = q.rows.length;
      if (!q.y) throw new InputError(`${q.name}: no target`);
      arrays[`c${k}.X`] = { dtype: '<f8', shape: [n, p], data: q.X };
      arrays[`c${k}.y`] = { dtype: '<f8', shape: [n], data: q.y };
      arrays[`c${k}.rows`] = { dtype: '<i4', shape: [n], data: q.rows };
    }
    const s = preparedStats(q).stats;
    arrays[`c${k}.XtX`] = { dtype: '<f8', shape: [p, p], data: s.XtX };
    arrays[`c${k}.Xty`] = { dtype: '<f8', shape: [p], data: s.Xty };
    arrays[`c${k}.sumX`] = { dtype: '<f8', shape: [p], data: s.sumX };
    arrays[`c${k}.shift`] = { dtype: '<f8', shape: [p], data: s.shift ?? new Float64Array(p) };
    arrays[`c${k}.scalars`] = { dtype: '<f8', shape: [4], data: new Float64Array([s.n, s.sumY, s.yty, s.yShift ?? 0]) };
  });
  return writeNpz(arrays);
}

export interface Shard {
  file: string;
  meta: ShardMeta;
  /** The configurations: statistics (training shards of version 2) or rows (test shards, version 1). */
  prepared: (Prepared | PreparedStats)[];
}

const f64 = (d: unknown): Float64Array => (d instanceof Float64Array ? d : Float64Array.from(d as ArrayLike<number>));

/** Decode one shard file. */
export function readShard(file: string): Shard {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
  const z = readNpz(bytes, file);
  if (!z.has('meta')) throw new InputError(`${file}: not a glassbox statistics shard (no "meta" member; make shards with glassbox stats)`);
  let meta: ShardMeta;
  try {
    meta = JSON.parse(new TextDecoder().decode(z.get('meta').data as Uint8Array));
  } catch (e) {
    throw new InputError(`${file}: the shard's meta is not valid JSON (${(e as Error).message})`);
  }
  if (meta.format !== SHARD_FORMAT) throw new InputError(`${file}: format "${meta.format}", expected "${SHARD_FORMAT}"`);
  if (!READS.includes(meta.version)) throw new InputError(`${file}: shard version ${meta.version}, this glassbox reads versions ${READS.join(' and ')} (make the shard again with this glassbox stats)`);
  const p = meta.names.length;
  const prepared: (Prepared | PreparedStats)[] = meta.configurations.map((name, k) => {
    if (z.has(`c${k}.X`)) {
      const X = z.get(`c${k}.X`), y = z.get(`c${k}.y`), rows = z.get(`c${k}.rows`);
      const n = rows.shape[0];
      if (X.shape[0] !== n || X.shape[1] !== p || y.shape[0] !== n) {
        throw new InputError(`${file}: configuration ${k} (${name}): X is ${X.shape.join(' x ')}, y ${y.shape.join(' x ')}, rows ${n}; expected ${n} x ${p}`);
      }
      const Xv = f64(X.data);
      const rv = rows.data instanceof Int32Array ? rows.data : Int32Array.from(rows.data as ArrayLike<number>);
      return { name, fm: { n, p, values: Xv, names: meta.names, meta: meta.meta as FeatureMeta[] }, rows: rv, X: Xv, y: f64(y.data), speciesLabel: meta.species };
    }
    const need = ['XtX', 'Xty', 'sumX', 'shift', 'scalars'];
    const miss = need.find((m) => !z.has(`c${k}.${m}`));
    if (miss) throw new InputError(`${file}: configuration ${k} (${name}) has no member c${k}.${miss} (a damaged shard?)`);
    const XtX = z.get(`c${k}.XtX`), sc = f64(z.get(`c${k}.scalars`).data);
    if (XtX.shape[0] !== p || XtX.shape[1] !== p || sc.length !== 4) throw new InputError(`${file}: configuration ${k} (${name}): XtX is ${XtX.shape.join(' x ')}, scalars ${sc.length}; expected ${p} x ${p} and 4`);
    const stats: SufficientStats = {
      p, n: sc[0], sumY: sc[1], yty: sc[2], yShift: sc[3],
      XtX: f64(XtX.data), Xty: f64(z.get(`c${k}.Xty`).data), sumX: f64(z.get(`c${k}.sumX`).data), shift: f64(z.get(`c${k}.shift`).data),
      center: 'global', blocks: 1,
    };
    return { name, names: meta.names, meta: meta.meta as FeatureMeta[], speciesLabel: meta.species, stats };
  });
  return { file, meta, prepared };
}

/** Shard files: each argument a .npz file or a directory (its *.npz files in name order). */
export function shardFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (existsSync(a) && statSync(a).isDirectory()) {
      const fs = readdirSync(a).filter((f) => f.endsWith('.npz')).sort();
      if (!fs.length) throw new InputError(`--stats ${a}: the directory holds no .npz shard`);
      out.push(...fs.map((f) => join(a, f)));
    } else out.push(a);
  }
  return out;
}

const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));

/** The field in which shard `b` differs from shard `a` (options the merge must agree on), or null. */
export function shardMismatch(a: ShardMeta, b: ShardMeta): string | null {
  for (const f of ['featureOptions', 'structure', 'species', 'target', 'dim', 'labels', 'names', 'minimize'] as const) {
    if (canon(a[f]) !== canon(b[f])) return f;
  }
  return null;
}

/** Read and check shards; train shards then test shards, each in the order given. */
export function mergeShards(files: readonly string[], testFiles: readonly string[] = []): { inputs: PreparedInputs; first: ShardMeta; shards: Shard[] } {
  const all = [...files.map((f) => ({ f, role: 'train' as const })), ...testFiles.map((f) => ({ f, role: 'test' as const }))];
  if (!files.length) throw new InputError('--stats: give the shard files (or a directory of them)');
  const shards = all.map(({ f }) => readShard(f));
  const first = shards[0].meta;
  const seen = new Map<string, string>();
  const train: (Prepared | PreparedStats)[] = [];
  const test: Prepared[] = [];
  shards.forEach((s, i) => {
    const why = shardMismatch(first, s.meta);
    if (why) {
      throw new InputError(`${s.file}: its ${why} differ${why.endsWith('s') ? '' : 's'} from ${shards[0].file}'s (${canon(s.meta[why as keyof ShardMeta]).slice(0, 120)} vs ${canon(first[why as keyof ShardMeta]).slice(0, 120)}): shards must be made with the same options`);
    }
    for (const q of s.prepared) {
      const prev = seen.get(q.name);
      if (prev) throw new InputError(`${s.file}: configuration ${q.name} is also in ${prev}: each configuration must be in one shard`);
      seen.set(q.name, s.file);
    }
    const role = all[i].role === 'test' || s.meta.role === 'test' ? 'test' : 'train';
    if (role === 'test') {
      for (const q of s.prepared) {
        if (!('fm' in q)) throw new InputError(`${s.file}: a training shard (statistics only) given as a test shard: make test shards with glassbox stats --role test (they keep the rows)`);
        test.push(q);
      }
    } else train.push(...s.prepared);
  });
  return { inputs: { train, test, dim: first.dim, labels: first.labels }, first, shards };
}

/**
 * Fit from shards: the same workflow as `fit` (src/workflow/pipeline.ts) on the shards' configurations
 * (train shards in order, then test shards), with the shards' feature options, structure and
 * species. Returns the fit result and its model file.
 */
export function fitShards(files: readonly string[], testFiles: readonly string[], opts: Omit<FitOptions, 'train' | 'test' | 'prepared' | 'features' | 'structure' | 'species'> = {}): { result: FitResult; model: GlassboxModel; shards: Shard[] } {
  const t0 = performance.now();
  const { inputs, first, shards } = mergeShards(files, testFiles);
  const tRead = (performance.now() - t0) / 1000;
  const result = fit({ ...opts, train: [], test: [], prepared: inputs, features: first.featureOptions, structure: first.structure, species: first.species });
  result.timings = { read: tRead, ...result.timings, total: (performance.now() - t0) / 1000 };
  const model = modelFileFromResult(result, result.best, { target: first.target, minimize: first.minimize });
  return { result, model, shards };
}
