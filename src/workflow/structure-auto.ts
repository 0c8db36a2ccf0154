// `--structure auto`: fit every candidate combination, choose by CV score alone (the best model's
// mean grouped-CV Pearson r), report each one's CV and test score. Descriptors of each structure
// part are computed once per configuration and shared by the candidates (withFeatureMemo).

import { InputError } from '../errors.js';
import { fit, type FitOptions, type FitResult } from './pipeline.js';
import { canonicalStructure, withFeatureMemo } from './structures.js';

/** The candidates tried by `auto` (each needs a potential: inherent structures and cage states). */
export const AUTO_CANDIDATES = ['inherent', 'inherent,dIS', 'cage', 'inherent,cage', 'inherent,cage,dIS', 'inherent,cage,dIS,dCS'] as const;
/** Every part any candidate needs (what the Node workflow precomputes). */
export const AUTO_UNION = 'inherent,cage,dIS,dCS';

export interface AutoCandidate {
  structure: string;
  /** Best model (by CV) of this candidate, its CV score and sd, and its test score (null without test data). */
  model: string;
  cvScore: number;
  cvStd: number;
  testPearson: number | null;
  features: number;
  seconds: number;
}

export type AutoFitResult = FitResult & { auto: { candidates: AutoCandidate[]; chosen: string } };

/** Fit each candidate (default AUTO_CANDIDATES), choose the best CV score; the chosen one is refitted with the given options. */
export function fitAuto(opts: FitOptions, candidates: readonly string[] = AUTO_CANDIDATES): AutoFitResult {
  if (!opts.features?.potential) throw new InputError('--structure auto needs a potential (e.g. --preset KA3D): its candidates use inherent structures and cage states');
  const list = candidates.map((c) => canonicalStructure(c));
  return withFeatureMemo(() => {
    const rows: AutoCandidate[] = [];
    for (const s of list) {
      const t0 = performance.now();
      opts.onProgress?.(`auto: ${s}`, rows.length, list.length);
      const r = fit({ ...opts, structure: s, bootstrap: 0 });
      rows.push({ structure: s, model: r.best.model, cvScore: r.best.cvScore, cvStd: r.best.cvStd, testPearson: r.best.testPearson, features: r.features, seconds: (performance.now() - t0) / 1000 });
    }
    const best = rows.reduce((a, b) => (b.cvScore > a.cvScore ? b : a));
    const final = fit({ ...opts, structure: best.structure });
    return { ...final, auto: { candidates: rows, chosen: best.structure } };
  });
}
