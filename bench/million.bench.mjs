// Descriptors past the wasm32 limit: a real KA 3D configuration (ka3d-T0.44 train 1, N = 4096)
// tiled T x T x T (default 6: N = 884,736, box 90.3) computed in slabs with halos
// (computeFeaturesChunked, full default vector: 596 columns). Checks that every copy of a particle
// has the same descriptors (max relative difference over all copies) and compares the CPU time per
// particle with N = 4096's (median of 3 warm calls) measured in the same process.
//   node bench/million.bench.mjs [--tile 6] [--max-particles 620000] [--passes 2]
// (--passes 1: the single-pass slabs whose halo is the whole chain of cutoffs, the earlier scheme.)
// Writes bench/results/million.json. Needs ~12 GB of RAM.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeFeatures, computeFeaturesChunked, readSystems } from '../dist/src/index.js';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FILE = join(here, '../../shared/data/ka3d-T0.44/train/isoconfig_N4096T0.44_1_tc07.npz');
if (!existsSync(FILE)) {
  console.log('million.bench: ../shared absent: skipped');
  process.exit(0);
}
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const T = Number(arg('tile', 6));
const maxParticles = Number(arg('max-particles', 620000));
const passes = Number(arg('passes', 2));
const sys = readSystems(FILE, { box: [Math.cbrt(4096 / 1.2)] }).frames[0].system;
const fo = { potential: 'KA3D' };
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const load0 = loadavg()[0];
const small = [];
computeFeatures(sys, fo);
for (let k = 0; k < 3; k++) { const c0 = cpu(), t0 = performance.now(); computeFeatures(sys, fo); small.push({ cpu: cpu() - c0, wall: (performance.now() - t0) / 1000 }); }
const L = sys.box[0], n0 = sys.n, N = n0 * T * T * T;
const positions = new Float64Array(N * 3), species = new Int32Array(N);
let q = 0;
for (let a = 0; a < T; a++) for (let b = 0; b < T; b++) for (let c = 0; c < T; c++) {
  for (let i = 0; i < n0; i++) {
    positions[3 * q] = sys.positions[3 * i] + a * L;
    positions[3 * q + 1] = sys.positions[3 * i + 1] + b * L;
    positions[3 * q + 2] = sys.positions[3 * i + 2] + c * L;
    species[q++] = sys.species[i];
  }
}
const big = { ...sys, n: N, positions, species, box: Float64Array.from([T * L, T * L, T * L]), columns: {} };
const c0 = cpu(), t0 = performance.now();
const fm = computeFeaturesChunked(big, fo, { maxParticles, passes });
const bigCpu = cpu() - c0, bigWall = (performance.now() - t0) / 1000;
let worst = 0;
const p = fm.p;
for (let r = 1; r < T * T * T; r++) {
  for (let k = 0; k < n0 * p; k++) {
    const a = fm.values[k], b = fm.values[r * n0 * p + k];
    const d = Math.abs(a - b) / Math.max(1, Math.abs(a));
    if (d > worst) worst = d;
  }
}
const perSmall = median(small.map((s) => s.cpu)) / n0, perBig = bigCpu / N;
const result = {
  n: N, p, tile: T, maxParticles, passes, wallSeconds: bigWall, cpuSeconds: bigCpu,
  cpuMicrosecondsPerParticle: perBig * 1e6, n4096CpuMicrosecondsPerParticle: perSmall * 1e6, ratioPerParticle: perBig / perSmall,
  n4096WallSeconds: median(small.map((s) => s.wall)), worstRelativeDifferenceBetweenCopies: worst, load1Before: load0, load1After: loadavg()[0],
};
console.log(JSON.stringify(result, null, 2));
writeResults('million', [result], { note: 'shared 2-core machine; CPU time (process.cpuUsage) per particle, both sizes in one process' });
