// Node vs browser on the same benchmark suites (bench/portable/suites.mjs), SIMD and scalar
// kernels, side by side in one run: `npm run bench:web` (builds first when needed).
//
//   node bench/web.mjs [--suites neighbors,gram] [--builds simd,scalar] [--no-browser] [--quick] [--out DIR]
//   (--quick: 2 samples, 0.25 s per case, for a smoke run; --out: write the JSON elsewhere)
//
// For every suite and build, the suite runs in this Node process (dist/src/index.js) and then
// in a page of headless Debian Chromium (web/bench.html, driven by playwright-core), so both
// see the same machine load. Writes bench/results/portable/{node,chromium}/<suite>[-scalar].json
// (the format of bench/results/*.json: suite, date, runtime, cpu, cores, load averages, results)
// and bench/results/portable/summary.json (the table), and prints the table.
// Without Chromium (GLASSBOX_CHROMIUM or /usr/bin/chromium) only the Node side runs, with a message.
// Files of ../shared/data are served to the page by request interception (they are outside the
// repository); cases that need them skip with a message when they are absent.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import Benchmark from 'benchmark';
import { runCases } from './portable/harness.mjs';
import { SUITES, runPortableSuite } from './portable/suites.mjs';
import { startStaticServer } from '../scripts/serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '..');
const SHARED_DATA = resolve(ROOT, '../shared/data');
const CHROMIUM = process.env.GLASSBOX_CHROMIUM ?? '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const { values: args } = parseArgs({
  options: {
    suites: { type: 'string' }, builds: { type: 'string', default: 'simd,scalar' },
    'no-browser': { type: 'boolean' }, quick: { type: 'boolean' }, out: { type: 'string' },
  },
  allowPositionals: true,
});
const OUT = args.out ? resolve(args.out) : join(here, 'results', 'portable');
const suites = args.suites ? args.suites.split(',') : SUITES.map((s) => s.name);
for (const s of suites) if (!SUITES.some((d) => d.name === s)) { console.error(`bench:web: unknown suite "${s}" (${SUITES.map((d) => d.name).join(', ')})`); process.exit(2); }
const builds = args.builds.split(',');
for (const b of builds) if (b !== 'simd' && b !== 'scalar') { console.error(`bench:web: --builds expects simd and/or scalar, got "${b}"`); process.exit(2); }
const harnessOpts = args.quick ? { minSamples: 2, maxTime: 0.25 } : {};

// ---- Node side --------------------------------------------------------------------------------
const dist = (p) => pathToFileURL(join(ROOT, 'dist', 'src', p)).href;
const gb = { ...(await import(dist('index.js'))), ...(await import(dist('internal.js'))) };
const { loadNodeWasm } = await import(dist('wasm/node.js'));
const { setWasm } = await import(dist('wasm/runtime.js'));
const nodeCtx = {
  cache: new Map(),
  log: (s) => console.log(`  [node] ${s}`),
  async data(rel) {
    const f = join(SHARED_DATA, rel);
    return existsSync(f) ? new Uint8Array(readFileSync(f)) : null;
  },
};
const cpuMark = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
async function runNode(suite, build) {
  setWasm(loadNodeWasm(build === 'simd'));
  return runPortableSuite(suite, gb, nodeCtx, runCases, Benchmark, { cpuMark, ...harnessOpts });
}

// ---- browser side -----------------------------------------------------------------------------
let browser = null, page = null, server = null, browserVersion = null;
if (args['no-browser']) console.log('bench:web: --no-browser: Node only');
else if (!existsSync(CHROMIUM)) console.log(`bench:web: no Chromium at ${CHROMIUM} (apt-get install chromium, or set GLASSBOX_CHROMIUM): Node only`);
else {
  const { chromium } = await import('playwright-core');
  server = await startStaticServer({ root: ROOT });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  browserVersion = browser.version();
  page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log(`  [chromium console] ${m.text()}`); });
  page.on('pageerror', (e) => console.log(`  [chromium page error] ${e.message}`));
  // ../shared/data is outside the served root: answer /__shared_data__/<rel> from it
  await page.route(`${server.url}__shared_data__/**`, (route) => {
    const rel = decodeURIComponent(new URL(route.request().url()).pathname.slice('/__shared_data__/'.length));
    const f = resolve(SHARED_DATA, rel);
    if (!f.startsWith(SHARED_DATA + sep) || !existsSync(f)) return route.fulfill({ status: 404, body: 'absent' });
    return route.fulfill({ status: 200, contentType: 'application/octet-stream', body: readFileSync(f) });
  });
  // the page's CPU clock: CPU time of the renderer process (DevTools protocol), asked for
  // by the harness before and after each case through an exposed function
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  await page.exposeFunction('glassboxCpuSeconds', async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ProcessTime').value);
  await page.goto(`${server.url}web/bench.html?data=/__shared_data__/`);
  await page.evaluate(() => window.glassboxBench.ready);
}
async function runBrowser(suite, build) {
  const res = await page.evaluate(([s, b, o]) => window.glassboxBench.run(s, b, o), [suite.name, build, harnessOpts]);
  for (const line of res.log ?? []) console.log(`  [chromium] ${line}`);
  delete res.log;
  return res;
}

// ---- run, side by side ------------------------------------------------------------------------
const load = () => os.loadavg().map((v) => +v.toFixed(2));
const env = { date: new Date().toISOString(), cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version, browser: browserVersion ? `Chromium ${browserVersion} (headless, ${CHROMIUM})` : null };
console.log(`bench:web ${env.date}: ${env.cpu}, ${env.cores} cores, Node ${env.node}${env.browser ? `, ${env.browser}` : ''}; load ${load().join(' ')}`);
const t00 = performance.now();
const rows = [];
const write = (runtime, out) => {
  const dir = join(OUT, runtime);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${out.suite}${out.build === 'scalar' ? '-scalar' : ''}.json`), JSON.stringify(out, null, 2) + '\n');
};
try {
  for (const name of suites) {
    const suite = SUITES.find((s) => s.name === name);
    for (const build of builds) {
      console.log(`\n## ${name} (${build})`);
      const runs = {};
      for (const runtime of ['node', 'chromium']) {
        if (runtime === 'chromium' && !page) continue;
        const loadBefore = load();
        const t0 = performance.now();
        const r = runtime === 'node' ? await runNode(suite, build) : await runBrowser(suite, build);
        const out = {
          suite: r.suite, build, runtime, date: new Date().toISOString(),
          ...(runtime === 'node' ? { node: process.version } : { browser: env.browser, userAgent: r.userAgent, hardwareConcurrency: r.hardwareConcurrency }),
          cpu: env.cpu, cores: env.cores, simd: r.simd, loadavgBefore: loadBefore, loadavgAfter: load(),
          wallSeconds: +((performance.now() - t0) / 1000).toFixed(1), setupSeconds: r.setupSeconds,
          machine: 'shared 2-core machine (other jobs running); see loadavg', ...(r.skipped ? { skipped: r.skipped } : {}),
          cpuClock: runtime === 'node' ? 'process.cpuUsage() user + system (whole process)' : 'CPU time of the renderer process of the page (DevTools protocol Performance.getMetrics ProcessTime)',
          data: r.data, results: r.results,
        };
        write(runtime, out);
        runs[runtime] = out;
      }
      const nodeRes = runs.node?.results ?? [];
      for (const c of nodeRes) {
        const b = runs.chromium?.results.find((x) => x.name === c.name);
        rows.push({
          suite: name, build, case: c.name, nodeSeconds: c.meanSeconds, nodeRme: c.rme, browserSeconds: b?.meanSeconds ?? null, browserRme: b?.rme ?? null,
          ratio: b ? b.meanSeconds / c.meanSeconds : null,
          nodeCpuSeconds: c.cpuSecondsPerCall ?? null, browserCpuSeconds: b?.cpuSecondsPerCall ?? null,
          cpuRatio: b?.cpuSecondsPerCall && c.cpuSecondsPerCall ? b.cpuSecondsPerCall / c.cpuSecondsPerCall : null,
          loadavg: runs.node.loadavgBefore[0],
        });
      }
    }
  }
} finally {
  await browser?.close();
  await server?.close();
}

// ---- table -----------------------------------------------------------------------------------
const ms = (s) => (s == null ? '-' : s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1e3).toFixed(1)} ms`);
const rat = (x) => (x == null ? '-' : x.toFixed(2));
const total = (rs, k) => (rs.every((r) => r[k] != null) ? rs.reduce((s, r) => s + r[k], 0) : null);
const perSuite = [];
for (const name of suites) for (const build of builds) {
  const rs = rows.filter((r) => r.suite === name && r.build === build);
  if (!rs.length) continue;
  const n = total(rs, 'nodeSeconds'), b = total(rs, 'browserSeconds'), nc = total(rs, 'nodeCpuSeconds'), bc = total(rs, 'browserCpuSeconds');
  perSuite.push({ suite: name, build, cases: rs.length, nodeSeconds: n, browserSeconds: b, ratio: b == null ? null : b / n, nodeCpuSeconds: nc, browserCpuSeconds: bc, cpuRatio: bc == null || nc == null ? null : bc / nc, loadavg: rs[0].loadavg });
}
console.log(`\nNode vs Chromium, per call: wall = mean time (benchmark package), cpu = CPU seconds per call; side by side; total ${((performance.now() - t00) / 1000).toFixed(0)} s; load ${load().join(' ')}\n`);
console.log(`${'suite'.padEnd(12)} ${'build'.padEnd(7)} ${'case'.padEnd(62)} ${'Node wall'.padStart(10)} ${'Chr. wall'.padStart(10)} ${'C/N'.padStart(5)} ${'Node cpu'.padStart(10)} ${'Chr. cpu'.padStart(10)} ${'C/N'.padStart(5)}`);
for (const r of rows) console.log(`${r.suite.padEnd(12)} ${r.build.padEnd(7)} ${r.case.slice(0, 62).padEnd(62)} ${ms(r.nodeSeconds).padStart(10)} ${ms(r.browserSeconds).padStart(10)} ${rat(r.ratio).padStart(5)} ${ms(r.nodeCpuSeconds).padStart(10)} ${ms(r.browserCpuSeconds).padStart(10)} ${rat(r.cpuRatio).padStart(5)}`);
console.log('\nper suite (sums over the cases of the per-call figures):');
for (const s of perSuite) console.log(`${s.suite.padEnd(12)} ${s.build.padEnd(7)} wall: Node ${ms(s.nodeSeconds).padStart(9)}  Chromium ${ms(s.browserSeconds).padStart(9)}  C/N ${rat(s.ratio)}   cpu: Node ${ms(s.nodeCpuSeconds).padStart(9)}  Chromium ${ms(s.browserCpuSeconds).padStart(9)}  C/N ${rat(s.cpuRatio)}   (load ${s.loadavg})`);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'summary.json'), JSON.stringify({ ...env, totalSeconds: +((performance.now() - t00) / 1000).toFixed(0), loadavgEnd: load(), machine: 'shared 2-core machine: other jobs were running (see loadavg per row)', perSuite, rows }, null, 2) + '\n');
console.log(`\nJSON: ${join(OUT, 'node')}/, ${join(OUT, 'chromium')}/, ${join(OUT, 'summary.json')}`);
