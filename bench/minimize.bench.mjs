// FIRE minimisation of one KA 3D configuration (N = 4096, ../shared/data/ka3d-T0.44/train
// configuration 1, box (4096/1.2)^(1/3)) to a force two-norm below 1e-8 (LAMMPS's `minimize`
// rule), glassbox (wasm, one kernel call) and, when the `lmp` executable is on PATH, LAMMPS's
// `min_style fire` with its defaults on the same start and stopping rule, side by side in one run.
// Reports iterations, force evaluations, time and time per iteration; bench/results/minimize.json.
//   node bench/minimize.bench.mjs        (needs ../shared and a built dist/: npm run build)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import { createSystem, minimize } from '../dist/src/index.js';
import { wasm } from '../dist/src/wasm/runtime.js';
import { runSuite } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CONF = join(here, '../../shared/data/ka3d-T0.44/train/isoconfig_N4096T0.44_1_tc07.npz');
if (!existsSync(CONF)) {
  console.log(`minimize.bench: ${CONF} not found (../shared absent): skipped`);
  process.exit(0);
}

/** A float64 / int8 .npy member (C or Fortran order, 1 or 2 dimensions) as a C-order array. */
function npy(b) {
  const hlen = b[8] | (b[9] << 8);
  const header = String.fromCharCode(...b.subarray(10, 10 + hlen));
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const raw = b.slice(10 + hlen).buffer;
  const data = /'descr':\s*'<f8'/.test(header) ? new Float64Array(raw) : new Int8Array(raw);
  if (/'fortran_order':\s*True/.test(header) && shape.length === 2) {
    const [n, d] = shape;
    const c = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) c[i * d + a] = data[a * n + i];
    return c;
  }
  return data;
}
const z = unzipSync(new Uint8Array(readFileSync(CONF)));
const positions = npy(z['initial_positions.npy']);
const types = npy(z['types.npy']);
const N = types.length;
const L = Math.cbrt(N / 1.2);
const sys = createSystem({ dim: 3, box: [L, L, L], positions, types });

// ---- LAMMPS side (optional) ----
const haveLammps = spawnSync('lmp', ['-h'], { encoding: 'utf8' }).status === 0;
let lammpsVersion = null;
let lmpDir = null;
if (haveLammps) {
  lammpsVersion = /Large-scale Atomic\/Molecular Massively Parallel Simulator - ([^\n]+)/.exec(spawnSync('lmp', ['-h'], { encoding: 'utf8' }).stdout)?.[1]?.trim() ?? 'unknown';
  lmpDir = mkdtempSync(join(tmpdir(), 'gb-lmp-'));
  const lines = ['KA3D configuration 1 (glassbox bench)', '', `${N} atoms`, '2 atom types', '',
    `0 ${L} xlo xhi`, `0 ${L} ylo yhi`, `0 ${L} zlo zhi`, '', 'Masses', '', '1 1', '2 1', '', 'Atoms # atomic', ''];
  for (let i = 0; i < N; i++) lines.push(`${i + 1} ${types[i] + 1} ${positions[3 * i]} ${positions[3 * i + 1]} ${positions[3 * i + 2]}`);
  writeFileSync(join(lmpDir, 'start.data'), lines.join('\n') + '\n');
  writeFileSync(join(lmpDir, 'in.min'), `units lj
atom_style atomic
boundary p p p
read_data start.data
pair_style lj/cut 2.5
pair_modify shift yes
pair_coeff 1 1 1.0 1.0 2.5
pair_coeff 1 2 1.5 0.8 2.0
pair_coeff 2 2 0.5 0.88 2.2
neighbor 0.3 bin
neigh_modify delay 0 every 1 check yes
timestep 0.005
thermo 1000
min_style fire
minimize 0.0 1e-8 1000000 10000000
write_dump all custom final.dump id xu yu zu modify sort id format float %.17g
`);
}
let lmpLast = null;
function runLammps() {
  const r = spawnSync('lmp', ['-in', 'in.min', '-log', 'log.lammps', '-screen', 'none'], { cwd: lmpDir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lmp failed: ${r.stderr}`);
  const log = readFileSync(join(lmpDir, 'log.lammps'), 'utf8');
  const m = /Iterations, force evaluations = (\d+) (\d+)/.exec(log);
  const loop = /Loop time of ([\d.eE+-]+) on/.exec(log);
  const fn = /Force two-norm initial, final = \S+ (\S+)/.exec(log);
  const e = /Energy initial, next-to-last, final = \s*\n\s*(\S+)\s+(\S+)\s+(\S+)/.exec(log);
  lmpLast = { iterations: Number(m[1]), forceEvaluations: Number(m[2]), loopSeconds: Number(loop[1]), forceNorm: Number(fn[1]), energyPerParticle: Number(e[3]) };
}

let gbLast = null;
const gbTimes = [], lmpTimes = [];
function runGlassbox() {
  const t0 = performance.now();
  gbLast = minimize(sys, 'KA3D', { fnormTol: 1e-8 });
  gbTimes.push((performance.now() - t0) / 1000);
}
function timedLammps() {
  const t0 = performance.now();
  runLammps();
  lmpTimes.push({ wall: (performance.now() - t0) / 1000, loop: lmpLast.loopSeconds });
}
const median = (a) => { const b = [...a].sort((x, y) => x - y); const m = b.length >> 1; return b.length % 2 ? b[m] : (b[m - 1] + b[m]) / 2; };
const gbExtra = () => ({
  iterations: gbLast.iterations, forceEvaluations: gbLast.forceEvaluations, converged: gbLast.converged,
  medianSeconds: median(gbTimes), secondsPerIteration: median(gbTimes) / gbLast.iterations, neighborRebuilds: gbLast.neighborRebuilds,
  energyPerParticle: gbLast.energyPerParticle, forceNorm: gbLast.forceNorm, simd: wasm().simd, runs: gbTimes.length,
});
let cases;
if (haveLammps) {
  // one case runs both, glassbox then LAMMPS, so the two share the machine's load; ratios per run
  cases = [{
    name: `side by side: glassbox FIRE (wasm) then LAMMPS FIRE (lmp ${lammpsVersion}, 1 process), KA3D N=4096, |F|_2 < 1e-8`,
    fn: () => { runGlassbox(); timedLammps(); },
    extra: () => {
      const ratios = gbTimes.map((g, k) => g / lmpTimes[k].wall);
      const loopRatios = gbTimes.map((g, k) => g / lmpTimes[k].loop);
      return {
        glassbox: gbExtra(),
        lammps: { ...lmpLast, medianWallSeconds: median(lmpTimes.map((t) => t.wall)), medianLoopSeconds: median(lmpTimes.map((t) => t.loop)),
          secondsPerIteration: median(lmpTimes.map((t) => t.loop)) / lmpLast.iterations, runs: lmpTimes.length },
        ratioGlassboxOverLammpsWall: { median: median(ratios), perRun: ratios },
        ratioGlassboxOverLammpsLoop: { median: median(loopRatios), perRun: loopRatios },
      };
    },
    minSamples: 3,
    maxTime: 1,
  }];
} else {
  console.log('minimize.bench: `lmp` (LAMMPS) not on PATH: only glassbox is timed');
  cases = [{ name: 'glassbox FIRE (wasm), KA3D N=4096, until |F|_2 < 1e-8', fn: runGlassbox, extra: gbExtra, minSamples: 3, maxTime: 1 }];
}

const out = await runSuite('minimize', cases);
if (haveLammps) {
  // final positions of both minimisers (LAMMPS dump: id xu yu zu, sorted by id)
  const dump = readFileSync(join(lmpDir, 'final.dump'), 'utf8').trim().split('\n').slice(9).map((s) => s.trim().split(/\s+/).map(Number));
  let worst = 0;
  for (let i = 0; i < N; i++) for (let a = 0; a < 3; a++) {
    let d = gbLast.system.positions[3 * i + a] - dump[i][1 + a];
    d -= L * Math.round(d / L);
    worst = Math.max(worst, Math.abs(d));
  }
  out.comparison = {
    energyPerParticleRelDiff: Math.abs(gbLast.energyPerParticle - lmpLast.energyPerParticle) / Math.abs(lmpLast.energyPerParticle),
    maxPositionDiff: worst,
    iterations: { glassbox: gbLast.iterations, lammps: lmpLast.iterations },
  };
  console.log('glassbox vs LAMMPS minimum:', JSON.stringify(out.comparison));
  writeFileSync(join(here, 'results', 'minimize.json'), JSON.stringify(out, null, 2) + '\n');
  rmSync(lmpDir, { recursive: true, force: true });
}
