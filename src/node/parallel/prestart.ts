// The descriptor worker of `glassbox features`, started by the bin's first lines (src/cli/glassbox.ts)
// before the command's code is loaded: a worker takes ~45 ms to start on this 2-core machine, and
// the command bundle ~20 ms to parse, so starting it first lets the two overlap. The worker is
// handed over through a process-wide slot (globalThis, because the bin and the command are two
// bundles with their own module copies); FeatureThreads adopts it (src/node/parallel/features.ts),
// or it stays unref'd and idle (a one-thread run closes it). Imports only threads.ts: this
// module is nearly the whole of the bin's first file.

import { Worker } from 'node:worker_threads';
import { poolSize, scriptBeside } from './threads.js';

/** A started worker and what happened to it before a pool adopted it. */
export interface PrestartedWorker {
  worker: Worker;
  script: string;
  /** An 'error' or 'exit' seen before adoption (the pool retires the worker with it). */
  early: Error | null;
  /** Stops recording early events (the adopting pool's listeners take over). */
  detach(): void;
}

const SLOT = Symbol.for('glassbox.prestartedFeatureWorker');
type Slot = { [SLOT]?: PrestartedWorker };

/**
 * Start the features worker (features-worker.js beside this module: dist/cli/ or
 * dist/src/node/parallel/) when two threads would be used by default ($GLASSBOX_THREADS, else
 * the cores; a --threads 1 run closes it). Nothing when there is no compiled worker beside
 * this module (the TS sources under vitest).
 */
export function prestartFeatureWorker(): void {
  if ((globalThis as Slot)[SLOT]) return;
  let two: boolean;
  try {
    two = poolSize(2) >= 2;
  } catch {
    return; // a bad $GLASSBOX_THREADS: the command reports it (FeatureThreads' poolSize)
  }
  const script = scriptBeside('features-worker.js');
  if (!two || !script) return;
  const worker = new Worker(script);
  worker.unref();
  const p: PrestartedWorker = { worker, script, early: null, detach: () => {} };
  const onError = (e: unknown) => { p.early ??= e instanceof Error ? e : new Error(String(e)); };
  const onExit = (code: number) => { p.early ??= new Error(`the prestarted descriptor worker exited (code ${code})`); };
  worker.on('error', onError);
  worker.on('exit', onExit);
  p.detach = () => {
    worker.off('error', onError);
    worker.off('exit', onExit);
  };
  (globalThis as Slot)[SLOT] = p;
}

/** The prestarted worker, once (null when none was started or it was taken). */
export function takePrestartedWorker(): PrestartedWorker | null {
  const p = (globalThis as Slot)[SLOT] ?? null;
  delete (globalThis as Slot)[SLOT];
  return p;
}
