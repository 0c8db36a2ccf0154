// glassbox info FILE... [--json] [--dim 2]
// Prints, per file: format, N, dimension, box, species counts, extra columns, number of
// frames and of isoconfigurational runs (and the arrays of .npz/.npy files).

import { InputError } from '../errors.js';
import { describeFile } from '../node/fs.js';
import type { FileSummary } from '../io/index.js';
import { COMMON, parse } from './args.js';
import { preset as presetPotential } from '../potential/potentials.js';
import { sortLabels } from '../system/system.js';

const HELP = `usage: glassbox info FILE... [--json] [--dim 2] [--preset KA3D]

  Describe particle files (.npz .npy .xyz .extxyz .dump .lammpstrj .data): format,
  particles, dimension, box, species counts (labels as stored), extra per-particle columns,
  frames and isoconfigurational runs.

  --json     one JSON array with an object per file
  --dim 2    read LAMMPS files (or XYZ) as 2D (drop z)
  --preset P name integer species codes as the potential preset does (KA3D: 0, 1 -> A, B)`;

function fmtNum(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(10)));
}

/** Human-readable lines for one file summary. */
export function formatSummary(s: FileSummary): string {
  const lines = [s.file];
  const row = (k: string, v: string) => lines.push(`  ${(k + ' ').padEnd(11)}${v}`);
  row('format', s.format + (s.runs !== null ? ' (isoconfigurational dataset)' : ''));
  row('particles', String(s.particles));
  row('dimension', String(s.dim));
  if (s.box) row('box', s.box.map(fmtNum).join(' x '));
  else {
    const L = Math.pow(s.particles / 1.2, 1 / s.dim);
    row('box', `not stored in the file (give --box; at number density 1.2 it would be L = ${fmtNum(L)})`);
  }
  row('species', Object.entries(s.species).map(([k, v]) => `${k}: ${v}`).join(', '));
  row('columns', s.columns.length ? s.columns.join(' ') : '-');
  row('frames', String(s.frames) + (s.timesteps && s.timesteps.length ? ` (timesteps ${s.timesteps.length > 6 ? s.timesteps.slice(0, 3).join(' ') + ' ... ' + s.timesteps.at(-1) : s.timesteps.join(' ')})` : ''));
  row('runs', s.runs === null ? '-' : String(s.runs));
  if (s.arrays) row('arrays', Object.entries(s.arrays).map(([k, a]) => `${k} ${a.dtype} (${a.shape.join(', ')})`).join(', '));
  for (const [k, v] of Object.entries(s.info)) row(k, String(v));
  return lines.join('\n');
}

/**
 * Species counts under a preset's names (../shared/spec/descriptors.md, System): labels that are
 * the preset's names stay; integer codes map to the preset's names in ascending order.
 */
export function presetSpecies(s: FileSummary, name: string): Record<string, number> {
  const names = presetPotential(name).species;
  const labels = Object.keys(s.species);
  if (labels.every((l) => names.includes(l))) return s.species;
  const order = sortLabels(labels);
  if (order.length !== names.length) {
    throw new InputError(`${s.file}: ${order.length} species [${order.join(', ')}] but the ${name} preset has ${names.length} [${names.join(', ')}]`);
  }
  return Object.fromEntries(order.map((l, k) => [names[k], s.species[l]]));
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    json: { type: 'boolean' },
    dim: COMMON.dim,
    preset: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length === 0) throw new InputError(`no input files\n${HELP}`);
  let dim: 2 | 3 | undefined;
  if (values.dim !== undefined) {
    if (values.dim !== '2' && values.dim !== '3') throw new InputError(`--dim expects 2 or 3, got "${values.dim}"`);
    dim = Number(values.dim) as 2 | 3;
  }
  const out = positionals.map((f) => describeFile(f, { dim }));
  if (values.preset !== undefined) for (const s of out) s.species = presetSpecies(s, String(values.preset));
  if (values.json) console.log(JSON.stringify(out, null, 2));
  else console.log(out.map(formatSummary).join('\n\n'));
  return 0;
}
