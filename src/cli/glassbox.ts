#!/usr/bin/env node
// The `glassbox` bin (package.json "bin": the bundled dist/cli/glassbox.js, scripts/build-cli.mjs).
// Its first step, for `glassbox features`, starts the descriptor worker (src/node/parallel/prestart.ts)
// before the command's code (main.js beside this file, ~500 KB bundled) is loaded, so the
// worker's start-up overlaps that loading. Then it runs the command (src/cli/main.ts) and exits
// with its code.
import { prestartFeatureWorker } from '../node/parallel/prestart.js';

if (process.argv[2] === 'features') prestartFeatureWorker();
// a computed specifier: the bundler leaves main.js a file of its own (loaded after the worker starts)
const { main } = (await import(new URL('./main.js', import.meta.url).href)) as typeof import('./main.js');
process.exit(await main(process.argv.slice(2)));
