// Propensity over time: one fit per lag time (or per target column) with the descriptors
// computed once (browser-safe).
//
//   fitTimes(opts, points)   points[t] gives every training (and test) configuration's target at
//                            time t; the configurations keep their System object, so the
//                            pipeline's descriptor cache (FitOptions.descriptorCache) computes
//                            each configuration's descriptors at the first time only.
//
// Every fit is the single-time fit() on the same inputs, so r(t) at one time equals the
// single-time result to the last bit (test/times.test.ts).

import { InputError } from '../errors.js';
import type { Configuration } from './configurations.js';
import type { FeatureMatrix } from '../features/types.js';
import type { System } from '../system/system.js';
import { fit, type FitOptions, type FitResult } from './pipeline.js';

export interface TimePoint {
  /** Name of the time (column name, file name). */
  label: string;
  /** Lag time when known. */
  t: number | null;
  /** Target of every training configuration (same order as opts.train). */
  train: Float64Array[];
  /** Target of every test configuration (same order as opts.test). */
  test?: Float64Array[];
}

export interface TimeFit {
  label: string;
  t: number | null;
  result: FitResult;
}

export interface TimesResult {
  times: TimeFit[];
  /** Seconds: descriptors (first time only), fits (all times), total. */
  timings: Record<string, number>;
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** One fit per time point, descriptors shared (see the module comment). */
export function fitTimes(opts: FitOptions, points: TimePoint[]): TimesResult {
  if (points.length === 0) throw new InputError('fitTimes: no time points');
  const t0 = now();
  const cache = opts.descriptorCache ?? new Map<System, FeatureMatrix>();
  const test = opts.test ?? [];
  const times: TimeFit[] = [];
  let descriptors = 0;
  points.forEach((pt, k) => {
    if (pt.train.length !== opts.train.length) throw new InputError(`time ${pt.label}: ${pt.train.length} training targets for ${opts.train.length} configurations`);
    if ((pt.test ?? []).length !== test.length) throw new InputError(`time ${pt.label}: ${(pt.test ?? []).length} test targets for ${test.length} configurations`);
    const withTarget = (c: Configuration, y: Float64Array): Configuration => {
      if (y.length !== c.system.n) throw new InputError(`${c.name}: target at time ${pt.label} has ${y.length} values, expected ${c.system.n}`);
      return { ...c, target: y, targetSource: pt.label };
    };
    const result = fit({
      ...opts,
      train: opts.train.map((c, i) => withTarget(c, pt.train[i])),
      test: test.map((c, i) => withTarget(c, pt.test![i])),
      descriptorCache: cache,
      interpret: opts.interpret ?? false,
      onProgress: opts.onProgress ? (s, d, n) => opts.onProgress!(`${pt.label} ${s}`, d, n) : undefined,
    });
    descriptors += result.timings.descriptors ?? 0;
    if (k > 0) result.timings.descriptorsCached = result.timings.descriptors;
    times.push({ label: pt.label, t: pt.t, result });
  });
  const total = (now() - t0) / 1000;
  return {
    times,
    timings: {
      descriptorsFirstTime: times[0].result.timings.descriptors ?? 0,
      descriptorsLaterTimes: descriptors - (times[0].result.timings.descriptors ?? 0),
      fits: total - descriptors,
      total,
    },
  };
}

/** The `times` JSON: [{label, t, models: [{model, params, cvScore, testPearson}]}]. */
export function timesJSON(r: TimesResult): Record<string, unknown>[] {
  return r.times.map((x) => ({
    label: x.label,
    t: x.t,
    best: x.result.best.model,
    models: x.result.models.map((m) => ({ model: m.model, params: m.params, cvScore: m.cvScore, cvStd: m.cvStd, testPearson: m.testPearson, ...(m.error ? { error: m.error } : {}) })),
  }));
}

/** Column names matching a comma list with `*` wildcards, in the order given (a pattern's matches by numeric suffix, then name). */
export function expandColumns(spec: string, available: readonly string[]): string[] {
  const out: string[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s.length)) {
    if (!part.includes('*')) {
      if (!available.includes(part)) throw new InputError(`target column "${part}" is missing (columns: ${available.join(', ') || 'none'})`);
      out.push(part);
      continue;
    }
    const re = new RegExp('^' + part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
    const m = available.filter((c) => re.test(c));
    if (m.length === 0) throw new InputError(`target columns "${part}" match none of the columns (${available.join(', ') || 'none'})`);
    const num = (s: string) => {
      const q = /(\d+)$/.exec(s);
      return q ? Number(q[1]) : Infinity;
    };
    m.sort((a, b) => num(a) - num(b) || (a < b ? -1 : a > b ? 1 : 0));
    out.push(...m);
  }
  if (new Set(out).size !== out.length) throw new InputError(`target columns repeat: ${out.join(', ')}`);
  return out;
}
