// MINIMAL STUB ON BRANCH `enet` ONLY — the real .npy reader/writer comes from the io helper's
// branch (same exported name and signature); at merge take that file and delete this one.
//
// NumPy .npy format v1/v2/v3: magic "\x93NUMPY", version, header length (u16 for v1, u32
// after), an ASCII dict {'descr': '<f8', 'fortran_order': False, 'shape': (n, p), } padded,
// then the raw C-order little-endian data. Supported here: <f8, <f4, <i4, <i8 (as BigInt64Array).

import { ParseError } from '../errors.js';

export interface NpyArray {
  dtype: string;
  shape: number[];
  data: Float64Array | Float32Array | Int32Array | BigInt64Array;
}

export function readNpy(bytes: Uint8Array, file = '<npy>'): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) {
    throw new ParseError(file, { field: 'magic' }, 'not a .npy file (expected the \\x93NUMPY magic string)');
  }
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let hlen: number;
  let off: number;
  if (major === 1) {
    hlen = dv.getUint16(8, true);
    off = 10;
  } else if (major === 2 || major === 3) {
    hlen = dv.getUint32(8, true);
    off = 12;
  } else {
    throw new ParseError(file, { field: 'version' }, `unsupported .npy version ${major}.${bytes[7]} (expected 1, 2 or 3)`);
  }
  const header = new TextDecoder('latin1').decode(bytes.subarray(off, off + hlen));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeStr = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeStr === undefined) throw new ParseError(file, { field: 'header' }, `malformed .npy header: ${header.trim()}`);
  if (fortran === 'True') throw new ParseError(file, { field: 'fortran_order' }, 'Fortran-order arrays are not supported (save a C-order array)');
  const shape = shapeStr.split(',').map((t) => t.trim()).filter((t) => t.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new ParseError(file, { field: 'shape' }, `bad shape (${shapeStr})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = off + hlen;
  const sizes: Record<string, number> = { '<f8': 8, '<f4': 4, '<i4': 4, '<i8': 8 };
  const size = sizes[descr];
  if (!size) throw new ParseError(file, { field: 'descr' }, `dtype ${descr} not supported (expected <f8, <f4, <i4 or <i8)`);
  if (bytes.length - start < count * size) {
    throw new ParseError(file, { field: 'data' }, `truncated: ${bytes.length - start} data bytes for shape (${shape.join(', ')}) of ${descr} (${count * size} expected)`);
  }
  // copy to an aligned buffer
  const raw = bytes.slice(start, start + count * size).buffer;
  const data =
    descr === '<f8' ? new Float64Array(raw) : descr === '<f4' ? new Float32Array(raw) : descr === '<i4' ? new Int32Array(raw) : new BigInt64Array(raw);
  return { dtype: descr, shape, data };
}
