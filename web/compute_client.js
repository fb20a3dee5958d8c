// The page's side of the compute worker (linked with --pre-js; called by src/platform/compute_web.cpp
// for runtime/blocks/projection.h's ProjectionOffload): starts web/compute_worker.js on first use, sends
// it jobs, and keeps each job's latest update until the app takes it, once per frame. Taking an update
// acknowledges it, which lets the job run ahead again (compute_worker.js). A worker that cannot start
// (no Worker, a missing file) fails its jobs with one sentence; the app then computes them itself.
// ?noworker (tests: the same step computed on the page's thread, to compare) switches it off.
Module.labCompute = { worker: null, next: 1, jobs: {},  // id -> { latest, current }
                      failed: typeof location !== 'undefined' && /[?&]noworker\b/.test(location.search) ? 'switched off (?noworker)' : '' };

// The settings come as numbers (core::projection_settings_numbers); `runs`: how many t-SNE runs.
Module.labComputeStart = function (xPtr, n, d, scalarBytes, numbersPtr, count, runs, labelsPtr) {
  var c = Module.labCompute;
  if (c.failed || typeof Worker === 'undefined') return 0;
  if (!c.worker) {
    try {
      c.worker = new Worker(Module['locateFile']('compute_worker.js', ''));
    } catch (e) {
      c.failed = 'the compute worker did not start (' + e.message + ')';
      return 0;
    }
    c.worker.onmessage = function (e) {
      var job = c.jobs[e.data.id];
      if (!job) return;
      // The PCA comes in one update only (the app copies it from the update it takes), and the worker
      // runs up to two updates ahead: when a frame is slower than the worker (a HiDPI canvas drawn in
      // software), the next update replaced the PCA's unread, and the PCA block showed
      // explained_variance_2 = 0 with a false ✗. An unread PCA goes on in its successor.
      if (job.latest && job.latest.pca && !e.data.pca) e.data.pca = job.latest.pca;
      job.latest = e.data;
    };
    c.worker.onerror = function (e) {
      c.failed = 'the compute worker stopped (' + (e.message || 'an error') + ')';
      Object.keys(c.jobs).forEach(function (id) { c.jobs[id].latest = { phase: -1, error: c.failed, y: [], kl: [], final_kl: [], quality: [] }; });
    };
  }
  var id = c.next++;
  var Type = scalarBytes === 8 ? Float64Array : Float32Array;
  var x = new Type(HEAPU8.slice(xPtr, xPtr + n * d * scalarBytes).buffer);
  var numbers = HEAPF64.slice(numbersPtr / 8, numbersPtr / 8 + count);
  var labels = HEAP32.slice(labelsPtr / 4, labelsPtr / 4 + n);
  c.jobs[id] = { latest: null, current: null };
  c.worker.postMessage({ type: 'start', id: id, x: x, n: n, d: d, runs: runs, numbers: numbers, labels: labels },
                       [x.buffer, numbers.buffer, labels.buffer]);
  return id;
};

// 1 when an update arrived since the last call (it becomes the current one), else 0.
Module.labComputePoll = function (id) {
  var c = Module.labCompute, job = c.jobs[id];
  if (!job || !job.latest) return 0;
  job.current = job.latest;
  job.latest = null;
  if (c.worker && job.current.phase >= 0) c.worker.postMessage({ type: 'ack', id: id });
  return 1;
};

// Numbers of the current update: 'phase', 'fraction', 'busy_ms', 'iteration', 'runs', 'n', 'd', 'final_kl' (run r),
// 'kl_count' (run r), 'pca_components', 'pca_total_variance', 'quality_count', 'quality0' ..
// 'quality2' (picture r: trustworthiness, k-NN accuracy, input k-NN accuracy).
Module.labComputeNumber = function (id, key, r) {
  var u = Module.labCompute.jobs[id] && Module.labCompute.jobs[id].current;
  if (!u) return 0;
  if (key === 'final_kl') return u.final_kl[r];
  if (key === 'kl_count') return u.kl[r] && u.kl[r].length ? u.kl[r][0].length : 0;
  if (key === 'pca_components') return u.pca ? u.pca.components : 0;
  if (key === 'pca_total_variance') return u.pca ? u.pca.total_variance : 0;
  if (key === 'quality_count') return u.quality ? u.quality.length : 0;
  if (key.indexOf('quality') === 0) return u.quality[r][Number(key.slice(7))];
  return u[key] || 0;
};

// Its text ('stage', 'error'), staged for C++ (Module.labStage).
Module.labComputeText = function (id, key) {
  var u = Module.labCompute.jobs[id] && Module.labCompute.jobs[id].current;
  return Module.labStage(u ? u[key] : '');
};

// Copies an array of the current update into the heap at ptr (bytes: the size C++ allocated):
// 'y' (run r), 'kl_iteration' / 'kl_value' (run r), 'pca_mean', 'pca_axes', 'pca_variance',
// 'pca_variance_ratio', 'pca_x'. Returns the bytes copied.
Module.labComputeCopy = function (id, key, r, ptr, bytes) {
  var u = Module.labCompute.jobs[id] && Module.labCompute.jobs[id].current, a = null;
  if (!u) return 0;
  if (key === 'y') a = u.y[r];
  else if (key === 'kl_iteration' || key === 'kl_value') a = u.kl[r] && u.kl[r][key === 'kl_value' ? 1 : 0];
  else if (u.pca && key.indexOf('pca_') === 0) a = u.pca[key.slice(4)];
  if (!a) return 0;
  var src = new Uint8Array(a.buffer, a.byteOffset, Math.min(a.byteLength, bytes));
  HEAPU8.set(src, ptr);
  return src.length;
};

Module.labComputeStop = function (id) {
  var c = Module.labCompute;
  delete c.jobs[id];
  if (c.worker) c.worker.postMessage({ type: 'stop', id: id });
};
