// The lab's zip reader (LabZip in web/byod.js), run under node: good archives (stored and deflated,
// in a folder, with a comment), and broken or partial ones, each refused with a message that names
// the archive (and the entry) instead of throwing something else, hanging or returning wrong bytes.
//   node --test tests/web/
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import test from 'node:test';
import { crc32, movielensFiles, zipBuild } from './zip_writer.mjs';

const LabZip = createRequire(import.meta.url)('../../web/byod.js');
const ml = movielensFiles({ users: 12, items: 20, perUser: 6 });
const good = zipBuild([
  { name: 'ml-100k/', data: '', method: 0 },
  { name: 'ml-100k/README', data: 'read me' },
  { name: 'ml-100k/u.data', data: ml['u.data'] },
  { name: 'ml-100k/u.item', data: ml['u.item'], method: 0 },
  { name: 'ml-100k/u.user', data: ml['u.user'] },
]);
const text = (b) => Buffer.from(b).toString('latin1');
const rejects = async (bytes, re) => {
  await assert.rejects(LabZip.movielens(new Uint8Array(bytes), 'ml-100k.zip'), (e) => {
    assert.match(e.message, re);
    return true;
  });
};

test('the CRC-32 agrees with an independent implementation', () => {
  for (const s of ['', 'a', 'The quick brown fox jumps over the lazy dog', ml['u.data']])
    assert.equal(LabZip.crc32(Buffer.from(s, 'latin1')), crc32(Buffer.from(s, 'latin1')));
  assert.equal(LabZip.crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);  // the usual check value
});

test('reads MovieLens from a zip: deflated and stored entries, in a folder, byte for byte', async () => {
  const out = await LabZip.movielens(new Uint8Array(good), 'ml-100k.zip');
  assert.deepEqual(out.map((x) => x.name), ['ml-100k.zip/ml-100k/u.data', 'ml-100k.zip/ml-100k/u.item', 'ml-100k.zip/ml-100k/u.user']);
  assert.equal(text(out[0].bytes), ml['u.data']);
  assert.equal(text(out[1].bytes), ml['u.item']);
  assert.equal(text(out[2].bytes), ml['u.user']);
});

test('an archive comment after the end record does not hide it', async () => {
  const withComment = Buffer.concat([good, Buffer.from('a comment')]);
  withComment.writeUInt16LE(9, good.length - 2);
  const out = await LabZip.movielens(new Uint8Array(withComment), 'ml-100k.zip');
  assert.equal(text(out[2].bytes), ml['u.user']);
});

test('the shallowest copy of each file is taken (not one in a sub-folder)', async () => {
  const z = zipBuild([
    { name: 'ml-100k/old/u.data', data: '1\t1\t1\t1\n' },
    { name: 'ml-100k/u.data', data: ml['u.data'] },
    { name: 'ml-100k/u.item', data: ml['u.item'] },
    { name: 'ml-100k/u.user', data: ml['u.user'] },
  ]);
  const out = await LabZip.movielens(new Uint8Array(z), 'x.zip');
  assert.equal(text(out[0].bytes), ml['u.data']);
});

test('cut short anywhere: refused with the archive named, never wrong bytes', async () => {
  for (const n of [0, 10, 21, 100, Math.floor(good.length / 2), good.length - 30, good.length - 1]) {
    await rejects(good.subarray(0, n), /^ml-100k\.zip(\/ml-100k\/u\.\w+)?: /);
  }
  await rejects(good.subarray(0, good.length - 1), /cut short|table of contents|not a zip/);
});

test('not a zip at all', async () => {
  await rejects(Buffer.from('user\titem\trating\n'.repeat(10)), /^ml-100k\.zip: not a zip archive/);
});

test('a partial copy: the missing file is named', async () => {
  const z = zipBuild([{ name: 'ml-100k/u.data', data: ml['u.data'] }, { name: 'ml-100k/u.item', data: ml['u.item'] }]);
  await rejects(z, /^ml-100k\.zip: no u\.user in it/);
  await rejects(zipBuild([{ name: 'photo.jpg', data: 'xx' }]), /^ml-100k\.zip: no MovieLens-100k files in it .*photo\.jpg/);
});

test('damaged compressed data and a wrong CRC are refused, naming the entry', async () => {
  const z = Buffer.from(good);
  const at = z.indexOf(Buffer.from('ml-100k/u.data')) + 'ml-100k/u.data'.length;  // its local header's name, then the data
  for (let k = 0; k < 40; ++k) z[at + 5 + k] ^= 0x5a;
  await rejects(z, /^ml-100k\.zip\/ml-100k\/u\.data: /);
  const bad = zipBuild([{ name: 'u.data', data: ml['u.data'], method: 0 }, { name: 'u.item', data: ml['u.item'] }, { name: 'u.user', data: ml['u.user'] }]);
  const first = bad.indexOf(Buffer.from('u.data')) + 6;
  bad[first + 3] ^= 1;  // one stored byte flipped
  await rejects(bad, /^ml-100k\.zip\/u\.data: damaged \(its CRC-32 check fails\)/);
});

test('sizes that lie, unknown methods, encryption, ZIP64: refused', async () => {
  const z = zipBuild([{ name: 'u.data', data: ml['u.data'] }, { name: 'u.item', data: ml['u.item'] }, { name: 'u.user', data: ml['u.user'] }]);
  const cd = z.indexOf(Buffer.from([0x50, 0x4b, 1, 2]));
  const lie = Buffer.from(z);
  lie.writeUInt32LE(10, cd + 24);  // says 10 bytes unpacked
  await rejects(lie, /^ml-100k\.zip\/u\.data: unpacks to more than its stated size/);
  const method = Buffer.from(z);
  method.writeUInt16LE(12, cd + 10);  // bzip2
  await rejects(method, /^ml-100k\.zip\/u\.data: compressed with method 12/);
  const enc = Buffer.from(z);
  enc.writeUInt16LE(1, cd + 8);
  await rejects(enc, /^ml-100k\.zip\/u\.data: encrypted/);
  const far = Buffer.from(z);
  far.writeUInt32LE(0x7fffffff, cd + 42);  // a local header past the end
  await rejects(far, /^ml-100k\.zip\/u\.data: the archive is damaged or cut short/);
  const z64 = Buffer.from(z);
  z64.writeUInt32LE(0xffffffff, z64.length - 22 + 16);
  await rejects(z64, /^ml-100k\.zip: a ZIP64 archive/);
  const count = Buffer.from(z);
  count.writeUInt16LE(40, count.length - 22 + 10);  // more entries than the directory holds
  await rejects(count, /^ml-100k\.zip: the archive is damaged: entry 4/);
});

test('random corruption never throws anything but a named refusal, and never hangs', async () => {
  let s = 99;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let trial = 0; trial < 300; ++trial) {
    const z = Buffer.from(good);
    const flips = 1 + Math.floor(rand() * 4);
    for (let k = 0; k < flips; ++k) z[Math.floor(rand() * z.length)] = Math.floor(rand() * 256);
    try {
      const out = await LabZip.movielens(new Uint8Array(z), 'ml-100k.zip');
      // Accepted: then the bytes passed the CRC (a flip in a name, a date or unused field).
      assert.equal(out.length, 3);
      for (const x of out) assert.ok(x.bytes instanceof Uint8Array);
    } catch (e) {
      assert.ok(e instanceof Error);
      assert.match(e.message, /^(ml-100k\.zip|x)[^:]*: /, e.message);
    }
  }
});
