#!/usr/bin/env node
// A tiny static file server for the browser page and the browser tests (node:http only).
//
//   npm run web                      -> http://127.0.0.1:8080/web/  (serves the repository root)
//   node scripts/serve.mjs --port 0  -> a random free port
//
// It serves the repository root (dist/, build/, web/, test/fixtures/, node_modules/ for the
// import map of bare specifiers such as "fflate") with the right MIME types
// (application/wasm for the kernels), never caches, and refuses paths that leave the root.
// Binds to 127.0.0.1 only: it is a development server, not something to expose.

import { createServer } from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.xyz': 'text/plain; charset=utf-8',
  '.npy': 'application/octet-stream',
  '.npz': 'application/octet-stream',
};

/** The repository root (this file lives in scripts/). */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Start a static server on `host`:`port` (port 0 = a random free port) serving `root`.
 * Resolves to { url (with trailing slash), port, close() }.
 */
export function startStaticServer({ root = REPO_ROOT, host = '127.0.0.1', port = 0, log = false } = {}) {
  const base = resolve(root);
  const server = createServer((req, res) => {
    const send = (code, text) => {
      res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(text);
      if (log) console.log(`${code} ${req.method} ${req.url}`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return send(400, 'bad request');
    }
    const file = resolve(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return send(403, 'forbidden');
    let target = file;
    let st;
    try {
      st = statSync(target);
      if (st.isDirectory()) {
        if (!path.endsWith('/')) {
          res.writeHead(301, { location: path + '/', 'cache-control': 'no-store' });
          return res.end();
        }
        target = join(target, 'index.html');
        st = statSync(target);
      }
    } catch {
      return send(404, `not found: ${path}`);
    }
    const type = MIME[extname(target).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'content-length': st.size, 'cache-control': 'no-store' });
    if (log) console.log(`200 ${req.method} ${req.url}`);
    if (req.method === 'HEAD') return res.end();
    createReadStream(target).on('error', () => res.destroy()).pipe(res);
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      const addr = server.address();
      const p = typeof addr === 'object' && addr ? addr.port : port;
      ok({
        url: `http://${host}:${p}/`,
        port: p,
        close: () => new Promise((done) => { server.closeAllConnections?.(); server.close(() => done()); }),
      });
    });
  });
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const k = args.indexOf(`--${name}`);
    return k >= 0 && k + 1 < args.length ? args[k + 1] : dflt;
  };
  const port = Number(opt('port', process.env.PORT ?? '8080'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve: --port expects an integer 0..65535, got "${opt('port')}"`);
    process.exit(2);
  }
  const root = resolve(opt('root', REPO_ROOT));
  startStaticServer({ root, port, log: args.includes('--log') }).then(
    (s) => {
      console.log(`glassbox: serving ${root}`);
      console.log(`  web page:      ${s.url}web/`);
      console.log(`  browser tests: ${s.url}web/test-harness.html`);
      console.log('  (Ctrl-C to stop; run `npm run build` first so dist/ and build/ exist)');
    },
    (e) => {
      console.error(`serve: could not listen on 127.0.0.1:${port}: ${e.message}`);
      process.exit(2);
    },
  );
}
