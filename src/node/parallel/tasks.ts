// The work a pool worker can do, by kind. The same handlers run inline (pool size 1) and in the
// workers (src/node/parallel/worker.ts), so results are the same numbers either way. A task is a
// plain cloneable message; typed arrays in it are transferred, not copied.

import { isMainThread } from 'node:worker_threads';
import { GlassboxError, InputError, KernelError, NumericalError, ParseError } from '../../errors.js';
import { minimize, type MinimizeOptions, type MinimizeResult, type PotentialSpec } from '../../minimize/minimize.js';
import type { System } from '../../system/system.js';
import { cageTask } from './cage-task.js';
import type { SystemMessage, TaskOutput } from './messages.js';
/** Re-exported for callers that built task payloads from here. */
export { systemMessage, type SystemMessage, type TaskOutput } from './messages.js';
import { prepareTask } from './prepare-task.js';

export interface MinimizeTask {
  system: SystemMessage;
  potential: PotentialSpec;
  options: MinimizeOptions;
}

/** MinimizeResult without its System, options and stages (the parent re-attaches the input's labels and columns), with the trace as plain arrays and the worker's wall time. */
export type MinimizeTaskResult = Omit<MinimizeResult, 'system' | 'energyPerParticle' | 'options' | 'trace' | 'stages'> & {
  positions: Float64Array;
  trace?: Record<string, Float64Array | Uint8Array>;
  /** Wall time of the minimisation in the worker (s). */
  seconds: number;
};

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
