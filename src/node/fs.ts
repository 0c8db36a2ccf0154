// Node-only file access for the readers/writers (the parsers themselves take bytes or
// strings and live in browser-safe modules). Exported from the Node entry only.

import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { detectFormat, iterateSystems, parseSystems, summarize, type FileSummary, type FrameRecord, type ParsedFile, type ReadOptions } from '../io/index.js';
import { readNpz } from '../io/npz.js';
import { readIsoconfigDataset, type DatasetOptions, type IsoconfigDataset } from '../io/dataset.js';
import { readLammpsData, type LammpsData, type LammpsDataOptions } from '../io/lammps.js';

/** Largest file read into memory at once (a Uint8Array in Node 20 holds at most 4 GiB). */
const MAX_READ = 2 ** 32 - 1;
/** Bytes per read/write call: Node refuses single calls over 2 GiB. */
export const IO_CHUNK = 1 << 30;

/** Map an fs error on `path` to a one-line InputError (permissions, missing, directory...). */
export function fsError(e: unknown, path: string, what = 'read'): Error {
  const err = e as NodeJS.ErrnoException;
  const code = err?.code;
  if (code === 'ENOENT') return new InputError(`${path}: no such file`);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`${path}: permission denied (cannot ${what} it)`);
  if (code === 'EISDIR') return new InputError(`${path}: is a directory, expected a file`);
  if (code === 'ENOTDIR') return new InputError(`${path}: a component of the path is not a directory`);
  if (code === 'ENOSPC') return new InputError(`${path}: no space left on the device`);
  if (code === 'EROFS') return new InputError(`${path}: read-only file system`);
  if (code === 'EMFILE' || code === 'ENFILE') return new InputError(`${path}: too many open files`);
  if (code === 'EIO') return new InputError(`${path}: input/output error`);
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * A whole file as bytes: InputErrors for a missing file, a directory, no permission; files over
 * 2 GiB are read in chunks (readFileSync refuses them); over 4 GiB is an InputError.
 */
export function readBytes(path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`${path}: is a directory, expected a file`);
    size = st.size;
  } catch (e) {
    throw fsError(e, path);
  }
  if (size > MAX_READ) throw new InputError(`${path}: ${(size / 2 ** 30).toFixed(2)} GiB is more than the 4 GiB a file may have here: split it (fewer configurations per file)`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fsError(e, path);
  }
  try {
    if (size < IO_CHUNK) {
      const b = readFileSync(fd);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
    const out = new Uint8Array(size);
    let off = 0;
    while (off < size) {
      const got = readSync(fd, out, off, Math.min(IO_CHUNK, size - off), off);
      if (got === 0) break;
      off += got;
    }
    return off === size ? out : out.subarray(0, off);
  } catch (e) {
    throw fsError(e, path);
  } finally {
    closeSync(fd);
  }
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

/** dev:ino of an existing path (following symlinks), or null. */
function identity(p: string): string | null {
  try {
    const st = statSync(p);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

/** The canonical path of `p`: realpath of the file, or of its directory + name when it does not exist. */
function canonical(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync(abs);
  } catch {
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/** True when a and b name the same file: same real path, or same device and inode (hard links). */
export function sameFile(a: string, b: string): boolean {
  if (canonical(a) === canonical(b)) return true;
  const ia = identity(a);
  return ia !== null && ia === identity(b);
}

export interface OutputOptions {
  /** Overwrite an existing output (never an input). */
  force?: boolean;
  /** Input files: an output that is one of them (by real path or inode) is always refused. */
  inputs?: readonly string[];
  /** The option that named the output, for messages (e.g. "--save"). */
  what?: string;
}

/**
 * Check outputs before any work: each must not be an input (real paths and inodes compared),
 * must not be a directory, must be in an existing directory, and must not exist unless `force`.
 * Every problem is a one-line InputError.
 */
export function checkOutputs(paths: readonly string[], opts: OutputOptions = {}): void {
  const label = (p: string) => (opts.what ? `${opts.what} ${p}` : `output ${p}`);
  for (const p of paths) {
    for (const inp of opts.inputs ?? []) {
      if (sameFile(p, inp)) throw new InputError(`${label(p)} is one of the input files (${inp}): refusing to overwrite one of the inputs (even with --force)`);
    }
    const dir = dirname(resolve(p));
    let dst: ReturnType<typeof statSync> | undefined;
    try {
      dst = statSync(dir);
    } catch {
      throw new InputError(`${label(p)}: directory ${dir} does not exist`);
    }
    if (!dst.isDirectory()) throw new InputError(`${label(p)}: ${dir} is not a directory`);
    if (existsSync(p)) {
      if (statSync(p).isDirectory()) throw new InputError(`${label(p)} is a directory, expected a file name`);
      if (!opts.force) throw new InputError(`${label(p)} already exists: refusing to overwrite (use --force)`);
    }
  }
}

/** Data for writeOutputFile: bytes, text, or parts (an array or any iterable, e.g. a generator that computes them) written one after the other as they come. */
export type OutputData = Uint8Array | string | Iterable<Uint8Array | string>;

function writeAll(fd: number, b: Uint8Array): void {
  let off = 0;
  while (off < b.length) off += writeSync(fd, b, off, Math.min(IO_CHUNK, b.length - off));
}

/** A temporary file beside `path` that becomes `path` only when complete (writeFileAtomic's steps). */
interface AtomicFile {
  path: string;
  tmp: string;
  fd: number | null;
}

function openAtomic(path: string): AtomicFile {
  const dir = dirname(resolve(path));
  const f: AtomicFile = { path, tmp: join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`), fd: null };
  try {
    f.fd = openSync(f.tmp, 'wx', 0o644);
  } catch (e) {
    throw fsError(e, path, 'write');
  }
  return f;
}

function writePart(f: AtomicFile, part: Uint8Array | string): void {
  if (typeof part !== 'string' && !(part instanceof Uint8Array)) throw new TypeError(`writeFileAtomic: a part of ${f.path} is neither bytes nor text`);
  writeAll(f.fd!, typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
}

function commitAtomic(f: AtomicFile): void {
  closeSync(f.fd!);
  f.fd = null;
  renameSync(f.tmp, f.path);
}

function abortAtomic(f: AtomicFile, e: unknown): Error {
  if (f.fd !== null) try { closeSync(f.fd); } catch { /* already failed */ }
  try { unlinkSync(f.tmp); } catch { /* not created */ }
  return fsError(e, f.path, 'write');
}

/**
 * Write bytes to `path` atomically: into a temporary file in the same directory (written in
 * chunks of at most 1 GiB), renamed over `path` only when complete. A failure (or a kill) never
 * leaves a half-written `path`; the temporary file is removed on errors. Not fsynced (as
 * numpy.save, LAMMPS and most tools: ~10 ms per 20 MB here): a power cut may lose the newest
 * output, never leave a partial one in its place on journalled file systems that order the rename.
 */
export function writeFileAtomic(path: string, data: OutputData): void {
  const f = openAtomic(path);
  try {
    for (const part of typeof data === 'string' || data instanceof Uint8Array ? [data] : data) writePart(f, part);
    commitAtomic(f);
  } catch (e) {
    throw abortAtomic(f, e);
  }
}

/** writeFileAtomic for parts that come asynchronously (e.g. computed on a worker between writes). */
export async function writeFileAtomicAsync(path: string, data: OutputData | AsyncIterable<Uint8Array | string>): Promise<void> {
  const f = openAtomic(path);
  try {
    const parts = typeof data === 'string' || data instanceof Uint8Array ? [data] : data; // for await takes sync iterables too
    for await (const part of parts) writePart(f, part);
    commitAtomic(f);
  } catch (e) {
    throw abortAtomic(f, e);
  }
}

/**
 * Write an output file (every command's outputs go through here): the checks of checkOutputs
 * (never an input, even with force; no overwrite without force; existing directory; not a
 * directory), then an atomic, chunked write (writeFileAtomic).
 */
export function writeOutputFile(path: string, data: OutputData, opts: OutputOptions = {}): void {
  checkOutputs([path], opts);
  writeFileAtomic(path, data);
}

/** writeOutputFile for parts that come asynchronously (the same checks, then writeFileAtomicAsync). */
export async function writeOutputFileAsync(path: string, data: OutputData | AsyncIterable<Uint8Array | string>, opts: OutputOptions = {}): Promise<void> {
  checkOutputs([path], opts);
  await writeFileAtomicAsync(path, data);
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
