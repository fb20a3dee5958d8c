// Bring your own data (linked with --pre-js after lab_pre.js):
//  - an Embedding Projector pair (vectors.tsv, metadata.tsv) or a labelled .csv goes to the projection
//    blocks;
//  - MovieLens-100k goes to the recommender blocks: ml-100k.zip, the unzipped folder, or u.data +
//    u.item + u.user. Everything stays in the page.
// The files travel the way dropped lessons do — Module.labDrops, drained by platform_web.cpp between
// frames into the app's file_dropped, which routes .tsv/.csv to the projection and .zip, u.data,
// u.item, u.user to the recommender blocks (main.cpp) — but with the lab's limit for a file read whole
// (64 MiB, core/memory_budget.h kFileBytesMax) instead of the 4 MiB lesson limit, so a large file gets
// the budget's message from the parser, and a file past the limit gets this one. A zip goes to the app
// as it is: the app's one zip reader unpacks it (core/data/zip.h, the same code natively), so a broken
// or partial archive gets its message in place. A folder drop this page cannot read (no MovieLens files
// in it) is reported as a drop named "<folder>#error" holding the message, shown in place the same way
// (runtime/blocks/rec_user_data.h). A drop holding any other file (a lesson) is left to lab_pre.js.
//
// An accepted MovieLens drop is remembered across visits (the "Remembered" section below): its files go
// to the browser's IndexedDB and are dropped again on the next visit, until the student forgets them.
(function () {
  if (typeof Module === 'undefined') return;
  var kDataMax = 64 * 1024 * 1024;
  var kMovieLens = ['u.data', 'u.item', 'u.user'];
  var isZip = function (name) { return /\.zip$/i.test(name); };

  // ---- Remembered across visits ------------------------------------------------------------------
  // The app publishes window.embedlab.recData: {name, drop} while the student's MovieLens data is in
  // use, else null (app/main.cpp). When it names a new drop, the files this page handed over for it
  // (the zip, or the three files) are stored in IndexedDB (database "embedlab", store "movielens", key "current"), then the note
  // "#remembered" tells the app, whose banner then offers "Forget my data" (runtime/blocks/
  // rec_user_data.h). When recData becomes null (forgotten, or back to the generated data), the
  // stored copy is deleted. On the next visit the stored files are dropped again, as the student
  // dropped them, then the note. Nothing leaves the browser: IndexedDB is this site's storage in this
  // browser, on this computer. Without IndexedDB (a private window may refuse it) the data is simply
  // not remembered.
  var kDb = 'embedlab', kStore = 'movielens', kKey = 'current';
  var handed = {};       // base name (or 'zip') -> {name, bytes}: the latest MovieLens files handed to the app
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
    if (x.bytes && isZip(base)) handed = { zip: x };
    else if (x.bytes && kMovieLens.indexOf(base) >= 0) { delete handed.zip; handed[base] = x; }
    Module.labDrops.push(x);
  };
  // What to store for the drop the app accepted: the zip, or the three files (else nothing).
  var toStore = function () {
    if (handed.zip) return [handed.zip];
    var files = kMovieLens.map(function (n) { return handed[n]; }).filter(function (f) { return f; });
    return files.length === kMovieLens.length ? files : [];
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
      var files = toStore();
      handed = {};
      if (!files.length) return;
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
    if (!rec || !rec.files || !rec.files.length) return;
    restoring = rec.files.map(function (f) { return { name: f.name, bytes: new Uint8Array(f.bytes) }; });
    restoring.forEach(function (x) { Module.labDrops.push(x); });
    note();
  }, function () {});

  var isData = function (name) { return /\.(tsv|csv)$/i.test(name); };
  var isMovieLens = function (name) { return kMovieLens.indexOf(name) >= 0 || isZip(name); };
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
    var ours = 0;
    for (var i = 0; i < files.length; ++i)
      if (isData(files[i].name) || isMovieLens(files[i].name)) ++ours;
    if (!dirs.length && ours < files.length) return;  // a lesson: lab_pre.js
    e.preventDefault();
    e.stopImmediatePropagation();
    e.stopPropagation();
    if (dirs.length) { dirs.forEach(folderFiles); return; }
    Module.labDataFiles(files);
  }, true);
})();
