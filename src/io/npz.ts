// NumPy .npz reader and writer: a zip archive of .npy members (stored or deflated), one per
// key (`np.savez`: member "<key>.npy"). Entries are decoded lazily, by key, with fflate.
// Pure functions over bytes (browser-safe).
//
// Members are extracted with a streamed inflate (issue 11, zip bombs): the .npy header is read
// from the first inflated bytes, the size it needs (header + shape x itemsize) must equal the
// size the zip directory declares, and inflation stops with a ParseError as soon as a member
// produces more than that. Memory is therefore bounded by what the header says it holds,
// allocated once, never by what a crafted stream would expand to.

import { Inflate, unzipSync, zipSync, type Zippable } from 'fflate';
import { ParseError } from '../errors.js';
import { npyDataBytes, readNpy, readNpyHeader, writeNpy, type NpyArray, type NpyHeader, type NpyWriteOptions } from './npy.js';

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

  private offsets: Map<string, { offset: number; csize: number }> | null = null;

  /** Where a member's compressed bytes start (local header parsed), from the central directory. */
  private locate(e: NpzEntryInfo): { start: number; csize: number } | null {
    if (!this.offsets) {
      try {
        this.offsets = centralDirectory(this.bytes);
      } catch {
        this.offsets = new Map();
      }
    }
    const d = this.offsets.get(e.member);
    if (!d) return null;
    const b = this.bytes;
    const o = d.offset;
    if (o + 30 > b.length || rd32(b, o) !== 0x04034b50) return null;
    const start = o + 30 + rd16(b, o + 26) + rd16(b, o + 28);
    if (start + d.csize > b.length) {
      throw new ParseError(this.file, { field: e.key }, `member "${e.member}" needs ${d.csize} compressed bytes at offset ${start}, the file has ${b.length} (truncated archive?)`);
    }
    return { start, csize: d.csize };
  }

  /** Inflate a deflated member in a stream, checking its .npy header from the first bytes. */
  private inflateChecked(e: NpzEntryInfo, comp: Uint8Array, headerOnly = false): Uint8Array {
    const file = this.file, key = e.key;
    let head: Uint8Array[] = [];
    let headLen = 0;
    let out: Uint8Array | null = null;
    let need = -1;
    let got = 0;
    const accept = (chunk: Uint8Array) => {
      if (out) {
        if (got + chunk.length > need) throw new ParseError(file, { field: key }, `member "${e.member}" inflates beyond the ${need} bytes its .npy header needs (a corrupt or malicious archive): stopped`);
        out.set(chunk, got);
        got += chunk.length;
        return;
      }
      head.push(chunk);
      headLen += chunk.length;
      const h = concat(head, headLen);
      const n = npyDataBytes(h, { file, key }); // null: header not complete yet; throws when malformed
      if (n === null) {
        if (headLen > (1 << 20) + 16) throw new ParseError(file, { field: key }, `member "${e.member}": no complete .npy header in its first ${headLen} bytes`);
        return;
      }
      need = n;
      if (headerOnly) throw new HeaderDone(h);
      if (need !== e.size) throw new ParseError(file, { field: key }, `member "${e.member}": its .npy header needs ${need} bytes, the zip directory declares ${e.size} (a corrupt or malicious archive)`);
      out = new Uint8Array(need);
      head = [];
      accept(h);
    };
    const inf = new Inflate((chunk) => accept(chunk));
    try {
      // small pushes until the header is known (deflate expands at most ~1032x: 256 B -> 264 KB),
      // then 16 KB (at most ~16 MB per chunk, checked against the header's size as it arrives)
      for (let i = 0; i < comp.length; ) {
        const step = out ? 1 << 14 : 256;
        const j = Math.min(comp.length, i + step);
        inf.push(comp.subarray(i, j), j >= comp.length);
        i = j;
      }
      if (comp.length === 0) inf.push(new Uint8Array(0), true);
    } catch (err) {
      if (err instanceof HeaderDone) return err.bytes;
      if (err instanceof ParseError) throw err;
      throw new ParseError(file, { field: key }, `cannot inflate the member "${e.member}": ${(err as Error).message}`);
    }
    if (!out) {
      const h = concat(head, headLen);
      npyDataBytes(h, { file, key }, true); // throws with the reader's message (truncated header)
      throw new ParseError(file, { field: key }, `member "${e.member}" ends inside its .npy header`);
    }
    if (got !== need) throw new ParseError(file, { field: key }, `member "${e.member}" has ${got} bytes, its .npy header needs ${need} (truncated archive?)`);
    return out;
  }

  /** The first bytes of a member, up to its complete .npy header (streams only that far). */
  private headerBytes(key: string): Uint8Array {
    const e = this.entries.find((x) => x.key === key);
    if (e && e.member.endsWith('.npy') && (e.compression === 0 || e.compression === 8)) {
      const loc = this.locate(e);
      if (loc) {
        const comp = this.bytes.subarray(loc.start, loc.start + loc.csize);
        return e.compression === 0 ? comp : this.inflateChecked(e, comp, true);
      }
    }
    return this.member(key);
  }

  private member(key: string): Uint8Array {
    const e = this.entries.find((x) => x.key === key);
    if (!e) throw new ParseError(this.file, { field: key }, `no such key (the archive has: ${this.keys.join(', ')})`);
    if (e.member.endsWith('.npy') && (e.compression === 0 || e.compression === 8)) {
      const loc = this.locate(e);
      if (loc) {
        const comp = this.bytes.subarray(loc.start, loc.start + loc.csize);
        if (e.compression === 0) {
          if (loc.csize !== e.size) throw new ParseError(this.file, { field: key }, `member "${e.member}" is stored with ${loc.csize} bytes, the directory says ${e.size}`);
          return comp;
        }
        return this.inflateChecked(e, comp);
      }
    }
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
    return readNpyHeader(this.headerBytes(key), { file: this.file, key });
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
export function writeNpz(arrays: Record<string, Parameters<typeof writeNpy>[0]>, opts: NpzWriteOptions = {}): Uint8Array {
  const z: Zippable = {};
  for (const [k, v] of Object.entries(arrays)) z[`${k}.npy`] = [writeNpy(v, opts), { level: opts.compress ? 6 : 0 }];
  return zipSync(z);
}

/** Stops a header-only inflate once the header is complete. */
class HeaderDone {
  constructor(readonly bytes: Uint8Array) {}
}

function rd16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}
function rd32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 16777216;
}
function rd64(b: Uint8Array, o: number): number {
  return rd32(b, o) + rd32(b, o + 4) * 4294967296;
}
function concat(parts: Uint8Array[], len: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The central directory of a zip archive (zip64 aware): member name -> local header offset and
 * compressed size. Every read is bounds-checked; a malformed directory throws (plain Error).
 */
export function centralDirectory(b: Uint8Array): Map<string, { offset: number; csize: number }> {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (rd32(b, i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('no end of central directory record');
  let count = rd16(b, eocd + 10);
  let cdOffset = rd32(b, eocd + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && rd32(b, eocd - 20) === 0x07064b50) {
    const z = rd64(b, eocd - 12);
    if (z + 56 > b.length || rd32(b, z) !== 0x06064b50) throw new Error('bad zip64 end of central directory');
    count = rd64(b, z + 32);
    cdOffset = rd64(b, z + 48);
  }
  const out = new Map<string, { offset: number; csize: number }>();
  let p = cdOffset;
  const dec = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (p + 46 > b.length || rd32(b, p) !== 0x02014b50) throw new Error('bad central directory entry');
    let csize = rd32(b, p + 20);
    let usize = rd32(b, p + 24);
    const nl = rd16(b, p + 28), xl = rd16(b, p + 30), cl = rd16(b, p + 32);
    let offset = rd32(b, p + 42);
    if (p + 46 + nl + xl > b.length) throw new Error('truncated central directory');
    const name = dec.decode(b.subarray(p + 46, p + 46 + nl));
    // zip64 extra field: the 0xffffffff fields, in the order usize, csize, offset
    for (let x = p + 46 + nl; x + 4 <= p + 46 + nl + xl; ) {
      const id = rd16(b, x), sz = rd16(b, x + 2);
      if (id === 1) {
        let q = x + 4;
        if (usize === 0xffffffff && q + 8 <= x + 4 + sz) { usize = rd64(b, q); q += 8; }
        if (csize === 0xffffffff && q + 8 <= x + 4 + sz) { csize = rd64(b, q); q += 8; }
        if (offset === 0xffffffff && q + 8 <= x + 4 + sz) offset = rd64(b, q);
      }
      x += 4 + sz;
    }
    void usize;
    out.set(name, { offset, csize });
    p += 46 + nl + xl + cl;
  }
  return out;
}
