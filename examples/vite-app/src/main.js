// glassbox as a dependency of a frontend: `import ... from 'glassbox/browser'`, `await init()`
// (Vite emits the package's wasm kernels as assets and rewrites their URLs), then the API.
import { init, kernelInfo, parseSystems, configurationsFromParsed, fit } from 'glassbox/browser';
// the package ships a small data set (data/ka3d-T0.44-mini); ?url gives its asset URL
import config1 from 'glassbox/data/ka3d-T0.44-mini/config1.npz?url';
import config2 from 'glassbox/data/ka3d-T0.44-mini/config2.npz?url';
import config9 from 'glassbox/data/ka3d-T0.44-mini/config9.npz?url';

const $ = (id) => document.getElementById(id);

async function configurations(url, name) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not fetch ${name}: HTTP ${res.status}`);
  return configurationsFromParsed(parseSystems(new Uint8Array(await res.arrayBuffer()), name));
}

/** The same call in Node gives the same numbers to the last bit (examples test). */
export async function runFit() {
  const train = [...await configurations(config1, 'config1.npz'), ...await configurations(config2, 'config2.npz')];
  const test = await configurations(config9, 'config9.npz');
  // a small fit: radial (R), packing (P) and energy (E) families, 140 descriptors; drop
  // `families` for the full default vector (596, with bond orientations: about 4x the time)
  return fit({ train, test, features: { potential: 'KA3D', families: ['R', 'P', 'E'] }, models: ['ridge'], folds: 2, bootstrap: 0 });
}

function show(result) {
  const body = document.querySelector('[data-testid=results] tbody');
  body.replaceChildren(...result.models.map((m) => {
    const tr = document.createElement('tr');
    tr.dataset.model = m.model;
    tr.dataset.cv = String(m.cvScore);
    tr.dataset.testR = String(m.testPearson);
    for (const t of [m.model, Object.entries(m.params).map(([k, v]) => `${k}=${Number(v.toPrecision(3))}`).join(" "), m.cvScore.toFixed(3), m.testPearson?.toFixed(3) ?? '-']) {
      const td = document.createElement('td');
      td.textContent = t;
      tr.append(td);
    }
    return tr;
  }));
}

const ready = init();
ready.then(() => { $('status').textContent = `ready (${kernelInfo().simd ? 'SIMD' : 'scalar'} kernels)`; },
  (e) => { $('status').textContent = `could not load glassbox: ${e.message}`; });

$('fit').addEventListener('click', async () => {
  $('fit').disabled = true;
  $('status').textContent = 'fitting...';
  await new Promise((r) => setTimeout(r, 30));
  try {
    await ready;
    const t0 = performance.now();
    const result = await runFit();
    show(result);
    $('status').textContent = `done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${result.features} descriptors, ${result.rowsTrain} training rows`;
    $('status').dataset.done = '1';
  } catch (e) {
    $('status').textContent = `error: ${e.message}`;
    $('status').dataset.done = 'error';
  } finally {
    $('fit').disabled = false;
  }
});
