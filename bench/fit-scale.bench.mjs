// fit on 10, 100 (and, with --400, 400) KA 3D configurations made from the 10 real training ones
// of ../shared/data/ka3d-T0.44/train by random box symmetries (src/workflow/augment.ts: axis permutations,
// reflections, translations; they change no descriptor or target, test/augment.test.ts), thermal
// structure, ridge + elastic net, 5 grouped folds. One child process per size: wall time, the
// fit's stage timings, and the peak resident memory (maxRSS of the child, workers included).
//   node bench/fit-scale.bench.mjs [--sizes 10,100] [--threads N]
// Writes bench/results/fit-scale.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const TRAIN = join(here, '../../shared/data/ka3d-T0.44/train');
if (!existsSync(TRAIN)) {
  console.log('fit-scale: ../shared absent: skipped');
  process.exit(0);
}
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const sizes = arg('sizes', '10,100').split(',').map(Number);
const child = `
const g = await import(${JSON.stringify(join(here, '../dist/src/index.js'))});
const files = ${JSON.stringify(readdirSync(TRAIN).filter((f) => f.endsWith('.npz')).sort().map((f) => join(TRAIN, f)))};
const base = g.readConfigurations(files, { box: [Math.cbrt(4096 / 1.2)] });
const M = Number(process.env.GB_FIT_SCALE_M);
const rnd = g.mulberry32(2026);
const configs = Array.from({ length: M }, (_, k) => k < base.length ? base[k] : g.transformConfiguration(base[k % base.length], g.randomBoxSymmetry(base[0].system.box, rnd), 'sym' + k));
const t0 = performance.now();
const fo = { potential: 'KA3D' };
const prepared = await g.prepareMany(configs, fo, 'thermal', undefined, {});
const tDescr = (performance.now() - t0) / 1000;
const r = g.fit({ train: [], prepared: { train: prepared, test: [], dim: 3, labels: ['A', 'B'] }, features: fo, structure: 'thermal', bootstrap: 0 });
const ru = process.resourceUsage();
console.log(JSON.stringify({ configurations: M, rows: r.rowsTrain, descriptorsSeconds: tDescr, fitTimings: r.timings, totalSeconds: (performance.now() - t0) / 1000, maxRssMB: ru.maxRSS / 1024, best: r.best.model, cvScore: r.best.cvScore }));
`;
const results = [];
for (const M of sizes) {
  const load1 = loadavg()[0];
  const t = performance.now();
  // a script file, not -e: pool workers inherit the parent's execArgv
  const script = join(mkdtempSync(join(tmpdir(), 'gb-fit-scale-')), 'child.mjs');
  writeFileSync(script, child);
  const r = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, GB_FIT_SCALE_M: String(M), ...(arg('threads') ? { GLASSBOX_THREADS: arg('threads') } : {}) }, maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    results.push({ configurations: M, load1, error: r.stderr.split('\n').slice(-8).join('\n') });
    console.log(`M = ${M}: failed\n${r.stderr.slice(-2000)}`);
    continue;
  }
  const row = { ...JSON.parse(r.stdout.trim().split('\n').pop()), load1, processSeconds: (performance.now() - t) / 1000 };
  results.push(row);
  console.log(JSON.stringify(row));
}
writeResults('fit-scale', results, { note: 'shared 2-core machine; thermal structure (no minimisation); maxRssMB = peak resident memory of the process (worker threads share it)', loadAfter: loadavg() });
