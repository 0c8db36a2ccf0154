// Minimal .npz/.npy reader for the benchmarks (fflate + the npy header): f8, i8, i4, i1 arrays.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';

/** Column-major (Fortran) data of the given shape -> row-major (C) order. */
function toCOrder(src, shape) {
  const out = new Float64Array(src.length);
  const nd = shape.length;
  const idx = new Array(nd).fill(0);
  for (let c = 0; c < src.length; c++) {
    let f = 0, stride = 1;
    for (let a = 0; a < nd; a++) { f += idx[a] * stride; stride *= shape[a]; }
    out[c] = src[f];
    for (let a = nd - 1; a >= 0; a--) { if (++idx[a] < shape[a]) break; idx[a] = 0; }
  }
  return out;
}

export function parseNpy(bytes) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const hstart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(hstart, hstart + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const body = bytes.slice(hstart + hlen);
  const bdv = new DataView(body.buffer);
  let data = null;
  const fortran = /'fortran_order':\s*True/.test(header);
  if (descr === '<f8') data = fortran ? toCOrder(new Float64Array(body.buffer, 0, count), shape) : new Float64Array(body.buffer, 0, count);
  else if (descr === '<i8') data = Int32Array.from({ length: count }, (_, k) => Number(bdv.getBigInt64(8 * k, true)));
  else if (descr === '<i4') data = new Int32Array(body.buffer, 0, count);
  else if (descr === '|i1') data = Int32Array.from(new Int8Array(body.buffer, 0, count));
  return { descr, shape, data };
}

export function readNpz(path) {
  const files = unzipSync(new Uint8Array(readFileSync(path)));
  const out = {};
  for (const [k, v] of Object.entries(files)) out[k.replace(/\.npy$/, '')] = parseNpy(v);
  return out;
}
