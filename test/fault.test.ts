// Fault injection (issue 11): SIGKILL a `features` run while it writes its output (the moment its
// temporary file appears) and at random points, and a multi-frame `minimize` at random points
// during minimisation and while it stores cache entries. After every kill: the output is either
// the previous good file or the complete new one (byte for byte), never half-written; every cache
// entry whose metadata exists verifies (checksum) and is used; a rerun succeeds and gives the
// same bytes as an undisturbed run. Runs the built CLI (dist/, built by `npm test`'s pretest).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystem, writeXyz } from '../src/index.js';
import { mulberry32 } from '../src/models/diagnostics.js';

const CLI = new URL('../dist/cli/glassbox.js', import.meta.url).pathname; // the bin (scripts/build-cli.mjs)
const dir = mkdtempSync(join(tmpdir(), 'gbfault-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rand = mulberry32(2026);

/** A jittered lattice at density 1.2 (m^3 particles), species A/B, as extended XYZ text. */
function lattice(m: number, seed: number, jitter = 0.3): string {
  const r = mulberry32(seed);
  const L = Math.cbrt(m ** 3 / 1.2), a = L / m;
  const pos: number[] = [], types: string[] = [];
  for (let k = 0; k < m ** 3; k++) {
    for (const c of [k % m, Math.floor(k / m) % m, Math.floor(k / (m * m))]) pos.push((c + 0.5 + jitter * (r() - 0.5)) * a);
    types.push(r() < 0.8 ? 'A' : 'B');
  }
  return writeXyz(createSystem({ dim: 3, box: [L, L, L], positions: pos, types }));
}

const runSync = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });

/** Start the CLI and SIGKILL it after `ms`, or as soon as a file matching `whenFile` appears in `watch`. */
function killed(args: string[], opts: { ms: number; watch?: string; whenFile?: RegExp }): Promise<{ signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.ms);
    let poll: NodeJS.Timeout | undefined;
    if (opts.whenFile && opts.watch) {
      poll = setInterval(() => {
        try {
          if (readdirSync(opts.watch!).some((f) => opts.whenFile!.test(f))) child.kill('SIGKILL');
        } catch { /* directory not there yet */ }
      }, 1);
    }
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal });
    });
  });
}

describe('fault injection: a killed run never leaves a half-written output or cache entry', () => {
  it('features: killed while writing and at random points; output is the old or the complete new file', async () => {
    writeFileSync(join(dir, 'a.xyz'), lattice(11, 1));
    const args = ['features', 'a.xyz', '--preset', 'KA3D', '-o', 'f.npy', '--force'];
    // reference bytes of an undisturbed run, and a different "previous good" output
    const t0 = performance.now();
    expect(runSync(args).status).toBe(0);
    const took = performance.now() - t0;
    const ref = readFileSync(join(dir, 'f.npy'));
    const refNames = readFileSync(join(dir, 'f.names.json'));
    expect(runSync(['features', 'a.xyz', '--families', 'R', '--preset', 'KA3D', '-o', 'f.npy', '--force']).status).toBe(0);
    const old = readFileSync(join(dir, 'f.npy'));
    const oldNames = readFileSync(join(dir, 'f.names.json'));
    let killedWhileWriting = 0;
    const plans = [
      { ms: 60_000, watch: dir, whenFile: /^\.f\.npy\..*\.tmp$/ }, // the moment the output's temporary file exists
      { ms: 60_000, watch: dir, whenFile: /^\.f\.names\.json\..*\.tmp$/ }, // between the two outputs
      ...[0, 1].map(() => ({ ms: 50 + rand() * took })), // random points
    ];
    for (const plan of plans) {
      const r = await killed(args, plan);
      const now = readFileSync(join(dir, 'f.npy'));
      const names = readFileSync(join(dir, 'f.names.json'));
      expect(now.equals(old) || now.equals(ref), `f.npy after a kill at ${JSON.stringify(plan)}`).toBe(true);
      expect(names.equals(oldNames) || names.equals(refNames)).toBe(true);
      if (r.signal === 'SIGKILL' && plan.whenFile) killedWhileWriting++;
    }
    expect(killedWhileWriting).toBeGreaterThan(0);
    expect(runSync(args).status).toBe(0); // a rerun succeeds
    expect(readFileSync(join(dir, 'f.npy')).equals(ref)).toBe(true);
  }, 120_000);

  it('minimize: killed during minimisation and while storing cache entries; entries verify, the rerun matches', async () => {
    const frames = [1, 2, 3].map((s) => lattice(6, 10 + s, 0.3)).join('');
    writeFileSync(join(dir, 'm.xyz'), frames);
    const cache = join(dir, 'cache');
    const args = ['minimize', 'm.xyz', '-o', 'min.xyz', '--force', '--threads', '1', '--cache-dir', cache];
    const refRun = runSync([...args.slice(0, -1), join(dir, 'refcache')]);
    expect(refRun.status, refRun.stderr).toBe(0);
    const ref = readFileSync(join(dir, 'min.xyz'));
    rmSync(join(dir, 'min.xyz'));
    const plans = [
      { ms: 60_000, watch: join(cache, 'minimize'), whenFile: /\.npy\..*\.tmp$/ }, // while storing an entry
      { ms: 60_000, watch: join(cache, 'minimize'), whenFile: /\.json$/ }, // right after the first commit record
      ...[0, 1].map(() => ({ ms: 100 + rand() * 1500 })), // random points (during minimisation)
    ];
    for (const plan of plans) {
      await killed(args, plan);
      expect(existsSync(join(dir, 'min.xyz')) ? readFileSync(join(dir, 'min.xyz')).equals(ref) : true).toBe(true);
      // every committed entry (its .json exists) verifies against its checksum
      const mdir = join(cache, 'minimize');
      if (existsSync(mdir)) {
        for (const f of readdirSync(mdir).filter((x) => x.endsWith('.json'))) {
          const meta = JSON.parse(readFileSync(join(mdir, f), 'utf8'));
          const npy = readFileSync(join(mdir, f.replace(/\.json$/, '.npy')));
          const { createHash } = await import('node:crypto');
          expect(createHash('sha256').update(npy).digest('hex')).toBe(meta.npySha256);
        }
      }
    }
    const again = runSync(args);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/ignored/); // no corrupted entry was left behind
    expect(readFileSync(join(dir, 'min.xyz')).equals(ref)).toBe(true);
  }, 120_000);
});
