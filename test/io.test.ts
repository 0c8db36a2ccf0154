import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParseError, InputError, createSystem, readNpy, writeNpy, readNpz, writeNpz, writeXyz, parseSystems, readSystems, boxForDensity, type System } from '../src/index.js';
import { readIsoconfigDataset } from '../src/io/dataset.js';
import { readXyz, parseXyzComment } from '../src/io/xyz.js';
import { readLammpsDump, lammpsDumpFrames, readLammpsData } from '../src/io/lammps.js';
import { describeFile } from '../src/node/fs.js';
import { detectFormat } from '../src/io/index.js';
import { speciesCounts } from '../src/system/system.js';
import { type NpyArray } from '../src/io/npy.js';
import { run as infoRun } from '../src/cli/info.js';
import { mulberry32 as rng } from '../src/models/diagnostics.js';

const FIX = fileURLToPath(new URL('./fixtures/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
const HAVE_SHARED = existsSync(join(SHARED, 'data'));
if (!HAVE_SHARED) console.warn(`[io.test] ${SHARED} is absent: the shared-data tests are SKIPPED`);


function bytesOf(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Expect `fn` to throw a ParseError whose message names the file and (optionally) the line. */
function expectParseError(fn: () => unknown, file: string, line?: number, pattern?: RegExp): ParseError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, 'expected a ParseError').toBeInstanceOf(ParseError);
  const pe = err as ParseError;
  expect(pe.file).toBe(file);
  expect(pe.message).toContain(file);
  if (line !== undefined) {
    expect(pe.line).toBe(line);
    expect(pe.message).toContain(`${file}:${line}`);
  }
  if (pattern) expect(pe.message).toMatch(pattern);
  return pe;
}

// ---------------------------------------------------------------------------------------------
describe('npy', () => {
  const expected = JSON.parse(readFileSync(join(FIX, 'npy/expected.json'), 'utf8'));

  it('reads every numpy-written fixture (dtypes, byte orders, Fortran order, 0-d, v2 header)', () => {
    const names = readdirSync(join(FIX, 'npy')).filter((f) => f.endsWith('.npy'));
    expect(names.length).toBeGreaterThanOrEqual(17);
    for (const f of names) {
      const key = f.slice(0, -4);
      const e = expected[key];
      const a = readNpy(bytesOf(join(FIX, 'npy', f)), { file: f });
      expect(a.shape, f).toEqual(e.shape);
      const want = e.descr.replace(/^[<>|]/, '');
      expect(a.dtype.replace(/^[<>|]/, ''), f).toBe(want);
      const got = Array.isArray(a.data) ? a.data : Array.from(a.data as ArrayLike<number>);
      const exp = e.descr.includes('b1') ? e.data.map((x: boolean) => (x ? 1 : 0)) : e.data;
      if (e.descr.includes('f4')) got.forEach((x, i) => expect(x as number, f).toBeCloseTo(exp[i], 6));
      else expect(got, f).toEqual(exp);
    }
  });

  it('returns the natural typed arrays', () => {
    const get = (n: string) => readNpy(bytesOf(join(FIX, 'npy', n + '.npy')));
    expect(get('f8_c').data).toBeInstanceOf(Float64Array);
    expect(get('f4').data).toBeInstanceOf(Float32Array);
    expect(get('i1').data).toBeInstanceOf(Int8Array);
    expect(get('i2_be').data).toBeInstanceOf(Int16Array);
    expect(get('i4_f').data).toBeInstanceOf(Int32Array);
    expect(get('i8').data).toBeInstanceOf(Float64Array);
    expect(get('u1').data).toBeInstanceOf(Uint8Array);
    expect(get('U_scalar').data).toEqual(['KA2D']);
    expect(get('f8_scalar').shape).toEqual([]);
  });

  const dtypes = ['<f8', '>f8', '<f4', '>f4', '|i1', '<i2', '>i2', '<i4', '>i4', '<i8', '>i8', '|u1', '<u2', '>u4', '|b1', '<U3', '>U2', '|S4'];
  const arbArray = fc
    .record({
      dtype: fc.constantFrom(...dtypes),
      shape: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 4 }),
      fortran: fc.boolean(),
      seed: fc.integer(),
    })
    .map(({ dtype, shape, fortran, seed }) => {
      const r = rng(seed);
      const count = shape.reduce((a, b) => a * b, 1);
      const kind = dtype[1];
      const size = Number(dtype.slice(2));
      let data: any;
      if (kind === 'f') {
        data = size === 8 ? new Float64Array(count) : new Float32Array(count);
        for (let i = 0; i < count; i++) data[i] = (r() - 0.5) * 10 ** Math.floor(r() * 10 - 5);
      } else if (kind === 'U' || kind === 'S') {
        const alphabet = kind === 'U' ? ['a', 'Z', '7', ' ', '\u00e9', '\u4e2d', '\u{1F600}'] : ['a', 'Z', '7', ' ', '\u00e9'];
        data = Array.from({ length: count }, () => {
          let s = '';
          const len = Math.floor(r() * (size + 1));
          for (let k = 0; k < len; k++) s += alphabet[Math.floor(r() * alphabet.length)];
          return s;
        });
      } else if (kind === 'b') {
        data = Uint8Array.from({ length: count }, () => (r() < 0.5 ? 1 : 0));
      } else {
        const bits = Math.min(size * 8, 53);
        const lo = kind === 'i' ? -(2 ** (bits - 1)) : 0;
        const span = kind === 'i' ? 2 ** bits - 1 : 2 ** bits - 1;
        const vals = Array.from({ length: count }, () => lo + Math.floor(r() * span));
        data = size === 8 ? Float64Array.from(vals) : kind === 'i' ? (size === 1 ? Int8Array : size === 2 ? Int16Array : Int32Array).from(vals) : (size === 1 ? Uint8Array : size === 2 ? Uint16Array : Uint32Array).from(vals);
      }
      return { arr: { dtype, shape, data } as NpyArray, fortran };
    });

  it('round-trips random arrays (all dtypes, byte orders, C/Fortran order, 0-d, empty)', () => {
    fc.assert(
      fc.property(arbArray, ({ arr, fortran }) => {
        const bytes = writeNpy(arr, { fortranOrder: fortran });
        const back = readNpy(bytes);
        expect(back.shape).toEqual(arr.shape);
        expect(back.dtype).toBe(arr.dtype);
        expect(Array.from(back.data as any)).toEqual(Array.from(arr.data as any));
      }),
      { numRuns: 300 },
    );
  });

  it('writes headers that start the data on a 64-byte boundary', () => {
    const b = writeNpy({ dtype: '<f8', shape: [3, 2], data: new Float64Array(6) });
    const hlen = b[8] | (b[9] << 8);
    expect((10 + hlen) % 64).toBe(0);
    expect(b[10 + hlen - 1]).toBe(0x0a);
  });

  it('malformed .npy: truncated data, unknown dtype, bad magic, bad header -> ParseError naming file and field', () => {
    const good = writeNpy({ dtype: '<f8', shape: [4], data: new Float64Array([1, 2, 3, 4]) });
    let e = expectParseError(() => readNpy(good.subarray(0, good.length - 3), { file: 'x.npy' }), 'x.npy', undefined, /truncated/);
    expect(e.field).toBe('data');
    const bad = good.slice();
    const text = new TextDecoder().decode(bad.subarray(10, 70));
    const at = 10 + text.indexOf('<f8');
    bad.set(new TextEncoder().encode('<c8'), at);
    e = expectParseError(() => readNpy(bad, { file: 'x.npy' }), 'x.npy', undefined, /unsupported dtype/);
    expect(e.field).toBe('descr');
    expectParseError(() => readNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]), { file: 'x.npy' }), 'x.npy', undefined, /magic/);
    const structured = good.slice();
    structured.set(new TextEncoder().encode("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (4,), }".padEnd(good.indexOf(0x0a, 10) - 10)), 10);
    expectParseError(() => readNpy(structured, { file: 's.npy' }), 's.npy', undefined, /dtype/);
    expectParseError(() => readNpy(good.subarray(0, 30), { file: 'h.npy' }), 'h.npy', undefined, /truncated header/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('npz', () => {
  const expected = JSON.parse(readFileSync(join(FIX, 'npy/expected.json'), 'utf8'));

  it('reads numpy np.savez (stored) and np.savez_compressed (deflated) archives, lazily by key', () => {
    for (const nm of ['plain.npz', 'deflated.npz']) {
      const z = readNpz(bytesOf(join(FIX, 'npy', nm)), nm);
      expect(z.keys.sort()).toEqual(Object.keys(expected[nm]).sort());
      for (const k of z.keys) {
        const a = z.get(k);
        expect(a.shape).toEqual(expected[nm][k].shape);
        expect(Array.from(a.data as any)).toEqual(expected[nm][k].data.map((x: any) => (typeof x === 'number' ? x : x)));
      }
      expect(z.entries.every((e) => e.compression === (nm === 'plain.npz' ? 0 : 8))).toBe(true);
    }
  });

  it('round-trips random archives, stored and deflated', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/), fc.tuple(fc.array(fc.double({ noNaN: true }), { maxLength: 20 }), fc.boolean()), { minKeys: 1, maxKeys: 4 }),
        fc.boolean(),
        (dict, compress) => {
          const arrays: Record<string, NpyArray> = {};
          for (const [k, [vals, asInt]] of Object.entries(dict)) {
            arrays[k] = asInt
              ? { dtype: '<i4', shape: [vals.length], data: Int32Array.from(vals, (x) => Math.max(-1e9, Math.min(1e9, Math.trunc(x)))) }
              : { dtype: '<f8', shape: [vals.length], data: Float64Array.from(vals) };
          }
          const z = readNpz(writeNpz(arrays, { compress }), 'rt.npz');
          expect(z.keys.sort()).toEqual(Object.keys(arrays).sort());
          for (const k of z.keys) {
            expect(Array.from(z.get(k).data as any)).toEqual(Array.from(arrays[k].data as any));
            expect(z.entries.find((e) => e.key === k)!.compression).toBe(compress ? 8 : 0);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('malformed .npz: truncated archive, missing key -> ParseError naming file and key', () => {
    const b = writeNpz({ a: { dtype: '<f8', shape: [100], data: new Float64Array(100).fill(1.5) } });
    expectParseError(() => readNpz(b.subarray(0, b.length - 30), 't.npz'), 't.npz', undefined, /zip|truncated/);
    const z = readNpz(b, 'ok.npz');
    const e = expectParseError(() => z.get('nope'), 'ok.npz', undefined, /no such key/);
    expect(e.field).toBe('nope');
    // a member that is not an .npy: the error names the key
    const raw = zipSync({ 'pos.npy': new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) });
    const e2 = expectParseError(() => readNpz(raw, 'raw.npz').get('pos'), 'raw.npz', undefined, /magic/);
    expect(e2.field).toMatch(/^pos/);
  });

  it('isoconfigurational dataset adapter: box from the file, or from the caller, never a hidden default', () => {
    const plain = readNpz(bytesOf(join(FIX, 'npy/plain.npz')), 'plain.npz');
    const ds = readIsoconfigDataset(plain);
    expect(ds.boxSource).toBe('file');
    expect(Array.from(ds.system.box)).toEqual([4, 4]);
    expect(ds.runs.length).toBe(3);
    expect(ds.system.labels).toEqual(['1', '2', '3']);
    expect(ds.info.system_id).toBe('toy');
    expect(Array.from(ds.runs[2])).toEqual(expected['plain.npz'].positions.data.slice(20, 30));
    const defl = readNpz(bytesOf(join(FIX, 'npy/deflated.npz')), 'deflated.npz');
    const e = expectParseError(() => readIsoconfigDataset(defl), 'deflated.npz', undefined, /no box/);
    expect(e.field).toBe('box');
    expect(e.message).toMatch(/\(N\/1\.2\)\^\(1\/3\)/);
    const ds2 = readIsoconfigDataset(defl, { box: 7 });
    expect(ds2.boxSource).toBe('caller');
    expect(Array.from(ds2.system.box)).toEqual([7, 7, 7]);
    expect(() => readIsoconfigDataset(plain, { box: 5 })).toThrow(InputError);
  });

  it('NaN positions in an archive -> ParseError naming the key and index', () => {
    const pos = new Float64Array(6).fill(1);
    pos[4] = NaN;
    const b = writeNpz({ initial_positions: { dtype: '<f8', shape: [3, 2], data: pos } });
    const e = expectParseError(() => readIsoconfigDataset(readNpz(b, 'nan.npz'), { box: 3 }), 'nan.npz', undefined, /non-finite.*\[2, 0\]/);
    expect(e.field).toBe('initial_positions');
  });
});

// ---------------------------------------------------------------------------------------------
function randomSystem(seed: number, n: number, dim: 2 | 3, labels: string[], withCols: boolean): { sys: System; cols: Record<string, any> } {
  const r = rng(seed);
  const box = Array.from({ length: dim }, () => 2 + r() * 10);
  const pos = new Float64Array(n * dim);
  for (let i = 0; i < n * dim; i++) pos[i] = (r() * 3 - 1) * box[i % dim];
  const types = Array.from({ length: n }, () => labels[Math.floor(r() * labels.length)]);
  const sys = createSystem({ dim, box, positions: pos, types, speciesOrder: labels });
  const cols: Record<string, any> = {};
  if (withCols) {
    cols['R[A](d=0.7)'] = Float64Array.from({ length: n }, () => (r() - 0.5) * 1e3 ** (r() * 2 - 1));
    cols.count = Int32Array.from({ length: n }, () => Math.floor(r() * 100) - 50);
    cols.tag = Array.from({ length: n }, () => ['x', 'yy', 'z1'][Math.floor(r() * 3)]);
  }
  return { sys, cols };
}

describe('extended XYZ', () => {
  it('round-trips random multi-frame systems with extra columns (exact)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 30 }), fc.constantFrom<2 | 3>(2, 3), fc.integer({ min: 1, max: 3 }), (seed, n, dim, nf) => {
        const labels = dim === 3 ? ['A', 'B'] : ['1', '2', '3'];
        const frames = Array.from({ length: nf }, (_, k) => randomSystem(seed + k, n, dim, labels, k !== 1));
        const text = writeXyz(frames.map((f, k) => ({ system: f.sys, columns: f.cols, info: { frame: k, times: '0.1 0.5', ok: true } })));
        const back = readXyz(text, { file: 'rt.xyz', speciesOrder: labels });
        expect(back.length).toBe(nf);
        back.forEach((b, k) => {
          const s = frames[k].sys;
          expect(b.system.dim).toBe(dim);
          expect(Array.from(b.system.box)).toEqual(Array.from(s.box));
          expect(Array.from(b.system.positions)).toEqual(Array.from(s.positions));
          expect(Array.from(b.system.species)).toEqual(Array.from(s.species));
          expect(b.info.times).toBe('0.1 0.5');
          expect(b.info.frame).toBe(String(k));
          expect(b.info.ok).toBe('T');
          for (const [nm, c] of Object.entries(frames[k].cols)) {
            expect(Array.from(b.system.columns[nm] as any)).toEqual(Array.from(c as any));
            expect(b.system.columns[nm].constructor).toBe(c.constructor);
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it('writer: species names for ASE, unsafe column names rejected', () => {
    const sys = createSystem({ dim: 3, box: [2, 2, 2], positions: [0, 0, 0, 1, 1, 1], types: [0, 1] });
    const text = writeXyz(sys, { speciesNames: { '0': 'Ni', '1': 'P' } });
    expect(text.split('\n')[2].startsWith('Ni ')).toBe(true);
    expect(readXyz(text)[0].system.labels).toEqual(['Ni', 'P']);
    expect(() => writeXyz({ system: sys, columns: { 'a b': new Float64Array(2) } })).toThrow(InputError);
    expect(() => writeXyz({ system: sys, columns: { x: new Float64Array(3) } })).toThrow(/3 entries for 2/);
  });

  it('parses comment lines: quotes, escapes, braces, bare flags', () => {
    const kv = parseXyzComment('Lattice="1 0 0 0 2 0 0 0 3" Properties=species:S:1:pos:R:3 name="a \\"b\\"" arr={1 2 3} flag time = 5');
    expect(kv).toEqual({ Lattice: '1 0 0 0 2 0 0 0 3', Properties: 'species:S:1:pos:R:3', name: 'a "b"', arr: '1 2 3', flag: 'T', time: '5' });
  });

  it('reads the shared conf1.xyz style: L columns, I columns, vector columns, Origin', () => {
    const text = [
      '3',
      'Lattice="4 0 0 0 5 0 0 0 6" Origin="-2 0 1" Properties=species:S:1:pos:R:3:mol:I:1:fixed:L:1:vel:R:3 times="0.1 1" pbc="T T T"',
      'A 0 0 1 7 T 1 2 3',
      'B -2 4.5 6.5 8 F 4 5 6',
      'A 1.5 1e-3 2D0 -9 T 7 8 9',
    ].join('\n');
    const [f] = readXyz(text, { file: 'c.xyz' });
    expect(Array.from(f.system.positions)).toEqual([2, 0, 0, 0, 4.5, 5.5, 3.5, 0.001, 1]);
    expect(Array.from(f.system.columns.mol as Int32Array)).toEqual([7, 8, -9]);
    expect(Array.from(f.system.columns.fixed as Int32Array)).toEqual([1, 0, 1]);
    expect(Array.from(f.system.columns['vel[1]'] as Float64Array)).toEqual([2, 5, 8]);
    expect(f.info.times).toBe('0.1 1');
    expect(Array.from(f.system.box)).toEqual([4, 5, 6]);
  });

  it('2D: pbc="T T F" with z = 0 is a 2D system; plain XYZ takes the caller box', () => {
    const text = '2\nLattice="3 0 0 0 4 0 0 0 1" Properties=species:S:1:pos:R:3 pbc="T T F"\n1 0.5 0.5 0\n2 1 2 0\n';
    const [f] = readXyz(text);
    expect(f.system.dim).toBe(2);
    expect(Array.from(f.system.box)).toEqual([3, 4]);
    const plain = '2\nhello\nAr 0 0 0\nAr 1 1 1\n';
    const [p] = readXyz(plain, { box: 5 });
    expect(Array.from(p.system.box)).toEqual([5, 5, 5]);
    expectParseError(() => readXyz(plain, { file: 'p.xyz' }), 'p.xyz', 2, /no box/);
  });

  it('malformed XYZ: non-orthorhombic, truncated, wrong counts, non-numeric, NaN, bad count line -> ParseError with file:line', () => {
    const head = (lat = '3 0 0 0 3 0 0 0 3') => `Lattice="${lat}" Properties=species:S:1:pos:R:3:q:R:1`;
    expectParseError(() => readXyz(`1\n${head('3 0 0 1 3 0 0 0 3')}\nA 0 0 0 1\n`, { file: 'a.xyz' }), 'a.xyz', 2, /non-orthorhombic/);
    expectParseError(() => readXyz(`3\n${head()}\nA 0 0 0 1\nA 1 1 1 1\n`, { file: 'b.xyz' }), 'b.xyz', 5, /truncated/);
    expectParseError(() => readXyz(`2\n${head()}\nA 0 0 0 1\nA 1 1 1\n`, { file: 'c.xyz' }), 'c.xyz', 4, /expected 5 columns/);
    expectParseError(() => readXyz(`2\n${head()}\nA 0 0 0 1\nA 1 x 1 1\n`, { file: 'd.xyz' }), 'd.xyz', 4, /non-numeric/);
    expectParseError(() => readXyz(`2\n${head()}\nA 0 0 0 1\nA 1 nan 1 1\n`, { file: 'e.xyz' }), 'e.xyz', 4, /non-finite/);
    expectParseError(() => readXyz(`2\n${head()}\nA 0 0 0 1\nA 1 1 1 1\nfoo\n`, { file: 'f.xyz' }), 'f.xyz', 5, /number of particles/);
    expectParseError(() => readXyz(`1\nProperties=species:S:1:pos:Q:3\nA 0 0 0\n`, { file: 'g.xyz', box: 3 }), 'g.xyz', 2, /type/);
    expectParseError(() => readXyz('', { file: 'h.xyz' }), 'h.xyz', 1, /no frames/);
  });
});

// ---------------------------------------------------------------------------------------------
/** Write a LAMMPS dump of a system with shuffled rows, in the given coordinate style. */
function dumpText(frames: { sys: System; ts: number; style: 'x' | 'xu' | 'xs' | 'ximg'; lo: number[]; shuffle: number }[], extra = false): string {
  const out: string[] = [];
  for (const { sys, ts, style, lo, shuffle } of frames) {
    const n = sys.n;
    const d = sys.dim;
    const L = [...sys.box, ...(d === 2 ? [1] : [])];
    const r = rng(shuffle);
    const order = Array.from({ length: n }, (_, i) => i).sort(() => r() - 0.5);
    const ax = ['x', 'y', 'z'];
    const cols = style === 'x' ? ax : style === 'xu' ? ax.map((a) => a + 'u') : style === 'xs' ? ax.map((a) => a + 's') : [...ax, 'ix', 'iy', 'iz'];
    out.push('ITEM: TIMESTEP', String(ts), 'ITEM: NUMBER OF ATOMS', String(n), 'ITEM: BOX BOUNDS pp pp pp');
    for (let a = 0; a < 3; a++) out.push(`${lo[a]} ${lo[a] + L[a]}`);
    out.push(`ITEM: ATOMS id type ${cols.join(' ')}${extra ? ' c_pe element' : ''}`);
    for (const i of order) {
      const row: (string | number)[] = [i + 10, sys.labels[sys.species[i]]];
      const img: number[] = [];
      for (let a = 0; a < 3; a++) {
        const x = a < d ? sys.positions[i * d + a] : 0;
        const k = Math.floor(x / L[a]);
        if (style === 'xu') row.push(x + lo[a]);
        else if (style === 'xs') row.push((x - k * L[a]) / L[a]);
        else row.push(x - k * L[a] + lo[a]);
        img.push(k);
      }
      if (style === 'ximg') row.push(...img);
      if (extra) row.push(i * 0.5, 'Xx');
      out.push(row.join(' '));
    }
  }
  return out.join('\n') + '\n';
}

describe('LAMMPS dump', () => {
  it('reads x / xu / xs / x+image dumps with shuffled ids, multi-frame, 2D on request (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 25 }), fc.constantFrom<2 | 3>(2, 3), fc.constantFrom('x', 'xu', 'xs', 'ximg'), (seed, n, dim, style) => {
        const { sys } = randomSystem(seed, n, dim, ['1', '2'], false);
        const lo = [-1.5, 0, 2.25];
        const text = dumpText([
          { sys, ts: 100, style: style as any, lo, shuffle: seed },
          { sys, ts: 200, style: style as any, lo, shuffle: seed + 1 },
        ], true);
        const frames = readLammpsDump(text, { file: 'rt.dump', dim });
        expect(frames.map((f) => f.timestep)).toEqual([100, 200]);
        for (const f of frames) {
          expect(Array.from(f.ids)).toEqual(Array.from({ length: n }, (_, i) => i + 10));
          expect(f.system.dim).toBe(dim);
          expect(Array.from(f.system.species, (k) => f.system.labels[k])).toEqual(Array.from(sys.species, (k) => sys.labels[k]));
          expect(Array.from(f.system.columns.c_pe as Float64Array)).toEqual(Array.from({ length: n }, (_, i) => i * 0.5));
          expect(f.system.columns.element).toEqual(new Array(n).fill('Xx'));
          expect(f.unwrapped).toBe(style === 'xu' || style === 'ximg');
          for (let i = 0; i < n * dim; i++) {
            const L = sys.box[i % dim];
            const want = sys.positions[i];
            const got = f.system.positions[i];
            if (f.unwrapped) expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * (Math.abs(want) + L));
            else {
              const dw = got - want - L * Math.round((got - want) / L);
              expect(Math.abs(dw)).toBeLessThanOrEqual(1e-12 * (Math.abs(want) + L));
              expect(got).toBeGreaterThanOrEqual(-1e-12);
              expect(got).toBeLessThanOrEqual(L * (1 + 1e-12));
            }
          }
        }
      }),
      { numRuns: 80 },
    );
  });

  it('streams frame by frame (a generator)', () => {
    const { sys } = randomSystem(3, 5, 3, ['1'], false);
    const text = dumpText([0, 1, 2].map((k) => ({ sys, ts: k, style: 'xu' as const, lo: [0, 0, 0], shuffle: k })));
    const g = lammpsDumpFrames(text);
    expect(g.next().value!.timestep).toBe(0);
    expect(g.next().value!.timestep).toBe(1);
    expect(g.next().value!.timestep).toBe(2);
    expect(g.next().done).toBe(true);
  });

  it('malformed dumps: duplicate ids, truncated, wrong column count, non-numeric, NaN, triclinic -> ParseError with file:line', () => {
    const head = 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\nITEM: BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5\nITEM: ATOMS id type x y z\n';
    expectParseError(() => readLammpsDump(head + '1 1 0 0 0\n2 1 1 1 1\n1 1 2 2 2\n', { file: 'd.dump' }), 'd.dump', 12, /duplicate atom id 1 \(also on line 10\)/);
    expectParseError(() => readLammpsDump(head + '1 1 0 0 0\n2 1 1 1 1\n', { file: 't.dump' }), 't.dump', 12, /truncated/);
    expectParseError(() => readLammpsDump(head + '1 1 0 0 0\n2 1 1 1\n3 1 1 1 1\n', { file: 'c.dump' }), 'c.dump', 11, /expected 5 columns/);
    expectParseError(() => readLammpsDump(head + '1 1 0 0 0\n2 1 1 a 1\n3 1 1 1 1\n', { file: 'n.dump' }), 'n.dump', 11, /non-numeric y/);
    expectParseError(() => readLammpsDump(head + '1 1 0 0 0\n2 1 1 NaN 1\n3 1 1 1 1\n', { file: 'nan.dump' }), 'nan.dump', 11, /non-finite/);
    expectParseError(() => readLammpsDump(head.replace('NUMBER OF ATOMS\n3', 'NUMBER OF ATOMS\nthree'), { file: 'h.dump' }), 'h.dump', 4, /integer/);
    const tri = head.replace('BOX BOUNDS pp pp pp\n0 5\n0 5\n0 5', 'BOX BOUNDS xy xz yz pp pp pp\n0 5 0.5\n0 5 0\n0 5 0');
    expectParseError(() => readLammpsDump(tri + '1 1 0 0 0\n2 1 1 1 1\n3 1 1 1 1\n', { file: 'tri.dump' }), 'tri.dump', 6, /triclinic/);
    expectParseError(() => readLammpsDump(head.replace('id type x y z', 'id type vx vy vz') + '1 1 0 0 0\n2 1 1 1 1\n3 1 1 1 1\n', { file: 'nc.dump' }), 'nc.dump', 9, /no x coordinate/);
  });
});

describe('LAMMPS data file', () => {
  const data = (atoms: string[], extra = '') =>
    [
      'LAMMPS data file via write_data',
      '',
      `${atoms.length} atoms`,
      '2 atom types',
      '',
      '-1 4 xlo xhi',
      '0 5 ylo yhi',
      '0 6 zlo zhi',
      '',
      'Masses',
      '',
      '1 1.0',
      '2 2.5',
      '',
      'Atoms # atomic',
      '',
      ...atoms,
      extra,
    ].join('\n');

  it('reads atomic style with image flags (unwrapped) and velocities, sorted by id', () => {
    const text = data(['3 2 0.5 1 2 1 0 -1', '1 1 -0.5 4 5 0 0 0', '2 1 3.5 0.5 0.5 -2 1 0'], '\nVelocities\n\n2 0.2 0 0\n1 0.1 0 0\n3 0.3 0 0\n');
    const d = readLammpsData(text, { file: 'a.data' });
    expect(Array.from(d.ids)).toEqual([1, 2, 3]);
    expect(d.system.labels).toEqual(['1', '2']);
    expect(Array.from(d.system.species)).toEqual([0, 0, 1]);
    expect(Array.from(d.wrapped)).toEqual([0.5, 4, 5, 4.5, 0.5, 0.5, 1.5, 1, 2]);
    expect(Array.from(d.system.positions)).toEqual([0.5, 4, 5, 4.5 - 10, 0.5 + 5, 0.5, 1.5 + 5, 1, 2 - 6]);
    expect(Array.from(d.images!)).toEqual([0, 0, 0, -2, 1, 0, 1, 0, -1]);
    expect(Array.from(d.velocities!.filter((_, k) => k % 3 === 0))).toEqual([0.1, 0.2, 0.3]);
    expect(d.masses).toEqual({ '1': 1, '2': 2.5 });
    expect(Array.from(d.system.box)).toEqual([5, 5, 6]);
  });

  it('reads full style (mol, q) and 2D on request', () => {
    const text = data(['1 7 1 -0.5 0 0 0', '2 7 2 0.5 1 1 0']).replace('# atomic', '# full');
    const d = readLammpsData(text, { dim: 2 });
    expect(d.system.dim).toBe(2);
    expect(Array.from(d.system.columns.q as Float64Array)).toEqual([-0.5, 0.5]);
    expect(Array.from(d.system.columns.mol as Int32Array)).toEqual([7, 7]);
    expect(Array.from(d.system.positions)).toEqual([1, 0, 2, 1]);
  });

  it('malformed data files: wrong counts, duplicate ids, bad type, non-numeric -> ParseError with file:line', () => {
    expectParseError(() => readLammpsData(data(['1 1 0 0 0', '2 1 1 1 1']).replace('2 atoms', '3 atoms'), { file: 'c.data' }), 'c.data', 19, /declares 3 atoms/);
    expectParseError(() => readLammpsData(data(['1 1 0 0 0', '1 2 1 1 1']), { file: 'd.data' }), 'd.data', 18, /duplicate atom id 1/);
    expectParseError(() => readLammpsData(data(['1 1 0 0 0', '2 3 1 1 1']), { file: 't.data' }), 't.data', 18, /atom type 3 outside 1..2/);
    expectParseError(() => readLammpsData(data(['1 1 0 0 0', '2 1 1 q 1']), { file: 'n.data' }), 'n.data', 18, /non-numeric y/);
    expectParseError(() => readLammpsData(data(['1 1 0 0 0', '2 1 1 1 1']).replace('-1 4 xlo xhi', ''), { file: 'x.data' }), 'x.data', undefined, /xlo xhi/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('format dispatch', () => {
  it('detects formats by extension and LAMMPS prefixes', () => {
    expect(detectFormat('a/b.npz')).toBe('npz');
    expect(detectFormat('x.extxyz')).toBe('xyz');
    expect(detectFormat('run1.lammpstrj')).toBe('lammps-dump');
    expect(detectFormat('dump.melt')).toBe('lammps-dump');
    expect(detectFormat('data.lj')).toBe('lammps-data');
    expect(() => detectFormat('foo.txt')).toThrow(InputError);
  });

  it('parseSystems on bytes: .npy with a caller box (or density), without -> ParseError', () => {
    const b = writeNpy({ dtype: '<f8', shape: [4, 2], data: new Float64Array([0, 0, 1, 1, 2, 2, 3, 3]) });
    expect(Array.from(parseSystems(b, 'p.npy', { box: 4 }).frames[0].system.box)).toEqual([4, 4]);
    expect(parseSystems(b, 'p.npy', { density: 1 }).frames[0].system.box[0]).toBeCloseTo(2, 14);
    expectParseError(() => parseSystems(b, 'p.npy'), 'p.npy', undefined, /no box/);
  });
});

describe.skipIf(!HAVE_SHARED)('shared data (../shared/data)', () => {
  const DATA = join(SHARED, 'data');
  const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));

  it('every data file loads', () => {
    const files = walk(DATA).filter((f) => !f.endsWith('.md') && !f.endsWith('.json')); // glassbench_published_curves.json: reference curves, not a configuration
    expect(files.length).toBe(57);
    for (const f of files) {
      const opts = /\.np[yz]$/.test(f) && f.includes('ka3d-T0.44') ? { density: 1.2 } : {};
      const p = readSystems(f, opts);
      const s = p.frames[0].system;
      expect(s.n, f).toBeGreaterThan(1000);
      if (f.includes('ka3d')) {
        expect(s.n).toBe(4096);
        expect(s.box[0]).toBeCloseTo(boxForDensity(4096, 1.2), 7);
        if (!f.endsWith('.npy')) expect(Object.values(speciesCounts(s)).sort((a, b) => a - b)).toEqual([819, 3277]);
      }
      if (f.includes('ka2d')) {
        expect(s.dim).toBe(2);
        expect(p.runs!.length).toBe(20);
        expect(speciesCounts(s)).toEqual({ '1': 600, '2': 330, '3': 360 });
        expect(p.inherent!.length).toBe(2580);
      }
      if (f.includes('/train/')) expect(p.runs!.length).toBe(32);
      if (f.endsWith('.dump')) expect(p.frames[0].info.unwrapped).toBe('T');
    }
  });

  it('the BOTAN files store no box: reading without one is a ParseError that says so', () => {
    const f = join(DATA, 'ka3d-T0.44/train/isoconfig_N4096T0.44_1_tc07.npz');
    expectParseError(() => readSystems(f), f, undefined, /stores no box.*--box/);
  });

  it('`glassbox info` on a ka3d-T0.44 train file: 4096 particles, 3277 / 819, 32 runs', async () => {
    const f = join(DATA, 'ka3d-T0.44/train/isoconfig_N4096T0.44_3_tc07.npz');
    const logs: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void logs.push(a.join(' ')));
    try {
      expect(await infoRun([f, '--json'])).toBe(0);
      expect(await infoRun([f])).toBe(0);
      expect(await infoRun([f, '--preset', 'KA3D'])).toBe(0);
      await expect(infoRun([f, '--preset', 'KA2D'])).rejects.toThrow(/2 species \[0, 1\] but the KA2D preset has 3/);
    } finally {
      spy.mockRestore();
    }
    const [s] = JSON.parse(logs[0]);
    expect(s.particles).toBe(4096);
    expect(s.dim).toBe(3);
    expect(s.species).toEqual({ '0': 3277, '1': 819 });
    expect(s.runs).toBe(32);
    expect(s.box).toBeNull();
    expect(logs[1]).toMatch(/particles\s+4096/);
    expect(logs[1]).toMatch(/0: 3277, 1: 819/);
    expect(logs[1]).toMatch(/runs\s+32/);
    expect(logs[2]).toMatch(/species\s+A: 3277, B: 819/);
  });

  it('info on the xyz, dump and data files', () => {
    const x = describeFile(join(DATA, 'ka3d-T0.56/conf2.xyz'));
    expect(x.columns).toContain('dr_8');
    expect(x.info.times).toBe('0.1 0.5 1 2.5 5 10 20 30');
    const d = describeFile(join(DATA, 'ka3d-T0.56/lammps-runs-c1/run7_t30.dump'));
    expect(d.timesteps).toEqual([6000]);
    expect(d.species).toEqual({ '1': 3277, '2': 819 });
  });

  it('LAMMPS start.data unwrapped with its image flags equals conf1.xyz positions (to the 6 decimals written)', () => {
    const d = readSystems(join(DATA, 'ka3d-T0.56/lammps-runs-c1/start.data')).frames[0].system;
    const x = readSystems(join(DATA, 'ka3d-T0.56/conf1.xyz')).frames[0].system;
    const L = d.box[0];
    let worst = 0;
    for (let i = 0; i < d.n * 3; i++) {
      const w = d.positions[i] - L * Math.floor(d.positions[i] / L);
      let e = Math.abs(w - x.positions[i]);
      e = Math.min(e, Math.abs(e - L));
      worst = Math.max(worst, e);
    }
    expect(worst).toBeLessThan(6e-7);
    expect(Array.from(d.species)).toEqual(Array.from(x.species));
  });
});

describe('writers produce files numpy-style tools accept', () => {
  it('writeXyz + writeNpy to a temp dir and read back through readSystems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gbio-'));
    const { sys, cols } = randomSystem(11, 17, 3, ['A', 'B'], true);
    const xf = join(dir, 'o.xyz');
    writeFileSync(xf, writeXyz({ system: sys, columns: cols }));
    const back = readSystems(xf).frames[0].system;
    expect(Array.from(back.positions)).toEqual(Array.from(sys.positions));
    const nf = join(dir, 'o.npy');
    writeFileSync(nf, writeNpy({ shape: [sys.n, 3], data: sys.positions }));
    expect(Array.from(readSystems(nf, { box: Array.from(sys.box) }).frames[0].system.positions)).toEqual(Array.from(sys.positions));
  });
});
