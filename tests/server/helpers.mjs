// Shared by the server tests: a small fixture site in a temp dir (with symlinks that point outside it),
// scripts/serve.mjs started on it, and plain-socket / http clients that never throw on a bad answer.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SECRET = 'OUTSIDE-THE-SITE-7f3a';  // the content of every file outside the site
export const BIG_SIZE = 64 << 20;                // more than socket buffers hold (tcp_rmem max is often 32 MiB)

// Compressible text that is not one repeated line, so the sizes are realistic.
const text = (n, seed) => {
  const words = ['embedding', 'vector', 'cosine', 'tsne', 'gradient', 'batch', 'norm', 'lesson', 'const', 'return'];
  let s = '', x = seed;
  while (s.length < n) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += words[x % words.length] + ((x >> 8) % 7 === 0 ? ';\n' : ' ');
  }
  return s.slice(0, n);
};

// Writes DIR/site (what is served) and DIR/outside (what must never be). Returns their paths.
export function makeSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-server-test-'));
  const site = path.join(dir, 'site');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(path.join(site, 'lessons'), { recursive: true });
  fs.mkdirSync(outside);
  const write = (rel, data) => fs.writeFileSync(path.join(site, rel), data);
  write('index.html', `<!doctype html><title>fixture</title>\n${text(3000, 1)}`);
  write('sw.js', `'use strict';\n// fixture service worker\n${text(2000, 2)}`);
  write('index.js', text(200000, 3));
  write('index.wasm', Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.from(text(300000, 4))]));
  write('index.data', Buffer.from(text(100000, 5)));
  write('app.3f9a2c1b.js', text(5000, 6));
  write('manifest.webmanifest', '{"name":"fixture"}');
  write('lessons/01-intro.md', '# Intro\n');
  write('icon.png', crypto.randomBytes(4096));
  write('noise.bin', crypto.randomBytes(4096));   // does not compress: no sibling kept
  write('.secret', SECRET);
  fs.writeFileSync(path.join(outside, 'secret.txt'), SECRET);
  fs.symlinkSync('index.html', path.join(site, 'inside-link.html'));            // stays inside: allowed
  fs.symlinkSync('../outside/secret.txt', path.join(site, 'leak.txt'));          // relative, escapes
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(site, 'leak-abs.txt'));  // absolute, escapes
  fs.symlinkSync('../outside', path.join(site, 'out-dir'));                      // a directory that escapes
  // A sibling that escapes: a gzip client asking for the lesson must get the lesson, not the secret.
  fs.symlinkSync('../../outside/secret.txt', path.join(site, 'lessons/01-intro.md.gz'));
  fs.symlinkSync('/etc/passwd', path.join(site, 'passwd'));
  return { dir, site, outside, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

// Adds a big file after precompress has run: sparse, so it costs no disk and no compression time.
export function addBigFile(site) {
  const file = path.join(site, 'big.bin');
  fs.writeFileSync(file, '');
  fs.truncateSync(file, BIG_SIZE);
}

// Starts scripts/serve.mjs; resolves { proc, port, stderr() } once it prints its address.
export function startServer(site, extra = []) {
  return new Promise((resolve, reject) => {
    const args = [path.join(root, 'scripts/serve.mjs'), '--dir', site, '--port', '0', '--quiet',
                  '--header-timeout', '1', '--idle-timeout', '2', ...extra];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 10 s: ${err}`)), 10000);
    proc.stderr.on('data', (d) => { err += d; });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /running at http:\/\/(\S+):(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, port: Number(m[2]), stdout: () => out, stderr: () => err });
      }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}: ${err}`)); });
  });
}

export const stopServer = (server) => new Promise((resolve) => {
  if (server.proc.exitCode !== null) return resolve();
  server.proc.once('exit', resolve);
  server.proc.kill();
});

// Sends raw bytes and collects whatever comes back until the server closes or `ms` pass.
// Resolves { status (first response's, or 0), data, closedByServer, ms }.
export function raw(port, bytes, { ms = 3000, onConnect } = {}) {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const chunks = [];
    let closedByServer = false;
    const s = net.connect(port, '127.0.0.1', () => {
      if (bytes !== null) s.write(bytes);
      if (onConnect) onConnect(s);
    });
    const done = () => {
      clearTimeout(timer);
      const data = Buffer.concat(chunks);
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data.subarray(0, 20).toString('latin1'));
      resolve({ status: m ? Number(m[1]) : 0, data, closedByServer, ms: Date.now() - t0 });
    };
    const timer = setTimeout(() => { s.destroy(); done(); }, ms);
    s.on('data', (d) => chunks.push(d));
    s.on('end', () => { closedByServer = true; });
    s.on('error', () => { closedByServer = true; });
    s.on('close', () => { closedByServer = true; done(); });
  });
}

// One HTTP request on a fresh connection; resolves { status, headers, body } (body: Buffer, as sent).
export function request(port, urlPath, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (d) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

// Open file descriptors of a process (Linux), or null elsewhere.
export function fdCount(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
