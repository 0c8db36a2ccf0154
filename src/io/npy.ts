// NumPy .npy reader and writer (format versions 1.0, 2.0, 3.0; numpy/lib/format.py).
//
// Layout: "\x93NUMPY", major, minor, header length (u16 LE for v1, u32 LE for v2/v3), then a
// Python dict literal {'descr': <dtype>, 'fortran_order': <bool>, 'shape': <tuple>} padded
// with spaces and '\n' so the data starts at a multiple of 64 (16 in old files), then the raw
// elements. Supported dtypes: f4 f8, i1 i2 i4 i8, u1 u2 u4 u8, b1 (bool), U<n> (UTF-32
// strings), S<n> (byte strings); either byte order; C or Fortran order; 0-d arrays.
//
// Decoded arrays are always returned in C (row-major) order, whatever the file's order:
//   f8 -> Float64Array, f4 -> Float32Array, i1/i2/i4 -> Int8/16/32Array, u1/u2/u4 ->
//   Uint8/16/32Array, b1 -> Uint8Array of 0/1, i8/u8 -> Float64Array (values must be exact
//   doubles, |x| <= 2^53), U/S -> string[] (trailing NULs stripped).
// Pure functions over bytes: no Node built-ins (works in browsers).

import { ParseError } from '../errors.js';

export type NpyData =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | string[];

export interface NpyArray {
  /** Normalised numpy descr, e.g. '<f8', '|i1', '|b1', '<U4', '>i4'. */
  dtype: string;
  shape: number[];
  /** Elements in C order (see the module comment for the array type of each dtype). */
  data: NpyData;
}

/** Where an array came from, for error messages: the file and (in an .npz) the key. */
export interface NpyWhere {
  file?: string;
  key?: string;
}

interface DtypeInfo {
  kind: 'f' | 'i' | 'u' | 'b' | 'U' | 'S';
  size: number; // bytes per element
  little: boolean;
  descr: string; // normalised
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function fail(where: NpyWhere, part: string, msg: string): never {
  const field = where.key !== undefined ? (part ? `${where.key}: ${part}` : where.key) : part || undefined;
  throw new ParseError(where.file ?? '<npy>', { field }, msg);
}

/** Parse a numpy descr string ('<f8', 'float64' is not a descr) into its kind, size and byte order. */
export function parseDtype(descr: string, where: NpyWhere = {}): DtypeInfo {
  const m = /^([<>|=]?)([fiubUS])(\d+)$/.exec(descr);
  if (!m) fail(where, 'descr', `unsupported dtype ${JSON.stringify(descr)} (expected one of f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1 U<n> S<n>, e.g. '<f8')`);
  const order = m[1];
  const kind = m[2] as DtypeInfo['kind'];
  const count = Number(m[3]);
  let size: number;
  switch (kind) {
    case 'f':
      if (count !== 4 && count !== 8) fail(where, 'descr', `unsupported float dtype ${JSON.stringify(descr)} (f4 and f8 only)`);
      size = count;
      break;
    case 'i':
    case 'u':
      if (![1, 2, 4, 8].includes(count)) fail(where, 'descr', `unsupported integer dtype ${JSON.stringify(descr)}`);
      size = count;
      break;
    case 'b':
      if (count !== 1) fail(where, 'descr', `unsupported bool dtype ${JSON.stringify(descr)}`);
      size = 1;
      break;
    case 'U':
      size = 4 * count;
      break;
    case 'S':
      size = count;
      break;
  }
  const little = order === '>' ? false : order === '<' ? true : order === '=' ? HOST_LITTLE : true;
  const single = size === 1 || kind === 'S' || kind === 'b';
  const prefix = single && kind !== 'U' ? '|' : little ? '<' : '>';
  return { kind, size, little, descr: `${prefix}${kind}${count}` };
}

// ---- a minimal Python literal parser (dicts, tuples, lists, strings, ints, bools, None) ----

type PyValue = string | number | boolean | null | PyValue[] | { [k: string]: PyValue };

function parsePyLiteral(src: string, where: NpyWhere): PyValue {
  let p = 0;
  const err = (msg: string): never => fail(where, 'header', `${msg} at character ${p} of the header ${JSON.stringify(src.slice(0, 200))}`);
  const ws = () => {
    while (p < src.length && /\s/.test(src[p])) p++;
  };
  const value = (): PyValue => {
    ws();
    const c = src[p];
    if (c === '{') {
      p++;
      const obj: { [k: string]: PyValue } = {};
      for (;;) {
        ws();
        if (src[p] === '}') { p++; return obj; }
        const k = value();
        if (typeof k !== 'string') err('dict key is not a string');
        ws();
        if (src[p] !== ':') err("expected ':'");
        p++;
        obj[k as string] = value();
        ws();
        if (src[p] === ',') p++;
        else if (src[p] !== '}') err("expected ',' or '}'");
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      p++;
      const arr: PyValue[] = [];
      for (;;) {
        ws();
        if (src[p] === close) { p++; return arr; }
        arr.push(value());
        ws();
        if (src[p] === ',') p++;
        else if (src[p] !== close) err(`expected ',' or '${close}'`);
      }
    }
    if (c === "'" || c === '"') {
      p++;
      let s = '';
      while (p < src.length && src[p] !== c) {
        if (src[p] === '\\') p++;
        s += src[p++];
      }
      if (p >= src.length) err('unterminated string');
      p++;
      return s;
    }
    const m = /^(True|False|None|[+-]?\d+L?)/.exec(src.slice(p));
    if (!m) return err('unexpected token');
    p += m[1].length;
    if (m[1] === 'True') return true;
    if (m[1] === 'False') return false;
    if (m[1] === 'None') return null;
    return Number(m[1].replace('L', ''));
  };
  const v = value();
  ws();
  if (p !== src.length) err('trailing characters');
  return v;
}

export interface NpyHeader {
  dtype: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the data. */
  dataOffset: number;
}

/** Longest header accepted (numpy writes a few hundred bytes; its reader's default limit is 10000). */
const MAX_HEADER = 1 << 20;

/**
 * The total size (header + data) an .npy needs, from its first bytes: null when `bytes` does not
 * yet hold the whole header (unless `complete`, then the header's ParseError), a ParseError for a
 * malformed header. Used to check archive members before inflating them.
 */
export function npyDataBytes(bytes: Uint8Array, where: NpyWhere = {}, complete = false): number | null {
  if (!complete) {
    if (bytes.length < 12) return null;
    const major = bytes[6];
    const start = major === 1 ? 10 : 12;
    const hlen = major === 1 ? bytes[8] | (bytes[9] << 8) : (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 16777216;
    if (MAGIC.every((b, i) => bytes[i] === b) && (major === 1 || major === 2 || major === 3) && hlen <= MAX_HEADER && start + hlen > bytes.length) return null;
  }
  const h = readNpyHeader(bytes, where);
  const dt = parseDtype(h.dtype, where);
  const need = h.dataOffset + product(h.shape) * dt.size;
  if (!Number.isSafeInteger(need)) fail(where, 'shape', `shape (${h.shape.join(', ')}) is too large`);
  return need;
}

/** Read and validate the header of an .npy file. */
export function readNpyHeader(bytes: Uint8Array, where: NpyWhere = {}): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    fail(where, 'magic', `not an .npy file (missing the \\x93NUMPY magic; ${bytes.length} bytes)`);
  }
  const major = bytes[6];
  let hlen: number;
  let start: number;
  if (major === 1) {
    hlen = bytes[8] | (bytes[9] << 8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) fail(where, 'header', 'truncated header');
    hlen = (bytes[8] | (bytes[9] << 8) | (bytes[10] << 16)) + bytes[11] * 16777216;
    start = 12;
  } else {
    return fail(where, 'version', `unsupported .npy format version ${major}.${bytes[7]}`);
  }
  if (hlen > MAX_HEADER) fail(where, 'header', `header length ${hlen} is implausible (more than ${MAX_HEADER} bytes): not a valid .npy`);
  if (start + hlen > bytes.length) fail(where, 'header', `truncated header: needs ${hlen} bytes, file has ${bytes.length - start}`);
  let text = '';
  const hb = bytes.subarray(start, start + hlen);
  if (major === 3) text = new TextDecoder('utf-8').decode(hb);
  else for (let i = 0; i < hb.length; i++) text += String.fromCharCode(hb[i]);
  const d = parsePyLiteral(text.trim(), where);
  if (d === null || typeof d !== 'object' || Array.isArray(d)) fail(where, 'header', 'header is not a dict');
  const dict = d as { [k: string]: PyValue };
  const descr = dict['descr'];
  if (typeof descr !== 'string') {
    fail(where, 'descr', `unsupported dtype ${JSON.stringify(descr)} (structured or missing dtypes are not supported)`);
  }
  const dt = parseDtype(descr as string, where);
  const fo = dict['fortran_order'];
  if (typeof fo !== 'boolean') fail(where, 'fortran_order', `expected True or False, got ${JSON.stringify(fo)}`);
  const shape = dict['shape'];
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0)) {
    fail(where, 'shape', `expected a tuple of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return { dtype: dt.descr, fortranOrder: fo as boolean, shape: shape as number[], dataOffset: start + hlen };
}

function product(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Permutation taking C-order index -> Fortran-order index (perm[c] = f). */
function fortranPermutation(shape: readonly number[]): Int32Array | null {
  const nd = shape.length;
  const size = product(shape);
  if (nd < 2 || size <= 1) return null;
  const fstride = new Array<number>(nd);
  let s = 1;
  for (let k = 0; k < nd; k++) {
    fstride[k] = s;
    s *= shape[k];
  }
  const perm = new Int32Array(size);
  const idx = new Array<number>(nd).fill(0);
  let f = 0;
  for (let c = 0; c < size; c++) {
    perm[c] = f;
    // increment the C multi-index (last axis fastest), keeping f = sum idx*fstride
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]++;
      f += fstride[k];
      if (idx[k] < shape[k]) break;
      f -= idx[k] * fstride[k];
      idx[k] = 0;
    }
  }
  return perm;
}

function decodeNumeric(dt: DtypeInfo, raw: Uint8Array, count: number, where: NpyWhere): Exclude<NpyData, string[]> {
  const { kind, size, little } = dt;
  // Fast path: host byte order -> copy the bytes into a fresh (aligned) buffer and view them.
  if ((little === HOST_LITTLE || size === 1) && !(size === 8 && kind !== 'f')) {
    const buf = raw.slice(0, count * size).buffer;
    if (kind === 'f') return size === 8 ? new Float64Array(buf) : new Float32Array(buf);
    if (kind === 'b') {
      const u = new Uint8Array(buf);
      for (let i = 0; i < u.length; i++) u[i] = u[i] ? 1 : 0;
      return u;
    }
    if (kind === 'i') return size === 1 ? new Int8Array(buf) : size === 2 ? new Int16Array(buf) : new Int32Array(buf);
    return size === 1 ? new Uint8Array(buf) : size === 2 ? new Uint16Array(buf) : new Uint32Array(buf);
  }
  const dv = new DataView(raw.buffer, raw.byteOffset, count * size);
  if (kind === 'f') {
    const out = size === 8 ? new Float64Array(count) : new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = size === 8 ? dv.getFloat64(i * 8, little) : dv.getFloat32(i * 4, little);
    return out;
  }
  if (size === 8) {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const v = kind === 'i' ? dv.getBigInt64(i * 8, little) : dv.getBigUint64(i * 8, little);
      const x = Number(v);
      if (BigInt(x) !== v) fail(where, 'data', `element ${i} = ${v} of dtype ${dt.descr} is not exactly representable as a double`);
      out[i] = x;
    }
    return out;
  }
  let out: Int16Array | Int32Array | Uint16Array | Uint32Array;
  if (kind === 'i') out = size === 2 ? new Int16Array(count) : new Int32Array(count);
  else out = size === 2 ? new Uint16Array(count) : new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    out[i] =
      kind === 'i'
        ? size === 2 ? dv.getInt16(i * 2, little) : dv.getInt32(i * 4, little)
        : size === 2 ? dv.getUint16(i * 2, little) : dv.getUint32(i * 4, little);
  }
  return out;
}

function decodeStrings(dt: DtypeInfo, raw: Uint8Array, count: number, where: NpyWhere): string[] {
  const out: string[] = new Array(count);
  const dv = new DataView(raw.buffer, raw.byteOffset, count * dt.size);
  for (let i = 0; i < count; i++) {
    const codes: number[] = [];
    if (dt.kind === 'U') {
      const nch = dt.size / 4;
      for (let k = 0; k < nch; k++) {
        const c = dv.getUint32(i * dt.size + 4 * k, dt.little);
        if (c > 0x10ffff) fail(where, 'data', `element ${i}: invalid code point ${c} in a ${dt.descr} string`);
        codes.push(c);
      }
    } else {
      for (let k = 0; k < dt.size; k++) codes.push(raw[i * dt.size + k]);
    }
    let end = codes.length;
    while (end > 0 && codes[end - 1] === 0) end--;
    out[i] = String.fromCodePoint(...codes.slice(0, end));
  }
  return out;
}

/** Decode a whole .npy file (bytes). Errors name the file and (in an .npz) the key. */
export function readNpy(bytes: Uint8Array, where: NpyWhere = {}): NpyArray {
  const h = readNpyHeader(bytes, where);
  const dt = parseDtype(h.dtype, where);
  const count = product(h.shape);
  const need = count * dt.size;
  const have = bytes.length - h.dataOffset;
  if (have < need) fail(where, 'data', `truncated: shape (${h.shape.join(', ')}) of ${h.dtype} needs ${need} data bytes, found ${have}`);
  if (have > need) fail(where, 'data', `wrong size: shape (${h.shape.join(', ')}) of ${h.dtype} needs ${need} data bytes, found ${have} (extra bytes)`);
  const raw = bytes.subarray(h.dataOffset, h.dataOffset + need);
  let data: NpyData = dt.kind === 'U' || dt.kind === 'S' ? decodeStrings(dt, raw, count, where) : decodeNumeric(dt, raw, count, where);
  if (h.fortranOrder) {
    const perm = fortranPermutation(h.shape);
    if (perm) {
      const src = data;
      const dst: any = Array.isArray(src) ? new Array<string>(count) : new (src.constructor as any)(count);
      for (let c = 0; c < count; c++) dst[c] = (src as any)[perm[c]];
      data = dst;
    }
  }
  return { dtype: h.dtype, shape: h.shape, data };
}

// ---- writer ----

export interface NpyWriteOptions {
  /** Store the elements column-major (data is still given in C order). Default false. */
  fortranOrder?: boolean;
}

function shapeRepr(shape: readonly number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

/** Default dtype for a JS array when none is given. */
function defaultDtype(data: NpyData): string {
  if (Array.isArray(data)) {
    const w = Math.max(1, ...data.map((s) => [...s].length));
    return `<U${w}`;
  }
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Uint16Array) return '<u2';
  return '<u4';
}

/**
 * Encode an array as .npy (version 1.0, or 2.0 when the header needs it). `data` is in C
 * order; `dtype` defaults from the typed array (Float64Array -> '<f8', Int32Array -> '<i4',
 * string[] -> '<U<max length>'). Values are converted to the dtype (integers must fit).
 */
export function writeNpy(arr: { dtype?: string; shape: readonly number[]; data: NpyData | ArrayLike<number> }, opts: NpyWriteOptions = {}): Uint8Array {
  const data = arr.data as NpyData;
  const dt = parseDtype(arr.dtype ?? defaultDtype(data), { file: '<npy writer>' });
  const count = product(arr.shape);
  if (data.length !== count) {
    throw new ParseError('<npy writer>', { field: 'data' }, `shape (${arr.shape.join(', ')}) has ${count} elements but data has ${data.length}`);
  }
  const isStr = dt.kind === 'U' || dt.kind === 'S';
  if (isStr !== Array.isArray(data)) {
    throw new ParseError('<npy writer>', { field: 'dtype' }, `dtype ${dt.descr} does not match the data (${isStr ? 'strings expected' : 'numbers expected'})`);
  }
  const fortran = !!opts.fortranOrder && arr.shape.length >= 2;
  const head = npyHeader(dt.descr, arr.shape, fortran);
  const total = head.length;
  const out = new Uint8Array(total + count * dt.size);
  out.set(head, 0);
  // fast path: a C-order float64 array on a little-endian host is its bytes
  if (!fortran && dt.kind === 'f' && dt.size === 8 && dt.little && HOST_LITTLE && data instanceof Float64Array) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, count * 8), total);
    return out;
  }
  const perm = fortran ? fortranPermutation(arr.shape) : null;
  // element k of the file is data[c] where perm[c] = k
  const order = new Int32Array(count);
  for (let c = 0; c < count; c++) order[perm ? perm[c] : c] = c;
  const dv = new DataView(out.buffer, total);
  const { kind, size, little } = dt;
  for (let k = 0; k < count; k++) {
    const v = (data as any)[order[k]];
    const o = k * size;
    if (kind === 'U' || kind === 'S') {
      const cps = [...(v as string)].map((ch) => ch.codePointAt(0)!);
      const nch = kind === 'U' ? size / 4 : size;
      if (cps.length > nch) throw new ParseError('<npy writer>', { field: 'data' }, `string ${JSON.stringify(v)} is longer than dtype ${dt.descr} allows`);
      for (let q = 0; q < cps.length; q++) {
        if (kind === 'U') dv.setUint32(o + 4 * q, cps[q], little);
        else {
          if (cps[q] > 255) throw new ParseError('<npy writer>', { field: 'data' }, `string ${JSON.stringify(v)} is not latin-1 (dtype ${dt.descr})`);
          dv.setUint8(o + q, cps[q]);
        }
      }
      continue;
    }
    const x = Number(v);
    if (kind === 'f') {
      if (size === 8) dv.setFloat64(o, x, little);
      else dv.setFloat32(o, x, little);
      continue;
    }
    if (kind === 'b') {
      dv.setUint8(o, x ? 1 : 0);
      continue;
    }
    if (!Number.isInteger(x)) throw new ParseError('<npy writer>', { field: 'data' }, `element ${order[k]} = ${x} is not an integer (dtype ${dt.descr})`);
    const bits = size * 8;
    const lo = kind === 'i' ? -(2 ** (bits - 1)) : 0;
    const hi = kind === 'i' ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
    if (x < lo || x > hi) throw new ParseError('<npy writer>', { field: 'data' }, `element ${order[k]} = ${x} does not fit dtype ${dt.descr}`);
    if (size === 1) kind === 'i' ? dv.setInt8(o, x) : dv.setUint8(o, x);
    else if (size === 2) kind === 'i' ? dv.setInt16(o, x, little) : dv.setUint16(o, x, little);
    else if (size === 4) kind === 'i' ? dv.setInt32(o, x, little) : dv.setUint32(o, x, little);
    else kind === 'i' ? dv.setBigInt64(o, BigInt(x), little) : dv.setBigUint64(o, BigInt(x), little);
  }
  return out;
}

/** A 0-d or 1-element array's value as a number (for scalars like `box`). */
export function npyScalar(a: NpyArray): number | string {
  return (a.data as any)[0];
}

/**
 * The .npy encoding of a Float64Array as parts [header, data bytes] without copying the data
 * (for outputs of any size: the caller writes the parts one after the other). Same bytes as
 * writeNpy({ dtype: '<f8', shape, data }) on a little-endian host; falls back to writeNpy.
 */
export function npyParts(shape: readonly number[], data: Float64Array): Uint8Array[] {
  if (!HOST_LITTLE) return [writeNpy({ dtype: '<f8', shape, data })];
  const count = product(shape);
  if (data.length !== count) throw new ParseError('<npy writer>', { field: 'data' }, `shape (${shape.join(', ')}) has ${count} elements but data has ${data.length}`);
  return [npyHeader('<f8', shape), new Uint8Array(data.buffer, data.byteOffset, data.byteLength)];
}

/**
 * The .npy header (magic, version, header length, the dict padded with spaces to a multiple of
 * 64 bytes and ended by a newline): version 1.0 while the header length fits 16 bits, else 2.0.
 */
export function npyHeader(descr: string, shape: readonly number[], fortran = false): Uint8Array {
  const header0 = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeRepr(shape)}, }`;
  let version = 1;
  let pre = 10;
  let total = Math.ceil((pre + header0.length + 1) / 64) * 64;
  if (total - pre > 0xffff) {
    version = 2;
    pre = 12;
    total = Math.ceil((pre + header0.length + 1) / 64) * 64;
  }
  const hlen = total - pre;
  const header = header0 + ' '.repeat(hlen - header0.length - 1) + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = version;
  if (version === 1) {
    out[8] = hlen & 0xff;
    out[9] = hlen >> 8;
  } else new DataView(out.buffer).setUint32(8, hlen, true);
  for (let i = 0; i < header.length; i++) out[pre + i] = header.charCodeAt(i);
  return out;
}
