// Statistics shards (src/node/shards.ts, glassbox stats / fit --stats): a fit merged from shards equals
// a single fit on the same configurations in the same order, bit for bit (coefficients, CV and
// test scores); shards made with other options, or holding the same configuration twice, are
// refused with a message naming the shard and the field. Data: the embedded KA 3D configurations.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fit, InputError, readConfigurations, type FeatureOptions } from '../src/index.js';
import { prepareConfiguration, type Structure } from '../src/workflow/pipeline.js';
import { encodeShard, fitShards, readShard } from '../src/node/shards.js';
import { fitMinimizeOptions } from '../src/node/minimize.js';
import { resolveMinimizeOptions } from '../src/minimize/minimize.js';

const { main } = await import('../src/cli/main.js');
const DATA = new URL('../data/ka3d-T0.44-mini/', import.meta.url).pathname;
const cfg = (i: number) => join(DATA, `config${i}.npz`);
const dir = mkdtempSync(join(tmpdir(), 'gbshards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const features: FeatureOptions = { potential: 'KA3D', families: ['R', 'E'], levels: [0], scales: [2] };
const structure: Structure = 'thermal';
const bits = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((x, k) => Object.is(x, b[k]));

function shard(files: number[], file: string, fo = features, st = structure, role: 'train' | 'test' = 'train'): string {
  const cs = readConfigurations(files.map(cfg));
  const prepared = cs.map((c) => prepareConfiguration(c, fo, st, undefined, undefined));
  writeFileSync(file, encodeShard(prepared, { role, featureOptions: fo, structure: st, target: 'abs', dim: 3, labels: ['A', 'B'] }));
  return file;
}

describe('statistics shards', () => {
  const a = join(dir, 'a.npz'), b = join(dir, 'b.npz'), t = join(dir, 't.npz');
  it('shards + merge = one fit, to the last bit', () => {
    shard([1, 2], a);
    shard([3], b);
    shard([9], t, features, structure, 'test');
    const opts = { models: ['ridge', 'enet'] as ('ridge' | 'enet')[], bootstrap: 0 };
    const one = fit({ ...opts, train: readConfigurations([1, 2, 3].map(cfg)), test: readConfigurations([cfg(9)]), features, structure });
    const { result: merged, model } = fitShards([a, b], [t], opts);
    expect(merged.trainConfigs).toEqual(one.trainConfigs);
    expect(merged.testConfigs).toEqual(one.testConfigs);
    for (const [k, m] of one.models.entries()) {
      const q = merged.models[k];
      expect(q.model).toBe(m.model);
      expect(bits(q.fit.coef, m.fit.coef)).toBe(true);
      expect(Object.is(q.fit.intercept, m.fit.intercept)).toBe(true);
      expect(Object.is(q.cvScore, m.cvScore)).toBe(true);
      expect(Object.is(q.testPearson, m.testPearson)).toBe(true);
      expect(q.params).toEqual(m.params);
    }
    expect(model.names).toEqual(one.names);
    // the stored statistics are the configuration's own (n rows, its sums)
    const s = readShard(a);
    expect(s.prepared.map((q) => q.name)).toEqual(one.trainConfigs.slice(0, 2));
    expect(s.meta.configurations.length).toBe(2);
  });

  it('refuses shards made with other feature options or structure, and duplicated configurations', () => {
    const c = shard([10], join(dir, 'c.npz'), { ...features, K: 10 });
    expect(() => fitShards([a, c])).toThrow(InputError);
    expect(() => fitShards([a, c])).toThrow(/c\.npz: its featureOptions differ/);
    const d = shard([10], join(dir, 'd.npz'), features, 'inherent');
    expect(() => fitShards([a, d])).toThrow(/d\.npz: its structure differs/);
    expect(() => fitShards([a, a])).toThrow(/is also in/);
    writeFileSync(join(dir, 'bad.npz'), readFileSync(cfg(1)));
    expect(() => fitShards([join(dir, 'bad.npz'), a])).toThrow(/not a glassbox statistics shard/);
  });

  it('CLI: glassbox stats x2 then fit --stats DIR gives the --json of fit --train', async () => {
    const sd = join(dir, 'cli');
    mkdirSync(sd);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    const outs: string[] = [];
    log.mockImplementation((...x: unknown[]) => void outs.push(x.join(' ')));
    try {
      const common = ['--preset', 'KA3D', '--structure', 'thermal'];
      expect(await main(['stats', cfg(1), '-o', join(sd, 's1.npz'), ...common])).toBe(0);
      expect(await main(['stats', cfg(2), '-o', join(sd, 's2.npz'), ...common])).toBe(0);
      expect(await main(['stats', cfg(2), '-o', join(sd, 's2.npz'), ...common])).toBe(2); // exists, no --force
      const fitArgs = ['--json', '--bootstrap', '0', '--model', 'ridge'];
      outs.length = 0;
      expect(await main(['fit', '--stats', sd, ...fitArgs])).toBe(0);
      const merged = JSON.parse(outs.join('\n'));
      outs.length = 0;
      expect(await main(['fit', '--train', [1, 2].map(cfg).join(','), ...common, ...fitArgs])).toBe(0);
      const one = JSON.parse(outs.join('\n'));
      delete merged.timings;
      delete one.timings;
      expect(merged).toEqual(one);
      expect(await main(['fit', '--stats', sd, '--preset', 'KA3D'])).toBe(2); // options come from the shards
      // inherent shards record the minimiser (the fit rule); the merged model carries it for predict, as fit --train's does
      const si = join(dir, 'cli-inherent');
      mkdirSync(si);
      for (const c of [1, 2]) expect(await main(['stats', cfg(c), '-o', join(si, `s${c}.npz`), '--preset', 'KA3D'])).toBe(0);
      const rule = resolveMinimizeOptions(fitMinimizeOptions());
      expect(readShard(join(si, 's1.npz')).meta.minimize).toEqual(rule);
      expect(readShard(join(dir, 'cli', 's1.npz')).meta.minimize).toBeUndefined(); // thermal
      const { model } = fitShards([join(si, 's1.npz'), join(si, 's2.npz')], [], { bootstrap: 0, models: ['ridge'] });
      expect((model.featureOptions as Record<string, unknown>).minimize).toEqual(rule);
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});
