// Whole-process elastic-net CV: `glassbox regress --model enet --center global --cv 5` on the
// real 32,770 x 596 KA 3D matrix (bench/.cache/, made by regression-real.bench.mjs or here)
// against scikit-learn's ElasticNetCV (bench/sklearn_enetcv.py: same standardisation, folds
// c mod 5, l1_ratio 0.5, 100 alphas, eps 1e-3), both as whole processes (start-up, reading the
// .npy files included), interleaved in one run; medians. scikit-learn runs with
// OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (see the machine notes) and its BLAS is recorded.
//   node bench/regress-startup.bench.mjs [--reps 3] [--python /usr/bin/python3]
// Writes bench/results/regress-startup.json.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const base = join(here, '.cache/ka3d-T0.44-train-A');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const REPS = Number(arg('reps', 3));
const PY = arg('python', existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
if (!existsSync(`${base}.X.npy`)) {
  console.log('regress-startup: building the cached matrix with regression-real.bench.mjs first');
  const r = spawnSync(process.execPath, [join(here, 'regression-real.bench.mjs'), '--quick'], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(`${base}.X.npy`)) {
    console.log('regress-startup: skipped (no matrix: ../shared absent?)');
    process.exit(0);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};
function timed(cmd, args, env) {
  const r = spawnSync('/usr/bin/time', ['-f', 'GBTIME %e %U %S %M', cmd, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  const m = /GBTIME (\S+) (\S+) (\S+) (\S+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { wall: +m[1], cpu: +m[2] + +m[3], rssMB: +m[4] / 1024, stdout: r.stdout };
}
const pyEnv = { ...process.env };
delete pyEnv.OPENBLAS_CORETYPE;
delete pyEnv.OPENBLAS_L2_SIZE;
const probe = spawnSync(PY, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8', env: pyEnv });
if (probe.status !== 0) {
  console.log(`regress-startup: scikit-learn is not importable by ${PY} (Debian: apt-get install -y python3-sklearn): skipped`);
  process.exit(0);
}
const rows = [];
for (let k = 0; k < REPS; k++) {
  const load1 = loadavg()[0];
  const gb = timed(process.execPath, [join(root, 'dist/cli/glassbox.js'), 'regress', '--x', `${base}.X.npy`, '--y', `${base}.y.npy`, '--groups', `${base}.groups.npy`,
    '--model', 'enet', '--l1-ratio', '0.5', '--center', 'global', '--cv', '5', '--json'], process.env);
  const j = JSON.parse(gb.stdout);
  const sk = timed(PY, [join(here, 'sklearn_enetcv.py'), base], pyEnv);
  const sj = JSON.parse(sk.stdout.trim().split('\n').pop());
  const row = {
    rep: k, load1,
    glassbox: { wall: gb.wall, cpu: gb.cpu, rssMB: gb.rssMB, alpha: j.params?.alpha ?? j.model?.params?.alpha, cvScore: j.cv?.best?.score },
    sklearn: { wall: sk.wall, cpu: sk.cpu, rssMB: sk.rssMB, ...sj },
  };
  row.ratio = sk.wall / gb.wall;
  rows.push(row);
  console.log(`rep ${k} (load ${load1.toFixed(1)}): glassbox regress ${gb.wall.toFixed(2)} s (CPU ${gb.cpu.toFixed(2)}), scikit-learn ${sk.wall.toFixed(2)} s (CPU ${sk.cpu.toFixed(2)}, fit ${sj.computeSeconds.toFixed(2)} s, ${sj.warnings} warnings): ${row.ratio.toFixed(1)}x`);
}
const summary = {
  glassboxWallSeconds: median(rows.map((r) => r.glassbox.wall)),
  sklearnWallSeconds: median(rows.map((r) => r.sklearn.wall)),
  ratioMedianOfPairs: median(rows.map((r) => r.ratio)),
  ratioCpu: median(rows.map((r) => r.sklearn.cpu / r.glassbox.cpu)),
  sklearnVersion: probe.stdout.trim(),
};
console.log(JSON.stringify(summary, null, 2));
writeResults('regress-startup', rows, {
  matrix: '32,770 x 596 (ka3d-T0.44 train, A rows, propensity abs), bench/.cache',
  python: PY,
  note: 'shared 2-core machine: whole processes interleaved; load1 = 1-minute load average before each repetition; ratio = scikit-learn process wall / glassbox process wall',
  loadAfter: loadavg(),
  summary,
});
