// The page's compute worker (web/compute_worker.js runs this, built as compute.js/.wasm): core's
// projection job (core/embed/projection_job.h: PCA, t-SNE, the pictures' quality) in a WebAssembly
// instance of its own, on a Web Worker's thread, so a big projection gets a core to itself instead of
// the share of each frame the FrameBudget leaves it (runtime/session.h). The block that asked
// (runtime/blocks/projection.h, ProjectionOffload) gets what it would have computed in its own
// slices: the same job on the same input in the same build (SIMD or not), so the same bits
// (tests/browser/assets.mjs compares). cw_run(id, ms) works on a job for about ms milliseconds; the
// JavaScript reads the results through the cw_* accessors.
#include <emscripten.h>

#include <cmath>
#include <map>
#include <memory>
#include <vector>

#include "core/embed/projection_job.h"

namespace {

using namespace lab::core;

struct Job {
  Mat x;              // the data, as the page sent it (the job keeps a pointer to it)
  ProjectionJob job;
};

std::map<int, std::unique_ptr<Job>>& jobs() {
  static std::map<int, std::unique_ptr<Job>> j;
  return j;
}

ProjectionJob* find(int id) {
  auto it = jobs().find(id);
  return it == jobs().end() ? nullptr : &it->second->job;
}

}  // namespace

extern "C" {

// A new job: x is (n, d) in column-major order (Eigen's); the settings as numbers
// (core::projection_settings_numbers) and the labels (n) apart. Returns the job's phase (6: core
// refused the input, cw_error says why).
EMSCRIPTEN_KEEPALIVE int cw_begin(int id, const Scalar* x, int n, int d, const double* numbers, int count,
                                  const int32_t* labels) {
  ProjectionJobSettings s = projection_settings_from_numbers({numbers, size_t(count)});
  s.labels.assign(labels, labels + n);
  auto j = std::make_unique<Job>();
  j->x = Eigen::Map<const Mat>(x, n, d);
  projection_job_begin(j->job, j->x, std::move(s));
  const int phase = int(j->job.phase);
  jobs()[id] = std::move(j);
  return phase;
}

// Works on job `id` for about `ms` milliseconds (at least one piece); returns its phase.
EMSCRIPTEN_KEEPALIVE int cw_run(int id, double ms) {
  ProjectionJob* j = find(id);
  if (!j) return -1;
  projection_job_step(*j, ms);
  return int(j->phase);
}

EMSCRIPTEN_KEEPALIVE void cw_end(int id) { jobs().erase(id); }

// Accessors (nullptr / 0 where the job has no such thing yet).
EMSCRIPTEN_KEEPALIVE const char* cw_error(int id) { return find(id) ? find(id)->error.message.c_str() : "no such job"; }
EMSCRIPTEN_KEEPALIVE const char* cw_stage(int id) { return find(id) ? find(id)->stage.c_str() : ""; }
EMSCRIPTEN_KEEPALIVE int cw_stage_run(int id) { return find(id) ? find(id)->stage_run : 0; }
EMSCRIPTEN_KEEPALIVE double cw_fraction(int id) { return find(id) ? find(id)->fraction : 0; }
EMSCRIPTEN_KEEPALIVE int cw_iteration(int id) {
  ProjectionJob* j = find(id);
  return j && !j->runs.empty() ? j->runs[0].iteration : 0;
}
// Run r's layout, (n, 2) doubles, column-major, once every run is initialised.
EMSCRIPTEN_KEEPALIVE const double* cw_y(int id, int r) {
  ProjectionJob* j = find(id);
  return j && j->phase >= ProjectionPhase::Iterating && r < int(j->runs.size()) ? j->runs[size_t(r)].y.data() : nullptr;
}
EMSCRIPTEN_KEEPALIVE int cw_kl_count(int id, int r) {
  ProjectionJob* j = find(id);
  return j && r < int(j->kl_value.size()) ? int(j->kl_value[size_t(r)].size()) : 0;
}
EMSCRIPTEN_KEEPALIVE const float* cw_kl_iteration(int id, int r) { return find(id)->kl_iteration[size_t(r)].data(); }
EMSCRIPTEN_KEEPALIVE const float* cw_kl_value(int id, int r) { return find(id)->kl_value[size_t(r)].data(); }
EMSCRIPTEN_KEEPALIVE double cw_final_kl(int id, int r) {
  ProjectionJob* j = find(id);
  return j && r < int(j->final_kl.size()) ? j->final_kl[size_t(r)] : NAN;
}
// Picture r's quality once measured (phase Done): which = 0 trustworthiness, 1 k-NN accuracy,
// 2 k-NN accuracy in the input space.
EMSCRIPTEN_KEEPALIVE int cw_quality_count(int id) {
  ProjectionJob* j = find(id);
  return j && j->phase == ProjectionPhase::Done ? int(j->quality.size()) : 0;
}
EMSCRIPTEN_KEEPALIVE double cw_quality(int id, int r, int which) {
  const LayoutQualityJob& q = find(id)->quality[size_t(r)];
  return which == 0 ? q.trustworthiness : which == 1 ? q.knn_accuracy : q.knn_accuracy_input;
}
// The PCA, once projected (phase > Pca): its sizes, then its arrays (column-major).
EMSCRIPTEN_KEEPALIVE int cw_pca_components(int id) {
  ProjectionJob* j = find(id);
  return j && j->phase > ProjectionPhase::Pca && j->settings.components > 0 ? int(j->pca.axes.cols()) : 0;
}
EMSCRIPTEN_KEEPALIVE double cw_pca_total_variance(int id) { return find(id)->pca.total_variance; }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_mean(int id) { return find(id)->pca.mean.data(); }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_axes(int id) { return find(id)->pca.axes.data(); }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_variance(int id) { return find(id)->pca.explained_variance.data(); }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_variance_ratio(int id) { return find(id)->pca.explained_variance_ratio.data(); }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_x(int id) { return find(id)->pca_x.data(); }
EMSCRIPTEN_KEEPALIVE int cw_scalar_bytes() { return int(sizeof(Scalar)); }

}  // extern "C"
