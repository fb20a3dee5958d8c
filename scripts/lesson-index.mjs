#!/usr/bin/env node
// Writes DIR/index.json, the list of lessons a hosted EmbedLab page reads from its lessons/ folder.
//   node scripts/lesson-index.mjs DIR [--check] [--quiet]
// Run it after copying a lesson (.md, and its images) into a built site's lessons/ folder: the page
// then shows the lesson on its next load, with no rebuild. Needs node only (no Emscripten, no npm
// packages). --check writes nothing and exits 1 if DIR/index.json is missing or out of date.
//
// What it lists: every *.md file of DIR except README.md, in the app's order (the header's `order:`,
// then the file name), with the header's title, order and summary (for people and tools reading the
// index: the page parses each lesson itself and reports its errors at FILE:LINE), its size, and the
// images the lesson shows that are in DIR (`![alt](images/x.png)` -> DIR/images/x.png), which the
// page fetches with it, and `text`: NAME.html beside it while that is this file's text as HTML (what a
// browser that cannot run the lab shows; web/reader.js). The format (one object; unknown keys are
// ignored by the page):
//   { "format": "embedlab-lessons 1",
//     "lessons": [ { "file": "01-symbols.md", "title": "…", "order": 1, "summary": "…",
//                    "bytes": 9120, "images": [], "text": "01-symbols.html" }, … ] }
// A file name must be a plain name (letters, digits, . _ -, ending in .md): the page refuses others.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const INDEX_FORMAT = 'embedlab-lessons 1';
export const LESSON_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.md$/;
export const IMAGE_PATH = /^(?!.*(^|\/)\.)[A-Za-z0-9._\/-]+\.(png|jpe?g)$/i;  // relative, no dot segments or dotfiles
export const LESSON_BYTES_MAX = 4 << 20;  // the app's limit for one lesson file (runtime/lesson.cpp)

// The header's `key: value` lines, read the way the lab reads them (lessons/README.md, "The header"):
// a value wholly in quotes is taken as written; otherwise ' # ' starts a comment.
function headerValue(raw) {
  const v = raw.trim();
  const m = /^"((?:[^"\\]|\\.)*)"(?:[ \t]+#[ \t].*)?$/.exec(v) || /^'((?:[^']|'')*)'(?:[ \t]+#[ \t].*)?$/.exec(v);
  if (m) return v[0] === '"' ? m[1].replace(/\\(.)/g, '$1') : m[1].replace(/''/g, "'");
  return v.replace(/[ \t]#[ \t].*$/, '').trim();
}

function readHeader(text) {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const header = {};
  if ((lines[0] || '').trim() !== '---') return header;
  for (let i = 1; i < lines.length && lines[i].trim() !== '---'; ++i) {
    const m = /^(title|order|summary|minutes)\s*:(.*)$/.exec(lines[i]);
    if (m && !(m[1] in header)) header[m[1]] = headerValue(m[2]);
  }
  return header;
}

// Image sources a lesson shows (Markdown `![alt](src)`), as written, URLs and '..' left out.
function imageSources(text) {
  const out = new Set();
  for (const m of text.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const src = m[1].replace(/^\.\//, '');
    if (IMAGE_PATH.test(src)) out.add(src);
  }
  return [...out];
}

// CRC-32 (the zip/gzip one, as src/core/data/zip.h's crc32) of a file's bytes: NAME.html, the text a
// browser that cannot run the lab shows, names the CRC-32 of the NAME.md it was written from.
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// The index of `dir` as an object, plus warnings (sentences) about what an instructor may want to fix.
export function lessonIndex(dir) {
  const warnings = [];
  const lessons = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.md') || name === 'README.md') continue;
    const file = path.join(dir, name);
    const st = fs.statSync(file);
    if (!st.isFile()) continue;
    if (!LESSON_NAME.test(name)) {
      warnings.push(`${name}: left out — a lesson's file name may hold only letters, digits and . _ - (rename it, e.g. ${name.replace(/[^A-Za-z0-9._-]+/g, '-')})`);
      continue;
    }
    if (st.size > LESSON_BYTES_MAX) warnings.push(`${name}: ${st.size} bytes, over the lab's 4 MiB limit for a lesson; the page will say so`);
    const bytes = fs.readFileSync(file);
    let text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      warnings.push(`${name}: not valid UTF-8; listed anyway, and the page shows where (save it as UTF-8)`);
      text = bytes.toString('latin1');
    }
    const h = readHeader(text);
    const order = /^[+-]?\d+$/.test(h.order || '') ? Number(h.order) : 0;
    const images = [];
    for (const src of imageSources(text)) {
      const rel = src.replace(/^assets\//, '');  // the lab also accepts `assets/images/x.png`
      if (fs.existsSync(path.join(dir, rel))) images.push(rel);
      else warnings.push(`${name}: shows ${src}, which is not in ${path.join(dir, rel)}; the page looks for it among the lab's built-in assets only`);
    }
    const entry = { file: name, title: h.title || name.slice(0, -3), order };
    if (h.summary) entry.summary = h.summary;
    entry.bytes = st.size;
    entry.images = images;
    // Its text as HTML for browsers that cannot run the lab (written by the web build), listed only
    // while it is the text of this very file: an edited lesson is shown as its Markdown instead.
    const html = path.join(dir, name.replace(/\.md$/, '.html'));
    if (fs.existsSync(html)) {
      const m = /data-source-crc32="([0-9a-f]{8})"/.exec(fs.readFileSync(html, 'utf8').slice(0, 4096));
      if (m && parseInt(m[1], 16) === crc32(bytes)) entry.text = path.basename(html);
      else warnings.push(`${name}: ${path.basename(html)} was written from another version of it, so browsers that cannot run the lab ` +
                         `show this lesson's Markdown instead (rebuild the site, or delete ${path.basename(html)})`);
    }
    lessons.push(entry);
  }
  // The app's order: `order:` then the id (runtime/session.cpp, sort_lessons).
  lessons.sort((a, b) => (a.order - b.order) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (!lessons.length) warnings.push(`no lesson files (*.md other than README.md) in ${dir}`);
  return { index: { format: INDEX_FORMAT, lessons }, warnings };
}

export const indexText = (index) => JSON.stringify(index, null, 2) + '\n';

// Writes DIR/index.json (through a temporary file, so a page never reads half an index); returns the index.
export function writeLessonIndex(dir, { log = () => {} } = {}) {
  const { index, warnings } = lessonIndex(dir);
  for (const w of warnings) log(`warning: ${w}`);
  const out = path.join(dir, 'index.json');
  const tmp = `${out}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, indexText(index));
  fs.renameSync(tmp, out);
  return index;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const quiet = args.includes('--quiet');
  const dirs = args.filter((a) => a !== '--check' && a !== '--quiet');
  if (dirs.length !== 1 || dirs[0].startsWith('-') || !fs.statSync(dirs[0], { throwIfNoEntry: false })?.isDirectory()) {
    console.error('usage: node scripts/lesson-index.mjs DIR [--check] [--quiet]   (DIR: a site\'s lessons folder, e.g. build/site/lessons)');
    process.exit(2);
  }
  const dir = dirs[0];
  const log = (line) => { if (!quiet) console.error(`lesson-index: ${line}`); };
  if (check) {
    const { index } = lessonIndex(dir);
    let have = null;
    try { have = fs.readFileSync(path.join(dir, 'index.json'), 'utf8'); } catch { /* missing */ }
    if (have !== indexText(index)) {
      console.error(`lesson-index: ${path.join(dir, 'index.json')} is ${have === null ? 'missing' : 'out of date'}; ` +
                    `write it with: node scripts/lesson-index.mjs ${dir}`);
      process.exit(1);
    }
    log(`${path.join(dir, 'index.json')} is up to date (${index.lessons.length} lessons)`);
    process.exit(0);
  }
  const index = writeLessonIndex(dir, { log });
  log(`wrote ${path.join(dir, 'index.json')} (${index.lessons.length} lessons: ${index.lessons.map((l) => l.file).join(', ')})`);
}
