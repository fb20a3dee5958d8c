#!/usr/bin/env node
// Serves the built web site (a folder of static files) and nothing outside it, on 127.0.0.1 unless --host.
//   node scripts/serve.mjs [--dir build/web-release/site] [--port 8000] [--host 127.0.0.1] [--quiet]
//                          [--header-timeout 10] [--idle-timeout 30]
// If the port is taken and --port was not given, the next free port is used; with --port, a taken
// port is an error. Prints "EmbedLab is running at http://HOST:PORT/" when listening.
//
// Files go out through `send` (pillarjs; the engine of Express's serve-static): ETag and Last-Modified,
// 304 on revalidation, HEAD, Range, and a file stream destroyed when the client goes away. This file adds
// what send lacks: a strict reading of the request path, symlinks kept inside the site, the .br/.gz
// siblings written by scripts/precompress.mjs, per-file Cache-Control, and timeouts for slow clients.
// Why not sirv, which serves .br/.gz by itself: sirv 3.0.2 took the process down on `Range: bytes=5-2`,
// kept one file descriptor open per aborted download (50 aborts, 50 fds) and followed a symlink to
// /etc/passwd. send 1.2.1 answered 416 and leaked nothing; the symlink check is ours (tests/server/).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { isCurrent } from './precompress.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
let send;
try {
  send = createRequire(import.meta.url)('send');
} catch {
  console.error(`serve: the npm package 'send' is missing; install it with: (cd ${here} && npm ci)  (scripts/lab run does)`);
  process.exit(1);
}

// [SECTION] options
const args = process.argv.slice(2);
let dir = path.join(here, '..', 'build/web-release/site');
let port = 8000;
let portGiven = false;
let host = '127.0.0.1';
let quiet = false;
let headerTimeout = 10;  // seconds a client may take to send its request headers
let idleTimeout = 30;    // seconds a connection may stay silent (no bytes either way) before it is closed
const usage = 'options: --dir DIR, --port N, --host ADDR, --quiet, --header-timeout S, --idle-timeout S';
const seconds = (name, text) => {
  const s = Number(text);
  if (!(s > 0 && s <= 3600)) {
    console.error(`serve: ${name} must be a number of seconds from 0 to 3600, got '${text}'`);
    process.exit(2);
  }
  return s;
};
for (let i = 0; i < args.length; ++i) {
  const a = args[i];
  const value = i + 1 < args.length ? args[i + 1] : undefined;
  if (a === '--dir' && value !== undefined) dir = path.resolve(args[++i]);
  else if (a === '--port' && value !== undefined) {
    port = Number(args[++i]);
    portGiven = true;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`serve: --port must be a whole number from 0 to 65535, got '${args[i]}'`);
      process.exit(2);
    }
  } else if (a === '--host' && value !== undefined) host = args[++i];
  else if (a === '--header-timeout' && value !== undefined) headerTimeout = seconds(a, args[++i]);
  else if (a === '--idle-timeout' && value !== undefined) idleTimeout = seconds(a, args[++i]);
  else if (a === '--quiet') quiet = true;
  else {
    console.error(`serve: unknown option '${a}'${value === undefined && a.startsWith('--') ? ' (or its value is missing)' : ''} (${usage})`);
    process.exit(2);
  }
}
if (!fs.existsSync(path.join(dir, 'index.html'))) {
  console.error(`serve: ${dir}/index.html not found — build the web app first (scripts/lab run does).`);
  process.exit(1);
}
// Every served file's real path (symlinks resolved) must lie under the site's real path.
const site = fs.realpathSync(dir);

// [SECTION] what a request may name
const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.data': 'application/octet-stream', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.md': 'text/markdown; charset=utf-8', '.css': 'text/css; charset=utf-8', '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8', '.woff2': 'font/woff2', '.ttf': 'font/ttf',
};
const URL_MAX = 4096;  // bytes of request target; longer is 414 (node itself answers 431 past 16 KiB of headers)

// The site-relative path a request target names ('index.html', 'lessons/x.md'), or an HTTP status.
// Stricter than a browser needs: no dot segments, backslashes or control characters, encoded or not.
function targetPath(url) {
  if (url.length > URL_MAX) return 414;
  if (url[0] !== '/') return 400;  // origin-form only: no absolute-form ('http://...'), no '*'
  const cut = url.search(/[?#]/);
  let p;
  try {
    p = decodeURIComponent(cut < 0 ? url : url.slice(0, cut));
  } catch {
    return 400;  // invalid percent-encoding or UTF-8
  }
  if (/[\x00-\x1f\x7f\\]/.test(p)) return 400;
  const parts = p.split('/').slice(1);
  if (parts.some((s) => s === '.' || s === '..')) return 400;
  if (parts.some((s) => s.startsWith('.'))) return 404;  // dotfiles (.git, .env) are never served
  const rel = parts.filter((s) => s !== '').join('/');
  return rel === '' || p.endsWith('/') ? path.posix.join(rel, 'index.html') : rel;
}

// The real path of `rel` if it exists inside the site (after resolving symlinks), else null.
async function realPathInSite(rel) {
  try {
    const real = await fs.promises.realpath(path.join(site, rel));
    return real.startsWith(site + path.sep) ? real : null;
  } catch {
    return null;  // missing, ENAMETOOLONG, ELOOP, ...
  }
}

// The page and its service worker are always revalidated, so a new build shows up on the next load;
// names carrying a content hash (`index.3f9a2c1b.js`) never change content and may be kept a year;
// everything else (index.js/.wasm/.data keep their names across builds) is revalidated too, which
// costs one 304 round trip per file on a reload.
const HASHED = /[.-](?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,}\.[A-Za-z0-9]+$/;
function cacheControl(rel) {
  const name = path.posix.basename(rel);
  if (name === 'sw.js' || name.endsWith('.html')) return 'no-cache';
  if (HASHED.test(name)) return 'public, max-age=31536000, immutable';
  return 'public, max-age=0, must-revalidate';
}

// Content codings the client accepts (q > 0) among those we keep siblings for, in our preference order.
const CODINGS = [['br', '.br'], ['gzip', '.gz']];
function acceptedCodings(header) {
  const ok = new Set();
  for (const item of String(header || '').toLowerCase().split(',')) {
    const [name, ...params] = item.split(';').map((s) => s.trim());
    const q = params.find((s) => s.startsWith('q='));
    if (!q || Number(q.slice(2)) > 0) ok.add(name);
  }
  return CODINGS.filter(([coding]) => ok.has(coding));
}

// [SECTION] the handler
function reply(res, status, headers = {}) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(`${status} ${http.STATUS_CODES[status]}\n`);
}

async function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, { Allow: 'GET, HEAD' });
  const rel = targetPath(req.url);
  if (typeof rel === 'number') return reply(res, rel);
  const real = await realPathInSite(rel);
  if (!real) return reply(res, 404);
  let file = real;
  const st = await fs.promises.stat(real).catch(() => null);
  if (!st) return reply(res, 404);
  if (st.isFile()) {
    // A sibling is used only if it is not older than its source: a rebuilt file is never answered
    // with the compressed copy of the previous build (precompress.mjs gives siblings their source's mtime).
    for (const [coding, ext] of acceptedCodings(req.headers['accept-encoding'])) {
      const sibling = await realPathInSite(rel + ext);
      const sst = sibling && await fs.promises.stat(sibling).catch(() => null);
      if (sst && sst.isFile() && isCurrent(sst, st)) {
        file = sibling;
        res.setHeader('Content-Encoding', coding);
        break;
      }
    }
    res.setHeader('Content-Type', types[path.extname(rel).toLowerCase()] || 'application/octet-stream');
    res.setHeader('Cache-Control', cacheControl(rel));
    res.setHeader('Vary', 'Accept-Encoding');
  }
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const sendPath = '/' + path.relative(site, file).split(path.sep).map(encodeURIComponent).join('/');
  send(req, sendPath, { root: site, index: false, cacheControl: false, dotfiles: 'ignore' })
    .on('error', (err) => reply(res, err.status || 500))
    .pipe(res);
}

// [SECTION] the server
const server = http.createServer({
  headersTimeout: headerTimeout * 1000,
  requestTimeout: headerTimeout * 1000,  // GET and HEAD have no body: the request is its headers
  connectionsCheckingInterval: Math.min(1000, headerTimeout * 500),
}, (req, res) => {
  handle(req, res).catch((err) => {
    console.error(`serve: ${req.method} ${JSON.stringify(req.url)}: ${err.stack || err}`);
    reply(res, 500);
  });
});
server.timeout = idleTimeout * 1000;  // a connection silent this long (a stalled download too) is closed
// Requests node rejects before the handler (bad syntax, over 16 KiB of headers, the header timeout) get
// node's own 400, 431 or 408, and the connection is closed.

const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
const urlHost = (h) => (h.includes(':') ? `[${h}]` : h);
let attempts = 0;
server.on('error', (err) => {
  if (err.code === 'EADDRINUSE') {
    if (portGiven || attempts >= 20) {
      console.error(`serve: port ${port} on ${host} is already in use (another server running?). ` +
                    `Stop it or choose another port, e.g. --port ${port + 1}.`);
      process.exit(1);
    }
    if (!quiet) console.error(`serve: port ${port} is in use, trying ${port + 1}`);
    ++attempts;
    ++port;
    server.listen(port, host);
  } else {
    console.error(`serve: cannot listen on ${host}:${port}: ${err.message}`);
    process.exit(1);
  }
});
server.on('listening', () => {
  const p = server.address().port;
  let hosts = [host];
  if (host === '0.0.0.0' || host === '::') {
    // Listening on every interface: print the addresses students can type.
    const lan = Object.values(os.networkInterfaces()).flat()
      .filter((a) => !a.internal && (a.family === 'IPv4' || host === '::')).map((a) => a.address);
    hosts = lan.length ? lan : ['127.0.0.1'];
  }
  console.log(`EmbedLab is running at http://${urlHost(hosts[0])}:${p}/  (Ctrl+C to stop)`);
  for (const h of hosts.slice(1)) console.log(`  also at http://${urlHost(h)}:${p}/`);
  if (!loopback) {
    console.error(`serve: warning: --host ${host} lets other machines on the network load the lab. Browsers allow ` +
                  'offline use (a service worker) only over https or from localhost: students loading it over ' +
                  'plain http from this address get the lab, but not offline. README.md, "Serving a classroom", says how.');
  }
});
server.listen(port, host);
