// NumPy .npz reader and writer: a zip archive of .npy members (stored or deflated), one per
// key (`np.savez`: member "<key>.npy"). Entries are decoded lazily, by key, with fflate.
// Pure functions over bytes (browser-safe).

import { unzipSync, zipSync, type Zippable } from 'fflate';
import { ParseError } from '../errors.js';
import { readNpy, readNpyHeader, writeNpy, type NpyArray, type NpyHeader, type NpyWriteOptions } from './npy.js';

export interface NpzEntryInfo {
  key: string;
  /** Zip member name ("<key>.npy"). */
  member: string;
  compressedSize: number;
  size: number;
  /** 0 = stored, 8 = deflated. */
  compression: number;
}

/** An opened .npz archive: keys are listed at once, arrays decoded on first access and cached. */
export class NpzFile {
  readonly entries: NpzEntryInfo[];
  private cache = new Map<string, NpyArray>();
  constructor(readonly bytes: Uint8Array, readonly file = '<npz>') {
    const entries: NpzEntryInfo[] = [];
    try {
      unzipSync(bytes, {
        filter: (f) => {
          entries.push({
            key: f.name.endsWith('.npy') ? f.name.slice(0, -4) : f.name,
            member: f.name,
            compressedSize: f.size,
            size: f.originalSize,
            compression: f.compression,
          });
          return false;
        },
      });
    } catch (e) {
      throw new ParseError(file, { field: 'zip' }, `not a readable .npz (zip) archive: ${(e as Error).message}`);
    }
    if (entries.length === 0) {
      throw new ParseError(file, { field: 'zip' }, 'not a readable .npz (zip) archive: no members (empty or truncated file)');
    }
    const seen = new Set<string>();
    for (const e of entries) {
      if (seen.has(e.key)) throw new ParseError(file, { field: e.key }, 'duplicate key in the archive');
      seen.add(e.key);
    }
    this.entries = entries;
  }

  get keys(): string[] {
    return this.entries.map((e) => e.key);
  }

  has(key: string): boolean {
    return this.entries.some((e) => e.key === key);
  }

  private member(key: string): Uint8Array {
    const e = this.entries.find((x) => x.key === key);
    if (!e) throw new ParseError(this.file, { field: key }, `no such key (the archive has: ${this.keys.join(', ')})`);
    let out: Record<string, Uint8Array>;
    try {
      out = unzipSync(this.bytes, { filter: (f) => f.name === e.member });
    } catch (err) {
      throw new ParseError(this.file, { field: key }, `cannot extract the member "${e.member}": ${(err as Error).message}`);
    }
    const b = out[e.member];
    if (!b) throw new ParseError(this.file, { field: key }, `cannot extract the member "${e.member}"`);
    if (b.length !== e.size) throw new ParseError(this.file, { field: key }, `member "${e.member}" has ${b.length} bytes, the directory says ${e.size} (truncated archive?)`);
    return b;
  }

  /** The array stored under `key` (decoded once, then cached). */
  get(key: string): NpyArray {
    let a = this.cache.get(key);
    if (!a) {
      a = readNpy(this.member(key), { file: this.file, key });
      this.cache.set(key, a);
    }
    return a;
  }

  /** Only the header (dtype, shape) of `key`. Decompresses the member but does not decode it. */
  header(key: string): NpyHeader {
    const a = this.cache.get(key);
    if (a) return { dtype: a.dtype, shape: a.shape, fortranOrder: false, dataOffset: 0 };
    return readNpyHeader(this.member(key), { file: this.file, key });
  }
}

/** Open an .npz archive from its bytes. */
export function readNpz(bytes: Uint8Array, file = '<npz>'): NpzFile {
  return new NpzFile(bytes, file);
}

export interface NpzWriteOptions extends NpyWriteOptions {
  /** Deflate the members (np.savez_compressed); default false (np.savez). */
  compress?: boolean;
}

/** Encode arrays as an .npz archive (member "<key>.npy" per key). */
export function writeNpz(arrays: Record<string, { dtype?: string; shape: readonly number[]; data: any }>, opts: NpzWriteOptions = {}): Uint8Array {
  const z: Zippable = {};
  for (const [k, v] of Object.entries(arrays)) z[`${k}.npy`] = [writeNpy(v, opts), { level: opts.compress ? 6 : 0 }];
  return zipSync(z);
}
