// A minimal zip writer for the browser tests (PKWARE APPNOTE: local headers, central directory, end
// record), stored or deflated with node's zlib: archives for the lab's zip reader (core/data/zip.h,
// tested in tests/core/test_zip.cpp) to read in the page, whole or broken. Not shipped.
import zlib from 'node:zlib';
// The site's one CRC-32 in JavaScript (scripts/lesson-index.mjs stays a single file without imports).
import { crc32 } from '../../scripts/lesson-index.mjs';

// files: [{name, data (string or Buffer), method: 0 | 8 (default 8)}] -> Buffer
export function zipBuild(files) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const f of files) {
    const data = Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data, 'latin1');
    const method = f.method ?? 8;
    const body = method === 8 ? zlib.deflateRawSync(data) : data;
    const name = Buffer.from(f.name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// A small data set in MovieLens-100k's real format (u.data tab-separated, u.item and u.user
// '|'-separated, Latin-1 titles), seeded: `users` x `items`, every user rating `perUser` movies.
export function movielensFiles({ users = 60, items = 80, perUser = 25, seed = 7 } = {}) {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const occupations = ['administrator', 'artist', 'doctor', 'educator', 'engineer', 'student', 'writer'];
  let user = '', item = '', data = '';
  for (let u = 1; u <= users; ++u)
    user += `${u}|${18 + Math.floor(rand() * 50)}|${rand() < 0.7 ? 'M' : 'F'}|${occupations[u % occupations.length]}|${10000 + u}\n`;
  const taste = Array.from({ length: users + 1 }, () => rand() * 2 - 1);
  const kind = Array.from({ length: items + 1 }, () => rand() * 2 - 1);
  for (let i = 1; i <= items; ++i) {
    const genres = Array.from({ length: 19 }, (_, g) => (g === 1 + (i % 18) ? 1 : 0));
    const day = String(1 + (i % 28)).padStart(2, '0');
    item += `${i}|Movie ${i} (${1980 + (i % 18)})|${day}-Jan-${1980 + (i % 18)}||http://example.org/${i}|${genres.join('|')}\n`;
  }
  let t = 874724710;
  for (let u = 1; u <= users; ++u) {
    const seen = new Set();
    while (seen.size < perUser) seen.add(1 + Math.floor(rand() * items));
    for (const i of seen) {
      const r = Math.max(1, Math.min(5, Math.round(3.5 + 1.5 * taste[u] * kind[i] + (rand() - 0.5))));
      data += `${u}\t${i}\t${r}\t${t++}\n`;
    }
  }
  return { 'u.data': data, 'u.item': item, 'u.user': user };
}
