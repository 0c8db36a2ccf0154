// Format dispatch over bytes (browser-safe; Node file access is in ./fs.ts).
//
//   .npz                  isoconfigurational dataset (initial_positions, positions, types, box)
//                         or an archive with a `positions` array
//   .npy                  positions (N, D) or (frames, N, D); the box comes from the caller
//   .xyz .extxyz          (extended) XYZ, multi-frame
//   .dump .lammpstrj      LAMMPS text dump (also dump.* names), multi-frame
//   .data .lmp            LAMMPS data file (also data.* names)

import { InputError, ParseError } from '../errors.js';
import { sortLabels, type System } from '../system/system.js';
import { boxForDensity, type BoxSpec } from './common.js';
import { checkRequiredMembers, isIsoconfigNpz, npzBox, npzScalars, readIsoconfigDataset, systemsFromPositions, typeLabels } from './dataset.js';
import { lammpsDumpFrames, readLammpsData, type LammpsDataOptions } from './lammps.js';
import { readNpy, readNpyHeader } from './npy.js';
import { readNpz, type NpzFile } from './npz.js';
import { xyzFrameToSystem, xyzRawFrames, type XyzRawFrame } from './xyz.js';

export type FileFormat = 'npz' | 'npy' | 'xyz' | 'lammps-dump' | 'lammps-data';

/** The format of a file from its name (extension, or LAMMPS's dump.* / data.* prefixes). */
export function detectFormat(name: string): FileFormat {
  const base = name.split(/[\\/]/).pop() ?? name;
  const lower = base.toLowerCase();
  const ext = lower.includes('.') ? lower.slice(lower.lastIndexOf('.') + 1) : '';
  switch (ext) {
    case 'npz': return 'npz';
    case 'npy': return 'npy';
    case 'xyz': case 'extxyz': return 'xyz';
    case 'dump': case 'lammpstrj': return 'lammps-dump';
    case 'data': case 'lmp': return 'lammps-data';
  }
  if (lower.startsWith('dump.')) return 'lammps-dump';
  if (lower.startsWith('data.')) return 'lammps-data';
  throw new InputError(`${name}: unknown file format (expected .npz, .npy, .xyz, .extxyz, .dump, .lammpstrj or .data)`);
}

export interface ReadOptions {
  /** Override the format detected from the name. */
  format?: FileFormat;
  /** Box side length(s) for files that store none (.npy, BOTAN .npz, plain XYZ). */
  box?: BoxSpec;
  /** Alternative to `box` for .npz/.npy: cubic (square) box at this number density, L = (N/rho)^(1/D). */
  density?: number;
  /** 2 for 2D LAMMPS files (drops z), or to force the XYZ dimension. */
  dim?: 2 | 3;
  /** Explicit species label order. */
  speciesOrder?: readonly string[];
  /** LAMMPS data file atom style when the file does not say. */
  style?: LammpsDataOptions['style'];
}

/** One configuration and what the file says about it. */
export interface FrameRecord {
  system: System;
  /** XYZ comment pairs, LAMMPS timestep, ... */
  info: Record<string, string | number>;
  /** LAMMPS atom ids (sorted), when the format has ids. */
  ids?: Int32Array;
}

export interface ParsedFile {
  file: string;
  format: FileFormat;
  frames: FrameRecord[];
  /** Isoconfigurational run positions (npz datasets): M arrays of N*D, unwrapped. */
  runs?: Float64Array[];
  /** Inherent-structure positions (npz datasets), N*D. */
  inherent?: Float64Array;
  /** File-level provenance (npz scalars, LAMMPS data masses/style, ...). */
  info: Record<string, string | number>;
}

function densityBox(opts: ReadOptions, n: number, dim: number): BoxSpec | undefined {
  if (opts.density === undefined) return opts.box;
  if (opts.box !== undefined) throw new InputError('give either a box or a density, not both');
  return boxForDensity(n, opts.density, dim as 2 | 3);
}

function npzSystems(npz: NpzFile, opts: ReadOptions): ParsedFile {
  checkRequiredMembers(npz);
  if (isIsoconfigNpz(npz)) {
    const h = npz.header('initial_positions');
    const box = densityBox(opts, h.shape[0] ?? 0, h.shape[1] ?? 3);
    const ds = readIsoconfigDataset(npz, { box, speciesOrder: opts.speciesOrder });
    return { file: npz.file, format: 'npz', frames: [{ system: ds.system, info: {} }], get runs() { return ds.runs; }, inherent: ds.inherent, info: ds.info }; // runs decoded on first access
  }
  if (npz.has('positions')) {
    const a = npz.get('positions');
    const s = a.shape;
    const n = s.length >= 2 ? s[s.length - 2] : 0;
    const types = npz.has('types') ? typeLabels(npz.get('types'), n, npz.file) : undefined;
    const box = npzBox(npz, s[s.length - 1]) ?? densityBox(opts, n, s[s.length - 1]);
    const systems = systemsFromPositions(a, { file: npz.file, key: 'positions', box, types, speciesOrder: opts.speciesOrder });
    return { file: npz.file, format: 'npz', frames: systems.map((system) => ({ system, info: {} })), info: {} };
  }
  throw new ParseError(npz.file, { field: 'initial_positions' }, `not a particle archive: needs initial_positions (isoconfigurational dataset) or positions; it has ${npz.keys.join(', ')}`);
}

/** Stream the configurations of a file one at a time (xyz and dumps are parsed lazily). */
export function* iterateSystems(src: Uint8Array | string, file: string, opts: ReadOptions = {}): Generator<FrameRecord> {
  const format = opts.format ?? detectFormat(file);
  switch (format) {
    case 'xyz': {
      if (opts.density !== undefined) throw new InputError(`${file}: a density-derived box applies to .npz/.npy files only; give the box`);
      let any = false;
      for (const f of xyzRawFrames(src, { file, dim: opts.dim })) {
        any = true;
        yield { system: xyzFrameToSystem(f, { file, box: opts.box, speciesOrder: opts.speciesOrder }), info: f.info };
      }
      if (!any) throw new ParseError(file, { line: 1 }, 'no frames (empty file)');
      return;
    }
    case 'lammps-dump': {
      let any = false;
      for (const f of lammpsDumpFrames(src, { file, dim: opts.dim, speciesOrder: opts.speciesOrder })) {
        any = true;
        yield { system: f.system, info: { timestep: f.timestep, unwrapped: f.unwrapped ? 'T' : 'F', coordinates: f.coordinates.join(' ') }, ids: f.ids };
      }
      if (!any) throw new ParseError(file, { line: 1 }, 'no frames (empty file)');
      return;
    }
    default:
      yield* parseSystems(src, file, { ...opts, format }).frames;
  }
}

/** Parse a whole file (bytes or text) into Systems (+ runs for isoconfigurational datasets). */
export function parseSystems(src: Uint8Array | string, file: string, opts: ReadOptions = {}): ParsedFile {
  const format = opts.format ?? detectFormat(file);
  const bytes = () => {
    if (typeof src === 'string') throw new InputError(`${file}: ${format} files are binary; pass the bytes`);
    return src;
  };
  switch (format) {
    case 'npz':
      return npzSystems(readNpz(bytes(), file), opts);
    case 'npy': {
      const a = readNpy(bytes(), { file });
      const s = a.shape;
      const box = densityBox(opts, s.length >= 2 ? s[s.length - 2] : 0, s[s.length - 1] ?? 3);
      const systems = systemsFromPositions(a, { file, box, speciesOrder: opts.speciesOrder });
      return { file, format, frames: systems.map((system) => ({ system, info: {} })), info: {} };
    }
    case 'lammps-data': {
      const d = readLammpsData(src, { file, dim: opts.dim, speciesOrder: opts.speciesOrder, style: opts.style });
      const info: Record<string, string | number> = { atom_style: d.atomStyle, atom_types: d.atomTypes, image_flags: d.images ? 'T' : 'F', velocities: d.velocities ? 'T' : 'F' };
      for (const [t, m] of Object.entries(d.masses)) info[`mass_${t}`] = m;
      return { file, format, frames: [{ system: d.system, info: {}, ids: d.ids }], info };
    }
    default: {
      const frames = [...iterateSystems(src, file, { ...opts, format })];
      return { file, format, frames, info: {} };
    }
  }
}

/** What `glassbox info` reports about a file (needs no box). */
export interface FileSummary {
  file: string;
  format: FileFormat;
  /** Particles in the first frame. */
  particles: number;
  dim: number;
  /** Box side lengths, or null when the file stores none. */
  box: number[] | null;
  /** Particles per species label (labels as in the file, e.g. 0/1 for the BOTAN types). */
  species: Record<string, number>;
  /** Extra per-particle columns. */
  columns: string[];
  frames: number;
  /** Isoconfigurational runs (npz datasets), else null. */
  runs: number | null;
  /** Arrays of an .npz/.npy: key -> dtype and shape. */
  arrays?: Record<string, { dtype: string; shape: number[] }>;
  /** LAMMPS timesteps of the frames. */
  timesteps?: number[];
  /** Provenance / comment pairs of the file (first frame). */
  info: Record<string, string | number>;
}

function countLabels(labels: ArrayLike<string>): Record<string, number> {
  const c = new Map<string, number>();
  for (let i = 0; i < labels.length; i++) c.set(labels[i], (c.get(labels[i]) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const l of sortLabels(c.keys())) out[l] = c.get(l)!;
  return out;
}

function systemCounts(s: System): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of s.labels) out[l] = 0;
  for (let i = 0; i < s.n; i++) out[s.labels[s.species[i]]]++;
  return out;
}

/** Summarise a file (N, dim, box, species counts, columns, frames, runs) without needing a box. */
export function summarize(src: Uint8Array | string, file: string, opts: ReadOptions = {}): FileSummary {
  const format = opts.format ?? detectFormat(file);
  if (format === 'npz' || format === 'npy') {
    if (typeof src === 'string') throw new InputError(`${file}: ${format} files are binary; pass the bytes`);
    const arrays: Record<string, { dtype: string; shape: number[] }> = {};
    let shape: number[];
    let species: Record<string, number> = {};
    let runs: number | null = null;
    let box: number[] | null = null;
    let info: Record<string, string | number> = {};
    if (format === 'npy') {
      const h = readNpyHeader(src, { file });
      arrays['(array)'] = { dtype: h.dtype, shape: h.shape };
      shape = h.shape;
    } else {
      const npz = readNpz(src, file);
      for (const k of npz.keys) {
        const h = npz.header(k);
        arrays[k] = { dtype: h.dtype, shape: h.shape };
      }
      const key = npz.has('initial_positions') ? 'initial_positions' : npz.has('positions') ? 'positions' : null;
      if (!key) throw new ParseError(file, { field: 'initial_positions' }, `not a particle archive: needs initial_positions or positions; it has ${npz.keys.join(', ')}`);
      shape = arrays[key].shape;
      const n0 = shape[shape.length - 2] ?? 0;
      if (npz.has('types')) species = countLabels(typeLabels(npz.get('types'), n0, file));
      if (key === 'initial_positions' && npz.has('positions')) {
        const ps = arrays['positions'].shape;
        runs = ps.length === 3 ? ps[0] : 1;
      }
      box = npzBox(npz, shape[shape.length - 1]);
      if (key === 'initial_positions') info = npzScalars(npz);
    }
    if (shape.length < 2) throw new ParseError(file, { field: 'shape' }, `expected positions of shape (N, D) or (frames, N, D), got (${shape.join(', ')})`);
    const n = shape[shape.length - 2];
    const dim = shape[shape.length - 1];
    if (Object.keys(species).length === 0) species = { A: n };
    const frames = shape.length === 3 && runs === null ? shape[0] : 1;
    return { file, format, particles: n, dim, box, species, columns: [], frames, runs, arrays, info };
  }
  if (format === 'xyz') {
    let first: XyzRawFrame | null = null;
    let frames = 0;
    for (const f of xyzRawFrames(src, { file, dim: opts.dim })) {
      if (frames === 0) first = f;
      frames++;
    }
    if (!first) throw new ParseError(file, { line: 1 }, 'no frames (empty file)');
    return {
      file, format, particles: first.n, dim: first.dim, box: first.box,
      species: countLabels(first.species), columns: Object.keys(first.columns), frames, runs: null, info: first.info,
    };
  }
  if (format === 'lammps-dump') {
    let first: System | null = null;
    let frames = 0;
    const timesteps: number[] = [];
    let finfo: Record<string, string | number> = {};
    for (const f of lammpsDumpFrames(src, { file, dim: opts.dim })) {
      if (!first) {
        first = f.system;
        finfo = { unwrapped: f.unwrapped ? 'T' : 'F', coordinates: f.coordinates.join(' ') };
      }
      timesteps.push(f.timestep);
      frames++;
    }
    if (!first) throw new ParseError(file, { line: 1 }, 'no frames (empty file)');
    return {
      file, format, particles: first.n, dim: first.dim, box: Array.from(first.box), species: systemCounts(first),
      columns: Object.keys(first.columns), frames, runs: null, timesteps, info: finfo,
    };
  }
  const p = parseSystems(src, file, { ...opts, format });
  const s = p.frames[0].system;
  return {
    file, format, particles: s.n, dim: s.dim, box: Array.from(s.box), species: systemCounts(s),
    columns: Object.keys(s.columns), frames: p.frames.length, runs: null, info: p.info,
  };
}
