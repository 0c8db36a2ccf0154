// The descriptor worker (worker_threads): its own wasm instance, then the descriptor halves of
// feature-tasks.ts only (no minimiser, dynamics or models: it is ready in ~40 ms).

import '../../wasm/node-install.js';
import { runFeatureTask } from './feature-tasks.js';
import { serveTasks } from './serve.js';

serveTasks(runFeatureTask);
