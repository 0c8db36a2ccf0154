// MD side by side with LAMMPS on the same start: ../shared/data/ka3d-T0.56/lammps-runs-c1/start.data
// (KA3D, N = 4096, T = 0.56, positions and velocities written by LAMMPS), dt = 0.005, unit masses,
// pair_style lj/cut 2.5 with shift (the KA3D preset), Verlet skin 0.3 in both.
//   NVE: glassbox velocity Verlet vs LAMMPS `fix nve`: total energy per particle at the start, its
//        drift (last - first) and its standard deviation over the run.
//   NVT: glassbox Langevin BAOAB (gamma = 1) vs LAMMPS `fix langevin 0.56 0.56 1.0` + `fix nve`
//        (damp = 1, i.e. gamma = 1): mean and sd of the kinetic temperature over the second half.
//   Speed: seconds per atom-step of each (LAMMPS: its "Loop time", 1 process; glassbox: the wasm
//        kernel call, 1 thread), run one after the other in the same process.
// The machine is shared (2 cores, other jobs): `uptime` load averages are recorded.
//   node bench/md.bench.mjs [steps]     (default 4000 steps = 20 time units; needs a built dist/)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { md } from '../dist/src/index.js';
import { readLammpsData } from '../dist/src/io/lammps.js';
import { wasm } from '../dist/src/wasm/runtime.js';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const START = join(here, '../../shared/data/ka3d-T0.56/lammps-runs-c1/start.data');
if (!existsSync(START)) {
  console.log(`md.bench: ${START} not found (../shared absent): skipped`);
  process.exit(0);
}
const STEPS = Number(process.argv[2] ?? 4000);
const EVERY = 20;
const T = 0.56;
const data = readLammpsData(readFileSync(START, 'utf8'), { file: START });
const sys = data.system;
const N = sys.n;
const v0 = data.velocities;
if (!v0) throw new Error('start.data has no Velocities section');

const load0 = loadavg();
const stats = (a) => {
  const m = a.reduce((x, y) => x + y, 0) / a.length;
  return { mean: m, sd: Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / Math.max(1, a.length - 1)) };
};

// ---- glassbox ----
function gb(kind) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = md(sys, 'KA3D', { dt: 0.005, steps: STEPS, velocities: v0, gamma: kind === 'nvt' ? 1 : 0, temperature: T, seed: 12345, traceEvery: EVERY, skin: 0.3 });
  const sec = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  const t = r.trace;
  const E = Array.from(t.potential, (u, k) => (u + t.kinetic[k]) / N);
  const Ts = Array.from(t.temperature);
  return { seconds: sec, secondsPerAtomStep: sec / (N * STEPS), cpuSecondsPerAtomStep: cpu / (N * STEPS), E, T: Ts, rebuilds: r.neighborRebuilds };
}

// ---- LAMMPS ----
const haveLammps = spawnSync('lmp', ['-h'], { encoding: 'utf8' }).status === 0;
let lammpsVersion = null;
function lmp(kind) {
  const dir = mkdtempSync(join(tmpdir(), 'gb-md-'));
  writeFileSync(join(dir, 'start.data'), readFileSync(START));
  writeFileSync(join(dir, 'in.md'), `units lj
atom_style atomic
boundary p p p
read_data start.data
mass * 1.0
pair_style lj/cut 2.5
pair_modify shift yes
pair_coeff 1 1 1.0 1.0 2.5
pair_coeff 1 2 1.5 0.8 2.0
pair_coeff 2 2 0.5 0.88 2.2
neighbor 0.3 bin
neigh_modify delay 0 every 1 check yes
timestep 0.005
${kind === 'nvt' ? `fix th all langevin ${T} ${T} 1.0 12345\n` : ''}fix in all nve
thermo_style custom step pe ke etotal temp
thermo_modify format float %.12g
thermo ${EVERY}
run ${STEPS}
`);
  const r = spawnSync('lmp', ['-in', 'in.md', '-log', 'log.lammps', '-screen', 'none'], { cwd: dir, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`lmp failed: ${r.stderr}`);
  const log = readFileSync(join(dir, 'log.lammps'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const loop = Number(/Loop time of ([\d.eE+-]+) on/.exec(log)[1]);
  const cpuPct = Number(/([\d.]+)% CPU use/.exec(log)?.[1] ?? 100);
  const rows = [...log.matchAll(/^\s*(\d+)\s+(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s+(-?[\d.eE+-]+)\s*$/gm)].map((m) => m.slice(1).map(Number));
  // LAMMPS's thermo pe/ke/etotal are per atom in lj units (thermo_modify norm yes)
  return { seconds: loop, secondsPerAtomStep: loop / (N * STEPS), cpuSecondsPerAtomStep: (loop * cpuPct) / 100 / (N * STEPS), E: rows.map((q) => q[3]), T: rows.map((q) => q[4]) };
}

function summary(r, kind) {
  const half = Math.floor(r.T.length / 2);
  return {
    secondsPerAtomStep: r.secondsPerAtomStep,
    cpuSecondsPerAtomStep: r.cpuSecondsPerAtomStep,
    seconds: r.seconds,
    E0: r.E[0],
    ...(kind === 'nve'
      ? { drift: r.E[r.E.length - 1] - r.E[0], Esd: stats(r.E).sd, driftPerTau: (r.E[r.E.length - 1] - r.E[0]) / (STEPS * 0.005), Tmean: stats(r.T).mean }
      : { Tmean: stats(r.T.slice(half)).mean, Tsd: stats(r.T.slice(half)).sd }),
  };
}

const out = {};
for (const kind of ['nve', 'nvt']) {
  const g = gb(kind);
  out[kind] = { glassbox: summary(g, kind) };
  if (haveLammps) {
    lammpsVersion ??= /LAMMPS \(([^)]+)\)/.exec(spawnSync('lmp', ['-h'], { encoding: 'utf8' }).stdout)?.[1] ?? 'unknown';
    const l = lmp(kind);
    out[kind].lammps = summary(l, kind);
    out[kind].speedRatio = out[kind].lammps.secondsPerAtomStep / out[kind].glassbox.secondsPerAtomStep;
    out[kind].cpuSpeedRatio = out[kind].lammps.cpuSecondsPerAtomStep / out[kind].glassbox.cpuSecondsPerAtomStep;
  }
  console.log(kind, JSON.stringify(out[kind], null, 1));
}
const res = writeResults('md', [out], {
  system: 'KA3D N=4096 T=0.56 (../shared/data/ka3d-T0.56/lammps-runs-c1/start.data), dt=0.005, skin 0.3',
  steps: STEPS,
  simd: wasm().simd,
  lammps: lammpsVersion,
  note: 'shared machine (2 cores, other jobs running); speedRatio = LAMMPS s/atom-step / glassbox s/atom-step (>1: glassbox faster), measured one after the other in one run; cpuSpeedRatio the same with CPU time (glassbox: process.cpuUsage; LAMMPS: loop time x its reported %CPU), less sensitive to the load',
  loadavgBefore: load0,
  loadavgAfter: loadavg(),
});
console.log(`wrote bench/results/md.json (${res.results.length} result)`);
