// The messages between the pool and its workers: a task's System in transferable buffers, and a
// handler's result with the buffers to transfer back. Shared by the handlers (tasks.ts,
// cage-task.ts, prepare-task.ts) and the parent-side orchestration (cage.ts, minimize-many.ts).

import type { System } from '../../system/system.js';

/** What a handler returns: the result message and the buffers to transfer with it. */
export interface TaskOutput<R = unknown> {
  result: R;
  transfer?: ArrayBuffer[];
}

/** The part of a System a minimisation needs (no extra columns travel). */
export interface SystemMessage {
  n: number;
  dim: 2 | 3;
  box: Float64Array;
  positions: Float64Array;
  species: Int32Array;
  labels: string[];
  source?: string;
}

/** A copy of the fields a task needs, in fresh buffers that can be transferred. */
export function systemMessage(s: System): { message: SystemMessage; transfer: ArrayBuffer[] } {
  const message: SystemMessage = {
    n: s.n, dim: s.dim, box: Float64Array.from(s.box), positions: s.positions.slice(), species: s.species.slice(),
    labels: [...s.labels], source: s.source,
  };
  return { message, transfer: [message.box.buffer as ArrayBuffer, message.positions.buffer as ArrayBuffer, message.species.buffer as ArrayBuffer] };
}
