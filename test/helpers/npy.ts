// .npy / .npz files for tests, through the project's own readers (src/io): one parser only.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readNpy as parseNpyBytes, type NpyArray } from '../../src/io/npy.js';
import { readNpz as parseNpzBytes } from '../../src/io/npz.js';

export type { NpyArray };

const pathOf = (p: string | URL) => (typeof p === 'string' ? p : fileURLToPath(p));

/** Parse .npy bytes (C order out, whatever the file's order). */
export function parseNpy(bytes: Uint8Array): NpyArray {
  return parseNpyBytes(bytes);
}

export function readNpy(path: string | URL): NpyArray {
  return parseNpyBytes(new Uint8Array(readFileSync(pathOf(path))), { file: pathOf(path) });
}

/** Every array of an .npz by key. */
export function readNpz(path: string | URL): Record<string, NpyArray> {
  const z = parseNpzBytes(new Uint8Array(readFileSync(pathOf(path))), pathOf(path));
  return Object.fromEntries(z.keys.map((k) => [k, z.get(k)]));
}

/** Numeric view as plain numbers. */
export function toNumbers(a: NpyArray): Float64Array {
  return Float64Array.from(a.data as ArrayLike<number>, Number);
}
