// scripts/serve.mjs against what a curious student, a broken client or a port scanner sends: every request
// gets a 4xx (or the connection is closed), nothing outside the site comes back, the process stays up and
// keeps answering, and file descriptors come back after aborted downloads.
//   node --test tests/server/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import net from 'node:net';
import { root, SECRET, BIG_SIZE, makeSite, addBigFile, startServer, stopServer, raw, request, fdCount, sleep } from './helpers.mjs';

let fixture, server;
before(async () => {
  fixture = makeSite();
  execFileSync(process.execPath, [path.join(root, 'scripts/precompress.mjs'), fixture.site, '--quiet']);
  addBigFile(fixture.site);
  server = await startServer(fixture.site);  // header timeout 1 s, idle timeout 2 s
});
after(async () => {
  if (server) await stopServer(server);
  fixture?.remove();
});

const get = (target, headers = '') => `GET ${target} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`;

async function assertStillServing(what) {
  assert.equal(server.proc.exitCode, null, `the server exited after ${what}`);
  const res = await request(server.port, '/');
  assert.equal(res.status, 200, `GET / after ${what}`);
}

// [name, raw request, expected status (0 = the server may just close the connection)]
const hostile = [
  ['NUL, percent-encoded (the request that used to kill the server)', get('/index.html%00.png'), 400],
  ['NUL byte in the request line', get('/index.html\0.png'), 400],
  ['invalid percent-encoding %zz', get('/%zz'), 400],
  ['truncated percent-encoding', get('/index.html%'), 400],
  ['percent-encoding of invalid UTF-8', get('/%E0%A4%A'), 400],
  ['overlong UTF-8 dots %C0%AE%C0%AE', get('/%C0%AE%C0%AE/outside/secret.txt'), 400],
  ['raw dot-segments', get('/../outside/secret.txt'), 400],
  ['encoded dot-segments', get('/%2e%2e/outside/secret.txt'), 400],
  ['encoded dot-segments and slashes', get('/%2E%2E%2Foutside%2Fsecret.txt'), 400],
  ['dot-segments after a real folder', get('/lessons/%2e%2e/%2e%2e/outside/secret.txt'), 400],
  ['a single dot segment', get('/lessons/./01-intro.md'), 400],
  ['backslashes', get('/..\\outside\\secret.txt'), 400],
  ['encoded backslashes', get('/%5c..%5coutside%5csecret.txt'), 400],
  ['control character %01', get('/index%01.html'), 400],
  ['path over 4 KiB', get('/' + 'a'.repeat(5000)), 414],
  ['path segment over NAME_MAX', get('/' + 'a'.repeat(300)), 404],
  ['3999 empty-named folders', get('/' + 'a/'.repeat(1999)), 404],
  ['request line over 16 KiB', get('/' + 'a'.repeat(20000)), 431],
  ['200 headers of 200 bytes', get('/', Array.from({ length: 200 }, (_, i) => `X-H${i}: ${'v'.repeat(200)}\r\n`).join('')), 431],
  ['absolute-form target', get('http://example.com/index.html'), 400],
  ['asterisk target', get('*'), 400],
  ['no Host header', 'GET / HTTP/1.1\r\n\r\n', 400],
  ['TLS ClientHello on the http port', Buffer.from('16030100a5010000a10303' + '00'.repeat(64), 'hex'), 400],
  ['request smuggling: Content-Length with chunked', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  ['POST with a body', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world', 405],
  ['PUT', 'PUT /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n', 405],
  ['DELETE', 'DELETE /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 405],
  ['OPTIONS *', 'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 405],
  ['TRACE', 'TRACE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 405],
  ['PROPFIND (WebDAV)', 'PROPFIND / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 405],
  ['an unknown method', 'BREW / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400],
  ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', 0],
  ['Range end before start', get('/index.wasm', 'Range: bytes=5-2\r\n'), 416],
  ['Range past the end', get('/index.wasm', 'Range: bytes=99999999999999999999-\r\n'), 416],
  ['a DEL character in a header', get('/index.html', 'If-None-Match: \x7f"\r\n'), 400],
  ['garbage conditional headers', get('/index.html', 'If-None-Match: W/, "x", ,\r\nIf-Modified-Since: yesterday\r\n'), 200],
  ['dotfile', get('/.secret'), 404],
  ['encoded dotfile', get('/%2esecret'), 404],
  ['symlink to a file outside (relative)', get('/leak.txt'), 404],
  ['symlink to a file outside (absolute)', get('/leak-abs.txt'), 404],
  ['symlink to /etc/passwd', get('/passwd'), 404],
  ['file in a symlinked folder outside', get('/out-dir/secret.txt'), 404],
  ['symlinked folder outside, with slash', get('/out-dir/'), 404],
];

for (const [name, bytes, expected] of hostile) {
  test(`hostile: ${name} -> ${expected || 'closed'}`, async () => {
    const r = await raw(server.port, bytes);
    if (expected) assert.equal(r.status, expected, `answer: ${r.data.subarray(0, 120).toString('latin1')}`);
    else assert.ok(r.closedByServer && (r.status === 0 || (r.status >= 400 && r.status < 500)), `status ${r.status}`);
    assert.ok(!r.data.includes(SECRET), 'a file outside the site was served');
    await assertStillServing(name);
  });
}

test('pipelining: 50 requests in one write get 50 answers', async () => {
  const one = 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n';
  const r = await raw(server.port, one.repeat(49) + get('/index.html'), { ms: 5000 });
  const answers = r.data.toString('latin1').match(/HTTP\/1\.1 200 OK/g) || [];
  assert.equal(answers.length, 50);
});

test('aborted connections: 60 downloads cut short, 20 resets, 20 half-sent requests; no fd is kept', async () => {
  const pid = server.proc.pid;
  const fds0 = fdCount(pid);
  const cut = () => raw(server.port, get('/big.bin'), { onConnect: (s) => s.once('data', () => s.destroy()) });
  const reset = () => raw(server.port, get('/big.bin'), { onConnect: (s) => s.once('data', () => s.resetAndDestroy()) });
  const half = () => raw(server.port, 'GET /big.bin HTTP/1.1\r\nHo', { onConnect: (s) => setTimeout(() => s.destroy(), 50) });
  await Promise.all([...Array.from({ length: 60 }, cut), ...Array.from({ length: 20 }, reset), ...Array.from({ length: 20 }, half)]);
  await assertStillServing('aborted downloads');
  if (fds0 === null) return;  // no /proc: the rest of this test needs Linux
  let fds = fdCount(pid);
  for (let i = 0; i < 30 && fds > fds0 + 2; ++i) {
    await sleep(100);
    fds = fdCount(pid);
  }
  assert.ok(fds <= fds0 + 2, `server fds: ${fds0} before, ${fds} after 100 aborted connections`);
});

test('slow client: headers trickled one byte per 100 ms are cut off by the 1 s header timeout', async () => {
  const head = 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'z'.repeat(200);
  let timer;
  const r = await raw(server.port, null, {
    ms: 6000,
    onConnect: (s) => {
      let i = 0;
      timer = setInterval(() => { if (i < head.length && !s.destroyed) s.write(head[i++]); }, 100);
    },
  });
  clearInterval(timer);
  assert.ok(r.closedByServer, 'the server kept the connection open');
  assert.ok(r.ms < 4000, `closed after ${r.ms} ms`);
  assert.ok(r.status === 0 || r.status === 408, `status ${r.status}`);
});

test('slow client: a connection that sends nothing is closed', async () => {
  const r = await raw(server.port, null, { ms: 6000 });
  assert.ok(r.closedByServer && r.ms < 4000, `closed by server: ${r.closedByServer}, after ${r.ms} ms`);
});

test('slow client: a download the client stops reading is closed by the 2 s idle timeout', async () => {
  let sock;
  const result = raw(server.port, get('/big.bin'), { ms: 15000, onConnect: (s) => { sock = s; s.once('data', () => s.pause()); } });
  await sleep(5000);
  sock.resume();  // whatever sits in the socket buffers arrives; then the close
  const r = await result;
  assert.ok(r.closedByServer, 'the server kept the stalled download open');
  assert.ok(r.data.length < BIG_SIZE, `all ${r.data.length} bytes arrived: the download never stalled, test inconclusive`);
  assert.ok(r.ms < 12000, `closed after ${r.ms} ms`);
});

test('slow clients: 200 idle connections do not keep others from loading the page', async () => {
  const idle = Array.from({ length: 200 }, () => new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\n'));
    s.on('error', () => {});
    s.resume();  // read, or the server's close is never seen
    s.on('close', resolve);
  }));
  await sleep(200);
  const t0 = Date.now();
  const res = await request(server.port, '/index.js');
  assert.equal(res.status, 200);
  assert.ok(Date.now() - t0 < 2000, `GET took ${Date.now() - t0} ms beside 200 idle connections`);
  await Promise.all(idle);  // and the header timeout closes them all
});

test('no request made the server log an error', () => {
  assert.equal(server.stderr(), '');
});
