// Bring your own data (issue #20 items 1-3): an Embedding Projector pair dropped on the page replaces the
// projection block's data; a MovieLens-format archive (made here, in the real format, zipped) replaces
// the recommender lessons' ratings. Checks window.embedlab.data (the data set the page uses) before and
// after, the blocks' first metrics against `embedlab pca` / `embedlab recsys` on the same files (when
// the native binary is there), and that malformed files and broken archives are refused with FILE:LINE
// (or the archive named) while the page keeps its data and keeps running; that the step's expectations
// are shown but not judged on the dropped data; and that the drop is remembered across a reload until
// forgotten.
//   node tests/browser/byod.mjs [--site build/web-release/site] [--out DIR]
//        [--embedlab build/native-release/src/embedlab]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checker, collectErrors, launch, opt, outDir, root, startServer, waitReady } from './common.mjs';
import { movielensFiles, zipBuild } from './zip_writer.mjs';

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
  // The projection block (the one with explained_variance_2, as projectionMetrics reads it) finished on the 120 points.
  await page.waitForFunction(() => { const m = window.embedlab.mirror;
    const b = m && (m.parts || []).find((p) => p.type === 'block' && (p.metrics || []).some((x) => x.name === 'explained_variance_2'));
    return b && b.progress === 1 && b.metrics.some((x) => x.name === 'points' && Number(x.value) === 120); }, null, { timeout: 30000 }).catch(() => {});
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

  // ---- MovieLens (items 1 and 2) ----
  // A small data set in MovieLens-100k's format, zipped as GroupLens ships it (a folder inside).
  const ml = movielensFiles({ users: 60, items: 80, perUser: 25 });
  const mlDir = path.join(tmp, 'ml-small');
  fs.mkdirSync(mlDir);
  for (const [n, t] of Object.entries(ml)) fs.writeFileSync(path.join(mlDir, n), t, 'latin1');
  const mlZip = zipBuild(Object.entries(ml).map(([n, t]) => ({ name: 'ml-small/' + n, data: t })));
  const dropBytes = (page, name, buf) => page.evaluate(([n, b64]) => {
    const bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; ++i) bytes[i] = bin.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], n, { type: 'application/zip' }));
    const canvas = document.getElementById('canvas');
    canvas.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, Buffer.from(buf).toString('base64')]);
  const blockMetrics = (page, has) => page.evaluate((h) => {
    const m = window.embedlab.mirror;
    const b = m && (m.parts || []).find((p) => p.type === 'block' && p.progress === 1 && (p.metrics || []).some((x) => x.name === h));
    if (!b) return null;
    const r = {};
    for (const x of b.metrics) r[x.name] = Number(x.value);
    return r;
  }, has);
  const waitMetric = (page, has, ms) => page.waitForFunction((h) => {
    const m = window.embedlab.mirror;
    return m && (m.parts || []).some((p) => p.type === 'block' && p.progress === 1 && (p.metrics || []).some((x) => x.name === h));
  }, has, { timeout: ms }).catch(() => {});
  const cli = (args) => execFileSync(embedlab, ['recsys', '--data', mlDir, ...args]).toString();
  const cliTest = (txt) => { const m = /test RMSE ([\d.]+) MAE ([\d.]+)/.exec(txt); return m ? { rmse: Number(m[1]), mae: Number(m[2]) } : null; };

  await page.evaluate(() => { location.hash = '#06-explicit-feedback/3'; });
  await page.waitForFunction(() => window.embedlab.data && window.embedlab.data.ratings > 0, null, { timeout: 30000 }).catch(() => {});
  d = await data(page);
  ok(d && d.name === 'synthetic-small (seed 1)' && d.ratings === 12000 && d.users === 300 && d.items === 500,
     `before the drop the recommender lesson uses the generated ratings: ${JSON.stringify(d)}`);
  const t1 = Date.now();
  await dropBytes(page, 'ml-small.zip', mlZip);
  await page.waitForFunction(() => { const x = window.embedlab.data; return x && /your copy/.test(x.name); }, null, { timeout: 15000 }).catch(() => {});
  d = await data(page);
  ok(d && d.name === 'MovieLens files (your copy: ml-small.zip/ml-small)' && d.ratings === 1500 && d.users === 60 && d.items === 80,
     `after dropping ml-small.zip the page uses its ratings: ${JSON.stringify(d)}`);
  await waitMetric(page, 'test_mae', 60000);
  const mf = await blockMetrics(page, 'test_mae');
  ok(mf && mf.test_rmse > 0.3 && mf.test_rmse < 2, `MF trained on the dropped ratings in ${Date.now() - t1} ms: ${JSON.stringify(mf)}`);
  // The step's `expect` lines were set for the generated data: on the student's copy they show the
  // value without a ✓ or ✗, and the note says why.
  const judged = await page.evaluate(() => {
    const b = (window.embedlab.mirror.parts || []).find((p) => p.type === 'block' && (p.expects || []).length);
    return b ? { note: b.note, states: b.expects.map((e) => e.state), text: b.expects.map((e) => e.text) } : null;
  });
  ok(judged && judged.states.length > 0 && judged.states.every((x) => x === 'student') && /not checked on yours/.test(judged.note),
     `on the dropped data the lesson's expectations are shown, not judged: ${JSON.stringify(judged)}`);
  await page.screenshot({ path: path.join(out, '4-movielens-dropped.png') });
  if (fs.existsSync(embedlab) && mf) {
    const c = cliTest(cli(['--model', 'mf', '--dim', '16', '--l2', '0.3', '--epochs', '15', '--lr', '0.005', '--optim', 'lazy-adam', '--seed', '1']));
    ok(c && Math.abs(c.rmse - mf.test_rmse) < 2e-4 && Math.abs(c.mae - mf.test_mae) < 2e-4,
       `the same files and seed through the CLI: RMSE page ${mf.test_rmse} CLI ${c && c.rmse}, MAE page ${mf.test_mae} CLI ${c && c.mae}`);
  } else {
    console.log(`skip  the CLI comparison (no ${embedlab})`);
  }

  // The course's protocol on the dropped ratings: the panel's MF row is `embedlab recsys` with the course's settings.
  await page.evaluate(() => { location.hash = '#06-explicit-feedback/8'; });
  await page.waitForFunction(() => window.embedlab.step === 7, null, { timeout: 15000 }).catch(() => {});
  d = await data(page);
  ok(d && d.ratings === 1500, `the course panel uses the dropped ratings too: ${JSON.stringify(d)}`);
  const t2 = Date.now();
  await waitMetric(page, 'mae_classes', 120000);
  const course = await blockMetrics(page, 'mae_classes');
  ok(course && course.mae_mf > 0 && course.mae_deep > 0 && course.mae_deep_meta > 0 && course.mae_classes > 0 && !('noise_floor_mae' in course),
     `the course panel ran MF, deep, the hybrid and the 5 classes on them in ${Date.now() - t2} ms: ${JSON.stringify(course)}`);
  await page.screenshot({ path: path.join(out, '5-course-panel-your-data.png') });
  if (fs.existsSync(embedlab) && course) {
    const c = cliTest(cli(['--model', 'mf', '--dim', '64', '--loss', 'mae', '--l2', '0', '--epochs', '10', '--lr', '0.001', '--optim', 'lazy-adam', '--seed', '1']));
    ok(c && Math.abs(c.mae - course.mae_mf) < 2e-4, `the course's MF through the CLI: MAE page ${course.mae_mf}, CLI ${c && c.mae}`);
  }

  // A broken u.data inside an archive: the loader's FILE:LINE, the data stays as it was.
  notices.length = 0;
  const broken = { ...ml, 'u.data': ml['u.data'].split('\n').map((l, i) => (i === 2 ? '3\t7\tsix\t874724712' : l)).join('\n') };
  await dropBytes(page, 'broken.zip', zipBuild(Object.entries(broken).map(([n, t]) => ({ name: 'ml-100k/' + n, data: t }))));
  await page.waitForTimeout(1500);
  let saidMl = notices.find((t) => /broken\.zip\/ml-100k\/u\.data:3: rating 'six' is not a whole number from 1 to 5/.test(t));
  ok(!!saidMl, `a bad line in the archive's u.data: FILE:LINE and what is wrong (${saidMl || notices.slice(-2).join(' | ')})`);
  d = await data(page);
  ok(d && d.ratings === 1500, `and the page keeps the ratings it had: ${JSON.stringify(d)}`);
  await page.screenshot({ path: path.join(out, '6-broken-archive-in-place.png') });
  // A partial download: the archive is named and the reason given.
  notices.length = 0;
  await dropBytes(page, 'cut.zip', mlZip.subarray(0, Math.floor(mlZip.length * 0.6)));
  await page.waitForTimeout(1500);
  saidMl = notices.find((t) => /cut\.zip: the archive is cut short/.test(t));
  ok(!!saidMl, `a zip cut short is refused, naming it (${saidMl || notices.slice(-2).join(' | ')})`);
  ok(await page.evaluate(() => window.embedlab.ready === true), 'the page is still running');

  // ---- Remembered across visits: the accepted drop is in this browser's IndexedDB, comes back after a
  // reload, and "forget" deletes it (the page then uses the generated data, also after a reload).
  const stored = (p) => p.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('embedlab', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('movielens');
    open.onerror = () => resolve('no IndexedDB');
    open.onsuccess = () => {
      const db = open.result, req = db.transaction('movielens').objectStore('movielens').get('current');
      req.onsuccess = () => { db.close(); resolve(req.result ? req.result.files.map((f) => f.name).join(', ') : null); };
      req.onerror = () => { db.close(); resolve('read failed'); };
    };
  }));
  const t3 = Date.now();
  await page.waitForFunction(() => window.embedlab.recData && window.embedlab.recData.drop >= 1, null, { timeout: 5000 }).catch(() => {});
  let kept = null;
  for (let i = 0; i < 20 && !kept; ++i) { kept = await stored(page); if (!kept) await page.waitForTimeout(100); }
  ok(kept === 'ml-small.zip', `the dropped archive is remembered in this browser (IndexedDB): ${kept}`);
  await page.goto(url + '#06-explicit-feedback/3');
  await page.reload();
  await waitReady(page);
  await page.waitForFunction(() => { const x = window.embedlab.data; return x && /your copy/.test(x.name); }, null, { timeout: 15000 }).catch(() => {});
  d = await data(page);
  ok(d && d.name === 'MovieLens files (your copy: ml-small.zip/ml-small)' && d.ratings === 1500,
     `after a reload the page uses the remembered copy: ${JSON.stringify(d)}`);
  await waitMetric(page, 'test_mae', 60000);
  await page.screenshot({ path: path.join(out, '8-remembered-after-reload.png') });
  await page.evaluate(() => Module.labForgetMovieLens());
  await page.waitForFunction(() => window.embedlab.recData === null, null, { timeout: 5000 }).catch(() => {});
  kept = 'still there';
  for (let i = 0; i < 20 && kept; ++i) { kept = await stored(page); if (kept) await page.waitForTimeout(100); }
  ok(kept === null, `"forget" deletes the browser's copy (${kept})`);
  await page.reload();
  await waitReady(page);
  await page.waitForFunction(() => window.embedlab.data && window.embedlab.data.ratings > 0, null, { timeout: 30000 }).catch(() => {});
  d = await data(page);
  ok(d && d.name === 'synthetic-small (seed 1)' && d.ratings === 12000, `forgotten, a reload uses the generated data: ${JSON.stringify(d)}`);
  console.log(`      (remember, reload, forget, reload: ${Date.now() - t3} ms)`);

  ok(errors.length === 0, `no page errors (${errors.slice(0, 3).join(' | ')})`);

  // Narrow and dark: the dropped (and remembered) data's banner and the course panel with its 5-class row.
  for (const [name, opts] of [['390-light', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }],
                              ['desktop-dark', { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' }]]) {
    const ctx = await browser.newContext({ ...opts, serviceWorkers: 'block' });
    const p = await ctx.newPage();
    await p.goto(url + '#06-explicit-feedback/8');
    await waitReady(p);
    await dropBytes(p, 'ml-small.zip', mlZip);
    await waitMetric(p, 'mae_classes', 120000);
    await p.screenshot({ path: path.join(out, `7-course-panel-${name}.png`), fullPage: false });
    await ctx.close();
  }
} finally {
  await browser.close();
  srv.kill();
}
console.log(checks.failures ? `byod: ${checks.failures} check(s) failed` : 'byod: all checks passed');
process.exit(checks.failures ? 1 : 0);
