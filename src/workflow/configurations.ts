// Configurations for the workflow: a reference structure, its target (dynamic propensity)
// and, when known, its inherent structure. Built from parsed files (browser-safe: bytes in).
//
// Target resolution, in order:
//   1. an explicit column name (`targetColumn`, e.g. `dr_8` of an extended XYZ file);
//   2. isoconfigurational runs in the file -> propensity(kind) (../shared/spec/descriptors.md, Targets);
//   3. a stored column named `<kind>_propensity` or `<kind>` (e.g. `abs_propensity`).
// A configuration without a target can still be predicted on (`requireTarget: false`).

import { InputError } from '../errors.js';
import { parseSystems, type ParsedFile, type ReadOptions } from '../io/index.js';
import type { System } from '../system/system.js';
import { propensity, type PropensityKind } from '../targets/targets.js';

/** One configuration for the workflow: its reference System, its target (dynamic propensity or any per-particle column) and, when known, its inherent structure. */
export interface Configuration {
  /** File name (and frame) for messages and tables. */
  name: string;
  system: System;
  /** Inherent-structure positions stored with the data (N*dim), when the file has them. */
  inherent?: Float64Array;
  /** Per-particle target (propensity), when available. */
  target?: Float64Array;
  /** Where the target came from ("runs: abs over 32 runs", "column abs_propensity"). */
  targetSource?: string;
}

export interface ConfigurationOptions extends ReadOptions {
  /** Propensity kind (default 'abs'). */
  target?: PropensityKind;
  /** Use this per-particle column as the target. */
  targetColumn?: string;
  /** Fail when no target can be found (default true). */
  requireTarget?: boolean;
  /** Called with warnings (e.g. wrapped run positions). */
  onWarning?: (msg: string) => void;
}

/** Configurations from one parsed file (one per frame). */
export function configurationsFromParsed(parsed: ParsedFile, opts: ConfigurationOptions = {}): Configuration[] {
  const kind = opts.target ?? 'abs';
  const out: Configuration[] = [];
  parsed.frames.forEach((frame, f) => {
    const name = parsed.frames.length > 1 ? `${parsed.file}[${f}]` : parsed.file;
    const sys = frame.system;
    let target: Float64Array | undefined;
    let targetSource: string | undefined;
    const cols = Object.keys(sys.columns);
    if (opts.targetColumn) {
      const c = sys.columns[opts.targetColumn];
      if (!c) throw new InputError(`${name}: target column "${opts.targetColumn}" is missing (columns: ${cols.join(', ') || 'none'})`);
      if (Array.isArray(c)) throw new InputError(`${name}: target column "${opts.targetColumn}" is not numeric`);
      target = Float64Array.from(c);
      targetSource = `column ${opts.targetColumn}`;
    } else if (parsed.runs && parsed.runs.length > 0 && parsed.frames.length === 1) {
      target = propensity(sys, parsed.runs, kind, { onWarning: (m) => opts.onWarning?.(`${name}: ${m}`) });
      targetSource = `${kind} propensity over ${parsed.runs.length} runs`;
    } else {
      for (const key of [`${kind}_propensity`, kind]) {
        const c = sys.columns[key];
        if (c && !Array.isArray(c)) {
          target = Float64Array.from(c);
          targetSource = `column ${key}`;
          break;
        }
      }
    }
    if (!target && opts.requireTarget !== false) {
      throw new InputError(
        `${name}: no target for "${kind}": the file has no isoconfigurational runs and no column "${kind}_propensity" ` +
          `(columns: ${cols.join(', ') || 'none'}); give --target-column NAME`,
      );
    }
    out.push({ name, system: sys, inherent: f === 0 ? parsed.inherent : undefined, target, targetSource });
  });
  return out;
}

/** Parse bytes/text of one file into configurations. */
export function parseConfigurations(src: Uint8Array | string, file: string, opts: ConfigurationOptions = {}): Configuration[] {
  return configurationsFromParsed(parseSystems(src, file, opts), opts);
}
