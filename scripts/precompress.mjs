#!/usr/bin/env node
// Writes brotli (NAME.br) and gzip (NAME.gz) siblings of a built site's compressible files, which
// scripts/serve.mjs (or any static host that knows pre-compressed files) sends to browsers accepting them.
//   node scripts/precompress.mjs DIR [--fast] [--quiet | --verbose]   (summary line; none; one line per file)
// Skipped: files under 1 KiB, formats that are compressed already (images, fonts, archives), dotfiles,
// symlinks, and files whose siblings are up to date. Each sibling carries its source's mtime, so a
// rebuilt (newer) source is compressed again and the server can tell a stale sibling. A sibling that
// would not save at least 5% is not kept. gzip at level 9; brotli at 11 (what a published site should
// carry), or at 5 with --fast: on the lab's 1.86 MB index.wasm, 11 took 15 s for 559 KB and 5 took
// 0.6 s for 646 KB (gzip 9: 0.14 s, 730 KB). `scripts/lab run` uses --fast: browsers accept 'br' only from https or localhost,
// so the classroom's plain-http LAN gets gzip either way. Siblings written with --fast stay until their source
// changes (delete them for a full-quality run).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';

const SIZE_MIN = 1024;
const SAVING_MIN = 0.05;
const SKIP = new Set(['.br', '.gz', '.zip', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.ico', '.woff',
                      '.woff2', '.mp3', '.mp4', '.webm', '.ogg', '.7z', '.xz', '.bz2', '.zst']);
const TEXT = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.md', '.csv', '.txt']);

function* files(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || /\.tmp-\d+$/.test(e.name)) continue;  // dotfiles; a killed run's temp files
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* files(p);
    else if (e.isFile()) yield p;  // not symlinks: what they point at is not ours to write beside
  }
}

const encoders = {
  '.br': (ext, size, fast) => zlib.createBrotliCompress({ params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: fast ? 5 : zlib.constants.BROTLI_MAX_QUALITY,
    [zlib.constants.BROTLI_PARAM_MODE]: TEXT.has(ext) ? zlib.constants.BROTLI_MODE_TEXT : zlib.constants.BROTLI_MODE_GENERIC,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size,
  } }),
  '.gz': () => zlib.createGzip({ level: zlib.constants.Z_BEST_COMPRESSION }),
};

// A sibling is current when it is not older than its source. Siblings get their source's mtime, which
// utimes stores to the microsecond: hence the 1 ms of slack. scripts/serve.mjs uses the same rule.
export const isCurrent = (sibling, source) => sibling.mtimeMs >= source.mtimeMs - 1;

// Compresses every file of `dir` that needs it; returns counts and byte totals. Usable from other scripts.
export async function precompress(dir, { fast = false, log = () => {} } = {}) {
  const stats = { compressed: 0, upToDate: 0, notWorth: 0, bytesIn: 0, bytes: { '.br': 0, '.gz': 0 } };
  for (const file of files(dir)) {
    const ext = path.extname(file).toLowerCase();
    const st = fs.statSync(file);
    if (SKIP.has(ext) || st.size < SIZE_MIN) continue;
    stats.bytesIn += st.size;
    let wrote = 0, current = 0;
    for (const [suffix, encoder] of Object.entries(encoders)) {
      const out = file + suffix;
      const old = fs.statSync(out, { throwIfNoEntry: false });
      if (old && isCurrent(old, st)) {
        stats.bytes[suffix] += old.size;
        ++current;
        continue;
      }
      const tmp = `${out}.tmp-${process.pid}`;
      try {
        await pipeline(fs.createReadStream(file), encoder(ext, st.size, fast), fs.createWriteStream(tmp));
        const size = fs.statSync(tmp).size;
        if (size > st.size * (1 - SAVING_MIN)) {
          fs.rmSync(out, { force: true });  // nor may an older sibling outlive its source
          continue;
        }
        fs.utimesSync(tmp, st.atimeMs / 1000, st.mtimeMs / 1000);
        fs.renameSync(tmp, out);
        stats.bytes[suffix] += size;
        ++wrote;
        log(`${path.relative(dir, out)}: ${st.size} -> ${size} bytes`);
      } finally {
        fs.rmSync(tmp, { force: true });
      }
    }
    if (wrote) ++stats.compressed;
    else if (current) ++stats.upToDate;
    else ++stats.notWorth;  // tried again on every run: keep such formats in SKIP
  }
  return stats;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const quiet = args.includes('--quiet');
  const verbose = args.includes('--verbose');
  const fast = args.includes('--fast');
  const dirs = args.filter((a) => !['--quiet', '--verbose', '--fast'].includes(a));
  if (dirs.length !== 1 || dirs[0].startsWith('-') || !fs.statSync(dirs[0], { throwIfNoEntry: false })?.isDirectory()) {
    console.error('usage: node scripts/precompress.mjs DIR [--fast] [--quiet | --verbose]   (DIR: a built site, e.g. build/web-release/site)');
    process.exit(2);
  }
  const t0 = Date.now();
  const s = await precompress(path.resolve(dirs[0]), { fast, log: verbose ? (line) => console.error(`precompress: ${line}`) : undefined });
  const mb = (n) => (n / 1e6).toFixed(2);
  if (!quiet) {
    console.error(`precompress: ${s.compressed} compressed, ${s.upToDate} up to date, ${s.notWorth} not worth it in ` +
                  `${((Date.now() - t0) / 1000).toFixed(1)} s; ${mb(s.bytesIn)} MB -> br ${mb(s.bytes['.br'])} MB, gzip ${mb(s.bytes['.gz'])} MB`);
  }
}
