#!/usr/bin/env node
// Writes a self-contained static folder to publish EmbedLab from (`scripts/lab site [DIR]` builds first,
// then runs this): the page and its build files from a web build (with its data sets and its no-SIMD
// build), the lessons from the source tree, and lessons/index.json. Any static host serves it as it is (GitHub Pages, a university web server,
// `python3 -m http.server`, scripts/serve.mjs); README.md, "Publishing a course site".
//   node scripts/site.mjs [--from build/web-release/site] [--to build/site] [--lessons lessons] [--quiet]
// An existing site folder is updated in place: the build files are replaced and the shipped lessons
// copied over, but lessons an instructor added (and their images) stay, and the index lists them all.
// A folder that is not empty and not an EmbedLab site is refused, so nothing else gets overwritten.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLessonIndex } from './lesson-index.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUILD_FILES = ['index.html', 'index.js', 'index.wasm', 'index.data', 'sw.js', 'manifest.webmanifest', 'favicon.svg', 'reader.js',
  'compute_worker.js', 'compute.js', 'compute.wasm'];

const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(name); return i >= 0 && i + 1 < args.length ? args[i + 1] : def; };
const from = path.resolve(opt('--from', path.join(root, 'build/web-release/site')));
const to = path.resolve(opt('--to', path.join(root, 'build/site')));
const lessonsSrc = path.resolve(opt('--lessons', path.join(root, 'lessons')));
const quiet = args.includes('--quiet');
const say = (line) => { if (!quiet) console.error(`site: ${line}`); };
const fail = (line) => { console.error(`site: ${line}`); process.exit(1); };

for (const f of BUILD_FILES)
  if (!fs.existsSync(path.join(from, f))) fail(`${path.join(from, f)} is missing: build the web app first (scripts/lab site does).`);
if (!fs.statSync(lessonsSrc, { throwIfNoEntry: false })?.isDirectory()) fail(`no lessons folder at ${lessonsSrc}`);
if (to === from || to.startsWith(from + path.sep) || from.startsWith(to + path.sep)) fail(`the site folder ${to} must lie outside the build's ${from}`);
if (fs.existsSync(to)) {
  const entries = fs.readdirSync(to);
  if (entries.length && !(entries.includes('index.html') && entries.includes('sw.js')))
    fail(`${to} is not empty and is not an EmbedLab site (no index.html + sw.js): choose an empty or new folder.`);
}

// Build files go in through a temporary name each, so a site being served never has half a file.
fs.mkdirSync(path.join(to, 'lessons'), { recursive: true });
for (const f of BUILD_FILES) {
  const tmp = path.join(to, `.${f}.tmp-${process.pid}`);
  fs.copyFileSync(path.join(from, f), tmp);
  fs.renameSync(tmp, path.join(to, f));
  for (const ext of ['.br', '.gz']) fs.rmSync(path.join(to, f + ext), { force: true });  // stale siblings of an older build
}
// The data sets the page fetches when a step needs them (assets/data/: digits, Fashion-MNIST), and the
// build for browsers without WebAssembly SIMD (nosimd/, when the web build has one): replaced whole.
const OPTIONAL_TREES = [
  { dir: 'assets', needs: [] },
  { dir: 'nosimd', needs: ['index.js', 'index.wasm', 'index.data'],
    without: 'the web build has no no-SIMD build (build/web-release-nosimd): browsers without WebAssembly SIMD will be told so' },
];
let treeFiles = 0;
for (const { dir, needs, without } of OPTIONAL_TREES) {
  const src = path.join(from, dir), dst = path.join(to, dir);
  fs.rmSync(dst, { recursive: true, force: true });
  if (!fs.existsSync(src) || !needs.every((f) => fs.existsSync(path.join(src, f)))) {
    if (without) say(without);
    continue;
  }
  fs.cpSync(src, dst, { recursive: true, filter: (p) => !path.basename(p).startsWith('.') });
  treeFiles += fs.readdirSync(dst, { recursive: true }).length;
}

// GitHub Pages runs Jekyll unless told not to, and Jekyll turns Markdown with a front matter (every
// lesson) into HTML pages: lessons/*.md would then be missing. .nojekyll switches it off.
fs.writeFileSync(path.join(to, '.nojekyll'), '');

let copied = 0;
(function copyTree(src, dst) {
  fs.mkdirSync(dst, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    if (e.name.startsWith('.')) continue;
    const s = path.join(src, e.name), d = path.join(dst, e.name);
    if (e.isDirectory()) copyTree(s, d);
    else if (e.isFile()) { fs.copyFileSync(s, d); ++copied; }
  }
})(lessonsSrc, path.join(to, 'lessons'));
// The shipped lessons' text as static HTML (NAME.html beside NAME.md, written by the web build): what
// browsers that cannot run the lab show.
const builtLessons = path.join(from, 'lessons');
for (const name of fs.existsSync(builtLessons) ? fs.readdirSync(builtLessons) : [])
  if (name.endsWith('.html') && fs.existsSync(path.join(lessonsSrc, name.replace(/\.html$/, '.md')))) {
    fs.copyFileSync(path.join(builtLessons, name), path.join(to, 'lessons', name));
    ++copied;
  }

const index = writeLessonIndex(path.join(to, 'lessons'), { log: say });
const bytes = (dir) => fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) =>
  n + (e.isDirectory() ? bytes(path.join(dir, e.name)) : e.isFile() ? fs.statSync(path.join(dir, e.name)).size : 0), 0);
say(`wrote ${to}: ${BUILD_FILES.length} build files, ${treeFiles} files of data sets and the no-SIMD build, ${copied} lesson files, lessons/index.json lists ${index.lessons.length} ` +
    `lessons; ${(bytes(to) / 1e6).toFixed(2)} MB in all`);
if (!quiet) {
  const rel = path.relative(process.cwd(), to) || '.';
  console.log(`Publish it (README.md, "Publishing a course site"):
  copy the folder ${rel}/ to any static web host (its files as they are, .nojekyll included);
  to add a lesson there: copy NAME.md (and its images) into lessons/, then: node scripts/lesson-index.mjs ${rel}/lessons
  to try it here: node scripts/serve.mjs --dir ${rel}   (or: cd ${rel} && python3 -m http.server)`);
}
