// PLACEHOLDER (branch `fire`): a minimal reader so that `glassbox minimize` works on this branch.
// The real readers live on the io branch (src/io/, one file per format); the lead keeps those and
// drops this file when merging. Supported here:
//   .npz   initial_positions (n, dim) float64 [or positions (n, dim)], types (n,) ints, box () or
//          (dim,) float64 (else options.box)
//   .xyz   extended XYZ (one or more frames): Lattice="...", Properties=species:S:1:pos:R:3 (or
//          :pos:R:2 with dim=2)

import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { ParseError, InputError } from '../errors.js';
import { createSystem, type System } from '../system.js';

export interface ReadOptions {
  /** Box side(s) when the file has none (a number = cubic/square box). */
  box?: number | number[];
}

function parseNpy(file: string, name: string, b: Uint8Array): { shape: number[]; data: ArrayLike<number> } {
  if (b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== 'NUMPY') throw new ParseError(file, { field: name }, 'not a .npy member');
  const v1 = b[6] === 1;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const hlen = v1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const hs = v1 ? 10 : 12;
  const header = new TextDecoder().decode(b.subarray(hs, hs + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const fortran = /'fortran_order':\s*True/.test(header);
  if (fortran && shape.length > 2) throw new ParseError(file, { field: name }, 'Fortran-ordered arrays of more than 2 dimensions are not supported by this reader');
  const raw = b.slice(hs + hlen).buffer;
  const t = (descr ?? '').replace(/^[<|=]/, '');
  const make: Record<string, () => ArrayLike<number>> = {
    f8: () => new Float64Array(raw), f4: () => new Float32Array(raw), i1: () => new Int8Array(raw), i2: () => new Int16Array(raw),
    i4: () => new Int32Array(raw), u1: () => new Uint8Array(raw), i8: () => Array.from(new BigInt64Array(raw), Number),
  };
  if (!make[t]) throw new ParseError(file, { field: name }, `dtype ${descr} not supported (expected float64/float32/integers)`);
  let data = make[t]();
  if (fortran && shape.length === 2) {
    // column-major (n, d) -> row-major
    const [n, d] = shape;
    const c = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) c[i * d + a] = data[a * n + i];
    data = c;
  }
  return { shape, data };
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function boxFrom(file: string, dim: 2 | 3, box: number | number[] | undefined, fromFile?: ArrayLike<number>): number[] {
  if (fromFile && fromFile.length) return fromFile.length === 1 ? Array(dim).fill(fromFile[0]) : Array.from(fromFile);
  if (box === undefined) throw new InputError(`${file}: the file has no box: give it (--box L)`);
  return typeof box === 'number' ? Array(dim).fill(box) : box;
}

function readNpz(file: string, opts: ReadOptions): System[] {
  const members = unzipSync(new Uint8Array(readBytes(file)));
  const get = (k: string) => (members[`${k}.npy`] ? parseNpy(file, k, members[`${k}.npy`]) : undefined);
  const pos = get('initial_positions') ?? get('positions');
  if (!pos || pos.shape.length !== 2) throw new ParseError(file, { field: 'initial_positions' }, 'expected an (n, dim) array initial_positions (or positions)');
  const dim = pos.shape[1];
  if (dim !== 2 && dim !== 3) throw new ParseError(file, { field: 'initial_positions' }, `expected 2 or 3 columns, got ${dim}`);
  const types = get('types');
  const box = boxFrom(file, dim, opts.box, get('box')?.data);
  return [createSystem({ dim, box, positions: pos.data, types: types?.data, source: file })];
}

function readXyz(file: string, opts: ReadOptions): System[] {
  const lines = readBytes(file).toString('utf8').split(/\r?\n/);
  const out: System[] = [];
  let i = 0;
  while (i < lines.length) {
    if (lines[i].trim() === '') { i++; continue; }
    const n = Number(lines[i].trim());
    if (!Number.isInteger(n) || n < 1) throw new ParseError(file, { line: i + 1 }, `expected the number of particles, got "${lines[i]}"`);
    const comment = lines[i + 1] ?? '';
    const lat = /Lattice="([^"]*)"/.exec(comment)?.[1].trim().split(/\s+/).map(Number);
    const props = /Properties=(\S+)/.exec(comment)?.[1] ?? 'species:S:1:pos:R:3';
    const p = props.split(':');
    let col = 0, posCol = -1, spCol = -1, dim: 2 | 3 = 3;
    for (let k = 0; k + 2 < p.length; k += 3) {
      const w = Number(p[k + 2]);
      if (p[k] === 'pos') { posCol = col; dim = w as 2 | 3; }
      if (p[k] === 'species' || p[k] === 'type') spCol = col;
      col += w;
    }
    if (posCol < 0 || (dim !== 2 && dim !== 3)) throw new ParseError(file, { line: i + 2, field: 'Properties' }, 'expected pos:R:3 or pos:R:2');
    let box: number[] | undefined;
    if (lat) box = lat.length === 9 ? [lat[0], lat[4], lat[8]].slice(0, dim) : lat.length === 4 ? [lat[0], lat[3]] : undefined;
    const positions = new Float64Array(n * dim);
    const types: string[] = [];
    for (let k = 0; k < n; k++) {
      const ln = i + 2 + k;
      const t = (lines[ln] ?? '').trim().split(/\s+/);
      if (t.length < col) throw new ParseError(file, { line: ln + 1 }, `expected ${col} columns, got ${t.length}`);
      for (let a = 0; a < dim; a++) {
        const x = Number(t[posCol + a]);
        if (!Number.isFinite(x)) throw new ParseError(file, { line: ln + 1, field: 'pos' }, `not a number: "${t[posCol + a]}"`);
        positions[k * dim + a] = x;
      }
      types.push(spCol >= 0 ? t[spCol] : 'A');
    }
    out.push(createSystem({ dim, box: boxFrom(file, dim, opts.box, box), positions, types, source: `${file}#${out.length}` }));
    i += 2 + n;
  }
  if (!out.length) throw new ParseError(file, { line: 1 }, 'no frames');
  return out;
}

/** Read every configuration in a file (npz or extended XYZ). */
export function readSystems(file: string, opts: ReadOptions = {}): System[] {
  if (file.endsWith('.npz')) return readNpz(file, opts);
  if (file.endsWith('.xyz') || file.endsWith('.extxyz')) return readXyz(file, opts);
  throw new InputError(`${file}: unknown format (this placeholder reads .npz and .xyz)`);
}
