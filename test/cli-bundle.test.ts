// The `glassbox` bin is one bundled file per entry (scripts/build-cli.mjs): dist/cli/glassbox.js (which
// starts the features worker and loads dist/cli/main.js) and its workers dist/cli/worker.js,
// dist/cli/features-worker.js. Copied alone beside build/ (no
// dist/src/ to fall back on), it must run the commands that start workers (features split over
// two threads, a multi-frame minimize on the pool) and give the same bytes as the unbundled CLI
// (dist/src/cli/glassbox.js), which the rest of the suite tests in depth. Runs the built CLI (dist/,
// built by `npm test`'s pretest).
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSystem, writeXyz } from '../src/index.js';
import { mulberry32 } from '../src/models/diagnostics.js';
import { SPLIT_MIN_PARTICLES } from '../src/node/parallel/features.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gbbundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// a package holding only the bin's three files, the wasm and the dependencies
const PKG = join(dir, 'pkg');
mkdirSync(join(PKG, 'dist'), { recursive: true });
cpSync(join(ROOT, 'dist', 'cli'), join(PKG, 'dist', 'cli'), { recursive: true });
cpSync(join(ROOT, 'build'), join(PKG, 'build'), { recursive: true });
cpSync(join(ROOT, 'package.json'), join(PKG, 'package.json'));
symlinkSync(join(ROOT, 'node_modules'), join(PKG, 'node_modules'), 'dir');
const BIN = join(PKG, 'dist', 'cli', 'glassbox.js');
const MODULES = join(ROOT, 'dist', 'src', 'cli', 'glassbox.js');

/** A jittered cubic lattice at density 1.2 (m^3 particles, 80:20 A/B) as extended XYZ text. */
function lattice(m: number, seed: number): string {
  const r = mulberry32(seed);
  const L = Math.cbrt(m ** 3 / 1.2), a = L / m;
  const pos: number[] = [], types: string[] = [];
  for (let k = 0; k < m ** 3; k++) {
    for (const c of [k % m, Math.floor(k / m) % m, Math.floor(k / (m * m))]) pos.push((c + 0.5 + 0.3 * (r() - 0.5)) * a);
    types.push(r() < 0.8 ? 'A' : 'B');
  }
  return writeXyz(createSystem({ dim: 3, box: [L, L, L], positions: pos, types }));
}

const run = (cli: string, args: string[]) => {
  const p = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, GLASSBOX_THREADS: '2' } });
  if (p.status !== 0) throw new Error(`${cli} ${args.join(' ')}: exit ${p.status}\n${p.stderr}`);
  return p;
};

describe('the bundled bin (dist/cli/)', () => {
  it('features split over two threads: the same bytes as the unbundled CLI, from the bundled worker', () => {
    const m = 13; // 2197 particles: above SPLIT_MIN_PARTICLES, so a worker computes half of step 1 and P|E
    expect(m ** 3).toBeGreaterThan(SPLIT_MIN_PARTICLES);
    writeFileSync(join(dir, 'big.xyz'), lattice(m, 7));
    const args = (out: string) => ['features', 'big.xyz', '--preset', 'KA3D', '-o', out];
    run(BIN, args('a.npy'));
    run(MODULES, args('b.npy'));
    const a = readFileSync(join(dir, 'a.npy')), b = readFileSync(join(dir, 'b.npy'));
    expect(a.length).toBeGreaterThan(m ** 3 * 8 * 500);
    expect(a.equals(b)).toBe(true);
    expect(readFileSync(join(dir, 'a.names.json'), 'utf8')).toBe(readFileSync(join(dir, 'b.names.json'), 'utf8'));
  });

  it('a multi-frame minimize on the worker pool: the same minima as the unbundled CLI', () => {
    writeFileSync(join(dir, 'frames.xyz'), lattice(6, 1) + lattice(6, 2) + lattice(6, 3));
    const args = (out: string) => ['minimize', 'frames.xyz', '-o', out, '--no-cache', '--min-rule', 'fast'];
    run(BIN, args('a.xyz'));
    run(MODULES, args('b.xyz'));
    const a = readFileSync(join(dir, 'a.xyz'), 'utf8');
    expect(a.split('\n').filter((l) => l.trim() === '216').length).toBe(3);
    expect(a).toBe(readFileSync(join(dir, 'b.xyz'), 'utf8'));
  });

  it('bad input: the same one-line error and exit code as the unbundled CLI', () => {
    const [a, b] = [BIN, MODULES].map((cli) => spawnSync(process.execPath, [cli, 'features', 'missing.xyz', '-o', 'x.npy'], { cwd: dir, encoding: 'utf8' }));
    expect(a.status).toBe(2);
    expect(a.stderr.trim()).toMatch(/^glassbox features: missing\.xyz: no such file/);
    expect([a.status, a.stderr]).toEqual([b.status, b.stderr]);
  });
});
