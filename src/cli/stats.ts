// glassbox stats FILES... -o shard.npz: the per-configuration part of `glassbox fit` for one shard
// of the data (descriptors of the evaluation species, inherent structures through the cache,
// targets, per-configuration sufficient statistics), merged exactly by `glassbox fit --stats`.
// See src/node/shards.ts for the file layout and examples/slurm/ for a cluster job array.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { FeatureOptions } from '../features/index.js';
import { writeOutputFile } from '../node/fs.js';
import { cachedMinimizer, fitMinimizeOptions } from '../node/minimize.js';
import { precomputeInherent } from '../node/parallel/inherent.js';
import { resolveMinimizeOptions } from '../minimize/minimize.js';
import { checkFitInputs, prepareConfiguration, type Structure } from '../workflow/pipeline.js';
import { encodeShard } from '../node/shards.js';
import { PROPENSITY_KINDS, type PropensityKind } from '../targets/targets.js';
import { expandFiles, readConfigurations } from '../node/files.js';
import { num, parse } from './args.js';
import { boxArg } from './args.js';

const HELP = `usage: glassbox stats FILES... -o shard.npz [options]
  Descriptors, targets and per-configuration sufficient statistics of the configurations in
  FILES (one shard of a data set); merge shards with glassbox fit --stats shard*.npz (or a
  directory). The options are those of glassbox fit and must agree across shards.
  -o, --out F     the shard (.npz)
  --role R        train (default) | test: how glassbox fit --stats uses the shard
  --preset P      potential preset (KA3D | KA2D)
  --box L         box side(s) when the files store none: L or Lx,Ly[,Lz]
  --density RHO   box from the number density instead
  --dim D         2 | 3 for files that do not say
  --target K      abs | msd | cage_abs (default abs)
  --target-column NAME   a stored per-particle column as the target
  --species S     species to fit and evaluate on (default: the first)
  --structure S   thermal | inherent | both (default inherent when a potential is known)
  --cache DIR     inherent-structure cache (default .glassbox-cache)
  --force         overwrite an existing output`;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parse(argv, {
    out: { type: 'string', short: 'o' },
    role: { type: 'string' },
    preset: { type: 'string' },
    box: { type: 'string' },
    density: { type: 'string' },
    dim: { type: 'string' },
    target: { type: 'string' },
    'target-column': { type: 'string' },
    species: { type: 'string' },
    structure: { type: 'string' },
    cache: { type: 'string' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const out = v.out as string | undefined;
  if (!out) throw new InputError('stats: --out (-o) shard.npz is required');
  if (!/\.npz$/i.test(out)) throw new InputError(`--out ${out}: expected a .npz file name`);
  if (existsSync(out) && !v.force) throw new InputError(`${out} exists; refusing to overwrite it (use --force)`);
  const files = expandFiles(positionals as string[], 'stats');
  if (!files.length) throw new InputError('stats: give the configuration files of this shard');
  if (files.map((f) => resolve(f)).includes(resolve(out))) throw new InputError(`--out ${out} is one of the inputs`);
  const role = (v.role as string | undefined) ?? 'train';
  if (role !== 'train' && role !== 'test') throw new InputError(`--role must be train or test, got "${role}"`);
  const target = (v.target as string | undefined) ?? 'abs';
  if (!PROPENSITY_KINDS.includes(target as PropensityKind)) throw new InputError(`--target must be one of ${PROPENSITY_KINDS.join(', ')}, got "${target}"`);
  const structureArg = v.structure as string | undefined;
  if (structureArg !== undefined && !['thermal', 'inherent', 'both'].includes(structureArg)) throw new InputError(`--structure must be thermal, inherent or both, got "${structureArg}"`);
  const dim = v.dim === undefined ? undefined : (Number(v.dim) as 2 | 3);
  if (dim !== undefined && dim !== 2 && dim !== 3) throw new InputError('--dim must be 2 or 3');
  const preset = v.preset as string | undefined;
  const features: FeatureOptions = {};
  if (preset !== undefined) features.potential = preset;
  const structure: Structure = (structureArg as Structure | undefined) ?? (preset ? 'inherent' : 'thermal');
  const cacheDir = (v.cache as string | undefined) ?? '.glassbox-cache';
  const configs = readConfigurations(files, {
    box: boxArg(v.box as string | undefined),
    density: num(v.density as string | undefined, 'density'),
    dim,
    target: target as PropensityKind,
    targetColumn: v['target-column'] as string | undefined,
  });
  const sig = checkFitInputs({ train: configs, features, structure, species: v.species as string | undefined });
  // the same minimiser as `fit --train` (the fit rule), so that shards + merge = a single fit
  const minimizeOptions = fitMinimizeOptions();
  await precomputeInherent(configs, preset, { structure, cacheDir, options: minimizeOptions });
  const minimize = cachedMinimizer({ cacheDir, options: minimizeOptions });
  const prepared = configs.map((c) => prepareConfiguration(c, features, structure, v.species as string | undefined, minimize));
  const bytes = encodeShard(prepared, {
    role,
    featureOptions: features,
    structure,
    target: (v['target-column'] as string | undefined) ? `column ${v['target-column']}` : target,
    dim: sig.dim,
    labels: sig.labels,
    ...(structure !== 'thermal' && preset ? { minimize: resolveMinimizeOptions(minimizeOptions) } : {}),
  });
  writeOutputFile(out, bytes, { force: !!v.force, inputs: files });
  console.error(`wrote ${out}: ${prepared.length} configuration(s), ${prepared.reduce((s, q) => s + q.rows.length, 0)} rows x ${prepared[0].fm.p} descriptors (species ${prepared[0].speciesLabel}, ${structure} structure, role ${role})`);
  return 0;
}
