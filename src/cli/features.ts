// glassbox features FILE... [--preset KA3D] [--box L] [--species-order A,B] -o out.npy|out.xyz
// Structural descriptors (../shared/spec/descriptors.md) of every configuration in the files.
// .npy: one float64 matrix, rows = particles of all configurations in order, with the column
// names beside it as out.names.json (a JSON array); .xyz: extended XYZ, one frame per
// configuration (names made XYZ-safe; the exact names also in out.names.json).
// An existing output is never overwritten without --force.

import { InputError } from '../errors.js';
import { featureNames, heldRowBytes, resolvedSystem } from '../features/compute.js';
import { computeFeaturesChunked, fitsOneCall } from '../features/chunked.js';
import { npyHeader } from '../io/npy.js';
import type { DescriptorFamily, FeatureOptions } from '../features/options.js';
import type { FeatureMatrix } from '../features/types.js';
import { checkOutputs, readSystems, writeOutputFile, writeOutputFileAsync } from '../node/fs.js';
import { FeatureThreads } from '../node/parallel/features.js';
import type { System } from '../system/system.js';
import { checkPlausible } from '../workflow/plausibility.js';
import { COMMON, numList as strictList, parse } from './args.js';

const HELP = `usage: glassbox features FILE... -o out.npy|out.xyz [options]

Per-particle structural descriptors (families R, A with CG levels, P, E) of every configuration.
  -o, --out FILE          output: .npy (names in FILE.names.json) or .xyz (extended XYZ)
  --force                 overwrite an existing output
  --preset NAME           pair potential KA3D or KA2D (adds family E; integer species codes
                          take the preset's names in ascending order: KA3D 0/1 -> A/B)
  --box L[,Ly[,Lz]]       box side(s) for files that store none
  --dim 2|3               dimension for files that do not say
  --species-order A,B     explicit species order
  --r0 X --dr X --K N --delta X         shells d_k = r0 + k dr (0.7, 0.1, 19, 0.1)
  --ls 1,2,...            angular orders (1..8)
  --cg-length X           coarse-graining length r_c (2.0)
  --levels 0,1,2          CG levels of R and A
  --scales 1.5,2,3,4,5    scales L of P and E
  --diameters 1,0.88      diameters per species (default: the preset's, else 1)
  --families R,A,P,E      families to compute
  --threads N             threads per configuration for .npy output (default $GLASSBOX_THREADS, else
                          all cores; 2 or more: a worker computes part of each, the same bytes)
`;

function numList(v: string | undefined, name: string): number[] | undefined {
  if (v === undefined) return undefined;
  return strictList(v, name);
}
function one(v: string | undefined, name: string): number | undefined {
  const xs = numList(v, name);
  if (xs && xs.length !== 1) throw new InputError(`--${name} expects one number, got "${v}"`);
  return xs?.[0];
}

/** The configurations of a file (every frame). */
async function loadSystems(path: string, opts: { box?: number[]; dim?: 2 | 3 }): Promise<System[]> {
  const got = readSystems(path, opts);
  if (got.frames.length) return got.frames.map((f) => f.system);
  throw new InputError(`${path}: the reader returned no configurations`);
}

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals: files } = parse(argv, {
    out: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    preset: { type: 'string' },
    box: COMMON.box,
    dim: COMMON.dim,
    'species-order': { type: 'string', list: true },
    r0: { type: 'string', number: true, min: 0 },
    dr: { type: 'string', number: true, gt: 0 },
    K: { type: 'string', int: true, min: 1, max: 1000 },
    delta: { type: 'string', number: true, gt: 0 },
    ls: { type: 'string', int: true, list: true, min: 1, max: 8 },
    'cg-length': { type: 'string', number: true, gt: 0 },
    levels: { type: 'string', int: true, list: true, min: 0, max: 10 },
    scales: { type: 'string', number: true, list: true, gt: 0 },
    diameters: { type: 'string', number: true, list: true, gt: 0 },
    families: { type: 'string' },
    threads: { type: 'string', int: true, min: 1, max: 1024 },
    help: { type: 'boolean', short: 'h' },
  });
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  if (files.length === 0) throw new InputError('features: give at least one configuration file (see glassbox features --help)');
  const out = v.out as string | undefined;
  if (!out) throw new InputError('features: --out (-o) out.npy or out.xyz is required');
  const kind = /\.npy$/i.test(out) ? 'npy' : /\.(ext)?xyz$/i.test(out) ? 'xyz' : null;
  if (!kind) throw new InputError(`--out ${out}: expected a .npy or .xyz file name`);
  const namesPath = out.replace(/\.(npy|extxyz|xyz)$/i, '') + '.names.json';
  // before any work: never an input (real paths and inodes), no overwrite without --force
  const outOpts = { force: !!v.force, inputs: files };
  checkOutputs([out, namesPath], outOpts);
  // .npy: a second thread computes part of each configuration (src/node/parallel/features.ts);
  // started now, its start-up overlaps the reading and checking below
  const threads = kind === 'npy' ? new FeatureThreads(one(v.threads as string | undefined, 'threads')) : null;
  try {
    return await features(v, files, out, kind, namesPath, threads);
  } finally {
    await threads?.close();
  }
}

async function features(v: Record<string, unknown>, files: string[], out: string, kind: 'npy' | 'xyz', namesPath: string, threads: FeatureThreads | null): Promise<number> {
  const outOpts = { force: !!v.force, inputs: files };
  const dim = one(v.dim as string | undefined, 'dim');
  if (dim !== undefined && dim !== 2 && dim !== 3) throw new InputError(`--dim must be 2 or 3, got ${dim}`);
  const opts: FeatureOptions = {
    r0: one(v.r0 as string, 'r0'),
    dr: one(v.dr as string, 'dr'),
    K: one(v.K as string, 'K'),
    delta: one(v.delta as string, 'delta'),
    ls: numList(v.ls as string, 'ls'),
    cgLength: one(v['cg-length'] as string, 'cg-length'),
    levels: numList(v.levels as string, 'levels'),
    scales: numList(v.scales as string, 'scales'),
    diameters: numList(v.diameters as string, 'diameters'),
  };
  for (const k of Object.keys(opts) as (keyof FeatureOptions)[]) if (opts[k] === undefined) delete opts[k];
  if (v.preset) opts.potential = v.preset as string;
  if (v['species-order']) opts.speciesOrder = (v['species-order'] as string).split(',').map((s) => s.trim());
  if (v.families) opts.families = (v.families as string).split(',').map((s) => s.trim().toUpperCase()) as DescriptorFamily[];
  const readOpts: { box?: number[]; dim?: 2 | 3 } = {};
  const box = numList(v.box as string | undefined, 'box');
  if (box) readOpts.box = box;
  if (dim) readOpts.dim = dim as 2 | 3;

  // read and check everything before any work
  const inputs: { sys: System; file: string }[] = [];
  for (const f of files) {
    for (const sys of await loadSystems(f, readOpts)) {
      // the rule of fit (src/workflow/pipeline.ts checkFitInputs): 2D and 3D rows never share columns
      const first = inputs[0];
      if (first && sys.dim !== first.sys.dim) {
        throw new InputError(`${sys.source ?? f}: it is ${sys.dim}D, ${first.sys.source ?? first.file} is ${first.sys.dim}D: descriptors of different dimensions cannot share columns; write them separately`);
      }
      // the worker starts on the first configuration now; its result is only used once every
      // input has passed the checks below (an implausible one is an error before any output)
      if (kind === 'npy' && inputs.length === 0) threads?.prefetch(sys, opts); // nothing when it does not split or fails
      checkPlausible(sys, { potential: opts.potential ?? undefined }); // a wrong box / preset / unit (src/workflow/plausibility.ts)
      inputs.push({ sys, file: f });
    }
  }
  if (kind === 'npy') {
    // the columns of every configuration before any work (they must agree), then the matrix
    // streamed row block by row block from wasm memory into the output file: no N x p copy in
    // JS (a configuration past one wasm call goes through computeFeaturesChunked's matrix)
    let names: string[] | null = null;
    let n = 0;
    for (const { sys, file: f } of inputs) {
      const nm = featureNames(sys, opts);
      if (names && nm.join('\n') !== names.join('\n')) {
        throw new InputError(`${sys.source ?? f}: its feature columns differ from the first configuration's (species or dimension differ); write it separately`);
      }
      names ??= nm;
      n += sys.n;
    }
    if (!names) throw new InputError('features: the files hold no configurations');
    const p = names.length;
    async function* parts(): AsyncGenerator<Uint8Array, void, undefined> {
      yield npyHeader('<f8', [n, p]);
      for (const { sys, file: f } of inputs) {
        if (fitsOneCall(sys, opts)) yield* heldRowBytes(await threads!.hold(sys, opts));
        else {
          const m = computeFeaturesChunked(sys, opts).values; // slabs with halos past ~400k particles
          yield new Uint8Array(m.buffer, m.byteOffset, m.byteLength);
        }
        console.error(`${sys.source ?? f}: ${sys.n} particles x ${p} features`);
      }
    }
    await writeOutputFileAsync(out, parts(), outOpts); // chunked, atomic: any size
    writeOutputFile(namesPath, JSON.stringify(names) + '\n', outOpts);
    console.error(`wrote ${out} and ${namesPath}`);
    return 0;
  }
  const systems: System[] = [];
  const mats: FeatureMatrix[] = [];
  for (const { sys, file: f } of inputs) {
    const fm = computeFeaturesChunked(sys, opts); // slabs with halos past ~400k particles
    if (mats.length && fm.names.join('\n') !== mats[0].names.join('\n')) {
      throw new InputError(`${sys.source ?? f}: its feature columns differ from the first configuration's (species or dimension differ); write it separately`);
    }
    if (kind === 'xyz') systems.push(resolvedSystem(sys, opts)); // species as named in the features (preset relabelling)
    mats.push(fm);
    console.error(`${sys.source ?? f}: ${fm.n} particles x ${fm.p} features`);
  }
  if (!mats.length) throw new InputError('features: the files hold no configurations');
  const names = mats[0].names;
  const { extXyzText } = await import('../features/export.js'); // the .xyz writer only for .xyz outputs
  writeOutputFile(out, extXyzText(systems, mats), outOpts);
  writeOutputFile(namesPath, JSON.stringify(names) + '\n', outOpts);
  console.error(`wrote ${out} and ${namesPath}`);
  return 0;
}
