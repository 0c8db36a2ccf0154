// Worker pool: FIRE minimisation (ftol 1e-8, the `fit` default) of 4 KA 3D configurations
// (N = 4096, ../shared/data/ka3d-T0.44/train configurations 1-4, box (4096/1.2)^(1/3)) with
// minimizeMany on 1 thread (inline) and on 2 worker threads, cache off. Wall time per run, the
// minimisations' own times, speed-up, and a check that both give bit-identical minima.
// A timed script (each case takes tens of seconds, too long for `benchmark`'s sampling);
// results in bench/results/parallel.json. The machine's load average is recorded: other
// processes on the same cores distort the speed-up.
//   node bench/parallel.bench.mjs            (needs ../shared and a built dist/: npm run build)
//   BENCH_REPEATS=2 BENCH_THREADS=1,2 node bench/parallel.bench.mjs
import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { minimizeMany, readSystems } from '../dist/src/index.js';
import { writeResults } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DIR = join(here, '../../shared/data/ka3d-T0.44/train');
const files = [1, 2, 3, 4].map((i) => join(DIR, `isoconfig_N4096T0.44_${i}_tc07.npz`));
if (!files.every(existsSync)) {
  console.log(`parallel.bench: ${DIR} not found (../shared absent): skipped`);
} else {
  const L = Math.cbrt(4096 / 1.2);
  const systems = files.map((f) => readSystems(f, { box: L }).frames[0].system);
  const repeats = Number(process.env.BENCH_REPEATS ?? 1);
  const threadList = (process.env.BENCH_THREADS ?? '1,2').split(',').map(Number);
  const results = [];
  let reference = null;
  let identical = true;
  for (let rep = 0; rep < repeats; rep++) {
    for (const threads of threadList) {
      const load = os.loadavg()[0];
      const t0 = performance.now();
      const rs = await minimizeMany(systems, 'KA3D', { ftol: 1e-8 }, { enabled: false }, { threads });
      const wall = (performance.now() - t0) / 1000;
      if (reference === null) reference = rs;
      const same = rs.every((r, i) => Buffer.from(r.system.positions.buffer).equals(Buffer.from(reference[i].system.positions.buffer)) && r.energy === reference[i].energy);
      identical &&= same;
      const row = {
        name: `minimizeMany 4 x KA3D N=4096 ftol 1e-8, ${threads} thread${threads > 1 ? 's' : ''}`,
        threads,
        repeat: rep,
        wallSeconds: wall,
        perConfigSeconds: rs.map((r) => r.seconds),
        sumConfigSeconds: rs.reduce((s, r) => s + r.seconds, 0),
        iterations: rs.map((r) => r.iterations),
        energyPerParticle: rs.map((r) => r.energyPerParticle),
        identicalToFirstRun: same,
        loadAverageBefore: load,
        loadAverageAfter: os.loadavg()[0],
      };
      results.push(row);
      console.log(`${row.name.padEnd(52)} wall ${wall.toFixed(2).padStart(7)} s  per config ${row.perConfigSeconds.map((s) => s.toFixed(2)).join(' ')} s  load ${load.toFixed(2)}  ${same ? 'identical' : 'DIFFERENT'}`);
    }
  }
  const best = (t) => Math.min(...results.filter((r) => r.threads === t).map((r) => r.wallSeconds));
  const speedup = threadList.includes(1) ? Object.fromEntries(threadList.filter((t) => t > 1).map((t) => [t, best(1) / best(t)])) : {};
  for (const [t, s] of Object.entries(speedup)) console.log(`speed-up ${t} threads vs 1 (best wall times): ${s.toFixed(2)}x`);
  writeResults('parallel', results, { availableParallelism: os.availableParallelism(), speedupBestWall: speedup, identical });
  if (!identical) process.exitCode = 1;
}
