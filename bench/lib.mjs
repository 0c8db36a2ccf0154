// Tiny harness over the `benchmark` package: runs cases, prints a table, and writes
// bench/results/<suite>.json (hz, mean, rme, samples, plus any figures a case reports) so that
// runs can be compared over time.
import Benchmark from 'benchmark';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * cases: [{ name, fn, extra?: () => object, minSamples? }]
 * Returns the results object that was written.
 */
export async function runSuite(suiteName, cases, { minSamples = 5, maxTime = 5 } = {}) {
  const results = [];
  for (const c of cases) {
    await new Promise((resolve, reject) => {
      const b = new Benchmark(c.name, c.fn, {
        minSamples: c.minSamples ?? minSamples,
        maxTime: c.maxTime ?? maxTime,
        initCount: 1,
        onComplete: () => resolve(),
        onError: (e) => reject(e.target.error),
      });
      b.run();
      const r = {
        name: c.name,
        meanSeconds: b.stats.mean,
        rme: b.stats.rme,
        hz: b.hz,
        samples: b.stats.sample.length,
        ...(c.extra ? c.extra(b.stats.mean) : {}),
      };
      results.push(r);
      console.log(`${c.name.padEnd(58)} ${(b.stats.mean * 1e3).toFixed(2).padStart(10)} ms ±${b.stats.rme.toFixed(1)}% (${r.samples} samples)` +
        (c.extra ? ' ' + JSON.stringify(c.extra(b.stats.mean)) : ''));
    });
  }
  return writeResults(suiteName, results);
}

/**
 * Write bench/results/<suite>.json (suite, date, node, cpu, cores, results, plus `extra` fields):
 * for timed scripts whose cases are too long for `benchmark`'s repeated sampling.
 */
export function writeResults(suiteName, results, extra = {}) {
  const out = {
    suite: suiteName,
    date: new Date().toISOString(),
    node: process.version,
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    ...extra,
    results,
  };
  mkdirSync(join(here, 'results'), { recursive: true });
  writeFileSync(join(here, 'results', `${suiteName}.json`), JSON.stringify(out, null, 2) + '\n');
  return out;
}
