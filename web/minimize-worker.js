// One minimisation worker of the page's pool (web/app.js starts navigator.hardwareConcurrency
// of them): one wasm instance each, the same minimize() under the same rule as `glassbox fit`
// (FIT_MIN_RULE, 'fast': FIRE then L-BFGS), so the inherent structures are the Node ones.
import * as gb from './gen/src/browser.js';
import { FIT_MIN_RULE } from './gen/src/internal.js';
import { simdSupported } from './gen/src/wasm/memory.js';

const ready = gb.init(new URL(`../build/${simdSupported() ? 'glassbox.simd.wasm' : 'glassbox.wasm'}`, import.meta.url));

self.onmessage = async (e) => {
  const { k, preset, system } = e.data;
  try {
    await ready;
    const t0 = performance.now();
    const r = gb.minimize({ ...system, columns: {} }, preset, gb.minimizeRule(FIT_MIN_RULE));
    const positions = r.system.positions;
    self.postMessage({ k, result: { positions, converged: r.converged, iterations: r.iterations, maxForce: r.maxForce, seconds: (performance.now() - t0) / 1000 } }, [positions.buffer]);
  } catch (err) {
    self.postMessage({ k, error: err?.message ?? String(err) });
  }
};
