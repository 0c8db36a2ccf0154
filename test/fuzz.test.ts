// Fuzzing the readers and the option layer (issue 11; fast-check). Random bytes, truncations and
// byte mutations of real files (the npy fixtures, an .npz dataset, extended XYZ, a LAMMPS dump
// and data file) must never crash: each case either parses or raises a typed GlassboxError
// (ParseError / InputError / AllocationError); any other exception (TypeError, RangeError, a wasm
// trap) fails. Each case must finish within CASE_MS (no hang), and the memory a case retains
// must stay within a bound proportional to the input (MEM_PER_BYTE x size + MEM_SLACK; retained
// array-buffer bytes after the case, which is what a leak or a bomb shows as). A few seconds in all.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSystem, writeXyz } from '../src/index.js';
import { GlassboxError } from '../src/errors.js';
import { parseSystems, summarize } from '../src/io/index.js';
import { readNpy } from '../src/io/npy.js';
import { readNpz, writeNpz } from '../src/io/npz.js';
import { parse } from '../src/cli/args.js';
import { mulberry32 } from '../src/models/diagnostics.js';

const CASE_MS = 2000;
const MEM_PER_BYTE = 1100; // deflate expands at most ~1032x
const MEM_SLACK = 64 << 20;

const FIX = new URL('./fixtures/npy/', import.meta.url).pathname;
const npyFiles = readdirSync(FIX).filter((f) => f.endsWith('.npy') || f.endsWith('.npz'));

/** A small configuration in every text format the readers take. */
function seeds(): { name: string; bytes: Uint8Array }[] {
  const r = mulberry32(11);
  const n = 40, L = 4;
  const pos = Float64Array.from({ length: 3 * n }, () => L * r());
  const types = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 'B' : 'A'));
  const sys = createSystem({ dim: 3, box: [L, L, L], positions: pos, types, columns: { abs_propensity: Float64Array.from({ length: n }, () => r()) } });
  const enc = (s: string) => new TextEncoder().encode(s);
  const dumpRows = Array.from({ length: n }, (_, i) => `${i + 1} ${types[i] === 'A' ? 1 : 2} ${pos[3 * i]} ${pos[3 * i + 1]} ${pos[3 * i + 2]}`);
  const dump = ['ITEM: TIMESTEP', '0', 'ITEM: NUMBER OF ATOMS', String(n), 'ITEM: BOX BOUNDS pp pp pp', `0 ${L}`, `0 ${L}`, `0 ${L}`, 'ITEM: ATOMS id type x y z', ...dumpRows].join('\n') + '\n';
  const data = ['LAMMPS data file', '', `${n} atoms`, '2 atom types', '', `0 ${L} xlo xhi`, `0 ${L} ylo yhi`, `0 ${L} zlo zhi`, '', 'Masses', '', '1 1.0', '2 1.0', '', 'Atoms # atomic', '', ...dumpRows, ''].join('\n');
  const npz = writeNpz({ initial_positions: { shape: [n, 3], data: pos }, types: { dtype: '|i1', shape: [n], data: Int8Array.from(types, (t) => (t === 'A' ? 0 : 1)) }, positions: { shape: [2, n, 3], data: Float64Array.from({ length: 2 * 3 * n }, () => L * r()) }, box: { shape: [3], data: new Float64Array([L, L, L]) } }, { compress: true });
  return [
    { name: 'c.xyz', bytes: enc(writeXyz(sys)) },
    { name: 'c.dump', bytes: enc(dump) },
    { name: 'c.data', bytes: enc(data) },
    { name: 'c.npz', bytes: npz },
    ...npyFiles.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(FIX, f))) })),
  ];
}
const SEEDS = seeds();

/** Run a reader on bytes: parse or a GlassboxError; anything else, a hang or a bomb fails. */
function mustNotCrash(name: string, bytes: Uint8Array): void {
  const before = process.memoryUsage().arrayBuffers;
  const t = performance.now();
  try {
    const text = /\.(xyz|dump|data)$/.test(name);
    const src = text ? new TextDecoder().decode(bytes) : bytes;
    const parsed = parseSystems(src, name, { box: 4 });
    for (const f of parsed.frames) expect(f.system.n).toBeGreaterThanOrEqual(0);
    summarize(src, name, {});
  } catch (e) {
    if (!(e instanceof GlassboxError)) throw new Error(`${name} (${bytes.length} bytes): ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  }
  try {
    if (name.endsWith('.npy')) readNpy(bytes, { file: name });
    if (name.endsWith('.npz')) {
      const z = readNpz(bytes, name);
      for (const k of z.keys) z.get(k);
    }
  } catch (e) {
    if (!(e instanceof GlassboxError)) throw new Error(`${name} (${bytes.length} bytes): ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
  }
  expect(performance.now() - t).toBeLessThan(CASE_MS);
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(MEM_SLACK + MEM_PER_BYTE * bytes.length);
}

describe('fuzz: readers never crash, hang or balloon; they parse or raise a typed error', () => {
  it('every seed parses as it is (the fuzz starts from valid files)', () => {
    for (const s of SEEDS) mustNotCrash(s.name, s.bytes);
  });

  it('random bytes under every file name', () => {
    fc.assert(
      fc.property(fc.constantFrom('r.npy', 'r.npz', 'r.xyz', 'r.dump', 'r.data'), fc.uint8Array({ maxLength: 2048 }), (name, bytes) => mustNotCrash(name, bytes)),
      { numRuns: 300, seed: 1 },
    );
  });

  it('truncations of real files', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.double({ min: 0, max: 1, noNaN: true }), (s, frac) => mustNotCrash(s.name, s.bytes.subarray(0, Math.floor(frac * s.bytes.length)))),
      { numRuns: 300, seed: 2 },
    );
  });

  it('byte mutations (overwrites, insertions, deletions) of real files', () => {
    const mutation = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), kind: fc.constantFrom('set', 'insert', 'delete'), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) });
    fc.assert(
      fc.property(fc.constantFrom(...SEEDS), fc.array(mutation, { minLength: 1, maxLength: 4 }), (s, muts) => {
        let b = Uint8Array.from(s.bytes);
        for (const m of muts) {
          const i = Math.floor(m.at * b.length);
          if (m.kind === 'set') b.set(m.bytes.subarray(0, Math.max(0, b.length - i)), i);
          else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, i), ...m.bytes, ...b.subarray(i)]);
          else b = Uint8Array.from([...b.subarray(0, i), ...b.subarray(i + m.bytes.length)]);
        }
        mustNotCrash(s.name, b);
      }),
      { numRuns: 400, seed: 3 },
    );
  });

  it('text formats: random lines and numbers spliced into real files', () => {
    const texts = SEEDS.filter((s) => /\.(xyz|dump|data)$/.test(s.name));
    const token = fc.oneof(fc.constantFrom('nan', 'inf', '-1', '1e309', '0x10', '', ' ', 'ITEM: ATOMS', 'Atoms', '999999999999', '-0', 'Lattice="0 0 0"', 'Properties=pos:R:7'), fc.string({ maxLength: 12 }), fc.double().map(String));
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.nat(), fc.array(token, { minLength: 1, maxLength: 5 }), (s, at, toks) => {
        const lines = new TextDecoder().decode(s.bytes).split('\n');
        lines.splice(at % lines.length, 1, toks.join(' '));
        mustNotCrash(s.name, new TextEncoder().encode(lines.join('\n')));
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});

describe('fuzz: the option layer parses or raises an InputError', () => {
  const specs = {
    train: { type: 'string', multiple: true, variadic: true },
    box: { type: 'string', number: true, list: true, count: [1, 2, 3], gt: 0 },
    folds: { type: 'string', int: true, min: 2 },
    model: { type: 'string', list: true, choices: ['ridge', 'enet'] },
    out: { type: 'string', short: 'o' },
    force: { type: 'boolean' },
  } as const;
  it('random argument vectors', () => {
    const arg = fc.oneof(fc.constantFrom('--train', '--box', '--folds', '--model', '-o', '--force', '--', '-', '--box=', '--force=1', '-1', '0x10', '15,', '1e400', 'ridge,', 'a.npz'), fc.string({ maxLength: 10 }));
    fc.assert(
      fc.property(fc.array(arg, { maxLength: 12 }), fc.boolean(), (argv, pos) => {
        try {
          const { values } = parse(argv, specs, pos);
          if (typeof values.box === 'string') for (const x of values.box.split(',')) expect(Number(x)).toBeGreaterThan(0);
          if (typeof values.folds === 'string') expect(Number.isInteger(Number(values.folds)) && Number(values.folds) >= 2).toBe(true);
        } catch (e) {
          if (!(e instanceof GlassboxError)) throw e;
        }
      }),
      { numRuns: 1000, seed: 5 },
    );
  });
});
