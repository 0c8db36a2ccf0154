// How the descriptors and the held-out score depend on the minimiser's stopping rule (issue 14,
// part 3). KA 3D T = 0.44 (../shared/data/ka3d-T0.44), train on configurations 1-7, test on 8-10
// (the README protocol; --train / --test to change), default descriptors (596, KA3D energy
// family), default `fit` models (ridge + elastic net, 5 grouped folds).
//
// Reference ("tight minimum"): the LAMMPS inherent structures of ../shared/data/ka3d-T0.44/inherent
// (FIRE, then CG, |F|_2 < 1e-10). Variants:
//   hybrid:   FIRE (LAMMPS's update order, skin 0.1) until |F|_2 < s (--switch, default 1e-3; 0.01
//             lands in a neighbouring minimum on 4 of the 10 configurations), then L-BFGS (steps <= 0.01)
//             until |F|_2 < t  (fnorm rule) or until max_ic |F_ic| < t (fmax rule),
//             t = 1e-3 ... 1e-8 (the FIRE stage is shared: L-BFGS's stopping test does not change
//             its path, so each t is the prefix of the tightest run);
//   fire:     (--fire T1,T2,..) FIRE alone, LAMMPS's rule |F|_2 < t, skin 0.3 (one run per t).
// For each variant: per particle (species A, the fitted rows), the descriptor error
//   rel_i = max_k |x_ik - xref_ik| / s_k,  s_k = RMS over particles of the reference column k,
// the fraction of particles with rel_i < 1e-6, and the fit's held-out (test) Pearson of each model;
// plus force evaluations (sum over configurations) and the largest per-particle displacement
// from the reference. Writes bench/results/stopping-rule.json.
//   node bench/stopping-rule.bench.mjs [--out NAME (bench/results/NAME.json)] [--switch 1e-3] [--tols 1e-3,...] [--stops fnorm,fmax]
//                                      [--fire 1e-5,1e-8] [--threads N]
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fit, minimizeMany, readConfigurations, readNpy } from '../dist/src/index.js';
import { minimizeLbfgs } from '../dist/src/minimize/lbfgs.js';
import { prepareMany } from '../dist/src/node/parallel/prepare-many.js';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DATA = join(here, '../../shared/data/ka3d-T0.44');
if (!existsSync(DATA)) {
  console.log(`stopping-rule.bench: ${DATA} absent: skipped`);
  process.exit(0);
}
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const list = (s) => (s ? s.split(',').filter(Boolean).map(Number) : []);
const trainIds = list(arg('train', '1,2,3,4,5,6,7'));
const testIds = list(arg('test', '8,9,10'));
const tols = list(arg('tols', '1e-3,1e-4,1e-5,1e-6,1e-7,1e-8'));
const fireTols = list(arg('fire', ''));
const sw = Number(arg('switch', '1e-3'));
const stops = arg('stops', 'fnorm,fmax').split(',');
const threads = arg('threads') ? Number(arg('threads')) : undefined;
const ids = [...trainIds, ...testIds];
const file = (c) => join(DATA, 'train', `isoconfig_N4096T0.44_${c}_tc07.npz`);
const configs = readConfigurations(ids.map(file), { box: [Math.cbrt(4096 / 1.2)] });
const L = configs[0].system.box[0];
const refIS = ids.map((c) => readNpy(new Uint8Array(readFileSync(join(DATA, 'inherent', `isoconfig_N4096T0.44_${c}_tc07_is.npy`)))).data);
const fo = { potential: 'KA3D' };
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

/** Descriptors (prepared rows) and the fit with the given inherent positions per configuration. */
async function evaluate(positions) {
  const cs = configs.map((c, k) => ({ ...c, inherent: positions[k] }));
  const prep = await prepareMany(cs, fo, 'inherent', undefined, { threads });
  const r = fit({ train: [], prepared: { train: prep.slice(0, trainIds.length), test: prep.slice(trainIds.length), dim: 3, labels: ['A', 'B'] }, features: fo, structure: 'inherent', bootstrap: 0, interpret: false });
  return { prep, fit: r };
}
function descriptorError(prep, ref) {
  const rels = [];
  for (let c = 0; c < prep.length; c++) {
    const X = prep[c].X, R = ref[c].X, p = prep[c].fm.p, n = X.length / p;
    const s = new Float64Array(p);
    for (let i = 0; i < n; i++) for (let k = 0; k < p; k++) s[k] += R[i * p + k] ** 2;
    for (let k = 0; k < p; k++) s[k] = Math.sqrt(s[k] / n) || 1;
    for (let i = 0; i < n; i++) {
      let m = 0;
      for (let k = 0; k < p; k++) m = Math.max(m, Math.abs(X[i * p + k] - R[i * p + k]) / s[k]);
      rels.push(m);
    }
  }
  rels.sort((a, b) => a - b);
  const q = (f) => rels[Math.min(rels.length - 1, Math.floor(f * rels.length))];
  return { particles: rels.length, fractionBelow1e6: rels.filter((x) => x < 1e-6).length / rels.length, fractionBelow1e4: rels.filter((x) => x < 1e-4).length / rels.length, median: q(0.5), p99: q(0.99), max: rels[rels.length - 1] };
}
function displacement(positions) {
  let worst = 0, within = 0, n = 0;
  const perConfig = [];
  positions.forEach((a, c) => {
    const b = refIS[c];
    let w = 0;
    for (let i = 0; i < a.length / 3; i++) {
      let d2 = 0;
      for (let k = 0; k < 3; k++) { let d = a[3 * i + k] - b[3 * i + k]; d -= L * Math.round(d / L); d2 += d * d; }
      worst = Math.max(worst, Math.sqrt(d2));
      w = Math.max(w, Math.sqrt(d2));
      if (Math.sqrt(d2) < 1e-6) within++;
      n++;
    }
    perConfig.push(w);
  });
  return { maxFromReference: worst, fractionWithin1e6: within / n, maxFromReferencePerConfig: perConfig };
}
const scores = (r) => ({ best: r.best.model, bestTestPearson: r.best.testPearson, bestCv: r.best.cvScore, models: Object.fromEntries(r.models.map((m) => [m.model, { cv: m.cvScore, test: m.testPearson }])) });

const t0 = performance.now();
console.log(`load ${loadavg().map((x) => x.toFixed(2)).join(' ')}; ${ids.length} configurations`);
const ref = await evaluate(refIS);
const rows = [{ rule: 'reference (LAMMPS FIRE + CG, |F|_2 < 1e-10)', ...scores(ref.fit) }];
console.log(JSON.stringify(rows[0]));

// hybrid: the FIRE stage once per configuration, on the pool
const c0 = cpu(), w0 = performance.now();
const fireStage = await minimizeMany(configs.map((c) => c.system), 'KA3D', { method: 'fire', fnormTol: sw, ftol: 0, skin: 0.1 }, { enabled: false }, { threads });
const fireStageWall = (performance.now() - w0) / 1000;
const fireEvals = fireStage.reduce((a, r) => a + r.forceEvaluations, 0);
console.log(`FIRE stage (|F|_2 < ${sw}, skin 0.1): ${fireEvals} evaluations over ${ids.length} configurations, ${fireStageWall.toFixed(1)} s wall`);
for (const rule of stops) {
  for (const t of tols) {
    const load1 = loadavg()[0];
    const c1 = cpu();
    const res = fireStage.map((f) => minimizeLbfgs(f.system, 'KA3D', { ...(rule === 'fnorm' ? { fnormTol: t, ftol: 0 } : { ftol: t }), maxStep: 0.01, skin: 0.1, maxIter: Math.max(1, 100000 - f.iterations) }));
    const tailCpu = cpu() - c1;
    const pos = res.map((r) => r.system.positions);
    const ev = await evaluate(pos);
    const row = {
      rule: `hybrid (switch ${sw}), L-BFGS until ${rule === 'fnorm' ? '|F|_2' : 'max |F_ic|'} < ${t}`, method: 'hybrid', stop: rule, tol: t, load1,
      forceEvaluations: fireEvals + res.reduce((a, r) => a + r.forceEvaluations, 0), lbfgsEvaluations: res.reduce((a, r) => a + r.forceEvaluations, 0), lbfgsCpuSeconds: tailCpu,
      converged: res.every((r) => r.converged), maxForceNorm: Math.max(...res.map((r) => r.forceNorm)), maxForceComponent: Math.max(...res.map((r) => r.maxForce)),
      ...displacement(pos), descriptors: descriptorError(ev.prep, ref.prep), ...scores(ev.fit),
    };
    rows.push(row);
    console.log(JSON.stringify(row));
  }
}
for (const t of fireTols) {
  const load1 = loadavg()[0];
  const w1 = performance.now();
  const res = await minimizeMany(configs.map((c) => c.system), 'KA3D', { method: 'fire', fnormTol: t, ftol: 0 }, { enabled: false }, { threads });
  const pos = res.map((r) => r.system.positions);
  const ev = await evaluate(pos);
  const row = {
    rule: `FIRE alone (LAMMPS rule), |F|_2 < ${t}`, method: 'fire', stop: 'fnorm', tol: t, load1, wallSeconds: (performance.now() - w1) / 1000,
    forceEvaluations: res.reduce((a, r) => a + r.forceEvaluations, 0), converged: res.every((r) => r.converged),
    ...displacement(pos), descriptors: descriptorError(ev.prep, ref.prep), ...scores(ev.fit),
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
writeResults(arg('out', 'stopping-rule'), rows, {
  note: 'shared 2-core machine; descriptors compared on species A rows against the LAMMPS inherent structures (|F|_2 < 1e-10); test = held-out Pearson (mean over test configurations) of each model',
  train: trainIds, test: testIds, switchFnorm: sw, fireStageEvaluations: fireEvals, fireStageWallSeconds: fireStageWall, benchCpuSeconds: cpu() - c0, wallSeconds: (performance.now() - t0) / 1000, loadAfter: loadavg(),
});
