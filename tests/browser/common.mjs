// What every browser test shares: its options (--site, --out), Chromium's flags, serving the built
// site with scripts/serve.mjs on a free port, waiting for the lab, and counting failed checks.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const argv = process.argv.slice(2);
export const opt = (name, def) => { const i = argv.indexOf(name); return i >= 0 && i + 1 < argv.length ? argv[i + 1] : def; };
export const site = path.resolve(opt('--site', path.join(root, 'build/web-release/site')));
export const outDir = (def) => path.resolve(opt('--out', path.join(root, def)));

// Debian's Chromium, headless, WebGL 2 through SwiftShader (see ../shared/toolchain.md).
export const chromiumArgs = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const launch = () => chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });

// Serves `dir` (default: the site) on 127.0.0.1 with the lab's own server; resolves to { srv, url }.
export function startServer(dir = site) {
  return new Promise((resolve, reject) => {
    const srv = spawn(process.execPath, [path.join(root, 'scripts/serve.mjs'), '--dir', dir, '--port', '0'],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('server did not start in 10 s')), 10000);
    srv.stdout.on('data', (d) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(String(d));
      if (m) { clearTimeout(timer); resolve({ srv, url: m[0] }); }
    });
    srv.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

// The lab publishes window.embedlab; it is ready (or failed) once the first lesson is on screen. The
// site's other lessons come just after (lessonsMore, web/lessons_fetch.js): tests wait for them too.
export const waitReady = (page) => page.waitForFunction(() => window.embedlab &&
    ((window.embedlab.ready && window.embedlab.lessonsMore === false) || window.embedlab.failed), null, { timeout: 90000 });

// check(ok, what) prints one line per check; checks.failures counts the failed ones.
export function checker() {
  const checks = { failures: 0 };
  checks.check = (ok, what) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'}  ${what}`);
    if (!ok) checks.failures++;
  };
  return checks;
}

// The page's console errors and uncaught exceptions, as they happen (a test fails if any appear).
// `ignore`: a RegExp of console errors that are expected (e.g. a 404 the test asked for).
export function collectErrors(page, ignore = null) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' && !(ignore && ignore.test(m.text()))) errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
