// Web: big projections computed on a Web Worker (runtime/blocks/projection.h, ProjectionOffload). The
// jobs (core/embed/projection_job.h) go to web/compute_client.js, which runs web/compute_worker.js
// (compute_worker.cpp in a WebAssembly instance of its own) and keeps each job's latest update; poll()
// copies it in, once a frame.
#include <emscripten.h>

#include <cmath>
#include <string>
#include <vector>

#include "platform/platform.h"
#include "runtime/blocks/projection.h"

namespace lab::platform {

namespace {

using core::Index;

double number(int id, const char* key, int r = 0) {
  return EM_ASM_DOUBLE({ return Module.labComputeNumber($0, UTF8ToString($1), $2); }, id, key, r);
}

std::string text(int id, const char* key) {
  const int len = EM_ASM_INT({ return Module.labComputeText($0, UTF8ToString($1)); }, id, key);
  std::string s(size_t(len), '\0');
  if (len > 0) EM_ASM({ Module.labCopyStaged($0, $1); }, s.data(), len);
  return s;
}

// Copies array `key` (run r) of the current update into `dst` (sized by the caller); false if the
// update had fewer bytes (the caller then keeps what it had).
bool copy(int id, const char* key, int r, void* dst, size_t bytes) {
  if (bytes == 0) return true;
  const int got = EM_ASM_INT({ return Module.labComputeCopy($0, UTF8ToString($1), $2, $3, $4); }, id, key, r, dst, int(bytes));
  return size_t(got) == bytes;
}

int start(const core::Mat& x, const core::ProjectionJobSettings& s) {
  const std::vector<double> numbers = core::projection_settings_numbers(s);
  std::vector<int32_t> labels = s.labels;
  labels.resize(size_t(x.rows()), 0);
  return EM_ASM_INT({ return Module.labComputeStart($0, $1, $2, $3, $4, $5, $6, $7); }, x.data(), int(x.rows()),
                    int(x.cols()), int(sizeof(core::Scalar)), numbers.data(), int(numbers.size()), int(s.runs.size()),
                    labels.data());
}

bool poll(int id, runtime::ProjectionNews& news) {
  if (!EM_ASM_INT({ return Module.labComputePoll($0); }, id)) return false;
  const int phase = int(number(id, "phase"));
  news.worker_failed = phase < 0;
  news.error = text(id, "error");
  if (news.worker_failed) {
    if (news.error.empty()) news.error = "the compute worker failed";
    return true;
  }
  news.phase = core::ProjectionPhase(phase);
  if (news.phase == core::ProjectionPhase::Error) return true;
  news.stage = text(id, "stage");
  news.stage_run = int(number(id, "stage_run"));
  news.fraction = number(id, "fraction");
  news.worker_ms = number(id, "busy_ms");
  news.iteration = int(number(id, "iteration"));
  const int runs = int(number(id, "runs")), n = int(number(id, "n"));
  news.y.assign(size_t(runs), core::MatD{});
  news.kl_iteration.resize(size_t(runs));
  news.kl_value.resize(size_t(runs));
  news.final_kl.assign(size_t(runs), -1);
  for (int r = 0; r < runs; ++r) {
    core::MatD y(n, 2);
    if (copy(id, "y", r, y.data(), sizeof(double) * size_t(y.size()))) news.y[size_t(r)] = std::move(y);
    const int k = int(number(id, "kl_count", r));
    news.kl_iteration[size_t(r)].resize(size_t(k));
    news.kl_value[size_t(r)].resize(size_t(k));
    copy(id, "kl_iteration", r, news.kl_iteration[size_t(r)].data(), sizeof(float) * size_t(k));
    copy(id, "kl_value", r, news.kl_value[size_t(r)].data(), sizeof(float) * size_t(k));
    const double kl = number(id, "final_kl", r);
    if (std::isfinite(kl)) news.final_kl[size_t(r)] = kl;
  }
  news.quality.resize(size_t(number(id, "quality_count")));
  for (size_t q = 0; q < news.quality.size(); ++q)
    for (int k = 0; k < 3; ++k) news.quality[q][size_t(k)] = number(id, ("quality" + std::to_string(k)).c_str(), int(q));
  const int comps = int(number(id, "pca_components"));
  if (comps > 0 && !news.has_pca && !news.pca_taken) {
    const int d = int(number(id, "d"));
    core::Pca& p = news.pca;
    p.components = comps;
    p.total_variance = number(id, "pca_total_variance");
    p.mean.resize(d);
    p.axes.resize(d, comps);
    p.explained_variance.resize(comps);
    p.explained_variance_ratio.resize(comps);
    news.pca_x.resize(n, comps);
    const size_t s = sizeof(core::Scalar);
    news.has_pca = copy(id, "pca_mean", 0, p.mean.data(), s * size_t(d)) &&
                   copy(id, "pca_axes", 0, p.axes.data(), s * size_t(d) * size_t(comps)) &&
                   copy(id, "pca_variance", 0, p.explained_variance.data(), s * size_t(comps)) &&
                   copy(id, "pca_variance_ratio", 0, p.explained_variance_ratio.data(), s * size_t(comps)) &&
                   copy(id, "pca_x", 0, news.pca_x.data(), s * size_t(n) * size_t(comps));
    if (!news.has_pca) {
      news.worker_failed = true;
      news.error = "the compute worker sent an incomplete PCA";
    }
  }
  return true;
}

void stop(int id) { EM_ASM({ Module.labComputeStop($0); }, id); }

}  // namespace

runtime::ProjectionOffload projection_offload() { return {start, poll, stop}; }

}  // namespace lab::platform
