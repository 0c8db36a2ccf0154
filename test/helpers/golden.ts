// Helpers for the descriptor tests: golden files (../shared/golden and test/fixtures), the
// .npz/.npy readers (test/helpers/npy.ts) for the data files, and comparison by name.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSystem, type FeatureOptions, type System } from '../../src/index.js';

export const SHARED = new URL('../../../shared/', import.meta.url);
export const sharedPath = (rel: string) => fileURLToPath(new URL(rel, SHARED));
export const hasShared = (rel: string) => existsSync(sharedPath(rel));
export const fixturePath = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export { parseNpy, readNpz, type NpyArray } from './npy.js';

/** Options of computeFeatures from a golden file's `params`. */
export function goldenOptions(params: any): FeatureOptions {
  const o: FeatureOptions = {
    r0: params.r0,
    dr: params.dr,
    K: params.K,
    delta: params.delta,
    ls: params.ls,
    cgLength: params.r_c,
    levels: params.levels,
    scales: params.scales,
  };
  if (params.potential) o.potential = params.potential;
  if (params.diameters) o.diameters = params.diameters;
  if (params.species_order) o.speciesOrder = params.species_order;
  return o;
}

/** The System of a small golden (positions of all particles). */
export function goldenSystem(g: any, positions = g.positions): System {
  return createSystem({ dim: g.dim, box: g.box, positions: positions.flat(), types: g.species.map(String) });
}

export interface Mismatch {
  row: number;
  name: string;
  got: number;
  want: number;
  err: number;
}

/**
 * Compare rows by name: |got - want| <= rtol * max(|want|, floor) (+ abs for evar).
 * Returns the worst mismatches (empty when all agree) and the largest scaled error.
 */
export function compareByName(
  names: string[], values: Float64Array, p: number, rowsGot: number[],
  wantNames: string[], wantValues: number[][],
  { rtol = 1e-9, atol = 1e-12, evarAtol = 1e-12 } = {},
): { bad: Mismatch[]; worst: number } {
  const col = new Map(names.map((n, k) => [n, k] as const));
  const bad: Mismatch[] = [];
  let worst = 0;
  for (let r = 0; r < wantValues.length; r++) {
    for (let c = 0; c < wantNames.length; c++) {
      const k = col.get(wantNames[c]);
      if (k === undefined) {
        bad.push({ row: r, name: wantNames[c], got: NaN, want: wantValues[r][c], err: Infinity });
        continue;
      }
      const got = values[rowsGot[r] * p + k];
      const want = wantValues[r][c];
      const tol = Math.max(rtol * Math.abs(want), wantNames[c].startsWith("evar") ? evarAtol : atol);
      const err = Math.abs(got - want);
      worst = Math.max(worst, err / Math.max(Math.abs(want), 1e-300));
      if (!(err <= tol)) bad.push({ row: r, name: wantNames[c], got, want, err });
    }
  }
  return { bad: bad.slice(0, 20), worst };
}
