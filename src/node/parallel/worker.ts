// A pool worker (worker_threads): its own wasm instance (the Node entry loads it at import), then
// runs tasks (src/node/parallel/tasks.ts) one at a time and answers { id, ok, result | error }.
// The pool always spawns the compiled dist/src/node/parallel/worker.js (see src/node/parallel/pool.ts).

import { parentPort } from 'node:worker_threads';
import '../../wasm/node-install.js';
import { runTask } from './tasks.js';
import { serializeError } from './errors.js';

export interface TaskRequest {
  id: number;
  kind: string;
  payload: unknown;
}

const port = parentPort;
if (!port) throw new Error('src/node/parallel/worker.ts is a worker_threads script, not an entry point');
port.on('message', async (m: TaskRequest) => {
  try {
    const out = await runTask(m.kind, m.payload);
    port.postMessage({ id: m.id, ok: true, result: out.result }, out.transfer ?? []);
  } catch (e) {
    port.postMessage({ id: m.id, ok: false, error: serializeError(e) });
  }
});
