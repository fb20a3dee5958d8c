// Accessibility of the page (issue #17, items 1–2): the DOM mirror beside the canvas, checked in
// headless Chromium on every step of every lesson.
//   - axe-core (@axe-core/playwright) finds no serious or critical violation, with the mirror panel
//     open (focus inside it) so contrast is measured on what a reader sees: every rule in the light
//     theme, the colour rules again in the dark one;
//   - the accessibility tree (Playwright's ariaSnapshot) holds the step's heading, ≥ 90% of its prose
//     words and one named control per knob — both taken from the lesson's own .md file (served
//     beside the page), not from the mirror, so the test is independent of what it checks;
//   - a knob moved through the mirror's slider (keyboard) changes the lab: the route, the knob value
//     the app publishes and the block's numbers; the arrow key does not also change the step;
//   - find-in-page (window.find) finds lesson text; Tab reaches the controls in document order with a
//     visible focus ring; <html lang> follows the lesson; the theme follows prefers-color-scheme and
//     the mirror's toggle;
//   - screenshots at 390×844 (touch), 1280×800 and 2560×1440 at dpr 2, light and dark.
//   node tests/browser/a11y.mjs --site build/web-release/site --out build/screenshots/a11y
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { checker, launch, outDir, site, startServer, waitReady, collectErrors } from './common.mjs';

const out = outDir('build/screenshots/a11y');
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const checks = checker();
const check = checks.check;

// --- The lesson's own text, from its .md file: the reference the page is checked against -----------
const tokens = (text) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []);

// The steps of a lesson file as the lab splits them: text before the first '## ' is the intro (when
// it has any), each '## ' heading starts a step. For each: title, prose words (lab fences removed,
// link targets and Markdown markup dropped) and the knob names of its lab blocks.
function lessonSteps(md) {
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  if (lines[0].trim() === '---') { i = 1; while (i < lines.length && lines[i].trim() !== '---') ++i; ++i; }
  const steps = [];
  let cur = { title: 'Introduction', prose: [], knobs: [], heading: false, fences: 0 };
  const end = () => { if (cur.heading || cur.fences || cur.prose.join('').trim()) steps.push(cur); };
  let fence = null, lab = false;
  for (; i < lines.length; ++i) {
    const line = lines[i];
    const open = /^\s*(```+|~~~+)\s*(\S*)/.exec(line);
    if (fence) {
      if (line.trim().startsWith(fence)) { fence = null; continue; }
      if (lab) { const k = /^\s*knob\s+([A-Za-z0-9_]+)/.exec(line); if (k) cur.knobs.push(k[1]); }
      else cur.prose.push(line);
      continue;
    }
    if (open) { fence = open[1]; lab = open[2] === 'lab'; cur.fences++; continue; }
    if (/^## /.test(line)) { end(); cur = { title: line.slice(3).trim(), prose: [], knobs: [], heading: true, fences: 0 }; continue; }
    cur.prose.push(line);
  }
  end();
  return steps.map((s) => {
    const text = s.prose.join('\n')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')      // images: their alt text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')       // links: their text
      .replace(/^\s*\|?\s*:?-{3,}.*$/gm, '');         // table delimiter rows
    return { title: s.title, words: tokens(text), knobs: [...new Set(s.knobs)] };
  });
}

const imageMean = (file) => Number(execFileSync('identify', ['-format', '%[fx:mean]', file]).toString());

const { srv, url } = await startServer();
console.log(`serving ${site} at ${url}`);
const browser = await launch();
const axeTotals = {};
const proseRatios = [];
try {
  // --- Every step, light and dark: axe, the accessibility tree --------------------------------
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: scheme, serviceWorkers: 'block' });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(url);
    await waitReady(page);
    await page.waitForFunction(() => window.embedlab.mirror, null, { timeout: 20000 });
    await page.waitForFunction((d) => window.embedlab.mirror.dark === d, scheme === 'dark', { timeout: 5000 }).catch(() => {});
    // Every lesson listed: the page fetches the others once the first is drawn (web/lessons_fetch.js).
    const listed = JSON.parse(fs.readFileSync(path.join(site, 'lessons/index.json'), 'utf8')).lessons.length;
    await page.waitForFunction((n) => (window.embedlab.mirror.lessons || []).length >= n, listed, { timeout: 20000 }).catch(() => {});
    const m0 = await page.evaluate(() => window.embedlab.mirror);
    check(m0.dark === (scheme === 'dark'), `${scheme}: the lab's theme follows prefers-color-scheme (dark = ${m0.dark})`);
    check(await page.evaluate(() => document.documentElement.dataset.theme) === scheme, `${scheme}: the page's theme too`);
    let steps = 0, stepFailures = 0, axeFailures = 0;
    for (const lesson of m0.lessons) {
      const id = decodeURIComponent(lesson.route.split('/')[0]);
      const md = await (await page.request.get(`${url}lessons/${id}.md`)).text();
      const ref = lessonSteps(md);
      for (let k = 0; k < ref.length; ++k) {
        const route = `${lesson.route.split('/')[0]}/${k + 1}`;
        await page.evaluate((r) => { location.hash = r; }, route);
        await page.waitForFunction((r) => window.embedlab.mirror && window.embedlab.mirror.step &&
                                           window.embedlab.mirror.step.route === r, route, { timeout: 10000 });
        await page.waitForTimeout(400);
        ++steps;
        // Open the panel as a keyboard user would (focus inside it), then check what a reader gets.
        // The lab's frames are paused meanwhile (Emscripten's main loop; the DOM stays as the last frame
        // left it): axe and the snapshot share the page's one thread with training, and took a third
        // longer beside it.
        await page.evaluate(() => Module.pauseMainLoop());
        await page.focus('#mirror-theme');
        const snap = await page.locator('body').ariaSnapshot();
        const m = await page.evaluate(() => window.embedlab.mirror);
        const lang = await page.evaluate(() => document.documentElement.lang);
        const have = new Set(tokens(snap));
        const words = ref[k].words;
        const found = words.filter((w) => have.has(w)).length;
        const ratio = words.length ? found / words.length : 1;
        if (scheme === 'light') proseRatios.push({ route, ratio, words: words.length });
        const heading = snap.includes(`heading "Step ${k + 1} of ${ref.length}: `) && tokens(ref[k].title).every((w) => have.has(w));
        const missingKnobs = ref[k].knobs.filter((name) => !new RegExp(`- (slider|checkbox|combobox|textbox) "${name}"`).test(snap));
        const ok = heading && ratio >= 0.9 && missingKnobs.length === 0 && lang === m.lang;
        if (!ok) {
          stepFailures++;
          check(false, `${scheme} ${route}: heading ${heading}, prose words ${found}/${words.length}, ` +
                       `knobs without a named control: [${missingKnobs}], lang ${lang}`);
          if (ratio < 0.9) console.log('      missing words:', words.filter((w) => !have.has(w)).slice(0, 30).join(' '));
        }
        // Both themes render the same DOM: the dark pass runs the rules colours decide.
        const builder = new AxeBuilder({ page });
        if (scheme === 'dark') builder.withRules(['color-contrast', 'link-in-text-block']);
        const axe = await builder.analyze();
        const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        for (const v of axe.violations) axeTotals[`${scheme} ${v.impact} ${v.id}`] = (axeTotals[`${scheme} ${v.impact} ${v.id}`] || 0) + v.nodes.length;
        if (bad.length) {
          axeFailures++;
          check(false, `${scheme} ${route}: axe: ${bad.map((v) => `${v.impact} ${v.id} (${v.nodes.length}: ${v.nodes[0].target.join(' ')})`).join('; ')}`);
        }
        await page.evaluate(() => { document.activeElement && document.activeElement.blur(); Module.resumeMainLoop(); });
      }
    }
    // Control: the prose check tells steps apart (another lesson's first step is not ≥ 90% present here).
    if (scheme === 'light') {
      const snap = await page.locator('body').ariaSnapshot();
      const have = new Set(tokens(snap));
      const other = lessonSteps(await (await page.request.get(`${url}lessons/${decodeURIComponent(m0.lessons[0].route.split('/')[0])}.md`)).text())[0].words;
      const r = other.filter((w) => have.has(w)).length / Math.max(1, other.length);
      check(r < 0.9, `control: on the last step, the first lesson's first step is not found (${(100 * r).toFixed(0)}% of its words)`);
    }
    check(steps > 20 && stepFailures === 0, `${scheme}: ${steps} steps; each one's accessibility tree has its heading, ≥ 90% of its prose words and a named control per knob`);
    check(axeFailures === 0, `${scheme}: axe-core (${scheme === 'dark' ? 'colour rules' : 'all rules'}) finds no serious or critical violation on any of the ${steps} steps`);
    check(errors.length === 0, `${scheme}: no console errors (${errors.slice(0, 3).join(' | ')})`);
    await context.close();
  }
  const worst = proseRatios.reduce((a, b) => (b.ratio < a.ratio ? b : a), { ratio: 2 });
  const total = proseRatios.reduce((a, b) => a + b.words, 0);
  const weighted = proseRatios.reduce((a, b) => a + b.ratio * b.words, 0) / Math.max(1, total);
  console.log(`      prose words in the accessibility tree: ${(100 * weighted).toFixed(1)}% overall, ` +
              `lowest ${(100 * worst.ratio).toFixed(1)}% (${worst.route}, ${worst.words} words)`);
  console.log('      axe violations by impact (nodes, summed over steps):', JSON.stringify(axeTotals));

  // --- Keyboard: order, visible focus, a knob moved through the mirror ---------------------------
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(`${url}#01-symbols/4`);
    await waitReady(page);
    await page.waitForFunction(() => window.embedlab.mirror && window.embedlab.mirror.step.route === '01-symbols/4', null, { timeout: 20000 });
    await page.waitForTimeout(1500);
    // Tab from the top of the page: the mirror comes first and shows itself with a focus ring.
    await page.evaluate(() => { document.activeElement && document.activeElement.blur(); });
    const order = [];
    for (let t = 0; t < 60; ++t) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement;
        const r = document.getElementById('mirror').getBoundingClientRect();
        const cs = getComputedStyle(e);
        return { tag: e.tagName, id: e.id, name: (e.labels && e.labels[0] ? e.labels[0].textContent : e.textContent || e.getAttribute('aria-label') || '').trim().slice(0, 40),
                 inMirror: !!e.closest('#mirror'), panel: r.width, outline: cs.outlineStyle + ' ' + cs.outlineWidth };
      });
      if (f.tag !== 'BODY') order.push(f);  // the first Tab may give the document itself focus
      if (f.id === 'canvas') break;
    }
    const first = order[0] || {};
    check(first.inMirror && first.panel > 300, `keyboard: the first Tab lands in the text version, which opens as a panel (${first.name}, ${first.panel}px wide)`);
    check(order.filter((f) => f.inMirror).every((f) => !/none|0px/.test(f.outline)), 'keyboard: every focused element in the text version has a visible outline');
    const dimAt = order.findIndex((f) => f.id === 'knob-0-dim'), nextAt = order.findIndex((f) => /Next step/.test(f.name));
    check(nextAt >= 0 && dimAt > nextAt, `keyboard: Tab reaches the step navigation (${nextAt}), then the block's knobs (dim at ${dimAt})`);
    check(order.some((f) => f.id === 'canvas'), `keyboard: the canvas comes after the text version (${order.length} stops)`);
    check(await page.evaluate(() => [...document.querySelectorAll('[tabindex]')].every((e) => Number(e.getAttribute('tabindex')) <= 0)),
          'keyboard: no positive tabindex (Tab follows the document order)');
    await page.screenshot({ path: path.join(out, 'keyboard-panel-1280x800.png') });

    // Move the dim knob with the keyboard on the mirror's slider.
    const before = await page.evaluate(() => ({ route: window.embedlab.route, dim: window.embedlab.knobs.dim,
      metrics: JSON.stringify(window.embedlab.mirror.parts.find((p) => p.type === 'block').metrics) }));
    await page.focus('#knob-0-dim');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((r) => window.embedlab.route !== r, before.route, { timeout: 5000 }).catch(() => {});
    await page.waitForTimeout(2500);
    const after = await page.evaluate(() => ({ route: window.embedlab.route, dim: window.embedlab.knobs.dim, hash: location.hash,
      metrics: JSON.stringify(window.embedlab.mirror.parts.find((p) => p.type === 'block').metrics),
      value: window.embedlab.mirror.parts.find((p) => p.type === 'block').knobs.find((k) => k.name === 'dim').value }));
    check(after.route === `01-symbols/4?dim=${Number(before.dim) + 1}` && after.hash === `#${after.route}`,
          `mirror knob: ArrowRight on the dim slider moves the knob (${before.route} -> ${after.route}, URL ${after.hash})`);
    check(after.dim === String(Number(before.dim) + 1) && after.value === after.dim, `mirror knob: the lab publishes dim = ${after.dim}, and the mirror shows it`);
    check(after.metrics !== before.metrics, 'mirror knob: the block re-ran (its numbers changed)');
    check(after.route.startsWith('01-symbols/4'), 'mirror knob: the arrow key on the slider did not change the step');

    // Reset, Pause and Resume from the text version, by keyboard (WCAG 2.2.2: what moves can be paused).
    const block = () => page.evaluate(() => { const b = window.embedlab.mirror.parts.find((p) => p.type === 'block');
      return { progress: b.progress, controls: b.controls, pauseText: document.querySelector('#mirror .run-pause').textContent }; });
    const press = async (selector) => { await page.focus(selector); await page.keyboard.press('Enter'); };
    await press('#mirror .run-reset');
    await page.waitForFunction(() => { const b = window.embedlab.mirror.parts.find((p) => p.type === 'block');
      return b.progress < 0.5 && b.controls.pause && !b.controls.paused; }, null, { timeout: 5000 }).catch(() => {});
    await press('#mirror .run-pause');
    await page.waitForFunction(() => window.embedlab.mirror.parts.find((p) => p.type === 'block').controls.paused, null, { timeout: 5000 }).catch(() => {});
    const paused = await block();
    await page.waitForTimeout(1500);
    const stillPaused = await block();
    check(paused.controls.paused && paused.pauseText === 'Resume' && stillPaused.progress === paused.progress && paused.progress < 1,
          `run controls: Reset then Pause in the text version stop the block (progress ${paused.progress} -> ${stillPaused.progress} in 1.5 s; the button now says ${paused.pauseText})`);
    await press('#mirror .run-pause');
    await page.waitForTimeout(1500);
    const resumed = await block();
    check(!resumed.controls.paused && resumed.progress > paused.progress,
          `run controls: Resume goes on (progress ${paused.progress} -> ${resumed.progress})`);

    // Find-in-page finds the lesson's text (a phrase from this step's prose).
    const md = await (await page.request.get(`${url}lessons/01-symbols.md`)).text();
    const phrase = lessonSteps(md)[3].words.slice(0, 3).join(' ');
    const found = await page.evaluate((p) => window.find(p, false, false, true), phrase);
    check(found, `find-in-page finds “${phrase}”`);
    await context.close();
  }

  // --- Theme toggle in the mirror; lang follows the lesson ---------------------------------------
  {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto(url);
    await waitReady(page);
    await page.waitForFunction(() => window.embedlab.mirror, null, { timeout: 20000 });
    await page.selectOption('#mirror-theme', 'dark');
    await page.waitForFunction(() => window.embedlab.mirror.dark === true, null, { timeout: 5000 }).catch(() => {});
    const s = await page.evaluate(() => ({ dark: window.embedlab.mirror.dark, theme: window.embedlab.mirror.theme,
      data: document.documentElement.dataset.theme, saved: localStorage.getItem('embedlab-theme') }));
    check(s.dark && s.theme === 'dark' && s.data === 'dark' && s.saved === 'dark', `theme toggle: dark in the lab, the page and storage (${JSON.stringify(s)})`);
    await page.reload();
    await waitReady(page);
    await page.waitForFunction(() => window.embedlab.mirror && window.embedlab.mirror.dark === true, null, { timeout: 20000 }).catch(() => {});
    check(await page.evaluate(() => window.embedlab.mirror.dark), 'theme toggle: remembered after a reload');
    check(await page.evaluate(() => document.documentElement.lang === window.embedlab.mirror.lang && !!document.documentElement.lang),
          'lang: <html lang> is the lesson\'s language');
    await context.close();
  }

  // --- Screenshots: phone (touch), laptop and a 1440p screen at dpr 2, light and dark -------------
  const shots = [
    { name: '390x844-touch', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
    { name: '1280x800', viewport: { width: 1280, height: 800 } },
    { name: '2560x1440', viewport: { width: 2560, height: 1440 } },
  ];
  for (const scheme of ['light', 'dark']) {
    for (const s of shots) {
      const context = await browser.newContext({ viewport: s.viewport, deviceScaleFactor: 2, isMobile: !!s.isMobile,
                                                 hasTouch: !!s.hasTouch, colorScheme: scheme, serviceWorkers: 'block' });
      const page = await context.newPage();
      for (const route of ['03-seeing-embeddings/1', '01-symbols/4']) {
        await page.goto(`${url}#${route}`);
        await waitReady(page);
        check(await page.evaluate(() => !!window.embedlab.ready && !window.embedlab.failed), `screenshot ${scheme} ${s.name} ${route}: the lab is running`);
        await page.waitForTimeout(6000);
        const file = path.join(out, `${scheme}-${s.name}-${route.replace(/\W+/g, '_')}.png`);
        await page.screenshot({ path: file, timeout: 180000 });  // 5120×2880 in SwiftShader on a busy machine takes a while
        const mean = imageMean(file);
        check(scheme === 'dark' ? mean < 0.35 : mean > 0.6, `screenshot ${path.basename(file)}: mean brightness ${mean.toFixed(2)} fits the ${scheme} theme`);
      }
      // The text version open (focus inside), as a keyboard or screen-reader user meets it.
      await page.focus('#mirror-theme');
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(out, `${scheme}-${s.name}-mirror.png`), timeout: 180000 });
      await context.close();
    }
  }
  console.log(`screenshots in ${out}`);
} catch (e) {
  check(false, `a11y: ${e.stack || e.message}`);
} finally {
  await browser.close();
  srv.kill();
}
console.log(checks.failures ? `a11y: ${checks.failures} failure(s)` : 'a11y: all checks passed');
process.exit(checks.failures ? 1 : 0);
