// Bring your own data (linked with --pre-js after lab_pre.js):
//  - an Embedding Projector pair (vectors.tsv, metadata.tsv) or a labelled .csv goes to the projection
//    blocks;
//  - MovieLens-100k goes to the recommender blocks: ml-100k.zip (unpacked here), the unzipped folder, or
//    u.data + u.item + u.user. Only those three files are taken; everything stays in the page.
// The files travel the way dropped lessons do — Module.labDrops, drained by platform_web.cpp between
// frames into the app's file_dropped, which routes .tsv/.csv to the projection and u.data/u.item/u.user
// to the recommender blocks (main.cpp) — but with the lab's limit for a file read whole (64 MiB,
// core/memory_budget.h kFileBytesMax) instead of the 4 MiB lesson limit, so a large file gets the
// budget's message from the parser, and a file past the limit gets this one. A MovieLens drop that
// cannot be unpacked (a broken or partial zip, a folder without the files) is reported as a drop named
// "<what was dropped>#error" holding the message, so the recommender blocks show it in place
// (runtime/blocks/rec_user_data.h). A drop holding any other file (a lesson) is left to lab_pre.js.
//
// An accepted MovieLens drop is remembered across visits (the "Remembered" section below): its files go
// to the browser's IndexedDB and are dropped again on the next visit, until the student forgets them.
//
// The zip reader (LabZip below) is the lab's one zip container parser: the page is where zips arrive
// (the native app reads the unzipped folder), and the browser inflates entries itself
// (DecompressionStream('deflate-raw')), so the whole path stays in JavaScript, tested under node with
// broken and partial archives (tests/web/zip.test.mjs). Under node (no Module) this file only exports
// LabZip.
(function () {
  var kDataMax = 64 * 1024 * 1024;
  var kMovieLens = ['u.data', 'u.item', 'u.user'];

  // ---- LabZip: the central directory of a zip (PKWARE APPNOTE 6.3.x, sections 4.3.7, 4.3.12, 4.3.16),
  // stored (method 0) and deflated (method 8) entries, CRC-32 checked. No ZIP64, no encryption, no
  // multi-disk archives: each is refused with a message. Every offset and size is checked against the
  // archive's length before it is used.
  var LabZip = (function () {
    var crcTable = null;
    function crc32(bytes) {
      if (!crcTable) {
        crcTable = new Uint32Array(256);
        for (var n = 0; n < 256; ++n) {
          var c = n;
          for (var k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
          crcTable[n] = c >>> 0;
        }
      }
      var crc = 0xffffffff;
      for (var i = 0; i < bytes.length; ++i) crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
      return (crc ^ 0xffffffff) >>> 0;
    }
    function u16(b, o) { return b[o] | (b[o + 1] << 8); }
    function u32(b, o) { return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 16777216; }
    function latin1(b) { var s = ''; for (var i = 0; i < b.length; ++i) s += String.fromCharCode(b[i]); return s; }
    function utf8(b) { try { return new TextDecoder('utf-8', { fatal: true }).decode(b); } catch (e) { return latin1(b); } }

    // The entries of `bytes` (a Uint8Array): [{name, method, flags, crc, csize, size, offset}], or
    // throws an Error whose message starts with `archive`.
    function entries(bytes, archive) {
      var fail = function (what) { throw new Error(archive + ': ' + what); };
      if (bytes.length < 22) fail('not a zip archive (' + bytes.length + ' bytes; was the download cut short?)');
      // The end-of-central-directory record: the last 22 bytes, or earlier if the archive has a comment.
      var eocd = -1;
      for (var p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 65535); --p)
        if (bytes[p] === 0x50 && bytes[p + 1] === 0x4b && bytes[p + 2] === 5 && bytes[p + 3] === 6) { eocd = p; break; }
      if (eocd < 0) {
        var local = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
        fail(local ? 'the archive is cut short: its table of contents (at the end) is missing; download it again'
                   : 'not a zip archive (no zip table of contents)');
      }
      if (u16(bytes, eocd + 4) !== 0 || u16(bytes, eocd + 6) !== 0) fail('a multi-part (split) archive; join it first');
      var count = u16(bytes, eocd + 10), cdSize = u32(bytes, eocd + 12), cdOffset = u32(bytes, eocd + 16);
      if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) fail('a ZIP64 archive (not read here); unzip it and drop the folder');
      if (cdOffset + cdSize > eocd) fail('the archive is damaged or cut short: its table of contents points past its end');
      var out = [], q = cdOffset;
      for (var i = 0; i < count; ++i) {
        if (q + 46 > cdOffset + cdSize || u32(bytes, q) !== 0x02014b50) fail('the archive is damaged: entry ' + (i + 1) + ' of its table of contents is not where it should be');
        var nameLen = u16(bytes, q + 28), extraLen = u16(bytes, q + 30), commentLen = u16(bytes, q + 32);
        if (q + 46 + nameLen > cdOffset + cdSize) fail('the archive is damaged: entry ' + (i + 1) + "'s name runs past the table of contents");
        var flags = u16(bytes, q + 8);
        var nameBytes = bytes.subarray(q + 46, q + 46 + nameLen);
        out.push({
          name: flags & 0x800 ? utf8(nameBytes) : latin1(nameBytes),
          flags: flags, method: u16(bytes, q + 10), crc: u32(bytes, q + 16),
          csize: u32(bytes, q + 20), size: u32(bytes, q + 24), offset: u32(bytes, q + 42),
        });
        q += 46 + nameLen + extraLen + commentLen;
      }
      return out;
    }

    // Inflates raw deflate data, stopping past `max` bytes (a zip bomb does not fill the page).
    function inflateRaw(data, max, where) {
      if (typeof DecompressionStream === 'undefined')
        return Promise.reject(new Error(where + ': this browser cannot unzip (no DecompressionStream); unzip it and drop the folder'));
      var reader = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
      var parts = [], total = 0;
      function pump() {
        return reader.read().then(function (r) {
          if (r.done) {
            var all = new Uint8Array(total), o = 0;
            for (var i = 0; i < parts.length; ++i) { all.set(parts[i], o); o += parts[i].length; }
            return all;
          }
          total += r.value.length;
          if (total > max) { reader.cancel(); throw new Error(where + ': unpacks to more than its stated size'); }
          parts.push(r.value);
          return pump();
        });
      }
      return pump().catch(function (e) {
        throw e.message.indexOf(where) === 0 ? e : new Error(where + ': the compressed data is damaged (' + e.message + ')');
      });
    }

    // The bytes of entry `e` (from entries()), as a Promise of a Uint8Array; rejects with a message
    // naming "archive/entry".
    function extract(bytes, e, archive, max) {
      var where = archive + '/' + e.name;
      var fail = function (what) { return Promise.reject(new Error(where + ': ' + what)); };
      if (e.flags & 1) return fail('encrypted (not read here)');
      if (e.size > max) return fail('is ' + (e.size / 1048576).toFixed(0) + ' MiB unpacked, over the lab\'s 64 MiB limit for a file read whole');
      if (e.offset + 30 > bytes.length || u32(bytes, e.offset) !== 0x04034b50) return fail('the archive is damaged or cut short: this entry is missing');
      var start = e.offset + 30 + u16(bytes, e.offset + 26) + u16(bytes, e.offset + 28);
      if (start + e.csize > bytes.length) return fail('the archive is cut short: this entry\'s data runs past its end');
      var data = bytes.subarray(start, start + e.csize);
      var done;
      if (e.method === 0) done = Promise.resolve(data);
      else if (e.method === 8) done = inflateRaw(data, e.size, where);
      else return fail('compressed with method ' + e.method + ' (only stored and deflated entries are read)');
      return done.then(function (out) {
        if (out.length !== e.size) throw new Error(where + ': unpacks to ' + out.length + ' bytes, not the ' + e.size + ' its archive says (damaged)');
        if (crc32(out) !== e.crc) throw new Error(where + ': damaged (its CRC-32 check fails)');
        return out;
      });
    }

    // MovieLens-100k from an archive: a Promise of [{name, bytes}] for u.data, u.item, u.user (the
    // shallowest of each, names as "ml-100k.zip/ml-100k/u.data"); rejects with one message.
    function movielens(bytes, archive) {
      var list;
      try { list = entries(bytes, archive); } catch (e) { return Promise.reject(e); }
      var pick = {};
      list.forEach(function (e) {
        var base = e.name.split('/').pop();
        if (kMovieLens.indexOf(base) < 0 || e.name.slice(-1) === '/') return;
        if (!pick[base] || e.name.split('/').length < pick[base].name.split('/').length) pick[base] = e;
      });
      var missing = kMovieLens.filter(function (n) { return !pick[n]; });
      if (missing.length === kMovieLens.length)
        return Promise.reject(new Error(archive + ': no MovieLens-100k files in it (u.data, u.item, u.user); it holds ' +
          (list.slice(0, 5).map(function (e) { return e.name; }).join(', ') || 'nothing') + (list.length > 5 ? ', ...' : '')));
      if (missing.length)
        return Promise.reject(new Error(archive + ': no ' + missing.join(' or ') + ' in it (a partial copy of ml-100k?)'));
      return Promise.all(kMovieLens.map(function (n) {
        return extract(bytes, pick[n], archive, kDataMax).then(function (b) { return { name: archive + '/' + pick[n].name, bytes: b }; });
      }));
    }

    return { entries: entries, extract: extract, movielens: movielens, crc32: crc32 };
  })();

  if (typeof Module === 'undefined') {  // node: the test of the zip reader
    if (typeof module !== 'undefined') module.exports = LabZip;
    return;
  }

  // ---- Remembered across visits ------------------------------------------------------------------
  // The app publishes window.embedlab.recData: {name, drop} while the student's MovieLens data is in
  // use, else null (app/main.cpp). When it names a new drop, the three files this page handed over for
  // it are stored in IndexedDB (database "embedlab", store "movielens", key "current"), then the note
  // "#remembered" tells the app, whose banner then offers "Forget my data" (runtime/blocks/
  // rec_user_data.h). When recData becomes null (forgotten, or back to the generated data), the
  // stored copy is deleted. On the next visit the stored files are dropped again, as the student
  // dropped them, then the note. Nothing leaves the browser: IndexedDB is this site's storage in this
  // browser, on this computer. Without IndexedDB (a private window may refuse it) the data is simply
  // not remembered.
  var kDb = 'embedlab', kStore = 'movielens', kKey = 'current';
  var handed = {};       // base name -> {name, bytes}: the latest MovieLens files handed to the app
  var current = null;    // the drop number recData last named (null: none in use)
  var restoring = null;  // the files dropped again from storage, until the app has taken them
  var idb = function (mode, use) {
    return new Promise(function (resolve, reject) {
      if (typeof indexedDB === 'undefined') { reject(new Error('this browser has no IndexedDB')); return; }
      var open = indexedDB.open(kDb, 1);
      open.onupgradeneeded = function () { open.result.createObjectStore(kStore); };
      open.onerror = function () { reject(open.error || new Error('IndexedDB refused')); };
      open.onsuccess = function () {
        var db = open.result, tx = db.transaction(kStore, mode), req = use(tx.objectStore(kStore));
        tx.oncomplete = function () { db.close(); resolve(req.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error || new Error('IndexedDB transaction failed')); };
      };
    });
  };
  var forgetStored = function () {
    idb('readwrite', function (st) { return st.delete(kKey); })
      .catch(function (e) { console.warn('embedlab: could not delete the remembered data: ' + e.message); });
  };
  var note = function () { Module.labDrops.push({ name: '#remembered', bytes: new Uint8Array(0) }); };
  // Every file for the app goes through here; MovieLens files are kept until the app accepts them.
  var hand = function (x) {
    var base = x.name.split('/').pop();
    if (x.bytes && kMovieLens.indexOf(base) >= 0) handed[base] = x;
    Module.labDrops.push(x);
  };
  var watch = function () {
    var r = window.embedlab ? window.embedlab.recData : null;
    if (restoring) {
      var queued = Module.labDrops.some(function (x) { return restoring.indexOf(x) >= 0; });
      if (queued) return;
      restoring = null;
      if (!r) { console.warn('embedlab: the remembered MovieLens data could not be read again; forgetting it'); forgetStored(); return; }
      current = r.drop;  // the stored copy itself: nothing to store
      return;
    }
    if (r && r.drop !== current) {
      var drop = current = r.drop;
      var files = kMovieLens.map(function (n) { return handed[n]; }).filter(function (f) { return f; });
      handed = {};
      if (files.length !== kMovieLens.length) return;
      idb('readwrite', function (st) {
        return st.put({ files: files.map(function (f) { return { name: f.name, bytes: f.bytes }; }), saved: Date.now() }, kKey);
      }).then(function () {
        if (current === drop) note();
        else if (current === null) forgetStored();  // forgotten while it was being stored
      }, function (e) { console.warn('embedlab: the data is not remembered in this browser: ' + e.message); });
    } else if (!r && current !== null) {
      current = null;
      handed = {};
      forgetStored();
    }
  };
  // What the banner's "Forget my data" button does, asked from the page (the browser test cannot click
  // inside the canvas): the app drops the data, recData becomes null, watch() deletes the stored copy.
  Module.labForgetMovieLens = function () { Module.labDrops.push({ name: '#forget', bytes: new Uint8Array(0) }); };
  var publish = Module.labPublish;
  Module.labPublish = function (json) { publish(json); watch(); };
  idb('readonly', function (st) { return st.get(kKey); }).then(function (rec) {
    if (!rec || !rec.files || rec.files.length !== kMovieLens.length) return;
    restoring = rec.files.map(function (f) { return { name: f.name, bytes: new Uint8Array(f.bytes) }; });
    restoring.forEach(function (x) { Module.labDrops.push(x); });
    note();
  }, function () {});

  var isData = function (name) { return /\.(tsv|csv)$/i.test(name); };
  var isMovieLens = function (name) { return kMovieLens.indexOf(name) >= 0 || /\.zip$/i.test(name); };
  var readBytes = function (f) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(new Uint8Array(reader.result)); };
      reader.onerror = function () { reject(new Error('could not read ' + f.name)); };
      reader.readAsArrayBuffer(f);
    });
  };
  var tooLarge = function (f) {
    return f.name + ' is ' + (f.size / 1048576).toFixed(0) + ' MiB, over the lab\'s 64 MiB limit for a file read whole' +
      ' (its memory budget: 256 MiB per data set); use a sample';
  };
  Module.labDataFiles = function (files) {
    for (var i = 0; i < files.length; ++i) {
      (function (f) {
        if (f.size > kDataMax) {
          Module.labDrops.push({ name: f.name, error: tooLarge(f) });
          return;
        }
        readBytes(f).then(function (b) { hand({ name: f.name, bytes: b }); },
                          function (e) { Module.labDrops.push({ name: f.name, error: e.message }); });
      })(files[i]);
    }
  };
  var failed = function (what, message) {
    Module.labDrops.push({ name: what + '#error', bytes: new TextEncoder().encode(message) });
  };
  // MovieLens: a zip (unpacked here), or the files themselves (File objects, in any number).
  Module.labMovieLensFiles = function (files) {
    var zips = [], plain = [];
    for (var i = 0; i < files.length; ++i) (/\.zip$/i.test(files[i].name) ? zips : plain).push(files[i]);
    zips.forEach(function (f) {
      if (f.size > 4 * kDataMax) { failed(f.name, tooLarge(f)); return; }
      readBytes(f).then(function (b) { return LabZip.movielens(b, f.name); })
        .then(function (list) { list.forEach(hand); },
              function (e) { failed(f.name, e.message); });
    });
    Module.labDataFiles(plain);
  };
  // A dropped folder (the unzipped ml-100k): its u.data, u.item and u.user, read through the
  // drop's FileSystemEntry (the only way a page sees a folder's files).
  var folderFiles = function (dir) {
    var get = function (name) {
      return new Promise(function (resolve) {
        dir.getFile(name, {}, function (fe) { fe.file(resolve, function () { resolve(null); }); }, function () { resolve(null); });
      });
    };
    Promise.all(kMovieLens.map(get)).then(function (files) {
      var found = files.filter(function (f) { return f; });
      if (!found.length) { failed(dir.name, dir.name + ': a folder without u.data, u.item or u.user (drop the unzipped ml-100k folder)'); return; }
      found.forEach(function (f) {
        if (f.size > kDataMax) { Module.labDrops.push({ name: f.name, error: tooLarge(f) }); return; }
        readBytes(f).then(function (b) { hand({ name: dir.name + '/' + f.name, bytes: b }); },
                          function (e) { failed(dir.name, e.message); });
      });
    });
  };
  // Capture phase on window: runs before lab_pre.js's drop listener on the document.
  window.addEventListener('drop', function (e) {
    var dt = e.dataTransfer;
    var files = dt ? dt.files : [];
    if (!files.length) return;
    var dirs = [];
    if (dt.items)
      for (var d = 0; d < dt.items.length; ++d) {
        var entry = dt.items[d].webkitGetAsEntry ? dt.items[d].webkitGetAsEntry() : null;
        if (entry && entry.isDirectory) dirs.push(entry);
      }
    var data = 0, movielens = 0;
    for (var i = 0; i < files.length; ++i) {
      if (isData(files[i].name)) ++data;
      else if (isMovieLens(files[i].name)) ++movielens;
    }
    if (!dirs.length && data + movielens < files.length) return;  // a lesson: lab_pre.js
    e.preventDefault();
    e.stopImmediatePropagation();
    e.stopPropagation();
    if (dirs.length) { dirs.forEach(folderFiles); return; }
    if (movielens) Module.labMovieLensFiles(files);
    else Module.labDataFiles(files);
  }, true);
})();
