// Browser side of the portable benchmarks (web/bench.html): the suites of
// bench/portable/suites.mjs run by bench/portable/harness.mjs with the `benchmark` package
// (a global, from its classic script), SIMD or scalar kernels.
// window.glassboxBench = { ready, suites, run(suite, build, harnessOptions) -> result object }
// is what bench/web.mjs (npm run bench:web) calls through playwright.

import * as api from '../dist/src/browser.js';
import * as internal from '../dist/src/internal.js';

const gb = { ...api, ...internal };
import { runCases } from '../bench/portable/harness.mjs';
import { SUITES, runPortableSuite } from '../bench/portable/suites.mjs';

const root = new URL('../', import.meta.url);
const params = new URLSearchParams(location.search);
const dataBase = params.has('data') ? new URL(params.get('data'), location.href) : null;
const $ = (id) => document.getElementById(id);
const logEl = $('log');

const pageLog = [];
function log(line) {
  pageLog.push(line);
  logEl.textContent += line + '\n';
  logEl.scrollTop = logEl.scrollHeight;
}

const ctx = {
  cache: new Map(),
  log,
  /** A file of ../shared/data (under ?data=URL), or null when absent. */
  async data(rel) {
    if (!dataBase) return null;
    const res = await fetch(new URL(rel, dataBase));
    return res.ok ? new Uint8Array(await res.arrayBuffer()) : null;
  },
};

let current = null;
async function useBuild(build) {
  if (build === current) return;
  if (build !== 'simd' && build !== 'scalar') throw new Error(`unknown build "${build}" (simd | scalar)`);
  await gb.init(new URL(build === 'simd' ? 'build/glassbox.simd.wasm' : 'build/glassbox.wasm', root));
  current = build;
}

const results = [];
function addRows(res) {
  const tb = $('results').tBodies[0];
  if (res.skipped) {
    const tr = tb.insertRow();
    tr.innerHTML = '<td></td><td></td><td></td>';
    tr.cells[0].textContent = res.suite; tr.cells[1].textContent = res.build; tr.cells[2].textContent = `skipped: ${res.skipped}`;
    return;
  }
  for (const r of res.results) {
    const tr = tb.insertRow();
    const cells = [res.suite, res.build, r.name, r.meanSeconds >= 1 ? `${r.meanSeconds.toFixed(3)} s` : `${(r.meanSeconds * 1e3).toFixed(2)} ms`, `${r.rme.toFixed(1)}%`, String(r.samples)];
    cells.forEach((t, k) => { const td = tr.insertCell(); td.textContent = t; if (k >= 3) td.className = 'num'; });
  }
}

/** Run one suite with one build; returns the bench/results-format object. */
async function run(suiteName, build, harnessOptions = {}) {
  const suite = SUITES.find((s) => s.name === suiteName);
  if (!suite) throw new Error(`unknown suite "${suiteName}" (${SUITES.map((s) => s.name).join(', ')})`);
  await ready;
  await useBuild(build);
  const first = pageLog.length;
  $('status').textContent = `running ${suiteName} (${build})...`;
  await new Promise((r) => setTimeout(r, 0));
  const out = await runPortableSuite(suite, gb, ctx, runCases, window.Benchmark, {
    // CPU clock: provided by bench/web.mjs (the renderer process's CPU time through the DevTools protocol)
    ...(typeof window.glassboxCpuSeconds === 'function' ? { cpuMark: () => window.glassboxCpuSeconds() } : {}),
    ...harnessOptions,
    onCase: async (k, name) => { $('status').textContent = `running ${suiteName} (${build}): ${name}`; await new Promise((r) => setTimeout(r, 0)); },
  });
  const res = { ...out, build, userAgent: navigator.userAgent, hardwareConcurrency: navigator.hardwareConcurrency, date: new Date().toISOString(), log: pageLog.slice(first) };
  results.push(res);
  addRows(res);
  $('status').textContent = `done: ${suiteName} (${build})`;
  return res;
}

async function runAll() {
  const builds = ['simd', 'scalar'].filter((b) => $(`build-${b}`).checked);
  const chosen = SUITES.filter((s) => $(`suite-${s.name}`).checked).map((s) => s.name);
  $('run').disabled = true;
  try {
    for (const s of chosen) for (const b of builds) await run(s, b);
    const blob = new Blob([JSON.stringify({ userAgent: navigator.userAgent, date: new Date().toISOString(), results }, null, 2)], { type: 'application/json' });
    const a = $('download');
    a.href = URL.createObjectURL(blob);
    a.classList.remove('hidden');
    $('status').textContent = `done: ${chosen.length} suites x ${builds.length} builds`;
  } catch (e) {
    $('status').textContent = `error: ${e.message}`;
  } finally {
    $('run').disabled = false;
  }
}

$('suites').replaceChildren(...SUITES.map((s) => {
  const l = document.createElement('label');
  l.title = s.title;
  l.innerHTML = `<input type="checkbox" checked> `;
  l.firstChild.id = `suite-${s.name}`;
  l.append(s.name);
  return l;
}));

const ready = (async () => {
  if (typeof window.Benchmark !== 'function') throw new Error('the benchmark package did not load (../node_modules/benchmark/benchmark.js)');
  await useBuild('simd').catch(() => useBuild('scalar')); // scalar when the browser lacks wasm SIMD
  $('status').textContent = `ready: ${gb.wasm().simd ? 'SIMD' : 'scalar'} kernels loaded; ${dataBase ? `real data from ${dataBase}` : 'no ?data= folder: cases on ../shared/data use random systems or are skipped'}`;
  $('run').disabled = false;
})();
ready.catch((e) => { $('status').textContent = `glassbox failed to load: ${e.message}`; });
$('run').addEventListener('click', runAll);

window.glassboxBench = { ready, suites: SUITES.map((s) => s.name), run };
