// The work a pool worker can do, by kind. The same handlers run inline (pool size 1) and in the
// workers (src/node/parallel/worker.ts), so results are the same numbers either way. A task is a
// plain cloneable message; typed arrays in it are transferred, not copied.

import { isMainThread } from 'node:worker_threads';
import { GlassboxError, InputError, KernelError, NumericalError, ParseError } from '../../errors.js';
import { cageTask } from './cage-task.js';
import type { TaskOutput } from './messages.js';
/** Re-exported for callers that built task payloads from here. */
export { systemMessage, type SystemMessage, type TaskOutput } from './messages.js';
import { prepareTask } from './prepare-task.js';
import { minimizeTask } from './minimize-task.js';
import { minimizePrepareTask } from './minimize-prepare-task.js';

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
  'minimize+prepare': minimizePrepareTask,
  __throw: throwTask,
  __exit: exitTask,
};

export type TaskKind = keyof typeof TASKS;

export async function runTask(kind: string, payload: unknown): Promise<TaskOutput> {
  const h = TASKS[kind];
  if (!h) throw new GlassboxError(`unknown pool task "${kind}" (known: ${Object.keys(TASKS).join(', ')})`);
  return h(payload);
}
