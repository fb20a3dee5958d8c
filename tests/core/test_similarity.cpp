#include <doctest/doctest.h>

#include <cmath>

#include "core/embed/knn.h"
#include "core/embed/similarity.h"
#include "core/rng.h"

using namespace lab::core;

namespace {
Mat random_mat(Index n, Index d, uint64_t seed) {
  Rng rng(seed);
  Mat m(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) m(i, j) = Scalar(rng_normal(rng));
  return m;
}
}  // namespace

TEST_CASE("similarity: |x-y|^2 = 2(1 - cos) for unit vectors") {
  const Mat x = rows_normalized(random_mat(20, 7, 1));
  for (Index i = 0; i < x.rows(); ++i)
    for (Index j = 0; j < x.rows(); ++j) {
      const double sq = measure_pair(Measure::SqEuclidean, x.row(i), x.row(j));
      const double cos = measure_pair(Measure::Cosine, x.row(i), x.row(j));
      CHECK(sq == doctest::Approx(2 * (1 - cos)).epsilon(1e-5));
    }
  const Mat sq = measure_self(Measure::SqEuclidean, x), cos = measure_self(Measure::Cosine, x);
  CHECK(((sq.array() - 2 * (1 - cos.array())).abs().maxCoeff()) < 1e-5);
}

TEST_CASE("similarity: one-hot vectors are all sqrt(2) apart and orthogonal") {
  const Mat e = Mat::Identity(6, 6);
  const Mat d = measure_self(Measure::Euclidean, e);
  const Mat dot = measure_self(Measure::Dot, e);
  for (Index i = 0; i < 6; ++i)
    for (Index j = 0; j < 6; ++j) {
      CHECK(d(i, j) == doctest::Approx(i == j ? 0.0 : std::sqrt(2.0)));
      CHECK(measure_pair(Measure::Euclidean, e.row(i), e.row(j)) == doctest::Approx(i == j ? 0.0 : std::sqrt(2.0)));
      CHECK(dot(i, j) == doctest::Approx(i == j ? 1.0 : 0.0));
    }
}

TEST_CASE("similarity: matrix form matches pairs, names round-trip, zero vector cosine is 0") {
  const Mat a = random_mat(5, 4, 2), b = random_mat(3, 4, 3);
  for (Measure m : {Measure::Dot, Measure::Cosine, Measure::Euclidean, Measure::SqEuclidean}) {
    const Mat all = measure_matrix(m, a, b);
    REQUIRE(all.rows() == 5);
    REQUIRE(all.cols() == 3);
    for (Index i = 0; i < 5; ++i)
      for (Index j = 0; j < 3; ++j) CHECK(all(i, j) == doctest::Approx(measure_pair(m, a.row(i), b.row(j))).epsilon(1e-4));
    Measure back;
    REQUIRE(measure_parse(measure_name(m), back));
    CHECK(back == m);
  }
  Measure unused;
  CHECK_FALSE(measure_parse("manhattan", unused));
  const RowVec zero = RowVec::Zero(4);
  CHECK(measure_pair(Measure::Cosine, zero, a.row(0)) == 0.0);
  CHECK(measure_self(Measure::Cosine, Mat::Zero(2, 3))(0, 0) == 0);
}

TEST_CASE("knn: nearest neighbours on a line, under every metric, ties to the lower index") {
  // points at 0, 1, 2, 4, 7 on the x axis (plus a constant y so cosine is defined)
  Mat x(5, 1);
  x << 0, 1, 2, 4, 7;
  Knn knn;
  REQUIRE(knn_search(x, 2, Measure::Euclidean, knn));
  // point 1 (at 1): 0 and 2 are both at distance 1 -> lower index first
  CHECK(knn.neighbour(1, 0) == 0);
  CHECK(knn.neighbour(1, 1) == 2);
  CHECK(knn.neighbour(3, 0) == 2);  // 4 -> 2 (dist 2), then 1 and 7 tie at 3: index 1 wins
  CHECK(knn.neighbour(3, 1) == 1);
  CHECK(knn.measure_value(3, 1) == doctest::Approx(3));
  REQUIRE(knn_search(x, 2, Measure::SqEuclidean, knn));
  CHECK(knn.measure_value(3, 1) == doctest::Approx(9));
  // dot: larger is nearer; for point 4 (at 7) the largest products are with 4, then 2
  REQUIRE(knn_search(x, 2, Measure::Dot, knn));
  CHECK(knn.neighbour(4, 0) == 3);
  CHECK(knn.neighbour(4, 1) == 2);

  // exact ties everywhere: four copies of the same point -> neighbours in index order
  const Mat same = Mat::Ones(4, 3);
  for (Measure m : {Measure::Dot, Measure::Cosine, Measure::Euclidean, Measure::SqEuclidean}) {
    REQUIRE(knn_search(same, 3, m, knn));
    CHECK(knn.neighbour(2, 0) == 0);
    CHECK(knn.neighbour(2, 1) == 1);
    CHECK(knn.neighbour(2, 2) == 3);
  }
}

TEST_CASE("knn: cosine ignores length, queries match brute force, bad input is refused") {
  Mat x(4, 2);
  x << 1, 0, 10, 1, 0, 1, -1, 0;
  Knn knn;
  REQUIRE(knn_search(x, 1, Measure::Cosine, knn));
  CHECK(knn.neighbour(0, 0) == 1);  // (10,1) points almost the same way as (1,0)
  CHECK(knn.neighbour(2, 0) == 1);

  const Mat base = random_mat(300, 5, 4), q = random_mat(40, 5, 5);
  REQUIRE(knn_query(base, q, 7, Measure::Euclidean, knn));
  const Mat d = measure_matrix(Measure::Euclidean, q, base);
  for (int i = 0; i < 40; ++i) {
    Index best;
    d.row(i).minCoeff(&best);
    CHECK(knn.neighbour(i, 0) == best);
    for (int j = 1; j < 7; ++j) CHECK(knn.measure_value(i, j) >= knn.measure_value(i, j - 1));
  }

  Status s = knn_search(x, 4, Measure::Euclidean, knn);
  CHECK_FALSE(s.ok);
  CHECK(s.message.find("k = 4 needs at least 5 points") != std::string::npos);
  CHECK_FALSE(knn_search(x, 0, Measure::Euclidean, knn).ok);
  CHECK_FALSE(knn_query(base, q, 301, Measure::Euclidean, knn).ok);
  CHECK_FALSE(knn_query(base, Mat::Zero(2, 4), 1, Measure::Euclidean, knn).ok);
  Mat bad = x;
  bad(2, 1) = NAN;
  s = knn_search(bad, 1, Measure::Euclidean, knn);
  CHECK_FALSE(s.ok);
  CHECK(s.message.find("row 3, column 2 is NaN") != std::string::npos);
}
