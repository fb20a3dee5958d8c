// Steps through every step of every lesson in headless Chromium (pressing → from the first step),
// lets each step's experiments run for a moment, saves a screenshot per step, and fails on any
// console error or page error, on a step that does not advance, or on a blank screenshot.
//   node tests/browser/lessons.mjs --site build/web-release/site --out build/screenshots/lessons [--wait-ms 1500]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launch, opt, outDir, startServer, waitReady, collectErrors } from './common.mjs';

const out = outDir('build/screenshots/lessons');
const waitMs = Number(opt('--wait-ms', '1500'));
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

const { srv, url } = await startServer();
const browser = await launch();
let failures = 0, shots = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const errors = collectErrors(page);
  await page.goto(url);
  await waitReady(page);
  let state = await page.evaluate(() => window.embedlab);
  const seen = new Set();
  for (let guard = 0; guard < 500; ++guard) {
    await page.waitForTimeout(waitMs);
    const file = path.join(out, `${String(++shots).padStart(3, '0')}-${state.route.replace(/[^A-Za-z0-9_-]+/g, '_')}.png`);
    await page.screenshot({ path: file });
    const colours = Number(execFileSync('identify', ['-format', '%k', file]).toString());
    if (colours < 100) { console.log(`FAIL  ${state.route}: blank screenshot (${colours} colours)`); failures++; }
    if (errors.length) { console.log(`FAIL  ${state.route}: ${errors.splice(0).join(' | ')}`); failures++; }
    seen.add(state.route.split('?')[0]);
    const before = state.route;
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((r) => window.embedlab.route !== r, before, { timeout: 3000 }).catch(() => {});
    state = await page.evaluate(() => window.embedlab);
    if (state.route === before) break;  // the last step of the last lesson
  }
  console.log(`lessons: ${seen.size} steps visited across ${state.lessons} lessons, ${shots} screenshots in ${out}`);
} catch (e) {
  console.log(`FAIL  ${e.message}`);
  failures++;
} finally {
  await browser.close();
  srv.kill();
}
console.log(failures ? `lesson walk: ${failures} failure(s)` : 'lesson walk: all steps fine');
process.exit(failures ? 1 : 0);
