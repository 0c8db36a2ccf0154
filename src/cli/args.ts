// Shared option parsing for the CLI commands (node:util parseArgs, strict).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../errors.js';

export function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>, allowPositionals = true): {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
} {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true }) as any;
  } catch (e) {
    throw new InputError((e as Error).message);
  }
}

/** A number option: a finite number or an InputError naming the option. */
export function num(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (!Number.isFinite(x)) throw new InputError(`--${name} expects a number, got "${value}"`);
  return x;
}
