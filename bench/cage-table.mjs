// The README table of issue 13: on ../shared/data/ka3d-T0.44 (10 configurations), two splits
// (train 1-7 / test 8-10 and train 4-10 / test 1-3), `fit --structure auto` (ridge + enet, per-
// configuration centring): every candidate's CV and test score and the CV-chosen one; and the
// cost with a cold cache (cage states of all 10 configurations computed by the first split on
// the worker pool; the second split reads them from the cache).
// The stored inherent structures (../shared/data/ka3d-T0.44/inherent/*.npy, LAMMPS) are put into
// temporary copies of the npz files as `initial_positions_inherent`, so no minimisation runs.
//   node bench/cage-table.mjs [cage-time=2] [cage-runs=4] [tag] [structure=auto] [splits=2]
// (a tag writes bench/results/cage-table<tag>.json; structure/splits to compare cage protocols
// on one split with one combination)
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitFiles, readNpz, writeNpz, readNpy } from '../dist/src/index.js';
import { resolveCageOptions } from '../dist/src/dynamics/dynamics.js';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const D = join(here, '../../shared/data/ka3d-T0.44');
if (!existsSync(D)) { console.log('cage-table: ../shared absent: skipped'); process.exit(0); }
const cageOptions = { time: Number(process.argv[2] ?? 2), runs: Number(process.argv[3] ?? 4) };
const tag = process.argv[4] ?? '';
const structure = process.argv[5] ?? 'auto';
const nSplits = Number(process.argv[6] ?? 2);
const tmp = mkdtempSync(join(tmpdir(), 'gb-cage-table-'));
const files = {};
for (let k = 1; k <= 10; k++) {
  const z = readNpz(new Uint8Array(readFileSync(join(D, 'train', `isoconfig_N4096T0.44_${k}_tc07.npz`))));
  const arrays = {};
  for (const key of ['types', 'initial_positions', 'positions']) { const a = z.get(key); arrays[key] = { dtype: a.dtype, shape: a.shape, data: a.data }; }
  const is = readNpy(new Uint8Array(readFileSync(join(D, 'inherent', `isoconfig_N4096T0.44_${k}_tc07_is.npy`))));
  arrays.initial_positions_inherent = { dtype: '<f8', shape: is.shape, data: is.data };
  files[k] = join(tmp, `config${k}.npz`);
  writeFileSync(files[k], writeNpz(arrays));
}
const cacheDir = join(tmp, 'cache');
const splits = [{ name: 'train 1-7 / test 8-10', train: [1, 2, 3, 4, 5, 6, 7], test: [8, 9, 10] }, { name: 'train 4-10 / test 1-3', train: [4, 5, 6, 7, 8, 9, 10], test: [1, 2, 3] }];
const out = [];
const load0 = loadavg();
for (const s of splits.slice(0, nSplits)) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fitFiles({ train: s.train.map((k) => files[k]), test: s.test.map((k) => files[k]), density: 1.2, preset: 'KA3D', structure, bootstrap: 0, cacheDir, cageOptions });
  const cpu = process.cpuUsage(c0);
  const row = { split: s.name, structure, chosen: r.auto?.chosen ?? r.structure, candidates: r.auto?.candidates ?? [{ structure: r.structure, model: r.best.model, cvScore: r.best.cvScore, cvStd: r.best.cvStd, testPearson: r.best.testPearson, features: r.features }], timings: r.timings, wallSeconds: (performance.now() - t0) / 1000, mainThreadCpuSeconds: (cpu.user + cpu.system) / 1e6 };
  out.push(row);
  console.log(JSON.stringify(row, null, 1));
}
rmSync(tmp, { recursive: true, force: true });
writeResults(`cage-table${tag}`, out, { cage: resolveCageOptions(cageOptions), note: 'shared machine: 2 cores, ~6 jobs (load averages below); cage states of all 10 configurations computed by the first split (cold cache), read back by the second', loadavgBefore: load0, loadavgAfter: loadavg() });
