// The System: one configuration of N particles in an orthorhombic periodic box.
// (../shared/spec/descriptors.md, System.)
//
//   dim       2 | 3
//   box       side lengths [Lx, Ly(, Lz)]
//   positions Float64Array, N*dim, row-major; may be unwrapped (kernels wrap a copy)
//   species   Int32Array of indices 0..S-1 into `labels`
//   labels    species labels in index order: ascending numeric order for integer codes,
//             lexicographic for strings, unless the caller gives an explicit order
//   columns   extra per-particle columns by name (propensities, energies, ...)

import { InputError } from '../errors.js';

export type Column = Float64Array | Int32Array | string[];

/** One configuration of N particles in an orthorhombic periodic box: dim, box side lengths, row-major positions, species indices with their labels, and extra per-particle columns. */
export interface System {
  readonly n: number;
  readonly dim: 2 | 3;
  readonly box: Float64Array;
  readonly positions: Float64Array;
  readonly species: Int32Array;
  readonly labels: string[];
  readonly columns: Record<string, Column>;
  /** Where it came from (file name, frame), for error messages. */
  readonly source?: string;
}

export interface SystemInit {
  dim: 2 | 3;
  box: ArrayLike<number>;
  positions: ArrayLike<number>;
  /** Per-particle species: labels (strings) or integer codes. Default: all one species "A". */
  types?: ArrayLike<number> | readonly string[];
  /** Explicit label order (index = position in this list). */
  speciesOrder?: readonly string[];
  columns?: Record<string, Column>;
  source?: string;
}

function isNumericLabel(s: string): boolean {
  return /^[+-]?\d+$/.test(s);
}

/** Order labels as the spec says: numeric ascending when all are integers, else lexicographic. */
export function sortLabels(labels: Iterable<string>): string[] {
  const u = [...new Set(labels)];
  if (u.every(isNumericLabel)) return u.sort((a, b) => Number(a) - Number(b));
  return u.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Build and validate a System. Positions and box are copied; NaN or a non-positive box is an error. */
export function createSystem(init: SystemInit): System {
  const where = init.source ? `${init.source}: ` : '';
  const { dim } = init;
  if (dim !== 2 && dim !== 3) throw new InputError(`${where}dim must be 2 or 3, got ${dim}`);
  if (init.box.length !== dim) throw new InputError(`${where}box must have ${dim} side lengths, got ${init.box.length}`);
  const box = Float64Array.from(init.box);
  for (let a = 0; a < dim; a++) {
    if (!(box[a] > 0) || !Number.isFinite(box[a])) throw new InputError(`${where}box side ${'xyz'[a]} must be a positive finite length, got ${box[a]}`);
  }
  if (init.positions.length % dim !== 0) throw new InputError(`${where}positions length ${init.positions.length} is not a multiple of dim ${dim}`);
  const n = init.positions.length / dim;
  if (n < 1) throw new InputError(`${where}the system is empty (no particles)`);
  const positions = Float64Array.from(init.positions);
  for (let i = 0; i < positions.length; i++) {
    if (!Number.isFinite(positions[i])) {
      throw new InputError(`${where}particle ${Math.floor(i / dim)} has a non-finite coordinate ${'xyz'[i % dim]} = ${positions[i]}`);
    }
  }
  const raw: string[] = [];
  if (init.types === undefined) {
    for (let i = 0; i < n; i++) raw.push('A');
  } else {
    if (init.types.length !== n) throw new InputError(`${where}types has ${init.types.length} entries for ${n} particles`);
    for (let i = 0; i < n; i++) raw.push(String((init.types as any)[i]));
  }
  let labels: string[];
  if (init.speciesOrder) {
    labels = [...init.speciesOrder];
    const known = new Set(labels);
    for (const l of new Set(raw)) if (!known.has(l)) throw new InputError(`${where}species "${l}" is not in the given species order [${labels.join(', ')}]`);
  } else {
    labels = sortLabels(raw);
  }
  const index = new Map(labels.map((l, k) => [l, k] as const));
  const species = new Int32Array(n);
  for (let i = 0; i < n; i++) species[i] = index.get(raw[i])!;
  const columns: Record<string, Column> = {};
  for (const [k, v] of Object.entries(init.columns ?? {})) {
    if (v.length !== n) throw new InputError(`${where}column "${k}" has ${v.length} entries for ${n} particles`);
    columns[k] = v;
  }
  return { n, dim, box, positions, species, labels, columns, source: init.source };
}

/** Relabel species (same indices) with new names, e.g. a preset's (KA3D: 0/1 -> A/B). */
export function relabel(sys: System, names: readonly string[]): System {
  if (names.length !== sys.labels.length) {
    throw new InputError(`${sys.source ? sys.source + ': ' : ''}the system has ${sys.labels.length} species [${sys.labels.join(', ')}] but ${names.length} names were given [${names.join(', ')}]`);
  }
  return { ...sys, labels: [...names] };
}

/** Count particles per species label. */
export function speciesCounts(sys: System): Record<string, number> {
  const c: Record<string, number> = {};
  for (const l of sys.labels) c[l] = 0;
  for (let i = 0; i < sys.n; i++) c[sys.labels[sys.species[i]]]++;
  return c;
}

/** Positions wrapped into [0, L) (a new array; the System is never modified). */
export function wrappedPositions(sys: System): Float64Array {
  const out = new Float64Array(sys.positions.length);
  const d = sys.dim;
  for (let i = 0; i < sys.n; i++) {
    for (let a = 0; a < d; a++) {
      const L = sys.box[a];
      let w = sys.positions[i * d + a] - L * Math.floor(sys.positions[i * d + a] / L);
      if (w >= L || w < 0) w = 0;
      out[i * d + a] = w;
    }
  }
  return out;
}

/** Half the smallest box side: the largest cutoff any neighbour query may use. */
export function maxCutoff(sys: System): number {
  return 0.5 * Math.min(...sys.box);
}
