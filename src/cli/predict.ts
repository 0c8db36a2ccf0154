// glassbox predict --model model.json FILES... -o out.xyz|out.npy: per-particle predictions of a
// model saved by `glassbox fit` on new configurations (src/node/files.ts predictFiles).
// The descriptors are repeated exactly as the model file says (options, structure; inherent
// structures from the files or minimised through the cache). Outputs are checked before any
// work and never overwritten without --force.

import { InputError } from '../errors.js';
import { PROPENSITY_KINDS, type PropensityKind } from '../targets/targets.js';
import { predictFiles, predictionOutputs } from '../node/files.js';
import { COMMON, parse, num } from './args.js';
import { boxArg } from './args.js';
import { progressReporter } from './progress.js';

const HELP = `usage: glassbox predict --model model.json FILES... -o out.xyz|out.npy [options]

Per-particle predictions of a model saved by glassbox fit (--out DIR writes DIR/model.json).
  --model FILE          the model file
  -o, --out FILE        .xyz/.extxyz: extended XYZ, one frame per configuration with species,
                        positions, propensity_pred (and propensity_true when the file has a target),
                        readable by ASE and OVITO;
                        .npy: float64, shape (N,) for one configuration, (configs, N) for several,
                        with FILE.meta.json beside it (model, species, what the values mean)
  --box L               box side(s) for files that store none: L or Lx,Ly[,Lz]
  --density RHO         box from the number density instead
  --dim 2|3             dimension for files that do not say
  --target K            abs | msd | cage_abs: the target to compare with (default: the model's;
                        giving it makes a missing target an error)
  --target-column NAME  compare with this stored per-particle column
  --species-names A=Ni,B=P   names written in the XYZ species column (ASE needs chemical
                        symbols there; OVITO reads any name)
  --cache DIR           inherent-structure cache (default .glassbox-cache)
  --force               overwrite existing outputs
  --json                print a JSON summary on stdout
  --quiet               no progress bar

For a per-configuration model (the default of glassbox fit) the values are deviations from the
configuration's mean propensity of the model's species; Pearson r is computed on that species.`;

function speciesNamesArg(v: string | undefined): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  const out: Record<string, string> = {};
  for (const part of v.split(',')) {
    const m = /^([^=\s]+)=(\S+)$/.exec(part.trim());
    if (!m) throw new InputError(`--species-names expects LABEL=NAME pairs separated by commas (e.g. A=Ni,B=P), got "${v}"`);
    out[m[1]] = m[2];
  }
  return out;
}

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals: files } = parse(argv, {
    model: { type: 'string', short: 'm' },
    out: { type: 'string', short: 'o' },
    box: COMMON.box,
    density: COMMON.density,
    dim: COMMON.dim,
    target: { type: 'string', choices: PROPENSITY_KINDS },
    'target-column': { type: 'string' },
    'species-names': { type: 'string' },
    cache: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const modelPath = v.model as string | undefined;
  if (!modelPath) throw new InputError('--model model.json is required (written by glassbox fit --out DIR)');
  const out = v.out as string | undefined;
  if (!out) throw new InputError('an output is required: -o out.xyz or -o out.npy');
  predictionOutputs(out); // the extension, before anything else
  if (files.length === 0) throw new InputError('give at least one configuration file to predict on');
  const target = v.target as string | undefined;
  if (target !== undefined && !PROPENSITY_KINDS.includes(target as PropensityKind)) throw new InputError(`--target must be one of ${PROPENSITY_KINDS.join(', ')}, got "${target}"`);
  const dim = v.dim === undefined ? undefined : Number(v.dim);
  if (dim !== undefined && dim !== 2 && dim !== 3) throw new InputError(`--dim must be 2 or 3, got "${v.dim}"`);
  const progress = progressReporter(!v.quiet && !v.json && !!process.stderr.isTTY);

  const r = await predictFiles(modelPath, files, {
    out,
    force: !!v.force,
    box: boxArg(v.box as string | undefined),
    density: num(v.density as string | undefined, 'density'),
    dim: dim as 2 | 3 | undefined,
    target: target as PropensityKind | undefined,
    targetColumn: v['target-column'] as string | undefined,
    requireTarget: target !== undefined || v['target-column'] !== undefined,
    speciesNames: speciesNamesArg(v['species-names'] as string | undefined),
    cacheDir: (v.cache as string | undefined) ?? '.glassbox-cache',
    onProgress: progress,
  });
  progress.done();

  const rs = r.predictions.map((p) => (p.pearson !== undefined && Number.isFinite(p.pearson) ? p.pearson : null));
  const known = rs.filter((x): x is number => x !== null);
  const mean = known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
  const species = r.predictions[0].species;
  if (v.json) {
    console.log(
      JSON.stringify(
        {
          model: modelPath,
          modelKind: r.model.model,
          center: r.model.center,
          species,
          output: r.written,
          configurations: r.predictions.map((p, k) => ({ name: p.name, n: p.values.length, pearson: rs[k], target: r.configurations[k].targetSource ?? null })),
          meanPearson: mean,
        },
        null,
        1,
      ),
    );
  } else {
    for (const [k, p] of r.predictions.entries()) {
      const c = r.configurations[k];
      console.log(`${p.name}: ${p.values.length} particles` + (rs[k] !== null ? `, Pearson r on species ${species} = ${rs[k]!.toFixed(3)} (${c.targetSource})` : ', no target'));
    }
    if (known.length > 1) console.log(`mean Pearson r on species ${species} over ${known.length} configurations = ${mean!.toFixed(3)}`);
    console.log(`wrote ${r.written.join(' and ')}`);
  }
  return 0;
}
