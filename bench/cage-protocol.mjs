// How long and how many cage runs are needed (the defaults of --cage-time / --cage-runs)?
// On KA3D T = 0.44 configuration(s) of ../shared: for run lengths t, two independent cage-state
// estimates (runs seeds 1..R and R+1..2R) give (a) the rms difference between them (statistical
// noise of the estimate, sqrt(2) x its own), (b) Pearson r with the propensity (A particles) of
// dCS and its coarse-graining at L = 2 for the 2R-run mean, (c) the wall reflection rate, (d) the cost.
//   node bench/cage-protocol.mjs [config=1] [R=2] [times=1,2,5]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cageState, readConfigurations } from '../dist/src/index.js';
import { coarseGrain } from '../dist/src/features/compute.js';
import { displacementMagnitudes } from '../dist/src/workflow/structures.js';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const k = Number(process.argv[2] ?? 1), R = Number(process.argv[3] ?? 2);
const times = (process.argv[4] ?? '1,2,5').split(',').map(Number);
const temps = (process.argv[5] ?? '0.44').split(',').map(Number);
const F = join(here, `../../shared/data/ka3d-T0.44/train/isoconfig_N4096T0.44_${k}_tc07.npz`);
if (!existsSync(F)) { console.log('cage-protocol: ../shared absent: skipped'); process.exit(0); }
const [c] = readConfigurations([F], { density: 1.2 });
const sys = c.system;
const A = [];
for (let i = 0; i < sys.n; i++) if (sys.species[i] === 0) A.push(i);
const pearson = (x, y) => {
  const a = A.map((i) => x[i]), b = A.map((i) => y[i]);
  const ma = a.reduce((s, v) => s + v, 0) / a.length, mb = b.reduce((s, v) => s + v, 0) / b.length;
  let sab = 0, saa = 0, sbb = 0;
  for (let q = 0; q < a.length; q++) { sab += (a[q] - ma) * (b[q] - mb); saa += (a[q] - ma) ** 2; sbb += (b[q] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
};
const load0 = loadavg();
const rows = [];
for (const T of temps) for (const t of times) {
  const t0 = performance.now();
  const a = cageState(sys, 'KA3D', { time: t, runs: R, seed: 1, temperature: T });
  const b = cageState(sys, 'KA3D', { time: t, runs: R, seed: 1 + R, temperature: T });
  const sec = (performance.now() - t0) / 1000;
  const mean = a.positions.map((x, q) => (x + b.positions[q]) / 2);
  let d2 = 0;
  for (let q = 0; q < mean.length; q++) d2 += (a.positions[q] - b.positions[q]) ** 2;
  const rms = Math.sqrt(d2 / sys.n);
  const d = displacementMagnitudes(sys, sys.positions, mean);
  const row = {
    temperature: T, time: t, runsPerEstimate: R, rmsBetweenEstimates: rms,
    pearson_dCS: pearson(d, c.target), pearson_dCS_L2: pearson(coarseGrain(sys, d, 1, 2), c.target),
    reflectionRate: (a.reflectionRate + b.reflectionRate) / 2, maxDisplacement: Math.max(a.maxDisplacement, b.maxDisplacement),
    secondsFor2R: sec, secondsPerRunPerTimeUnit: sec / (2 * R * t),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeResults(`cage-protocol-c${k}`, rows, { config: F, note: 'shared machine (2 cores, other jobs)', loadavgBefore: load0, loadavgAfter: loadavg() });
