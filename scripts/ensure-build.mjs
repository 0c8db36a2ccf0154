// `npm test` runs this first: rebuild the wasm and the TS output when a source is newer
// than its build (so a fresh clone, or an edit, never tests stale kernels).
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const wasmOld = Math.min(mtime('build/glassbox.wasm'), mtime('build/glassbox.simd.wasm')) < Math.max(newest('assembly'), mtime('asconfig.json'));
const tsOld = mtime('dist/src/index.js') < newest('src') || mtime('dist/cli/glassbox.js') < mtime('dist/src/index.js');
if (wasmOld) execSync('npm run asbuild', { stdio: 'inherit' });
if (tsOld) execSync('npm run build:ts', { stdio: 'inherit' });
// the web page's workers load web/gen/ (dist/ with bare imports resolved: scripts/build-web.mjs)
else if (mtime('web/gen/src/index.js') < mtime('dist/src/index.js')) execSync('node scripts/build-web.mjs', { stdio: 'inherit' });
