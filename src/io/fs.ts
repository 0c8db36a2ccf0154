// Node-only file access for the readers/writers (the parsers themselves take bytes or
// strings and live in browser-safe modules). Exported from the Node entry only.

import { existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { detectFormat, iterateSystems, parseSystems, summarize, type FileSummary, type FrameRecord, type ParsedFile, type ReadOptions } from './index.js';
import { readNpz } from './npz.js';
import { readIsoconfigDataset, type DatasetOptions, type IsoconfigDataset } from './dataset.js';
import { readLammpsData, type LammpsData, type LammpsDataOptions } from './lammps.js';

function readBytes(path: string): Uint8Array {
  if (!existsSync(path)) throw new InputError(`${path}: no such file`);
  if (statSync(path).isDirectory()) throw new InputError(`${path}: is a directory, expected a file`);
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function isText(path: string, opts: ReadOptions): boolean {
  const f = opts.format ?? detectFormat(path);
  return f === 'xyz' || f === 'lammps-dump' || f === 'lammps-data';
}

function load(path: string, opts: ReadOptions): Uint8Array | string {
  const b = readBytes(path);
  return isText(path, opts) ? new TextDecoder('utf-8').decode(b) : b;
}

/** Read every configuration of a file (format from its extension; see ./index.ts). */
export function readSystems(path: string, opts: ReadOptions = {}): ParsedFile {
  return parseSystems(load(path, opts), path, opts);
}

/** Stream the configurations of a file one at a time (multi-frame XYZ and LAMMPS dumps). */
export function* streamSystems(path: string, opts: ReadOptions = {}): Generator<FrameRecord> {
  yield* iterateSystems(load(path, opts), path, opts);
}

/** `glassbox info` for one file: N, dim, box, species counts, columns, frames, runs. */
export function describeFile(path: string, opts: ReadOptions = {}): FileSummary {
  return summarize(load(path, opts), path, opts);
}

/** An isoconfigurational .npz dataset (reference System + run positions). */
export function readIsoconfigFile(path: string, opts: DatasetOptions = {}): IsoconfigDataset {
  return readIsoconfigDataset(readNpz(readBytes(path), path), opts);
}

/** A LAMMPS data file. */
export function readLammpsDataFile(path: string, opts: LammpsDataOptions = {}): LammpsData {
  return readLammpsData(new TextDecoder('utf-8').decode(readBytes(path)), { ...opts, file: opts.file ?? path });
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return resolve(a) === resolve(b);
  }
}

/**
 * Write an output file. Refuses to overwrite an existing file unless `force`, and never
 * overwrites one of the `inputs` (even with force).
 */
export function writeOutputFile(path: string, data: Uint8Array | string, opts: { force?: boolean; inputs?: readonly string[] } = {}): void {
  for (const inp of opts.inputs ?? []) {
    if (existsSync(path) && sameFile(path, inp)) throw new InputError(`output ${path} is one of the input files: refusing to overwrite an input`);
  }
  if (existsSync(path) && !opts.force) throw new InputError(`output ${path} exists: refusing to overwrite it (use --force)`);
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) throw new InputError(`output directory ${dir} does not exist`);
  writeFileSync(path, data);
}

function globToRegExp(pat: string): RegExp {
  let re = '';
  for (let i = 0; i < pat.length; i++) {
    const c = pat[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const e = pat.indexOf(']', i + 1);
      if (e < 0) re += '\\[';
      else {
        re += '[' + pat.slice(i + 1, e).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = e;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Natural order: run2 before run10. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
}

/**
 * Expand a glob pattern with wildcards (* ? [..]) in its last path component only
 * (e.g. "runs/run*_t30.dump"), sorted in natural order. A name without wildcards is returned
 * as is. No match is an InputError.
 */
export function expandGlob(pattern: string): string[] {
  if (!/[*?[]/.test(pattern)) return [pattern];
  const dir = dirname(pattern);
  const base = pattern.slice(dir === '.' && !pattern.startsWith('./') ? 0 : dir.length + 1);
  if (/[*?[]/.test(dir)) throw new InputError(`${pattern}: wildcards are only supported in the file name, not in directories`);
  if (!existsSync(dir)) throw new InputError(`${pattern}: directory ${dir} does not exist`);
  const re = globToRegExp(base);
  const out = readdirSync(dir)
    .filter((f) => re.test(f))
    .map((f) => (dir === '.' && !pattern.startsWith('./') ? f : join(dir, f)))
    .sort(naturalCompare);
  if (out.length === 0) throw new InputError(`${pattern}: no files match`);
  return out;
}
