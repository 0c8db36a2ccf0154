// The option layer shared by every command (issue 11). Declarative: a command lists its options
// as specs (node:util parseArgs' shape, { type, short, multiple }, plus the checks below) and
// parse() validates every one of them up front, before any work, with one-line InputErrors
// naming the option, what was expected and what was given.
//
//   box:      { type: 'string', number: true, list: true, count: [1, 2, 3], gt: 0 }
//   folds:    { type: 'string', int: true, min: 2, max: 1000 }
//   'l1-ratio': { type: 'string', number: true, list: true, gt: 0, max: 1 }
//   model:    { type: 'string', list: true, choices: ['ridge', 'enet', 'pcr', 'ols', 'all'] }
//   train:    { type: 'string', multiple: true, variadic: true }   (--train a.npz b.npz c.npz)
//
// Parsing rules (differences from node:util parseArgs, which it replaces):
//   - a string option takes the next argument as its value even when it starts with "-"
//     (`--box -1` is a value, then refused by the range check, not "argument is ambiguous");
//     only a known `--option` in that place means the value is missing;
//   - `variadic` options also take every following argument up to the next option, so an
//     unquoted shell glob (`--train dir/*.npz`) works, besides commas and repetition;
//   - numbers are strict decimals: "15," "0x10" "1e" " 3" "Infinity" are refused;
//   - a non-`multiple` option given twice is an error; `--` ends the options.
// Values come back as strings (booleans as true), as with parseArgs, so commands keep their
// conversions; num() / numList() / intArg() below are the strict converters.

import { InputError } from '../errors.js';

export interface OptSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** May be repeated; the values are collected in an array. */
  multiple?: boolean;
  /** Also takes every following non-option argument (FILES... after --train). */
  variadic?: boolean;
  /** The value is a number (strict decimal). */
  number?: boolean;
  /** The value is an integer (implies number). */
  int?: boolean;
  /** Comma-separated list (empty elements refused); checks apply to each element. */
  list?: boolean;
  /** Inclusive bounds. */
  min?: number;
  max?: number;
  /** Exclusive lower / upper bounds. */
  gt?: number;
  lt?: number;
  /** Allowed numbers of list elements. */
  count?: readonly number[];
  /** Allowed values (each element of a list). */
  choices?: readonly string[];
}

export type OptSpecs = Record<string, OptSpec>;
export type OptValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** A strict decimal number: digits, optional fraction and exponent; nothing else. */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parse a strict decimal number, or throw an InputError naming the option. */
export function strictNumber(s: string, name: string, what = 'a number'): number {
  const x = NUMBER_RE.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(x)) throw new InputError(`--${name} expects ${what}, got "${s}"`);
  return x;
}

function describe(spec: OptSpec): string {
  const kind = spec.int ? 'an integer' : 'a number';
  const parts: string[] = [];
  if (spec.min !== undefined) parts.push(`>= ${spec.min}`);
  if (spec.gt !== undefined) parts.push(`> ${spec.gt}`);
  if (spec.max !== undefined) parts.push(`<= ${spec.max}`);
  if (spec.lt !== undefined) parts.push(`< ${spec.lt}`);
  return parts.length ? `${kind} ${parts.join(' and ')}` : kind;
}

/** Check one value of an option against its spec (throws a one-line InputError). */
export function checkValue(name: string, spec: OptSpec, value: string): void {
  const items = spec.list ? value.split(',').map((s) => s.trim()) : [value];
  if (spec.list && items.some((s) => s === '')) throw new InputError(`--${name} expects a comma-separated list without empty elements, got "${value}"`);
  if (spec.count && !spec.count.includes(items.length)) {
    throw new InputError(`--${name} expects ${spec.count.join(' or ')} value${spec.count.length === 1 && spec.count[0] === 1 ? '' : 's'}, got ${items.length} ("${value}")`);
  }
  for (const it of items) {
    if (spec.choices && !spec.choices.includes(it)) throw new InputError(`--${name} must be ${spec.choices.length > 1 ? 'one of ' : ''}${spec.choices.join(', ')}, got "${it}"`);
    if (spec.number || spec.int) {
      const what = describe(spec) + (spec.list ? ' (or a comma list)' : '');
      const x = strictNumber(it, name, what);
      const bad = (spec.int && !Number.isInteger(x)) || (spec.min !== undefined && x < spec.min) || (spec.max !== undefined && x > spec.max) || (spec.gt !== undefined && !(x > spec.gt)) || (spec.lt !== undefined && !(x < spec.lt));
      if (bad) throw new InputError(`--${name} expects ${what}, got "${spec.list ? value : it}"`);
    }
  }
}

/**
 * Parse and validate argv against the option specs (see the module comment). Every value is
 * checked before the command does any work.
 */
export function parse(argv: readonly string[], options: OptSpecs, allowPositionals = true): { values: OptValues; positionals: string[] } {
  const values: OptValues = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [k, s] of Object.entries(options)) if (s.short) byShort.set(s.short, k);
  const isOption = (a: string) => {
    if (a.startsWith('--')) return options[a.slice(2).split('=')[0]] !== undefined;
    return a.length === 2 && a[0] === '-' && byShort.has(a[1]);
  };
  const set = (name: string, spec: OptSpec, v: string | boolean) => {
    if (typeof v === 'string') checkValue(name, spec, v);
    if (spec.multiple) {
      const prev = values[name];
      values[name] = [...(Array.isArray(prev) ? prev : []), v];
    } else {
      if (values[name] !== undefined && spec.type !== 'boolean') throw new InputError(`--${name} given twice ("${values[name]}" and "${v}")`);
      values[name] = v;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) inline = a.slice(eq + 1);
      if (!options[name]) throw new InputError(`unknown option --${name}${suggest(name, Object.keys(options))} (see --help)`);
    } else if (a.length >= 2 && a[0] === '-' && !NUMBER_RE.test(a)) {
      const k = byShort.get(a[1]);
      if (!k) throw new InputError(`unknown option ${a} (see --help)`);
      name = k;
      if (a.length > 2) inline = a.slice(2);
    }
    if (name === undefined) {
      if (!allowPositionals) throw new InputError(`unexpected argument "${a}" (options start with --; see --help)`);
      positionals.push(a);
      continue;
    }
    const spec = options[name];
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new InputError(`--${name} takes no value, got "${inline}"`);
      set(name, spec, true);
      continue;
    }
    let v = inline;
    if (v === undefined) {
      const next = argv[i + 1];
      if (next === undefined || isOption(next)) throw new InputError(`--${name} needs a value`);
      v = next;
      i++;
    }
    set(name, spec, v);
    if (spec.variadic) {
      while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) set(name, spec, argv[++i]);
    }
  }
  return { values, positionals };
}

function suggest(name: string, known: string[]): string {
  const close = known.find((k) => k.startsWith(name) || name.startsWith(k) || distance(k, name) <= 2);
  return close ? ` (did you mean --${close}?)` : '';
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** A number option: a strict decimal or an InputError naming the option. */
export function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  return strictNumber(value.trim(), name);
}

/** A comma list of strict numbers (empty elements refused). */
export function numList(value: string | undefined, name: string): number[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new InputError(`--${name} expects comma-separated numbers without empty elements, got "${value}"`);
  return items.map((s) => strictNumber(s, name, 'comma-separated numbers'));
}

/** Common specs, so every command checks these the same way. */
export const COMMON = {
  box: { type: 'string', number: true, list: true, count: [1, 2, 3], gt: 0 },
  density: { type: 'string', number: true, gt: 0 },
  dim: { type: 'string', choices: ['2', '3'] },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptSpecs;

/** A repeatable or comma-separated list option: every non-empty item, in order. */
export function listArg(v: unknown): string[] {
  const arr = v === undefined ? [] : Array.isArray(v) ? v : [v];
  return arr.flatMap((s) => String(s).split(',')).filter((s) => s.length > 0);
}

/** --box L or Lx,Ly[,Lz] (positive lengths). */
export function boxArg(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = numList(v, 'box')!;
  if (parts.length > 3 || parts.some((x) => !(x > 0) || !Number.isFinite(x))) throw new InputError(`--box expects a positive length or Lx,Ly[,Lz], got "${v}"`);
  return parts;
}
