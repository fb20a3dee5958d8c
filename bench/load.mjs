#!/usr/bin/env node
// A classroom against scripts/serve.mjs: N students load the whole site at once (cold: no cache, six
// connections each, as a browser opens), then N connections fetch index.wasm back to back. Starts its
// own server on the site; prints BENCH lines (bench/README.md). A benchmark, not a test: it fails only
// if a load is incomplete. Client and server share the machine's cores, so the figures are a floor.
//   node bench/load.mjs [--site build/web-release/site] [--students 40] [--seconds 10] [--quick]
//                       [--accept-encoding 'gzip, deflate']
// Browsers accept 'br' only from https or localhost: over plain http from a classroom's LAN address they
// send 'gzip, deflate' (Chromium, measured) and get the .gz siblings; that is the default here.
// Run scripts/precompress.mjs on the site first (scripts/lab run does).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def; };
const quick = argv.includes('--quick');
const site = path.resolve(opt('--site', path.join(root, 'build/web-release/site')));
const students = Number(opt('--students', 40));
const seconds = Number(opt('--seconds', quick ? 3 : 10));
const acceptEncoding = opt('--accept-encoding', 'gzip, deflate');
const CONNECTIONS_PER_STUDENT = 6;  // what Chromium and Firefox open per host over HTTP/1.1

if (!fs.existsSync(path.join(site, 'index.wasm'))) {
  console.error(`load: ${site}/index.wasm not found; build the web app first (scripts/lab build web) or pass --site DIR`);
  process.exit(1);
}

// The site as a browser sees it: every file but the .br/.gz siblings and dotfiles.
function siteFiles(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.') || /\.(br|gz)$/.test(e.name)) return [];
    const rel = prefix + e.name;
    if (e.isDirectory()) return siteFiles(path.join(dir, e.name), rel + '/');
    return [{ url: '/' + rel.split('/').map(encodeURIComponent).join('/'), size: fs.statSync(path.join(dir, e.name)).size }];
  });
}
const files = siteFiles(site);
const mb = (n) => (n / 1e6).toFixed(2);
const siblings = ['.gz', '.br'].map((ext) => files.filter((f) => fs.existsSync(path.join(site, decodeURIComponent(f.url)) + ext)).length);
console.log(`site: ${site}: ${files.length} files, ${mb(files.reduce((s, f) => s + f.size, 0))} MB; ` +
            `.gz siblings for ${siblings[0]}, .br for ${siblings[1]}; Accept-Encoding '${acceptEncoding}'`);
if (!siblings[0] && !siblings[1]) console.log('site: no pre-compressed siblings: run node scripts/precompress.mjs on it for the figures students get');

function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'scripts/serve.mjs'), '--dir', site, '--port', '0', '--quiet'],
                       { stdio: ['ignore', 'pipe', 'inherit'] });
    proc.stdout.on('data', (d) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(String(d));
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

// Peak and current resident memory of a process in MiB (Linux /proc), or NaN.
function rss(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)[1]);
    return { peak: kib('VmHWM') / 1024, now: kib('VmRSS') / 1024 };
  } catch {
    return { peak: NaN, now: NaN };
  }
}

// GET one file; resolves { ok, wire, decoded }: ok means 200 and every byte arrived (with `decode`, every
// byte of the file once decoded; without, every byte the Content-Length announced).
function fetchFile(port, agent, file, decode) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: file.url, agent, headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
      let wire = 0, decoded = 0;
      const coding = res.headers['content-encoding'];
      const decoder = decode && { gzip: zlib.createGunzip, br: zlib.createBrotliDecompress }[coding]?.();
      res.on('data', (d) => { wire += d.length; if (decoder) decoder.write(d); else decoded += d.length; });
      res.on('end', () => {
        const whole = () => (decode ? decoded === file.size : wire === Number(res.headers['content-length']));
        const done = () => resolve({ ok: res.statusCode === 200 && whole(), wire, decoded });
        if (!decoder) return done();
        decoder.on('data', (d) => { decoded += d.length; });
        decoder.on('end', done);
        decoder.on('error', () => resolve({ ok: false, wire, decoded }));
        decoder.end();
      });
      res.on('error', () => resolve({ ok: false, wire, decoded }));
    });
    req.on('error', () => resolve({ ok: false, wire: 0, decoded: 0 }));
  });
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
};
const bench = (name, value, unit) => console.log(`BENCH ${name} ${Number.isFinite(value) ? +value.toFixed(3) : value} ${unit}`);

const { proc, port } = await startServer();
const idle = rss(proc.pid);

// 1. Cold loads: every student fetches every file at once, over its own six connections; each byte
//    is decoded and counted against the file's size.
const t0 = performance.now();
const loads = await Promise.all(Array.from({ length: students }, async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS_PER_STUDENT });
  const s0 = performance.now();
  const got = await Promise.all(files.map((f) => fetchFile(port, agent, f, true)));
  agent.destroy();
  return { seconds: (performance.now() - s0) / 1000, complete: got.every((g) => g.ok), wire: got.reduce((s, g) => s + g.wire, 0) };
}));
const coldSeconds = (performance.now() - t0) / 1000;
const complete = loads.filter((l) => l.complete).length;
const c = `c${students}`;
bench(`server.cold_load.${c}.complete`, complete, 'loads');
bench(`server.cold_load.${c}.seconds`, coldSeconds, 's');
bench(`server.cold_load.${c}.p95_s`, percentile(loads.map((l) => l.seconds), 0.95), 's');
bench(`server.cold_load.mb_per_student`, loads[0].wire / 1e6, 'MB');

// 2. index.wasm back to back on `students` keep-alive connections for `seconds`.
const wasm = files.find((f) => f.url === '/index.wasm');
const agent = new http.Agent({ keepAlive: true, maxSockets: students });
const latencies = [];
let failures = 0, bytes = 0;
const end = performance.now() + seconds * 1000;
const w0 = performance.now();
await Promise.all(Array.from({ length: students }, async () => {
  while (performance.now() < end) {
    const r0 = performance.now();
    const r = await fetchFile(port, agent, wasm, false);
    latencies.push(performance.now() - r0);
    bytes += r.wire;
    if (!r.ok) ++failures;
  }
}));
const wasmSeconds = (performance.now() - w0) / 1000;
agent.destroy();
bench(`server.index_wasm.${c}.requests_per_s`, latencies.length / wasmSeconds, 'req/s');
bench(`server.index_wasm.${c}.p50_ms`, percentile(latencies, 0.5), 'ms');
bench(`server.index_wasm.${c}.p95_ms`, percentile(latencies, 0.95), 'ms');
bench(`server.index_wasm.${c}.mb_per_s`, bytes / 1e6 / wasmSeconds, 'MB/s');
bench(`server.index_wasm.${c}.failed`, failures, 'requests');

const mem = rss(proc.pid);
bench('server.rss_idle_mib', idle.now, 'MiB');
bench('server.rss_peak_mib', mem.peak, 'MiB');
proc.kill();
process.exitCode = complete === students && failures === 0 ? 0 : 1;
