// Identity metrics (lab_block.h, MetricSpec::identity) are true by construction, so no control run can
// test an `expect` on them. Instead each is recomputed here independently of the block: from the data
// the block built (its matrices, its sampled cosines, its ratings) or from the closed-form maths, never
// from the knob values the block computed it from. Kinds tested elsewhere: embedding-lookup (W[x] =
// onehot(x)·W, test_lessons_core.cpp), dropout-mask (drop share and scalings, test_train_blocks.cpp),
// batchnorm (2 × width parameters and statistics per layer, test_train_blocks.cpp).
#include <doctest/doctest.h>

#include "block_test_util.h"

#include <cmath>
#include <string>
#include <vector>

#include "runtime/blocks/blocks.h"
#include "runtime/blocks/param_count.h"
#include "runtime/blocks/rec_data.h"
#include "runtime/lesson.h"
#include "runtime/lesson_check.h"

using namespace lab;
using namespace lab::runtime;
using lab::test::make;
using lab::test::metric;
using lab::test::run_to_end;

namespace {

const Metric* find(const std::vector<Metric>& ms, const std::string& name) {
  for (const Metric& m : ms)
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace

TEST_CASE("identities: one-hot rows are √2 apart and orthogonal, measured on the matrix the block built") {
  auto exp = make("onehot", "vocabulary: cat, dog, apple, pear, red\n");
  run_to_end(*exp);
  auto& e = dynamic_cast<OnehotExperiment&>(*exp);
  REQUIRE(e.onehot.rows() == 5);
  double dmin = 1e9, dmax = 0, dot_max = -1e9;
  int nonzeros = 0;
  for (int i = 0; i < 5; ++i) {
    for (int k = 0; k < e.onehot.cols(); ++k) nonzeros += e.onehot(i, k) != 0;
    for (int j = 0; j < 5; ++j) {
      if (i == j) continue;
      double d2 = 0, dot = 0;
      for (int k = 0; k < e.onehot.cols(); ++k) {
        d2 += double(e.onehot(i, k) - e.onehot(j, k)) * double(e.onehot(i, k) - e.onehot(j, k));
        dot += double(e.onehot(i, k)) * double(e.onehot(j, k));
      }
      dmin = std::min(dmin, std::sqrt(d2));
      dmax = std::max(dmax, std::sqrt(d2));
      dot_max = std::max(dot_max, dot);
    }
  }
  CHECK(metric(e, "nonzeros_per_row") == doctest::Approx(nonzeros / 5.0));
  CHECK(metric(e, "min_distance") == doctest::Approx(dmin));
  CHECK(metric(e, "max_distance") == doctest::Approx(dmax));
  CHECK(metric(e, "max_dot") == doctest::Approx(dot_max));
  CHECK(dmin == doctest::Approx(std::sqrt(2.0)));  // the maths the lesson states
  CHECK(dot_max == 0);
  CHECK(metric(e, "dimensions") == e.onehot.cols());
}

TEST_CASE("identities: one symbol has no pair, so it has no distance: n/a, not 0") {
  auto exp = make("onehot", "vocabulary: cat\n");
  run_to_end(*exp);
  const std::vector<Metric> ms = exp->metrics();
  for (const char* name : {"min_distance", "max_distance", "max_dot"}) {
    const Metric* m = find(ms, name);
    REQUIRE_MESSAGE(m != nullptr, name);
    CHECK_FALSE(m->defined());
    CHECK(metric_text(*m) == "n/a: needs two symbols");
  }
  REQUIRE(find(ms, "nonzeros_per_row") != nullptr);
  CHECK(find(ms, "nonzeros_per_row")->value == 1);
}

TEST_CASE("identities: param-count's counts equal the layer formulas |V|·d, |V|·h + h and |V|·d + d·h + h") {
  for (auto [v, d, h] : {std::tuple{10000, 32, 128}, std::tuple{7, 3, 5}, std::tuple{50000, 300, 1}}) {
    auto exp = make("param-count", "vocab_size: " + std::to_string(v) + "\ndim: " + std::to_string(d) +
                                       "\nhidden: " + std::to_string(h) + "\n");
    run_to_end(*exp);
    const double V = v, D = d, H = h;
    CHECK(metric(*exp, "built") == 1);  // counted from layers the engine built, not from the formula
    CHECK(metric(*exp, "embedding_parameters") == V * D);
    CHECK(metric(*exp, "onehot_layer_parameters") == V * H + H);
    CHECK(metric(*exp, "embedding_layer_parameters") == V * D + D * H + H);
    CHECK(metric(*exp, "saving_factor") == doctest::Approx((V * H + H) / (V * D + D * H + H)));
  }
}

TEST_CASE("identities: random-cosine's statistics are those of its own sampled cosines, and match the theory") {
  SUBCASE("Gaussian vectors: mean 0, spread 1/√d") {
    auto exp = make("random-cosine", "dim: 256\npairs: 4000\n");
    run_to_end(*exp);
    auto& e = dynamic_cast<RandomCosineExperiment&>(*exp);
    REQUIRE(e.cosines.size() == 4000);
    double sum = 0, sum_abs = 0;
    for (float c : e.cosines) sum += c, sum_abs += std::abs(c);
    const double mean = sum / 4000;
    double var = 0;
    for (float c : e.cosines) var += (c - mean) * (c - mean);
    CHECK(metric(e, "mean_cos") == doctest::Approx(mean).epsilon(1e-5));
    CHECK(metric(e, "mean_abs_cos") == doctest::Approx(sum_abs / 4000).epsilon(1e-5));
    CHECK(metric(e, "std_cos") == doctest::Approx(std::sqrt(var / 4000)).epsilon(1e-4));
    // Theory: for uniformly random directions in d dimensions, Var(cos) = 1/d exactly.
    CHECK(metric(e, "std_cos") == doctest::Approx(1 / std::sqrt(256.0)).epsilon(0.05));
    CHECK(std::abs(mean) < 4 / std::sqrt(256.0 * 4000));
  }
  SUBCASE("non-negative uniform vectors: cos → E[x]² / E[x²] = (1/4) / (1/3) = 0.75") {
    auto exp = make("random-cosine", "dim: 1024\npairs: 500\ndistribution: nonnegative\n");
    run_to_end(*exp);
    CHECK(metric(*exp, "mean_cos") == doctest::Approx(0.75).epsilon(0.01));
  }
}

TEST_CASE("identities: rec-data's statistics are those of the ratings it generated") {
  auto exp = make("rec-data", "");
  run_to_end(*exp);
  auto& e = dynamic_cast<RecDataExperiment&>(*exp);
  const auto& r = e.data.ratings;
  REQUIRE(!r.empty());
  double sum = 0, high = 0;
  for (const auto& x : r) {
    sum += x.rating;
    high += x.rating >= 4;
  }
  const double n = double(r.size()), mean = sum / n;
  double var = 0;
  for (const auto& x : r) var += (x.rating - mean) * (x.rating - mean);
  CHECK(metric(e, "n_ratings") == n);
  CHECK(metric(e, "n_users") == e.data.n_users);
  CHECK(metric(e, "n_items") == e.data.n_items);
  CHECK(metric(e, "density") == doctest::Approx(n / (double(e.data.n_users) * e.data.n_items)));
  CHECK(metric(e, "mean_rating") == doctest::Approx(mean));
  CHECK(metric(e, "sd_rating") == doctest::Approx(std::sqrt(var / n)).epsilon(0.01));  // population or sample sd
  CHECK(metric(e, "share_4_or_5") == doctest::Approx(high / n));
}

TEST_CASE("identities: an expect on an undefined metric says 'not defined here', never passes or fails silently") {
  const std::string text = "---\ntitle: T\n---\n## Step\n\n```lab onehot\nvocabulary: cat\nexpect min_distance > 1\n```\n";
  const Lesson l = lesson_parse(text, "lessons/u.md");
  REQUIRE_FALSE(l.has_errors());
  const LessonCheck c = lesson_check(l);
  REQUIRE(c.diagnostics.size() == 1);
  CHECK(c.diagnostics[0].line == 8);
  CHECK(c.diagnostics[0].message == "expect min_distance > 1 is not defined here: min_distance is n/a: needs two symbols");
}
