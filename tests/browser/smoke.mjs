// Browser smoke test: serve the built site on 127.0.0.1, load it in headless Chromium (Debian's
// /usr/bin/chromium via playwright-core), and check that the lab starts, that nothing is logged as an
// error, that the right-arrow key moves to the next step, that a #lesson/step deep link opens that
// step, that the screenshots are not blank (checked on pixels with ImageMagick), and that a browser without
// WebAssembly SIMD gets the build without it (nosimd/) with the same results.
//   node tests/browser/smoke.mjs --site build/web-release/site --out build/screenshots
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checker, launch, outDir, root, site, startServer, waitReady, collectErrors } from './common.mjs';

const out = outDir('build/screenshots');
fs.mkdirSync(out, { recursive: true });
const checks = checker();
const check = checks.check;

// Distinct colours and standard deviation of a PNG, via ImageMagick: a blank page has ~1 colour.
function imageStats(file) {
  const s = execFileSync('identify', ['-format', '%k %[fx:standard_deviation]', file]).toString().trim().split(' ');
  return { colours: Number(s[0]), stddev: Number(s[1]) };
}


// The server: a busy port named with --port is a clear error; without --port it moves on.
{
  const net = await import('node:net');
  const blocker = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => blocker.on('listening', r));
  const busy = blocker.address().port;
  const res = await new Promise((resolve) => {
    const p = spawn(process.execPath, [path.join(root, 'scripts/serve.mjs'), '--dir', site, '--port', String(busy)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => resolve({ code, err }));
  });
  check(res.code === 1 && /already in use/.test(res.err), `serve: busy --port ${busy} exits 1 with a message (${res.err.trim()})`);
  blocker.close();
}

const { srv, url } = await startServer();
console.log(`serving ${site} at ${url}`);
const browser = await launch();
try {
  for (const scale of [1, 2]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: scale, serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    // Every WebGL 2 context the page creates (a browser's first one costs 0.5-2 s in SwiftShader).
    await page.addInitScript(() => {
      const get = HTMLCanvasElement.prototype.getContext;
      window.testContexts = [];
      HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
        const c = get.call(this, type, ...rest);
        if (c && type === 'webgl2' && !window.testContexts.includes(c)) window.testContexts.push(c);
        return c;
      };
    });
    await page.goto(url);
    await waitReady(page);
    const state0 = await page.evaluate(() => window.embedlab);
    check(state0.ready && !state0.failed, `dpr ${scale}: the app reports ready (${state0.error || 'no error'})`);
    const gl = await page.evaluate(() => {
      const c = window.testContexts, a = c.length ? c[0].getContextAttributes() : {}, canvas = c.length ? c[0].canvas : null;
      const box = canvas ? canvas.getBoundingClientRect() : { width: 0, height: 0 };
      return { n: c.length, id: canvas && canvas.id, depth: a.depth, stencil: a.stencil, antialias: a.antialias,
               size: canvas ? [canvas.width, canvas.height] : [], want: [Math.round(box.width * devicePixelRatio), Math.round(box.height * devicePixelRatio)] };
    });
    check(gl.n === 1 && gl.id === 'canvas' && !gl.depth && !gl.stencil && !gl.antialias,
          `dpr ${scale}: one WebGL 2 context, the lab's canvas's, as the app asks for it (${JSON.stringify(gl)})`);
    check(gl.size[0] === gl.want[0] && gl.size[1] === gl.want[1], `dpr ${scale}: the canvas is its box in device pixels (${gl.size} for ${gl.want})`);
    if (scale === 1) {
      // The first lesson is the only one fetched before the first frame; the others come after it.
      const index = JSON.parse(fs.readFileSync(path.join(site, 'lessons/index.json'), 'utf8'));
      const f = await page.evaluate(() => ({ ready: window.embedlab.readyMs, lessons: window.embedlab.lessons,
        md: performance.getEntriesByType('resource').filter((e) => /\/lessons\/[^/]+\.md$/.test(e.name))
                                                     .map((e) => [e.name.split('/').pop(), Math.round(e.startTime)]) }));
      const before = f.md.filter((e) => e[1] < f.ready).map((e) => e[0]);
      check(before.length === 1 && before[0] === index.lessons[0].file && f.md.length === index.lessons.length && f.lessons === index.lessons.length,
            `dpr 1: only ${index.lessons[0].file} is fetched before the first frame (${before}; ready at ${f.ready} ms), ` +
            `the other ${f.md.length - before.length} after it; ${f.lessons} lessons listed`);
    }
    check(state0.lessons >= 1, `dpr ${scale}: at least one lesson is listed (${state0.lessons})`);
    await page.waitForTimeout(300);
    const shot0 = path.join(out, `smoke-dpr${scale}-start.png`);
    await page.screenshot({ path: shot0 });
    const st = imageStats(shot0);
    check(st.colours > 200 && st.stddev > 0.05, `dpr ${scale}: first screenshot is not blank (${st.colours} colours, sd ${st.stddev.toFixed(3)})`);

    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((s) => window.embedlab.step !== s, state0.step, { timeout: 5000 }).catch(() => {});
    const state1 = await page.evaluate(() => window.embedlab);
    check(state1.step === state0.step + 1, `dpr ${scale}: ArrowRight moves from step ${state0.step + 1} to ${state1.step + 1}`);
    const hash = await page.evaluate(() => location.hash);
    check(hash === `#${state1.route}`, `dpr ${scale}: the URL carries the step (${hash})`);
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(out, `smoke-dpr${scale}-next.png`) });
    // A step change is a history entry: Back returns to the first step, Forward to the second.
    await page.goBack();
    await page.waitForFunction((s) => window.embedlab.step === s, state0.step, { timeout: 5000 }).catch(() => {});
    const back = await page.evaluate(() => ({ step: window.embedlab.step, hash: location.hash }));
    check(back.step === state0.step && back.hash === `#${state0.route}`, `dpr ${scale}: Back returns to step ${state0.step + 1} (step ${back.step + 1}, ${back.hash})`);
    await page.goForward();
    await page.waitForFunction((s) => window.embedlab.step === s, state1.step, { timeout: 5000 }).catch(() => {});
    const fwd = await page.evaluate(() => window.embedlab.step);
    check(fwd === state1.step, `dpr ${scale}: Forward returns to step ${state1.step + 1} (step ${fwd + 1})`);
    const title = await page.title();
    check(state1.title && title.startsWith(state1.title), `dpr ${scale}: the document title follows the lesson (${title})`);
    // The canvas keeps its pixels and a frame redraws only what changed, nothing when nothing did
    // (src/ui/draw_damage.h). After pointing, tooltips and a step there and back, the
    // picture equals a redraw of every pixel; and an idle page draws no frame at all.
    for (const [x, y] of [[420, 300], [700, 520], [900, 420], [300, 200]]) { await page.mouse.move(x, y); await page.waitForTimeout(150); }
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(400);
    await page.keyboard.press('ArrowLeft');
    await page.mouse.move(5, 795);
    const drawn = () => page.evaluate(() => Module.labFramesDrawn);
    let idle = false;
    for (let i = 0, last = -1; i < 60 && !idle; ++i) {  // up to 15 s for the step's experiment to finish
      const d = await drawn();
      idle = d === last;
      last = d;
      if (!idle) await page.waitForTimeout(250);
    }
    const d0 = await drawn();
    await page.waitForTimeout(1000);
    const d1 = await drawn();
    check(idle && d1 === d0, `dpr ${scale}: an idle page draws nothing (${d1 - d0} frames drawn in 1 s)`);
    const partial = await page.screenshot();
    await page.evaluate(() => { Module.labRedrawAll = true; });
    await page.waitForFunction((d) => Module.labFramesDrawn > d, d1, { timeout: 5000 }).catch(() => {});
    const whole = await page.screenshot();
    check((await drawn()) > d1 && partial.equals(whole),
          `dpr ${scale}: the picture built from partial redraws equals a redraw of every pixel (${partial.equals(whole) ? 'same' : 'different'} PNG)`);
    if (!partial.equals(whole)) { fs.writeFileSync(path.join(out, `smoke-dpr${scale}-partial.png`), partial); fs.writeFileSync(path.join(out, `smoke-dpr${scale}-whole.png`), whole); }
    // The renderer's state queries are answered from what was last set (web/lab_pre.js,
    // labGlStateCache): each answer must be the context's own, asked past the cache, after frames,
    // and again after the context was lost and restored (the lab then draws again).
    const glStateAgrees = () => page.evaluate(() => {
      const gl = document.getElementById('canvas').getContext('webgl2');
      const names = ['VIEWPORT', 'SCISSOR_BOX', 'BLEND_SRC_RGB', 'BLEND_DST_RGB', 'BLEND_SRC_ALPHA', 'BLEND_DST_ALPHA',
                     'BLEND_EQUATION_RGB', 'BLEND_EQUATION_ALPHA'];
      const own = (p) => WebGL2RenderingContext.prototype.getParameter.call(gl, p);
      const text = (v) => (v && v.length !== undefined ? Array.from(v).join(',') : String(v));
      const differ = names.filter((n) => text(gl.getParameter(gl[n])) !== text(own(gl[n])));
      return { cached: gl.getParameter !== WebGL2RenderingContext.prototype.getParameter, differ };
    });
    const agree = await glStateAgrees();
    check(agree.cached && agree.differ.length === 0,
          `dpr ${scale}: the page's answers to the renderer's state queries are the context's own (${agree.differ.join(', ') || 'all equal'})`);
    check(errors.length === 0, `dpr ${scale}: no console errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
    if (scale === 2) {
      // The PCA of the digits on the compute worker, the canvas drawn slower than the worker posts
      // (2560×1600 in software): the update carrying the PCA was replaced unread, and the step showed
      // explained_variance_2 = 0 with a ✗ (web/compute_client.js).
      await page.evaluate(() => { location.hash = '#03-seeing-embeddings/1'; });
      await page.waitForFunction(() => {
        const m = window.embedlab.mirror;
        const b = m && m.step && m.step.route.startsWith('03-seeing-embeddings/1') && m.parts.find((p) => p.type === 'block');
        return b && b.progress === 1 && b.expects.length > 0 && b.expects.every((x) => x.state !== 'pending');
      }, null, { timeout: 60000 }).catch(() => {});
      const pca = await page.evaluate(() => {
        const b = window.embedlab.mirror.parts.find((p) => p.type === 'block');
        return { expects: b.expects.map((x) => x.mark + ' ' + x.text), ev: (b.metrics.find((x) => x.name === 'explained_variance_2') || {}).value };
      });
      check(Number(pca.ev) > 0.2 && pca.expects.every((x) => x.startsWith('✓')),
            `dpr 2: the PCA computed on the worker reaches the block (explained_variance_2 ${pca.ev}; ${pca.expects.join(' | ')})`);
    }
    if (scale === 1) {
      const lost = await page.evaluate(() => new Promise((resolve) => {
        const canvas = document.getElementById('canvas');
        const ext = canvas.getContext('webgl2').getExtension('WEBGL_lose_context');
        canvas.addEventListener('webglcontextlost', () => setTimeout(() => ext.restoreContext(), 200), { once: true });
        canvas.addEventListener('webglcontextrestored', () => resolve(true), { once: true });
        ext.loseContext();
        setTimeout(() => resolve(false), 5000);
      }));
      const d2 = await drawn();
      await page.keyboard.press('ArrowRight');
      await page.waitForFunction((d) => Module.labFramesDrawn > d, d2, { timeout: 5000 }).catch(() => {});
      await page.waitForTimeout(500);
      const again = await glStateAgrees();
      await page.screenshot({ path: path.join(out, 'smoke-context-restored.png') });
      const st = imageStats(path.join(out, 'smoke-context-restored.png'));
      check(lost && (await drawn()) > d2 && st.colours > 200 && again.differ.length === 0,
            `the WebGL context lost and restored: the lab draws again (${st.colours} colours) and the state answers are the context's own (${again.differ.join(', ') || 'all equal'})`);
    }
    await context.close();
  }

  // An instructor drops a lesson file on the page: it opens, errors and all, without a rebuild.
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(url);
    await waitReady(page);
    const before = await page.evaluate(() => window.embedlab.lessons);
    const lesson = '---\ntitle: Dropped preview lesson\norder: 50\n---\n## First\nHello **from a dropped file**.\n\n' +
                   '```lab random-cosine\ndim: 3000\n```\n## Second\nStep two.\n';
    await page.evaluate((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'zz-dropped.md', { type: 'text/markdown' }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, lesson);
    await page.waitForFunction(() => window.embedlab.route && window.embedlab.route.startsWith('zz-dropped/'), null, { timeout: 10000 }).catch(() => {});
    const s = await page.evaluate(() => window.embedlab);
    check(s.lessons === before + 1 && s.route.startsWith('zz-dropped/1'), `a dropped lesson file opens (route ${s.route}, ${s.lessons} lessons)`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(out, 'dropped-lesson.png') });
    const st = imageStats(path.join(out, 'dropped-lesson.png'));
    check(st.colours > 200, `the dropped lesson is drawn (${st.colours} colours)`);
    check(errors.length === 0, `no page errors while dropping${errors.length ? ': ' + errors.join(' | ') : ''}`);
    await context.close();
  }

  // ?lesson=<same-origin url> opens a lesson file served next to the page.
  {
    const context = await browser.newContext({ viewport: { width: 1024, height: 700 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    fs.mkdirSync(path.join(site, 'lessons'), { recursive: true });
    fs.writeFileSync(path.join(site, 'lessons', 'zz-by-url.md'), '---\ntitle: Opened by URL\n---\n## Only step\nText.\n');
    await page.goto(`${url}?lesson=lessons/zz-by-url.md`);
    await waitReady(page);
    await page.waitForFunction(() => window.embedlab.route === 'zz-by-url/1', null, { timeout: 10000 }).catch(() => {});
    const s = await page.evaluate(() => window.embedlab);
    check(s.route === 'zz-by-url/1', `?lesson=lessons/zz-by-url.md opens that file (route ${s.route})`);
    fs.rmSync(path.join(site, 'lessons', 'zz-by-url.md'));
    await context.close();
  }

  // Pinch and browser zoom stay allowed.
  {
    const viewport = fs.readFileSync(path.join(site, 'index.html'), 'utf8').match(/<meta name="viewport" content="([^"]*)"/);
    check(viewport && !/user-scalable\s*=\s*no|maximum-scale\s*=\s*1(\D|$)/.test(viewport[1]), `the viewport allows zoom (${viewport && viewport[1]})`);
  }

  // A browser without WebAssembly SIMD (?nosimd makes the page's feature test fail) gets the build
  // without it, from nosimd/, which runs the lesson to the same results.
  {
    const finished = async (page, route) => {
      await page.waitForFunction((r) => { const m = window.embedlab.mirror; return m && m.step && m.step.route === r &&
        m.parts.some((p) => p.type === 'block') && m.parts.every((p) => p.type !== 'block' || p.progress === 1); }, route, { timeout: 120000 }).catch(() => {});
      return page.evaluate(() => window.embedlab.mirror.parts.filter((p) => p.type === 'block').map((b) => ({
        done: b.progress === 1, status: b.status, metrics: b.metrics.map((m) => `${m.name}=${m.value}`),
        expects: b.expects.map((e) => e.state) })));
    };
    const route = '01-symbols/4';  // trains an embedding: the dense kernels run
    const runs = {};
    for (const variant of ['nosimd', 'simd']) {
      const context = await browser.newContext({ viewport: { width: 1024, height: 700 }, serviceWorkers: 'block' });
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(`${url}${variant === 'nosimd' ? '?nosimd' : ''}#${route}`);
      await waitReady(page);
      const st = await page.evaluate(() => ({ ready: window.embedlab.ready, failed: window.embedlab.failed, error: window.embedlab.error,
        simd: window.embedlab.build && window.embedlab.build.simd,
        wasm: performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.endsWith('.wasm')) }));
      const want = variant === 'simd';
      const wasmOk = st.wasm.length === 1 && (want ? !st.wasm[0].includes('/nosimd/') : st.wasm[0].endsWith('/nosimd/index.wasm'));
      check(st.ready && !st.failed && st.simd === want && wasmOk,
            `${variant}: the page loads ${st.wasm.join(', ') || 'no wasm'} (simd ${st.simd}; ${st.error || 'ready'})`);
      runs[variant] = await finished(page, route);
      check(runs[variant].length > 0 && runs[variant].every((b) => b.done && !b.status && b.metrics.length > 0),
            `${variant}: ${route} trains to the end (${JSON.stringify(runs[variant].map((b) => b.metrics))})`);
      if (variant === 'nosimd') {
        await page.screenshot({ path: path.join(out, 'nosimd.png') });
        check(imageStats(path.join(out, 'nosimd.png')).colours > 200, 'nosimd: the lab is drawn');
      }
      check(errors.length === 0, `${variant}: no console errors${errors.length ? ': ' + errors.join(' | ') : ''}`);
      await context.close();
    }
    check(JSON.stringify(runs.nosimd) === JSON.stringify(runs.simd), `nosimd: the same metrics and ✓/✗ as the SIMD build`);
  }

  // A browser that cannot run the lab at all (no WebAssembly; no WebGL 2) says what is missing and
  // shows the lessons' text: every lesson, its steps' headings and prose, readable and findable.
  {
    const index = JSON.parse(fs.readFileSync(path.join(site, 'lessons/index.json'), 'utf8'));
    const first = fs.readFileSync(path.join(site, 'lessons', index.lessons[0].file), 'utf8');
    const firstStep = /^## (.+)$/m.exec(first)[1];
    const cases = [
      { name: 'no-wasm', missing: /WebAssembly/, init: () => { delete window.WebAssembly; } },
      { name: 'no-webgl2-api', missing: /WebGL 2/, init: () => { delete window.WebGL2RenderingContext; } },
      { name: 'no-webgl2', missing: /WebGL 2/, init: () => {
        const get = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (type, ...rest) { return type === 'webgl2' ? null : get.call(this, type, ...rest); };
      } },
    ];
    for (const c of cases) {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.addInitScript(c.init);
      const requests = [];
      page.on('request', (r) => requests.push(new URL(r.url()).pathname));
      await page.goto(url);
      await page.waitForFunction(() => window.embedlab && window.embedlab.lessonText !== undefined, null, { timeout: 20000 }).catch(() => {});
      const st = await page.evaluate(() => ({ failed: window.embedlab.failed, error: window.embedlab.error, n: window.embedlab.lessonText,
        text: document.body.innerText, h2: [...document.querySelectorAll('#lesson-text article h2')].map((h) => h.textContent),
        unsafe: [...document.querySelectorAll('#lesson-text a')].filter((a) => !/^(https?:|#|mailto:)/i.test(a.getAttribute('href') || '')).length }));
      check(st.failed && c.missing.test(st.error), `${c.name}: the page says what is missing (${st.error})`);
      check(st.n === index.lessons.length && st.h2.length === index.lessons.length && st.h2[0] === index.lessons[0].title,
            `${c.name}: the text of all ${index.lessons.length} lessons follows (${st.n} shown; first '${st.h2[0]}')`);
      check(st.text.includes(`Step 1 of `) && st.text.includes(firstStep) && st.unsafe === 0,
            `${c.name}: the first lesson's step headings and prose are on the page as text, links safe`);
      // Without WebAssembly, or without the WebGL 2 API, nothing of the build is fetched (a browser that
      // has the API but cannot create a context finds out once the downloads are under way: index.html.in).
      if (c.name !== 'no-webgl2')
        check(!requests.some((p) => /index\.(js|wasm|data)$/.test(p)), `${c.name}: the lab's build is not downloaded (${requests.filter((p) => /index\./.test(p)).join(', ')})`);
      await page.screenshot({ path: path.join(out, `${c.name}.png`) });
      await context.close();
    }
  }

  // Deep link straight to a step of a lesson other than the first: that lesson is the one fetched first.
  const context = await browser.newContext({ viewport: { width: 1024, height: 700 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const index = JSON.parse(fs.readFileSync(path.join(site, 'lessons/index.json'), 'utf8'));
  const third = index.lessons[2].file.replace(/\.md$/, '');
  await page.goto(`${url}#${third}/2`);
  await waitReady(page);
  const s = await page.evaluate(() => Object.assign({}, window.embedlab, { md: performance.getEntriesByType('resource')
    .filter((e) => /\/lessons\/[^/]+\.md$/.test(e.name)).sort((a, b) => a.startTime - b.startTime).map((e) => e.name.split('/').pop()) }));
  check(s.route === `${third}/2` && s.md[0] === `${third}.md` && s.lessons === index.lessons.length,
        `deep link #${third}/2 opens that step (route ${s.route}), its lesson fetched first (${s.md[0]}), then the others (${s.lessons} listed)`);
  await context.close();
} catch (e) {
  check(false, `unexpected: ${e.message}`);
} finally {
  await browser.close();
  srv.kill();
}
console.log(checks.failures ? `browser smoke: ${checks.failures} check(s) failed` : 'browser smoke: all checks passed');
process.exit(checks.failures ? 1 : 0);
