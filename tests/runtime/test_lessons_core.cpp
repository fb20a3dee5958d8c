// The lab-block kinds of the first three lessons, tested for what they teach: an embedding lookup is
// exactly onehot·W; training on co-occurrence pulls a category's words together (and does not on
// random text); on unit vectors ‖x − y‖² = 2(1 − cos) and Euclidean and cosine rank alike, while
// stretching a vector moves it under Euclidean distance but not under cosine; t-SNE keeps
// neighbours but not cluster sizes; two seeds give different pictures of the same neighbourhoods.
#include <doctest/doctest.h>

#include "block_test_util.h"

#include <cmath>
#include <string>
#include <vector>

#include "core/embed/quality.h"
#include "core/rng.h"
#include "runtime/blocks/embedding_distances.h"
#include "runtime/blocks/embedding_lookup.h"
#include "runtime/blocks/embedding_train.h"
#include "runtime/blocks/projection.h"
#include "runtime/lab_block.h"
#include "ui/blocks/projector_tsv.h"

using namespace lab;
using namespace lab::runtime;

namespace {

BlockConfig config_for(const char* kind, std::initializer_list<std::pair<const char*, const char*>> values) {
  BlockConfig c;
  c.kind = block_kind_find(kind);
  REQUIRE(c.kind != nullptr);
  // Defaults first, then the given values, through the same validation the lesson parser uses.
  LabBlock b = lab_block_parse(kind, "", "t.md", 1, 2);
  c = b.config;
  for (const auto& [name, value] : values) {
    const ParamSpec* spec = block_param_find(*c.kind, name);
    REQUIRE(spec != nullptr);
    REQUIRE(block_set_value(c, *spec, value).ok);
  }
  return c;
}

void run_to_end(Experiment& e) { lab::test::run_to_end(e, 50); }

using lab::test::metric;

}  // namespace

TEST_CASE("embedding-lookup: the lookup W[x] is exactly the product onehot(x)·W, for every symbol") {
  const BlockConfig c = config_for("embedding-lookup", {{"vocabulary", "a, b, c, d, e"}, {"dim", "4"}, {"symbol", "c"}});
  auto exp = c.kind->make(c);
  run_to_end(*exp);
  auto& e = dynamic_cast<EmbeddingLookupExperiment&>(*exp);
  CHECK(e.selected == 2);
  REQUIRE(e.weights.rows() == 5);
  REQUIRE(e.weights.cols() == 4);
  for (int i = 0; i < 5; ++i) {
    core::Mat onehot = core::Mat::Zero(1, 5);
    onehot(0, i) = 1;
    const core::Mat product = onehot * e.weights;
    CHECK((product - e.lookup.row(i)).cwiseAbs().maxCoeff() == 0);
    CHECK((e.lookup.row(i) - e.weights.row(i)).cwiseAbs().maxCoeff() == 0);
  }
  CHECK(metric(e, "max_abs_difference") == 0);
  CHECK(metric(e, "parameters") == 20);
  // A symbol outside the vocabulary is a lesson error, reported by the kind's validation.
  BlockConfig bad = config_for("embedding-lookup", {{"vocabulary", "a, b"}, {"symbol", "zebra"}});
  CHECK_FALSE(c.kind->validate(bad).ok);
}

TEST_CASE("embedding-train: co-occurrence pulls each category's words together, random text does not") {
  WordEmbeddingParams p;
  p.dim = 4;
  p.epochs = 6;
  p.sentences = 300;
  WordEmbeddingRun run;
  REQUIRE(word_embedding_start(run, p, false).ok);
  double within0, between0;
  category_cosines(run.initial, run.vocab.category, within0, between0);
  while (!run.done()) word_embedding_step(run, 50);
  REQUIRE(run.status.ok);
  double within, between;
  category_cosines(run.result->embeddings, run.vocab.category, within, between);
  CHECK(within - between > (within0 - between0) + 0.5);  // from ≈ 0 at random initialisation
  CHECK(run.result->epoch_loss.back() < run.result->epoch_loss.front());

  // Control: sentences without topics carry no category information, so no category structure forms.
  WordEmbeddingParams q = p;
  q.topic_share = 0;
  WordEmbeddingRun control;
  REQUIRE(word_embedding_start(control, q, false).ok);
  while (!control.done()) word_embedding_step(control, 50);
  category_cosines(control.result->embeddings, control.vocab.category, within, between);
  CHECK(std::abs(within - between) < 0.2);

  // A later run with the same parameters reuses the result instead of training again.
  WordEmbeddingRun again;
  REQUIRE(word_embedding_start(again, p).ok);
  CHECK(again.done());
  CHECK((again.embeddings() - run.result->embeddings).cwiseAbs().maxCoeff() == 0);
}

TEST_CASE("embedding-distances: on unit vectors ‖x − y‖² = 2(1 − cos) and Euclidean ranks like cosine") {
  // Planted vectors with very different lengths: the identity fails and the rankings differ ...
  core::Rng rng(3);
  core::Mat x(20, 5);
  for (int i = 0; i < 20; ++i)
    for (int j = 0; j < 5; ++j) x(i, j) = core::Scalar(core::rng_normal(rng) * (1 + i % 4));
  std::vector<int32_t> cat(20);
  for (int i = 0; i < 20; ++i) cat[size_t(i)] = i % 4;
  EmbeddingDistancesExperiment raw;
  raw.k = 3;
  embedding_distances_analyse(raw, x, cat);
  CHECK(metric(raw, "identity_max_error") > 1.0);
  CHECK(metric(raw, "rank_agreement") < 1.0);
  // ... normalised, it holds to rounding and every word's neighbours agree.
  EmbeddingDistancesExperiment unit;
  unit.k = 3;
  unit.normalize = true;
  embedding_distances_analyse(unit, x, cat);
  CHECK(metric(unit, "identity_max_error") < 1e-5);
  CHECK(metric(unit, "rank_agreement") == 1.0);
  CHECK(metric(unit, "dot_cos_agreement") == 1.0);
  CHECK(metric(unit, "query_norm") == doctest::Approx(1.0).epsilon(1e-6));
}

TEST_CASE("embedding-distances: stretching the query changes Euclidean neighbours, never cosine ones") {
  core::Rng rng(5);
  core::Mat x(24, 4);
  for (int i = 0; i < 24; ++i)
    for (int j = 0; j < 4; ++j) x(i, j) = core::Scalar(core::rng_normal(rng));
  std::vector<int32_t> cat(24, 0);
  EmbeddingDistancesExperiment base;
  base.query = 7;
  embedding_distances_analyse(base, x, cat);
  for (double scale : {0.1, 0.5, 3.0, 10.0}) {
    EmbeddingDistancesExperiment e;
    e.query = 7;
    e.k = 5;
    e.scale = scale;
    embedding_distances_analyse(e, x, cat);
    CAPTURE(scale);
    CHECK(metric(e, "cosine_overlap_unscaled") == 1.0);
    CHECK(metric(e, "dot_overlap_unscaled") == 1.0);  // the query's own dot ranking scales uniformly
    CHECK(metric(e, "query_norm") == doctest::Approx(scale * x.row(7).norm()).epsilon(1e-5));
    if (scale >= 3.0) CHECK(metric(e, "euclidean_overlap_unscaled") < 1.0);
    // A long vector becomes the best dot-product match of many more words; cosine does not care.
    if (scale == 10.0) CHECK(metric(e, "dot_hub_share") > metric(base, "dot_hub_share") + 0.2);
    CHECK(metric(e, "cosine_hub_share") == metric(base, "cosine_hub_share"));
  }
}

TEST_CASE("projection: layout statistics and Procrustes disparity") {
  core::Mat x;
  std::vector<int32_t> labels;
  std::vector<std::string> names;
  planted_blobs(ProjectionData::BlobsSpread, 7, x, labels, names);
  CHECK(core::group_spread_ratio(x, labels) == doctest::Approx(9.0).epsilon(0.1));
  CHECK(core::group_gap_ratio(x, labels) == doctest::Approx(1.0).epsilon(0.1));
  planted_blobs(ProjectionData::BlobsGaps, 7, x, labels, names);
  CHECK(core::group_gap_ratio(x, labels) == doctest::Approx(11.0).epsilon(0.1));

  core::Rng rng(1);
  core::Mat a(50, 2);
  for (int i = 0; i < 50; ++i) a.row(i) << core::Scalar(core::rng_normal(rng)), core::Scalar(core::rng_normal(rng));
  // Rotated by 40°, mirrored, scaled and shifted: the same picture.
  core::Mat rot(2, 2);
  rot << core::Scalar(std::cos(0.7)), core::Scalar(-std::sin(0.7)), core::Scalar(std::sin(0.7)), core::Scalar(std::cos(0.7));
  core::Mat b = (a * rot) * core::Scalar(3);
  b.col(0) *= -1;
  b.array() += 5;
  CHECK(core::procrustes_disparity(a, b) < 1e-6);
  core::Mat shuffled = a;
  for (int i = 0; i < 50; ++i) shuffled.row(i) = a.row((i * 17) % 50);
  CHECK(core::procrustes_disparity(a, shuffled) > 0.5);
}

TEST_CASE("projection: the student's vectors replace the lesson's data and are marked as theirs") {
  // The lesson's expectations were set for its own data: on the student's they show, unjudged.
  auto own = lab::test::make("projection", "data: blobs-spread\nmethod: pca\n");
  run_to_end(*own);
  CHECK_FALSE(own->data_set().students_own);
  std::string tsv;
  for (int i = 0; i < 30; ++i) tsv += std::to_string(i % 3) + "\t" + std::to_string(i * 0.5) + "\t" + std::to_string(-i) + "\n";
  std::shared_ptr<const ProjectionUserData> user;
  REQUIRE(projection_user_data_parse("vectors.tsv", tsv, "", "", user).ok);
  projection_user_data_set(user);
  auto e = lab::test::make("projection", "data: blobs-spread\nmethod: pca\n");
  run_to_end(*e);
  projection_user_data_set(nullptr);
  CHECK(e->data_set().students_own);
  CHECK(e->data_set().points == 30);
  CHECK(e->data_set().dims == 3);
  CHECK(e->data_set().name == "vectors.tsv");
}

TEST_CASE("projection: t-SNE keeps planted neighbourhoods but not cluster sizes, two seeds differ in layout only") {
  const BlockConfig c = config_for("projection", {{"data", "blobs-spread"}, {"method", "tsne"}, {"iterations", "400"},
                                                  {"second_seed", "2"}});
  auto exp = c.kind->make(c);
  run_to_end(*exp);
  CHECK(metric(*exp, "knn_accuracy") == 1.0);
  CHECK(metric(*exp, "trustworthiness") > 0.9);
  CHECK(metric(*exp, "spread_ratio_input") > 8);
  CHECK(metric(*exp, "spread_ratio_output") < 0.5 * metric(*exp, "spread_ratio_input"));
  CHECK(metric(*exp, "knn_accuracy_b") == 1.0);
  CHECK(metric(*exp, "layout_difference") > 0.01);

  const BlockConfig pc = config_for("projection", {{"data", "blobs-spread"}, {"method", "pca"}});
  auto pca = pc.kind->make(pc);
  run_to_end(*pca);
  CHECK(metric(*pca, "spread_ratio_output") > 0.5 * metric(*pca, "spread_ratio_input"));  // linear: sizes survive
}

TEST_CASE("projection: t-SNE initialises in slices, says what it is doing, and starts where tsne_init would") {
  const BlockConfig c = config_for("projection", {{"data", "digits"}, {"method", "tsne"}, {"points", "600"},
                                                  {"init", "pca"}, {"second_seed", "5"}});
  auto exp = c.kind->make(c);
  auto& e = dynamic_cast<ProjectionExperiment&>(*exp);
  std::vector<std::string> texts;
  int slices = 0;
  // The block's job (core/embed/projection_job.h) runs here: natively there is no worker.
  while (!e.job || e.job->runs.empty() || !core::tsne_init_done(e.job->runs.back())) {
    REQUIRE(slices++ < 100000);
    e.step(0.0);  // the smallest slice each time: one piece of work
    REQUIRE_MESSAGE(e.status().ok, e.status().message);
    if (texts.empty() || texts.back() != e.progress_text()) texts.push_back(e.progress_text());
  }
  CHECK(slices > 100);
  auto seen = [&](const std::string& part) {
    for (const std::string& t : texts)
      if (t.find(part) != std::string::npos) return true;
    return false;
  };
  CHECK(seen("t-SNE: finding neighbours"));
  CHECK(seen("t-SNE: fitting bandwidths"));
  CHECK(seen(" %"));
  CHECK(seen("t-SNE (second seed): "));
  CHECK(e.job->runs[0].iteration == 0);
  auto [whole, st] = core::tsne_init(e.x, e.job->settings.runs[1]);
  REQUIRE(st.ok);
  CHECK(e.job->runs[1].y == whole.y);
  CHECK(e.job->runs[1].p_val == whole.p_val);
  CHECK(e.job->runs[1].pu_val == whole.pu_val);
  for (int i = 0; i < 1000000 && !e.done(); ++i) e.step(0.0);  // one unit of work per slice to the end
  REQUIRE(e.done());
  CHECK(metric(e, "knn_accuracy") > 0.9);
  // Everything in one slice gives the same metrics, in the same order.
  auto one = c.kind->make(c);
  one->step(1e9);
  REQUIRE(one->done());
  const std::vector<Metric> a = e.metrics(), b = one->metrics();
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].name == b[i].name);
    CHECK(a[i].value == b[i].value);
  }
  CHECK(metric(e, "neighbour_overlap") > 0.1);
}

TEST_CASE("projector TSV: vectors without a header, metadata with one") {
  core::Mat v(2, 3);
  v << 1, 2.5f, -3, 0, 0.125f, 7;
  CHECK(ui::projector_vectors_tsv(v) == "1\t2.5\t-3\n0\t0.125\t7\n");
  CHECK(ui::projector_metadata_tsv({"word", "category"}, {{"cat", "red"}, {"animals", "col\tours"}}) ==
        "word\tcategory\ncat\tanimals\nred\tcol ours\n");
}

TEST_CASE("layout quality in slices equals core's trustworthiness and k-NN accuracy") {
  core::Rng rng(11);
  core::Mat x(120, 6), y(120, 2);
  std::vector<int32_t> labels(120);
  for (int i = 0; i < 120; ++i) {
    labels[size_t(i)] = i % 3;
    for (int j = 0; j < 6; ++j) x(i, j) = core::Scalar(core::rng_normal(rng) + (j == 0 ? 4.0 * (i % 3) : 0.0));
    y(i, 0) = x(i, 0) + core::Scalar(core::rng_normal(rng));
    y(i, 1) = core::Scalar(core::rng_normal(rng));
  }
  core::LayoutQualityJob q;
  REQUIRE(core::layout_quality_begin(q, x, y, labels, 10, 5).ok);
  int slices = 0;
  while (!q.done()) {
    core::layout_quality_step(q, 0.0);  // the smallest slice each time
    ++slices;
  }
  CHECK(slices > 1);
  double trust = 0, acc = 0, acc_in = 0;
  REQUIRE(core::trustworthiness_compute(x, y, 10, trust).ok);
  REQUIRE(core::knn_accuracy_compute(y, labels, 5, acc).ok);
  REQUIRE(core::knn_accuracy_compute(x, labels, 5, acc_in).ok);
  CHECK(q.trustworthiness == doctest::Approx(trust).epsilon(1e-9));
  CHECK(q.knn_accuracy == doctest::Approx(acc).epsilon(1e-12));
  CHECK(q.knn_accuracy_input == doctest::Approx(acc_in).epsilon(1e-12));
}

TEST_CASE("neighbour overlap: the share of shared neighbours of two searches") {
  core::Knn a, b;
  a.n = b.n = 2;
  a.k = b.k = 2;
  a.index = {1, 2, 0, 2};
  b.index = {2, 3, 2, 0};  // point 0 shares 1 of 2, point 1 shares both (in another order)
  CHECK(core::neighbour_overlap(a, b) == doctest::Approx(0.75));
  CHECK(core::neighbour_overlap(a, a) == 1.0);
  b.k = 1;
  CHECK(core::neighbour_overlap(a, b) == 0.0);  // not the same search
}
