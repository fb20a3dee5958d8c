// --pre-js of the WebAssembly test suite: under node, Emscripten's getenv sees a fixed default
// environment, not node's. The suite's own variables come through, as they do natively: TMPDIR (the
// two WebAssembly suites run side by side in scripts/test.sh, each with its own temporary folder;
// the pid, which names the suite's temporary files natively, is always 42 here) and LAB_*.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  for (var k in process.env)
    if (k === 'TMPDIR' || k.indexOf('LAB_') === 0) ENV[k] = process.env[k];
});
