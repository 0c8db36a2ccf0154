// Smoke test of the portable benchmark page (npm run bench:web): one suite, short sampling, into
// a temporary folder. Checks that Node and Chromium ran the same cases from the one suite
// definition and wrote the bench/results JSON format; it times nothing (figures: bench/README.md).
// Without Chromium the browser half is skipped with a message (the script then runs Node only).

import { describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.GLASSBOX_CHROMIUM ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
if (!HAS_CHROMIUM) console.warn(`[bench-web.test] the Chromium half is SKIPPED: no Chromium at ${CHROMIUM}`);

describe('bench/web.mjs (portable benchmark page)', () => {
  it('runs one suite in Node and in Chromium and writes the same JSON format for both', async () => {
    execFileSync('node', ['scripts/ensure-build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    const out = mkdtempSync(join(tmpdir(), 'glassbox-bench-web-'));
    try {
      // async: the worker's event loop stays free for vitest's RPC meanwhile
      const { stdout: log } = await promisify(execFile)('node', ['bench/web.mjs', '--quick', '--suites', 'neighbors', '--builds', 'scalar', '--out', out], { cwd: ROOT, encoding: 'utf8' });
      const node = JSON.parse(readFileSync(join(out, 'node', 'neighbors-scalar.json'), 'utf8'));
      expect(node).toMatchObject({ suite: 'neighbors', build: 'scalar', runtime: 'node', simd: false });
      expect(node.results.length).toBeGreaterThanOrEqual(3);
      for (const r of node.results) {
        expect(r.meanSeconds).toBeGreaterThan(0);
        expect(r.samples).toBeGreaterThanOrEqual(2);
        expect(r.cpuSecondsPerCall).toBeGreaterThan(0);
      }
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(summary.rows.length).toBe(node.results.length);
      if (!HAS_CHROMIUM) {
        expect(log).toMatch(/no Chromium/);
        return;
      }
      const chr = JSON.parse(readFileSync(join(out, 'chromium', 'neighbors-scalar.json'), 'utf8'));
      expect(chr).toMatchObject({ suite: 'neighbors', build: 'scalar', runtime: 'chromium', simd: false });
      expect(chr.userAgent).toMatch(/Chrome/);
      expect(chr.results.map((r: any) => r.name)).toEqual(node.results.map((r: any) => r.name));
      expect(Object.keys(chr.results[0]).sort()).toEqual(Object.keys(node.results[0]).sort());
      // the same work: the same pair counts in both runtimes
      expect(chr.results.map((r: any) => r.pairs ?? r.directedPairs)).toEqual(node.results.map((r: any) => r.pairs ?? r.directedPairs));
      expect(summary.perSuite[0].ratio).toBeGreaterThan(0);
      expect(log).toMatch(/Chromium\/Node|C\/N/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
