// A small pool of worker_threads for independent per-configuration work (Node only).
//
// House rule: no shared-memory wasm threads; parallelism is one wasm instance per worker. Each
// worker imports the Node entry (its own kernels) and runs tasks (src/node/parallel/tasks.ts): plain
// messages whose typed arrays are transferred. The same handlers run inline when the pool has one
// thread, so the numbers do not depend on the thread count.
//
// Size: `threads` option, else $GLASSBOX_THREADS, else os.availableParallelism(); always capped
// at the number of tasks. Size 1 runs inline (no worker is started).
//
// The worker script is the compiled one beside this module: dist/src/node/parallel/worker.js, or
// dist/cli/worker.js in the bundled command (scripts/build-cli.mjs). When the tests run the TS
// sources under vitest there is none beside it, and the built dist/src/node/parallel/worker.js
// is found from the package root (src/wasm/node.ts packageRoot()): build it first
// (`npx tsc -p tsconfig.json`; `npm test`'s pretest does it). A worker's error comes back as the same GlassboxError subclass with its
// message (src/node/parallel/errors.ts); a worker that dies fails its task instead of hanging; idle
// workers are unref'd and every worker is terminated by close() (runTasks always closes).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { GlassboxError, InputError } from '../../errors.js';
import { loadNodeWasm, packageRoot } from '../../wasm/node.js';
import { hasWasm, setWasm } from '../../wasm/runtime.js';
import { deserializeError, type SerializedError } from './errors.js';
import type { PrestartedWorker } from './prestart.js';
import { poolSize, scriptBeside, threadCount } from './threads.js';

export { poolSize };

export interface PoolOptions {
  /** Number of worker threads (default $GLASSBOX_THREADS, else os.availableParallelism()). */
  threads?: number;
  /** Worker script (default: workerScript(), the compiled worker.js). */
  script?: string;
  /** Run on this pool (shared with other stages; left open) instead of a pool of its own. */
  pool?: WorkerPool;
}

/**
 * A compiled worker script `name`: the one beside this module when there is one
 * (dist/src/node/parallel/, or dist/cli/ when this code runs from the bundled command), else
 * dist/src/node/parallel/`name` under the package root (the TS sources under vitest).
 */
export function workerScriptBeside(name: string): string {
  return scriptBeside(name) ?? join(packageRoot(), 'dist', 'src', 'node', 'parallel', name);
}

/** The compiled pool worker script (worker.js, see workerScriptBeside). */
export function workerScript(): string {
  const p = workerScriptBeside('worker.js');
  if (!existsSync(p)) throw new GlassboxError(`${p} not found: the worker pool runs the compiled worker; build it with \`npx tsc -p tsconfig.json\` (npm run build)`);
  return p;
}

interface Pending {
  id: number;
  kind: string;
  payload: unknown;
  transfer: ArrayBuffer[];
  resolve(v: unknown): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  task: Pending | null;
  dead: boolean;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: SerializedError;
}

/** A fixed-size set of workers, started lazily, each running one task at a time (FIFO queue). */
export class WorkerPool {
  readonly size: number;
  private readonly script: string;
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;
  private closed = false;

  constructor(size: number, script: string = workerScript()) {
    this.size = threadCount(size, 'pool size');
    this.script = script;
  }

  /**
   * Start every worker now instead of at the first task (idle ones do not keep the process
   * alive): their start-up (module loading, ~40 ms) then overlaps the caller's own work.
   */
  warm(): this {
    while (!this.closed && this.slots.length < this.size) this.spawn().worker.unref();
    return this;
  }

  /** Workers started so far (alive). */
  get workers(): number {
    return this.slots.length;
  }

  /** Run one task in a worker; `transfer` buffers are moved (unusable in the caller afterwards). */
  run<R = unknown>(kind: string, payload: unknown, transfer: ArrayBuffer[] = []): Promise<R> {
    if (this.closed) return Promise.reject(new GlassboxError('the worker pool is closed'));
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, kind, payload, transfer, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (!this.closed && this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === null && !s.dead);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const t = this.queue.shift()!;
      slot.task = t;
      slot.worker.ref();
      try {
        slot.worker.postMessage({ id: t.id, kind: t.kind, payload: t.payload }, t.transfer);
      } catch (e) {
        slot.task = null;
        t.reject(e instanceof Error ? e : new GlassboxError(String(e)));
      }
    }
  }

  /**
   * Take a worker started before this pool (src/node/parallel/prestart.ts) as one of its slots,
   * idle and unref'd as warm() leaves them; an error or exit it had before is its retirement.
   */
  adopt(p: PrestartedWorker): this {
    if (this.closed || this.slots.length >= this.size) {
      p.detach();
      void p.worker.terminate().catch(() => 0);
      return this;
    }
    const slot = this.spawn(p.worker);
    p.detach();
    p.worker.unref();
    if (p.early) this.retire(slot, p.early);
    return this;
  }

  private spawn(worker: Worker = new Worker(this.script)): Slot {
    const slot: Slot = { worker, task: null, dead: false };
    this.slots.push(slot);
    worker.on('message', (m: Reply) => {
      const t = slot.task;
      if (!t || t.id !== m.id) return;
      slot.task = null;
      if (m.ok) t.resolve(m.result);
      else t.reject(deserializeError(m.error!));
      if (!slot.dead) {
        worker.unref();
        this.dispatch();
      }
    });
    // an uncaught error kills the worker: its task fails with that error (rebuilt by class name)
    worker.on('error', (e) => this.retire(slot, e instanceof Error ? deserializeError({ name: e.name, message: e.message, stack: e.stack, glassbox: false, props: {} }) : new GlassboxError(String(e))));
    worker.on('messageerror', (e) => this.retire(slot, new GlassboxError(`a worker's message could not be deserialised: ${e.message}`)));
    worker.on('exit', (code) => this.retire(slot, new GlassboxError(`a glassbox worker thread exited (code ${code}) while running a task`)));
    return slot;
  }

  /** A worker died: fail its task (never a hang); the queue goes on with the others / a new one. */
  private retire(slot: Slot, err: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    const t = slot.task;
    slot.task = null;
    if (!this.closed) void slot.worker.terminate().catch(() => {});
    if (t) t.reject(err);
    this.dispatch();
  }

  /** Terminate every worker; queued and running tasks fail with "pool closed". Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const err = new GlassboxError('the worker pool was closed before the task finished');
    for (const t of this.queue.splice(0)) t.reject(err);
    const slots = this.slots.splice(0);
    for (const s of slots) {
      s.dead = true;
      if (s.task) s.task.reject(err);
      s.task = null;
    }
    await Promise.all(slots.map((s) => s.worker.terminate().catch(() => 0)));
  }
}

export interface TaskInput {
  payload: unknown;
  /** Buffers of `payload` to transfer (fresh copies: they are unusable in the caller afterwards). */
  transfer?: ArrayBuffer[];
}

export interface RunTasksOptions extends PoolOptions {
  /** Called as each task finishes (in completion order), with its index and result. */
  onDone?: (index: number, result: any) => void;
}

/**
 * Run independent tasks of one kind, on poolSize(tasks.length, threads) workers (inline when 1),
 * and return their results in input order. The first failure rejects (with the task's error, same
 * class and message) and stops the rest; the pool is always closed before returning (unless it
 * was given as `pool`).
 */
export async function runTasks<R = unknown>(kind: string, tasks: TaskInput[], opts: RunTasksOptions = {}): Promise<R[]> {
  const size = opts.pool ? opts.pool.size : poolSize(tasks.length, opts.threads);
  const out: R[] = new Array(tasks.length);
  if (tasks.length === 0) return out;
  if (size === 1 && !opts.pool) {
    if (!hasWasm()) setWasm(loadNodeWasm());
    const { runTask } = await import('./tasks.js'); // the handlers only when they run here (a pool's parent need not load them)
    for (let i = 0; i < tasks.length; i++) {
      out[i] = (await runTask(kind, tasks[i].payload)).result as R;
      opts.onDone?.(i, out[i]);
    }
    return out;
  }
  const pool = opts.pool ?? new WorkerPool(size, opts.script);
  try {
    await Promise.all(tasks.map((t, i) =>
      pool.run<R>(kind, t.payload, t.transfer ?? []).then((r) => {
        out[i] = r;
        opts.onDone?.(i, r);
      }),
    ));
  } finally {
    if (!opts.pool) await pool.close();
  }
  return out;
}
