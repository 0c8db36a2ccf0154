// glassbox web page: load the browser build, read a dropped configuration (or make a random
// one), show what it is and count neighbours. Plain ESM, no build step: served as-is next to
// dist/ and build/ (npm run web).
//
// For tests and the console: window.glassboxApp = { gb, system, result }.

import * as gb from '../dist/src/browser.js';

const $ = (id) => document.getElementById(id);
const app = { gb, system: null, result: null, ready: null };
window.glassboxApp = app;

// ---- file readers ----------------------------------------------------------------------------
// The readers of src/io/ (browser-safe: text or bytes in): parseSystems picks the format from the
// file name and returns { frames: [{ system, info }], runs?, inherent? }.
const FORMATS = { xyz: false, extxyz: false, npz: true, npy: true, dump: false, lammpstrj: false, data: false };

/** How a file is read, or a user-facing explanation of why it cannot be. */
export function findReader(fileName) {
  const ext = fileName.toLowerCase().split('.').pop();
  if (!(ext in FORMATS)) return { error: `"${fileName}": unsupported file type ".${ext}" (expected .xyz, .extxyz, .npz, .npy, .dump, .lammpstrj or .data)` };
  return { binary: FORMATS[ext] };
}

async function openFile(file) {
  await app.ready;
  const r = findReader(file.name);
  if (r.error) return show('error', r.error);
  try {
    const content = r.binary ? new Uint8Array(await file.arrayBuffer()) : await file.text();
    const box = Number($('box')?.value);
    const parsed = gb.parseSystems(content, file.name, box > 0 ? { box } : {});
    const frames = parsed.frames.length;
    const runs = parsed.runs?.length ?? 0;
    setSystem(parsed.frames[0].system, [frames > 1 ? `frame 1 of ${frames}` : '', runs ? `${runs} isoconfigurational runs` : ''].filter(Boolean).join(', '));
  } catch (e) {
    show('error', describeError(e));
  }
}

// ---- random system ---------------------------------------------------------------------------

/** N uniformly random particles (80:20 A:B) at number density rho, from a seeded generator. */
export function randomSystem(n, rho, dim, seed = 1) {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const L = Math.pow(n / rho, 1 / dim);
  const positions = new Float64Array(n * dim);
  for (let i = 0; i < positions.length; i++) positions[i] = rand() * L;
  const types = Array.from({ length: n }, (_, i) => (i < Math.round(0.8 * n) ? 'A' : 'B'));
  return gb.createSystem({ dim, box: new Array(dim).fill(L), positions, types, source: `random (N = ${n}, rho = ${rho}, seed ${seed})` });
}

// ---- display ---------------------------------------------------------------------------------

/** kind: 'error' | 'note' | '' (hide). */
function show(kind, text) {
  const m = $('message');
  m.className = kind;
  m.textContent = text;
}

function describeError(e) {
  return e instanceof gb.GlassboxError ? `${e.name}: ${e.message}` : `Unexpected error: ${e?.message ?? e}`;
}

function table(el, rows) {
  el.replaceChildren(...rows.map(([k, v]) => {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    const td = document.createElement('td');
    th.textContent = k;
    td.textContent = v;
    tr.append(th, td);
    return tr;
  }));
}

const num = (x, d = 4) => Number(x.toPrecision(d)).toString();

function setSystem(sys, note = '') {
  app.system = sys;
  app.result = null;
  show('', '');
  const counts = gb.speciesCounts(sys);
  const cols = Object.keys(sys.columns);
  const volume = Array.from(sys.box).reduce((p, L) => p * L, 1);
  table($('info'), [
    ['source', (sys.source ?? 'unnamed') + (note ? ` (${note})` : '')],
    ['particles N', String(sys.n)],
    ['dimension', String(sys.dim)],
    ['box', Array.from(sys.box, (L) => num(L)).join(' × ')],
    ['number density', num(sys.n / volume)],
    ['species', Object.entries(counts).map(([l, c]) => `${l}: ${c}`).join(', ')],
    ['columns', cols.length ? cols.join(', ') : '(none)'],
  ]);
  $('cutoff').max = String(gb.maxCutoff(sys));
  $('result').classList.remove('hidden');
  countNeighbours();
}

function countNeighbours() {
  const sys = app.system;
  if (!sys) return;
  const cutoff = Number($('cutoff').value);
  let q = null;
  try {
    const t0 = performance.now();
    q = new gb.NeighborQuery(sys, cutoff);
    const pairs = q.countPairs();
    const ms = performance.now() - t0;
    app.result = { cutoff, pairs };
    table($('neighbours'), [
      ['pairs within cutoff', String(pairs)],
      ['mean neighbours per particle', num((2 * pairs) / sys.n)],
      ['time', `${ms.toFixed(1)} ms (cell list + count, ${gb.wasm().simd ? 'SIMD' : 'scalar'} kernels)`],
    ]);
    $('neighbours').dataset.pairs = String(pairs);
  } catch (e) {
    app.result = null;
    $('neighbours').replaceChildren();
    show('error', describeError(e));
  } finally {
    q?.free();
  }
}

// ---- wiring ----------------------------------------------------------------------------------

function wire() {
  const drop = $('drop');
  const input = $('file');
  drop.addEventListener('click', () => input.click());
  drop.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && input.click());
  input.addEventListener('change', () => input.files?.[0] && openFile(input.files[0]));
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (f) openFile(f);
  });
  $('random').addEventListener('click', () => {
    try {
      setSystem(randomSystem(Math.floor(Number($('n').value)), Number($('rho').value), Number($('dim').value)));
    } catch (e) {
      show('error', describeError(e));
    }
  });
  $('count').addEventListener('click', countNeighbours);
  $('cutoff').addEventListener('keydown', (e) => e.key === 'Enter' && countNeighbours());
}

// ---- fit on the embedded example -------------------------------------------------------------

/** The embedded example configurations (data/ka3d-T0.44-mini), parsed in the page. */
export async function exampleConfigurations(ids) {
  const out = [];
  for (const i of ids) {
    const name = `config${i}.npz`;
    const resp = await fetch(new URL(`../data/ka3d-T0.44-mini/${name}`, import.meta.url));
    if (!resp.ok) throw new Error(`could not fetch ${name}: HTTP ${resp.status}`);
    out.push(...gb.configurationsFromParsed(gb.parseSystems(new Uint8Array(await resp.arrayBuffer()), name)));
  }
  return out;
}

/** The same call as `glassbox fit --default-data --model ridge,enet --bootstrap 0`, in the page. */
export async function fitExample() {
  const train = await exampleConfigurations([1, 2, 3, 4]);
  const test = await exampleConfigurations([9, 10]);
  return gb.fit({ train, test, features: { potential: 'KA3D' }, models: ['ridge', 'enet'], bootstrap: 0 });
}

/** A table whose first row is the header. */
function grid(el, rows) {
  el.replaceChildren(...rows.map((row, r) => {
    const tr = document.createElement('tr');
    for (const cell of row) {
      const c = document.createElement(r === 0 ? 'th' : 'td');
      c.textContent = cell;
      tr.append(c);
    }
    return tr;
  }));
}

async function runFit() {
  await app.ready;
  const btn = $('fit');
  btn.disabled = true;
  show('note', 'fitting: descriptors, cross-validation, test…');
  await new Promise((r) => setTimeout(r, 30)); // let the note paint: the fit runs on this thread
  try {
    const t0 = performance.now();
    const r = await fitExample();
    app.fit = r;
    const f3 = (x) => (x === null || !Number.isFinite(x) ? '-' : x.toFixed(3));
    grid($('fit-table'), [
      ['model', 'parameters', 'CV r', 'test r', 'test r per configuration', 'nonzero'],
      ...r.models.map((m) => [
        m.model + (m === r.best ? ' *' : ''),
        Object.entries(m.params).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(3)}`).join(' '),
        f3(m.cvScore), f3(m.testPearson), m.testPearsonPerConfig.map(f3).join(' '), `${m.nonzero}/${r.features}`,
      ]),
    ]);
    show('note', `fitted in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${r.rowsTrain} rows x ${r.features} descriptors (${r.structure} structure, ${r.center} centring); * = best by CV.`);
  } catch (e) {
    show('error', describeError(e));
  } finally {
    btn.disabled = false;
  }
}

wire();
$('fit').addEventListener('click', runFit);
app.ready = gb.init().then(
  () => {
    $('status').textContent = `kernels loaded (${gb.wasm().simd ? 'WebAssembly SIMD' : 'WebAssembly, no SIMD'}).`;
    $('status').dataset.ready = '1';
    $('random').disabled = false;
    $('fit').disabled = false;
  },
  (e) => {
    $('status').textContent = '';
    show('error', `Could not load the glassbox kernels: ${e.message}\nServe the repository root (npm run web) after npm run build, and open /web/.`);
    throw e;
  },
);
