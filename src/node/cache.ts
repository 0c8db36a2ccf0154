// Content-addressed cache of minimised structures (Node only: uses node:fs and node:crypto).
//
// key = sha256( "glassbox-minimize" | minimiser version | dim, n | box bytes (f64) | positions
//               bytes (f64, as given) | species (potential indices, i32) | potential (species names,
//               flattened pair table f64) | resolved minimiser options as JSON with sorted keys
//               [| HYBRID_VERSION, for method 'hybrid' only] )
// The resolved options hold the method and, for the hybrid, its switch, L-BFGS step and memory,
// so a minimum found under one rule is never reused for another (FIRE's keys are as before).
// Stored under <dir>/minimize/: <key>.npy (the minimised positions, (n, dim) float64, NumPy v1.0
// format) and <key>.json (energies, forces, iterations, options, and `npySha256`, the sha256 of
// the .npy bytes). Both are written atomically, the .npy first: the .json is the commit record.
// A hit skips the minimisation only when the entry verifies: the checksum of the .npy bytes, the
// key, version, n and dim of the metadata, finite figures, positions finite. An unreadable,
// corrupted or inconsistent entry is a miss with a warning (minimised again and rewritten).
// Default dir: $GLASSBOX_CACHE_DIR, else `.glassbox-cache/` in the current working directory.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flattenPotential } from '../potential/potentials.js';
import type { System } from '../system/system.js';
import { minimize, resolveMinimizeOptions, resolvePotential, type MinimizeOptions, type MinimizeResult, type PotentialSpec } from '../minimize/minimize.js';
import { readNpy, writeNpy } from '../io/npy.js';

/** Bump when the minimiser's results change for the same inputs (invalidates old entries). */
export const MINIMIZER_VERSION = 'fire-lammps-29sep2021/1';
/** Bump when the L-BFGS stage of method 'hybrid' changes its results (assembly/minimize/lbfgs.ts). */
export const HYBRID_VERSION = 'lbfgs-armijo/1';

export interface MinimizeCacheOptions {
  /** Cache directory (default $GLASSBOX_CACHE_DIR or `.glassbox-cache` in the cwd). */
  dir?: string;
  /** false: always minimise, never read or write the cache. Default true. */
  enabled?: boolean;
  /** Where a corrupted entry is reported (default: a line on stderr). */
  onWarning?: (msg: string) => void;
}

export function defaultCacheDir(): string {
  return resolve(process.env.GLASSBOX_CACHE_DIR ?? '.glassbox-cache');
}

function bytes(a: Float64Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function sortedJson(o: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]])));
}

/** The cache key (sha256 hex) of a minimisation: inputs' bytes + potential + resolved options. */
export function minimizeCacheKey(system: System, potential: PotentialSpec, options: MinimizeOptions = {}): string {
  const r = resolvePotential(system, potential);
  const o = resolveMinimizeOptions(options);
  const h = createHash('sha256');
  h.update(`glassbox-minimize\0${MINIMIZER_VERSION}\0${system.dim}\0${system.n}\0`);
  h.update(bytes(Float64Array.from(system.box)));
  h.update(bytes(Float64Array.from(system.positions)));
  h.update(bytes(r.species));
  h.update(`\0${JSON.stringify(r.potential.species)}\0`);
  h.update(bytes(flattenPotential(r.potential)));
  h.update(`\0${sortedJson(o as unknown as Record<string, unknown>)}`);
  if (o.method === 'hybrid') h.update(`\0${HYBRID_VERSION}`);
  return h.digest('hex');
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** The metadata of a cache entry (storeMinimum writes the result's scalars), as entryProblem verifies it. */
type CacheMeta = Pick<MinimizeResult, 'energy' | 'maxForce' | 'forceNorm' | 'iterations' | 'converged' | 'forceEvaluations' | 'neighborRebuilds' | 'restarts' | 'skin'> & {
  npySha256: string;
  key: string;
  version: number;
  n: number;
  dim: number;
};

/** Why a cache entry's metadata and positions cannot be trusted, or null when they verify (then `raw` is a CacheMeta). */
function entryProblem(raw: unknown, npyBytes: Uint8Array, key: string, system: System): string | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'metadata is not a JSON object';
  const meta = raw as Record<string, unknown>;
  if (typeof meta.npySha256 !== 'string') return 'no checksum (written by an older glassbox)';
  if (sha256(npyBytes) !== meta.npySha256) return 'checksum mismatch: the positions file was modified or corrupted';
  if (meta.key !== key) return 'metadata names another key';
  if (meta.version !== MINIMIZER_VERSION) return `minimiser version ${meta.version}, expected ${MINIMIZER_VERSION}`;
  if (meta.n !== system.n || meta.dim !== system.dim) return `metadata says n = ${meta.n}, dim = ${meta.dim}; the system has ${system.n}, ${system.dim}`;
  for (const f of ['energy', 'maxForce', 'forceNorm']) if (typeof meta[f] !== 'number' || !Number.isFinite(meta[f])) return `metadata field ${f} is not a finite number`;
  for (const f of ['iterations', 'forceEvaluations', 'neighborRebuilds', 'restarts']) {
    if (!(Number.isInteger(meta[f]) && (meta[f] as number) >= 0)) return `metadata field ${f} is not a non-negative integer`;
  }
  if (!(typeof meta.skin === 'number' && meta.skin >= 0)) return 'metadata field skin is not a non-negative number';
  if (typeof meta.converged !== 'boolean') return 'metadata field converged is not true or false';
  return null;
}

export type CachedMinimizeResult = MinimizeResult & { cached: boolean; cacheKey: string };

function cacheDirOf(cache: MinimizeCacheOptions): string {
  return join(cache.dir ? resolve(cache.dir) : defaultCacheDir(), 'minimize');
}

/**
 * The stored minimum of (system, potential, options), or null on a miss (or when the cache is
 * disabled or a trace is asked for). `key` (minimizeCacheKey) may be passed when already known.
 * An unreadable or inconsistent entry counts as a miss.
 */
export function lookupMinimum(system: System, potential: PotentialSpec, options: MinimizeOptions = {}, cache: MinimizeCacheOptions = {}, key = minimizeCacheKey(system, potential, options)): CachedMinimizeResult | null {
  if (cache.enabled === false || options.trace) return null;
  const dir = cacheDirOf(cache);
  const npyPath = join(dir, `${key}.npy`), jsonPath = join(dir, `${key}.json`);
  if (!(existsSync(npyPath) && existsSync(jsonPath))) return null;
  const warn = cache.onWarning ?? ((m: string) => console.error(`warning: ${m}`));
  const bad = (why: string) => {
    warn(`cache entry ${npyPath} ignored (${why}); minimising again`);
    return null;
  };
  try {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(jsonPath, 'utf8'));
    } catch {
      return bad('metadata is not valid JSON');
    }
    const npyBytes = new Uint8Array(readFileSync(npyPath));
    const problem = entryProblem(raw, npyBytes, key, system);
    if (problem) return bad(problem);
    const meta = raw as CacheMeta;
    const npy = readNpy(npyBytes, { file: npyPath });
    const arr = npy.data instanceof Float64Array ? { data: npy.data, shape: npy.shape } : null;
    if (!arr || arr.shape[0] !== system.n || arr.shape[1] !== system.dim) return bad('positions have the wrong dtype or shape');
    if (!arr.data.every(Number.isFinite)) return bad('non-finite positions');
    {
      const r = resolvePotential(system, potential);
      return {
        system: { ...r.system, positions: arr.data, columns: { ...r.system.columns } },
        energy: meta.energy,
        energyPerParticle: meta.energy / system.n,
        maxForce: meta.maxForce,
        forceNorm: meta.forceNorm,
        iterations: meta.iterations,
        converged: meta.converged,
        forceEvaluations: meta.forceEvaluations,
        neighborRebuilds: meta.neighborRebuilds,
        restarts: meta.restarts,
        skin: meta.skin,
        options: resolveMinimizeOptions(options),
        cached: true,
        cacheKey: key,
      };
    }
  } catch (e) {
    // unreadable entry: a miss (the caller minimises again and overwrites it)
    return bad(`unreadable: ${(e as Error).message}`);
  }
}

/** Store a minimisation result under its key (atomic writes; no-op when disabled or traced). */
export function storeMinimum(system: System, res: MinimizeResult, key: string, cache: MinimizeCacheOptions = {}, options: MinimizeOptions = {}): void {
  if (cache.enabled === false || options.trace) return;
  const dir = cacheDirOf(cache);
  mkdirSync(dir, { recursive: true });
  const npy = writeNpy({ dtype: '<f8', shape: [system.n, system.dim], data: res.system.positions });
  writeAtomic(join(dir, `${key}.npy`), npy);
  const { system: _s, trace: _t, ...scalars } = res;
  writeAtomic(join(dir, `${key}.json`), JSON.stringify({ key, version: MINIMIZER_VERSION, n: system.n, dim: system.dim, source: system.source ?? null, npySha256: sha256(npy), ...scalars }, null, 1));
}

/**
 * `minimize` with the content-addressed cache: a repeated call with the same positions, box,
 * species, potential and options reads the stored minimum instead of minimising again.
 * (The trace option is not cached: with trace: true the minimisation always runs.)
 * Many configurations on all cores: minimizeMany (src/node/parallel/minimize-many.ts).
 */
export function minimizeCached(system: System, potential: PotentialSpec, options: MinimizeOptions = {}, cache: MinimizeCacheOptions = {}): CachedMinimizeResult {
  const key = minimizeCacheKey(system, potential, options);
  const hit = lookupMinimum(system, potential, options, cache, key);
  if (hit) return hit;
  const res = minimize(system, potential, options);
  storeMinimum(system, res, key, cache, options);
  return { ...res, cached: false, cacheKey: key };
}
