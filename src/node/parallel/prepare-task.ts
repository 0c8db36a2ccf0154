// Pool task "prepare": the descriptors of one configuration's evaluation rows and its target
// (pipeline.ts prepareConfiguration), computed in a worker. A test configuration's X, y and rows
// come back transferred; a training configuration (`asStats`) comes back as the sufficient
// statistics of those rows (pipeline.ts prepareConfigurationStats: one Gram pass in the worker,
// the rows dropped there), so the main thread never holds training rows.

import type { Configuration } from '../../workflow/configurations.js';
import type { FeatureOptions } from '../../features/index.js';
import type { FeatureMeta } from '../../features/types.js';
import type { SufficientStats } from '../../models/types.js';
import { prepareConfiguration, preparedStats, type Structure } from '../../workflow/pipeline.js';
import type { SystemMessage, TaskOutput } from './messages.js';

export interface PrepareTask {
  name: string;
  system: SystemMessage;
  inherent?: Float64Array;
  target?: Float64Array;
  features: FeatureOptions;
  structure: Structure;
  species?: string;
  /** Return the statistics of the rows instead of the rows (training configurations). */
  asStats?: boolean;
}

export interface PrepareTaskResult {
  names: string[];
  meta: FeatureMeta[];
  /** The rows (absent with asStats). */
  rows?: Int32Array;
  X?: Float64Array;
  y?: Float64Array | null;
  /** The rows' statistics (asStats only). */
  stats?: SufficientStats;
  speciesLabel: string;
  seconds: number;
}

export function prepareTask(t: PrepareTask): TaskOutput<PrepareTaskResult> {
  const t0 = performance.now();
  const c: Configuration = { name: t.name, system: { ...t.system, columns: {} }, inherent: t.inherent, target: t.target };
  const q = prepareConfiguration(c, t.features, t.structure, t.species, undefined);
  if (t.asStats) {
    const s = preparedStats(q).stats;
    const transfer: ArrayBuffer[] = [s.XtX.buffer as ArrayBuffer, s.Xty.buffer as ArrayBuffer, s.sumX.buffer as ArrayBuffer];
    if (s.shift) transfer.push(s.shift.buffer as ArrayBuffer);
    return { result: { names: q.fm.names, meta: q.fm.meta, stats: s, speciesLabel: q.speciesLabel, seconds: (performance.now() - t0) / 1000 }, transfer };
  }
  const transfer: ArrayBuffer[] = [q.X.buffer as ArrayBuffer, q.rows.buffer as ArrayBuffer];
  if (q.y) transfer.push(q.y.buffer as ArrayBuffer);
  return {
    result: { names: q.fm.names, meta: q.fm.meta, rows: q.rows, X: q.X, y: q.y, speciesLabel: q.speciesLabel, seconds: (performance.now() - t0) / 1000 },
    transfer,
  };
}
