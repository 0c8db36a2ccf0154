// Statistics shards, version 2 (src/workflow/shards.ts): training shards hold each configuration's
// statistics and no rows; version-1 shards (rows) are still read and give the same fit, bit for
// bit; a statistics-only shard given as a test shard is refused with a clear message.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareConfiguration, readConfigurations, type FeatureOptions } from '../src/index.js';
import { encodeShard, fitShards, readShard, SHARD_VERSION } from '../src/workflow/shards.js';
import { readNpz, writeNpz } from '../src/io/npz.js';

const DATA = new URL('../data/ka3d-T0.44-mini/', import.meta.url).pathname;
const cfg = (i: number) => join(DATA, `config${i}.npz`);
const dir = mkdtempSync(join(tmpdir(), 'gbshards2-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const features: FeatureOptions = { potential: 'KA3D', families: ['R'], levels: [0] };
const info = { featureOptions: features, structure: 'thermal', target: 'abs', dim: 3, labels: ['A', 'B'] } as const;

describe('statistics shards v2', () => {
  const prepared = readConfigurations([1, 2, 3].map(cfg)).map((c) => prepareConfiguration(c, features, 'thermal', undefined, undefined));
  const v2 = join(dir, 'v2.npz');
  writeFileSync(v2, encodeShard(prepared, { ...info, role: 'train' }));
  it('a training shard holds statistics and no rows', () => {
    expect(SHARD_VERSION).toBe(2);
    const z = readNpz(new Uint8Array(readFileSync(v2)), v2);
    expect(z.has('c0.X')).toBe(false);
    expect(z.has('c0.XtX')).toBe(true);
    const s = readShard(v2);
    const q = s.prepared[0];
    expect('stats' in q).toBe(true);
    if ('stats' in q) expect(q.stats.n).toBe(prepared[0].rows.length);
  });
  it('a version-1 shard (rows) gives the same fit, bit for bit', () => {
    const p = prepared[0].fm.p;
    const meta = { format: 'glassbox-stats', version: 1, ...info, role: 'train', species: 'A', names: prepared[0].fm.names, meta: prepared[0].fm.meta, configurations: prepared.map((q) => q.name) };
    const json = new TextEncoder().encode(JSON.stringify(meta));
    const arrays: Record<string, { dtype: string; shape: number[]; data: any }> = { meta: { dtype: '|u1', shape: [json.length], data: json } };
    prepared.forEach((q, k) => {
      arrays[`c${k}.X`] = { dtype: '<f8', shape: [q.rows.length, p], data: q.X };
      arrays[`c${k}.y`] = { dtype: '<f8', shape: [q.rows.length], data: q.y };
      arrays[`c${k}.rows`] = { dtype: '<i4', shape: [q.rows.length], data: q.rows };
    });
    const v1 = join(dir, 'v1.npz');
    writeFileSync(v1, writeNpz(arrays));
    const opts = { models: ['ridge'] as 'ridge'[], bootstrap: 0, folds: 3 };
    const a = fitShards([v1], [], opts).result, b = fitShards([v2], [], opts).result;
    expect(Array.from(a.models[0].fit.coef)).toEqual(Array.from(b.models[0].fit.coef));
    expect(Object.is(a.models[0].cvScore, b.models[0].cvScore)).toBe(true);
  });
  it('a statistics-only shard as a test shard is an InputError saying how to make one', () => {
    const other = join(dir, 'other.npz');
    const q9 = readConfigurations([cfg(9)]).map((c) => prepareConfiguration(c, features, 'thermal', undefined, undefined));
    writeFileSync(other, encodeShard(q9, { ...info, role: 'train' }));
    expect(() => fitShards([v2], [other])).toThrow(/training shard \(statistics only\) given as a test shard: make test shards with glassbox stats --role test/);
  });
});
