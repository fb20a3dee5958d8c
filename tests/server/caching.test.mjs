// scripts/precompress.mjs and scripts/serve.mjs together: which files get .br/.gz siblings, content-coding
// negotiation (and never a stale sibling), ETag/Last-Modified revalidation to 304, Cache-Control per file,
// types, and that nothing outside the site folder is served, whatever the symlinks say.
//   node --test tests/server/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { root, SECRET, makeSite, startServer, stopServer, request, sleep } from './helpers.mjs';

let fixture, server, site;
const precompress = () => execFileSync(process.execPath, [path.join(root, 'scripts/precompress.mjs'), site, '--quiet']);
const file = (rel) => fs.readFileSync(path.join(site, rel));
const exists = (rel) => fs.existsSync(path.join(site, rel));
const decode = (res) => ({ br: zlib.brotliDecompressSync, gzip: zlib.gunzipSync }[res.headers['content-encoding']] || ((b) => b))(res.body);

before(async () => {
  fixture = makeSite();
  site = fixture.site;
  precompress();
  server = await startServer(site);
});
after(async () => {
  if (server) await stopServer(server);
  fixture?.remove();
});

test('precompress: siblings for compressible files, none for small, image or incompressible ones', () => {
  for (const rel of ['index.html', 'sw.js', 'index.js', 'index.wasm', 'index.data', 'app.3f9a2c1b.js']) {
    for (const ext of ['.br', '.gz']) {
      assert.ok(exists(rel + ext), `${rel}${ext} missing`);
      assert.ok(fs.statSync(path.join(site, rel + ext)).size < file(rel).length * 0.95, `${rel}${ext} saves under 5%`);
    }
    assert.deepEqual(zlib.brotliDecompressSync(file(rel + '.br')), file(rel), `${rel}.br does not decode to ${rel}`);
    assert.deepEqual(zlib.gunzipSync(file(rel + '.gz')), file(rel), `${rel}.gz does not decode to ${rel}`);
  }
  for (const rel of ['manifest.webmanifest', 'icon.png', 'noise.bin', '.secret']) {
    assert.ok(!exists(rel + '.br') && !exists(rel + '.gz'), `${rel} should have no siblings`);
  }
  assert.ok(!fs.existsSync(path.join(fixture.outside, 'secret.txt.br')), 'wrote beside a symlink target outside the site');
});

test('precompress: an unchanged file is not compressed again; a newer one is', () => {
  const sib = path.join(site, 'index.js.br');
  const before = fs.statSync(sib);
  assert.ok(Math.abs(before.mtimeMs - fs.statSync(path.join(site, 'index.js')).mtimeMs) < 1, 'sibling mtime = source mtime');
  precompress();
  const again = fs.statSync(sib);
  assert.equal(again.ino, before.ino, 'an up-to-date sibling was rewritten');
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(path.join(site, 'index.js'), later, later);
  precompress();
  assert.notEqual(fs.statSync(sib).ino, before.ino, 'a sibling older than its source was kept');
  assert.ok(Math.abs(fs.statSync(sib).mtimeMs - later.getTime()) < 1, 'the new sibling has the new mtime');
});

const negotiation = [
  ['br', 'br'], ['gzip', 'gzip'], ['gzip, deflate, br', 'br'], ['gzip, deflate', 'gzip'], ['br;q=0, gzip', 'gzip'],
  ['gzip;q=0', undefined], ['identity', undefined], ['', undefined], ['deflate', undefined], ['BR', 'br'],
];
for (const [accept, coding] of negotiation) {
  test(`negotiation: Accept-Encoding '${accept}' -> ${coding || 'identity'}`, async () => {
    const res = await request(server.port, '/index.js', accept ? { 'Accept-Encoding': accept } : {});
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], coding);
    assert.match(res.headers.vary || '', /accept-encoding/i);
    assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(Number(res.headers['content-length']), res.body.length);
    assert.deepEqual(decode(res), file('index.js'));
  });
}

test('negotiation: the wasm keeps its type when compressed', async () => {
  const res = await request(server.port, '/index.wasm', { 'Accept-Encoding': 'gzip, deflate, br' });
  assert.equal(res.headers['content-encoding'], 'br');
  assert.equal(res.headers['content-type'], 'application/wasm');
  assert.deepEqual(decode(res), file('index.wasm'));
});

test('negotiation: a sibling older than its rebuilt source is not served', async () => {
  fs.writeFileSync(path.join(site, 'index.data'), Buffer.from('rebuilt '.repeat(1000)));  // newer than index.data.br/.gz
  for (const accept of ['br', 'gzip']) {
    const res = await request(server.port, '/index.data', { 'Accept-Encoding': accept });
    assert.equal(res.headers['content-encoding'], undefined, `stale .${accept} sibling served`);
    assert.deepEqual(res.body, file('index.data'));
  }
});

test('negotiation: a sibling symlinked outside the site is not served', async () => {
  const res = await request(server.port, '/lessons/01-intro.md', { 'Accept-Encoding': 'gzip' });
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-encoding'], undefined);
  assert.equal(res.body.toString(), '# Intro\n');
});

test('revalidation: ETag and Last-Modified, then 304 without a body', async () => {
  const first = await request(server.port, '/index.wasm');
  const etag = first.headers.etag;
  assert.ok(etag, 'no ETag');
  assert.ok(first.headers['last-modified'], 'no Last-Modified');
  const again = await request(server.port, '/index.wasm', { 'If-None-Match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, etag);
  assert.match(again.headers['cache-control'], /must-revalidate|no-cache/);
  const since = await request(server.port, '/index.wasm', { 'If-Modified-Since': first.headers['last-modified'] });
  assert.equal(since.status, 304);
  const other = await request(server.port, '/index.wasm', { 'If-None-Match': '"something-else"' });
  assert.equal(other.status, 200);
});

test('revalidation: each coding has its own ETag, and 304 keeps Vary', async () => {
  const plain = await request(server.port, '/index.js');
  const br = await request(server.port, '/index.js', { 'Accept-Encoding': 'br' });
  assert.notEqual(br.headers.etag, plain.headers.etag);
  const notModified = await request(server.port, '/index.js', { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag });
  assert.equal(notModified.status, 304);
  assert.match(notModified.headers.vary || '', /accept-encoding/i);
  const wrongCoding = await request(server.port, '/index.js', { 'Accept-Encoding': 'br', 'If-None-Match': plain.headers.etag });
  assert.equal(wrongCoding.status, 200);
  assert.equal(wrongCoding.headers['content-encoding'], 'br');
});

const cacheRules = [
  ['/', 'no-cache'], ['/index.html', 'no-cache'], ['/sw.js', 'no-cache'], ['/inside-link.html', 'no-cache'],
  ['/app.3f9a2c1b.js', 'public, max-age=31536000, immutable'],
  ['/index.wasm', 'public, max-age=0, must-revalidate'], ['/index.js', 'public, max-age=0, must-revalidate'],
  ['/index.data', 'public, max-age=0, must-revalidate'],
];
for (const [target, rule] of cacheRules) {
  test(`Cache-Control: ${target} -> ${rule}`, async () => {
    for (const accept of ['', 'gzip, deflate, br']) {
      const res = await request(server.port, target, accept ? { 'Accept-Encoding': accept } : {});
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], rule, `with Accept-Encoding '${accept}'`);
    }
  });
}

test('types and headers: wasm, data, manifest, markdown; nosniff; HEAD has no body', async () => {
  const types = { '/index.wasm': 'application/wasm', '/index.data': 'application/octet-stream',
                  '/manifest.webmanifest': 'application/manifest+json', '/lessons/01-intro.md': 'text/markdown; charset=utf-8',
                  '/': 'text/html; charset=utf-8' };
  for (const [target, type] of Object.entries(types)) {
    const res = await request(server.port, target);
    assert.equal(res.headers['content-type'], type, target);
    assert.equal(res.headers['x-content-type-options'], 'nosniff', target);
  }
  const head = await request(server.port, '/index.wasm', {}, 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(Number(head.headers['content-length']), file('index.wasm').length);
  assert.equal(head.body.length, 0);
  const range = await request(server.port, '/index.wasm', { Range: 'bytes=0-3' });
  assert.equal(range.status, 206);
  assert.deepEqual(range.body, Buffer.from([0, 0x61, 0x73, 0x6d]));
});

test('containment: a symlink that stays inside the site is served', async () => {
  const res = await request(server.port, '/inside-link.html');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, file('index.html'));
});

test('containment: nothing outside the site, by any route', async () => {
  const targets = ['/leak.txt', '/leak-abs.txt', '/passwd', '/out-dir/secret.txt', '/out-dir/', '/out-dir',
                   '/.secret', '/lessons/01-intro.md.gz', '/%2e%2e/outside/secret.txt', '/..%2foutside%2fsecret.txt',
                   '/lessons/..%2f..%2foutside/secret.txt', '/out-dir%2fsecret.txt', '/leak.txt%00', '/leak.txt?x=1'];
  for (const target of targets) {
    for (const accept of ['', 'gzip, deflate, br']) {
      const res = await request(server.port, target, accept ? { 'Accept-Encoding': accept } : {});
      assert.ok(res.status >= 400 && res.status < 500, `${target}: status ${res.status}`);
      assert.ok(!decode(res).includes(SECRET), `${target}: served a file outside the site`);
    }
  }
});

test('--host: a non-loopback address prints a warning about offline use; the default does not', async () => {
  assert.doesNotMatch(server.stderr(), /warning/);
  const lan = await startServer(site, ['--host', '0.0.0.0']);
  try {
    for (let i = 0; i < 50 && !lan.stderr(); ++i) await sleep(20);  // stderr may arrive after stdout
    assert.match(lan.stderr(), /warning: --host 0\.0\.0\.0 .*offline/);
    const res = await request(lan.port, '/');
    assert.equal(res.status, 200);
  } finally {
    await stopServer(lan);
  }
});
