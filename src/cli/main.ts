#!/usr/bin/env node
// glassbox command line. One module per command in src/cli/, each exporting
// `run(argv: string[]): Promise<number>` (the exit code). Errors a user can cause are
// GlassboxErrors: printed as one clear line, exit code 2.

import '../index.js'; // loads the wasm kernels (Node entry)
import { GlassboxError } from '../errors.js';

const commands: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  info: { summary: 'N, dimension, box, species, columns, frames/runs of particle files', load: () => import('./info.js') },
  features: { summary: 'structural descriptors of configurations -> .npy (+ names) or extended XYZ', load: () => import('./features.js') },
  propensity: { summary: 'dynamic propensity (abs | msd | cage_abs) from isoconfigurational runs', load: () => import('./propensity.js') },
  regress: { summary: 'fit OLS / ridge / elastic net / PCR on any feature matrix (.npy)', load: () => import('./regress.js') },
  fit: { summary: 'configurations -> descriptors -> cross-validated models -> test scores and report', load: () => import('./fit.js') },
  predict: { summary: 'per-particle predictions of a saved model on new configurations', load: () => import('./predict.js') },
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
    if (e instanceof GlassboxError) {
      console.error(`glassbox ${cmd}: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain || process.argv[1]?.endsWith('/glassbox') || process.argv[1]?.endsWith('main.js')) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
