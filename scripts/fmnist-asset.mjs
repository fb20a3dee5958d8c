#!/usr/bin/env node
// Builds the page's Fashion-MNIST asset from Debian's package dataset-fashion-mnist: the 10,000 test
// images and their labels, decompressed (the page has no gzip; the site's .br/.gz siblings compress
// them on the wire) into OUT_DIR as the IDX files the lab's reader takes (src/core/data/idx.h).
//   node scripts/fmnist-asset.mjs SRC_DIR OUT_DIR     (SRC_DIR: /usr/share/datasets/fashion-mnist)
// Fails, naming the package, when the files are missing: a site without the asset is not shipped.
// Checks the IDX headers and the counts (10,000 28×28 images, 10,000 labels 0-9) before writing.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const [src, out] = process.argv.slice(2);
if (!src || !out) {
  console.error('usage: node scripts/fmnist-asset.mjs SRC_DIR OUT_DIR');
  process.exit(2);
}
const FILES = [
  { name: 't10k-images-idx3-ubyte', magic: 0x803, header: 16, items: (n) => n * 28 * 28 },
  { name: 't10k-labels-idx1-ubyte', magic: 0x801, header: 8, items: (n) => n },
];
const N = 10000;

function die(msg) {
  console.error(`fmnist-asset: ${msg}`);
  process.exit(1);
}

fs.mkdirSync(out, { recursive: true });
for (const f of FILES) {
  const from = path.join(src, f.name + '.gz');
  if (!fs.existsSync(from))
    die(`${from} is missing: install the Debian package dataset-fashion-mnist (scripts/deps.sh packages web)`);
  let bytes;
  try {
    bytes = zlib.gunzipSync(fs.readFileSync(from));
  } catch (e) {
    die(`${from}: not a readable gzip file (${e.message})`);
  }
  const magic = bytes.length >= 8 ? bytes.readUInt32BE(0) : 0;
  const n = bytes.length >= 8 ? bytes.readUInt32BE(4) : 0;
  if (magic !== f.magic) die(`${from}: not an IDX file of unsigned bytes (${f.magic.toString(16)}) but ${magic.toString(16)}`);
  if (n !== N || (f.header === 16 && (bytes.readUInt32BE(8) !== 28 || bytes.readUInt32BE(12) !== 28)))
    die(`${from}: expected ${N} items of 28×28`);
  if (bytes.length !== f.header + f.items(n)) die(`${from}: ${bytes.length} bytes, expected ${f.header + f.items(n)}`);
  if (f.header === 8 && bytes.subarray(8).some((l) => l > 9)) die(`${from}: a label outside 0-9`);
  const to = path.join(out, f.name);
  const tmp = `${to}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, to);
}
