// Cost of one cage state (defaults: 4 runs x 2 time units) vs one FIRE minimisation (|F|_inf < 1e-8,
// the fit default) of the same ka3d-T0.44 configuration (N = 4096), one after the other in one
// process: CPU seconds (process.cpuUsage, robust to a shared machine) and wall seconds.
//   node bench/cage-cost.mjs [config=1]
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cageState, minimize, readConfigurations } from '../dist/src/index.js';
import { resolveCageOptions } from '../dist/src/dynamics/dynamics.js';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const k = Number(process.argv[2] ?? 1);
const F = join(here, `../../shared/data/ka3d-T0.44/train/isoconfig_N4096T0.44_${k}_tc07.npz`);
if (!existsSync(F)) { console.log('cage-cost: ../shared absent: skipped'); process.exit(0); }
const [c] = readConfigurations([F], { density: 1.2 });
const load0 = loadavg();
const timed = (f) => { const c0 = process.cpuUsage(), t0 = performance.now(); const r = f(); const u = process.cpuUsage(c0); return { r, cpu: (u.user + u.system) / 1e6, wall: (performance.now() - t0) / 1000 }; };
const cage = timed(() => cageState(c.system, 'KA3D', {}));
const fire = timed(() => minimize(c.system, 'KA3D', {}));
const o = resolveCageOptions({});
const atomSteps = o.runs * Math.round(o.time / o.dt) * c.system.n;
const rows = [
  { name: 'cage state (defaults)', cpuSeconds: cage.cpu, wallSeconds: cage.wall, atomSteps, cpuPerAtomStep: cage.cpu / atomSteps },
  { name: 'FIRE minimisation (fit default)', cpuSeconds: fire.cpu, wallSeconds: fire.wall, iterations: fire.r.iterations, cpuPerAtomIteration: fire.cpu / (fire.r.iterations * c.system.n) },
];
console.log(JSON.stringify(rows, null, 1), 'cage/FIRE CPU ratio', cage.cpu / fire.cpu);
writeResults('cage-cost', rows, { config: F, cage: o, cageOverFireCpu: cage.cpu / fire.cpu, note: 'shared machine (2 cores, other jobs): use the CPU seconds', loadavgBefore: load0, loadavgAfter: loadavg() });
