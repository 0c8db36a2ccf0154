// Browser side of test/browser.test.ts: loads the browser build, then exposes
//   window.harness.ready            -> Promise<{ simd, checks }>, resolved after init()
//   window.harness.run(name, args, build) -> the encoded result of test/browser/checks.js[name]
// build: 'default' (what init() picks: SIMD when supported), 'simd' or 'scalar'.

import * as api from '../dist/src/browser.js';
import * as internal from '../dist/src/internal.js';

const gb = { ...api, ...internal };
import { checks, runCheck } from '../test/browser/checks.js';

const root = new URL('../', import.meta.url);

async function get(rel) {
  const res = await fetch(new URL(rel, root));
  if (!res.ok) throw new Error(`fetch ${rel}: HTTP ${res.status}`);
  return res;
}

const ctx = {
  fetchBytes: async (rel) => new Uint8Array(await (await get(rel)).arrayBuffer()),
  fetchText: async (rel) => (await get(rel)).text(),
};

let current = null;
async function useBuild(build = 'default') {
  if (build === current) return;
  if (build === 'default') await gb.init();
  else if (build === 'simd') await gb.init(new URL('build/glassbox.simd.wasm', root));
  else if (build === 'scalar') await gb.init(new URL('build/glassbox.wasm', root));
  else throw new Error(`unknown build "${build}" (default | simd | scalar)`);
  current = build;
}

const status = document.getElementById('status');
const ready = useBuild('default').then(
  () => {
    status.textContent = `glassbox ready (simd: ${gb.wasm().simd}); checks: ${Object.keys(checks).join(', ')}`;
    return { simd: gb.wasm().simd, checks: Object.keys(checks) };
  },
  (e) => {
    status.textContent = `glassbox failed to load: ${e.message}`;
    throw e;
  },
);

window.harness = {
  ready,
  async run(name, args, build = 'default') {
    await ready;
    await useBuild(build);
    return runCheck(gb, ctx, name, args);
  },
};
