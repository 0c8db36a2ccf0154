// Cage states of many configurations on all cores (Node only), cached on disk like inherent
// structures (src/node/cache.ts): key = sha256("glassbox-cage" | version | dim, n | box | positions |
// potential species indices | potential (names, flattened table) | resolved cage options, sorted
// keys); stored as <dir>/cage/<key>.npy ((n, dim) float64) + <key>.json (diagnostics). Cache
// look-ups and writes happen in the parent; misses become pool tasks ('cage', src/node/parallel/tasks.ts).

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Configuration } from '../../workflow/configurations.js';
import { defaultCacheDir, type MinimizeCacheOptions } from '../cache.js';
import { resolveCageOptions, type CageOptions } from '../../dynamics/dynamics.js';
import { resolvePotential, type PotentialSpec } from '../../minimize/minimize.js';
import { flattenPotential } from '../../potential/potentials.js';
import { readNpy, writeNpy } from '../../io/npy.js';
import type { System } from '../../system/system.js';
import { needsCage, parseStructure, setCageState, getCageState, isCombination } from '../../workflow/structures.js';
import { runTasks, type PoolOptions, type TaskInput } from './pool.js';
import { systemMessage } from './messages.js';
import type { CageTask, CageTaskResult } from './cage-task.js';

/** Bump when the cage-state numbers change for the same inputs. */
export const CAGE_VERSION = 'voronoi-walls-baoab/1';

const bytes = (a: Float64Array | Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export function cageCacheKey(system: System, potential: PotentialSpec, options: CageOptions = {}): string {
  const r = resolvePotential(system, potential);
  const o = resolveCageOptions(options);
  const h = createHash('sha256');
  h.update(`glassbox-cage\0${CAGE_VERSION}\0${system.dim}\0${system.n}\0`);
  h.update(bytes(Float64Array.from(system.box)));
  h.update(bytes(Float64Array.from(system.positions)));
  h.update(bytes(r.species));
  h.update(`\0${JSON.stringify(r.potential.species)}\0`);
  h.update(bytes(flattenPotential(r.potential)));
  h.update(`\0${JSON.stringify(Object.fromEntries(Object.keys(o).sort().map((k) => [k, (o as Record<string, unknown>)[k]])))}`);
  return h.digest('hex');
}

const dirOf = (c: MinimizeCacheOptions) => join(c.dir ? resolve(c.dir) : defaultCacheDir(), 'cage');

export function lookupCage(system: System, key: string, cache: MinimizeCacheOptions): Float64Array | null {
  if (cache.enabled === false) return null;
  const npyPath = join(dirOf(cache), `${key}.npy`);
  if (!existsSync(npyPath)) return null;
  try {
    const a = readNpy(new Uint8Array(readFileSync(npyPath)), { file: npyPath });
    if (a.data instanceof Float64Array && a.shape[0] === system.n && a.shape[1] === system.dim) return a.data;
  } catch {
    // unreadable: a miss
  }
  return null;
}

function storeCage(system: System, key: string, r: CageTaskResult, cache: MinimizeCacheOptions): void {
  if (cache.enabled === false) return;
  const dir = dirOf(cache);
  mkdirSync(dir, { recursive: true });
  const put = (p: string, d: Uint8Array | string) => {
    const tmp = `${p}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, d);
    renameSync(tmp, p);
  };
  put(join(dir, `${key}.npy`), writeNpy({ dtype: '<f8', shape: [system.n, system.dim], data: r.positions }));
  const { positions: _p, ...meta } = r;
  put(join(dir, `${key}.json`), JSON.stringify({ key, version: CAGE_VERSION, n: system.n, source: system.source ?? null, ...meta }, null, 1));
}

export interface CageManyResult { positions: Float64Array; cached: boolean; seconds: number; reflectionRate?: number; maxDisplacement?: number }

/** Cage states of every system (cached; misses on the worker pool), in input order. */
export async function cageMany(systems: readonly System[], potential: PotentialSpec, options: CageOptions = {}, cache: MinimizeCacheOptions = {}, run: PoolOptions & { onProgress?: (done: number, total: number) => void } = {}): Promise<CageManyResult[]> {
  resolveCageOptions(options);
  const keys = systems.map((s) => cageCacheKey(s, potential, options));
  const out: CageManyResult[] = new Array(systems.length);
  const todo: number[] = [];
  let done = 0;
  systems.forEach((s, i) => {
    const hit = lookupCage(s, keys[i], cache);
    if (hit) { out[i] = { positions: hit, cached: true, seconds: 0 }; done++; } else todo.push(i);
  });
  run.onProgress?.(done, systems.length);
  const tasks: TaskInput[] = todo.map((i) => {
    const { message, transfer } = systemMessage(systems[i]);
    return { payload: { system: message, potential, options } satisfies CageTask, transfer };
  });
  await runTasks<CageTaskResult>('cage', tasks, {
    threads: run.threads,
    script: run.script,
    onDone: (k, r) => {
      const i = todo[k];
      storeCage(systems[i], keys[i], r, cache);
      out[i] = { positions: r.positions, cached: false, seconds: r.seconds, reflectionRate: r.reflectionRate, maxDisplacement: r.maxDisplacement };
      run.onProgress?.(++done, systems.length);
    },
  });
  return out;
}

/**
 * Cage states of every configuration that needs one for `structure` (parts cage or dCS) and has
 * none: all at once on the pool, cached. Returns the wall time (s; 0 when nothing was needed).
 */
export async function precomputeCage(configs: Configuration[], preset: string | undefined, structure: string | undefined, opts: { options?: CageOptions; cacheDir?: string; cache?: boolean; threads?: number; onProgress?: (stage: string, done: number, total: number) => void } = {}): Promise<number> {
  if (!preset || !structure || !isCombination(structure) || !needsCage(parseStructure(structure))) return 0;
  const todo = configs.filter((c) => !getCageState(c));
  if (todo.length === 0) return 0;
  const t0 = performance.now();
  const res = await cageMany(todo.map((c) => c.system), preset, opts.options ?? {}, { dir: opts.cacheDir ?? '.glassbox-cache', enabled: opts.cache !== false }, {
    threads: opts.threads,
    onProgress: (d, t) => opts.onProgress?.('cage states', d, t),
  });
  res.forEach((r, k) => setCageState(todo[k], r.positions));
  return (performance.now() - t0) / 1000;
}
