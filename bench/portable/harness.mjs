// The benchmark harness shared by Node (bench/lib.mjs, bench/web.mjs) and the browser
// (web/bench.js): runs cases with the `benchmark` package and returns one result row per case
// in the format of bench/results/*.json ({ name, meanSeconds, rme, hz, samples, ...extra }).
// No Node built-ins here: the caller passes the Benchmark constructor (the npm package in Node,
// the global of node_modules/benchmark/benchmark.js in a page) and, in Node, a CPU clock.

/**
 * cases: [{ name, fn, extra?: (mean) => object, minSamples?, maxTime? }]
 * opts: { minSamples = 5, maxTime = 5, log?: (line) => void, onCase?: (index, name) => void|Promise,
 *         cpuMark?: () => number | Promise<number> (a CPU clock in seconds: process.cpuUsage in
 *         Node, the renderer process's CPU time through the DevTools protocol in Chromium) }
 * With cpuMark, every row also gets cpuSecondsPerCall: the CPU time between the marks taken
 * before and after the case divided by the number of calls (calibration calls included), the
 * steadier figure on a shared machine (wall time includes waiting for a core). Benchmark.js makes
 * one untimed pretest call before each sample, so `calls` is about twice `samples`.
 */
export async function runCases(Benchmark, cases, opts = {}) {
  const { minSamples = 5, maxTime = 5, cpuMark = null, log = (s) => console.log(s), onCase = null } = opts;
  const rows = [];
  for (let k = 0; k < cases.length; k++) {
    const c = cases[k];
    if (onCase) await onCase(k, c.name);
    let calls = 0;
    const fn = cpuMark ? () => { c.fn(); calls++; } : c.fn;
    const cpu0 = cpuMark ? await cpuMark() : 0;
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
    const cpu = cpuMark ? (await cpuMark()) - cpu0 : 0;
    const extra = c.extra ? c.extra(b.stats.mean) : {};
    const row = {
      name: c.name,
      meanSeconds: b.stats.mean,
      rme: b.stats.rme,
      hz: b.hz,
      samples: b.stats.sample.length,
      ...(cpuMark && !('cpuSecondsPerCall' in extra) ? { cpuSecondsPerCall: +(cpu / Math.max(1, calls)).toFixed(4), calls } : {}),
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
