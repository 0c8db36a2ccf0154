// The worker-side cage-state handler (registered in src/node/parallel/tasks.ts; the parent side,
// with the cache, is cage.ts): one cage state of one system, positions transferred back.

import { cageState, type CageOptions, type CageResult } from '../../dynamics/dynamics.js';
import type { PotentialSpec } from '../../minimize/minimize.js';
import type { SystemMessage, TaskOutput } from './messages.js';

export interface CageTask {
  system: SystemMessage;
  potential: PotentialSpec;
  options: CageOptions;
}
export interface CageTaskResult {
  positions: Float64Array;
  reflectionRate: number;
  maxDisplacement: number;
  temperature: number;
  options: CageResult['options'];
  seconds: number;
}

/** The pool handler (registered in src/node/parallel/tasks.ts). */
export function cageTask(t: CageTask): TaskOutput<CageTaskResult> {
  const t0 = performance.now();
  const r = cageState({ ...t.system, columns: {} }, t.potential, t.options);
  const seconds = (performance.now() - t0) / 1000;
  return { result: { positions: r.positions, reflectionRate: r.reflectionRate, maxDisplacement: r.maxDisplacement, temperature: r.temperature, options: r.options, seconds }, transfer: [r.positions.buffer as ArrayBuffer] };
}
