// Bring your own data (linked with --pre-js after lab_pre.js): an Embedding Projector pair
// (vectors.tsv, metadata.tsv) or a labelled .csv dropped on the page goes to the projection blocks.
// The files travel the way dropped lessons do — Module.labDrops, drained by platform_web.cpp between
// frames into the app's file_dropped, which routes .tsv/.csv to the projection (main.cpp) — but with
// the lab's limit for a file read whole (64 MiB, core/memory_budget.h kFileBytesMax) instead of the
// 4 MiB lesson limit, so a large file gets the budget's message from the parser, and a file past the
// limit gets this one. A drop holding any other file (a lesson) is left to lab_pre.js.
(function () {
  var kDataMax = 64 * 1024 * 1024;
  var isData = function (name) { return /\.(tsv|csv)$/i.test(name); };
  Module.labDataFiles = function (files) {
    for (var i = 0; i < files.length; ++i) {
      (function (f) {
        if (f.size > kDataMax) {
          Module.labDrops.push({ name: f.name, error: f.name + ' is ' + (f.size / 1048576).toFixed(0) +
            ' MiB, over the lab\'s 64 MiB limit for a file read whole (its memory budget: 256 MiB per data set);' +
            ' use a sample of the points' });
          return;
        }
        var reader = new FileReader();
        reader.onload = function () { Module.labDrops.push({ name: f.name, bytes: new Uint8Array(reader.result) }); };
        reader.onerror = function () { Module.labDrops.push({ name: f.name, error: 'could not read ' + f.name }); };
        reader.readAsArrayBuffer(f);
      })(files[i]);
    }
  };
  // Capture phase on window: runs before lab_pre.js's drop listener on the document.
  window.addEventListener('drop', function (e) {
    var files = e.dataTransfer ? e.dataTransfer.files : [];
    if (!files.length) return;
    for (var i = 0; i < files.length; ++i) if (!isData(files[i].name)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    e.stopPropagation();
    Module.labDataFiles(files);
  }, true);
})();
