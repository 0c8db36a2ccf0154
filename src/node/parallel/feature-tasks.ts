// Pool tasks for one configuration's descriptors on two threads (src/node/parallel/features.ts):
//   featureBase      level 0 of R|A and e for the sorted rows [r0, r1) (runFeatures' sortedRange);
//   featureAverages  the P|E block from the positions and the whole e (averagesOnly).
// Both return compact typed arrays (transferred). Imports only the descriptor stage, so the
// worker that runs them (features-worker.ts) starts in ~40 ms.

import type { FeatureOptions } from '../../features/options.js';
import { runFeatures } from '../../features/compute.js';
import { GlassboxError } from '../../errors.js';
import type { SystemMessage, TaskOutput } from './messages.js';

export interface FeatureBaseTask {
  system: SystemMessage;
  options: FeatureOptions;
  range: [number, number];
}

export interface FeatureBaseResult {
  /** The caller's particles of the range, in sorted order. */
  rows: Int32Array;
  /** Level 0 of R|A of those particles (rows x nRA). */
  level0: Float64Array;
  /** e of those particles (null without E). */
  energies: Float64Array | null;
}

export interface FeatureAveragesTask {
  system: SystemMessage;
  options: FeatureOptions;
  /** e of every particle (the caller's order; null without E). */
  energies: Float64Array | null;
}

export function featureBaseTask(t: FeatureBaseTask): TaskOutput<FeatureBaseResult> {
  const [r0, r1] = t.range;
  const r = runFeatures({ ...t.system, columns: {} }, t.options, { baseOnly: true, blockRows: Math.max(1, r1 - r0), sortedRange: [r0, r1] });
  const result: FeatureBaseResult = { rows: r.rows!, level0: r.level0!, energies: r.energies };
  const transfer = [result.rows.buffer, result.level0.buffer, ...(result.energies ? [result.energies.buffer] : [])] as ArrayBuffer[];
  return { result, transfer };
}

export function featureAveragesTask(t: FeatureAveragesTask): TaskOutput<Float64Array> {
  const r = runFeatures({ ...t.system, columns: {} }, t.options, { averagesOnly: true, ...(t.energies ? { energies: t.energies } : {}) });
  return { result: r.averages!, transfer: [r.averages!.buffer as ArrayBuffer] };
}

export const FEATURE_TASKS: Record<string, (payload: any) => TaskOutput> = {
  featureBase: featureBaseTask,
  featureAverages: featureAveragesTask,
};

export function runFeatureTask(kind: string, payload: unknown): TaskOutput {
  const h = FEATURE_TASKS[kind];
  if (!h) throw new GlassboxError(`unknown descriptor task "${kind}" (known: ${Object.keys(FEATURE_TASKS).join(', ')})`);
  return h(payload);
}
