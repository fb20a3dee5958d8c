// Publishing without rebuilding (issue #16 §1), in headless Chromium:
//   1. `scripts/site.mjs` (what `scripts/lab site` runs) writes a static folder; served by itself
//      (scripts/serve.mjs --dir FOLDER) it loads, lists every shipped lesson and logs no error. Opened
//      as a file (file://) it cannot work (browsers refuse the fetches) and says how to serve it.
//   2. A held-out lesson (tests/browser/fixtures/90-held-out.md, not in lessons/) copied into that
//      folder's lessons/ and listed with `node scripts/lesson-index.mjs` shows up on the next load —
//      by the list, by a deep link, drawn (screenshot) — while index.wasm and index.data stay untouched.
//   3. Bad input gets one clear message and the lab keeps running: a broken index, no index and no
//      listing, a listed lesson that is 404, a lesson that is not UTF-8 (FILE:LINE), a name with '..'.
//   4. Where the server lists lessons/ (python3 -m http.server does), no index is needed.
//   5. The service worker: deploy build A, load; deploy B, reload -> B; offline, reload -> B (lessons
//      included); a 404 or 500 is never stored; a build whose files answer 500 is not installed and the
//      working build stays.
//   node tests/browser/publish.mjs --site build/web-release/site --out build/screenshots/publish
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { checker, launch, outDir, root, site, startServer, waitReady, collectErrors } from './common.mjs';
import { lessonIndex } from '../../scripts/lesson-index.mjs';

const out = outDir('build/screenshots/publish');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const checks = checker();
const check = checks.check;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-publish-'));
const pub = path.join(tmp, 'site');
const heldOut = path.join(root, 'tests/browser/fixtures/90-held-out.md');
const sha = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const colours = (file) => Number(execFileSync('identify', ['-format', '%k', file]).toString());
const node = (...args) => execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const shippedCount = fs.readdirSync(path.join(root, 'lessons')).filter((f) => f.endsWith('.md') && f !== 'README.md').length;
const state = (page) => page.evaluate(() => window.embedlab);

// A page in a fresh context; its console errors and page errors are collected in `errors`.
async function open(browser, url, { serviceWorkers = 'block', context } = {}) {
  const ctx = context || await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers });
  const page = await ctx.newPage();
  const errors = collectErrors(page, /Failed to load resource/);
  const t0 = Date.now();
  await page.goto(url);
  await waitReady(page);
  return { ctx, page, errors, ms: Date.now() - t0 };
}

// 1. The published folder, served from itself.
node('scripts/site.mjs', '--from', site, '--to', pub, '--quiet');
const wasmSha = sha(path.join(pub, 'index.wasm'));
const dataSha = sha(path.join(pub, 'index.data'));
const index0 = JSON.parse(fs.readFileSync(path.join(pub, 'lessons/index.json'), 'utf8'));
check(index0.lessons.length === shippedCount && fs.existsSync(path.join(pub, '.nojekyll')),
      `scripts/site.mjs wrote a site: lessons/index.json lists ${index0.lessons.length} of ${shippedCount} shipped lessons, .nojekyll present`);
// The data sets the page fetches when a step needs them, and the build for browsers without SIMD, as the build has them.
{
  const same = (rel) => fs.existsSync(path.join(site, rel)) && fs.existsSync(path.join(pub, rel)) &&
                        sha(path.join(site, rel)) === sha(path.join(pub, rel));
  const want = ['assets/data/digits.csv', 'assets/data/fashion-mnist/t10k-images-idx3-ubyte', 'assets/data/fashion-mnist-LICENSE.txt',
                'nosimd/index.js', 'nosimd/index.wasm', 'nosimd/index.data'];
  const missing = want.filter((rel) => !same(rel));
  check(missing.length === 0, `the published site carries the data sets and the no-SIMD build, byte for byte (missing or different: [${missing}])`);
}
// Each shipped lesson's text for browsers that cannot run the lab is listed, and only while it is the
// text of that very file: after an edit on the site the lesson shows as its Markdown.
{
  const withText = index0.lessons.filter((l) => l.text === l.file.replace(/\.md$/, '.html'));
  check(withText.length === shippedCount, `lessons/index.json lists the text (NAME.html) of ${withText.length} of ${shippedCount} lessons`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'embedlab-stale-'));
  fs.cpSync(path.join(pub, 'lessons'), tmp, { recursive: true });
  const edited = index0.lessons[0].file;
  fs.appendFileSync(path.join(tmp, edited), '\nA sentence added on the published site.\n');
  const { index, warnings } = lessonIndex(tmp);
  const e = index.lessons.find((l) => l.file === edited);
  check(e && e.text === undefined && warnings.some((w) => w.startsWith(`${edited}: `) && /another version/.test(w)) &&
        index.lessons.filter((l) => l.text).length === shippedCount - 1,
        `an edited lesson loses its listed text, with a warning (${warnings.find((w) => w.startsWith(edited)) || 'no warning'})`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

const { srv, url } = await startServer(pub);
const browser = await launch();
let custom;
try {
  {
    const { ctx, page, errors, ms } = await open(browser, url);
    const s = await state(page);
    check(s.ready && !s.failed && s.lessons === shippedCount && s.lessonsError === '',
          `the published site loads from its own server with ${s.lessons} lessons (error '${s.lessonsError || s.error || ''}')`);
    check(Object.keys(s.lessonErrors || {}).length === 0, `no shipped lesson has an error (${JSON.stringify(s.lessonErrors)})`);
    console.log(`      first lesson on screen ${ms} ms after navigation; lessons fetched ${Math.round(s.lessonsMs)} ms after index.js started`);
    const shot = path.join(out, 'published-start.png');
    await page.screenshot({ path: shot });
    check(colours(shot) > 200, `the published page is drawn (${colours(shot)} colours)`);
    check(errors.length === 0, `no console errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
    await ctx.close();
  }

  {
    // Opened from the folder as a file: browsers refuse the fetches; the page says how to serve it.
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto('file://' + path.join(pub, 'index.html'));
    await waitReady(page);
    const s = await state(page);
    const text = await page.locator('#error').innerText();
    check(s.failed && /web server/.test(s.error) && /python3 -m http\.server/.test(text), `file:// gives a clear message: ${s.error}`);
    await ctx.close();
  }

  // 2. The held-out lesson: copy one file, run the documented command, reload.
  fs.copyFileSync(heldOut, path.join(pub, 'lessons', path.basename(heldOut)));
  node('scripts/lesson-index.mjs', path.join(pub, 'lessons'));  // the command README gives
  const index1 = JSON.parse(fs.readFileSync(path.join(pub, 'lessons/index.json'), 'utf8'));
  check(index1.lessons.some((l) => l.file === '90-held-out.md' && /^Held out/.test(l.title)),
        `node scripts/lesson-index.mjs lists the copied lesson (${index1.lessons.length} lessons)`);
  {
    const { ctx, page, errors } = await open(browser, url);
    let s = await state(page);
    check(s.lessons === shippedCount + 1, `after copying one file the page lists ${s.lessons} lessons (was ${shippedCount})`);
    await page.goto(`${url}#90-held-out/1`);
    await page.waitForFunction(() => window.embedlab.route === '90-held-out/1', null, { timeout: 10000 }).catch(() => {});
    s = await state(page);
    check(s.route === '90-held-out/1' && /^Held out/.test(s.title) && !(s.lessonErrors || {})['90-held-out'],
          `the held-out lesson opens by its link: ${s.route}, '${s.title}'`);
    await page.waitForTimeout(1500);  // let its random-cosine block run
    const shot = path.join(out, 'held-out-lesson.png');
    await page.screenshot({ path: shot });
    check(colours(shot) > 200, `the held-out lesson is drawn (${colours(shot)} colours, ${shot})`);
    check(errors.length === 0, `no console errors on the held-out lesson${errors.length ? ': ' + errors.join(' | ') : ''}`);
    await ctx.close();
  }
  {
    // A deep link opened cold waits for the lessons, then opens its step.
    const { ctx, page } = await open(browser, `${url}#90-held-out/2`);
    const s = await state(page);
    check(s.route === '90-held-out/2', `a cold deep link #90-held-out/2 opens once the lessons arrive (route ${s.route})`);
    await ctx.close();
  }
  {
    // A lesson that brings its own image: lessons/images/zz-red.png, listed by the index, shown by the page.
    fs.mkdirSync(path.join(pub, 'lessons/images'), { recursive: true });
    execFileSync('convert', ['-size', '240x120', 'xc:rgb(255,0,0)', path.join(pub, 'lessons/images/zz-red.png')]);
    fs.writeFileSync(path.join(pub, 'lessons/zz-image.md'), '---\ntitle: Brings an image\norder: 95\n---\n## Red\n\n![a red block](images/zz-red.png)\n');
    node('scripts/lesson-index.mjs', path.join(pub, 'lessons'), '--quiet');
    const listed = JSON.parse(fs.readFileSync(path.join(pub, 'lessons/index.json'), 'utf8')).lessons.find((l) => l.file === 'zz-image.md');
    const { ctx, page } = await open(browser, `${url}#zz-image/1`);
    await page.waitForTimeout(500);
    const shot = path.join(out, 'lesson-image.png');
    await page.screenshot({ path: shot });
    const red = Number(execFileSync('convert', [shot, '-fill', 'black', '+opaque', 'rgb(255,0,0)', '-fill', 'white', '-opaque', 'rgb(255,0,0)',
                                                '-format', '%[fx:mean]', 'info:']).toString());
    check(listed && listed.images.join() === 'images/zz-red.png' && (await state(page)).route === 'zz-image/1' && red > 0.01,
          `a lesson's own image (lessons/images/zz-red.png) is listed and drawn (${(red * 100).toFixed(1)}% of the screenshot is its red)`);
    await ctx.close();
    fs.rmSync(path.join(pub, 'lessons/zz-image.md'));
    node('scripts/lesson-index.mjs', path.join(pub, 'lessons'), '--quiet');
  }
  check(sha(path.join(pub, 'index.wasm')) === wasmSha && sha(path.join(pub, 'index.data')) === dataSha,
        'index.wasm and index.data are byte for byte what the build wrote (no rebuild, no relink)');

  // 3. Bad input: one clear message, the lab keeps running.
  const indexFile = path.join(pub, 'lessons/index.json');
  const good = fs.readFileSync(indexFile);
  async function badCase(name, prepare, expect) {
    prepare();
    const { ctx, page, errors } = await open(browser, url);
    const s = await state(page);
    await page.keyboard.press('ArrowRight');  // still responsive
    await page.waitForTimeout(200);
    const after = await state(page);
    const shot = path.join(out, `bad-${name}.png`);
    await page.screenshot({ path: shot });
    const pageErrors = errors.filter((e) => !/^embedlab:/.test(e));
    check(s.ready && !s.failed && !after.failed && pageErrors.length === 0 && expect(s),
          `${name}: ${s.lessonsError || JSON.stringify(s.lessonErrors)} (${s.lessons} lessons; page running)`);
    await ctx.close();
    fs.writeFileSync(indexFile, good);
  }
  await badCase('broken-index', () => fs.writeFileSync(indexFile, '{ "lessons": [ "01-symbols.md", '),
                (s) => /lessons\/index\.json is not valid JSON/.test(s.lessonsError) && /lesson-index\.mjs/.test(s.lessonsError) && s.lessons === 0);
  await badCase('no-index', () => fs.rmSync(indexFile),
                (s) => /no lessons\/index\.json and its server gives no listing/.test(s.lessonsError) && s.lessons === 0);
  await badCase('404-lesson', () => node('-e', `const f=${JSON.stringify(indexFile)},fs=require('fs'),i=JSON.parse(fs.readFileSync(f));` +
                                           `i.lessons.push({file:'zz-gone.md'});fs.writeFileSync(f,JSON.stringify(i))`),
                (s) => s.lessons === shippedCount + 2 && /^lessons\/zz-gone\.md: error: .*HTTP 404/.test((s.lessonErrors || {})['zz-gone'] || '') &&
                       s.lessonsError === '');
  fs.writeFileSync(path.join(pub, 'lessons/zz-latin1.md'), Buffer.concat([Buffer.from('---\ntitle: Caf'), Buffer.from([0xe9]), Buffer.from('\n---\n## One\nText.\n')]));
  await badCase('not-utf8', () => node('scripts/lesson-index.mjs', path.join(pub, 'lessons'), '--quiet'),
                (s) => /^lessons\/zz-latin1\.md:2: error: the file is not valid UTF-8/.test((s.lessonErrors || {})['zz-latin1'] || '') &&
                       s.lessons === shippedCount + 2);
  fs.rmSync(path.join(pub, 'lessons/zz-latin1.md'));
  await badCase('dotdot-name', () => fs.writeFileSync(indexFile, JSON.stringify({ lessons: [{ file: '../index.html' }, { file: '01-symbols.md' }] })),
                (s) => s.lessons === 1 && /not a plain lesson file name/.test(s.lessonsError));
  node('scripts/lesson-index.mjs', path.join(pub, 'lessons'), '--quiet');

  // 4 and 5 need a server that can list lessons/, answer with a chosen status, and switch folders.
  const live = { dir: pub, listing: false, fail: {} };
  custom = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (process.env.PUBLISH_DEBUG) console.log(`      server: ${req.url} from ${path.basename(live.dir)}${live.fail[p] ? ` -> ${live.fail[p]}` : ''}`);
    if (live.fail[p]) { res.writeHead(live.fail[p], { 'Content-Type': 'text/html' }); res.end('<h1>server error page</h1>'); return; }
    if (p === '/lessons/' && live.listing) {
      const names = fs.readdirSync(path.join(live.dir, 'lessons'));
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<html><body><ul>${names.map((n) => `<li><a href="${encodeURIComponent(n)}">${n}</a></li>`).join('')}</ul></body></html>`);
      return;
    }
    const file = path.join(live.dir, p.endsWith('/') ? p + 'index.html' : p);
    if (!file.startsWith(live.dir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) { res.writeHead(404, { 'Content-Type': 'text/html' }); res.end('<h1>not found page</h1>'); return; }
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.md': 'text/markdown', '.svg': 'image/svg+xml' };
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-cache' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => custom.listen(0, '127.0.0.1', r));
  const curl = `http://127.0.0.1:${custom.address().port}/`;

  // 4. No index, but a listing.
  {
    const noIndex = path.join(tmp, 'no-index');
    fs.cpSync(pub, noIndex, { recursive: true });
    fs.rmSync(path.join(noIndex, 'lessons/index.json'));
    Object.assign(live, { dir: noIndex, listing: true });
    const { ctx, page, errors } = await open(browser, curl);
    const s = await state(page);
    check(s.lessons === shippedCount + 1 && s.lessonsError === '' && errors.length === 0,
          `without index.json, the server's listing of lessons/ gives ${s.lessons} lessons (error '${s.lessonsError}')`);
    await ctx.close();
    live.listing = false;
  }

  // 5. The service worker across a redeploy. Builds A and B differ in their cache id and in index.js.
  const cacheId = /const CACHE = 'lab-([^']+)'/.exec(fs.readFileSync(path.join(pub, 'sw.js'), 'utf8'))[1];
  function deploy(name) {
    const dir = path.join(tmp, `build-${name}`);
    fs.cpSync(pub, dir, { recursive: true });
    const id = `${cacheId}-${name}`;
    for (const f of ['index.html', 'sw.js']) {
      const p = path.join(dir, f);
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').split(cacheId).join(id));
    }
    fs.appendFileSync(path.join(dir, 'index.js'), `\n;window.embedlabTestBuild = ${JSON.stringify(name)};\n`);
    return { dir, id };
  }
  const A = deploy('A'), B = deploy('B'), C = deploy('C');
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 700 }, serviceWorkers: 'allow' });
  // Polls an async page function until it returns true (waitForFunction takes a returned promise as true).
  async function until(page, fn, arg, ms = 30000) {
    for (const end = Date.now() + ms; Date.now() < end; await page.waitForTimeout(250))
      if (await page.evaluate(fn, arg).catch(() => false)) return true;
    return false;
  }
  const build = async (page) => {
    await until(page, () => !!(window.embedlab && (window.embedlab.build || window.embedlab.failed)), null, 10000);
    return page.evaluate(() => ({ test: window.embedlabTestBuild, cache: window.embedlab.build && window.embedlab.build.cache,
                                  lessons: window.embedlab.lessons, failed: !!window.embedlab.failed }));
  };
  const cacheNames = (page) => page.evaluate(() => caches.keys());
  const waitCaches = (page, want) => until(page, async (w) => JSON.stringify(await caches.keys()) === JSON.stringify(w), want);
  // Every stored response of every cache: [url, status].
  const stored = (page) => page.evaluate(async () => {
    const all = [];
    for (const k of await caches.keys()) {
      const c = await caches.open(k);
      for (const req of await c.keys()) all.push([k, req.url, (await c.match(req)).status]);
    }
    return all;
  });
  Object.assign(live, { dir: A.dir });
  const { page } = await open(browser, curl, { context: ctx });
  let b = await build(page);
  check(b.test === 'A' && b.cache === A.id, `build A loads (${b.test}, ${b.cache})`);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30000 }).catch(() => {});
  check(await waitCaches(page, [`lab-${A.id}`]), `A's service worker installs, fills its cache and takes over (${await cacheNames(page)})`);
  const precached = (await stored(page)).map((e) => e[1].replace(curl, ''));
  check(['index.js?v=', 'index.wasm?v=', 'index.data?v=', 'lessons/index.json', 'lessons/01-symbols.md'].every((u) => precached.some((p) => p.startsWith(u))),
        `A's cache holds the build files (with ?v=) and the lessons (${precached.length} entries)`);

  live.dir = B.dir;
  await page.reload();
  await waitReady(page);
  b = await build(page);
  check(b.test === 'B' && b.cache === B.id && !b.failed, `deploy B, reload -> B (${b.test}, ${b.cache}; A's worker still in charge during this load)`);
  const workers = (page) => page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    const url = (w) => (w ? w.state + ' ' + w.scriptURL.replace(/.*\//, '') : '-');
    return reg ? `installing ${url(reg.installing)}, waiting ${url(reg.waiting)}, active ${url(reg.active)}` : 'no registration';
  });
  check(await waitCaches(page, [`lab-${B.id}`]), `B's worker replaces A's cache (${await cacheNames(page)}; ${await workers(page)})`);

  await ctx.setOffline(true);
  await page.reload();
  await waitReady(page);
  b = await build(page);
  check(b.test === 'B' && b.cache === B.id && b.lessons === shippedCount + 1 && !b.failed,
        `offline, reload -> B with its ${b.lessons} lessons, from the cache`);
  await page.screenshot({ path: path.join(out, 'offline-B.png') });
  await ctx.setOffline(false);

  // A 404 and a 500 under lessons/ and a 500 page: passed on, never stored.
  fs.writeFileSync(path.join(B.dir, 'lessons/zz-flaky.md'), '---\ntitle: Flaky\n---\n## One\nText.\n');
  node('scripts/lesson-index.mjs', path.join(B.dir, 'lessons'), '--quiet');
  live.fail = { '/lessons/zz-flaky.md': 500, '/lessons/01-symbols.md': 404 };
  await page.reload();
  await waitReady(page);
  let s = await state(page);
  check(/HTTP 500/.test((s.lessonErrors || {})['zz-flaky'] || '') && /HTTP 404/.test((s.lessonErrors || {})['01-symbols'] || ''),
        `a lesson answered 500 or 404 is reported in the page (${JSON.stringify(s.lessonErrors)})`);
  let entries = await stored(page);
  check(entries.every((e) => e[2] >= 200 && e[2] < 300) && !entries.some((e) => /zz-flaky/.test(e[1])),
        `nothing but 2xx answers is stored (${entries.length} entries, statuses ${[...new Set(entries.map((e) => e[2]))].join(',')})`);
  check(entries.some((e) => /lessons\/01-symbols\.md$/.test(e[1]) && e[2] === 200), 'the 404 did not replace the kept copy of 01-symbols.md');

  // Deploy C with its wasm answering 500: C's worker must not install (no lab-C cache), B's stays.
  live.fail = { [`/index.wasm`]: 500 };
  live.dir = C.dir;
  await page.reload();
  await page.waitForFunction(() => window.embedlab && (window.embedlab.ready || window.embedlab.failed), null, { timeout: 90000 }).catch(() => {});
  // Wait until C's worker has finished trying (no worker installing or waiting any more).
  await until(page, async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return !!reg && !reg.installing && !reg.waiting;
  });
  await page.waitForTimeout(500);
  entries = await stored(page);
  check(!(await cacheNames(page)).includes(`lab-${C.id}`) && (await cacheNames(page)).includes(`lab-${B.id}`) && entries.every((e) => e[2] < 300),
        `a build whose index.wasm answers 500 is not installed; B's cache stays (${await cacheNames(page)})`);
  live.fail = {};
  await page.reload();
  await waitReady(page);
  b = await build(page);
  check(b.test === 'C' && b.cache === C.id && !b.failed, `once the server is fixed, reload -> C (${b.test})`);
  check(await waitCaches(page, [`lab-${C.id}`]), `C's worker installs (${await cacheNames(page)})`);
  await ctx.close();
} catch (e) {
  check(false, `unexpected: ${e.stack || e.message}`);
} finally {
  await browser.close();
  srv.kill();
  if (custom) custom.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(checks.failures ? `publish: ${checks.failures} check(s) failed` : 'publish: all checks passed');
process.exit(checks.failures ? 1 : 0);
