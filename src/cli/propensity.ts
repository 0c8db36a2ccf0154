// glassbox propensity: dynamic propensity (abs | msd | cage_abs) from isoconfigurational runs.
//
//   glassbox propensity DATA.npz... --kind abs [--box L | --density RHO] -o out.npy|out.xyz
//   glassbox propensity --reference start.data --runs 'run*_t30.dump' --kind abs -o out.xyz
//
// .npz datasets carry their runs (`positions`); with --reference, each run file (LAMMPS dump,
// XYZ, ...; from --runs patterns and/or positionals) gives one run, matched to the reference
// particle by particle (same ids / species / count). Output: .npy (N,) for one input, (F, N)
// for F inputs; or extended XYZ with the reference configuration and a column named after the
// kind. An existing output is never overwritten without --force, an input never.

import { InputError, ParseError } from '../errors.js';
import type { BoxSpec } from '../io/common.js';
import { checkOutputs, expandGlob, readSystems, writeOutputFile } from '../node/fs.js';
import { writeNpy } from '../io/npy.js';
import { writeXyz, type XyzWriteFrame } from '../io/xyz.js';
import type { FrameRecord } from '../io/index.js';
// the Node entry loads the wasm kernels
import { propensity } from '../index.js';
import { PROPENSITY_KINDS, type PropensityKind } from '../targets/targets.js';
import { COMMON, num, numList, parse } from './args.js';

const HELP = `usage: glassbox propensity FILE... --kind abs|msd|cage_abs -o OUT.npy|OUT.xyz [options]

  Dynamic propensity from isoconfigurational runs (../shared/spec/descriptors.md, Targets):
    abs       mean over runs of |x_i(t) - x_i(0)|
    msd       mean over runs of |x_i(t) - x_i(0)|^2
    cage_abs  as abs, minus the mean displacement of the neighbours within the cage radius

  FILE...            .npz isoconfigurational datasets (initial_positions + positions of the runs)
  --reference FILE   reference configuration (e.g. a LAMMPS data file with image flags); the runs
                     are then the files of --runs and/or the positionals, one run per file
  --runs PATTERN     run files, a glob in the file name (run*_t30.dump); repeatable
  --timestep T       pick this timestep from multi-frame run dumps
  --kind K           abs | msd | cage_abs (required)
  --box L            box side(s) for files that store none ("L" or "Lx,Ly,Lz")
  --density RHO      or: cubic box at this number density, L = (N/RHO)^(1/D)
  --cage-radius R    neighbour radius of cage_abs (default 1.5)
  --dim 2            read LAMMPS files as 2D (drop z)
  -o, --output OUT   .npy (values; (F, N) for F inputs) or .xyz (reference + a column <kind>)
  --force            overwrite an existing output`;

function parseBox(v: string | undefined): BoxSpec | undefined {
  if (v === undefined) return undefined;
  const parts = numList(v.trim().replace(/\s*[x\s]\s*/g, ','), 'box')!;
  if (parts.length === 0 || parts.some((x) => !(x > 0) || !Number.isFinite(x))) throw new InputError(`--box expects a positive length or Lx,Ly[,Lz], got "${v}"`);
  return parts.length === 1 ? parts[0] : parts;
}

interface Result {
  frame: FrameRecord;
  values: Float64Array;
  runs: number;
  source: string;
}

function pickFrame(path: string, frames: FrameRecord[], timestep: number | undefined): FrameRecord {
  if (timestep !== undefined) {
    const f = frames.find((fr) => fr.info.timestep === timestep);
    if (!f) throw new InputError(`${path}: no frame with timestep ${timestep} (it has ${frames.map((fr) => fr.info.timestep ?? '?').join(' ')})`);
    return f;
  }
  if (frames.length !== 1) {
    throw new InputError(`${path}: ${frames.length} frames; choose one run configuration with --timestep (timesteps: ${frames.map((fr) => fr.info.timestep ?? '?').join(' ')})`);
  }
  return frames[0];
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    kind: { type: 'string', choices: PROPENSITY_KINDS },
    reference: { type: 'string' },
    runs: { type: 'string', multiple: true },
    timestep: { type: 'string', int: true, min: 0 },
    box: { type: 'string' },
    density: COMMON.density,
    'cage-radius': { type: 'string', number: true, gt: 0 },
    dim: COMMON.dim,
    output: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const kind = values.kind as string | undefined;
  if (!kind) throw new InputError(`--kind is required (abs, msd or cage_abs)\n${HELP}`);
  if (!PROPENSITY_KINDS.includes(kind as PropensityKind)) throw new InputError(`--kind expects abs, msd or cage_abs, got "${kind}"`);
  const out = values.output as string | undefined;
  if (!out) throw new InputError('an output file is required: -o OUT.npy or -o OUT.xyz');
  const outExt = out.toLowerCase().endsWith('.npy') ? 'npy' : /\.(ext)?xyz$/i.test(out) ? 'xyz' : null;
  if (!outExt) throw new InputError(`output ${out}: expected a .npy or .xyz file name`);
  const box = parseBox(values.box as string | undefined);
  const density = num(values.density as string | undefined, 'density');
  const cageRadius = num(values['cage-radius'] as string | undefined, 'cage-radius') ?? 1.5;
  const timestep = num(values.timestep as string | undefined, 'timestep');
  let dim: 2 | 3 | undefined;
  if (values.dim !== undefined) {
    if (values.dim !== '2' && values.dim !== '3') throw new InputError(`--dim expects 2 or 3, got "${values.dim}"`);
    dim = Number(values.dim) as 2 | 3;
  }
  const readOpts = { box, density, dim };
  const warn = (m: string) => console.error(`warning: ${m}`);
  const results: Result[] = [];
  const inputs: string[] = [];

  if (values.reference !== undefined) {
    const refPath = values.reference as string;
    const runFiles = [...((values.runs as string[] | undefined) ?? []).flatMap(expandGlob), ...positionals];
    if (runFiles.length === 0) throw new InputError('--reference needs run files (--runs PATTERN or positional files)');
    inputs.push(refPath, ...runFiles);
    checkOutputs([out], { force: !!values.force, inputs });
    const refParsed = readSystems(refPath, readOpts);
    const ref = refParsed.frames.length === 1 ? refParsed.frames[0] : pickFrame(refPath, refParsed.frames, undefined);
    const rs = ref.system;
    const runs: Float64Array[] = [];
    for (const f of runFiles) {
      const fr = pickFrame(f, readSystems(f, readOpts).frames, timestep);
      const s = fr.system;
      if (s.n !== rs.n || s.dim !== rs.dim) throw new ParseError(f, {}, `run has ${s.n} particles in ${s.dim}D, the reference ${refPath} has ${rs.n} in ${rs.dim}D`);
      for (let a = 0; a < rs.dim; a++) {
        if (Math.abs(s.box[a] - rs.box[a]) > 1e-9 * rs.box[a]) throw new ParseError(f, {}, `run box ${Array.from(s.box).join(' x ')} differs from the reference box ${Array.from(rs.box).join(' x ')}`);
      }
      if (fr.ids && ref.ids) {
        for (let i = 0; i < rs.n; i++) {
          if (fr.ids[i] !== ref.ids[i]) throw new ParseError(f, { field: 'id' }, `atom ids differ from the reference ${refPath} (particle ${i}: id ${fr.ids[i]} vs ${ref.ids[i]})`);
        }
      }
      for (let i = 0; i < rs.n; i++) {
        const a = s.labels[s.species[i]];
        const b = rs.labels[rs.species[i]];
        if (a !== b) throw new ParseError(f, { field: 'type' }, `species of particle ${i}${fr.ids ? ` (id ${fr.ids[i]})` : ''} is ${a}, the reference says ${b}`);
      }
      runs.push(s.positions);
    }
    const p = propensity(rs, runs, kind as PropensityKind, { cageRadius, onWarning: warn });
    results.push({ frame: ref, values: p, runs: runs.length, source: refPath });
  } else {
    if (values.runs !== undefined) throw new InputError('--runs needs --reference (the configuration the runs start from)');
    if (positionals.length === 0) throw new InputError(`no input files\n${HELP}`);
    inputs.push(...positionals);
    checkOutputs([out], { force: !!values.force, inputs });
    for (const f of positionals) {
      const parsed = readSystems(f, readOpts);
      if (!parsed.runs || parsed.runs.length === 0) {
        throw new InputError(`${f}: no isoconfigurational runs in this file (an .npz with initial_positions and positions); for LAMMPS runs use --reference START --runs 'run*.dump'`);
      }
      const fr = parsed.frames[0];
      const p = propensity(fr.system, parsed.runs, kind as PropensityKind, { cageRadius, onWarning: warn });
      results.push({ frame: fr, values: p, runs: parsed.runs.length, source: f });
    }
  }

  let data: Uint8Array | string;
  if (outExt === 'npy') {
    const n = results[0].values.length;
    if (results.some((r) => r.values.length !== n)) throw new InputError('inputs have different particle numbers: write them one at a time, or to .xyz');
    if (results.length === 1) data = writeNpy({ dtype: '<f8', shape: [n], data: results[0].values });
    else {
      const all = new Float64Array(results.length * n);
      results.forEach((r, k) => all.set(r.values, k * n));
      data = writeNpy({ dtype: '<f8', shape: [results.length, n], data: all });
    }
  } else {
    const frames: XyzWriteFrame[] = results.map((r) => ({
      system: r.frame.system,
      columns: { [kind]: r.values },
      info: { propensity: kind, runs: r.runs, source: r.source.split(/[\\/]/).pop() ?? r.source, ...(kind === 'cage_abs' ? { cage_radius: cageRadius } : {}) },
    }));
    data = writeXyz(frames);
  }
  writeOutputFile(out, data, { force: !!values.force, inputs });
  console.log(`wrote ${out}: ${kind} propensity of ${results.length} configuration${results.length > 1 ? 's' : ''} (N = ${results[0].values.length}, ${results.map((r) => r.runs).join('/')} runs)`);
  return 0;
}

