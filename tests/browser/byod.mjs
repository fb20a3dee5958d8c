// Bring your own data (issue #20 item 3): an Embedding Projector pair dropped on the page replaces the
// projection block's data. Checks window.embedlab.data (the data set the page uses) before and after,
// the block's first metrics against `embedlab pca` on the same files (when the native binary is
// there), and that a malformed file is refused while the page keeps its data and keeps running.
//   node tests/browser/byod.mjs [--site build/web-release/site] [--out DIR]
//        [--embedlab build/native-release/src/embedlab]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checker, collectErrors, launch, opt, outDir, root, startServer, waitReady } from './common.mjs';

const out = outDir('build/screenshots/byod');
fs.mkdirSync(out, { recursive: true });
const embedlab = path.resolve(opt('--embedlab', path.join(root, 'build/native-release/src/embedlab')));
const checks = checker();
const ok = checks.check;

// Three clusters of 40 points in 6-D (a seeded LCG, so every run drops the same files).
let s = 12345;
const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
let vectors = '', metadata = 'name\tcluster\n';
for (let i = 0; i < 120; ++i) {
  const c = i % 3;
  vectors += Array.from({ length: 6 }, (_, j) => ((j === c ? 6 : 0) + normal()).toFixed(5)).join('\t') + '\n';
  metadata += `p${i}\t${'ABC'[c]}\n`;
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'byod-'));
fs.writeFileSync(path.join(tmp, 'vectors.tsv'), vectors);
fs.writeFileSync(path.join(tmp, 'metadata.tsv'), metadata);

// Drops files on the canvas as a student's drag does (a DataTransfer holding File objects).
const drop = (page, files) => page.evaluate((fs_) => {
  const dt = new DataTransfer();
  for (const f of fs_) dt.items.add(new File([f.text], f.name, { type: 'text/tab-separated-values' }));
  const canvas = document.getElementById('canvas');
  canvas.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
  canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
}, files);
const data = (page) => page.evaluate(() => window.embedlab.data);
const projectionMetrics = (page) => page.evaluate(() => {
  const m = window.embedlab.mirror;
  const b = m && (m.parts || []).find((p) => p.type === 'block' && (p.metrics || []).some((x) => x.name === 'explained_variance_2'));
  if (!b || b.progress !== 1) return null;
  const r = {};
  for (const x of b.metrics) r[x.name] = Number(x.value);
  return r;
});

const { srv, url } = await startServer();
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(url + '#03-seeing-embeddings/1');
  await waitReady(page);
  await page.waitForFunction(() => window.embedlab.data && window.embedlab.data.points > 0, null, { timeout: 30000 });
  let d = await data(page);
  ok(d.name === 'digits' && d.points === 1797 && d.dims === 64, `before the drop the page uses the digits: ${JSON.stringify(d)}`);

  // The pair, dropped together.
  const t0 = Date.now();
  await drop(page, [{ name: 'vectors.tsv', text: vectors }, { name: 'metadata.tsv', text: metadata }]);
  await page.waitForFunction(() => { const x = window.embedlab.data; return x && x.name === 'vectors.tsv + metadata.tsv'; }, null, { timeout: 15000 })
    .catch(() => {});
  d = await data(page);
  ok(d && d.name === 'vectors.tsv + metadata.tsv' && d.points === 120 && d.dims === 6, `after the drop the page uses the student's pair: ${JSON.stringify(d)}`);
  await page.waitForFunction(() => { const m = window.embedlab.mirror; return m && (m.parts || []).some((p) => p.type === 'block' && p.progress === 1 &&
    (p.metrics || []).some((x) => x.name === 'points' && Number(x.value) === 120)); }, null, { timeout: 30000 }).catch(() => {});
  const mx = await projectionMetrics(page);
  ok(mx && mx.points === 120, `the PCA block finished on 120 points in ${Date.now() - t0} ms: ${JSON.stringify(mx)}`);
  ok(mx && mx.knn_accuracy > 0.95, `coloured by the metadata's cluster column, the three clusters stay apart (k-NN accuracy ${mx && mx.knn_accuracy})`);
  await page.screenshot({ path: path.join(out, '1-your-vectors-pca.png') });

  // The same files through the CLI give the same numbers.
  if (fs.existsSync(embedlab) && mx) {
    const txt = execFileSync(embedlab, ['pca', '--input', path.join(tmp, 'vectors.tsv'), '--metadata', path.join(tmp, 'metadata.tsv'),
      '--output', path.join(tmp, 'pca.csv')]).toString();
    const ev = /explained variance ratio: ([\d.]+) ([\d.]+)/.exec(txt);
    const tr = /trustworthiness\(10\): ([\d.]+)/.exec(txt);
    const cliEv2 = ev ? Number(ev[1]) + Number(ev[2]) : NaN;
    // The mirror shows 5 significant digits, the CLI 6 decimals.
    ok(Math.abs(cliEv2 - mx.explained_variance_2) < 1.5e-5, `explained variance of 2 components: page ${mx.explained_variance_2}, CLI ${cliEv2.toFixed(6)}`);
    ok(tr && Math.abs(Number(tr[1]) - mx.trustworthiness) < 1.5e-5, `trustworthiness(10): page ${mx.trustworthiness}, CLI ${tr && tr[1]}`);
  } else {
    console.log(`skip  the CLI comparison (no ${embedlab})`);
  }

  // A malformed vectors file: refused with FILE:LINE, the page keeps the student's data and runs on.
  const notices = [];
  page.on('console', (m) => notices.push(m.text()));
  await drop(page, [{ name: 'broken.tsv', text: '1\t2\n3\tfour\n' }]);
  await page.waitForTimeout(1500);
  d = await data(page);
  ok(d && d.name === 'vectors.tsv + metadata.tsv', `a broken file leaves the data as it was: ${JSON.stringify(d)}`);
  const said = notices.find((t) => /broken\.tsv:2: column 2: 'four' is not a number/.test(t));
  ok(!!said, `the student is told FILE:LINE and what is wrong (${said || notices.slice(-2).join(' | ')})`);
  ok(await page.evaluate(() => window.embedlab.ready === true), 'the page is still running');
  await page.screenshot({ path: path.join(out, '2-broken-file-refused.png') });

  // t-SNE of the same vectors (the next step's block is t-SNE): the data stays from step to step.
  await page.evaluate(() => { location.hash = '#03-seeing-embeddings/2'; });
  await page.waitForFunction(() => window.embedlab.data && window.embedlab.data.points === 120 && window.embedlab.step === 1, null, { timeout: 15000 }).catch(() => {});
  d = await data(page);
  ok(d && d.points === 120, `the next step projects the same vectors: ${JSON.stringify(d)}`);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: path.join(out, '3-your-vectors-next-step.png') });
  ok(errors.length === 0, `no page errors (${errors.slice(0, 3).join(' | ')})`);
} finally {
  await browser.close();
  srv.kill();
}
console.log(checks.failures ? `byod: ${checks.failures} check(s) failed` : 'byod: all checks passed');
process.exit(checks.failures ? 1 : 0);
