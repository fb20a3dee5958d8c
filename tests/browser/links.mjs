// Shared links come back exactly: open a #lesson/step?knob=value link whose text knob holds every
// character a URL reserves (and non-ASCII), then read the value back from the page (window.embedlab.knobs,
// what the lab block holds) and from the address bar after load. Also: a full-precision number, a
// link changed while the page is open (hashchange), and the page's link opened again in a new page.
//   node tests/browser/links.mjs --site build/web-release/site --out build/screenshots
import fs from 'node:fs';
import path from 'node:path';
import { checker, launch, outDir, startServer, waitReady, collectErrors } from './common.mjs';

const out = outDir('build/screenshots');
fs.mkdirSync(out, { recursive: true });
const checks = checker();
const check = checks.check;

// The vocabulary of the one-hot block (lesson 1, step 2, its first block): comma-separated symbols,
// each holding characters a URL gives a meaning to, a literal percent-escape, and non-ASCII text.
const vocabulary = "cat & dog, a=b, x#y, naïve, 50%+1, %41?, /:;@$, !*'(), [~], Ω≈λ 中文";
const link = (route, knobs) => '#' + route + '?' + Object.entries(knobs).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');

const { srv, url } = await startServer();
const browser = await launch();

// Opens a page at `hash`, waits for the lab and for the knob `key` to be published.
async function open(hash, key) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url + hash);
  await waitReady(page);
  await page.waitForFunction((k) => window.embedlab.knobs && k in window.embedlab.knobs, key, { timeout: 10000 }).catch(() => {});
  await page.waitForTimeout(300);
  const state = await page.evaluate(() => ({ embedlab: window.embedlab, hash: location.hash }));
  return { context, page, errors, state };
}

try {
  // 1. The link with every reserved character opens with the whole value, and the address bar keeps it.
  const first = link('01-symbols/2', { vocabulary });
  const a = await open(first, 'vocabulary');
  check(a.state.embedlab.knobs && a.state.embedlab.knobs.vocabulary === vocabulary,
        `the page's vocabulary knob is the link's value (${JSON.stringify(a.state.embedlab.knobs && a.state.embedlab.knobs.vocabulary)})`);
  check(a.state.hash === first, `the address bar keeps the link as it was (${a.state.hash})`);
  check('#' + a.state.embedlab.route === first, `the published route is the link (${a.state.embedlab.route})`);
  await a.page.screenshot({ path: path.join(out, 'links-reserved-characters.png') });

  // 2. A link changed while the page is open (a student pastes another one): hashchange path.
  const other = "50% + 50% = 100%?, a&b=c#d, ü";
  const second = link('01-symbols/2', { vocabulary: other });
  await a.page.evaluate((h) => { location.hash = h; }, second);
  await a.page.waitForFunction((v) => window.embedlab.knobs && window.embedlab.knobs.vocabulary === v, other, { timeout: 10000 }).catch(() => {});
  const s2 = await a.page.evaluate(() => ({ embedlab: window.embedlab, hash: location.hash }));
  check(s2.embedlab.knobs.vocabulary === other, `after a hash change the knob holds the new value (${JSON.stringify(s2.embedlab.knobs.vocabulary)})`);
  check(s2.hash === second, `and the address bar that link (${s2.hash})`);
  check(a.errors.length === 0, `no console errors${a.errors.length ? ': ' + a.errors.join(' | ') : ''}`);
  await a.context.close();

  // 3. The page's own link, opened in a new page, gives the same state and the same link.
  const b = await open(s2.hash, 'vocabulary');
  check(b.state.embedlab.knobs.vocabulary === other && b.state.hash === s2.hash,
        `the page's link opened again: same value, same link (${b.state.hash})`);
  await b.context.close();

  // 4. Numbers at full precision (a log-scale learning rate of the embedding-train block).
  const lr = '0.0123456789012345';
  const c = await open(link('01-symbols/4', { learning_rate: lr }), 'learning_rate');
  check(c.state.embedlab.knobs.learning_rate === lr, `a number keeps all its digits (${c.state.embedlab.knobs.learning_rate})`);
  check(c.state.hash === link('01-symbols/4', { learning_rate: lr }), `and the link is unchanged (${c.state.hash})`);
  await c.context.close();
} catch (e) {
  check(false, `unexpected: ${e.message}`);
} finally {
  await browser.close();
  srv.kill();
}
console.log(checks.failures ? `links: ${checks.failures} check(s) failed` : 'links: all checks passed');
process.exit(checks.failures ? 1 : 0);
