// glassbox fit --stats SHARDS... [--test-stats SHARDS...]: fit from statistics shards (glassbox
// stats), the same models, CV and scores as a single fit on the same configurations in the same
// order. Writes model.json and results.json with --out (no report.html: shards hold no positions).

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { writeOutputFile } from '../io/fs.js';
import { saveModel } from '../models/model-file.js';
import { MODEL_NAMES, type Center, type ModelName } from '../workflow/pipeline.js';
import { fitShards, shardFiles } from '../workflow/shards.js';
import { num } from './args.js';
import { resultsJSON, resultsTable } from '../workflow/results.js';

const list = (x: unknown): string[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]).flatMap((s) => String(s).split(',')).filter(Boolean);

export async function runStats(v: Record<string, unknown>): Promise<number> {
  if (v.cv === 'blocks') throw new InputError('--cv blocks does not apply with --stats: shards are merged with configuration-grouped CV');
  for (const k of ['train', 'test', 'preset', 'box', 'density', 'dim', 'target', 'target-column', 'test-target-column', 'species', 'structure', 'cache', 'default-data']) {
    if (v[k] !== undefined) throw new InputError(`--${k} does not apply with --stats: the shards were made with their options (glassbox stats)`);
  }
  const files = shardFiles(list(v.stats));
  const testFiles = shardFiles(list(v['test-stats']));
  const modelArg = (v.model as string | undefined) ?? 'ridge,enet';
  const models = (modelArg === 'all' ? [...MODEL_NAMES] : modelArg.split(',')) as ModelName[];
  for (const m of models) if (!MODEL_NAMES.includes(m)) throw new InputError(`--model must be ridge, enet, pcr, ols, all or a comma list, got "${m}"`);
  const center = (v.center as string | undefined) ?? 'per-config';
  if (center !== 'per-config' && center !== 'global') throw new InputError(`--center must be per-config or global, got "${center}"`);
  const out = v.out as string | undefined;
  const outFiles = out ? ['model.json', 'results.json'].map((f) => join(out, f)) : [];
  if (!v.force) {
    const existing = outFiles.filter((f) => existsSync(f));
    if (existing.length) throw new InputError(`${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}: refusing to overwrite (use --force)`);
  }
  const { result, model } = fitShards(files, testFiles, {
    models,
    folds: num(v.folds as string | undefined, 'folds'),
    center: center as Center,
    l1Ratios: v['l1-ratio'] ? String(v['l1-ratio']).split(',').map((x) => num(x, 'l1-ratio')!) : undefined,
    bootstrap: num(v.bootstrap as string | undefined, 'bootstrap'),
    interpret: ((v.interpret as string | undefined) ?? 'on') === 'on', // as glassbox fit
  });
  if (out) {
    mkdirSync(out, { recursive: true });
    const inputs = [...files, ...testFiles];
    writeOutputFile(join(out, 'model.json'), saveModel(model), { force: !!v.force, inputs });
    writeOutputFile(join(out, 'results.json'), JSON.stringify(resultsJSON(result), null, 1) + '\n', { force: !!v.force, inputs });
  }
  if (v.json) console.log(JSON.stringify(resultsJSON(result), null, 1));
  else {
    console.log(resultsTable(result));
    if (out) console.log(`wrote ${join(out, 'model.json')} and ${join(out, 'results.json')} (no report.html from shards)`);
  }
  return 0;
}
