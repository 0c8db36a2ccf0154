// Descriptors: the full default feature vector (families R, A with CG levels 0-2, P, E;
// ../shared/spec/descriptors.md), single-threaded.
//   - KA 3D configuration (N = 4096; ../shared/data/ka3d-T0.44 train config 1, or random at
//     density 1.2 when the data is absent), KA3D preset: 596 features. Target <= 0.5 s.
//   - the same configuration replicated 2x2x2 (N = 32768) and 4x4x4 (N = 262144): linear scaling
//     (BENCH_BIG=0 skips the 262k case, about 30-40 s per sample).
//   - the 2D ternary KA configuration (../shared/data/ka2d-T0.23, N = 1290), KA2D preset: 658 features.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeFeatures, createSystem } from '../dist/src/index.js';
import { wasm } from '../dist/src/wasm/runtime.js';
import { mulberry32 as rng } from '../dist/src/models/diagnostics.js';
import { runSuite } from './lib.mjs';
import { readNpz } from './npz.mjs';

const shared = (rel) => fileURLToPath(new URL(`../../shared/${rel}`, import.meta.url));
const KA3D = shared('data/ka3d-T0.44/train/isoconfig_N4096T0.44_1_tc07.npz');
const KA2D = shared('data/ka2d-T0.23/N1290T0.23_151_tc40.npz');


/** KA 3D base configuration: the data file, else random positions at density 1.2 (80:20). */
function baseKA3D() {
  const L = Math.cbrt(4096 / 1.2);
  if (existsSync(KA3D)) {
    const z = readNpz(KA3D);
    return { source: 'ka3d-T0.44 train 1', L, pos: z.initial_positions.data, types: z.types.data };
  }
  const r = rng(1);
  const pos = Float64Array.from({ length: 3 * 4096 }, () => r() * L);
  const types = Int32Array.from({ length: 4096 }, (_, i) => (i < 3277 ? 0 : 1));
  return { source: 'random, density 1.2 (data absent)', L, pos, types };
}

/** m x m x m periodic replicas of the base configuration. */
function replicate(base, m) {
  const n0 = base.types.length, n = n0 * m ** 3;
  const pos = new Float64Array(3 * n), types = new Int32Array(n);
  let k = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) for (let c = 0; c < m; c++) {
    for (let i = 0; i < n0; i++, k++) {
      pos[3 * k] = base.pos[3 * i] + a * base.L;
      pos[3 * k + 1] = base.pos[3 * i + 1] + b * base.L;
      pos[3 * k + 2] = base.pos[3 * i + 2] + c * base.L;
      types[k] = base.types[i];
    }
  }
  return createSystem({ dim: 3, box: [m * base.L, m * base.L, m * base.L], positions: pos, types });
}

/** fn wrapped to also record the process CPU time per call (robust when other jobs share the machine). */
function cpuTimed(fn) {
  const st = { calls: 0, cpu: 0 };
  const g = () => {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    st.calls++;
    st.cpu += (c.user + c.system) / 1e6;
  };
  g.cpuSecondsPerCall = () => +(st.cpu / Math.max(1, st.calls)).toFixed(4);
  return g;
}

const base = baseKA3D();
const cases = [];
const perParticle = {};
for (const m of process.env.BENCH_BIG === '0' ? [1, 2] : [1, 2, 4]) {
  const sys = replicate(base, m);
  let p = 0;
  const fn = cpuTimed(() => { p = computeFeatures(sys, { potential: 'KA3D' }).p; });
  cases.push({
    name: `KA3D N=${sys.n} full default vector (${base.source}${m > 1 ? `, ${m}^3 replicas` : ''})`,
    fn,
    extra: (mean) => {
      const cpu = fn.cpuSecondsPerCall();
      perParticle[sys.n] = cpu / sys.n;
      return {
        n: sys.n, features: p, cpuSecondsPerCall: cpu, cpuMicrosecondsPerParticle: +(1e6 * cpu / sys.n).toFixed(2),
        cpuPerParticleRelativeToN4096: perParticle[4096] ? +(cpu / sys.n / perParticle[4096]).toFixed(3) : 1,
        wallMicrosecondsPerParticle: +(1e6 * mean / sys.n).toFixed(2), wasmMemoryGB: +(wasm().exports.memory.buffer.byteLength / 1e9).toFixed(2),
      };
    },
    ...(m >= 4 ? { minSamples: 1, maxTime: 1 } : m >= 2 ? { minSamples: 2, maxTime: 5 } : {}),
  });
}
if (existsSync(KA2D)) {
  const z = readNpz(KA2D);
  const box = z.box.data[0];
  const sys = createSystem({ dim: 2, box: [box, box], positions: z.initial_positions.data, types: z.types.data });
  let p = 0;
  const fn = cpuTimed(() => { p = computeFeatures(sys, { potential: 'KA2D' }).p; });
  cases.push({
    name: `KA2D N=${sys.n} full default vector (ka2d-T0.23 config 151)`,
    fn,
    extra: (mean) => ({ n: sys.n, features: p, cpuSecondsPerCall: fn.cpuSecondsPerCall(), wallMicrosecondsPerParticle: +(1e6 * mean / sys.n).toFixed(2) }),
  });
} else console.log(`(skipping the 2D case: ${KA2D} absent)`);

await runSuite('descriptors', cases);
