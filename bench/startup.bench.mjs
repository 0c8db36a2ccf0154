// Start-up: whole-process `glassbox features` on one KA 3D configuration (N = 4096, preset KA3D,
// 596 features) against the numpy reference (`python3 ../shared/reference/time_features.py`),
// interleaved in one run (the machine is shared: ratios of neighbours, medians), plus the
// first-call vs warm descriptor time inside one process with V8's default tiering (Liftoff
// first, GLASSBOX_LIFTOFF=1) and with glassbox's default (optimising tier only).
// With --baseline DIR (another checkout with its own dist/ and build/, e.g. main's), that build's
// whole process runs interleaved too (same file, same load), for a before/after in one run.
//   node bench/startup.bench.mjs [--reps 5] [--python /usr/bin/python3] [--baseline ../main]
// Writes bench/results/startup.json. Needs ../shared and a built dist/ (npm run build).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const FILE = join(root, '../shared/data/ka3d-T0.44/train/isoconfig_N4096T0.44_5_tc07.npz');
const REF = join(root, '../shared/reference/time_features.py');
if (!existsSync(FILE)) {
  console.log(`startup.bench: ${FILE} not found (../shared absent): skipped`);
  process.exit(0);
}
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const REPS = Number(arg('reps', 5));
const BASELINE = arg('baseline', null);
const PY = arg('python', existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const BOX = String((4096 / 1.2) ** (1 / 3));
const tmp = mkdtempSync(join(tmpdir(), 'gb-startup-'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};

/** Run a command under /usr/bin/time: wall, user+sys CPU seconds, max RSS, stdout. */
function timed(cmd, args, env = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', 'GBTIME %e %U %S %M', cmd, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  const m = /GBTIME (\S+) (\S+) (\S+) (\S+)/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { wall: +m[1], cpu: +m[2] + +m[3], rssMB: +m[4] / 1024, stdout: r.stdout };
}

// 1. whole processes, interleaved: glassbox features | python reference (descriptor time printed
//    by the script, and the whole process around it) | glassbox with V8's default tiering
const rows = [];
for (let k = 0; k < REPS; k++) {
  const load0 = loadavg()[0];
  const out = join(tmp, `f${k}.npy`);
  const gb = timed(process.execPath, [join(root, 'dist/cli/glassbox.js'), 'features', FILE, '--box', BOX, '--preset', 'KA3D', '-o', out, '--force']);
  const py = timed(PY, [REF, FILE]);
  const gbLift = timed(process.execPath, [join(root, 'dist/cli/glassbox.js'), 'features', FILE, '--box', BOX, '--preset', 'KA3D', '-o', out, '--force'], { GLASSBOX_LIFTOFF: '1' });
  const base = BASELINE ? timed(process.execPath, [existsSync(join(BASELINE, 'dist/cli/glassbox.js')) ? join(BASELINE, 'dist/cli/glassbox.js') : join(BASELINE, 'dist/src/cli/main.js'), 'features', FILE, '--box', BOX, '--preset', 'KA3D', '-o', out, '--force']) : null;
  const pyCompute = Number(py.stdout.trim().split('\n').pop());
  const row = { rep: k, load1: load0, glassbox: { ...gb, stdout: undefined }, glassboxLiftoff: { ...gbLift, stdout: undefined }, python: { ...py, stdout: undefined, computeSeconds: pyCompute } };
  if (base) row.baseline = { ...base, stdout: undefined };
  row.ratio = pyCompute / gb.wall;
  row.ratioCpu = py.cpu / gb.cpu;
  row.ratioWholeProcess = py.wall / gb.wall;
  if (base) row.baselineRatio = pyCompute / base.wall;
  rows.push(row);
  console.log(`rep ${k} (load ${load0.toFixed(1)}): glassbox ${gb.wall.toFixed(2)} s (CPU ${gb.cpu.toFixed(2)}), liftoff ${gbLift.wall.toFixed(2)} s (CPU ${gbLift.cpu.toFixed(2)}), ${base ? `baseline ${base.wall.toFixed(2)} s (CPU ${base.cpu.toFixed(2)}), ` : ''}numpy reference ${pyCompute.toFixed(2)} s (process ${py.wall.toFixed(2)} s, CPU ${py.cpu.toFixed(2)}): ratio ${row.ratio.toFixed(1)}x (CPU ${row.ratioCpu.toFixed(1)}x)`);
}

// 2. inside one process: import, read, first call, 3 warm calls (default tiering vs optimising only)
const probe = `
const t0 = performance.now();
const g = await import(${JSON.stringify(join(root, 'dist/src/index.js'))});
const t1 = performance.now();
const got = await g.readSystems(${JSON.stringify(FILE)}, { box: [${BOX}] });
const s = Array.isArray(got) ? got[0] : got.frames ? got.frames[0].system : got.systems[0];
const t2 = performance.now();
const opts = { potential: 'KA3D' };
// GB_ROW_BYTES=1: what glassbox features runs (featureRowBytes: the matrix in row blocks straight
// from wasm memory, each block consumed before the next, as the output file's writes do)
const rowBytes = process.env.GB_ROW_BYTES === '1' && typeof g.featureRowBytes === 'function';
const calls = [];
for (let i = 0; i < 4; i++) {
  const a = performance.now();
  if (rowBytes) { let n = 0; for (const b of g.featureRowBytes(s, opts)) n += b.byteLength; if (n !== s.n * 596 * 8) throw new Error('featureRowBytes: ' + n + ' bytes'); }
  else g.computeFeatures(s, opts);
  calls.push((performance.now() - a) / 1e3);
}
console.log(JSON.stringify({ importSeconds: (t1 - t0) / 1e3, readSeconds: (t2 - t1) / 1e3, firstCallSeconds: calls[0], warmSeconds: calls.slice(1) }));
`;
const inproc = { optimizingOnly: [], liftoff: [], rowBytes: [] };
for (let k = 0; k < REPS; k++) {
  for (const [key, env] of [['optimizingOnly', {}], ['liftoff', { GLASSBOX_LIFTOFF: '1' }], ['rowBytes', { GB_ROW_BYTES: '1' }]]) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(r.stderr);
    inproc[key].push(JSON.parse(r.stdout.trim()));
  }
}
const summ = (xs) => ({
  firstCallSeconds: median(xs.map((x) => x.firstCallSeconds)),
  warmSeconds: median(xs.flatMap((x) => x.warmSeconds)),
  importSeconds: median(xs.map((x) => x.importSeconds)),
  readSeconds: median(xs.map((x) => x.readSeconds)),
});
const summary = {
  glassboxWallSeconds: median(rows.map((r) => r.glassbox.wall)),
  glassboxCpuSeconds: median(rows.map((r) => r.glassbox.cpu)),
  glassboxLiftoffWallSeconds: median(rows.map((r) => r.glassboxLiftoff.wall)),
  pythonComputeSeconds: median(rows.map((r) => r.python.computeSeconds)),
  pythonProcessSeconds: median(rows.map((r) => r.python.wall)),
  ratioMedianOfPairs: median(rows.map((r) => r.ratio)),
  ratioOfMedians: median(rows.map((r) => r.python.computeSeconds)) / median(rows.map((r) => r.glassbox.wall)),
  ratioCpuProcesses: median(rows.map((r) => r.python.cpu / r.glassbox.cpu)),
  load1Median: median(rows.map((r) => r.load1)),
  inProcess: { optimizingOnly: summ(inproc.optimizingOnly), liftoff: summ(inproc.liftoff), rowBytes: summ(inproc.rowBytes) },
};
if (BASELINE) {
  summary.baseline = BASELINE;
  summary.baselineWallSeconds = median(rows.map((r) => r.baseline.wall));
  summary.baselineCpuSeconds = median(rows.map((r) => r.baseline.cpu));
  summary.baselineRatioMedianOfPairs = median(rows.map((r) => r.baselineRatio));
  summary.baselineRatioCpuProcesses = median(rows.map((r) => r.python.cpu / r.baseline.cpu));
}
console.log(JSON.stringify(summary, null, 2));
writeResults('startup', rows, {
  file: 'ka3d-T0.44/train/isoconfig_N4096T0.44_5_tc07.npz (N = 4096, preset KA3D, 596 features)',
  python: PY,
  note: 'shared 2-core machine: whole-process runs interleaved, medians; load1 = 1-minute load average before each repetition; ratio = the reference script\'s printed descriptor time / glassbox whole-process wall time; ratioCpu = the reference process\'s CPU seconds / glassbox\'s; inProcess.rowBytes = featureRowBytes consumed block by block (what glassbox features writes: the matrix in row blocks straight from wasm memory); baseline = the --baseline build\'s whole process, same file, same load',
  loadAfter: loadavg(),
  summary,
  inProcessRuns: inproc,
});
rmSync(tmp, { recursive: true, force: true });
