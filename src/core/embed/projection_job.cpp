#include "core/embed/projection_job.h"

#include <algorithm>
#include <chrono>

namespace lab::core {

namespace {

void fail(ProjectionJob& j, Status st) {
  j.phase = ProjectionPhase::Error;
  j.error = std::move(st);
}

// The pictures are final: measure each (every run's, then PCA's first two components).
void start_quality(ProjectionJob& j) {
  std::vector<Mat> layouts;
  for (const TsneState& s : j.runs) layouts.push_back(tsne_embedding(s));
  if (j.settings.components > 0) layouts.push_back(j.pca_x.leftCols(2));
  j.quality.resize(layouts.size());
  for (size_t r = 0; r < layouts.size(); ++r)
    if (Status st = layout_quality_begin(j.quality[r], j.input(), layouts[r], j.settings.labels, j.settings.k_trust,
                                         j.settings.k_vote);
        !st)
      return fail(j, std::move(st));
  j.phase = ProjectionPhase::Quality;
}

// Every run's initialisation starts (on the components, or on x).
void start_tsne(ProjectionJob& j) {
  const size_t n = j.settings.runs.size();
  j.runs.assign(n, TsneState{});
  j.kl_iteration.assign(n, {});
  j.kl_value.assign(n, {});
  for (size_t r = 0; r < n; ++r)
    if (Status st = tsne_init_begin(j.runs[r], j.input(), j.settings.runs[r]); !st) return fail(j, std::move(st));
  if (n == 0) return start_quality(j);
  j.phase = ProjectionPhase::TsneInit;
}

void pca_piece(ProjectionJob& j) {
  const Mat& x = *j.x;
  if (!j.pca_job.done()) {
    j.stage = "covariance";
    j.fraction = j.pca_job.progress(x.rows());
    if (!pca_fit_continue(x, j.pca, j.pca_job)) return;
    if (!j.pca_job.status) return fail(j, j.pca_job.status);
    j.pca_x.resize(x.rows(), j.pca.axes.cols());
    j.pca_rows = 0;
    return;
  }
  // The projection, a block of rows at a time (10,000 images of 784 pixels take seconds in one go).
  j.stage = "projecting the points";
  j.fraction = double(j.pca_rows) / double(std::max<Index>(1, x.rows()));
  const Index end = std::min<Index>(
      x.rows(), j.pca_rows + std::max<Index>(1, Index(kPcaPieceWork / double(x.cols() * j.pca.axes.cols()))));
  pca_transform_rows(j.pca, x, j.pca_rows, end, j.pca_x);
  j.pca_rows = end;
  if (end == x.rows()) start_tsne(j);
}

void piece(ProjectionJob& j) {
  switch (j.phase) {
    case ProjectionPhase::Pca:
      return pca_piece(j);
    case ProjectionPhase::TsneInit:
      for (size_t r = 0; r < j.runs.size(); ++r) {
        if (tsne_init_done(j.runs[r])) continue;
        const TsneInitProgress p = tsne_init_progress(j.runs[r]);
        j.stage = std::string(p.stage);
        j.stage_run = int(r);
        j.fraction = p.fraction;
        if (Status st = tsne_init_step(j.runs[r], 0); !st) fail(j, std::move(st));
        return;
      }
      j.phase = ProjectionPhase::Iterating;
      return;
    case ProjectionPhase::Iterating:
      for (size_t r = 0; r < j.runs.size(); ++r) {
        const TsneStepStats s = tsne_step(j.runs[r]);
        if (s.kl_computed) {
          j.kl_iteration[r].push_back(float(s.iteration - 1));
          j.kl_value[r].push_back(float(s.kl));
        }
      }
      j.stage = "iterating";
      j.fraction = double(j.runs[0].iteration) / double(std::max(1, j.settings.iterations));
      if (j.runs[0].iteration >= j.settings.iterations) j.phase = ProjectionPhase::Kl;
      return;
    case ProjectionPhase::Kl: {
      const size_t r = j.final_kl.size();
      j.stage = "the exact KL of the picture";
      j.fraction = double(r) / double(j.runs.size());
      if (!tsne_kl_step(j.runs[r], j.kl_job)) return;
      j.final_kl.push_back(j.kl_job.kl);
      j.kl_job = TsneKlJob{};
      if (j.final_kl.size() == j.runs.size()) start_quality(j);
      return;
    }
    case ProjectionPhase::Quality:
      for (size_t r = 0; r < j.quality.size(); ++r) {
        LayoutQualityJob& q = j.quality[r];
        if (q.done()) continue;
        j.stage = "measuring the picture (trustworthiness, k-NN accuracy)";
        j.fraction = (double(r) + q.progress()) / double(j.quality.size());
        layout_quality_step(q, 0);
        return;
      }
      j.phase = ProjectionPhase::Done;
      return;
    case ProjectionPhase::Done:
    case ProjectionPhase::Error:
      return;
  }
}

}  // namespace

namespace {
constexpr size_t kHead = 6, kPerRun = 6;  // the numbers before the runs; the numbers of each run
}  // namespace

std::vector<double> projection_settings_numbers(const ProjectionJobSettings& s) {
  std::vector<double> v = {double(s.components), s.tsne_of_pca ? 1.0 : 0.0, double(s.iterations),
                           double(s.k_trust),    double(s.k_vote),          double(s.runs.size())};
  for (const TsneParams& p : s.runs)
    v.insert(v.end(), {double(p.seed), p.perplexity, p.learning_rate, p.init == TsneInit::Pca ? 0.0 : 1.0,
                       double(p.kl_every), double(p.exact_max_n)});
  return v;
}

ProjectionJobSettings projection_settings_from_numbers(std::span<const double> v) {
  ProjectionJobSettings s;
  if (v.size() < kHead) return s;
  s.components = int(v[0]);
  s.tsne_of_pca = v[1] != 0;
  s.iterations = int(v[2]);
  s.k_trust = int(v[3]);
  s.k_vote = int(v[4]);
  const size_t runs = std::min(size_t(v[5]), (v.size() - kHead) / kPerRun);
  for (size_t r = 0; r < runs; ++r) {
    const double* q = v.data() + kHead + kPerRun * r;
    TsneParams p;
    p.iterations = s.iterations;
    p.seed = uint64_t(q[0]);
    p.perplexity = q[1];
    p.learning_rate = q[2];
    p.init = q[3] == 0 ? TsneInit::Pca : TsneInit::Random;
    p.kl_every = int(q[4]);
    p.exact_max_n = int(q[5]);
    s.runs.push_back(p);
  }
  return s;
}

Status projection_job_begin(ProjectionJob& job, const Mat& x, ProjectionJobSettings settings) {
  job = ProjectionJob{};
  job.settings = std::move(settings);
  job.x = &x;
  job.phase = ProjectionPhase::Pca;
  if (job.settings.components > 0) {
    if (Status st = pca_fit_begin(x, job.settings.components, job.pca_job); !st) fail(job, std::move(st));
  } else {
    start_tsne(job);
  }
  return job.error;
}

void projection_job_step(ProjectionJob& job, double budget_ms) {
  const auto start = std::chrono::steady_clock::now();
  do {
    piece(job);
  } while (!job.done() &&
           std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() < budget_ms);
}

}  // namespace lab::core
