// The lesson editor round trip (issue #16 §2), in headless Chromium: open the editor from the page,
// start from the template, type a lab block and see it run, break it and see the error at its line
// (band, problem list, "go to line"), fix it, download the .md and run `embedlab lesson check` on
// the download from another folder, reload (the draft is kept), share it as a link and open the link
// in a fresh page; a link too large, a text too large and a damaged link each give one message and
// the lab goes on. Screenshots: desktop 1280×800, 390×844 touch (text, then preview), dark.
//   node tests/browser/editor.mjs --site build/web-release/site --out build/screenshots/editor
//        [--embedlab build/native-release/src/embedlab]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { checker, collectErrors, launch, opt, outDir, root, startServer, waitReady } from './common.mjs';

const out = outDir('build/screenshots/editor');
const embedlab = path.resolve(opt('--embedlab', path.join(root, 'build/native-release/src/embedlab')));
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const c = checker();
const ok = (v, what) => c.check(v, `[${((Date.now() - t0) / 1000).toFixed(1)} s] ${what}`);

const t0 = Date.now();
const colours = (file) => Number(execFileSync('identify', ['-format', '%k', file]).toString());
// Waits until the app has answered the editor `n` times in all (window.embedlab.editor.answers).
const answered = (page, n) => page.waitForFunction((k) => (window.embedlab.editor || {}).answers >= k, n, { timeout: 15000 });
const answers = async (page) => page.evaluate(() => (window.embedlab.editor || {}).answers || 0);
const editorState = (page) => page.evaluate(() => window.embedlab.editor);
// The mirror's description of a block on screen by title (the page's accessible mirror follows the edit).
const mirrorBlock = (page, title) => page.evaluate((t) => {
  const m = window.embedlab.mirror;
  return m && (m.parts || []).find((p) => p.type === 'block' && p.title === t) || null;
}, title);
// Selects the first occurrence of `needle` after `after` in the textarea and types `text` over it,
// key by key (what a student does), then waits for the app's answer.
async function typeOver(page, after, needle, text) {
  const before = await answers(page);
  await page.evaluate(([a, n]) => {
    const ta = document.getElementById('editor-text');
    const at = ta.value.indexOf(n, ta.value.indexOf(a));
    ta.focus();
    ta.setSelectionRange(at, at + n.length);
  }, [after, needle]);
  await page.keyboard.type(text, { delay: 5 });
  await answered(page, before + 1);
  await page.waitForTimeout(350);  // the debounce after the last key, then the answer to the whole text
}

const TYPED = '\n## A block typed in the editor\n\n```lab random-cosine\ntitle: Typed block\ndim: 8\nknob dim: 1 .. 1024 log\nexpect std_cos < 0.5\n```\n';

const { srv, url } = await startServer();
const browser = await launch();
let text = '', link = '';
try {
  // ---- desktop: the round trip --------------------------------------------------------------------
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block', acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url);
  await waitReady(page);
  await page.waitForFunction(() => window.embedlab.mirror && window.embedlab.mirror.lesson);

  // "Edit this lesson" from the page (the mirror's button; the canvas's Lessons menu calls the same).
  const lessonId = await page.evaluate(() => window.embedlab.mirror.lesson.id);
  await page.focus('#mirror-edit');
  await page.keyboard.press('Enter');
  await answered(page, 1);
  let ed = await editorState(page);
  const shipped = await page.inputValue('#editor-text');
  ok(await page.isVisible('#editor-text'), 'the editor opens beside the lesson');
  ok(ed.id === lessonId && shipped.startsWith('---\ntitle:') && ed.errors === 0,
     `"Edit this lesson" opens ${lessonId}'s own text, which parses without errors (${ed.errors} errors, ${shipped.length} chars)`);

  // A new lesson from the template, then a block typed at its end.
  await page.click('#editor-new');
  await page.waitForFunction(() => window.embedlab.editor && window.embedlab.editor.id === 'my-lesson');
  ed = await editorState(page);
  ok(ed.errors === 0 && ed.blocks === 2, `the template parses: ${ed.steps} steps, ${ed.blocks} blocks, ${ed.errors} errors`);
  await page.focus('#editor-text');
  await page.keyboard.press('Control+End');
  let n = await answers(page);
  // Pasted up to the closing fence, which is typed key by key: the block exists only once it is closed.
  await page.keyboard.insertText(TYPED.slice(0, -4));
  await page.keyboard.type('```\n', { delay: 5 });
  await answered(page, n + 1);
  await page.waitForFunction(() => window.embedlab.editor.blocks === 3 && window.embedlab.editor.errors === 0, null, { timeout: 10000 }).catch(() => {});
  ed = await editorState(page);
  ok(ed.errors === 0 && ed.blocks === 3 && ed.steps === 3, `the typed block parses (${ed.steps} steps, ${ed.blocks} blocks, ${ed.errors} errors ` +
     `${ed.diagnostics.map((d) => d.text).join(' | ')}; ` +
     `parse ${ed.parseMs} ms, text sent to problems shown ${ed.roundTripMs} ms after the 300 ms pause)`);
  const latency = ed;
  await page.evaluate(() => { location.hash = '#my-lesson/3'; });
  await page.waitForFunction(() => { const m = window.embedlab.mirror; return m && m.step && m.step.index === 2; }, null, { timeout: 10000 });
  await page.waitForFunction(() => (window.embedlab.mirror.parts || []).some((p) => p.type === 'block' && p.title === 'Typed block' && p.progress > 0),
                             null, { timeout: 20000 }).catch(() => {});
  let block = await mirrorBlock(page, 'Typed block');
  ok(block && block.ok && block.progress > 0, `the typed block runs in the preview (progress ${block && block.progress})`);
  await page.screenshot({ path: path.join(out, 'desktop-1-typed-block-runs.png') });

  // Break it: "dim: 8" -> "dim: eight". The error is marked at that line.
  await typeOver(page, 'title: Typed block', '8', 'eight');
  text = await page.inputValue('#editor-text');
  const badLine = text.slice(0, text.indexOf('dim: eight')).split('\n').length;
  await page.waitForFunction(() => window.embedlab.editor.errors > 0, null, { timeout: 10000 }).catch(() => {});
  ed = await editorState(page);
  const at = ed.diagnostics.find((d) => d.severity === 'error' && d.line === badLine);
  ok(!!at, `the broken value is an error at its line ${badLine} (${ed.diagnostics.map((d) => d.text).join(' | ')})`);
  ok(await page.locator(`#editor-marks .mark.error[data-line="${badLine}"]`).count() === 1, `line ${badLine} is highlighted in the text`);
  const problem = page.locator('#editor-problems li.error button', { hasText: `Line ${badLine}` });
  ok(await problem.count() >= 1, `the problem list names line ${badLine}`);
  ok(/✗ \d+ error/.test(await page.textContent('#editor-status')), `the status says there are errors (${await page.textContent('#editor-status')})`);
  await page.evaluate(() => { const ta = document.getElementById('editor-text'); ta.setSelectionRange(0, 0); ta.scrollTop = 0; });
  await problem.first().click();
  const selLine = await page.evaluate(() => { const ta = document.getElementById('editor-text'); return ta.value.slice(0, ta.selectionStart).split('\n').length; });
  ok(selLine === badLine, `clicking the problem selects line ${badLine} in the text (line ${selLine})`);
  block = await mirrorBlock(page, 'Typed block');
  ok(block && !block.ok && block.errors.some((e) => /eight|dim/.test(e)), `the preview and its accessible mirror show the block's error (${block && block.errors.join(' | ')})`);
  await page.screenshot({ path: path.join(out, 'desktop-2-error-at-its-line.png') });

  // Fix it, and the block runs again.
  await typeOver(page, 'title: Typed block', 'eight', '16');
  await page.waitForFunction(() => window.embedlab.editor.errors === 0, null, { timeout: 10000 }).catch(() => {});
  await page.waitForFunction(() => (window.embedlab.mirror.parts || []).some((p) => p.type === 'block' && p.title === 'Typed block' && p.ok && p.progress > 0),
                             null, { timeout: 20000 }).catch(() => {});
  block = await mirrorBlock(page, 'Typed block');
  ed = await editorState(page);
  ok(ed.errors === 0 && block && block.ok && block.progress > 0, `fixed: no errors, the block runs again (progress ${block && block.progress})`);
  ok(block && block.knobs.some((k) => k.name === 'dim' && k.value === '16'), 'the preview has the new value (dim = 16)');
  text = await page.inputValue('#editor-text');

  // Download the .md; `embedlab lesson check` passes on it, run from another folder.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#editor-download')]);
  const file = path.join(out, dl.suggestedFilename());
  await dl.saveAs(file);
  ok(dl.suggestedFilename() === 'my-lesson.md' && fs.readFileSync(file, 'utf8') === text, `the download is the text, as ${dl.suggestedFilename()}`);
  if (fs.existsSync(embedlab)) {
    const r = spawnSync(embedlab, ['lesson', 'check', file], { cwd: out, encoding: 'utf8', timeout: 120000 });
    ok(r.status === 0, `embedlab lesson check passes on the download (exit ${r.status}): ${(r.stdout + r.stderr).trim().split('\n').slice(-2).join(' / ')}`);
  } else {
    ok(false, `embedlab lesson check: no native binary at ${embedlab} (build native-release first, or pass --embedlab)`);
  }

  // Reload: the draft is still there, open, at its step.
  await page.reload();
  await waitReady(page);
  await page.waitForFunction(() => window.embedlab.editor && window.embedlab.editor.id === 'my-lesson', null, { timeout: 15000 }).catch(() => {});
  const route = await page.evaluate(() => window.embedlab.route);
  ok(await page.inputValue('#editor-text') === text && await page.isVisible('#editor-text'), 'after a reload the editor is open on the same text');
  ok(/^my-lesson\/3/.test(route), `after a reload the preview shows the draft at its step (${route})`);

  // Share as a link (a fresh page opens it below, on a phone).
  await page.click('#editor-share');
  await page.waitForFunction(() => window.embedlab.editorLinkLength > 0);
  link = await page.evaluate(() => window.embedlab.editorLink);
  ok(/#lesson:my-lesson\.md:[A-Za-z0-9_-]+$/.test(link), `the share link carries the lesson (${link.length} characters for ${Buffer.byteLength(text)} bytes)`);
  // Too large for a link; too large to preview; a damaged link. One message each, and the lab goes on.
  let seed = 12345;  // xorshift32: 60,000 letters deflate cannot shrink below ~45 KB
  const noise = Array.from({ length: 60000 }, () => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[(seed >>> 0) % 62];
  }).join('');
  n = await answers(page);
  await page.fill('#editor-text', text + '\n' + noise + '\n');
  await answered(page, n + 1);
  await page.click('#editor-share');
  await page.waitForFunction(() => /too large for a link/.test(document.getElementById('editor-note').textContent), null, { timeout: 10000 }).catch(() => {});
  const big = await page.evaluate(() => [document.getElementById('editor-note').textContent, window.embedlab.editorLinkLength]);
  ok(/too large for a link.*32,000/.test(big[0]), `a lesson too large for a link says so (${big[1]} characters): "${big[0]}"`);
  n = await answers(page);
  await page.evaluate(() => {  // 1.1 MiB in one go (page.fill takes seconds for this)
    const ta = document.getElementById('editor-text');
    ta.value = 'x'.repeat(1100 * 1024);
    ta.dispatchEvent(new Event('input'));
  });
  await page.waitForFunction(() => /up to 1 MiB/.test(document.getElementById('editor-note').textContent), null, { timeout: 10000 }).catch(() => {});
  ok(/up to 1 MiB/.test(await page.textContent('#editor-note')) && await answers(page) === n, 'a text over 1 MiB is not sent, and the editor says why');
  await page.fill('#editor-text', text);
  await answered(page, n + 1);
  ok((await editorState(page)).errors === 0, 'the editor and the lab go on after both');
  const notices = [];
  page.on('console', (m) => { if (/lesson link could not be opened/.test(m.text())) notices.push(m.text()); });
  await page.evaluate(() => { location.hash = '#lesson:x.md:AAAA-this-is-not-deflate'; });  // pasted into the address bar
  await page.waitForFunction(() => !/^#lesson:/.test(location.hash), null, { timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(500);
  const dstate = await page.evaluate(() => window.embedlab);
  ok(notices.length === 1 && !dstate.failed && dstate.editor.id === 'my-lesson' && await page.inputValue('#editor-text') === text,
     `a damaged link is one message; the lab and the draft stay (${notices[0]})`);

  // Dark: the system's scheme changes under the open editor.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark', null, { timeout: 5000 }).catch(() => {});
  await typeOver(page, 'title: Typed block', '16', 'sixteen');
  await page.locator('#editor-problems li.error button').first().click();
  await page.waitForTimeout(300);
  const dark = path.join(out, 'desktop-3-dark-error.png');
  await page.screenshot({ path: dark });
  ok(colours(dark) > 100 && await page.evaluate(() => document.documentElement.dataset.theme) === 'dark', `dark theme: page and editor follow (${dark})`);
  ok(errors.length === 0, `no console errors or page errors ${errors.join(' | ')}`);
  await context.close();

  ok(latency.parseMs < 50, `parsing the lesson in wasm takes ${latency.parseMs} ms (< 50)`);

  // ---- the link on a phone: 390×844, touch; the text, then the preview -----------------------------
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, serviceWorkers: 'block' });
  const p = await phone.newPage();
  const phoneErrors = collectErrors(p);
  await p.goto(link);
  await waitReady(p);
  await p.waitForFunction(() => window.embedlab.editor && window.embedlab.editor.id === 'my-lesson', null, { timeout: 15000 }).catch(() => {});
  ok(await p.inputValue('#editor-text').catch(() => '') === text, 'the link opens the same text in the editor of a fresh page (a phone)');
  ok(/^my-lesson\//.test(await p.evaluate(() => window.embedlab.route)), 'the link\'s lesson is on screen, and the fragment became its route');
  const f1 = path.join(out, 'phone-390x844-1-text.png');
  await p.screenshot({ path: f1 });
  ok(colours(f1) > 30 && await p.isVisible('#editor-toggle'), `phone: the text, with a Text / Preview toggle (${f1})`);
  await p.tap('#editor-toggle');
  await p.waitForTimeout(600);
  const f2 = path.join(out, 'phone-390x844-2-preview.png');
  await p.screenshot({ path: f2 });
  ok(!(await p.isVisible('#editor-text')) && colours(f2) > 100, `phone: the preview replaces the text (${f2})`);
  ok(phoneErrors.length === 0, `phone: no console errors ${phoneErrors.join(' | ')}`);
  await phone.close();
  console.log(`editor: reparse ${latency.parseMs} ms in wasm; text handed over to problems shown ${latency.roundTripMs} ms ` +
              `(after the 300 ms pause); share link ${link.length} characters for ${Buffer.byteLength(text)} bytes of lesson`);
} catch (e) {
  ok(false, `${e.message}`);
} finally {
  await browser.close();
  srv.kill();
}
console.log(c.failures ? `editor: ${c.failures} failure(s)` : `editor: round trip fine (${((Date.now() - t0) / 1000).toFixed(1)} s), screenshots in ${out}`);
process.exit(c.failures ? 1 : 0);
