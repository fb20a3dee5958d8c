// EmbedLab's compute worker (a classic Web Worker, started by web/compute_client.js): runs projection
// jobs (core/embed/projection_job.h, through src/platform/compute_worker.cpp: compute.js/.wasm, from the
// same build as the page's index.js) and posts their progress back. Messages in:
//   { type: 'start', id, x (Float32Array or Float64Array, column-major), n, d, runs (t-SNE runs),
//     numbers (Float64Array: the settings, core::projection_settings_numbers), labels (Int32Array) }
//   { type: 'ack', id }    the page took the last update: the job may run ahead again
//   { type: 'stop', id }   the experiment is gone
// Messages out: { type: 'update', id, phase (core's ProjectionPhase as a number; -1: the worker failed),
//   stage, stage_run, fraction, busy_ms (its computing time so far), iteration, y: [Float64Array per run],
//   kl: [[iterations, values] per run], final_kl, pca (once, when projected), quality (at the end:
//   [trustworthiness, k-NN accuracy, input k-NN accuracy] per picture), error }.
// A job runs at most two updates ahead of what the page has taken, so a paused or hidden experiment
// stops using the processor, and jobs share the worker in turns of ~40 ms.
'use strict';
var version = self.location.search;  // ?v=<cache id>: the page's build
var mod = null, failed = '';
var jobs = {};  // id -> { msg, started, ahead, pcaSent }
var SLICE_MS = 40, AHEAD = 2;

function post(m, transfer) { self.postMessage(m, transfer || []); }

function copy(ptr, count, Type) {
  if (!ptr || count <= 0) return new Type(0);
  var heap = Type === Float64Array ? mod.HEAPF64 : mod.HEAPF32;
  return heap.slice(ptr / Type.BYTES_PER_ELEMENT, ptr / Type.BYTES_PER_ELEMENT + count);
}

function start(job) {
  var m = job.msg, bytes = m.x.byteLength;
  var xp = mod._malloc(bytes), pp = mod._malloc(m.numbers.byteLength), lp = mod._malloc(4 * m.n || 4);
  mod.HEAPU8.set(new Uint8Array(m.x.buffer, m.x.byteOffset, bytes), xp);
  mod.HEAPU8.set(new Uint8Array(m.numbers.buffer, m.numbers.byteOffset, m.numbers.byteLength), pp);
  mod.HEAPU8.set(new Uint8Array(m.labels.buffer, m.labels.byteOffset, m.labels.byteLength), lp);
  var phase = mod._cw_begin(m.id, xp, m.n, m.d, pp, m.numbers.length, lp);
  mod._free(xp);
  mod._free(pp);
  mod._free(lp);
  job.started = true;
  m.x = null;
  return phase;
}

function update(id, job, phase) {
  var n = job.msg.n, Scalar = mod._cw_scalar_bytes() === 8 ? Float64Array : Float32Array;
  var u = { type: 'update', id: id, runs: job.msg.runs, n: n, d: job.msg.d, phase: phase, stage: mod.UTF8ToString(mod._cw_stage(id)),
            stage_run: mod._cw_stage_run(id), busy_ms: job.busy,
            fraction: mod._cw_fraction(id), iteration: mod._cw_iteration(id), y: [], kl: [], final_kl: [],
            quality: [], error: phase < 0 || phase === 6 ? mod.UTF8ToString(mod._cw_error(id)) : '' };
  for (var q = 0; q < mod._cw_quality_count(id); ++q)
    u.quality.push([mod._cw_quality(id, q, 0), mod._cw_quality(id, q, 1), mod._cw_quality(id, q, 2)]);
  var transfer = [];
  for (var r = 0; r < job.msg.runs; ++r) {
    var y = copy(mod._cw_y(id, r), 2 * n, Float64Array), c = mod._cw_kl_count(id, r);
    u.y.push(y);
    transfer.push(y.buffer);
    u.kl.push(c ? [copy(mod._cw_kl_iteration(id, r), c, Float32Array), copy(mod._cw_kl_value(id, r), c, Float32Array)] : []);
    u.final_kl.push(mod._cw_final_kl(id, r));
  }
  var comps = mod._cw_pca_components(id);
  if (comps > 0 && !job.pcaSent) {
    var d = job.msg.d;
    u.pca = { components: comps, total_variance: mod._cw_pca_total_variance(id),
              mean: copy(mod._cw_pca_mean(id), d, Scalar), axes: copy(mod._cw_pca_axes(id), d * comps, Scalar),
              variance: copy(mod._cw_pca_variance(id), comps, Scalar),
              variance_ratio: copy(mod._cw_pca_variance_ratio(id), comps, Scalar),
              x: copy(mod._cw_pca_x(id), n * comps, Scalar) };
    transfer.push(u.pca.x.buffer, u.pca.axes.buffer);
    job.pcaSent = true;
  }
  post(u, transfer);
}

var scheduled = false;
function schedule() {
  if (!scheduled) { scheduled = true; setTimeout(pump, 0); }
}

// One turn: the next job that may run works for SLICE_MS and posts an update.
var turn = 0;
function pump() {
  scheduled = false;
  if (!mod) return;
  var ids = Object.keys(jobs).filter(function (k) { return jobs[k].ahead < AHEAD; });
  if (!ids.length) return;
  var id = Number(ids[turn++ % ids.length]), job = jobs[id];
  var t = performance.now();
  var phase = job.started ? -2 : start(job);
  if (phase !== 6) phase = mod._cw_run(id, SLICE_MS);  // 6: core refused the input
  job.busy += performance.now() - t;
  job.ahead++;
  update(id, job, phase);
  if (phase < 0 || phase >= 5) {  // failed, done, or core refused the input
    mod._cw_end(id);
    delete jobs[id];
  }
  schedule();
}

self.onmessage = function (e) {
  var m = e.data;
  if (m.type === 'start') {
    if (failed) { post({ type: 'update', id: m.id, phase: -1, error: failed }); return; }
    jobs[m.id] = { msg: m, started: false, ahead: 0, pcaSent: false, busy: 0 };
  } else if (m.type === 'ack' && jobs[m.id]) {
    jobs[m.id].ahead = 0;
  } else if (m.type === 'stop' && jobs[m.id]) {
    if (jobs[m.id].started && mod) mod._cw_end(m.id);
    delete jobs[m.id];
  }
  schedule();
};

try {
  importScripts('compute.js' + version);
  createLabCompute({ locateFile: function (f) { return f + version; } }).then(function (m) {
    mod = m;
    schedule();
  }, function (e) { fatal('compute.wasm did not start (' + (e && e.message || e) + ')'); });
} catch (e) {
  fatal('compute.js did not load (' + (e && e.message || e) + ')');
}

function fatal(why) {
  failed = why;
  Object.keys(jobs).forEach(function (id) { post({ type: 'update', id: Number(id), phase: -1, error: why }); });
  jobs = {};
}
