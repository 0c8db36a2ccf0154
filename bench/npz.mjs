// .npz files for the benchmarks, through the project's own reader (dist/src/io).
import { readFileSync } from 'node:fs';
import { readNpz as parseNpz } from '../dist/src/index.js';

/** Every array of an .npz by key ({ dtype, shape, data }, C order). */
export function readNpz(path) {
  const z = parseNpz(new Uint8Array(readFileSync(path)), path);
  return Object.fromEntries(z.keys.map((k) => [k, z.get(k)]));
}
