// Duplicate and leaked configurations (issue 11): the same configuration twice in the training
// set inflates the CV score (grouped folds put the copies on both sides), and a test
// configuration that is also a training one reports a fitted score as a held-out one.
// Identity is by content: a hash of dim, n, the species label of each particle and the
// positions wrapped into the box and rounded to 1e-6 of the box side (so the same configuration
// read from an .npz and from an extended XYZ written by glassbox matches). Browser-safe.

import { InputError } from '../errors.js';
import type { System } from '../system/system.js';

/** A content hash (hex, 2 x 32-bit FNV-1a) of a configuration's species and wrapped, rounded positions. */
export function configurationHash(sys: System): string {
  let h1 = 0x811c9dc5, h2 = 0x01000193 ^ 0x5bd1e995;
  const mix = (v: number) => {
    h1 = Math.imul(h1 ^ (v & 0xffff), 0x01000193) >>> 0;
    h1 = Math.imul(h1 ^ (v >>> 16), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ (v & 0xffff), 0x5bd1e995) >>> 0;
    h2 = (Math.imul(h2 ^ (v >>> 16), 0x5bd1e995) ^ (h2 >>> 13)) >>> 0;
  };
  mix(sys.dim);
  mix(sys.n);
  for (const l of sys.labels) for (let k = 0; k < l.length; k++) mix(l.charCodeAt(k));
  for (let i = 0; i < sys.n; i++) mix(sys.species[i]);
  for (let i = 0; i < sys.n * sys.dim; i++) {
    const L = sys.box[i % sys.dim];
    let x = sys.positions[i] % L;
    if (x < 0) x += L;
    let q = Math.round((x / L) * 1e6);
    if (q === 1e6) q = 0;
    mix(q);
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

export interface OverlapReport {
  /** Human-readable findings, one per duplicate or leak. */
  problems: string[];
}

/**
 * Find configurations that occur twice within `train`, twice within `test`, or in both.
 * With `allow` false a finding is an InputError; with `allow` true each is passed to `warn`.
 */
export function checkOverlap(train: readonly { name: string; system: System }[], test: readonly { name: string; system: System }[], opts: { allow?: boolean; warn?: (m: string) => void } = {}): OverlapReport {
  const problems: string[] = [];
  const seen = new Map<string, { set: 'train' | 'test'; name: string }>();
  for (const [set, list] of [['train', train], ['test', test]] as const) {
    for (const c of list) {
      const h = configurationHash(c.system);
      const prev = seen.get(h);
      if (!prev) seen.set(h, { set, name: c.name });
      else if (prev.set === set) problems.push(`${c.name} is the same configuration as ${prev.name}, both in --${set}: duplicates ${set === 'train' ? 'inflate the CV score' : 'weight one configuration twice in the test score'}`);
      else problems.push(`test configuration ${c.name} is also a training configuration (${prev.name}): its score is not held out`);
    }
  }
  if (problems.length && !opts.allow) {
    throw new InputError(`${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}; remove the duplicates, or give --allow-overlap to proceed anyway`);
  }
  for (const p of problems) (opts.warn ?? ((m: string) => console.error(`WARNING: ${m}`)))(`${p} (--allow-overlap: the scores below are not honest)`);
  return { problems };
}
