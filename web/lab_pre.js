// Page integration for platform_web.cpp (linked with --pre-js): the route (#hash), dropped files,
// WebGL context restore, window.embedlab state for tests, and opening links safely. Kept in a .js
// file so C++ only calls small named functions (JavaScript inside EM_ASM fights the C preprocessor).
Module.labHashChanged = false;
Module.labDrops = [];
Module.labContextRestored = false;
Module.labTmp = '';

Module.labInstallHooks = function () {
  window.addEventListener('hashchange', function () { Module.labHashChanged = true; });
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
          Module.labDrops.push({ name: f.name, bytes: new TextEncoder().encode(''), error: 'larger than 4 MiB' });
          return;
        }
        var reader = new FileReader();
        reader.onload = function () { Module.labDrops.push({ name: f.name, bytes: new Uint8Array(reader.result) }); };
        reader.readAsArrayBuffer(f);
      })(files[i]);
    }
  });
};

// Strings to C++: the caller asks for the UTF-8 length of a staged string, allocates, then copies.
Module.labStage = function (s) { Module.labTmp = (s === undefined || s === null) ? '' : String(s); return lengthBytesUTF8(Module.labTmp); };
Module.labCopyStaged = function (ptr, len) { stringToUTF8(Module.labTmp, ptr, len + 1); };

Module.labTakeHashChanged = function () { var c = Module.labHashChanged; Module.labHashChanged = false; return c ? 1 : 0; };
Module.labTakeContextRestored = function () { var c = Module.labContextRestored; Module.labContextRestored = false; return c ? 1 : 0; };
Module.labHash = function () {
  try { return decodeURIComponent(window.location.hash.replace(/^#/, '')); } catch (e) { return window.location.hash.slice(1); }
};
Module.labDropCount = function () { return Module.labDrops.length; };
Module.labDropSize = function () { return Module.labDrops[0].bytes.length; };
Module.labDropCopy = function (ptr) { HEAPU8.set(Module.labDrops[0].bytes, ptr); };
Module.labDropPop = function () { Module.labDrops.shift(); };

Module.labSetRoute = function (route) {
  var want = '#' + encodeURI(route);
  if (window.location.hash !== want) history.replaceState(null, '', want);
};
Module.labPublish = function (json) {
  try { window.embedlab = Object.assign(window.embedlab || {}, JSON.parse(json)); }
  catch (e) { console.error('embedlab: bad state json', e); }
};
Module.labOpenUrl = function (url) {
  if (/^https?:[/][/]/.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
};
