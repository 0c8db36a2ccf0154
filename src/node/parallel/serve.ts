// The worker side of the pool protocol: answer { id, kind, payload } requests one at a time with
// { id, ok, result | error }, transferring the buffers a handler names. Every worker script
// (worker.ts: all tasks; features-worker.ts: the descriptor halves only) is this loop around its
// own task table.

import { parentPort } from 'node:worker_threads';
import { serializeError } from './errors.js';
import type { TaskOutput } from './messages.js';

export interface TaskRequest {
  id: number;
  kind: string;
  payload: unknown;
}

/** Serve pool requests on this worker's parent port with `run`. */
export function serveTasks(run: (kind: string, payload: unknown) => Promise<TaskOutput> | TaskOutput): void {
  const port = parentPort;
  if (!port) throw new Error('a glassbox worker script is a worker_threads script, not an entry point');
  port.on('message', async (m: TaskRequest) => {
    try {
      const out = await run(m.kind, m.payload);
      port.postMessage({ id: m.id, ok: true, result: out.result }, out.transfer ?? []);
    } catch (e) {
      port.postMessage({ id: m.id, ok: false, error: serializeError(e) });
    }
  });
}
