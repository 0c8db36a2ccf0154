#!/usr/bin/env node
// The `glassbox` command (package.json "bin") is two files: dist/cli/glassbox.js (the first
// lines: it starts the `features` worker, src/cli/glassbox.ts) and dist/cli/main.js (every
// command); each of its workers is one file too (dist/cli/worker.js, dist/cli/features-worker.js).
// esbuild joins tsc's output (dist/src/**, ~100 modules) into one ES module per entry, without
// changing the code.
// Why: Node's ES-module loader pays ~0.3-0.5 ms per module (resolve, read, compile, link), so
// `glassbox features` spent ~30 ms loading modules before any work; one file takes ~5 ms
// (bench/startup.bench.mjs measures the whole process). Each bundle holds its own copy of the
// modules it needs: the command and each worker are separate processes or isolates anyway.
// vega and vega-lite stay external (imported at the first chart, src/report/render.ts), and so
// does fflate (a dependency, resolved from node_modules). The library entry (dist/src/index.js)
// is not bundled. The workers are found beside the module that starts them
// (src/node/parallel/pool.ts, workerScriptBeside), so the bundled command starts the bundled workers.
//
//   node scripts/build-cli.mjs      (run by `npm run build:ts`)

import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export async function buildCli({ root = ROOT } = {}) {
  const src = join(root, 'dist', 'src');
  if (!existsSync(join(src, 'cli', 'main.js'))) throw new Error(`build-cli: ${src} is missing: run tsc first (npm run build:ts)`);
  await build({
    absWorkingDir: root,
    entryPoints: {
      glassbox: join(src, 'cli', 'glassbox.js'), // starts the features worker, then imports main.js
      main: join(src, 'cli', 'main.js'),
      worker: join(src, 'node', 'parallel', 'worker.js'),
      'features-worker': join(src, 'node', 'parallel', 'features-worker.js'),
    },
    outdir: join(root, 'dist', 'cli'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['vega', 'vega-lite', 'fflate'],
    logLevel: 'warning',
    legalComments: 'none',
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();
