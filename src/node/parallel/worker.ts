// A pool worker (worker_threads): its own wasm instance (the Node entry loads it at import), then
// runs tasks (src/node/parallel/tasks.ts) one at a time (serve.ts).
// The pool always spawns the compiled dist/src/node/parallel/worker.js (see src/node/parallel/pool.ts).

import '../../wasm/node-install.js';
import { runTask } from './tasks.js';
import { serveTasks } from './serve.js';

export type { TaskRequest } from './serve.js';

serveTasks(runTask);
