// The work a pool worker can do, by kind. The same handlers run inline (pool size 1) and in the
// workers (src/node/parallel/worker.ts), so results are the same numbers either way. A task is a
// plain cloneable message; typed arrays in it are transferred, not copied.

import { isMainThread } from 'node:worker_threads';
import { GlassboxError, InputError, KernelError, NumericalError, ParseError } from '../../errors.js';
import { minimize, type MinimizeOptions, type PotentialSpec } from '../../minimize/minimize.js';
import type { System } from '../../system/system.js';
import { cageTask } from './cage.js';
import { prepareTask } from './prepare-task.js';

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

export interface MinimizeTask {
  system: SystemMessage;
  potential: PotentialSpec;
  options: MinimizeOptions;
}

/** MinimizeResult without its System (the parent re-attaches the input's labels and columns). */
export interface MinimizeTaskResult {
  positions: Float64Array;
  energy: number;
  maxForce: number;
  forceNorm: number;
  iterations: number;
  converged: boolean;
  forceEvaluations: number;
  neighborRebuilds: number;
  restarts: number;
  skin: number;
  trace?: Record<string, Float64Array | Uint8Array>;
  /** Wall time of the minimisation in the worker (s). */
  seconds: number;
}

/** A copy of the fields a task needs, in fresh buffers that can be transferred. */
export function systemMessage(s: System): { message: SystemMessage; transfer: ArrayBuffer[] } {
  const message: SystemMessage = {
    n: s.n, dim: s.dim, box: Float64Array.from(s.box), positions: s.positions.slice(), species: s.species.slice(),
    labels: [...s.labels], source: s.source,
  };
  return { message, transfer: [message.box.buffer as ArrayBuffer, message.positions.buffer as ArrayBuffer, message.species.buffer as ArrayBuffer] };
}

function minimizeTask(t: MinimizeTask): TaskOutput<MinimizeTaskResult> {
  const system: System = { ...t.system, columns: {} };
  const t0 = performance.now();
  const r = minimize(system, t.potential, t.options);
  const seconds = (performance.now() - t0) / 1000;
  const positions = r.system.positions;
  const transfer: ArrayBuffer[] = [positions.buffer as ArrayBuffer];
  if (r.trace) for (const a of Object.values(r.trace)) transfer.push(a.buffer as ArrayBuffer);
  return {
    result: {
      positions, energy: r.energy, maxForce: r.maxForce, forceNorm: r.forceNorm, iterations: r.iterations, converged: r.converged,
      forceEvaluations: r.forceEvaluations, neighborRebuilds: r.neighborRebuilds, restarts: r.restarts, skin: r.skin,
      trace: r.trace as unknown as Record<string, Float64Array | Uint8Array> | undefined, seconds,
    },
    transfer,
  };
}

/**
 * Self-test of the error transport (used by the tests): throws the named glassbox error class with
 * the message (ParseError: with file, line and field).
 */
function throwTask(t: { name: string; message: string; file?: string; line?: number; field?: string }): never {
  switch (t.name) {
    case 'ParseError': throw new ParseError(t.file ?? '?', { line: t.line, field: t.field }, t.message);
    case 'InputError': throw new InputError(t.message);
    case 'NumericalError': throw new NumericalError(t.message);
    case 'KernelError': throw new KernelError(t.message);
    case 'GlassboxError': throw new GlassboxError(t.message);
    case 'TypeError': throw new TypeError(t.message);
    default: throw new Error(t.message);
  }
}

/** Self-test of worker death (used by the tests): the worker thread exits mid-task. Inline: an error. */
function exitTask(t: { code: number }): never {
  if (isMainThread) throw new GlassboxError('the __exit self-test task only runs in a worker');
  process.exit(t.code);
}

export const TASKS: Record<string, (payload: any) => TaskOutput | Promise<TaskOutput>> = {
  minimize: minimizeTask,
  cage: cageTask,
  prepare: prepareTask,
  __throw: throwTask,
  __exit: exitTask,
};

export type TaskKind = keyof typeof TASKS;

export async function runTask(kind: string, payload: unknown): Promise<TaskOutput> {
  const h = TASKS[kind];
  if (!h) throw new GlassboxError(`unknown pool task "${kind}" (known: ${Object.keys(TASKS).join(', ')})`);
  return h(payload);
}
