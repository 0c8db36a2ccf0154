// Symmetries of a periodic box, for making larger training sets from real configurations (and
// for testing that descriptors and targets do not depend on orientation or origin).
// A symmetry maps x'_a = s_a x_{p(a)} + t_a (mod L_a): p a permutation of the axes (only among
// axes of equal length, so the box is unchanged), s_a = +-1 (reflections; with p, the 48 proper and
// improper rotations of a cube in 3D, 8 of a square in 2D), t a translation. Every pair distance
// and every angle between bonds is preserved, so descriptors and propensities are unchanged (up to
// the rounding of a different summation order).

import { InputError } from '../errors.js';
import type { Configuration } from './configurations.js';
import type { System } from '../system/system.js';

export interface BoxSymmetry {
  perm: number[];
  sign: number[];
  shift: number[];
}

/** A uniformly random symmetry of the box (rnd: uniform numbers in [0, 1)). */
export function randomBoxSymmetry(box: ArrayLike<number>, rnd: () => number): BoxSymmetry {
  const dim = box.length;
  const perm = Array.from({ length: dim }, (_, a) => a);
  for (let a = dim - 1; a > 0; a--) {
    const b = Math.floor(rnd() * (a + 1));
    if (box[a] === box[b]) [perm[a], perm[b]] = [perm[b], perm[a]];
  }
  return { perm, sign: perm.map(() => (rnd() < 0.5 ? -1 : 1)), shift: perm.map((_, a) => rnd() * box[a]) };
}

/** Apply a symmetry to positions (n x dim, row-major); wrap into [0, L) unless wrap is false. */
export function applyBoxSymmetry(positions: Float64Array, box: ArrayLike<number>, s: BoxSymmetry, wrap = true): Float64Array {
  const dim = box.length;
  for (let a = 0; a < dim; a++) {
    if (box[a] !== box[s.perm[a]]) throw new InputError(`a box symmetry may only exchange axes of equal length (axis ${a}: ${box[a]}, axis ${s.perm[a]}: ${box[s.perm[a]]})`);
  }
  const n = positions.length / dim;
  const out = new Float64Array(positions.length);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      let x = s.sign[a] * positions[i * dim + s.perm[a]] + s.shift[a];
      if (wrap) {
        const L = box[a];
        x -= L * Math.floor(x / L);
        if (x >= L) x -= L;
      }
      out[i * dim + a] = x;
    }
  }
  return out;
}

/** The system under a symmetry (positions wrapped into the box; per-particle columns kept). */
export function transformSystem(sys: System, s: BoxSymmetry, source?: string): System {
  return { ...sys, positions: applyBoxSymmetry(sys.positions, sys.box, s), source: source ?? sys.source };
}

/**
 * A configuration under a symmetry: positions (wrapped) and the stored inherent structure
 * (unwrapped, same map) transformed, the target carried over (it does not change).
 */
export function transformConfiguration(c: Configuration, s: BoxSymmetry, name = `${c.name}#sym`): Configuration {
  return {
    ...c,
    name,
    system: transformSystem(c.system, s, name),
    inherent: c.inherent ? applyBoxSymmetry(c.inherent, c.system.box, s, false) : undefined,
  };
}
