// Data sets fetched when a step needs them (linked with --pre-js; called by src/platform/assets_web.cpp
// for runtime/assets.h's lazy assets). They are not in index.data, so the first lesson's page does not
// carry them: the build copies them to the site's assets/ folder (web/lab_web.cmake, LAB_LAZY_ASSETS),
// with the .br/.gz siblings the server sends when the browser accepts them. Each arrives as a stream
// whose progress the block shows, and is written into the in-memory file system (ASSETS_DIR/NAME), where
// the app reads it like any file. The service worker (web/sw.js.in) keeps a copy for offline use.
// A failed fetch becomes one sentence naming the file, shown in the block; the app keeps running.
Module.labAssets = {};  // name -> { state: 'loading' | 'ready' | 'failed', got, total, error, ms }

(function () {
  var NAME = /^(?!.*(^|\/)\.)[A-Za-z0-9._\/-]+$/;  // a plain relative path, no dot segments
  var MAX = 64 * 1024 * 1024;                       // core/memory_budget.h, kFileBytesMax
  function now() { return (typeof performance !== 'undefined' ? performance : Date).now(); }
  function why(e) { return e && e.message ? e.message : String(e); }
  function publish() {
    var out = {};
    Object.keys(Module.labAssets).forEach(function (k) {
      var a = Module.labAssets[k];
      out[k] = { state: a.state, bytes: a.got, ms: Math.round(a.ms || 0) };
    });
    if (typeof window !== 'undefined') window.embedlab = Object.assign(window.embedlab || {}, { assets: out });
  }

  Module.labAssetFetch = function (name, assetsDir, expected) {
    var a = Module.labAssets[name] = { state: 'loading', got: 0, total: expected > 0 ? expected : 0, error: '', ms: 0 };
    var t0 = now(), url = 'assets/' + name.split('/').map(encodeURIComponent).join('/');
    function fail(msg) {
      a.state = 'failed';
      a.error = url + ' could not be fetched from the site (' + msg + ')';
      a.ms = now() - t0;
      publish();
    }
    if (!NAME.test(name)) { fail('not a plain file name'); return; }
    if (typeof fetch !== 'function') { fail('this browser has no fetch()'); return; }
    publish();
    fetch(url, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status + (r.statusText ? ' ' + r.statusText : ''));
      // Content-Length counts the compressed bytes when the server sends a .br/.gz sibling: the size the
      // app expects (the file's own) measures the progress instead.
      if (!a.total && !r.headers.get('Content-Encoding')) a.total = Number(r.headers.get('Content-Length') || 0);
      var chunks = [];
      function take(reader) {
        return reader.read().then(function (c) {
          if (c.done) return;
          chunks.push(c.value);
          a.got += c.value.length;
          if (a.got > MAX) throw new Error('larger than ' + (MAX >> 20) + ' MiB');
          return take(reader);
        });
      }
      var body = r.body && r.body.getReader ? take(r.body.getReader())
                                            : r.arrayBuffer().then(function (b) { chunks.push(new Uint8Array(b)); a.got = b.byteLength; });
      return body.then(function () {
        var bytes = new Uint8Array(a.got), at = 0;
        chunks.forEach(function (c) { bytes.set(c, at); at += c.length; });
        var dest = assetsDir + '/' + name;
        FS.mkdirTree(dest.slice(0, dest.lastIndexOf('/')));
        FS.writeFile(dest, bytes);
        a.state = 'ready';
        a.ms = now() - t0;
        publish();
      });
    }).catch(function (e) { fail(why(e)); });
  };
  // -1 failed, 0..1 the share arrived (0 while the size is unknown), 2 written to the file system.
  Module.labAssetPoll = function (name) {
    var a = Module.labAssets[name];
    if (!a || a.state === 'failed') return -1;
    if (a.state === 'ready') return 2;
    return a.total > 0 ? Math.min(0.99, a.got / a.total) : 0;
  };
  Module.labAssetError = function (name) {
    var a = Module.labAssets[name];
    return a ? a.error : name + ' was never asked for';
  };
})();
