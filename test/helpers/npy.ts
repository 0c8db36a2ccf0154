// Tiny .npy / .npz reader for tests (little-endian f8, f4, i1, i2, i4, i8, u1; C order). npz members
// may be stored or deflated (fflate).
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';

export interface NpyArray {
  dtype: string;
  shape: number[];
  data: Float64Array | Int32Array | Float32Array | Int8Array | Int16Array | Uint8Array | BigInt64Array;
}

export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw new Error('not a .npy file');
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const hstart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(hstart, hstart + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1];
  const fortran = /'fortran_order':\s*True/.test(header);
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)![1];
  const shape = shapeStr.split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const off = hstart + hlen;
  const count = shape.reduce((a, b) => a * b, 1);
  const raw = bytes.slice(off, off + count * Number(descr.slice(2))).buffer;
  const t = descr.replace(/^[<|=]/, '');
  let data: NpyArray['data'];
  switch (t) {
    case 'f8': data = new Float64Array(raw); break;
    case 'f4': data = new Float32Array(raw); break;
    case 'i1': data = new Int8Array(raw); break;
    case 'i2': data = new Int16Array(raw); break;
    case 'i4': data = new Int32Array(raw); break;
    case 'i8': data = new BigInt64Array(raw); break;
    case 'u1': case 'b1': data = new Uint8Array(raw); break;
    default: throw new Error(`dtype ${descr} not supported`);
  }
  if (fortran && shape.length > 1) data = fortranToC(data, shape);
  return { dtype: t, shape, data };
}

/** Reorder column-major (Fortran) data to row-major (C). */
function fortranToC<T extends NpyArray['data']>(src: T, shape: number[]): T {
  const out = new (src.constructor as any)(src.length) as T;
  const nd = shape.length;
  const idx = new Array(nd).fill(0);
  // walk C order; Fortran offset = sum idx[k] * prod(shape[0..k-1])
  const fstride = shape.map((_, k) => shape.slice(0, k).reduce((a, b) => a * b, 1));
  for (let c = 0; c < src.length; c++) {
    let f = 0;
    for (let k = 0; k < nd; k++) f += idx[k] * fstride[k];
    (out as any)[c] = (src as any)[f];
    for (let k = nd - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

export function readNpy(path: string | URL): NpyArray {
  return parseNpy(new Uint8Array(readFileSync(path)));
}

export function readNpz(path: string | URL): Record<string, NpyArray> {
  const files = unzipSync(new Uint8Array(readFileSync(path)));
  const out: Record<string, NpyArray> = {};
  for (const [k, v] of Object.entries(files)) {
    if (!k.endsWith('.npy')) continue;
    try {
      out[k.slice(0, -4)] = parseNpy(v);
    } catch {
      // members of other dtypes (strings, objects) are left out
    }
  }
  return out;
}

/** Numeric view as plain numbers (int64 -> number). */
export function toNumbers(a: NpyArray): Float64Array {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number((a.data as any)[i]);
  return out;
}
