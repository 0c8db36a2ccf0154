// Writers for feature matrices: NumPy .npy (float64, C order) with the names as a JSON array
// beside it, and extended XYZ (one frame per configuration, one property column per feature).

import { InputError } from '../errors.js';
import type { System } from '../system/system.js';
import type { FeatureMatrix } from './types.js';

/** A feature name as an extended-XYZ property name: [A-Za-z0-9_] only (`CG1:R[A](d=0.7)` -> `CG1_R_A_d0p7`). */
export function xyzPropertyName(name: string): string {
  return name
    .replace(/\./g, 'p')
    .replace(/-/g, 'm')
    .replace(/=/g, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 'f$1');
}

/**
 * Extended XYZ: for each system its frame with species, positions and the feature columns
 * (property names made XYZ-safe by xyzPropertyName; the exact names go in feature_names.json).
 */
export function extXyzText(systems: System[], matrices: FeatureMatrix[]): string {
  const lines: string[] = [];
  systems.forEach((sys, f) => {
    const fm = matrices[f];
    const props = fm.names.map((n) => `${xyzPropertyName(n)}:R:1`).join(':');
    const b = sys.box;
    const lattice = sys.dim === 3 ? `${b[0]} 0 0 0 ${b[1]} 0 0 0 ${b[2]}` : `${b[0]} 0 0 0 ${b[1]} 0 0 0 1`;
    lines.push(String(sys.n));
    lines.push(`Lattice="${lattice}" Properties=species:S:1:pos:R:3:${props} pbc="T T ${sys.dim === 3 ? 'T' : 'F'}"`);
    for (let i = 0; i < sys.n; i++) {
      const pos = [];
      for (let a = 0; a < 3; a++) pos.push(a < sys.dim ? String(sys.positions[i * sys.dim + a]) : '0');
      const row = Array.from(fm.values.subarray(i * fm.p, (i + 1) * fm.p), (v) => String(v));
      lines.push(`${sys.labels[sys.species[i]]} ${pos.join(' ')} ${row.join(' ')}`);
    }
  });
  return lines.join('\n') + '\n';
}
