// Pool tasks for one configuration's descriptors on two threads (src/node/parallel/features.ts):
//   featureBase      level 0 of R|A and e for the sorted rows [r0, r1) (runFeatures' sortedRange);
//   featureAverages  the P|E block from the positions and the whole e (averagesOnly).
// In a split run the worker keeps the e of its featureBase rows (keepEnergies) and the caller
// sends only its own rows' e (energyPart), as soon as its half of step 1 is done: no round trip
// of e, and the P|E task is queued before the caller merges level 0. Both return compact typed
// arrays (transferred). Imports only the descriptor stage, so the worker that runs them
// (features-worker.ts) starts in ~40 ms.

import type { FeatureOptions } from '../../features/options.js';
import { runFeatures } from '../../features/compute.js';
import { GlassboxError } from '../../errors.js';
import type { SystemMessage, TaskOutput } from './messages.js';

export interface FeatureBaseTask {
  system: SystemMessage;
  options: FeatureOptions;
  range: [number, number];
  /** Keep the range's e in this worker under this token for the featureAverages task that follows (returned energies: null). */
  keepEnergies?: number;
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
  /** e of every particle (the caller's order; null without E, or with energyPart). */
  energies: Float64Array | null;
  /** The caller's rows of e (particles rows[k], values[k]); the rest is what featureBase kept under `token`. */
  energyPart?: { token: number; rows: Int32Array; values: Float64Array };
}

/** featureBase's e kept for the next featureAverages (keepEnergies). */
let kept: { token: number; rows: Int32Array; values: Float64Array } | null = null;

export function featureBaseTask(t: FeatureBaseTask): TaskOutput<FeatureBaseResult> {
  const [r0, r1] = t.range;
  const r = runFeatures({ ...t.system, columns: {} }, t.options, { baseOnly: true, blockRows: Math.max(1, r1 - r0), sortedRange: [r0, r1] });
  kept = null;
  if (t.keepEnergies !== undefined && r.energies) kept = { token: t.keepEnergies, rows: r.rows!.slice(), values: r.energies };
  const result: FeatureBaseResult = { rows: r.rows!, level0: r.level0!, energies: kept ? null : r.energies };
  const transfer = [result.rows.buffer, result.level0.buffer, ...(result.energies ? [result.energies.buffer] : [])] as ArrayBuffer[];
  return { result, transfer };
}

export function featureAveragesTask(t: FeatureAveragesTask): TaskOutput<Float64Array> {
  let energies = t.energies;
  if (t.energyPart) {
    const part = t.energyPart, mine = kept;
    kept = null;
    if (!mine || mine.token !== part.token || mine.rows.length + part.rows.length !== t.system.n) {
      throw new GlassboxError(`featureAverages: no kept e for token ${part.token} over the other rows (featureBase with keepEnergies must run first in this worker)`);
    }
    // e[i] for every particle: the caller's rows and this worker's, each value as computed (the same bits)
    energies = new Float64Array(t.system.n);
    for (const { rows, values } of [part, mine]) for (let k = 0; k < rows.length; k++) energies[rows[k]] = values[k];
  }
  const r = runFeatures({ ...t.system, columns: {} }, t.options, { averagesOnly: true, ...(energies ? { energies } : {}) });
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
