#!/usr/bin/env node
// The web page's workers load the browser build from web/gen/ (generated here, git-ignored):
// a copy of dist/src/**/*.js whose bare imports ('fflate', 'vega', 'vega-lite') are rewritten
// to relative URLs. Module workers do not see the page's import map (Chromium 156 still
// resolves bare specifiers in workers as errors), so the same mapping is applied when copying.
// The code is tsc's output byte for byte apart from those import strings: the numbers in the
// workers are the Node numbers (tested in test/web-app.test.ts).
//
//   node scripts/build-web.mjs      (run by `npm run build:ts`, `npm run web` and the tests)

import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Bare specifier -> file (relative to the repository root). */
export const WORKER_IMPORTS = {
  fflate: 'node_modules/fflate/esm/browser.js',
  vega: 'web/shims/vega.js',
  'vega-lite': 'web/shims/vega-lite.js',
};

function files(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p));
    else if (e.name.endsWith('.js')) out.push(p);
  }
  return out;
}

export function buildWeb({ root = ROOT } = {}) {
  const src = join(root, 'dist', 'src');
  const out = join(root, 'web', 'gen', 'src');
  if (!existsSync(src)) throw new Error(`build-web: ${src} is missing: run npm run build:ts first`);
  rmSync(join(root, 'web', 'gen'), { recursive: true, force: true });
  let rewritten = 0;
  const unmapped = new Set();
  for (const f of files(src)) {
    const rel = relative(src, f);
    const dest = join(out, rel);
    let text = readFileSync(f, 'utf8');
    // static `import ... from 'x'`, `export ... from 'x'`, `import 'x'` and `import('x')` at a line start
    text = text.replace(/^(\s*(?:(?:import|export)\b[^'"\n]*?\bfrom\s*|import\s*\(?\s*))(['"])([^'"./][^'"]*)\2/gm, (m, pre, q, spec) => {
      const target = WORKER_IMPORTS[spec];
      if (!target) {
        unmapped.add(`${spec} (${rel})`); // Node-only modules (node:*), never loaded by the workers
        return m;
      }
      rewritten++;
      let r = relative(dirname(dest), join(root, target)).split(sep).join('/');
      if (!r.startsWith('.')) r = './' + r;
      return `${pre}${q}${r}${q}`;
    });
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, text);
  }
  return { out, rewritten, unmapped: [...unmapped].filter((u) => !u.startsWith('node:')) };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const { out, rewritten, unmapped } = buildWeb();
  console.log(`build-web: ${relative(ROOT, out)} (${rewritten} bare imports rewritten${unmapped.length ? `; left as they are: ${unmapped.join(', ')}` : ''})`);
}
