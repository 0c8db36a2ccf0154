// Packs the glassbox package of this repository (../..) with `npm pack` into
// vendor/glassbox.tgz: the same tarball `npm publish` would upload (its "files" and "exports"),
// installed here as `"glassbox": "file:vendor/glassbox.tgz"`. Once glassbox is on the registry,
// `npm install glassbox` replaces this step.
//   node scripts/pack-glassbox.mjs [--ignore-scripts]   (--ignore-scripts: use the existing build)
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
const repo = process.env.GLASSBOX_REPO ?? fileURLToPath(new URL('../../..', import.meta.url));
const vendor = `${here}vendor`;
mkdirSync(vendor, { recursive: true });
const extra = process.argv.includes('--ignore-scripts') ? ['--ignore-scripts'] : [];
const out = execFileSync('npm', ['pack', repo, '--pack-destination', vendor, '--json', ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const { filename } = JSON.parse(out)[0];
renameSync(`${vendor}/${filename}`, `${vendor}/glassbox.tgz`);
console.log(`packed ${repo} -> vendor/glassbox.tgz (${filename})`);
