// Page integration for platform_web.cpp (linked with --pre-js): the route (#hash), dropped files,
// WebGL context restore, window.embedlab state for tests, and opening links safely. Kept in a .js
// file so C++ only calls small named functions (JavaScript inside EM_ASM fights the C preprocessor).
Module.labHashChanged = false;
Module.labDrops = [];
Module.labContextRestored = false;
Module.labTmp = '';

Module.labInstallHooks = function () {
  window.addEventListener('hashchange', function () { Module.labHashChanged = true; });
  window.addEventListener('popstate', function () { Module.labHashChanged = true; });  // Back / Forward
  var canvas = Module['canvas'];
  canvas.addEventListener('webglcontextrestored', function () { Module.labContextRestored = true; });
  var stop = function (e) { e.preventDefault(); e.stopPropagation(); };
  document.addEventListener('dragover', stop);
  document.addEventListener('drop', function (e) {
    stop(e);
    var files = e.dataTransfer ? e.dataTransfer.files : [];
    for (var i = 0; i < files.length; ++i) {
      (function (f) {
        if (f.size > 4 * 1024 * 1024) {
          Module.labDrops.push({ name: f.name, error: f.name + ' is larger than 4 MiB; lessons are small text files' });
          return;
        }
        var reader = new FileReader();
        reader.onload = function () { Module.labDrops.push({ name: f.name, bytes: new Uint8Array(reader.result) }); };
        reader.onerror = function () { Module.labDrops.push({ name: f.name, error: 'could not read ' + f.name }); };
        reader.readAsArrayBuffer(f);
      })(files[i]);
    }
  });
  Module.labOpenLessonParam();
};

// ?lesson=<url>: preview a lesson file without rebuilding. Same-origin URLs load directly; another
// origin only after the user confirms (a lesson can only describe content and lab blocks).
Module.labOpenLessonParam = function () {
  var param = new URLSearchParams(window.location.search).get('lesson');
  if (!param) return;
  var url;
  try { url = new URL(param, window.location.href); } catch (e) {
    Module.labDrops.push({ name: param, error: 'the lesson link "' + param + '" is not a valid URL' });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    Module.labDrops.push({ name: param, error: 'lessons load over http(s) only, not ' + url.protocol });
    return;
  }
  if (url.origin !== window.location.origin &&
      !window.confirm('Open a lesson from another site?\n\n' + url.href + '\n\nLessons contain text and experiments only.')) {
    Module.labDrops.push({ name: param, error: 'not opening the lesson from ' + url.origin + ' (not confirmed)' });
    return;
  }
  var name = url.pathname.split('/').pop() || 'lesson.md';
  fetch(url.href, { credentials: 'same-origin' }).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    var len = Number(r.headers.get('Content-Length') || 0);
    if (len > 4 * 1024 * 1024) throw new Error('larger than 4 MiB');
    return r.arrayBuffer();
  }).then(function (buf) {
    if (buf.byteLength > 4 * 1024 * 1024) throw new Error('larger than 4 MiB');
    Module.labDrops.push({ name: name, bytes: new Uint8Array(buf) });
  }).catch(function (e) {
    Module.labDrops.push({ name: name, error: 'could not load the lesson ' + url.href + ': ' + e.message });
  });
};

// Strings to C++: the caller asks for the UTF-8 length of a staged string, allocates, then copies.
Module.labStage = function (s) { Module.labTmp = (s === undefined || s === null) ? '' : String(s); return lengthBytesUTF8(Module.labTmp); };
Module.labCopyStaged = function (ptr, len) { stringToUTF8(Module.labTmp, ptr, len + 1); };

Module.labTakeHashChanged = function () { var c = Module.labHashChanged; Module.labHashChanged = false; return c ? 1 : 0; };
Module.labTakeContextRestored = function () { var c = Module.labContextRestored; Module.labContextRestored = false; return c ? 1 : 0; };
// The raw #fragment, not decoded: the route's keys and values are percent-encoded one by one and
// only C++ (session_apply_route) splits and decodes them, so an encoded & = # ? inside a value stays in it.
Module.labHash = function () { return window.location.hash.replace(/^#/, ''); };
Module.labDropCount = function () { return Module.labDrops.length; };
Module.labDropSize = function () { return Module.labDrops[0].bytes ? Module.labDrops[0].bytes.length : 0; };
Module.labDropError = function () { return Module.labDrops[0].error || ''; };
Module.labDropCopy = function (ptr) { HEAPU8.set(Module.labDrops[0].bytes, ptr); };
Module.labDropPop = function () { Module.labDrops.shift(); };

// The route comes already encoded (session_route): set it as it is. Moving to another step adds a
// history entry (so Back and Forward walk the steps); a knob change, or the first route of a page
// opened without one, replaces the current entry.
Module.labSetRoute = function (route) {
  var want = '#' + route;
  var have = window.location.hash;
  if (have === want) return;
  var step = function (h) { return h.replace(/^#/, '').split('?')[0]; };
  if (have.length > 1 && step(have) !== step(want)) history.pushState(null, '', want);
  else history.replaceState(null, '', want);
};
Module.labPublish = function (json) {
  try { window.embedlab = Object.assign(window.embedlab || {}, JSON.parse(json)); }
  catch (e) { console.error('embedlab: bad state json', e); return; }
  var t = window.embedlab.title;
  if (t) document.title = t + ' — EmbedLab';
};
Module.labOpenUrl = function (url) {
  if (/^https?:[/][/]/.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
};

// Exports: a file download of bytes the app made (CSV, TSV, PNG).
Module.labDownload = function (name, bytes) {
  var type = /\.png$/.test(name) ? 'image/png' : /\.tsv$/.test(name) ? 'text/tab-separated-values' : 'text/csv';
  var url = URL.createObjectURL(new Blob([bytes], { type: type }));
  var a = document.createElement('a');
  a.href = url;
  a.download = name.replace(/[^A-Za-z0-9._-]/g, '_');
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
};
