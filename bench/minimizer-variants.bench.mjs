// Minimiser variants on the same start against LAMMPS's inherent structure (issue 14 part 3):
// KA 3D configuration C of ../shared/data/ka3d-T0.44 (default 1), |F|_2 < 1e-8, compared with
// ../shared/data/ka3d-T0.44/inherent (LAMMPS FIRE + CG, |F|_2 < 1e-10; LAMMPS FIRE alone reaches
// it to 3e-9). Per variant: force evaluations, CPU seconds and CPU ms per evaluation (one run
// each, in turn, in this process), U/N, the largest particle displacement from LAMMPS's minimum
// and the fractions of particles within 1e-6 and 1e-4. Writes bench/results/minimizer-variants.json.
//   node bench/minimizer-variants.bench.mjs [--config C]
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimize, readNpy, readSystems } from '../dist/src/index.js';
import { minimizeLbfgs } from '../dist/src/minimize/lbfgs.js';
import { minimizeRule } from '../dist/src/minimize/minimize.js';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = join(here, '../../shared/data/ka3d-T0.44');
if (!existsSync(DATA)) {
  console.log(`minimizer-variants.bench: ${DATA} absent: skipped`);
  process.exit(0);
}
const i = process.argv.indexOf('--config');
const c = i > 0 ? Number(process.argv[i + 1]) : 1;
const sys = readSystems(join(DATA, 'train', `isoconfig_N4096T0.44_${c}_tc07.npz`), { box: [Math.cbrt(4096 / 1.2)] }).frames[0].system;
const ref = readNpy(new Uint8Array(readFileSync(join(DATA, 'inherent', `isoconfig_N4096T0.44_${c}_tc07_is.npy`)))).data;
const L = sys.box[0];
function same(a) {
  let worst = 0, n6 = 0, n4 = 0;
  for (let k = 0; k < sys.n; k++) {
    let d2 = 0;
    for (let a3 = 0; a3 < 3; a3++) { let d = a[3 * k + a3] - ref[3 * k + a3]; d -= L * Math.round(d / L); d2 += d * d; }
    const d = Math.sqrt(d2);
    worst = Math.max(worst, d);
    if (d < 1e-6) n6++;
    if (d < 1e-4) n4++;
  }
  return { maxFromLammps: worst, within1e6: n6 / sys.n, within1e4: n4 / sys.n };
}
const F = { fnormTol: 1e-8, ftol: 0 };
const variants = [
  ['FIRE (lammps rule, skin 0.3)', () => minimize(sys, 'KA3D', minimizeRule('lammps'))],
  ['FIRE, skin 0.1', () => minimize(sys, 'KA3D', { ...F, skin: 0.1 })],
  ['abc-FIRE, skin 0.1', () => minimize(sys, 'KA3D', { ...F, skin: 0.1, abc: true })],
  ['FIRE, dt_max = 20 dt, skin 0.1', () => minimize(sys, 'KA3D', { ...F, skin: 0.1, dtMax: 0.1 })],
  ['L-BFGS alone, steps <= 0.01, skin 0.1', () => minimizeLbfgs(sys, 'KA3D', { ...F, skin: 0.1, maxStep: 0.01 })],
  ['hybrid, switch 0.01, skin 0.1', () => minimize(sys, 'KA3D', { ...F, skin: 0.1, method: 'hybrid', switchFnorm: 0.01 })],
  ['fast rule (hybrid, switch 1e-3, |F|_2 < 1e-6, skin 0.1)', () => minimize(sys, 'KA3D', minimizeRule('fast'))],
];
const rows = [];
for (const [name, fn] of variants) {
  const load1 = loadavg()[0];
  const t = process.cpuUsage();
  const r = fn();
  const u = process.cpuUsage(t);
  const cpu = (u.user + u.system) / 1e6;
  const row = { variant: name, load1, forceEvaluations: r.forceEvaluations, cpuSeconds: cpu, cpuMsPerEvaluation: (1000 * cpu) / r.forceEvaluations, neighborRebuilds: r.neighborRebuilds, energyPerParticle: r.energyPerParticle, forceNorm: r.forceNorm, converged: r.converged, ...same(r.system.positions) };
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeResults('minimizer-variants', rows, { config: c, note: 'shared 2-core machine; one run per variant, in turn, in one process; CPU of this process', loadAfter: loadavg() });
