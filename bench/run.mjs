// Runs every bench/*.bench.mjs (or the ones named: `npm run bench -- neighbors`).
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const want = process.argv.slice(2);
process.argv.splice(2); // the suite names are ours: the benches parse their own options only
const files = readdirSync(here).filter((f) => f.endsWith('.bench.mjs') && (want.length === 0 || want.some((w) => f.startsWith(w))));
for (const f of files) {
  console.log(`\n## ${f}`);
  await import(pathToFileURL(join(here, f)).href);
}
