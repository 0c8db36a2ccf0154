// Helpers for the descriptor tests: golden files (../shared/golden and test/fixtures), a tiny
// .npz/.npy reader (fflate + the npy header) for the data files, and comparison by name.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { createSystem, type FeatureOptions, type System } from '../../src/index.js';

export const SHARED = new URL('../../../shared/', import.meta.url);
export const sharedPath = (rel: string) => fileURLToPath(new URL(rel, SHARED));
export const hasShared = (rel: string) => existsSync(sharedPath(rel));
export const fixturePath = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export interface NpyArray {
  dtype: string;
  shape: number[];
  data: Float64Array | Int32Array | string;
}

/** Column-major (Fortran) data of the given shape -> row-major (C) order. */
function toCOrder(src: Float64Array, shape: number[]): Float64Array {
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

/** Parse one .npy (v1/v2; little-endian f8, i8, i4, i1, u1; unicode scalars as strings). */
export function parseNpy(bytes: Uint8Array): NpyArray {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const hstart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(hstart, hstart + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)![1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const off = hstart + hlen;
  const count = shape.reduce((a, b) => a * b, 1);
  const body = bytes.slice(off);
  const bdv = new DataView(body.buffer);
  const fortran = /'fortran_order':\s*True/.test(header);
  if (descr === '<f8') return { dtype: descr, shape, data: fortran ? toCOrder(new Float64Array(body.buffer, 0, count), shape) : new Float64Array(body.buffer, 0, count) };
  if (descr === '<i8') return { dtype: descr, shape, data: Int32Array.from({ length: count }, (_, k) => Number(bdv.getBigInt64(8 * k, true))) };
  if (descr === '<i4') return { dtype: descr, shape, data: new Int32Array(body.buffer, 0, count) };
  if (descr === '|i1') return { dtype: descr, shape, data: Int32Array.from(new Int8Array(body.buffer, 0, count)) };
  if (descr === '|u1') return { dtype: descr, shape, data: Int32Array.from(new Uint8Array(body.buffer, 0, count)) };
  const u = /^<U(\d+)$/.exec(descr);
  if (u) {
    let s = '';
    for (let k = 0; k < Number(u[1]) * count; k++) {
      const c = bdv.getUint32(4 * k, true);
      if (c) s += String.fromCodePoint(c);
    }
    return { dtype: descr, shape, data: s };
  }
  throw new Error(`npy dtype ${descr} not supported`);
}

export function readNpz(path: string): Record<string, NpyArray> {
  const files = unzipSync(new Uint8Array(readFileSync(path)));
  const out: Record<string, NpyArray> = {};
  for (const [k, v] of Object.entries(files)) out[k.replace(/\.npy$/, '')] = parseNpy(v);
  return out;
}

/** Options of computeFeatures from a golden file's `params`. */
export function goldenOptions(params: any): FeatureOptions {
  const o: FeatureOptions = {
    r0: params.r0,
    dr: params.dr,
    K: params.K,
    delta: params.delta,
    ls: params.ls,
    cgLength: params.r_c,
    levels: params.levels,
    scales: params.scales,
  };
  if (params.potential) o.potential = params.potential;
  if (params.diameters) o.diameters = params.diameters;
  if (params.species_order) o.speciesOrder = params.species_order;
  return o;
}

/** The System of a small golden (positions of all particles). */
export function goldenSystem(g: any, positions = g.positions): System {
  return createSystem({ dim: g.dim, box: g.box, positions: positions.flat(), types: g.species.map(String) });
}

export interface Mismatch {
  row: number;
  name: string;
  got: number;
  want: number;
  err: number;
}

/**
 * Compare rows by name: |got - want| <= rtol * max(|want|, floor) (+ abs for evar).
 * Returns the worst mismatches (empty when all agree) and the largest scaled error.
 */
export function compareByName(
  names: string[], values: Float64Array, p: number, rowsGot: number[],
  wantNames: string[], wantValues: number[][],
  { rtol = 1e-9, atol = 1e-12, evarAtol = 1e-12 } = {},
): { bad: Mismatch[]; worst: number } {
  const col = new Map(names.map((n, k) => [n, k] as const));
  const bad: Mismatch[] = [];
  let worst = 0;
  for (let r = 0; r < wantValues.length; r++) {
    for (let c = 0; c < wantNames.length; c++) {
      const k = col.get(wantNames[c]);
      if (k === undefined) {
        bad.push({ row: r, name: wantNames[c], got: NaN, want: wantValues[r][c], err: Infinity });
        continue;
      }
      const got = values[rowsGot[r] * p + k];
      const want = wantValues[r][c];
      const tol = Math.max(rtol * Math.abs(want), wantNames[c].startsWith("evar") ? evarAtol : atol);
      const err = Math.abs(got - want);
      worst = Math.max(worst, err / Math.max(Math.abs(want), 1e-300));
      if (!(err <= tol)) bad.push({ row: r, name: wantNames[c], got, want, err });
    }
  }
  return { bad: bad.slice(0, 20), worst };
}
