// Hardening (issue 11): one regression test per class of defect found by the adversarial pass.
// Each `describe` is one class; each test failed before its fix. Commands run in-process through
// main() with the console captured (one stderr line and exit 2 for every user error).
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystem, writeXyz } from '../src/index.js';
import { writeNpy } from '../src/io/npy.js';
import { writeFileAtomic, writeOutputFile } from '../src/node/fs.js';
import { InputError } from '../src/errors.js';
import { mulberry32 } from '../src/models/diagnostics.js';

const { main } = await import('../src/cli/main.js');

const DATA = new URL('../data/ka3d-T0.44-mini/', import.meta.url).pathname;
const cfg = (i: number) => join(DATA, `config${i}.npz`);
const dir = mkdtempSync(join(tmpdir(), 'gbhard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Run main(argv) with console.log / console.error captured. */
export async function run(argv: string[]): Promise<{ code: number | undefined; out: string; err: string[]; thrown?: unknown }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  try {
    return { code: await main(argv), out: out.join('\n'), err };
  } catch (e) {
    return { code: undefined, out: out.join('\n'), err, thrown: e };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** A user error: exit 2, exactly one stderr line `glassbox <cmd>: ...` matching re, nothing thrown. */
async function userError(argv: string[], re: RegExp): Promise<string> {
  const r = await run(argv);
  expect(r.thrown).toBeUndefined();
  expect(r.err).toHaveLength(1);
  expect(r.code).toBe(2);
  expect(r.err[0]).toMatch(new RegExp(`^glassbox ${argv[0]}: `));
  expect(r.err[0]).toMatch(re);
  return r.err[0];
}

/** A small well-spaced 3D KA-like configuration (jittered lattice at density 1.2) as extended XYZ. */
function latticeXyz(path: string, m = 6, seed = 1, opts: { box?: boolean } = {}): number {
  const r = mulberry32(seed);
  const L = Math.cbrt(m ** 3 / 1.2);
  const a = L / m;
  const pos: number[] = [];
  const types: string[] = [];
  for (let k = 0; k < m ** 3; k++) {
    for (const c of [k % m, Math.floor(k / m) % m, Math.floor(k / (m * m))]) pos.push((c + 0.5 + 0.1 * (r() - 0.5)) * a);
    types.push(r() < 0.8 ? 'A' : 'B');
  }
  const sys = createSystem({ dim: 3, box: [L, L, L], positions: pos, types, columns: { abs_propensity: Float64Array.from(types, () => r()) } });
  let text = writeXyz(sys);
  if (opts.box === false) text = text.replace(/Lattice="[^"]*" ?/, '');
  writeFileSync(path, text);
  return L;
}

describe('data loss: outputs never overwrite inputs or existing files, and are never half-written', () => {
  const X = join(dir, 'X.npy');
  const y = join(dir, 'y.npy');
  const r = mulberry32(3);
  const n = 60;
  writeFileSync(X, writeNpy({ dtype: '<f8', shape: [n, 3], data: Float64Array.from({ length: 3 * n }, () => r()) }));
  writeFileSync(y, writeNpy({ dtype: '<f8', shape: [n], data: Float64Array.from({ length: n }, () => r()) }));

  it('regress --save onto its own --x (or an existing file without --force) is refused before any work', async () => {
    const before = readFileSync(X);
    await userError(['regress', '--x', X, '--y', y, '--model', 'ols', '--save', X], /--save .*X\.npy is one of the input files .*refusing to overwrite one of the inputs/);
    await userError(['regress', '--x', X, '--y', y, '--model', 'ols', '--save', X, '--force'], /refusing to overwrite one of the inputs/);
    expect(readFileSync(X).equals(before)).toBe(true);
    const other = join(dir, 'existing.json');
    writeFileSync(other, 'keep me');
    await userError(['regress', '--x', X, '--y', y, '--model', 'ols', '--save', other], /already exists: refusing to overwrite \(use --force\)/);
    expect(readFileSync(other, 'utf8')).toBe('keep me');
    const ok = await run(['regress', '--x', X, '--y', y, '--model', 'ols', '--save', other, '--force']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(readFileSync(other, 'utf8')).model).toBe('ols');
  });

  it('regress --save in a missing directory or onto a directory: one line, exit 2', async () => {
    await userError(['regress', '--x', X, '--y', y, '--model', 'ols', '--save', join(dir, 'nope', 'm.json')], /directory .*nope does not exist/);
    await userError(['regress', '--x', X, '--y', y, '--model', 'ols', '--save', dir, '--force'], /is a directory/);
  });

  it('features -o refuses its input through ./, an absolute path, a symlinked directory or a hard link, even with --force', async () => {
    const victim = join(dir, 'victim.xyz');
    latticeXyz(victim);
    const before = readFileSync(victim, 'utf8');
    const hard = join(dir, 'hardlink.xyz');
    linkSync(victim, hard);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await userError(['features', 'victim.xyz', '--preset', 'KA3D', '-o', './victim.xyz', '--force'], /is one of the input files \(victim\.xyz\)/);
      await userError(['features', 'victim.xyz', '--preset', 'KA3D', '-o', victim, '--force'], /refusing to overwrite one of the inputs/);
      await userError(['features', 'victim.xyz', '--preset', 'KA3D', '-o', 'hardlink.xyz', '--force'], /refusing to overwrite one of the inputs/);
    } finally {
      process.chdir(cwd);
    }
    expect(readFileSync(victim, 'utf8')).toBe(before);
  });

  it('a failed write leaves the previous file intact and no temporary file behind', () => {
    const p = join(dir, 'sub', 'keep.txt');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(p, 'previous good output');
    // a part that cannot be encoded fails half way through the write
    expect(() => writeFileAtomic(p, ['new first part, ', 42 as unknown as string])).toThrow();
    expect(readFileSync(p, 'utf8')).toBe('previous good output');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['keep.txt']);
    writeOutputFile(p, ['a', new Uint8Array([98]), 'c'], { force: true });
    expect(readFileSync(p, 'utf8')).toBe('abc');
    expect(readdirSync(join(dir, 'sub'))).toEqual(['keep.txt']);
  });

  it('an unreadable input or an output in an unwritable directory is one line, exit 2 (no stack)', async () => {
    // the mapping of fs errors at the top level (also what a root user, who reads everything, checks)
    const { reportError } = await import('../src/cli/main.js');
    const err: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    const eacces = Object.assign(new Error("EACCES: permission denied, open 'x.npy'"), { code: 'EACCES', path: 'x.npy' });
    expect(reportError('info', eacces)).toBe(2);
    expect(err).toEqual(['glassbox info: x.npy: permission denied']);
    expect(reportError('info', new TypeError('oops'))).toBe(1); // a bug: stack + a line that says so
    expect(err.at(-1)).toMatch(/this is a bug in glassbox/);
    vi.restoreAllMocks();
    if (process.getuid?.() === 0) {
      console.warn('hardening.test: running as root, file permissions cannot be denied: the chmod part is skipped');
      return;
    }
    const locked = join(dir, 'locked.npy');
    copyFileSync(X, locked);
    chmodSync(locked, 0o000);
    await userError(['regress', '--x', locked, '--y', y, '--model', 'ols'], /locked\.npy: permission denied/);
    await userError(['info', locked], /permission denied/);
    chmodSync(locked, 0o644);
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    await userError(['regress', '--x', X, '--y', y, '--model', 'ols', '--save', join(ro, 'm.json')], /permission denied/);
    chmodSync(ro, 0o700);
  });

  it('predict --model DIR names the fix instead of a stack trace', async () => {
    await userError(['predict', '--model', dir, cfg(9), '-o', join(dir, 'p.xyz')], /is a directory.*DIR\/model\.json/);
  });
});

describe('cache integrity: a corrupted or inconsistent entry is a miss with a warning, never used', async () => {
  const { minimizeCached, lookupMinimum, minimizeCacheKey } = await import('../src/node/cache.js');
  const { preset } = await import('../src/index.js');
  const { latticeSystem } = await import('./helpers/systems.js');
  const sys = latticeSystem(5, 3, 6, 1.2, 0.15, ['A', 'B'], [0.8, 0.2]);
  const pot = preset('KA3D');
  const cdir = join(dir, 'cache');
  const entry = (ext: string) => join(cdir, 'minimize', `${minimizeCacheKey(sys, pot)}.${ext}`);

  it('flipped bytes in the positions, edited metadata, or an entry without a checksum are recomputed', () => {
    const warnings: string[] = [];
    const cache = { dir: cdir, onWarning: (m: string) => warnings.push(m) };
    const first = minimizeCached(sys, pot, {}, cache);
    expect(first.cached).toBe(false);
    expect(minimizeCached(sys, pot, {}, cache).cached).toBe(true);
    expect(warnings).toEqual([]);
    // flip bytes in the data area (the reproduction: a particle at x = 679297, used silently)
    const npy = readFileSync(entry('npy'));
    npy[npy.length - 20] ^= 0x5a;
    writeFileSync(entry('npy'), npy);
    expect(lookupMinimum(sys, pot, {}, cache)).toBeNull();
    expect(warnings.at(-1)).toMatch(/checksum mismatch/);
    const again = minimizeCached(sys, pot, {}, cache);
    expect(again.cached).toBe(false);
    expect(Array.from(again.system.positions)).toEqual(Array.from(first.system.positions));
    // metadata: a wrong figure or a missing checksum
    const meta = JSON.parse(readFileSync(entry('json'), 'utf8'));
    writeFileSync(entry('json'), JSON.stringify({ ...meta, maxForce: null }));
    expect(lookupMinimum(sys, pot, {}, cache)).toBeNull();
    expect(warnings.at(-1)).toMatch(/maxForce is not a finite number/);
    const { npySha256: _, ...old } = meta;
    writeFileSync(entry('json'), JSON.stringify(old));
    expect(lookupMinimum(sys, pot, {}, cache)).toBeNull();
    expect(warnings.at(-1)).toMatch(/no checksum/);
    writeFileSync(entry('json'), '{"key": tru');
    expect(lookupMinimum(sys, pot, {}, cache)).toBeNull();
    expect(warnings.at(-1)).toMatch(/not valid JSON/);
    expect(minimizeCached(sys, pot, {}, cache).cached).toBe(false);
    expect(minimizeCached(sys, pot, {}, cache).cached).toBe(true);
  });
});

/** Four small configurations (11^3 particles, box 10.35, a random abs_propensity) for quick fits. */
const small = [1, 2, 3, 4].map((k) => join(dir, `small${k}.xyz`));
small.forEach((f, k) => latticeXyz(f, 11, 20 + k));

describe('overlap: duplicate or leaked configurations are an error, or a loud warning with --allow-overlap', () => {
  const base = ['--structure', 'thermal', '--preset', 'KA3D', '--model', 'ridge', '--bootstrap', '0', '--cache', join(dir, 'cache'), '--quiet'];
  it('the same configuration twice in --train, or a --test configuration in --train, is refused', async () => {
    await userError(['fit', '--train', `${cfg(1)},${cfg(1)},${cfg(2)}`, '--test', cfg(9), ...base], /config1\.npz is the same configuration as .*config1\.npz, both in --train.*--allow-overlap/);
    await userError(['fit', '--train', `${cfg(1)},${cfg(2)},${cfg(3)}`, '--test', cfg(2), ...base], /test configuration .*config2\.npz is also a training configuration/);
    // a copy under another name is still the same configuration (content hash, not file names)
    const copy = join(dir, 'copy-of-1.npz');
    copyFileSync(cfg(1), copy);
    await userError(['fit', '--train', `${cfg(1)},${cfg(2)}`, '--test', copy, ...base], /is also a training configuration/);
  });
  it('--allow-overlap proceeds, warns on stderr and records the overlap in the results', async () => {
    const r = await run(['fit', '--train', small[0], small[1], '--test', small[1], '--allow-overlap', '--json', ...base]);
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).toMatch(/WARNING: test configuration .*small2\.xyz is also a training configuration.*not honest/);
    expect(JSON.parse(r.out).overlap).toHaveLength(1);
  });
});

describe('plausibility: a wrong box, preset or unit is an error naming what is off, before any work', async () => {
  const { checkPlausible } = await import('../src/workflow/plausibility.js');
  const f = join(dir, 'nobox.xyz');
  const L = latticeXyz(f, 10, 4, { box: false }); // 1000 particles at density 1.2, L = 9.41
  const out = () => join(dir, `feat-${Math.random().toString(36).slice(2)}.npy`);
  it('a box 4% too small puts pairs far inside each other: refused with the pair and its diameter', async () => {
    const o = out();
    await userError(['features', f, '--preset', 'KA3D', '--box', String(L * 0.96), '-o', o], /particles \d+ \([AB]\) and \d+ \([AB]\) are .* apart, .* of their diameter sigma_[AB]{2}/);
    expect(existsSync(o)).toBe(false);
  });
  it('a box twice too large leaves an empty slab (any data), and the density is far from the preset', async () => {
    await userError(['features', f, '--box', String(2 * L), '-o', out()], /no particle in a slab .* wide along x .*box is too large/);
    const { createSystem: mk } = await import('../src/index.js');
    const r = mulberry32(9);
    const sys = mk({ dim: 3, box: [20, 20, 20], positions: Float64Array.from({ length: 3 * 500 }, () => 20 * r()), types: Array.from({ length: 500 }, () => 'A') });
    expect(() => checkPlausible(sys, { potential: 'KA3D' })).toThrow(/number density 0\.0625 .* far from the KA3D preset's 1\.2/);
  });
  it('the right box passes; positions far outside the box of a wrapped format are refused', async () => {
    const { readSystems } = await import('../src/node/fs.js');
    const sys = readSystems(f, { box: L }).frames[0].system;
    expect(() => checkPlausible(sys, { potential: 'KA3D' })).not.toThrow();
    const moved = createSystem({ dim: 3, box: sys.box, positions: sys.positions.map((x, i) => (i === 0 ? x + 3 * L : x)), types: sys.labels.map((_, k) => sys.labels[sys.species[k]]).slice(0, 0).length ? undefined : Array.from(sys.species, (s) => sys.labels[s]) });
    expect(() => checkPlausible(moved, { wrapped: true })).toThrow(/particle 0 has x = .* far outside the box/);
    expect(() => checkPlausible(moved, { wrapped: false })).not.toThrow(); // unwrapped positions may leave the box
  });
});

describe('dimension mixing: features follows the rule of fit; --dim 2 never drops a real z', () => {
  const threeD = join(dir, 'three.xyz');
  const twoD = join(dir, 'two.xyz');
  latticeXyz(threeD, 6, 2);
  const r = mulberry32(8);
  const L2 = Math.sqrt(400 / 1.2);
  const pos: number[] = [];
  for (let k = 0; k < 400; k++) pos.push(((k % 20) + 0.5 + 0.1 * (r() - 0.5)) * (L2 / 20), (Math.floor(k / 20) + 0.5 + 0.1 * (r() - 0.5)) * (L2 / 20));
  writeFileSync(twoD, writeXyz(createSystem({ dim: 2, box: [L2, L2], positions: pos, types: pos.filter((_, i) => i % 2 === 0).map(() => 'A') })));
  it('2D and 3D configurations in one features call (two files, or one file with mixed frames) are refused', async () => {
    await userError(['features', threeD, twoD, '--families', 'R', '-o', join(dir, 'mix.npy')], /two\.xyz: it is 2D, .*three\.xyz is 3D/);
    const mixed = join(dir, 'mixed.xyz');
    writeFileSync(mixed, readFileSync(threeD, 'utf8') + readFileSync(twoD, 'utf8'));
    await userError(['features', mixed, '--families', 'R', '-o', join(dir, 'mix2.npy')], /mixed\.xyz\[1\]?.*: it is 2D, .* is 3D|it is 2D/);
    expect(existsSync(join(dir, 'mix.npy'))).toBe(false);
  });
  it('--dim 2 on a file that is 3D is refused (xyz and LAMMPS dump)', async () => {
    await userError(['features', threeD, '--dim', '2', '--families', 'R', '-o', join(dir, 'd2.npy')], /the frame is 3D .*--dim 2 would drop z/);
    const dump = join(dir, 'three.dump');
    const lines = ['ITEM: TIMESTEP', '0', 'ITEM: NUMBER OF ATOMS', '3', 'ITEM: BOX BOUNDS pp pp pp', '0 5', '0 5', '0 5', 'ITEM: ATOMS id type x y z', '1 1 1 1 1', '2 1 2 2 2', '3 1 3 3 3.5'];
    writeFileSync(dump, lines.join('\n') + '\n');
    await userError(['info', dump, '--dim', '2'], /three\.dump:\d+: the file is 3D \(z differs between atoms/);
  });
});

describe('required members: a BOTAN / GlassBench archive missing a member is an error naming it', async () => {
  const { readNpz, writeNpz } = await import('../src/io/npz.js');
  const { readSystems } = await import('../src/node/fs.js');
  it('no types (would be one species) and no initial_positions (runs would become frames)', () => {
    const src = readNpz(new Uint8Array(readFileSync(cfg(1))), 'config1.npz');
    const arrays: Record<string, any> = {};
    for (const k of src.keys) if (k !== 'types') arrays[k] = src.get(k);
    const noTypes = join(dir, 'config1-notypes.npz');
    writeFileSync(noTypes, writeNpz(arrays));
    expect(() => readSystems(noTypes)).toThrow(/\[types\]: missing member "types" required by the BOTAN \/ GlassBench layout/);
    const r = mulberry32(2);
    const runsOnly = join(dir, 'isoconfig_N64T0.44_1_tc07.npz');
    writeFileSync(runsOnly, writeNpz({ types: { dtype: '|i1', shape: [64], data: new Int8Array(64) }, positions: { shape: [4, 64, 3], data: Float64Array.from({ length: 4 * 64 * 3 }, () => 4 * r()) } }));
    expect(() => readSystems(runsOnly, { box: 4 })).toThrow(/missing member "initial_positions" .*runs would be read as frames/);
    // an archive of no known layout keeps its documented defaults (frames of positions)
    const generic = join(dir, 'frames.npz');
    writeFileSync(generic, writeNpz({ positions: { shape: [2, 64, 3], data: Float64Array.from({ length: 2 * 64 * 3 }, () => 4 * r()) } }));
    expect(readSystems(generic, { box: 4 }).frames).toHaveLength(2);
  });
});

describe('allocation limits: sizes are checked before they reach wasm; archive members cannot inflate past their header', async () => {
  const { loadNodeWasm } = await import('../src/wasm/node.js');
  const { AllocationError } = await import('../src/errors.js');
  const { zipSync } = await import('fflate');
  const { readNpz } = await import('../src/io/npz.js');

  it('an N x p x 8 over 4 GiB (which wrapped to a small block and trapped) is a typed error naming what to reduce', () => {
    const w = loadNodeWasm();
    const n = 450_000, p = 1200; // 4.3 GB of float64
    expect(() => w.f64(n * p)).toThrow(AllocationError);
    expect(() => w.f64(n * p)).toThrow(/float64 array of 540000000 x 8 bytes = 4\.02 GiB exceeds .*reduce the rows per call/);
    expect(() => w.f64(2 ** 27 + 1)).toThrow(/exceeds the 1\.00 GiB a single wasm block may have/);
    expect(() => w.i32(-1)).toThrow(/invalid length -1/);
    expect(w.exports.alloc(2 ** 30)).toBe(0); // the kernels' own guard (assembly/index.ts alloc)
    const ok = w.f64(1000); // the instance is still usable
    ok.free();
  });

  /** An .npz whose one member has a valid .npy header for `shape` followed by `extra` zero bytes. */
  function bomb(shape: number[], extra: number, declare?: number): Uint8Array {
    const head = writeNpy({ dtype: '<f8', shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) });
    const member = new Uint8Array(head.length + extra);
    member.set(head);
    const z = zipSync({ 'x.npy': [member, { level: 1 }] });
    if (declare !== undefined) {
      // rewrite the uncompressed size in the local header and the central directory
      const dv = new DataView(z.buffer, z.byteOffset, z.byteLength);
      dv.setUint32(22, declare, true);
      for (let i = z.length - 22; i >= 0; i--) if (dv.getUint32(i, true) === 0x02014b50) { dv.setUint32(i + 24, declare, true); break; }
    }
    return z;
  }

  it('a member whose directory size disagrees with its .npy header, or that inflates past it, stops early', () => {
    const big = bomb([10], 8 << 20); // 8 MiB of zeros behind a 10-element header: ~8 KB compressed
    expect(big.length).toBeLessThan(30_000);
    expect(() => readNpz(big, 'bomb.npz').get('x')).toThrow(/its \.npy header needs 208 bytes, the zip directory declares 8388816/);
    // a directory that lies to match the header: inflation is cut at the header's size
    const liar = bomb([10], 8 << 20, 208);
    expect(() => readNpz(liar, 'liar.npz').get('x')).toThrow(/inflates beyond the 208 bytes its \.npy header needs/);
    // header() streams only the header
    expect(readNpz(big, 'bomb.npz').header('x').shape).toEqual([10]);
  });
});

describe('options: one shared layer, every value checked up front', async () => {
  const { parse } = await import('../src/cli/args.js');
  const X = join(dir, 'X.npy');
  const y = join(dir, 'y.npy');
  it('--train FILE FILE FILE (an unquoted shell glob), besides commas and repetition', () => {
    const spec = { train: { type: 'string', multiple: true, variadic: true }, test: { type: 'string', multiple: true, variadic: true }, quiet: { type: 'boolean' } } as const;
    const { values } = parse(['--train', 'a.npz', 'b.npz', 'c.npz', '--test', 'd.npz', 'e.npz,f.npz', '--quiet', '--train', 'g.npz'], spec, false);
    expect(values.train).toEqual(['a.npz', 'b.npz', 'c.npz', 'g.npz']);
    expect(values.test).toEqual(['d.npz', 'e.npz,f.npz']);
  });
  it('negative, hexadecimal and trailing-comma numbers are clear errors, not "ambiguous" or accepted', async () => {
    const base = ['fit', '--train', cfg(1), cfg(2), '--test', cfg(9), '--preset', 'KA3D', '--structure', 'thermal', '--quiet'];
    await userError([...base, '--box', '-1'], /--box expects a number > 0 \(or a comma list\), got "-1"/);
    await userError([...base, '--box', '15,'], /--box expects a comma-separated list without empty elements, got "15,"/);
    await userError([...base, '--box', '0x10'], /--box expects a number > 0 .*got "0x10"/);
    await userError([...base, '--folds', '2.5'], /--folds expects an integer >= 2, got "2.5"/);
    await userError([...base, '--bootstrap', '1e9'], /--bootstrap expects an integer >= 0 and <= 10000, got "1e9"/);
    await userError([...base, '--l1-ratio', '0.5,1.5'], /--l1-ratio expects a number > 0 and <= 1 \(or a comma list\), got "0.5,1.5"/);
    await userError([...base, '--model', 'ridge,lasso'], /--model must be one of ols, ridge, enet, pcr, all, got "lasso"/);
    await userError([...base, '--out'], /--out needs a value/);
    await userError([...base, '--fodls', '3'], /unknown option --fodls \(did you mean --folds\?\)/);
    await userError(['regress', '--x', X, '--y', y, '--model', 'ridge', '--alpha', '1e'], /--alpha expects a number >= 0, got "1e"/);
    await userError(['minimize', cfg(1), '-o', join(dir, 'm.xyz'), '--threads', '0'], /--threads expects an integer >= 1/);
    await userError(['features', cfg(1), '-o', join(dir, 'f.npy'), '--ls', '1,,2'], /--ls expects a comma-separated list without empty elements/);
  });
  it('outputs are checked before any work (minimize refuses an existing output before minimising)', async () => {
    const o = join(dir, 'exists.xyz');
    writeFileSync(o, 'keep');
    const t = performance.now();
    await userError(['minimize', join(dir, 'nobox.xyz'), '--box', '9.41', '-o', o], /already exists/);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(readFileSync(o, 'utf8')).toBe('keep');
  });
  it('--folds larger than the training set is reduced, said, and recorded in the results', async () => {
    const r = await run(['fit', '--train', small[0], small[1], small[2], '--test', small[3], '--preset', 'KA3D', '--structure', 'thermal', '--model', 'ridge', '--bootstrap', '0', '--folds', '1000', '--json', '--quiet', '--cache', join(dir, 'cache')]);
    expect(r.code).toBe(0);
    expect(r.err.join('\n')).toMatch(/--folds 1000 reduced to 3/);
    expect(JSON.parse(r.out).clamped).toEqual({ folds: { requested: 1000, used: 3, why: 'at most one fold per training configuration' } });
  });
});

describe('regress: scale-aware checks and PCR capped at the numerical rank', async () => {
  const { fitMatrix } = await import('../src/models/fit-matrix.js');
  const r = mulberry32(1);
  const n = 300;
  const full = new Float64Array(n * 3), def = new Float64Array(n * 6), y = new Float64Array(n), g = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = r(), b = r(), c = r();
    full.set([a, b, c], 3 * i);
    def.set([a, b, c, a + b, a - b, 2 * c], 6 * i);
    y[i] = a + 0.5 * b - 0.2 * c + 0.1 * r();
    g[i] = i % 6;
  }
  it('X around 1e200 or 1e-200 fits the same model (no false "non-finite" or "constant")', () => {
    const ref = fitMatrix(full, y, n, 3, { model: 'ridge', alpha: 1, groups: g });
    for (const s of [1e200, 1e-200]) {
      const m = fitMatrix(full.map((v) => v * s), y, n, 3, { model: 'ridge', alpha: 1, groups: g }).model;
      for (let j = 0; j < 3; j++) {
        expect(m.coefStd[j]).toBeCloseTo(ref.model.coefStd[j], 10);
        expect(m.coef[j] * s).toBeCloseTo(ref.model.coef[j], 8);
      }
      expect(m.intercept).toBeCloseTo(ref.model.intercept, 10);
    }
    expect(() => fitMatrix(full, y.map((v) => v * 1e200), n, 3, { model: 'ols' })).toThrow(/y reaches .*overflow.*divide y by a power of ten/);
  });
  it('PCR with CV on a rank-deficient X chooses k within the rank instead of failing', () => {
    const res = fitMatrix(def, y, n, 6, { model: 'pcr', groups: g });
    expect(res.model.params.k).toBeLessThanOrEqual(3);
    expect(res.warnings.join(' ')).toMatch(/numerical rank 3 \(< 6 kept columns\)/);
  });
});
