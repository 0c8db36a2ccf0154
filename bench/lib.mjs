// Tiny harness over the `benchmark` package: runs cases, prints a table, and writes
// bench/results/<suite>.json (hz, mean, rme, samples, plus any figures a case reports) so that
// runs can be compared over time. The sampling loop is bench/portable/harness.mjs, shared with
// the browser benchmark page (web/bench.html).
import Benchmark from 'benchmark';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { runCases } from './portable/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * cases: [{ name, fn, extra?: () => object, minSamples? }]
 * Returns the results object that was written.
 */
export async function runSuite(suiteName, cases, { minSamples = 5, maxTime = 5 } = {}) {
  const results = await runCases(Benchmark, cases, { minSamples, maxTime });
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
