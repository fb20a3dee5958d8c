// The page's compute worker (web/compute_worker.js runs this, built as compute.js/.wasm): core's PCA
// and t-SNE in a WebAssembly instance of their own, on a Web Worker's thread, so a big projection gets
// a core to itself instead of the share of each frame the FrameBudget leaves it (runtime/session.h).
// The experiment that asked (runtime/blocks/projection.cpp, ProjectionOffload) gets the same results
// as when it computes in its own slices: the same core functions, called in the same order, on the
// same input, in the same build (SIMD or not) — the same bits (tests/browser/assets.mjs compares).
//
// A job: optional PCA of x (fit, then the projection onto its axes), then one or two t-SNE runs of the
// result (or of x) in lockstep, `iterations` steps, then each run's exact KL, then the quality of each
// picture (t-SNE's, then PCA's own: trustworthiness, k-NN accuracy). cw_run(id, ms) works on it for
// about ms milliseconds; the JavaScript reads the results through the cw_* accessors.
#include <emscripten.h>

#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/embed/pca.h"
#include "core/embed/quality.h"
#include "core/embed/tsne.h"

namespace {

using namespace lab::core;

// As runtime/blocks/projection.h's OffloadPhase (kError: core refused the input; its message is the
// student's. kFailed is the worker's own failure: the page then computes on its thread).
enum Phase { kFailed = -1, kPca = 0, kTsneInit = 1, kIterating = 2, kKl = 3, kQuality = 4, kDone = 5, kError = 6 };

struct Job {
  Mat x;                                  // (N, D) as the experiment sent it
  int components = 0;                     // PCA components (0: none)
  std::vector<TsneParams> params;         // one per run (empty: PCA only)
  int iterations = 0;
  bool tsne_of_pca = false;               // t-SNE (and the quality measures) work on pca_x, not x
  std::vector<int32_t> labels;            // quality: each point's group
  int k_trust = 0, k_vote = 0;
  Phase phase = kPca;
  PcaJob pca_job;
  Pca pca;
  Mat pca_x;                              // (N, components) x on the PCA axes
  Index pca_rows = 0;
  std::vector<TsneState> runs;
  std::vector<std::vector<float>> kl_iteration, kl_value;  // each run's KL curve (every kl_every)
  std::vector<double> final_kl;           // each run's exact KL at the end
  TsneKlJob kl_job;
  std::vector<LayoutQualityJob> quality;  // t-SNE's pictures, then PCA's (when there is a PCA)
  std::string error, stage;
  double fraction = 0;
};

std::map<int, std::unique_ptr<Job>>& jobs() {
  static std::map<int, std::unique_ptr<Job>> j;
  return j;
}

Job* find(int id) {
  auto it = jobs().find(id);
  return it == jobs().end() ? nullptr : it->second.get();
}

void fail(Job& j, const Status& st) {
  j.phase = kError;
  j.error = st.message;
}

const Mat& input(const Job& j) { return j.tsne_of_pca ? j.pca_x : j.x; }

// The pictures are final: measure each, as ProjectionExperiment's start_quality does.
void start_quality(Job& j) {
  std::vector<Mat> layouts;
  for (const TsneState& s : j.runs) layouts.push_back(s.y.cast<Scalar>());
  if (j.components > 0) layouts.push_back(j.pca_x.leftCols(2));
  j.quality.resize(layouts.size());
  for (size_t r = 0; r < layouts.size(); ++r)
    if (Status st = layout_quality_begin(j.quality[r], input(j), layouts[r], j.labels, j.k_trust, j.k_vote); !st)
      return fail(j, st);
  j.phase = kQuality;
}

// t-SNE of the PCA coordinates (or of x): start every run's initialisation.
void start_tsne(Job& j) {
  j.runs.resize(j.params.size());
  j.kl_iteration.assign(j.params.size(), {});
  j.kl_value.assign(j.params.size(), {});
  for (size_t r = 0; r < j.params.size(); ++r)
    if (Status st = tsne_init_begin(j.runs[r], input(j), j.params[r]); !st) return fail(j, st);
  if (j.params.empty()) return start_quality(j);
  j.phase = kTsneInit;
}

// One piece of work; the same pieces, in the same order, as ProjectionExperiment::step.
void piece(Job& j) {
  switch (j.phase) {
    case kPca:
      if (!j.pca_job.done()) {
        j.stage = "covariance";
        j.fraction = j.pca_job.progress(j.x.rows());
        if (!pca_fit_continue(j.x, j.pca, j.pca_job)) return;
        if (!j.pca_job.status) return fail(j, j.pca_job.status);
        j.pca_x.resize(j.x.rows(), j.pca.axes.cols());
        j.pca_rows = 0;
        return;
      } else {
        j.stage = "projecting the points";
        j.fraction = double(j.pca_rows) / double(std::max<Index>(1, j.x.rows()));
        const Index end = std::min<Index>(
            j.x.rows(), j.pca_rows + std::max<Index>(1, Index(kPcaPieceWork / double(j.x.cols() * j.pca.axes.cols()))));
        pca_transform_rows(j.pca, j.x, j.pca_rows, end, j.pca_x);
        j.pca_rows = end;
        if (end == j.x.rows()) start_tsne(j);
        return;
      }
    case kTsneInit:
      for (size_t r = 0; r < j.runs.size(); ++r) {
        if (tsne_init_done(j.runs[r])) continue;
        const TsneInitProgress p = tsne_init_progress(j.runs[r]);
        j.stage = std::string(p.stage) + (r > 0 ? " (second seed)" : "");
        j.fraction = p.fraction;
        if (Status st = tsne_init_step(j.runs[r], 20); !st) fail(j, st);
        return;
      }
      j.phase = kIterating;
      return;
    case kIterating:
      for (size_t r = 0; r < j.runs.size(); ++r) {
        const TsneStepStats s = tsne_step(j.runs[r]);
        if (s.kl_computed) {
          j.kl_iteration[r].push_back(float(s.iteration - 1));
          j.kl_value[r].push_back(float(s.kl));
        }
      }
      if (j.runs[0].iteration >= j.iterations) j.phase = kKl;
      return;
    case kKl: {
      const size_t r = j.final_kl.size();
      j.stage = "exact KL";
      if (!tsne_kl_step(j.runs[r], j.kl_job)) return;
      j.final_kl.push_back(j.kl_job.kl);
      j.kl_job = TsneKlJob{};
      if (j.final_kl.size() == j.runs.size()) start_quality(j);
      return;
    }
    case kQuality:
      for (size_t r = 0; r < j.quality.size(); ++r) {
        LayoutQualityJob& q = j.quality[r];
        if (q.done()) continue;
        j.stage = "measuring the picture (trustworthiness, k-NN accuracy)";
        j.fraction = (double(r) + q.progress()) / double(j.quality.size());
        layout_quality_step(q, 20);
        return;
      }
      j.phase = kDone;
      return;
    case kDone:
    case kFailed:
    case kError:
      return;
  }
}

}  // namespace

extern "C" {

// A new job: x is (n, d) in column-major order (Eigen's), `params` holds per run: seed, perplexity,
// learning rate, init (0 PCA, 1 random), kl_every, exact_max_n — the settings the experiment chose;
// the rest are core's defaults on both sides. labels (n) and the neighbours k_trust, k_vote are for
// the quality measures. Returns 0, or -1 with cw_error set.
EMSCRIPTEN_KEEPALIVE int cw_begin(int id, const Scalar* x, int n, int d, int components, int tsne_of_pca, int runs,
                                  const double* params, int iterations, const int32_t* labels, int k_trust, int k_vote) {
  auto j = std::make_unique<Job>();
  j->x = Eigen::Map<const Mat>(x, n, d);
  j->components = components;
  j->tsne_of_pca = tsne_of_pca != 0;
  j->iterations = iterations;
  j->labels.assign(labels, labels + n);
  j->k_trust = k_trust;
  j->k_vote = k_vote;
  for (int r = 0; r < runs; ++r) {
    const double* q = params + 6 * r;
    TsneParams p;
    p.seed = uint64_t(q[0]);
    p.perplexity = q[1];
    p.learning_rate = q[2];
    p.init = q[3] == 0 ? TsneInit::Pca : TsneInit::Random;
    p.kl_every = int(q[4]);
    p.exact_max_n = int(q[5]);
    p.iterations = iterations;
    j->params.push_back(p);
  }
  Job& job = *j;
  jobs()[id] = std::move(j);
  if (components > 0) {
    if (Status st = pca_fit_begin(job.x, components, job.pca_job); !st) fail(job, st);
  } else {
    start_tsne(job);
  }
  return job.phase == kError ? -1 : 0;
}

// Works on job `id` for about `ms` milliseconds (at least one piece); returns its phase.
EMSCRIPTEN_KEEPALIVE int cw_run(int id, double ms) {
  Job* j = find(id);
  if (!j) return kFailed;
  const auto start = std::chrono::steady_clock::now();
  do {
    piece(*j);
  } while (j->phase != kDone && j->phase != kError &&
           std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() < ms);
  return j->phase;
}

EMSCRIPTEN_KEEPALIVE void cw_end(int id) { jobs().erase(id); }

// Accessors (nullptr / 0 where the job has no such thing yet).
EMSCRIPTEN_KEEPALIVE const char* cw_error(int id) { return find(id) ? find(id)->error.c_str() : "no such job"; }
EMSCRIPTEN_KEEPALIVE const char* cw_stage(int id) { return find(id) ? find(id)->stage.c_str() : ""; }
EMSCRIPTEN_KEEPALIVE double cw_fraction(int id) { return find(id) ? find(id)->fraction : 0; }
EMSCRIPTEN_KEEPALIVE int cw_iteration(int id) {
  Job* j = find(id);
  return j && !j->runs.empty() ? j->runs[0].iteration : 0;
}
// Run r's layout, (n, 2) doubles, column-major.
EMSCRIPTEN_KEEPALIVE const double* cw_y(int id, int r) {
  Job* j = find(id);
  return j && r < int(j->runs.size()) && j->runs[size_t(r)].y.size() ? j->runs[size_t(r)].y.data() : nullptr;
}
EMSCRIPTEN_KEEPALIVE int cw_kl_count(int id, int r) {
  Job* j = find(id);
  return j && r < int(j->kl_value.size()) ? int(j->kl_value[size_t(r)].size()) : 0;
}
EMSCRIPTEN_KEEPALIVE const float* cw_kl_iteration(int id, int r) { return find(id)->kl_iteration[size_t(r)].data(); }
EMSCRIPTEN_KEEPALIVE const float* cw_kl_value(int id, int r) { return find(id)->kl_value[size_t(r)].data(); }
EMSCRIPTEN_KEEPALIVE double cw_final_kl(int id, int r) {
  Job* j = find(id);
  return j && r < int(j->final_kl.size()) ? j->final_kl[size_t(r)] : NAN;
}
// Picture r's quality once measured (phase kDone): which = 0 trustworthiness, 1 k-NN accuracy,
// 2 k-NN accuracy in the input space.
EMSCRIPTEN_KEEPALIVE int cw_quality_count(int id) {
  Job* j = find(id);
  return j && j->phase == kDone ? int(j->quality.size()) : 0;
}
EMSCRIPTEN_KEEPALIVE double cw_quality(int id, int r, int which) {
  const LayoutQualityJob& q = find(id)->quality[size_t(r)];
  return which == 0 ? q.trustworthiness : which == 1 ? q.knn_accuracy : q.knn_accuracy_input;
}
// The PCA, once projected (phase > kPca): its sizes, then its arrays (column-major).
EMSCRIPTEN_KEEPALIVE int cw_pca_components(int id) {
  Job* j = find(id);
  return j && j->phase != kPca && j->components > 0 ? int(j->pca.axes.cols()) : 0;
}
EMSCRIPTEN_KEEPALIVE double cw_pca_total_variance(int id) { return find(id)->pca.total_variance; }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_mean(int id) { return find(id)->pca.mean.data(); }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_axes(int id) { return find(id)->pca.axes.data(); }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_variance(int id) { return find(id)->pca.explained_variance.data(); }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_variance_ratio(int id) { return find(id)->pca.explained_variance_ratio.data(); }
EMSCRIPTEN_KEEPALIVE const Scalar* cw_pca_x(int id) { return find(id)->pca_x.data(); }
EMSCRIPTEN_KEEPALIVE int cw_scalar_bytes() { return int(sizeof(Scalar)); }

}  // extern "C"
