// How many threads, and where the compiled worker scripts are: shared by the worker pool
// (pool.ts) and the bin's first lines (prestart.ts), which must stay small, so this module
// imports only Node and the error classes.

import { existsSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../errors.js';

/** A thread count from an option or an environment value: a positive integer, else an InputError naming `what`. */
export function threadCount(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v.trim()) : (v as number);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`${what} must be a positive integer (number of threads), got "${v}"`);
  return n;
}

/** Pool size for `tasks` tasks: option > $GLASSBOX_THREADS > availableParallelism, capped at tasks (>= 1). */
export function poolSize(tasks: number, threads?: number): number {
  let t: number;
  if (threads !== undefined) t = threadCount(threads, 'threads');
  else if (process.env.GLASSBOX_THREADS !== undefined && process.env.GLASSBOX_THREADS !== '') t = threadCount(process.env.GLASSBOX_THREADS, 'GLASSBOX_THREADS');
  else t = os.availableParallelism();
  return Math.max(1, Math.min(t, tasks));
}

/**
 * The compiled script `name` beside this module (dist/src/node/parallel/, or dist/cli/ when this
 * code runs from the bundled command), or null when there is none (the TS sources under vitest).
 */
export function scriptBeside(name: string): string | null {
  const p = join(dirname(fileURLToPath(import.meta.url)), name);
  return existsSync(p) ? p : null;
}
