// Fewer force evaluations to the same inherent structure: glassbox FIRE (LAMMPS's rule and update
// order), L-BFGS alone (assembly/minimize/lbfgs.ts), and FIRE until |F|_2 < s then L-BFGS
// (minimizeHybrid, s = 0.05, 0.02, 0.01), all to |F|_2 < 1e-8, on KA 3D training configurations
// (N = 4096); optionally LAMMPS `min_style fire` (lmp on PATH) on the first one.
// "Same minimum": per particle, |r - r_FIRE| (minimum image) below 1e-6, 1e-4, 1e-3, 1e-2; the
// fractions are reported. Writes bench/results/minimize-lbfgs.json.
//   node bench/minimize-lbfgs.bench.mjs [--configs 1,2,3] [--lammps]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimize, readSystems } from '../dist/src/index.js';
import { minimizeHybrid, minimizeLbfgs } from '../dist/src/minimize/lbfgs.js';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const TRAIN = join(here, '../../shared/data/ka3d-T0.44/train');
if (!existsSync(TRAIN)) {
  console.log(`minimize-lbfgs.bench: ${TRAIN} absent: skipped`);
  process.exit(0);
}
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const configs = arg('configs', '1,2,3').split(',').map(Number);
const withLammps = process.argv.includes('--lammps') && spawnSync('lmp', ['-h']).status === 0;
const TH = [1e-6, 1e-4, 1e-3, 1e-2];
function same(a, b, n, L) {
  const c = TH.map(() => 0);
  for (let i = 0; i < n; i++) {
    let d2 = 0;
    for (let k = 0; k < 3; k++) { let d = a[3 * i + k] - b[3 * i + k]; d -= L * Math.round(d / L); d2 += d * d; }
    const d = Math.sqrt(d2);
    TH.forEach((t, j) => { if (d < t) c[j]++; });
  }
  return Object.fromEntries(TH.map((t, j) => [`below${t}`, c[j] / n]));
}
const timed = (fn) => { const t = performance.now(); const r = fn(); return [r, (performance.now() - t) / 1000]; };
const results = [];
for (const c of configs) {
  const sys = readSystems(join(TRAIN, `isoconfig_N4096T0.44_${c}_tc07.npz`), { box: [Math.cbrt(4096 / 1.2)] }).frames[0].system;
  const L = sys.box[0];
  const load1 = loadavg()[0];
  const [fire, tf] = timed(() => minimize(sys, 'KA3D', { fnormTol: 1e-8 }));
  const row = { config: c, load1, fire: { forceEvaluations: fire.forceEvaluations, seconds: tf, energyPerParticle: fire.energyPerParticle, converged: fire.converged } };
  const [lb, tl] = timed(() => minimizeLbfgs(sys, 'KA3D', { fnormTol: 1e-8 }));
  row.lbfgs = { forceEvaluations: lb.forceEvaluations, seconds: tl, energyPerParticle: lb.energyPerParticle, converged: lb.converged, sameAsFire: same(lb.system.positions, fire.system.positions, sys.n, L) };
  row.hybrid = [];
  for (const s of [0.05, 0.02, 0.01]) {
    const [h, th] = timed(() => minimizeHybrid(sys, 'KA3D', { fnormTol: 1e-8, switchFnorm: s }));
    row.hybrid.push({ switchFnorm: s, forceEvaluations: h.forceEvaluations, fireEvaluations: h.stages.fire.forceEvaluations, seconds: th, energyPerParticle: h.energyPerParticle, converged: h.converged, sameAsFire: same(h.system.positions, fire.system.positions, sys.n, L) });
  }
  if (withLammps && c === configs[0]) {
    const dir = mkdtempSync(join(tmpdir(), 'gb-lmp-'));
    const lines = [`KA3D ${c}`, '', `${sys.n} atoms`, '2 atom types', '', `0 ${L} xlo xhi`, `0 ${L} ylo yhi`, `0 ${L} zlo zhi`, '', 'Masses', '', '1 1', '2 1', '', 'Atoms # atomic', ''];
    for (let i = 0; i < sys.n; i++) lines.push(`${i + 1} ${sys.species[i] + 1} ${sys.positions[3 * i]} ${sys.positions[3 * i + 1]} ${sys.positions[3 * i + 2]}`);
    writeFileSync(join(dir, 'start.data'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'in.min'), 'units lj\natom_style atomic\nboundary p p p\nread_data start.data\npair_style lj/cut 2.5\npair_modify shift yes\npair_coeff 1 1 1.0 1.0 2.5\npair_coeff 1 2 1.5 0.8 2.0\npair_coeff 2 2 0.5 0.88 2.2\nneighbor 0.3 bin\nneigh_modify delay 0 every 1 check yes\ntimestep 0.005\nthermo 1000\nmin_style fire\nminimize 0.0 1e-8 1000000 10000000\nwrite_dump all custom final.dump id xu yu zu modify sort id format float %.17g\n');
    const t = performance.now();
    const r = spawnSync('lmp', ['-in', 'in.min', '-log', 'log.lammps', '-screen', 'none'], { cwd: dir, encoding: 'utf8' });
    const wall = (performance.now() - t) / 1000;
    if (r.status === 0) {
      const log = readFileSync(join(dir, 'log.lammps'), 'utf8');
      const m = /Iterations, force evaluations = (\d+) (\d+)/.exec(log);
      const dump = readFileSync(join(dir, 'final.dump'), 'utf8').trim().split('\n').slice(9).map((s) => s.trim().split(/\s+/).map(Number));
      const lp = new Float64Array(3 * sys.n);
      dump.forEach((d, i) => { lp[3 * i] = d[1]; lp[3 * i + 1] = d[2]; lp[3 * i + 2] = d[3]; });
      const best = row.hybrid.find((h) => h.switchFnorm === 0.01);
      const hyb = minimizeHybrid(sys, 'KA3D', { fnormTol: 1e-8, switchFnorm: 0.01 });
      row.lammps = { wallSeconds: wall, forceEvaluations: Number(m[2]), fireSameAsLammps: same(fire.system.positions, lp, sys.n, L), hybrid001SameAsLammps: same(hyb.system.positions, lp, sys.n, L), hybrid001Evaluations: best.forceEvaluations };
    }
    rmSync(dir, { recursive: true, force: true });
  }
  results.push(row);
  console.log(JSON.stringify(row));
}
writeResults('minimize-lbfgs', results, { note: 'shared 2-core machine (load1 per configuration); seconds are wall times of one run each', loadAfter: loadavg() });
