// core/embed/projection_job.h: the projection block's computation (PCA, t-SNE runs, KL, the pictures'
// quality) gives what the separate core functions give, whatever the slices, and says why it stops.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/embed/pca.h"
#include "core/embed/projection_job.h"
#include "core/embed/quality.h"
#include "core/embed/tsne.h"
#include "core/rng.h"

using namespace lab::core;

namespace {

// Four Gaussian clusters in 12-D, 60 points each; labels 0..3.
Mat clusters(std::vector<int32_t>& labels) {
  Rng rng(7);
  Mat x(240, 12);
  for (Index i = 0; i < x.rows(); ++i) {
    const int c = int(i / 60);
    labels.push_back(c);
    for (Index j = 0; j < x.cols(); ++j) x(i, j) = Scalar((j == 2 * c ? 8.0 : 0.0) + rng_normal(rng));
  }
  return x;
}

ProjectionJobSettings settings(const std::vector<int32_t>& labels) {
  ProjectionJobSettings s;
  s.components = 5;
  s.tsne_of_pca = true;
  TsneParams p;
  p.perplexity = 20;
  p.learning_rate = 20;
  p.kl_every = 25;
  p.exact_max_n = 100;  // Barnes-Hut here
  p.init = TsneInit::Random;
  for (uint64_t seed : {3u, 4u}) {
    p.seed = seed;
    s.runs.push_back(p);
  }
  s.iterations = 120;
  s.labels = labels;
  s.k_trust = 10;
  s.k_vote = 5;
  return s;
}

}  // namespace

TEST_CASE("projection job: PCA, two t-SNE runs, their KL and the pictures' quality, as the core functions give them") {
  std::vector<int32_t> labels;
  const Mat x = clusters(labels);
  ProjectionJob job;
  REQUIRE(projection_job_begin(job, x, settings(labels)));
  projection_job_step(job, 1e9);
  REQUIRE(job.phase == ProjectionPhase::Done);
  // The PCA and the points on its axes.
  Pca pca;
  REQUIRE(pca_fit(x, 5, pca));
  const Mat px = pca_transform(pca, x);
  CHECK(job.pca_x == px);
  // Each run: tsne_init on the components, then 120 steps.
  REQUIRE(job.runs.size() == 2);
  for (size_t r = 0; r < 2; ++r) {
    auto [s, st] = tsne_init(px, job.settings.runs[r]);
    REQUIRE(st);
    for (int i = 0; i < 120; ++i) tsne_step(s);
    CHECK(job.runs[r].iteration == 120);
    CHECK(job.runs[r].y == s.y);
    CHECK(job.final_kl[r] == tsne_kl(s));
    CHECK(job.kl_value[r].size() == 120 / 25);  // every kl_every steps
    // Its picture's quality, measured in the components' space.
    double trust = 0, acc = 0;
    REQUIRE(trustworthiness_compute(px, tsne_embedding(s), 10, trust));
    REQUIRE(knn_accuracy_compute(tsne_embedding(s), labels, 5, acc));
    CHECK(job.quality[r].trustworthiness == trust);
    CHECK(job.quality[r].knn_accuracy == acc);
    CHECK(trust > 0.9);
  }
  CHECK(job.runs[0].y != job.runs[1].y);  // two seeds, two pictures
  // ... and PCA's own picture last.
  REQUIRE(job.quality.size() == 3);
  double trust_pca = 0;
  REQUIRE(trustworthiness_compute(px, px.leftCols(2), 10, trust_pca));
  CHECK(job.quality[2].trustworthiness == trust_pca);
}

TEST_CASE("projection job: the smallest slices give the same bits as one slice, and say what they are doing") {
  std::vector<int32_t> labels;
  const Mat x = clusters(labels);
  ProjectionJob whole, sliced;
  REQUIRE(projection_job_begin(whole, x, settings(labels)));
  projection_job_step(whole, 1e9);
  REQUIRE(projection_job_begin(sliced, x, settings(labels)));
  std::vector<ProjectionPhase> phases;
  int pieces = 0;
  while (!sliced.done()) {
    projection_job_step(sliced, 0);  // one piece each time
    if (phases.empty() || phases.back() != sliced.phase) phases.push_back(sliced.phase);
    CHECK(sliced.fraction >= 0);
    CHECK(sliced.fraction <= 1);
    REQUIRE(++pieces < 100000);
  }
  CHECK(phases == std::vector<ProjectionPhase>{ProjectionPhase::Pca, ProjectionPhase::TsneInit, ProjectionPhase::Iterating,
                                               ProjectionPhase::Kl, ProjectionPhase::Quality, ProjectionPhase::Done});
  for (size_t r = 0; r < 2; ++r) {
    CHECK(sliced.runs[r].y == whole.runs[r].y);
    CHECK(sliced.final_kl[r] == whole.final_kl[r]);
    CHECK(sliced.quality[r].trustworthiness == whole.quality[r].trustworthiness);
  }
}

TEST_CASE("projection job: input core refuses stops it with core's message") {
  std::vector<int32_t> labels;
  Mat x = clusters(labels);
  x(17, 3) = std::nanf("");
  ProjectionJobSettings s = settings(labels);
  s.components = 0;  // t-SNE of x itself, which checks x
  s.tsne_of_pca = false;
  ProjectionJob job;
  const Status st = projection_job_begin(job, x, s);
  CHECK_FALSE(st);
  CHECK(job.phase == ProjectionPhase::Error);
  CHECK(job.done());
  CHECK(job.error.message == st.message);
  CHECK_FALSE(st.message.empty());
  projection_job_step(job, 1e9);  // nothing more happens
  CHECK(job.phase == ProjectionPhase::Error);
}

TEST_CASE("projection job: the settings as numbers (how they reach the page's worker) give the same job") {
  std::vector<int32_t> labels;
  const Mat x = clusters(labels);
  const ProjectionJobSettings s = settings(labels);
  ProjectionJobSettings back = projection_settings_from_numbers(projection_settings_numbers(s));
  CHECK(back.components == s.components);
  CHECK(back.tsne_of_pca == s.tsne_of_pca);
  CHECK(back.iterations == s.iterations);
  CHECK(back.k_trust == s.k_trust);
  CHECK(back.k_vote == s.k_vote);
  REQUIRE(back.runs.size() == 2);
  CHECK(back.runs[1].seed == 4);
  CHECK(back.labels.empty());  // labels travel apart
  back.labels = labels;
  ProjectionJob a, b;
  REQUIRE(projection_job_begin(a, x, s));
  REQUIRE(projection_job_begin(b, x, back));
  projection_job_step(a, 1e9);
  projection_job_step(b, 1e9);
  for (size_t r = 0; r < 2; ++r) CHECK(a.runs[r].y == b.runs[r].y);
  CHECK(a.quality[0].knn_accuracy == b.quality[0].knn_accuracy);
  // A short list is not read past its end.
  const std::vector<double> v = projection_settings_numbers(s);
  CHECK(projection_settings_from_numbers(std::span<const double>(v.data(), v.size() - 1)).runs.size() == 1);
  CHECK(projection_settings_from_numbers(std::span<const double>(v.data(), 3)).runs.empty());
}
