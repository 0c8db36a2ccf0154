// Content-addressed cache of minimised structures (Node only: uses node:fs and node:crypto).
//
// key = sha256( "glassbox-minimize" | minimiser version | dim, n | box bytes (f64) | positions
//               bytes (f64, as given) | species (potential indices, i32) | potential (species names,
//               flattened pair table f64) | resolved minimiser options as JSON with sorted keys )
// Stored under <dir>/minimize/: <key>.npy (the minimised positions, (n, dim) float64, NumPy v1.0
// format) and <key>.json (energies, forces, iterations, options). A hit skips the minimisation;
// an unreadable or inconsistent entry is ignored and rewritten.
// Default dir: $GLASSBOX_CACHE_DIR, else `.glassbox-cache/` in the current working directory.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flattenPotential } from './potentials.js';
import type { System } from './system.js';
import { minimize, resolveMinimizeOptions, resolvePotential, type MinimizeOptions, type MinimizeResult, type PotentialSpec } from './minimize.js';

/** Bump when the minimiser's results change for the same inputs (invalidates old entries). */
export const MINIMIZER_VERSION = 'fire-lammps-29sep2021/1';

export interface MinimizeCacheOptions {
  /** Cache directory (default $GLASSBOX_CACHE_DIR or `.glassbox-cache` in the cwd). */
  dir?: string;
  /** false: always minimise, never read or write the cache. Default true. */
  enabled?: boolean;
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
  return h.digest('hex');
}

/** NumPy .npy v1.0 bytes of a float64 array of the given shape (C order). */
export function npyBytes(data: Float64Array, shape: number[]): Uint8Array {
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(bytes(data), 10 + header.length);
  return out;
}

/** Parse a float64 .npy written by npyBytes (little-endian '<f8', C order); null if it is not one. */
export function parseNpyF64(b: Uint8Array): { data: Float64Array; shape: number[] } | null {
  if (b.length < 10 || b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== 'NUMPY' || b[6] !== 1) return null;
  const hlen = b[8] | (b[9] << 8);
  const header = String.fromCharCode(...b.subarray(10, 10 + hlen));
  if (!/'descr':\s*'<f8'/.test(header) || /'fortran_order':\s*True/.test(header)) return null;
  const m = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!m) return null;
  const shape = m[1].split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const count = shape.reduce((a, c) => a * c, 1);
  const off = 10 + hlen;
  if (b.length - off !== count * 8) return null;
  return { data: new Float64Array(b.slice(off).buffer), shape };
}

function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export type CachedMinimizeResult = MinimizeResult & { cached: boolean; cacheKey: string };

/**
 * `minimize` with the content-addressed cache: a repeated call with the same positions, box,
 * species, potential and options reads the stored minimum instead of minimising again.
 * (The trace option is not cached: with trace: true the minimisation always runs.)
 */
export function minimizeCached(system: System, potential: PotentialSpec, options: MinimizeOptions = {}, cache: MinimizeCacheOptions = {}): CachedMinimizeResult {
  const key = minimizeCacheKey(system, potential, options);
  if (cache.enabled === false || options.trace) return { ...minimize(system, potential, options), cached: false, cacheKey: key };
  const dir = join(cache.dir ? resolve(cache.dir) : defaultCacheDir(), 'minimize');
  const npyPath = join(dir, `${key}.npy`), jsonPath = join(dir, `${key}.json`);
  if (existsSync(npyPath) && existsSync(jsonPath)) {
    try {
      const meta = JSON.parse(readFileSync(jsonPath, 'utf8'));
      const arr = parseNpyF64(new Uint8Array(readFileSync(npyPath)));
      if (arr && meta.key === key && arr.shape[0] === system.n && arr.shape[1] === system.dim) {
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
    } catch {
      // unreadable entry: minimise again and overwrite it
    }
  }
  const res = minimize(system, potential, options);
  mkdirSync(dir, { recursive: true });
  writeAtomic(npyPath, npyBytes(res.system.positions, [system.n, system.dim]));
  const { system: _s, trace: _t, ...scalars } = res;
  writeAtomic(jsonPath, JSON.stringify({ key, version: MINIMIZER_VERSION, n: system.n, dim: system.dim, source: system.source ?? null, ...scalars }, null, 1));
  return { ...res, cached: false, cacheKey: key };
}
