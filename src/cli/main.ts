// glassbox command line (run by the bin, src/cli/glassbox.ts). One module per command in src/cli/, each exporting
// `run(argv: string[]): Promise<number>` (the exit code). Errors a user can cause are
// GlassboxErrors: printed as one clear line, exit code 2.

import '../wasm/node-install.js'; // loads the wasm kernels only (the rest is imported per command)
import { GlassboxError } from '../errors.js';

const commands: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  info: { summary: 'N, dimension, box, species, columns, frames/runs of particle files', load: () => import('./info.js') },
  features: { summary: 'structural descriptors of configurations -> .npy (+ names) or extended XYZ', load: () => import('./features.js') },
  propensity: { summary: 'dynamic propensity (abs | msd | cage_abs) from isoconfigurational runs', load: () => import('./propensity.js') },
  regress: { summary: 'fit OLS / ridge / elastic net / PCR on any feature matrix (.npy)', load: () => import('./regress.js') },
  fit: { summary: 'configurations -> descriptors -> cross-validated models -> test scores and report', load: () => import('./fit.js') },
  predict: { summary: 'per-particle predictions of a saved model on new configurations', load: () => import('./predict.js') },
  stats: { summary: 'descriptors + targets + per-configuration statistics of a shard -> .npz (fit --stats merges)', load: () => import('./stats.js') },
  minimize: { summary: 'FIRE energy minimisation to the inherent structure', load: () => import('./minimize.js') },
};

function usage(): string {
  const lines = ['usage: glassbox <command> [options]   (glassbox <command> --help for its options)', '', 'commands:'];
  for (const [k, v] of Object.entries(commands)) lines.push(`  ${k.padEnd(11)} ${v.summary}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(usage());
    return cmd ? 0 : 1;
  }
  const c = commands[cmd];
  if (!c) {
    console.error(`glassbox: unknown command "${cmd}"\n\n${usage()}`);
    return 2;
  }
  try {
    const mod = await c.load();
    return await mod.run(rest);
  } catch (e) {
    return reportError(cmd, e);
  }
}

/**
 * Exit code and message of an error that reached the top: user errors (GlassboxError, and the
 * file-system and memory errors a user causes) are one line and exit 2; anything else is a bug
 * in glassbox: the stack, a line saying so, exit 1.
 */
export function reportError(cmd: string, e: unknown): number {
  const user = userError(e);
  if (user !== null) {
    console.error(`glassbox ${cmd}: ${user}`);
    return 2;
  }
  console.error(e instanceof Error ? e.stack ?? String(e) : String(e));
  console.error(`glassbox ${cmd}: internal error: this is a bug in glassbox, not in your input; please report it with the command line and the message above`);
  return 1;
}

/** The one-line message of an error a user can cause, or null for a bug. */
export function userError(e: unknown): string | null {
  if (e instanceof GlassboxError) return e.message;
  const err = e as NodeJS.ErrnoException;
  const path = err?.path ? `${err.path}: ` : '';
  switch (err?.code) {
    case 'ENOENT': return `${path}no such file or directory`;
    case 'EACCES':
    case 'EPERM': return `${path}permission denied`;
    case 'EISDIR': return `${path}is a directory, expected a file`;
    case 'ENOTDIR': return `${path}not a directory`;
    case 'ENOSPC': return `${path}no space left on the device`;
    case 'EROFS': return `${path}read-only file system`;
    case 'ERR_FS_FILE_TOO_LARGE': return `${path}file too large to read at once`;
  }
  if (e instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer allocation|Invalid array length|Invalid string length/.test(e.message)) {
    return `out of memory (${e.message}): reduce the input (fewer configurations or particles per call, fewer descriptor families)`;
  }
  return null;
}
