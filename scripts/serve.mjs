#!/usr/bin/env node
// Serves the built web site (a folder of static files) on 127.0.0.1 only, and nothing outside it.
//   node scripts/serve.mjs [--dir build/web-release/site] [--port 8000] [--quiet]
// If the port is taken and --port was not given, the next free port is used; with --port, a taken
// port is an error. Prints "EmbedLab is running at http://127.0.0.1:PORT/" when listening.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let dir = path.join(root, 'build/web-release/site');
let port = 8000;
let portGiven = false;
let quiet = false;
for (let i = 0; i < args.length; ++i) {
  const a = args[i];
  if (a === '--dir' && i + 1 < args.length) dir = path.resolve(args[++i]);
  else if (a === '--port' && i + 1 < args.length) {
    port = Number(args[++i]);
    portGiven = true;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`serve: --port must be a whole number from 0 to 65535, got '${args[i]}'`);
      process.exit(2);
    }
  } else if (a === '--quiet') quiet = true;
  else {
    console.error(`serve: unknown option '${a}' (options: --dir DIR, --port N, --quiet)`);
    process.exit(2);
  }
}
if (!fs.existsSync(path.join(dir, 'index.html'))) {
  console.error(`serve: ${dir}/index.html not found — build the web app first (scripts/lab run does).`);
  process.exit(1);
}

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.data': 'application/octet-stream', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.md': 'text/markdown; charset=utf-8', '.css': 'text/css',
};

const server = http.createServer((req, res) => {
  let rel;
  try {
    rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    res.writeHead(400).end('bad request');
    return;
  }
  if (rel.endsWith('/')) rel += 'index.html';
  const file = path.join(dir, path.normalize(rel));
  if (!file.startsWith(dir + path.sep) || req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(403).end('forbidden');
    return;
  }
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const name = path.basename(file);
    res.writeHead(200, {
      'Content-Type': types[path.extname(file)] || 'application/octet-stream',
      'Content-Length': st.size,
      // The service worker and the page must never be served stale; versioned files may be cached.
      'Cache-Control': name === 'sw.js' || name === 'index.html' ? 'no-cache' : 'public, max-age=0, must-revalidate',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  });
});

let attempts = 0;
server.on('error', (err) => {
  if (err.code === 'EADDRINUSE') {
    if (portGiven || attempts >= 20) {
      console.error(`serve: port ${port} on 127.0.0.1 is already in use (another server running?). ` +
                    `Stop it or choose another port, e.g. --port ${port + 1}.`);
      process.exit(1);
    }
    if (!quiet) console.error(`serve: port ${port} is in use, trying ${port + 1}`);
    ++attempts;
    ++port;
    server.listen(port, '127.0.0.1');
  } else {
    console.error(`serve: ${err.message}`);
    process.exit(1);
  }
});
server.on('listening', () => {
  const p = server.address().port;
  console.log(`EmbedLab is running at http://127.0.0.1:${p}/  (Ctrl+C to stop)`);
});
server.listen(port, '127.0.0.1');
