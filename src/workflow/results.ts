// The results of a fit as people read them: the plain-text table of `glassbox fit` and the JSON
// of `--json` / results.json. Browser-safe, so the web page writes the same results.json as the CLI.

import type { FitResult } from './pipeline.js';

const fmt = (x: number | null | undefined, d = 3) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));
function fmtParams(p: Record<string, number>): string {
  return Object.entries(p).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toPrecision(3)}`).join(' ') || '-';
}

/** One line saying how the CV was made. */
export function cvLine(r: FitResult): string {
  const c = r.cv;
  if (c.method === 'configs') return `CV: ${c.folds} folds grouped by configuration`;
  const slab = c.slab ? `; test: held-out slab x in [${c.slab.from.toFixed(2)}, ${c.slab.to.toFixed(2)}) (${c.slab.testRows} rows, ${c.slab.bufferRows} rows in its buffer dropped)` : '';
  return `CV: spatial blocks, ${c.blocksPerAxis} per axis (${c.blocks} blocks) in ${c.folds} folds; buffer ${c.buffer} (descriptors' reach ${c.reach}); ` +
    `training rows dropped by the buffer per fold ${c.rowsDroppedPerFold!.join(' ')} (total ${c.rowsDropped}), held out per fold ${c.rowsTestPerFold!.join(' ')}${slab}`;
}

/** The 1-SE model and the weight reproducibility, one line each. */
export function interpretLines(r: FitResult): string[] {
  const it = r.interpretability;
  if (!it) return [];
  const out: string[] = [];
  if (it.oneSE) {
    const o = it.oneSE;
    out.push(`1-SE model: ${o.model} with ${o.size} ${o.model === 'pcr' ? 'components' : 'features'} (CV ${fmt(o.cvScore)}, best ${fmt(it.frontier.best?.cvScore)}, test ${fmt(o.testPearson)}): ${o.features.slice(0, 6).join('; ')}${o.features.length > 6 ? '; ...' : ''}`);
  }
  const rep = Object.entries(it.reproducibility);
  if (rep.length) out.push(`weight reproducibility (disjoint halves of ${it.reproducibilityUnits}): ${rep.map(([m, v]) => `${m} ${fmt(v)}`).join(', ')}`);
  return out;
}

/** The results table (plain text). */
export function resultsTable(r: FitResult): string {
  const rows = [['model', 'params', 'CV r (mean ± sd)', 'test r', 'test r per configuration', 'nonzero']];
  for (const m of r.models) {
    if (m.error) {
      rows.push([m.model, 'failed', m.error.slice(0, 60), '-', '-', '-']);
      continue;
    }
    rows.push([
      m.model + (m === r.best ? ' *' : ''),
      fmtParams(m.params),
      `${fmt(m.cvScore)} ± ${fmt(m.cvStd)}`,
      fmt(m.testPearson),
      m.testPearsonPerConfig.map((x) => fmt(x)).join(' ') || '-',
      `${m.nonzero}/${r.features}`,
    ]);
  }
  const w = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((s, c) => s.padEnd(w[c])).join('  ').trimEnd();
  return [
    `glassbox fit: ${r.trainConfigs.length} training / ${r.testConfigs.length} test configurations, species ${r.species}, ` +
      `${r.rowsTrain} training rows x ${r.features} descriptors (${r.structure} structure, ${r.center} centring)`,
    line(rows[0]),
    line(w.map((k) => '-'.repeat(k))),
    ...rows.slice(1).map(line),
    cvLine(r),
    ...interpretLines(r),
    `* best CV score. Pearson r per configuration on species ${r.species}, averaged (GlassBench convention).`,
    ...autoLines(r),
    `timings (s): ${Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`,
  ].join('\n');
}

function autoLines(r: FitResult): string[] {
  const a = (r as { auto?: { candidates: { structure: string; model: string; cvScore: number; cvStd: number; testPearson: number | null; features: number }[]; chosen: string } }).auto;
  if (!a) return [];
  const w = Math.max(...a.candidates.map((c) => c.structure.length));
  return [
    'structure auto (chosen by CV alone):',
    ...a.candidates.map((c) => `  ${c.structure === a.chosen ? '*' : ' '} ${c.structure.padEnd(w)}  CV ${fmt(c.cvScore)} ± ${fmt(c.cvStd)}  test ${fmt(c.testPearson)}  (${c.model}, ${c.features} descriptors)`),
  ];
}

/** The cv part of the JSON (method, folds; blocks: blocks, buffer, reach, rows dropped, slab). */
export function cvJSON(r: FitResult): Record<string, unknown> {
  return { ...r.cv };
}

/** The --json form. */
export function resultsJSON(r: FitResult): Record<string, unknown> {
  return {
    cv: cvJSON(r),
    ...(r.interpretability ? { interpretability: r.interpretability } : {}),
    models: r.models.map((m) => ({
      model: m.model,
      params: m.params,
      cvScore: m.cvScore,
      cvStd: m.cvStd,
      testPearson: m.testPearson,
      testPearsonPerConfig: m.testPearsonPerConfig,
      nonzero: m.nonzero,
      ...(m.error ? { error: m.error } : {}),
    })),
    best: r.best.model,
    features: r.features,
    species: r.species,
    structure: r.structure,
    center: r.center,
    train: r.trainConfigs,
    test: r.testConfigs,
    ...((r as { auto?: unknown }).auto ? { auto: (r as { auto?: unknown }).auto } : {}),
    timings: r.timings,
    ...((r as { overlap?: string[] }).overlap?.length ? { overlap: (r as { overlap?: string[] }).overlap } : {}),
    ...((r as { clamped?: object }).clamped ? { clamped: (r as { clamped?: object }).clamped } : {}),
  };
}
