#include <doctest/doctest.h>

#include <cmath>

#include "core/data/vocab.h"
#include "core/embed/similarity.h"

using namespace lab::core;

TEST_CASE("vocab: 30 words in 5 categories, one-hot vectors are equidistant") {
  const Vocabulary v = vocab_builtin();
  CHECK(v.words.size() == 30);
  CHECK(v.category_names.size() == 5);
  CHECK(v.category.size() == 30);
  CHECK(vocab_find(v, "banana") >= 0);
  CHECK(v.category_names[v.category[vocab_find(v, "banana")]] == "fruits");
  CHECK(vocab_find(v, "spaceship") == -1);
  const Mat d = measure_self(Measure::Euclidean, vocab_one_hot(v));
  CHECK(d(0, 1) == doctest::Approx(std::sqrt(2.0)));
  CHECK(d(0, 29) == doctest::Approx(std::sqrt(2.0)));
}

TEST_CASE("vocab: co-occurrence puts same-category words together, deterministically") {
  const Vocabulary v = vocab_builtin();
  CorpusParams params;
  std::vector<std::vector<int32_t>> a, b;
  REQUIRE(corpus_generate(v, params, a));
  REQUIRE(corpus_generate(v, params, b));
  CHECK(a == b);
  CHECK(a.size() == 2000);
  const Mat c = cooccurrence_count(v, a, 2);
  CHECK(c.isApprox(c.transpose()));
  // cosine similarity of co-occurrence rows: same category >> different category
  const Mat cos = measure_self(Measure::Cosine, c);
  double same = 0, diff = 0;
  int n_same = 0, n_diff = 0;
  for (int i = 0; i < 30; ++i)
    for (int j = 0; j < 30; ++j) {
      if (i == j) continue;
      if (v.category[i] == v.category[j]) same += cos(i, j), ++n_same;
      else diff += cos(i, j), ++n_diff;
    }
  CHECK(same / n_same > 0.9);
  CHECK(diff / n_diff < 0.3);
  params.seed = 1;
  REQUIRE(corpus_generate(v, params, b));
  CHECK(a != b);
  params.topic_share = 2;
  CHECK_FALSE(corpus_generate(v, params, b).ok);
}
