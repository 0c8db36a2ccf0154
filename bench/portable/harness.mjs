// The benchmark harness shared by Node (bench/lib.mjs, bench/web.mjs) and the browser
// (web/bench.js): runs cases with the `benchmark` package and returns one result row per case
// in the format of bench/results/*.json ({ name, meanSeconds, rme, hz, samples, ...extra }).
// No Node built-ins here: the caller passes the Benchmark constructor (the npm package in Node,
// the global of node_modules/benchmark/benchmark.js in a page) and, in Node, a CPU clock.

/**
 * cases: [{ name, fn, extra?: (mean) => object, minSamples?, maxTime? }]
 * opts: { minSamples = 5, maxTime = 5, cpuSeconds?: () => number (process CPU time; Node only),
 *         log?: (line) => void, onCase?: (index, name) => void|Promise }
 * With cpuSeconds, every row also gets cpuSecondsPerCall (mean process CPU time per call,
 * calibration calls included), the steadier figure on a shared machine.
 */
export async function runCases(Benchmark, cases, opts = {}) {
  const { minSamples = 5, maxTime = 5, cpuSeconds = null, log = (s) => console.log(s), onCase = null } = opts;
  const rows = [];
  for (let k = 0; k < cases.length; k++) {
    const c = cases[k];
    if (onCase) await onCase(k, c.name);
    const cpu = { calls: 0, seconds: 0 };
    const fn = cpuSeconds
      ? () => { const t = cpuSeconds(); c.fn(); cpu.seconds += cpuSeconds() - t; cpu.calls++; }
      : c.fn;
    const b = await new Promise((resolve, reject) => {
      const bench = new Benchmark(c.name, fn, {
        minSamples: c.minSamples ?? minSamples,
        maxTime: c.maxTime ?? maxTime,
        initCount: 1,
        onComplete: () => resolve(bench),
        onError: (e) => reject(e.target.error),
      });
      bench.run();
    });
    const extra = c.extra ? c.extra(b.stats.mean) : {};
    const row = {
      name: c.name,
      meanSeconds: b.stats.mean,
      rme: b.stats.rme,
      hz: b.hz,
      samples: b.stats.sample.length,
      ...(cpuSeconds && !('cpuSecondsPerCall' in extra) ? { cpuSecondsPerCall: +(cpu.seconds / Math.max(1, cpu.calls)).toFixed(4) } : {}),
      ...extra,
    };
    rows.push(row);
    log(`${c.name.padEnd(58)} ${(b.stats.mean * 1e3).toFixed(2).padStart(10)} ms ±${b.stats.rme.toFixed(1)}% (${row.samples} samples)` +
      (c.extra ? ' ' + JSON.stringify(extra) : ''));
    // let a page repaint / the event loop breathe between cases
    await new Promise((r) => setTimeout(r, 0));
  }
  return rows;
}
