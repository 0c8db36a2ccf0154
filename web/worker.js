// The page's engine worker (web/app.js starts it): one wasm instance, off the main thread.
// It loads the browser build from web/gen/ (dist/ with its bare imports resolved for workers:
// scripts/build-web.mjs) and runs the same functions as `glassbox fit` / `glassbox predict`:
//
//   inspect  files + box/density/preset -> what each file holds, plausibility warnings, and the
//            particles of the first configuration for the slab view
//   fit      files + options -> configurations -> (inherent structures: asked from the page,
//            which minimises them on a pool of workers) -> fit() with progress events ->
//            results, model.json, results.json, the report (sections + vega-lite specs + one
//            HTML file), predictions (.xyz, .npy) and the feature matrix (.npy + names)
//
// Messages to the page: { id, type: 'progress' | 'result' | 'download' | 'report' | 'view' |
// 'done' | 'error' | 'minimise', ... }. The page cancels a job by terminating this worker.

import * as api from './gen/src/browser.js';
import * as internal from './gen/src/internal.js';

// the public API plus the internal helpers this page uses (src/internal.ts)
const gb = { ...api, ...internal };
import { simdSupported } from './gen/src/wasm/memory.js';

const ready = (async () => {
  const simd = simdSupported();
  await gb.init(new URL(`../build/${simd ? 'glassbox.simd.wasm' : 'glassbox.wasm'}`, import.meta.url));
  return { simd };
})();

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
/** A file for the page to download: made into a Blob here, so the page never copies the bytes. */
const download = (id, what, name, mime, data) => post({ id, type: 'download', what, name, blob: new Blob([data], { type: mime }) });

/** Presets' usual number density (for the "density off by more than 3x" warning). */
const PRESET_DENSITY = { KA3D: 1.2, KA2D: 1.2 }; // BOTAN KA 3D: 4096 / 15.0566^3; GlassBench KA2D: 1290 / 32.8962^2 = 1.19

/** The file's content as the readers want it (text or bytes); a binary file named as text is refused. */
async function content(file) {
  const format = gb.detectFormat(file.name);
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (format === 'npz' || format === 'npy') return bytes;
  // a text format: refuse binary data rather than print garbage in a parse error
  const head = bytes.subarray(0, 4096);
  let control = 0;
  for (const b of head) if (b === 0 || (b < 32 && b !== 9 && b !== 10 && b !== 13)) control++;
  if (head.length && control > Math.max(1, head.length * 0.01)) {
    throw new gb.InputError(`${file.name} is not a text file: it looks binary (${control} control bytes in its first ${head.length}), but ".${file.name.split('.').pop()}" files are text. Is it the right file, or does it need another extension (.npz, .npy)?`);
  }
  return new TextDecoder('utf-8').decode(bytes);
}

function readOptions(o) {
  const r = {};
  if (o.box && o.box.length) r.box = o.box.length === 1 ? o.box[0] : o.box;
  if (o.density) r.density = o.density;
  return r;
}

async function readConfigurations(files, o, warnings, targetColumn) {
  const out = [];
  for (const f of files) {
    const parsed = gb.parseSystems(await content(f), f.name, readOptions(o));
    out.push(...gb.configurationsFromParsed(parsed, { target: o.target ?? 'abs', targetColumn, requireTarget: o.requireTarget, onWarning: (m) => warnings.push(m) }));
  }
  return out;
}

// ---- inspect ----------------------------------------------------------------------------------

/**
 * Warnings for an implausible system. `userBox`: the box came from the page (the file stores
 * none), so the positions should lie in it (BOTAN files are wrapped); a box stored in the file
 * may come with unwrapped positions (GlassBench KA2D: up to 1.2 box lengths out), so only
 * positions several box lengths out are flagged then.
 */
function plausibility(sys, preset, userBox) {
  const warnings = [];
  const D = sys.dim;
  const volume = Array.from(sys.box).reduce((p, L) => p * L, 1);
  const density = sys.n / volume;
  // positions far outside the box (more than half a box length beyond a face for a box given
  // here, more than 5 for a box the file stores)
  const far = userBox ? 0.5 : 5;
  let outside = 0, worst = 0;
  for (let i = 0; i < sys.n; i++) {
    let out = false;
    for (let a = 0; a < D; a++) {
      const L = sys.box[a];
      const x = sys.positions[i * D + a];
      const beyond = x < 0 ? -x / L : x > L ? x / L - 1 : 0;
      if (beyond > far) out = true;
      worst = Math.max(worst, beyond);
    }
    if (out) outside++;
  }
  if (outside) warnings.push(`${outside} of ${sys.n} particles lie far outside the box (up to ${worst.toFixed(1)} box lengths beyond it): is the box right?`);
  const pot = preset ? gb.preset(preset) : null;
  const dmin = pot ? Math.min(...pot.diameters) : 1;
  if (pot && PRESET_DENSITY[pot.name] && (density > 3 * PRESET_DENSITY[pot.name] || density < PRESET_DENSITY[pot.name] / 3)) {
    warnings.push(`number density ${density.toPrecision(4)} is more than 3x away from the ${pot.name} preset's ${PRESET_DENSITY[pot.name]}: is the box right?`);
  }
  const cut = 0.5 * dmin;
  let close = 0;
  if (cut <= 0.5 * Math.min(...sys.box)) {
    const q = new gb.NeighborQuery(sys, cut);
    try { close = q.countPairs(); } finally { q.free(); }
  }
  if (close) warnings.push(`${close} particle pair${close === 1 ? ' is' : 's are'} closer than ${cut} (half the smallest diameter${pot ? ` of ${pot.name}` : ', taken as 1'}): overlapping particles; is the box right?`);
  return { density, warnings };
}

async function inspect(msg) {
  const o = msg.options;
  const files = [];
  let view = null;
  for (const f of msg.files) {
    try {
      const src = await content(f);
      const parsed = gb.parseSystems(src, f.name, readOptions(o));
      const sys = parsed.frames[0].system;
      let userBox = !!(o.box || o.density);
      try { userBox = gb.summarize(src, f.name).box === null; } catch { /* keep the guess */ }
      const p = plausibility(sys, o.preset, userBox);
      const cols = Object.keys(sys.columns).filter((k) => !Array.isArray(sys.columns[k]));
      let target = null;
      try {
        const cs = gb.configurationsFromParsed(parsed, { target: o.target ?? 'abs', targetColumn: o.targetColumn || undefined, requireTarget: false });
        target = cs[0].targetSource ?? null;
        if (!view && msg.wantView) view = viewData(cs[0], o.preset);
      } catch (e) {
        if (!p.warnings.includes(pageMessage(e))) p.warnings.push(pageMessage(e));
      }
      let species = gb.speciesCounts(sys);
      if (o.preset) {
        try { species = gb.speciesCounts(gb.resolvedSystem(sys, { potential: o.preset })); } catch (e) { p.warnings.push(pageMessage(e)); }
      }
      p.warnings = [...new Set(p.warnings)];
      files.push({
        name: f.name, format: parsed.format, frames: parsed.frames.length, n: sys.n, dim: sys.dim, box: Array.from(sys.box),
        density: p.density, species, columns: cols, runs: parsed.runs?.length ?? 0, inherent: !!parsed.inherent,
        target, warnings: p.warnings,
      });
    } catch (e) {
      const error = pageMessage(e);
      files.push({ name: f.name, error, needsBox: /stores no box/.test(error) });
    }
  }
  const transfer = view ? [view.positions.buffer, view.species.buffer, ...(view.truth ? [view.truth.buffer] : [])] : [];
  post({ id: msg.id, type: 'inspected', files, view }, transfer);
}

/** What the slab view draws: positions, species index and labels, true propensity. */
function viewData(c, preset, predicted) {
  let rs = c.system;
  try {
    if (preset) rs = gb.resolvedSystem(c.system, { potential: preset });
  } catch { /* the preset does not fit this system (told in the file's warnings): its own labels */ }
  return {
    name: c.name, dim: rs.dim, box: Array.from(rs.box), positions: Float64Array.from(rs.positions), species: Int32Array.from(rs.species), labels: [...rs.labels],
    truth: c.target ? Float64Array.from(c.target) : null, predicted: predicted ? Float64Array.from(predicted) : null,
  };
}

// ---- errors in the page's words -----------------------------------------------------------------

const CLI_WORDS = [
  [/ \[box\]: the file stores no box and none was given: pass the box side length\(s\) \(--box L, or the box option\)/g, ' stores no box: enter it in the box field above'],
  [/pass the box side length\(s\) \(--box L, or the box option\)/g, 'enter the box side(s) in the box field above'],
  [/drop --box or fix it/g, 'clear the box field or fix it'],
  [/give --target-column NAME/g, 'choose one of its columns as the target'],
  [/--box L or Lx,Ly\[,Lz\]|--box L|--box/g, 'the box field'],
  [/--density RHO|--density/g, 'the density field'],
  [/--target-column NAME|--target-column/g, 'a stored column as the target'],
  [/--preset KA3D|--preset/g, 'a potential preset'],
  [/--species-order/g, 'the species order'],
  [/--structure/g, 'the structure choice'],
  [/--model/g, 'the model choice'],
  [/--folds/g, 'the folds field'],
  [/\(e\.g\. a potential preset\)/g, '(choose a potential preset)'],
  [/--([a-z][a-z0-9-]*)/g, 'the $1 option'],
];

/** An error as the page says it: the page's words for CLI flags, no control characters, bounded length. */
export function pageMessage(e) {
  let m = e instanceof gb.GlassboxError ? e.message : `unexpected error: ${e?.message ?? e}`;
  for (const [re, w] of CLI_WORDS) m = m.replace(re, w);
  // eslint-disable-next-line no-control-regex
  m = m.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]+/g, '\u2026');
  return m.length > 600 ? m.slice(0, 600) + '\u2026' : m;
}

// ---- the report's charts, interactive ------------------------------------------------------------

/** Tooltips on every mark; pan/zoom (bind: scales) on the first unit view with two quantitative axes. */
export function interactive(spec) {
  const s = structuredClone(spec);
  s.config = { ...(s.config ?? {}), mark: { ...(s.config?.mark ?? {}), tooltip: true } };
  const quant = (enc) => enc?.x?.type === 'quantitative' && enc?.y?.type === 'quantitative' && enc.x.field && enc.y.field;
  let added = false;
  const visit = (u, inherited) => {
    if (added || !u || typeof u !== 'object') return;
    const enc = { ...(inherited ?? {}), ...(u.encoding ?? {}) };
    if (u.mark && quant(enc)) {
      u.params = [...(u.params ?? []), { name: 'zoom', select: 'interval', bind: 'scales' }];
      added = true;
      return;
    }
    for (const l of u.layer ?? []) visit(l, enc);
    if (u.spec) visit(u.spec, enc);
  };
  visit(s, {});
  if (added) {
    // zoomed marks stay inside the plot
    const clip = (u) => {
      if (!u || typeof u !== 'object') return;
      if (u.mark) u.mark = typeof u.mark === 'string' ? { type: u.mark, clip: true } : { ...u.mark, clip: true };
      for (const l of u.layer ?? []) clip(l);
      if (u.spec) clip(u.spec);
    };
    clip(s);
  }
  return s;
}

// ---- fit ------------------------------------------------------------------------------------------

const pending = new Map(); // id -> resolve (inherent structures from the page's pool)

// the shape of `glassbox fit --json` (src/workflow/results.ts, shared with the CLI)
const resultsJSON = (r) => gb.resultsJSON(r);

/** One top-level key per line (as src/node/files.ts writes the .npy metadata). */
function compactJSON(o) {
  return '{\n' + Object.entries(o).map(([k, v]) => ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n') + '\n}\n';
}

async function runFit(msg) {
  const { id, options: o } = msg;
  const t0 = performance.now();
  const progress = (stage, done, total) => post({ id, type: 'progress', stage, done, total });
  const warnings = [];
  progress('reading', 0, msg.train.length + msg.test.length);
  const train = await readConfigurations(msg.train, o, warnings, o.targetColumn || undefined);
  progress('reading', msg.train.length, msg.train.length + msg.test.length);
  const test = await readConfigurations(msg.test, o, warnings, (o.testTargetColumn || o.targetColumn) || undefined);
  progress('reading', msg.train.length + msg.test.length, msg.train.length + msg.test.length);
  const tRead = (performance.now() - t0) / 1000;
  const features = o.preset ? { potential: o.preset } : {};
  const fitOpts = {
    species: o.species || undefined, models: o.models, folds: o.folds, center: o.center, structure: o.structure || undefined,
    l1Ratios: o.l1Ratios, bootstrap: o.bootstrap,
  };
  gb.checkFitInputs({ ...fitOpts, train, test, features });
  // inherent structures the files lack: minimised by the page's pool (one wasm instance per worker)
  const structure = o.structure || (o.preset ? 'inherent' : 'thermal');
  let tMin = 0;
  const all = [...train, ...test];
  const todo = structure !== 'thermal' && o.preset ? all.filter((c) => !c.inherent) : [];
  if (todo.length) {
    const tm = performance.now();
    const systems = todo.map((c) => {
      const s = c.system;
      return { name: c.name, n: s.n, dim: s.dim, box: Float64Array.from(s.box), positions: s.positions.slice(), species: s.species.slice(), labels: [...s.labels] };
    });
    const inherent = await new Promise((resolve) => {
      pending.set(id, resolve);
      post({ id, type: 'minimise', preset: o.preset, systems }, systems.flatMap((s) => [s.box.buffer, s.positions.buffer, s.species.buffer]));
    });
    inherent.forEach((r, k) => {
      if (!r.converged) warnings.push(`${todo[k].name}: the minimiser stopped at its iteration cap (${r.iterations}) with max force ${r.maxForce.toExponential(2)}; using the last positions`);
      todo[k].inherent = r.positions;
    });
    tMin = (performance.now() - tm) / 1000;
  }
  const r = gb.fit({ ...fitOpts, train, test, features, onProgress: progress });
  r.timings = { read: tRead, ...(tMin > 0 ? { minimise: tMin } : {}), ...r.timings, total: (performance.now() - t0) / 1000 };
  post({
    id, type: 'result', warnings,
    result: {
      ...resultsJSON(r), rowsTrain: r.rowsTrain, simd: (await ready).simd,
      models: r.models.map((m) => ({ model: m.model, params: m.params, cvScore: m.cvScore, cvStd: m.cvStd, testPearson: m.testPearson, testPearsonPerConfig: m.testPearsonPerConfig, nonzero: m.nonzero, error: m.error ?? null })),
    },
  });

  // downloads: model.json (glassbox predict reads it), results.json
  const target = o.targetColumn ? `column ${o.targetColumn}` : (o.target ?? 'abs');
  // the inherent structures' minimiser is recorded, so that `glassbox predict` minimises new files the same way (as fit)
  const model = gb.modelFileFromResult(r, r.best, { target, minimize: gb.minimizeRule(gb.FIT_MIN_RULE) });
  download(id, 'model', 'model.json', 'application/json', gb.saveModel(model));
  download(id, 'results', 'results.json', 'application/json', JSON.stringify(resultsJSON(r), null, 1) + '\n');

  // predictions with the saved model, exactly as `glassbox predict` computes them
  const shown = test.length ? test : train;
  progress('predictions', 0, shown.length);
  const preds = gb.predictConfigurations(model, shown, { onProgress: (_s, d, t) => progress('predictions', d, t) });
  post({ id, type: 'view', view: viewData(shown[0], o.preset, preds[0].values) });
  download(id, 'predictions-xyz', 'predictions.xyz', 'text/plain', gb.predictionsXyz(shown, preds, model));
  if (preds.every((p) => p.values.length === preds[0].values.length)) {
    const { npy, meta } = gb.predictionsNpy(shown, preds, model, { model: 'model.json' });
    download(id, 'predictions-npy', 'predictions.npy', 'application/octet-stream', npy);
    download(id, 'predictions-meta', 'predictions.meta.json', 'application/json', compactJSON(meta));
  }

  // the report: the CLI's sections and vega-lite specs (src/report/fit-report.ts), and one HTML file
  progress('report', 0, 1);
  try {
    const { fitReportInput } = await import('./gen/src/report/fit-report.js');
    const { renderReport, scopeSvgIds } = await import('./gen/src/report/html.js');
    const { compile } = await import('./shims/vega-lite.js');
    const input = await fitReportInput(r, test.length ? test : train.slice(0, 1));
    download(id, 'report', 'report.html', 'text/html', renderReport(input));
    let k = 0;
    const live = (spec) => {
      // the interactive version (tooltips, pan/zoom) compiled to vega here, off the main thread
      try { return compile(interactive(spec)).spec; } catch { return compile(spec).spec; }
    };
    post({
      id, type: 'report', title: input.title, meta: input.meta,
      sections: input.sections.map((s) => ({
        heading: s.heading, text: s.text ?? '', table: s.table ?? null,
        charts: (s.charts ?? []).map((c) => ({ name: c.name, title: c.title, caption: c.caption ?? '', spec: c.spec, vega: live(c.spec), svg: scopeSvgIds(c.svg, `c${k++}-`) })),
      })),
    });
  } catch (e) {
    post({ id, type: 'warning', message: `the report could not be drawn: ${pageMessage(e)}` });
  }
  progress('report', 1, 1);

  // the feature matrix: computed when the page asks for it (the descriptors again, all particles)
  lastFit = { id, all, model };
  post({ id, type: 'offer', what: 'features', name: 'features.npy' });
  download(id, 'feature-names', 'features.names.json', 'application/json', JSON.stringify(model.names) + '\n');
  post({ id, type: 'done', seconds: (performance.now() - t0) / 1000 });
}


let lastFit = null;

/** The feature matrix of the last fit's configurations (all particles, as `glassbox features -o X.npy`) and its names. */
function features(msg) {
  const { id, all, model } = lastFit;
  const wo = gb.workflowOptions(model);
  const progress = (stage, done, total) => post({ id, type: 'progress', stage, done, total });
  progress('features', 0, all.length);
  let rows = 0;
  const blocks = all.map((c, k) => {
    const fm = gb.configurationFeatures(c, wo.descriptors, wo.structure);
    progress('features', k + 1, all.length);
    rows += fm.n;
    return fm;
  });
  const p = blocks[0].p;
  const X = new Float64Array(rows * p);
  let off = 0;
  for (const b of blocks) { X.set(b.values, off); off += b.values.length; }
  const npy = gb.writeNpy({ dtype: '<f8', shape: [rows, p], data: X });
  download(id, 'features', 'features.npy', 'application/octet-stream', npy);
}

self.onmessage = async (e) => {
  const msg = e.data;
  try {
    await ready;
    if (msg.type === 'inspect') await inspect(msg);
    else if (msg.type === 'fit') await runFit(msg);
    else if (msg.type === 'features') features(msg);
    else if (msg.type === 'inherent') pending.get(msg.id)?.(msg.results), pending.delete(msg.id);
    else if (msg.type === 'ping') post({ id: msg.id, type: 'pong', simd: (await ready).simd });
  } catch (err) {
    post({ id: msg.id, type: 'error', message: pageMessage(err), name: err?.name ?? 'Error' });
  }
};
