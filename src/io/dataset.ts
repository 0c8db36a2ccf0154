// Adapters from numpy files to Systems.
//
// Isoconfigurational datasets (BOTAN small dataset, GlassBench KA 3D/2D; ../shared/data):
//   initial_positions (N, D) f8  reference configuration (wrapped in the BOTAN files, unwrapped
//                                in the GlassBench 2D files; kept as stored, kernels wrap a copy)
//   positions     (M, N, D) f8   unwrapped positions of M isoconfigurational runs at time t
//   types         (N,) int       species codes (optional; default one species)
//   box           () or (D,)     optional; when absent the caller must give it (BOTAN: cubic,
//                                L = (N/1.2)^(1/3), never a hidden default)
//   initial_positions_inherent (N, D) f8  optional inherent structure
//   other 0-d entries (strings, numbers) are kept as provenance `info`.
// Displacements runs - initial_positions are meaningful as stored (both unwrapped).
// Browser-safe.

import { ParseError } from '../errors.js';
import { createSystem, type System } from '../system/system.js';
import { resolveBox, type BoxSpec } from './common.js';
import type { NpyArray } from './npy.js';
import type { NpzFile } from './npz.js';

export interface IsoconfigDataset {
  file: string;
  /** Reference configuration (initial_positions as stored), species from `types`. */
  system: System;
  /**
   * M run position arrays (N*D each, unwrapped as stored); views into one buffer. Decoded on
   * first access (their shape is checked when the dataset is read; a non-finite value is a
   * ParseError then, at the first access).
   */
  readonly runs: Float64Array[];
  /** initial_positions_inherent (N*D) when the file has it. */
  inherent?: Float64Array;
  /** Whether the box came from the file or from the caller. */
  boxSource: 'file' | 'caller';
  /** 0-d entries of the archive (provenance: system_id, temperature, ...). */
  info: Record<string, string | number>;
}

export interface DatasetOptions {
  /** Box side length(s) when the file stores none (required then). */
  box?: BoxSpec;
  /** Explicit species label order. */
  speciesOrder?: readonly string[];
}

function floatArray(a: NpyArray, file: string, key: string): Float64Array {
  const d = a.data;
  if (Array.isArray(d)) throw new ParseError(file, { field: key }, `expected numbers, found strings (dtype ${a.dtype})`);
  const out = d instanceof Float64Array ? d : Float64Array.from(d as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      const idx: number[] = [];
      let r = i;
      for (let k = a.shape.length - 1; k >= 0; k--) {
        idx.unshift(r % a.shape[k]);
        r = Math.floor(r / a.shape[k]);
      }
      throw new ParseError(file, { field: key }, `non-finite value ${out[i]} at index [${idx.join(', ')}]`);
    }
  }
  return out;
}

/** The box stored in an npz (`box`: 0-d, (D,), or a diagonal (D, D) matrix), or null. */
export function npzBox(npz: NpzFile, dim: number): number[] | null {
  if (!npz.has('box')) return null;
  const a = npz.get('box');
  const v = floatArray(a, npz.file, 'box');
  if (a.shape.length === 0 || (a.shape.length === 1 && a.shape[0] === 1)) return new Array(dim).fill(v[0]);
  if (a.shape.length === 1 && a.shape[0] === dim) return Array.from(v);
  if (a.shape.length === 2 && a.shape[0] === dim && a.shape[1] === dim) {
    for (let r = 0; r < dim; r++) for (let c = 0; c < dim; c++) {
      if (r !== c && v[r * dim + c] !== 0) throw new ParseError(npz.file, { field: 'box' }, 'non-orthorhombic box matrix (off-diagonal entries); only orthorhombic boxes are supported');
    }
    return Array.from({ length: dim }, (_, r) => v[r * dim + r]);
  }
  throw new ParseError(npz.file, { field: 'box' }, `expected a scalar, ${dim} side lengths or a ${dim}x${dim} matrix, got shape (${a.shape.join(', ')})`);
}

/** Species labels of a `types` array (integers or strings), as strings. */
export function typeLabels(a: NpyArray, n: number, file: string, key = 'types'): string[] {
  if (a.shape.length !== 1 || a.shape[0] !== n) throw new ParseError(file, { field: key }, `expected shape (${n},), got (${a.shape.join(', ')})`);
  if (Array.isArray(a.data)) return a.data;
  if (a.dtype.includes('f')) {
    const d = a.data as Float32Array | Float64Array;
    for (let i = 0; i < d.length; i++) if (!Number.isInteger(d[i])) throw new ParseError(file, { field: key }, `types must be integers or strings; element ${i} = ${d[i]}`);
  }
  return Array.from(a.data as ArrayLike<number>, (x) => String(x));
}

function botanHint(n: number, dim: number): string {
  const L = Math.pow(n / 1.2, 1 / dim);
  return `; for the BOTAN / GlassBench KA files (number density 1.2) that is L = (N/1.2)^(1/${dim}) = ${L.toPrecision(10)} for N = ${n}`;
}

const DATASET_KEYS = ['initial_positions', 'positions', 'types', 'box', 'initial_positions_inherent'];

/** The 0-d (scalar) entries of an archive other than the dataset keys: provenance strings and numbers. */
export function npzScalars(npz: NpzFile): Record<string, string | number> {
  const info: Record<string, string | number> = {};
  for (const e of npz.entries) {
    if (DATASET_KEYS.includes(e.key) || e.size > 4096) continue; // only small entries can be scalars
    const a = npz.get(e.key);
    if (a.shape.length === 0) info[e.key] = (a.data as any)[0];
  }
  return info;
}

/**
 * The known archive layout an .npz follows (BOTAN / GlassBench isoconfigurational datasets), or
 * null: recognised by the file name (isoconfig_N4096T0.44_..., N1290T0.23_...) or by members only
 * those datasets have (initial_positions_inherent, system_id, temperature, npz_member_md5).
 */
export function knownLayout(npz: NpzFile): string | null {
  const base = npz.file.split(/[\\/]/).pop() ?? '';
  if (/^isoconfig_N\d+T[\d.]+/i.test(base) || /^N\d+T[\d.]+_\d+/.test(base)) return 'BOTAN / GlassBench';
  if (['initial_positions_inherent', 'system_id', 'temperature', 'npz_member_md5'].some((k) => npz.has(k))) return 'BOTAN / GlassBench';
  return null;
}

/**
 * For archives of a known layout, a missing required member is a ParseError naming it (instead
 * of a silent default: no `types` = one species, no `initial_positions` = runs read as frames).
 * Required: initial_positions, types, and the runs (`positions`) unless a stored propensity
 * column (`*_propensity`) replaces them.
 */
export function checkRequiredMembers(npz: NpzFile): void {
  const layout = knownLayout(npz);
  if (!layout) return;
  const missing = (key: string, why: string) => {
    throw new ParseError(npz.file, { field: key }, `missing member "${key}" required by the ${layout} layout (${why}); the archive has: ${npz.keys.join(', ')}`);
  };
  if (!npz.has('initial_positions')) missing('initial_positions', 'the reference configuration; without it the runs would be read as frames');
  if (!npz.has('types')) missing('types', 'the species of each particle; without it every particle would be one species');
  if (!npz.has('positions') && !npz.keys.some((k) => /_propensity$/.test(k))) missing('positions', 'the isoconfigurational runs, or a stored *_propensity column');
}

/** True when an archive looks like an isoconfigurational dataset (has initial_positions). */
export function isIsoconfigNpz(npz: NpzFile): boolean {
  return npz.has('initial_positions');
}

/** Read an isoconfigurational dataset from an opened .npz (see the module comment). */
export function readIsoconfigDataset(npz: NpzFile, opts: DatasetOptions = {}): IsoconfigDataset {
  const file = npz.file;
  if (!npz.has('initial_positions')) {
    throw new ParseError(file, { field: 'initial_positions' }, `missing key (an isoconfigurational dataset needs initial_positions; the archive has: ${npz.keys.join(', ')})`);
  }
  const ip = npz.get('initial_positions');
  if (ip.shape.length !== 2 || (ip.shape[1] !== 2 && ip.shape[1] !== 3)) {
    throw new ParseError(file, { field: 'initial_positions' }, `expected shape (N, 2) or (N, 3), got (${ip.shape.join(', ')})`);
  }
  const [n, dim] = ip.shape as [number, 2 | 3];
  if (n < 1) throw new ParseError(file, { field: 'initial_positions' }, 'no particles');
  const ref = floatArray(ip, file, 'initial_positions');
  const fileBox = npzBox(npz, dim);
  const box = resolveBox(fileBox, opts.box, dim, file, { field: 'box' }, botanHint(n, dim));
  const types = npz.has('types') ? typeLabels(npz.get('types'), n, file) : undefined;

  // the runs' shape is checked now from the member's header; the values (M x N x D, 3.1 MB in a
  // KA 3D train file) are decoded on first access of `runs` (a command that needs only the
  // reference configuration, e.g. features, never inflates them)
  let decodeRuns: () => Float64Array[] = () => [];
  if (npz.has('positions')) {
    const p = npz.header('positions');
    let m: number;
    if (p.shape.length === 3 && p.shape[1] === n && p.shape[2] === dim) m = p.shape[0];
    else if (p.shape.length === 2 && p.shape[0] === n && p.shape[1] === dim) m = 1;
    else throw new ParseError(file, { field: 'positions' }, `expected shape (runs, ${n}, ${dim}) to match initial_positions, got (${p.shape.join(', ')})`);
    decodeRuns = () => {
      const all = floatArray(npz.get('positions'), file, 'positions');
      const runs: Float64Array[] = [];
      for (let r = 0; r < m; r++) runs.push(all.subarray(r * n * dim, (r + 1) * n * dim));
      return runs;
    };
  }
  let inherent: Float64Array | undefined;
  if (npz.has('initial_positions_inherent')) {
    const a = npz.get('initial_positions_inherent');
    if (a.shape.length !== 2 || a.shape[0] !== n || a.shape[1] !== dim) {
      throw new ParseError(file, { field: 'initial_positions_inherent' }, `expected shape (${n}, ${dim}), got (${a.shape.join(', ')})`);
    }
    inherent = floatArray(a, file, 'initial_positions_inherent');
  }
  const info = npzScalars(npz);
  // every other 1-D numeric array of length N is a per-particle column (e.g. abs_propensity)
  const columns: Record<string, Float64Array> = {};
  for (const key of npz.keys) {
    if (key === 'types') continue;
    const h = npz.header(key);
    if (h.shape.length === 1 && h.shape[0] === n && /^[<>|=]?[fiu]/.test(h.dtype)) columns[key] = floatArray(npz.get(key), file, key);
  }
  const system = createSystem({ dim, box, positions: ref, types, speciesOrder: opts.speciesOrder, source: file, columns });
  let runs: Float64Array[] | null = null;
  return {
    file,
    system,
    get runs(): Float64Array[] {
      return (runs ??= decodeRuns());
    },
    inherent,
    boxSource: fileBox ? 'file' : 'caller',
    info,
  };
}

/**
 * Systems from a bare positions array: shape (N, D) -> one System, (F, N, D) -> F frames.
 * The box comes from the caller (a .npy file stores none).
 */
export function systemsFromPositions(a: NpyArray, opts: DatasetOptions & { file: string; key?: string; types?: readonly string[] }): System[] {
  const field = opts.key ?? 'data';
  const s = a.shape;
  let frames: number, n: number, dim: number;
  if (s.length === 2) [frames, n, dim] = [1, s[0], s[1]];
  else if (s.length === 3) [frames, n, dim] = s as [number, number, number];
  else throw new ParseError(opts.file, { field }, `expected positions of shape (N, D) or (frames, N, D), got (${s.join(', ')})`);
  if (dim !== 2 && dim !== 3) throw new ParseError(opts.file, { field }, `last axis must be 2 or 3 (dimension), got ${dim}`);
  if (n < 1) throw new ParseError(opts.file, { field }, 'no particles');
  const pos = floatArray(a, opts.file, field);
  const box = resolveBox(null, opts.box, dim, opts.file, { field: 'box' }, botanHint(n, dim));
  const out: System[] = [];
  for (let f = 0; f < frames; f++) {
    out.push(
      createSystem({
        dim: dim as 2 | 3,
        box,
        positions: pos.subarray(f * n * dim, (f + 1) * n * dim),
        types: opts.types,
        speciesOrder: opts.speciesOrder,
        source: frames > 1 ? `${opts.file}[${f}]` : opts.file,
      }),
    );
  }
  return out;
}
