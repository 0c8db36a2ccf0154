// The browser build in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core):
//  1. the browser entry's import graph has no Node built-in and every bare import is mapped;
//  2. computations in test/browser/checks.js give BIT-IDENTICAL results in the page and in Node
//     (typed arrays compared byte for byte), with the SIMD and the scalar kernels;
//  3. (the web app, web/index.html, is tested in test/web-app.test.ts);
//  4. a generated report.html renders offline with marks in every chart (screenshot saved
//     under test-results/).
// Without Chromium the browser parts skip with a warning. Set GLASSBOX_CHROMIUM to use
// another binary.
//
// To add a browser-vs-Node check: write it in test/browser/checks.js and add a row to CASES.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { checks, randomPositions, runCheck } from './browser/checks.js';
// @ts-ignore plain ESM helper without types
import { startStaticServer } from '../scripts/serve.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = process.env.GLASSBOX_CHROMIUM ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const RESULTS = join(ROOT, 'test-results');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

if (!HAS_CHROMIUM) {
  console.warn(`[browser.test] SKIPPED the headless-browser tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set GLASSBOX_CHROMIUM)`);
}

// dist/ and build/ are what the browser loads: bring them up to date (no-op when they are).
execSync('node scripts/ensure-build.mjs', { cwd: ROOT, stdio: 'inherit' });

type Build = 'default' | 'simd' | 'scalar';
interface Case { name: keyof typeof checks & string; args?: Record<string, unknown>; build?: Build }

/** Browser-vs-Node comparisons: one row per (check, arguments, kernel build). */
const CASES: Case[] = [
  { name: 'kernels' },
  { name: 'kernels', build: 'scalar' },
  { name: 'neighbors', args: { seed: 7, n: 600, box: [8, 8, 8], cutoff: 2.5, halfCutoff: 1.7 } },
  { name: 'neighbors', args: { seed: 11, n: 700, box: [9.5, 7.3], cutoff: 3.1, halfCutoff: 2.0 } },
  { name: 'neighbors', args: { seed: 5, n: 400, box: [5.2, 7.1, 6.3], cutoff: 2.6, halfCutoff: 1.3 }, build: 'scalar' },
  { name: 'regression' as any },
  { name: 'regression' as any, build: 'scalar' },
  { name: 'descriptors' as any },
];

// ---- decoding and comparing the encoded results of runCheck ---------------------------------

type Encoded = Record<string, any>;
const TYPED: Record<string, any> = { Float64Array, Float32Array, Int32Array, Uint32Array, Int16Array, Uint16Array, Int8Array, Uint8Array, Uint8ClampedArray, BigInt64Array, BigUint64Array };

function decodeValue(v: any): unknown {
  if (v && typeof v === 'object' && '$typed' in v) {
    const bytes = Buffer.from(v.b64, 'base64');
    const C = TYPED[v.$typed];
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    return new C(copy.buffer, 0, v.length);
  }
  if (v && typeof v === 'object' && '$number' in v) return new Float64Array(new Uint8Array(Buffer.from(v.$number, 'base64')).buffer)[0];
  return v;
}

function decode(enc: Encoded): Record<string, unknown> {
  return Object.fromEntries(Object.entries(enc).map(([k, v]) => [k, decodeValue(v)]));
}

/** Expect two encoded results to be identical bit for bit; a mismatch names the key and the first differing element. */
function expectIdentical(node: Encoded, browser: Encoded, label: string): void {
  if ('$error' in node || '$error' in browser) {
    expect(browser.$error, `${label}: error in the browser vs Node`).toEqual(node.$error);
    return;
  }
  expect(Object.keys(browser).sort(), `${label}: result keys`).toEqual(Object.keys(node).sort());
  for (const k of Object.keys(node)) {
    const a = node[k];
    const b = browser[k];
    if (a && typeof a === 'object' && '$typed' in a) {
      expect(b?.$typed, `${label}.${k}: array type`).toBe(a.$typed);
      expect(b.length, `${label}.${k}: length`).toBe(a.length);
      if (a.b64 !== b.b64) {
        const x = decodeValue(a) as ArrayLike<number>;
        const y = decodeValue(b) as ArrayLike<number>;
        const bx = new Uint8Array((x as any).buffer);
        const by = new Uint8Array((y as any).buffer);
        let i = 0;
        while (i < bx.length && bx[i] === by[i]) i++;
        const el = Math.floor(i / (x as any).BYTES_PER_ELEMENT);
        expect.fail(`${label}.${k}: not bit-identical; first difference at element ${el}: Node ${x[el]} vs browser ${y[el]}`);
      }
    } else {
      expect(b, `${label}.${k}`).toEqual(a);
    }
  }
}

// ---- Node side: the same dist/ code the browser loads ----------------------------------------

const distUrl = (p: string) => pathToFileURL(join(ROOT, 'dist', 'src', p)).href;
let gbNode: any;
let nodeBuild: Build | null = null;

async function useNodeBuild(build: Build): Promise<void> {
  if (!gbNode) gbNode = { ...(await import(distUrl('index.js'))), ...(await import(distUrl('internal.js'))), ...(await import(distUrl('reference/neighbors.js'))) };
  if (build === nodeBuild) return;
  const { loadNodeWasm } = await import(distUrl('wasm/node.js'));
  const { setWasm } = await import(distUrl('wasm/runtime.js'));
  setWasm(build === 'default' ? loadNodeWasm() : loadNodeWasm(build === 'simd'));
  nodeBuild = build;
}

const nodeCtx = {
  fetchBytes: async (rel: string) => new Uint8Array(readFileSync(join(ROOT, rel))),
  fetchText: async (rel: string) => readFileSync(join(ROOT, rel), 'utf8'),
};

async function runNode(name: string, args: Record<string, unknown> = {}, build: Build = 'default'): Promise<Encoded> {
  await useNodeBuild(build);
  return runCheck(gbNode, nodeCtx, name, args);
}

// ---- 1. import graph of the browser entry ----------------------------------------------------

/** Static and literal dynamic import specifiers of an ES module emitted by tsc. */
function importSpecifiers(code: string): { specs: string[]; nonLiteral: number } {
  const noComments = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const specs: string[] = [];
  for (const m of noComments.matchAll(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*(['"])([^'"]+)\1/gm)) specs.push(m[2]);
  for (const m of noComments.matchAll(/^\s*import\s*(['"])([^'"]+)\1/gm)) specs.push(m[2]);
  let nonLiteral = 0;
  for (const m of noComments.matchAll(/\bimport\s*\(\s*([^)]*)\)/g)) {
    const lit = /^(['"])([^'"]+)\1$/.exec(m[1].trim());
    if (lit) specs.push(lit[2]);
    else nonLiteral++;
  }
  return { specs, nonLiteral };
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, m.split('/')[0]]));

function browserImportGraph(entry: string) {
  const files = new Set<string>();
  const bare = new Map<string, string>();
  const problems: string[] = [];
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const rel = file.slice(ROOT.length);
    if (!existsSync(file)) {
      problems.push(`${rel}: imported but missing`);
      continue;
    }
    const code = readFileSync(file, 'utf8');
    if (/['"`]node:/.test(code)) problems.push(`${rel}: mentions a "node:" module`);
    const { specs, nonLiteral } = importSpecifiers(code);
    if (nonLiteral) problems.push(`${rel}: ${nonLiteral} dynamic import(s) with a computed specifier (cannot be checked)`);
    for (const s of specs) {
      if (s.startsWith('node:') || NODE_BUILTINS.has(s)) problems.push(`${rel}: imports the Node built-in "${s}"`);
      else if (s.startsWith('.') || s.startsWith('/')) stack.push(resolve(dirname(file), s));
      else if (!bare.has(s)) bare.set(s, rel);
    }
  }
  return { files: [...files].map((f) => f.slice(ROOT.length)), bare, problems };
}

function importMap(htmlFile: string): Record<string, string> {
  const html = readFileSync(join(ROOT, htmlFile), 'utf8');
  const m = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html);
  return m ? JSON.parse(m[1]).imports ?? {} : {};
}

describe('the browser entry stays free of Node built-ins', () => {
  const graph = browserImportGraph(join(ROOT, 'dist', 'src', 'browser.js'));

  it('dist/src/browser.js and everything it imports: no node: module, no computed import', () => {
    expect(graph.files).toContain('dist/src/api.js');
    expect(graph.files).not.toContain('dist/src/wasm/node.js');
    expect(graph.problems).toEqual([]);
  });

  it('the checker itself catches a node: import (it can fail)', () => {
    expect(importSpecifiers("import { readFileSync } from 'node:fs';\nexport * from './x.js';").specs).toEqual(['node:fs', './x.js']);
    expect(importSpecifiers("const m = await import(name);").nonLiteral).toBe(1);
    expect(NODE_BUILTINS.has('fs') && NODE_BUILTINS.has('path')).toBe(true);
  });

  for (const page of ['web/index.html', 'web/test-harness.html']) {
    it(`${page}: every bare import of the browser graph is in its import map, and every mapped file exists`, () => {
      const map = importMap(page);
      for (const [spec, from] of graph.bare) expect(map[spec], `"${spec}" (imported by ${from}) is not in the import map of ${page}`).toBeTypeOf('string');
      for (const [spec, target] of Object.entries(map)) {
        expect(existsSync(resolve(ROOT, 'web', target)), `${page}: import map "${spec}" -> ${target} does not exist`).toBe(true);
      }
    });
  }
});

// ---- the browser -------------------------------------------------------------------------------

describe.skipIf(!HAS_CHROMIUM)('headless Chromium', () => {
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let harness: Page;
  const pageErrors: string[] = [];

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(`console.error: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && pageErrors.push(`HTTP ${r.status()} ${r.url()}`));
    return page;
  }

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    server = await startStaticServer({ root: ROOT });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    harness = await newPage();
    await harness.goto(`${server.url}web/test-harness.html`);
    const ready = await harness.evaluate(() => (window as any).harness.ready);
    expect(ready.checks).toEqual(Object.keys(checks));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  describe('browser build = Node, bit for bit (test/browser/checks.js)', () => {
    for (const c of CASES) {
      const label = `${c.name}${c.args ? ' ' + JSON.stringify(c.args) : ''} [${c.build ?? 'default'} kernels]`;
      it(label, async () => {
        const browserOut: Encoded = await harness.evaluate(([n, a, b]) => (window as any).harness.run(n, a, b), [c.name, c.args ?? {}, c.build ?? 'default'] as const);
        const nodeOut = await runNode(c.name, c.args, c.build);
        expectIdentical(nodeOut, browserOut, c.name);
        const out = decode(nodeOut);
        if ('simd' in out) expect(out.simd, 'which kernels ran').toBe(c.build === 'scalar' ? false : c.build === 'simd' ? true : out.simd);
        if (c.name === 'neighbors') {
          // not two empty lists agreeing: the pair count equals the O(N^2) oracle
          const a = { seed: 7, n: 600, box: [8, 8, 8], cutoff: 2.5, ...c.args } as any;
          const sys = gbNode.createSystem({ dim: a.box.length, box: a.box, positions: randomPositions(a.seed, a.n, a.box) });
          const brute = gbNode.bruteForceNeighbors(sys, a.cutoff).length;
          expect(brute).toBeGreaterThan(a.n);
          expect((out.j as Int32Array).length).toBe(brute);
          expect(out.pairs).toBe(brute / 2);
        }
      });
    }

    it('the comparison detects a one-ulp difference (it can fail)', async () => {
      const a = await runNode('neighbors', { n: 50, box: [5, 5, 5], cutoff: 2 });
      const r = decode(a).r as Float64Array;
      const tweaked = Float64Array.from(r);
      tweaked[3] = tweaked[3] + Math.abs(tweaked[3]) * Number.EPSILON;
      const b = { ...a, r: { ...a.r, b64: Buffer.from(tweaked.buffer).toString('base64') } };
      expect(() => expectIdentical(a, b, 'tweaked')).toThrow(/element 3/);
    });

    it('errors surface with the same class and message on both sides', async () => {
      const args = { n: 20, box: [4, 4, 4], cutoff: 2.5 }; // cutoff above half the box
      const b: Encoded = await harness.evaluate(([a]) => (window as any).harness.run('neighbors', a), [args] as const);
      const n = await runNode('neighbors', args);
      expect(n.$error?.name).toBe('InputError');
      expectIdentical(n, b, 'error');
    });
  });

  // web/index.html (the app: files -> fit in workers -> results, downloads, report) is tested in test/web-app.test.ts

  describe('report.html (src/report) in the browser', () => {
    it('opens offline from a file, every chart has drawn marks; screenshot in test-results/', async () => {
      const { fakeReportHtml } = await import('./report-fixture.js');
      const { html, charts } = await fakeReportHtml();
      mkdirSync(RESULTS, { recursive: true });
      const file = join(RESULTS, 'report.html');
      writeFileSync(file, html);
      const page = await newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      await page.screenshot({ path: join(RESULTS, 'report.png'), fullPage: true });
      expect(requests, 'the report must not load anything').toEqual([pathToFileURL(file).href]);
      const figures = await page.evaluate(() =>
        [...document.querySelectorAll('figure.chart')].map((f) => {
          const svg = f.querySelector('svg')!;
          const marks = [...svg.querySelectorAll('g.role-mark > *')] as SVGGraphicsElement[];
          const visible = marks.filter((m) => {
            const b = m.getBBox();
            return b.width > 0 && b.height > 0;
          });
          const box = svg.getBoundingClientRect();
          // every url(#id) reference resolves to an element of the same SVG
          const refs = [...svg.innerHTML.matchAll(/url\(#([^)]+)\)/g)].map((m) => m[1]);
          const dangling = refs.filter((id) => !svg.querySelector(`[id="${id}"]`));
          return { name: f.getAttribute('data-chart'), marks: marks.length, visible: visible.length, width: box.width, height: box.height, dangling };
        }),
      );
      expect(figures.map((f) => f.name)).toEqual(['scores-by-model', 'predicted-vs-true', 'coefficient-profiles', 'bootstrap-stability', 'eigen-spectrum', 'vif', 'pcr-loadings', 'particle-map']);
      for (const f of figures) {
        expect(f.marks, `${f.name}: data marks in the live DOM`).toBeGreaterThan(0);
        expect(f.visible, `${f.name}: marks with a non-empty box`).toBeGreaterThan(0);
        expect(f.width * f.height, `${f.name}: drawn size`).toBeGreaterThan(100 * 100);
        expect(f.dangling, `${f.name}: url(#...) references`).toEqual([]);
      }
      const byName = Object.fromEntries(figures.map((f) => [f.name, f]));
      expect(byName['predicted-vs-true'].visible).toBeGreaterThanOrEqual(1000); // 1500 points drawn
      expect(byName['vif'].visible).toBeGreaterThanOrEqual(30); // 30 bars with width
      expect(Object.values(charts).every((c) => c.warnings.length === 0)).toBe(true);
      await page.close();
    });

    it('the report of a real `glassbox fit` (embedded data) opens with every chart drawn', async () => {
      const { fitFiles } = await import('../src/index.js');
      const { renderFitReport } = await import('../src/report/fit-report.js');
      const cfg = (i: number) => fileURLToPath(new URL(`../data/ka3d-T0.44-mini/config${i}.npz`, import.meta.url));
      const r = await fitFiles({ train: [cfg(1), cfg(2), cfg(3)], test: [cfg(9)], preset: 'KA3D', models: ['ols', 'ridge', 'enet', 'pcr'], folds: 3, bootstrap: 5, cacheDir: join(RESULTS, 'cache') });
      mkdirSync(RESULTS, { recursive: true });
      const file = join(RESULTS, 'fit-report.html');
      writeFileSync(file, await renderFitReport(r, r.testConfigurations));
      const page = await newPage();
      await page.goto(pathToFileURL(file).href);
      await page.screenshot({ path: join(RESULTS, 'fit-report.png'), fullPage: true });
      const figures = await page.evaluate(() =>
        [...document.querySelectorAll('figure.chart')].map((f) => {
          const marks = [...f.querySelectorAll('svg g.role-mark > *')] as SVGGraphicsElement[];
          return { name: f.getAttribute('data-chart'), visible: marks.filter((m) => { const b = m.getBBox(); return b.width > 0 && b.height > 0; }).length };
        }),
      );
      expect(figures.map((f) => f.name).sort()).toEqual(['bootstrap-stability', 'coefficient-profiles', 'eigen-spectrum', 'particle-map', 'pcr-loadings', 'predicted-vs-true', 'scores-by-model', 'vif']);
      for (const f of figures) expect(f.visible, `${f.name}: drawn marks`).toBeGreaterThan(0);
      await page.close();
    });
  });

  it('no page error or console error in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
