// Pool task "prepare": the descriptors of one configuration's evaluation rows and its target
// (pipeline.ts prepareConfiguration), computed in a worker; X, y and rows come back transferred.

import type { Configuration } from '../../workflow/configurations.js';
import type { FeatureOptions } from '../../features/index.js';
import type { FeatureMeta } from '../../features/types.js';
import { prepareConfiguration, type Structure } from '../../workflow/pipeline.js';
import type { SystemMessage, TaskOutput } from './messages.js';

export interface PrepareTask {
  name: string;
  system: SystemMessage;
  inherent?: Float64Array;
  target?: Float64Array;
  features: FeatureOptions;
  structure: Structure;
  species?: string;
}

export interface PrepareTaskResult {
  names: string[];
  meta: FeatureMeta[];
  rows: Int32Array;
  X: Float64Array;
  y: Float64Array | null;
  speciesLabel: string;
  seconds: number;
}

export function prepareTask(t: PrepareTask): TaskOutput<PrepareTaskResult> {
  const t0 = performance.now();
  const c: Configuration = { name: t.name, system: { ...t.system, columns: {} }, inherent: t.inherent, target: t.target };
  const q = prepareConfiguration(c, t.features, t.structure, t.species, undefined);
  const transfer: ArrayBuffer[] = [q.X.buffer as ArrayBuffer, q.rows.buffer as ArrayBuffer];
  if (q.y) transfer.push(q.y.buffer as ArrayBuffer);
  return {
    result: { names: q.fm.names, meta: q.fm.meta, rows: q.rows, X: q.X, y: q.y, speciesLabel: q.speciesLabel, seconds: (performance.now() - t0) / 1000 },
    transfer,
  };
}
