#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/embed/quality.h"
#include "core/rng.h"

using namespace lab::core;

TEST_CASE("quality: trustworthiness is 1 for an isometry and drops for a shuffled embedding") {
  Rng rng(3);
  Mat x(120, 2);
  for (Index i = 0; i < 120; ++i)
    for (Index j = 0; j < 2; ++j) x(i, j) = Scalar(rng_normal(rng));
  double t = 0;
  Mat rotated(120, 2);
  rotated.col(0) = 3 * x.col(1);
  rotated.col(1) = -3 * x.col(0);
  REQUIRE(trustworthiness_compute(x, rotated, 10, t));
  CHECK(t == doctest::Approx(1.0));
  Mat shuffled = x;
  std::vector<uint32_t> perm(120);
  for (uint32_t i = 0; i < 120; ++i) perm[i] = i;
  rng_shuffle(rng, perm);
  for (Index i = 0; i < 120; ++i) shuffled.row(i) = x.row(perm[i]);
  REQUIRE(trustworthiness_compute(x, shuffled, 10, t));
  CHECK(t < 0.7);
  CHECK(t > 0.3);  // a random embedding scores about 0.5
  CHECK_FALSE(trustworthiness_compute(x, rotated, 60, t).ok);  // k must be < N/2
  CHECK_FALSE(trustworthiness_compute(x, rotated.topRows(10), 5, t).ok);
}

TEST_CASE("quality: trustworthiness matches sklearn on a tiny case") {
  // Golden value from Debian's python3-sklearn 1.2.1:
  //   trustworthiness(np.array([[0],[1],[3],[6.5],[10]]), np.array([[0],[3],[1],[6],[10]]), n_neighbors=1)
  //   -> 0.6666666666666667   (penalties 1+1+1+2 = 5; t = 1 - 5 * 2 / (5 * 1 * 6))
  Mat x(5, 1), y(5, 1);
  x << 0, 1, 3, 6.5f, 10;
  y << 0, 3, 1, 6, 10;
  double t = 0;
  REQUIRE(trustworthiness_compute(x, y, 1, t));
  CHECK(t == doctest::Approx(0.6666666666666667));
}

TEST_CASE("quality: k-NN accuracy with deterministic vote ties, KL divergence") {
  Mat y(6, 1);
  y << 0, 0.1f, 0.2f, 10, 10.1f, 10.2f;
  std::vector<int32_t> labels = {0, 0, 0, 1, 1, 1};
  double acc = 0;
  REQUIRE(knn_accuracy_compute(y, labels, 2, acc));
  CHECK(acc == 1.0);
  labels = {0, 1, 0, 1, 1, 1};  // point 0's neighbours vote 1 and 0: tie -> 0 (smallest), correct
  REQUIRE(knn_accuracy_compute(y, labels, 2, acc));
  CHECK(acc == doctest::Approx(5.0 / 6));  // point 1 (label 1) sees 0 and 0 -> wrong
  CHECK_FALSE(knn_accuracy_compute(y, labels, 6, acc).ok);
  CHECK_FALSE(knn_accuracy_compute(y, std::vector<int32_t>{0, 1}, 1, acc).ok);

  const std::vector<double> p = {0.5, 0.5, 0}, q = {0.25, 0.25, 0.5};
  CHECK(kl_divergence(p, p) == 0.0);
  CHECK(kl_divergence(p, q) == doctest::Approx(std::log(2.0)));
  CHECK(std::isinf(kl_divergence(q, p)));
}
