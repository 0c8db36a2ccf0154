// glassbox web page: fit your own configurations. The main thread only draws: reading files,
// descriptors, minimisation, fitting and the report's specs run in Web Workers
// (web/worker.js: one engine; web/minimize-worker.js: a pool of navigator.hardwareConcurrency
// FIRE workers), each with its own wasm instance. Plain ESM, no build step (npm run web).
//
// For tests and the console: window.glassboxApp = { files, result, downloads, longest task, ... }.

const $ = (id) => document.getElementById(id);
const app = {
  files: [], // { file: File, role: 'train' | 'test', info }
  result: null,
  downloads: {},
  report: null,
  view: null,
  job: null,
  fits: 0,
  ready: null,
};
window.glassboxApp = app;

const ENGINE = new URL('./worker.js', import.meta.url);
const MINIMIZER = new URL('./minimize-worker.js', import.meta.url);

// ---- messages ----------------------------------------------------------------------------------

function show(el, kind, text) {
  el.className = `message ${kind}`;
  el.textContent = text;
}
const say = (kind, text) => show($('message'), kind, text);

// ---- inspection: what each file holds, re-run on every change of files, box, density, preset ----

let inspector = null;
let inspectSeq = 0;
function inspectorWorker() {
  if (!inspector) {
    inspector = new Worker(ENGINE, { type: 'module' });
    inspector.onmessage = (e) => onInspected(e.data);
    inspector.onerror = (e) => show($('data-message'), 'error', `The file reader stopped: ${e.message ?? 'worker error'}`);
  }
  return inspector;
}

/** The box field: one length or Lx,Ly[,Lz]; null when empty; an Error for anything else. */
function boxValue() {
  const s = $('box').value.trim();
  if (!s) return null;
  const parts = s.split(/[\s,;x×]+/).filter(Boolean).map(Number);
  if (parts.length < 1 || parts.length > 3 || parts.some((x) => !(x > 0) || !Number.isFinite(x))) {
    throw new Error(`The box "${s}" is not a positive length or a list Lx,Ly[,Lz] of positive lengths.`);
  }
  return parts;
}
function densityValue() {
  const s = $('density').value.trim();
  if (!s) return null;
  const x = Number(s);
  if (!(x > 0) || !Number.isFinite(x)) throw new Error(`The number density "${s}" is not a positive number.`);
  return x;
}

function readSettings() {
  const box = boxValue();
  const density = densityValue();
  if (box && density) throw new Error('Give either a box or a density, not both.');
  const t = $('target').value;
  return { box, density, preset: $('preset').value || undefined, target: t.startsWith('column:') ? 'abs' : t, targetColumn: t.startsWith('column:') ? t.slice(7) : undefined };
}

let inspectTimer = 0;
function scheduleInspect() {
  clearTimeout(inspectTimer);
  const stale = $('results-stale');
  if (!$('results-section').classList.contains('hidden') && !stale) {
    const p = document.createElement('p');
    p.id = 'results-stale';
    p.className = 'message warn';
    p.textContent = 'These results are from the previous fit: the files or their settings have changed since. Fit again to update them.';
    $('results-note').before(p);
  }
  inspectTimer = setTimeout(inspect, 120);
}

function inspect() {
  show($('data-message'), '', '');
  let settings;
  try {
    settings = readSettings();
  } catch (e) {
    show($('data-message'), 'error', e.message);
    for (const f of app.files) f.info = { error: 'not read: fix the box or density above' };
    if (!app.result) { app.view = null; $('view-section').classList.add('hidden'); }
    renderFiles();
    return;
  }
  if (!app.files.length) return renderFiles();
  for (const f of app.files) f.info = { pending: true };
  renderFiles();
  const id = ++inspectSeq;
  const order = [...app.files.filter((f) => f.role === 'test'), ...app.files.filter((f) => f.role === 'train')];
  inspectorWorker().postMessage({
    type: 'inspect', id, options: settings, wantView: !app.result,
    files: order.map((f) => f.file),
  });
  app.inspectOrder = order;
}

function onInspected(msg) {
  if (msg.type === 'error') {
    for (const f of app.files) if (!f.info || f.info.pending) f.info = { error: `not read: ${msg.message}` };
    renderFiles();
    return show($('data-message'), 'error', msg.message);
  }
  if (msg.type !== 'inspected' || msg.id !== inspectSeq) return; // a newer inspection is under way
  msg.files.forEach((info, k) => { if (app.inspectOrder[k]) app.inspectOrder[k].info = info; });
  renderFiles();
  updateChoices();
  if (msg.view && !app.result) setView(msg.view);
  if (!msg.view && !app.result) { app.view = null; $('view-section').classList.add('hidden'); }
}

const fmtNum = (x, d = 4) => Number(x.toPrecision(d)).toString();

function renderFiles() {
  const ul = $('files');
  ul.replaceChildren(...app.files.map((f, k) => {
    const li = document.createElement('li');
    li.dataset.file = f.file.name;
    li.dataset.role = f.role;
    const rm = document.createElement('button');
    rm.type = 'button';
    rm.textContent = '×';
    rm.title = `remove ${f.file.name}`;
    rm.setAttribute('aria-label', `remove ${f.file.name}`);
    rm.onclick = () => { app.files.splice(k, 1); scheduleInspect(); renderFiles(); updateFitButton(); };
    const move = document.createElement('button');
    move.type = 'button';
    move.textContent = f.role === 'train' ? 'to test' : 'to train';
    move.onclick = () => { f.role = f.role === 'train' ? 'test' : 'train'; scheduleInspect(); renderFiles(); updateFitButton(); };
    const role = document.createElement('span');
    role.className = `role ${f.role}`;
    role.textContent = f.role;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = f.file.name;
    const line = document.createElement('div');
    const i = f.info;
    if (!i || i.pending) line.textContent = 'reading…';
    else if (i.error) {
      line.className = i.needsBox ? 'warn' : 'err';
      line.textContent = i.error;
      li.dataset.error = '1';
    } else {
      const sp = Object.entries(i.species).map(([l, c]) => `${l}: ${c}`).join(', ');
      line.textContent = `${i.n} particles, ${i.dim}D${i.frames > 1 ? `, ${i.frames} frames` : ''}, box ${i.box.map((L) => fmtNum(L, 6)).join(' × ')}, density ${fmtNum(i.density)}; species ${sp}; target: ${i.target ?? 'none found'}${i.inherent ? '; inherent structure stored' : ''}`;
      li.dataset.density = String(i.density);
    }
    li.append(rm, move, role, name, line);
    for (const w of i?.warnings ?? []) {
      const d = document.createElement('div');
      d.className = 'warn';
      d.textContent = `⚠ ${w}`;
      d.dataset.warning = '1';
      li.append(d);
    }
    return li;
  }));
  const warnings = app.files.filter((f) => f.info?.warnings?.length).length;
  const needBox = app.files.filter((f) => f.info?.needsBox).length;
  const errors = app.files.filter((f) => f.info?.error && !f.info.needsBox).length;
  if (errors || warnings || needBox) {
    show($('data-message'), errors ? 'error' : 'warn', [needBox ? `${needBox} file${needBox > 1 ? 's store' : ' stores'} no box: enter the box side(s) or the number density above.` : '', errors ? `${errors} file${errors > 1 ? 's' : ''} could not be read (see below).` : '', warnings ? `${warnings} file${warnings > 1 ? 's look' : ' looks'} implausible (see the warnings below) — check the box and the preset before fitting.` : ''].filter(Boolean).join(' '));
  } else if (!$('data-message').classList.contains('error') || app.files.length) show($('data-message'), '', '');
  updateFitButton();
}

/** Target columns and species from what the files hold. */
function updateChoices() {
  const infos = app.files.map((f) => f.info).filter((i) => i && !i.error && !i.pending);
  const tsel = $('target');
  const cur = tsel.value;
  const cols = [...new Set(infos.flatMap((i) => i.columns))];
  for (const o of [...tsel.options]) if (o.value.startsWith('column:')) o.remove();
  for (const c of cols) tsel.add(new Option(`column ${c}`, `column:${c}`));
  tsel.value = [...tsel.options].some((o) => o.value === cur) ? cur : 'abs';
  const ssel = $('species');
  const scur = ssel.value;
  const labels = [...new Set(infos.flatMap((i) => Object.keys(i.species)))];
  // with a preset the labels are the preset's names (0/1 -> A/B); the worker resolves them
  const preset = $('preset').value;
  const names = preset === 'KA3D' ? ['A', 'B'] : preset === 'KA2D' ? ['1', '2', '3'] : labels;
  ssel.replaceChildren(new Option('first (default)', ''), ...names.map((l) => new Option(l, l)));
  ssel.value = names.includes(scur) ? scur : '';
}

// ---- adding files -----------------------------------------------------------------------------

function addFiles(list, role) {
  const files = [...(list ?? [])];
  if (!files.length) return;
  for (const file of files) {
    const same = app.files.findIndex((f) => f.file.name === file.name && f.role === role);
    if (same >= 0) app.files[same] = { file, role }; // choosing a file again replaces it
    else app.files.push({ file, role });
  }
  app.result = null;
  scheduleInspect();
  renderFiles();
}

function wireDrop(zone, input, role) {
  input.addEventListener('change', () => {
    addFiles(input.files, role);
    input.value = ''; // the same file chosen again fires a change event again
  });
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    addFiles(e.dataTransfer?.files, role); // every dropped file is used
  });
}

function updateFitButton() {
  const train = app.files.filter((f) => f.role === 'train').length;
  const test = app.files.filter((f) => f.role === 'test').length;
  const ready = $('status').dataset.ready === '1';
  const bad = app.files.filter((f) => f.info?.error).length;
  const pending = app.files.some((f) => !f.info || f.info.pending);
  $('fit').disabled = !ready || !!app.job || train < 2 || bad > 0 || pending;
  $('example').disabled = !ready || !!app.job;
  $('fit-note').textContent = app.job ? ''
    : train < 2 ? 'add at least two training configurations'
    : bad ? `fix or remove the file${bad > 1 ? 's' : ''} that cannot be read`
    : pending ? 'reading the files…'
    : `${train} training / ${test} test configuration file${train + test > 1 ? 's' : ''}`;
}

// ---- the fit ------------------------------------------------------------------------------------

function fitOptions() {
  const s = readSettings();
  const models = [...document.querySelectorAll('input[name=model]:checked')].map((x) => x.value);
  if (!models.length) throw new Error('Choose at least one model.');
  const folds = Number($('folds').value);
  if (!Number.isInteger(folds) || folds < 2) throw new Error('CV folds must be a whole number, 2 or more.');
  const bootstrap = Number($('bootstrap').value);
  if (!Number.isInteger(bootstrap) || bootstrap < 0) throw new Error('Bootstrap resamples must be a whole number, 0 or more.');
  const l1Ratios = $('l1').value.split(/[\s,;]+/).filter(Boolean).map(Number);
  if (!l1Ratios.length || l1Ratios.some((x) => !(x > 0 && x <= 1))) throw new Error('Elastic-net l1 ratios must be numbers in (0, 1], e.g. 0.5 or 0.1, 0.5, 0.9.');
  const structure = $('structure').value;
  if (structure && structure !== 'thermal' && !s.preset) throw new Error(`The ${structure} structure is an energy minimum: choose a potential preset (KA3D or KA2D), or the thermal structure.`);
  return { ...s, species: $('species').value || undefined, structure: structure || undefined, models, folds, center: $('center').value, l1Ratios, bootstrap };
}

const STAGE_NAMES = { reading: 'reading files', minimise: 'inherent structures', descriptors: 'descriptors', diagnostics: 'diagnostics', report: 'report', predictions: 'predictions', features: 'feature matrix' };

function setProgress(stage, done, total) {
  const key = stage.replace(/[^a-z0-9]+/gi, '-');
  let row = $('progress').querySelector(`[data-stage="${key}"]`);
  if (!row) {
    row = document.createElement('div');
    row.className = 'stage';
    row.dataset.stage = key;
    const label = document.createElement('span');
    label.textContent = STAGE_NAMES[stage] ?? stage.replace(/^cv /, 'CV + fit ');
    const bar = document.createElement('progress');
    bar.setAttribute('aria-label', label.textContent);
    const n = document.createElement('span');
    n.className = 'n';
    row.append(label, bar, n);
    $('progress').append(row);
  }
  const [, bar, n] = row.children;
  // the pipeline's stages run one after the other: a new stage completes the ones before it
  for (const other of $('progress').children) if (other !== row && other.dataset.done !== 'true') finish(other);
  if (/^cv /.test(stage)) {
    bar.removeAttribute('value'); // `cv <model>` is announced once, when it starts: indeterminate until the next stage
    n.textContent = '…';
    row.dataset.done = 'false';
    return;
  }
  bar.max = Math.max(1, total);
  bar.value = Math.min(done, total);
  n.textContent = total > 1 ? `${done}/${total}` : done >= total ? 'done' : '…';
  row.dataset.done = String(done >= total);
}

function finish(row) {
  const [, bar, n] = row.children;
  bar.max = 1;
  bar.value = 1;
  n.textContent = 'done';
  row.dataset.done = 'true';
}

function stopJob(reason) {
  const j = app.job;
  if (!j) return;
  j.engine.terminate();
  for (const w of j.pool) w.terminate();
  app.job = null;
  $('cancel').disabled = true;
  updateFitButton();
  if (reason) say(reason.kind, reason.text);
}

async function startFit() {
  if (app.job) return;
  let opts;
  try {
    opts = fitOptions();
  } catch (e) {
    return say('error', e.message);
  }
  const train = app.files.filter((f) => f.role === 'train').map((f) => f.file);
  const test = app.files.filter((f) => f.role === 'test').map((f) => f.file);
  if (train.length < 2) return say('error', 'Add at least two training configurations (grouped cross-validation needs two).');
  const id = ++app.fits;
  app.lastJob?.engine.terminate(); // the previous fit's engine (kept for on-demand downloads)
  app.lastJob = null;
  const engine = new Worker(ENGINE, { type: 'module' });
  const job = { id, engine, pool: [], t0: performance.now(), done: false };
  app.job = job;
  app.result = null;
  app.report = null;
  for (const url of Object.values(app.downloads)) URL.revokeObjectURL(url);
  app.downloads = {};
  $('downloads').replaceChildren();
  $('results').replaceChildren();
  $('results-stale')?.remove();
  $('report').replaceChildren();
  $('results-section').classList.add('hidden');
  $('report-section').classList.add('hidden');
  $('progress').replaceChildren();
  if (app.view?.predicted) { // the previous fit's predictions are not this fit's
    app.view.predicted = null;
    app.viewColourChosen = false;
    setView(app.view);
  }
  $('cancel').disabled = false;
  updateFitButton();
  say('note', 'Fitting in the background: the page stays usable; Cancel stops it.');
  engine.onmessage = (e) => onEngine(job, e.data);
  engine.onerror = (e) => {
    stopJob({ kind: 'error', text: `The fit stopped unexpectedly: ${e.message ?? 'worker error'}` });
  };
  engine.postMessage({ type: 'fit', id, options: opts, train, test });
}

function onEngine(job, msg) {
  if (app.job !== job && app.lastJob !== job) return; // cancelled
  switch (msg.type) {
    case 'progress':
      return setProgress(msg.stage, msg.done, msg.total);
    case 'minimise':
      return minimiseForEngine(job, msg);
    case 'result':
      app.result = msg.result;
      app.fitSeconds = (performance.now() - job.t0) / 1000;
      renderResults(msg.result, msg.warnings);
      return;
    case 'download':
      return addDownload(msg);
    case 'offer':
      return offerDownload(job, msg);
    case 'report':
      app.report = msg;
      renderReport(msg);
      return;
    case 'view':
      return setView(msg.view);
    case 'warning':
      return say('warn', msg.message);
    case 'done':
      app.totalSeconds = (performance.now() - job.t0) / 1000;
      for (const row of $('progress').children) finish(row);
      job.done = true;
      app.job = null;
      app.lastJob = job;
      $('cancel').disabled = true;
      updateFitButton();
      $('fit-note').textContent = `done in ${app.totalSeconds.toFixed(1)} s`;
      document.body.dataset.fitDone = String(job.id);
      return;
    case 'error':
      stopJob({ kind: 'error', text: msg.message });
  }
}

/**
 * FIRE minima of `systems` ({ name, n, dim, box, positions, species, labels }) on
 * navigator.hardwareConcurrency workers (one wasm instance each); `pool` collects the workers
 * (terminated when done, or by Cancel). Resolves to { positions, converged, iterations, maxForce, seconds } per system.
 */
export function minimiseOnPool(systems, preset, pool = [], onProgress = () => {}) {
  return new Promise((resolve, reject) => {
    const n = systems.length;
    const k = Math.max(1, Math.min(n, navigator.hardwareConcurrency || 2));
    const results = new Array(n);
    let next = 0, done = 0;
    const stop = () => { for (const w of pool) w.terminate(); pool.length = 0; };
    const feed = (w) => {
      if (next >= n) return;
      const i = next++;
      const s = systems[i];
      w.postMessage({ k: i, preset, system: s }, [s.box.buffer, s.positions.buffer, s.species.buffer]);
    };
    onProgress(0, n);
    for (let t = 0; t < k; t++) {
      const w = new Worker(MINIMIZER, { type: 'module' });
      pool.push(w);
      w.onmessage = (e) => {
        if (e.data.error) { stop(); return reject(new Error(`Minimisation of ${systems[e.data.k].name} failed: ${e.data.error}`)); }
        results[e.data.k] = e.data.result;
        done++;
        onProgress(done, n);
        if (done === n) { stop(); resolve(results); } else feed(w);
      };
      w.onerror = (e) => { stop(); reject(new Error(`A minimisation worker stopped: ${e.message ?? 'worker error'}`)); };
      feed(w);
    }
  });
}
app.minimiseOnPool = minimiseOnPool;

/** The engine asks for inherent structures: the pool computes them, the engine gets them back. */
function minimiseForEngine(job, msg) {
  minimiseOnPool(msg.systems, msg.preset, job.pool, (d, t) => app.job === job && setProgress('minimise', d, t)).then(
    (results) => app.job === job && job.engine.postMessage({ type: 'inherent', id: job.id, results }, results.map((r) => r.positions.buffer)),
    (e) => app.job === job && stopJob({ kind: 'error', text: e.message }),
  );
}

const f3 = (x) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(3));

function renderResults(r, warnings) {
  const t = $('results');
  const head = document.createElement('tr');
  for (const [h, cls] of [['model', ''], ['parameters', ''], ['CV r ± sd', ''], ['test r', ''], ['test r per configuration', 'per-config'], ['nonzero', '']]) {
    const th = document.createElement('th');
    th.textContent = h;
    if (cls) th.className = cls;
    th.scope = 'col';
    head.append(th);
  }
  const rows = r.models.map((m) => {
    const tr = document.createElement('tr');
    tr.dataset.model = m.model;
    tr.dataset.cv = String(m.cvScore); // full precision (String() of a double round-trips)
    tr.dataset.cvSd = String(m.cvStd);
    tr.dataset.testR = m.testPearson === null ? '' : String(m.testPearson);
    if (m.error) tr.dataset.error = m.error;
    const params = Object.entries(m.params).map(([k, v]) => `${k === 'l1Ratio' ? 'l1' : k}=${Number.isInteger(v) ? v : v.toPrecision(3)}`).join(' ');
    const cells = m.error
      ? [m.model, 'failed', m.error, '–', '–', '–']
      : [m.model + (m.model === r.best ? ' ★' : ''), params, `${f3(m.cvScore)} ± ${f3(m.cvStd)}`, f3(m.testPearson), m.testPearsonPerConfig.map(f3).join(' ') || '–', `${m.nonzero}/${r.features}`];
    cells.forEach((c, k) => {
      const td = document.createElement('td');
      td.textContent = c;
      if (k === 4) td.className = 'per-config';
      tr.append(td);
    });
    return tr;
  });
  t.replaceChildren(head, ...rows);
  $('results-note').textContent = `${r.train.length} training / ${r.test.length} test configurations, species ${r.species}, ${r.rowsTrain} training rows × ${r.features} descriptors (${r.structure} structure, ${r.center} centring), fitted in ${app.fitSeconds.toFixed(1)} s (${r.simd ? 'WebAssembly SIMD' : 'WebAssembly'}). ★ best by CV; r: Pearson per configuration, averaged.`;
  $('results-section').classList.remove('hidden');
  say(warnings?.length ? 'warn' : 'note', warnings?.length ? warnings.join('\n') : 'Fitted. The downloads, the system view and the report follow below as they are ready.');
}

const DOWNLOAD_LABELS = {
  model: 'model.json (glassbox predict)', results: 'results.json', report: 'report.html',
  'predictions-xyz': 'predictions (.xyz)', 'predictions-npy': 'predictions (.npy)', 'predictions-meta': 'predictions metadata (.json)',
  features: 'feature matrix (.npy)', 'feature-names': 'feature names (.json)',
};

/** A download made when it is asked for (the feature matrix: the descriptors again). */
function offerDownload(job, msg) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = '#';
  a.download = msg.name;
  a.setAttribute('data-testid', `download-${msg.what}`);
  a.textContent = `⤓ ${DOWNLOAD_LABELS[msg.what] ?? msg.name}`;
  a.title = `${msg.name}: computed when you click (a few seconds)`;
  a.addEventListener('click', (e) => {
    if (a.dataset.ready) return;
    e.preventDefault();
    if (a.dataset.pending) return;
    a.dataset.pending = '1';
    a.textContent = `⏳ ${DOWNLOAD_LABELS[msg.what] ?? msg.name}: computing…`;
    job.engine.postMessage({ type: msg.what, id: job.id });
  });
  li.append(a);
  $('downloads').append(li);
}

function addDownload(msg) {
  const blob = msg.blob;
  const url = URL.createObjectURL(blob);
  app.downloads[msg.what] = url;
  const offered = $('downloads').querySelector(`[data-testid="download-${msg.what}"]`);
  if (offered) {
    offered.href = url;
    offered.dataset.ready = '1';
    delete offered.dataset.pending;
    offered.textContent = `⤓ ${DOWNLOAD_LABELS[msg.what] ?? msg.name}`;
    offered.title = `${msg.name}, ${(blob.size / 1e6).toFixed(1)} MB`;
    offered.click(); // the download the user asked for
    return;
  }
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = url;
  a.download = msg.name;
  a.setAttribute('data-testid', `download-${msg.what}`);
  a.textContent = `⤓ ${DOWNLOAD_LABELS[msg.what] ?? msg.name}`;
  a.title = `${msg.name}, ${blob.size > 1e6 ? (blob.size / 1e6).toFixed(1) + ' MB' : Math.ceil(blob.size / 1e3) + ' kB'}`;
  li.append(a);
  $('downloads').append(li);
}

// ---- the report: the CLI report's vega-lite specs, drawn interactively ---------------------------

function vegaReady() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const poll = () => (window.vega ? resolve() : performance.now() - t0 > 20000 ? reject(new Error('vega did not load')) : setTimeout(poll, 50));
    poll();
  });
}

/**
 * Swap a chart's static SVG (rendered by vega in the worker, as in report.html) for a live vega
 * view of the same spec (compiled in the worker): tooltips, pan and zoom. Done when the pointer
 * or the keyboard focus first reaches the chart, so drawing the report never blocks the page.
 */
async function goLive(fig, chart) {
  if (fig.dataset.live) return;
  fig.dataset.live = 'pending';
  await vegaReady();
  const holder = fig.querySelector('.plot');
  const box = holder.getBoundingClientRect();
  holder.style.minHeight = `${Math.round(box.height)}px`;
  const el = document.createElement('div');
  const view = new window.vega.View(window.vega.parse(chart.vega), { renderer: 'canvas', container: el, hover: true });
  await view.runAsync();
  holder.replaceChildren(el);
  holder.style.minHeight = '';
  fig.dataset.live = '1';
  fig.view = view;
}

function tableEl(t) {
  const wrap = document.createElement('div');
  wrap.className = 'report-table';
  const table = document.createElement('table');
  const head = document.createElement('tr');
  for (const c of t.columns) { const th = document.createElement('th'); th.textContent = c; head.append(th); }
  table.append(head);
  for (const r of t.rows) {
    const tr = document.createElement('tr');
    for (const c of r) { const td = document.createElement('td'); td.textContent = c === null ? '–' : String(c); tr.append(td); }
    table.append(tr);
  }
  wrap.append(table);
  return wrap;
}

async function renderReport(msg) {
  const root = $('report');
  root.replaceChildren();
  $('report-section').classList.remove('hidden');
  const jobAtStart = app.fits;
  for (const s of msg.sections) {
    const h = document.createElement('h3');
    h.textContent = s.heading;
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = s.text;
    root.append(h, p);
    if (s.table) root.append(tableEl(s.table));
    for (const c of s.charts) {
      const fig = document.createElement('figure');
      fig.className = 'chart';
      fig.dataset.chart = c.name;
      fig.setAttribute('aria-label', c.title);
      const holder = document.createElement('div');
      holder.className = 'plot';
      const cap = document.createElement('figcaption');
      cap.className = 'caption';
      cap.textContent = c.caption;
      fig.append(holder, cap);
      root.append(fig);
      // one chart per task, so inserting them never blocks the page for long
      await new Promise((r) => setTimeout(r, 0));
      if (app.fits !== jobAtStart) return;
      holder.innerHTML = c.svg; // vega's own SVG (worker), ids scoped per chart
      fig.dataset.drawn = '1';
      fig.tabIndex = 0;
      const live = () => goLive(fig, c).catch((e) => { fig.dataset.live = 'failed'; cap.textContent += ` (interactive view unavailable: ${e.message})`; });
      fig.addEventListener('pointerenter', live, { once: true });
      fig.addEventListener('focus', live, { once: true });
    }
  }
  root.dataset.drawn = String(msg.sections.reduce((n, s) => n + s.charts.length, 0));
}

// ---- the slab view ------------------------------------------------------------------------------

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1'];
// viridis at 9 stops
const VIRIDIS = [[68, 1, 84], [71, 44, 122], [59, 81, 139], [44, 113, 142], [33, 144, 141], [39, 173, 129], [92, 200, 99], [170, 220, 50], [253, 231, 37]];
function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  const c = VIRIDIS[i].map((v, k) => Math.round(v + f * (VIRIDIS[i + 1][k] - v)));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}
function ranks(v) {
  const idx = Array.from(v, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const out = new Float64Array(v.length);
  idx.forEach((i, k) => (out[i] = v.length > 1 ? k / (v.length - 1) : 0.5));
  return out;
}

function setView(view) {
  app.view = view;
  $('view-section').classList.remove('hidden');
  const is3 = view.dim === 3;
  for (const id of ['view-axis-label', 'view-center-label', 'view-width-label']) $(id).classList.toggle('hidden', !is3);
  const colour = $('view-colour');
  colour.querySelector('[value=truth]').disabled = !view.truth;
  colour.querySelector('[value=predicted]').disabled = !view.predicted;
  if (view.predicted && !app.viewColourChosen) colour.value = 'predicted';
  if (colour.selectedOptions[0]?.disabled) colour.value = 'species';
  drawView();
}

function drawView() {
  const v = app.view;
  if (!v) return;
  const canvas = $('view');
  const size = Math.min(440, Math.max(240, (canvas.parentElement?.clientWidth ?? 440) - 4));
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(size * dpr);
  canvas.height = Math.round(size * dpr);
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  const D = v.dim;
  const axis = D === 3 ? Number($('view-axis').value) : -1;
  const [ax, ay] = D === 2 ? [0, 1] : axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
  const Lx = v.box[ax], Ly = v.box[ay];
  const scale = (size - 2) / Math.max(Lx, Ly);
  const wrap = (x, L) => x - L * Math.floor(x / L);
  const by = $('view-colour').value;
  const values = by === 'truth' ? v.truth : by === 'predicted' ? v.predicted : null;
  const pct = values ? ranks(values) : null;
  let center = 0, half = Infinity;
  if (D === 3) {
    const L = v.box[axis];
    center = Number($('view-center').value) * L;
    half = Math.max(0.05, Number($('view-width').value) || 1) / 2;
  }
  const shown = [];
  for (let i = 0; i < v.species.length; i++) {
    let depth = 0;
    if (D === 3) {
      const L = v.box[axis];
      let dz = wrap(v.positions[i * 3 + axis] - center, L);
      if (dz > L / 2) dz -= L;
      if (Math.abs(dz) > half) continue;
      depth = dz;
    }
    shown.push([i, depth]);
  }
  shown.sort((a, b) => a[1] - b[1]); // far side first
  const diam = (s) => (v.labels.length === 2 && s === 1 ? 0.88 : 1);
  for (const [i] of shown) {
    const x = wrap(v.positions[i * D + ax], Lx) * scale + 1;
    const y = size - 1 - wrap(v.positions[i * D + ay], Ly) * scale;
    ctx.beginPath();
    ctx.arc(x, y, Math.max(1.2, 0.5 * diam(v.species[i]) * scale * 0.85), 0, 2 * Math.PI);
    ctx.fillStyle = pct ? viridis(pct[i]) : PALETTE[v.species[i] % PALETTE.length];
    ctx.fill();
    ctx.strokeStyle = 'rgba(0,0,0,.25)';
    ctx.lineWidth = 0.5;
    ctx.stroke();
  }
  ctx.strokeStyle = '#999';
  ctx.strokeRect(0.5, size - 1 - Ly * scale, Lx * scale + 1, Ly * scale + 0.5);
  const names = 'xyz';
  const legend = $('view-legend');
  const lines = [
    `${v.name}: ${D === 3 ? `slab |${names[axis]} − ${fmtNum(center, 3)}| ≤ ${fmtNum(half, 3)}, projected on ${names[ax]}${names[ay]}` : `the whole ${fmtNum(Lx, 4)} × ${fmtNum(Ly, 4)} box`}; ${shown.length} of ${v.species.length} particles.`,
    pct ? `Colour: ${by === 'truth' ? 'true propensity' : 'predicted propensity'}, percentile within the configuration (dark purple = least mobile, yellow = most mobile).` : `Colour: species ${v.labels.map((l, k) => `${l} = ${['blue', 'orange', 'green', 'red', 'teal', 'yellow', 'purple'][k % 7]}`).join(', ')}.`,
  ];
  legend.replaceChildren(...lines.map((t) => { const p = document.createElement('p'); p.textContent = t; return p; }));
  canvas.dataset.shown = String(shown.length);
  canvas.dataset.colour = by;
}

// ---- the embedded example -------------------------------------------------------------------------

/** Train configs 1-4 and test 9-10 of data/ka3d-T0.44-mini, preset KA3D: `glassbox fit --default-data`. */
async function loadExample() {
  const get = async (i) => {
    const name = `config${i}.npz`;
    const resp = await fetch(new URL(`../data/ka3d-T0.44-mini/${name}`, import.meta.url));
    if (!resp.ok) throw new Error(`could not fetch the example ${name}: HTTP ${resp.status}`);
    return new File([await resp.arrayBuffer()], name);
  };
  const train = await Promise.all([1, 2, 3, 4].map(get));
  const test = await Promise.all([9, 10].map(get));
  app.files = [...train.map((file) => ({ file, role: 'train' })), ...test.map((file) => ({ file, role: 'test' }))];
  $('box').value = '';
  $('density').value = '';
  $('preset').value = 'KA3D';
  $('structure').value = '';
  $('target').value = 'abs';
  renderFiles();
  scheduleInspect();
}

// ---- long tasks (for the tests and the README's figures) --------------------------------------------

app.longTasks = [];
try {
  new PerformanceObserver((list) => { for (const e of list.getEntries()) app.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: 'longtask', buffered: true });
} catch { /* no longtask entries in this browser */ }
/** Longest main-thread task (ms) that started at or after t0 (performance.now() time). */
app.longestTaskSince = (t0) => app.longTasks.filter((t) => t.start >= t0).reduce((m, t) => Math.max(m, t.duration), 0);

// ---- wiring -----------------------------------------------------------------------------------------

function wire() {
  wireDrop($('drop-train'), $('train-files'), 'train');
  wireDrop($('drop-test'), $('test-files'), 'test');
  for (const id of ['box', 'density']) $(id).addEventListener('input', scheduleInspect);
  for (const id of ['preset', 'target']) $(id).addEventListener('change', () => { updateChoices(); scheduleInspect(); });
  $('fit').addEventListener('click', startFit);
  $('cancel').addEventListener('click', () => stopJob({ kind: 'note', text: 'Cancelled: the fit was stopped (its workers terminated).' }));
  $('example').addEventListener('click', async () => {
    try {
      await loadExample();
      await startFit();
    } catch (e) {
      say('error', e.message);
    }
  });
  $('view-colour').addEventListener('change', () => { app.viewColourChosen = true; drawView(); });
  for (const id of ['view-axis', 'view-center', 'view-width']) $(id).addEventListener('input', drawView);
  let rt = 0;
  window.addEventListener('resize', () => { clearTimeout(rt); rt = setTimeout(drawView, 100); });
}

wire();
app.ready = new Promise((resolve, reject) => {
  const w = inspectorWorker();
  const prev = w.onmessage;
  w.onmessage = (e) => {
    if (e.data.type === 'pong') {
      w.onmessage = prev;
      $('status').textContent = `Kernels loaded in the workers (${e.data.simd ? 'WebAssembly SIMD' : 'WebAssembly, no SIMD'}); ${navigator.hardwareConcurrency || 1} cores for minimisation.`;
      $('status').dataset.ready = '1';
      updateFitButton();
      resolve();
    } else if (e.data.type === 'error') {
      $('status').textContent = '';
      show($('message'), 'error', `Could not load the glassbox kernels: ${e.data.message}\nServe the repository root (npm run web) after npm run build, and open /web/.`);
      reject(new Error(e.data.message));
    }
  };
  w.postMessage({ type: 'ping', id: 0 });
});
updateFitButton();
