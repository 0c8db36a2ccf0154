// glassbox fit over several lag times: --target-column 'dr_1,dr_2' | 'dr_*', or --over-time
// (the training files are one configuration at several times). One fit per time, descriptors
// computed once; table, JSON (`times`) and a report with the r(t) chart.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { writeOutputFile } from '../io/fs.js';
import { fitFilesOverTimes, type FitTimesFilesOptions, type FitTimesFilesResult } from '../node/times.js';
import { timesJSON } from '../workflow/times.js';
import { cvLine, cvJSON } from '../workflow/results.js';

const fmt = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(3));

/** True when the fit command is a run over times. */
export function isTimesRun(targetColumn: string | undefined, overTime: boolean): boolean {
  return overTime || (targetColumn !== undefined && /[,*]/.test(targetColumn));
}

export function timesTable(r: FitTimesFilesResult): string {
  const first = r.times[0].result;
  const models = first.models.map((m) => m.model);
  const head = ['time', 't', ...models.map((m) => `${m} CV / test r (params)`)];
  const rows = r.times.map((x) => [
    x.label,
    x.t === null ? '-' : String(x.t),
    ...models.map((name) => {
      const m = x.result.models.find((q) => q.model === name)!;
      if (m.error) return 'failed';
      const p = Object.entries(m.params).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(3)}`).join(' ');
      return `${fmt(m.cvScore)} / ${fmt(m.testPearson)} (${p})`;
    }),
  ]);
  const w = head.map((_, c) => Math.max(...[head, ...rows].map((row) => row[c].length)));
  const line = (row: string[]) => row.map((s, c) => s.padEnd(w[c])).join('  ').trimEnd();
  return [
    `glassbox fit over ${r.times.length} times (${r.source}): ${first.trainConfigs.length} training / ${first.testConfigs.length} test configurations, species ${first.species}, ` +
      `${first.rowsTrain} training rows x ${first.features} descriptors (${first.structure} structure)`,
    line(head),
    line(w.map((k) => '-'.repeat(k))),
    ...rows.map(line),
    cvLine(first),
    `descriptors computed once: ${r.timings.descriptorsFirstTime.toFixed(2)} s at the first time, ${r.timings.descriptorsLaterTimes.toFixed(2)} s for the other ${r.times.length - 1} together (row selection only)`,
    `timings (s): ${Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`,
  ].join('\n');
}

export function timesResultJSON(r: FitTimesFilesResult): Record<string, unknown> {
  const first = r.times[0].result;
  return {
    cv: cvJSON(first),
    times: timesJSON(r),
    source: r.source,
    features: first.features,
    species: first.species,
    structure: first.structure,
    center: first.center,
    train: first.trainConfigs,
    test: first.testConfigs,
    timings: r.timings,
  };
}


export async function runTimes(o: FitTimesFilesOptions, out: { dir?: string; force: boolean; json: boolean; published?: string; temperature?: number }, inputs: string[]): Promise<number> {
  if (out.published && !existsSync(out.published)) throw new InputError(`--published ${out.published}: no such file`);
  const r = await fitFilesOverTimes(o);
  if (out.dir) {
    mkdirSync(out.dir, { recursive: true });
    const { rOfT, publishedCurves } = await import('../report/analysis-charts.js');
    const { renderReport } = await import('../report/index.js');
    const pts = r.times.flatMap((x) => x.result.models.filter((m) => !m.error).map((m) => ({ label: x.label, t: x.t, model: m.model, cvScore: m.cvScore, testPearson: m.testPearson })));
    const pub = out.published ? publishedCurves(JSON.parse(readFileSync(out.published, 'utf8')), o.preset, out.temperature ?? r.temperature) : [];
    const first = r.times[0].result;
    const html = await renderReport({
      title: 'glassbox fit over lag times',
      subtitle: r.source,
      meta: { species: first.species, structure: first.structure, descriptors: first.features, cv: cvLine(first), train: first.trainConfigs.join(', '), test: first.testConfigs.join(', ') || '-' },
      sections: [{
        heading: 'r(t)',
        text: `One fit per lag time (hyper-parameters chosen by CV at each time), descriptors computed once.${pub.length ? ' Published curves: GlassBench (Jung et al., Roadmap on machine learning glassy dynamics, 2025), trained on 100-400 configurations.' : ''}`,
        table: {
          columns: ['time', 't', 'model', 'parameters', 'CV r', 'test r'],
          rows: r.times.flatMap((x) => x.result.models.map((m) => [x.label, x.t ?? '-', m.model, m.error ? 'failed' : Object.entries(m.params).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(3)}`).join(' '), fmt(m.cvScore), fmt(m.testPearson)])),
        },
        charts: [await rOfT(pts, pub)],
      }],
    });
    writeOutputFile(join(out.dir, 'results.json'), JSON.stringify(timesResultJSON(r), null, 1) + '\n', { force: out.force, inputs });
    writeOutputFile(join(out.dir, 'report.html'), html, { force: out.force, inputs });
  }
  if (out.json) console.log(JSON.stringify(timesResultJSON(r), null, 1));
  else {
    console.log(timesTable(r));
    if (out.dir) console.log(`wrote ${join(out.dir, 'results.json')} and ${join(out.dir, 'report.html')}`);
  }
  return 0;
}
