// The PRNG is the root of native/WASM parity: these literals were printed by the native build and
// the same test runs under node, so a difference in any platform's arithmetic fails here.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/det_math.h"
#include "core/rng.h"

using namespace lab::core;

TEST_CASE("rng: the same seed gives the same pinned sequence on every platform") {
  Rng rng(42);
  CHECK(rng_next_u64(rng) == 1546998764402558742ull);
  CHECK(rng_next_u64(rng) == 6990951692964543102ull);
  CHECK(rng_below(rng, 1000) == 680u);
  CHECK(rng_uniform(rng) == 0x1.d9715a8e0766cp-1);
  CHECK(rng_normal(rng) == 0x1.db514bfac5b4ep-2);  // exact: hex float literals
  CHECK(rng_normal(rng) == 0x1.79eb7c13cfccdp+0);
}

TEST_CASE("rng: different seeds give different streams, reseeding restarts") {
  Rng a(1), b(2);
  CHECK(rng_next_u64(a) != rng_next_u64(b));
  Rng c(7);
  const uint64_t first = rng_next_u64(c);
  rng_seed(c, 7);
  CHECK(rng_next_u64(c) == first);
}

TEST_CASE("rng: uniform and below stay in range and are roughly flat") {
  Rng rng(3);
  std::vector<int> counts(10, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = rng_uniform(rng);
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    const float f = rng_uniform_f(rng);
    REQUIRE(f >= 0.0f);
    REQUIRE(f < 1.0f);
    const uint32_t k = rng_below(rng, 10);
    REQUIRE(k < 10u);
    ++counts[k];
  }
  for (int c : counts) CHECK(std::abs(c - n / 10) < 600);  // ~6 sigma
}

TEST_CASE("rng: normal samples have mean 0 and variance 1") {
  Rng rng(5);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double z = rng_normal(rng);
    REQUIRE(std::isfinite(z));
    sum += z;
    sum2 += z * z;
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  CHECK(std::abs(mean) < 0.01);
  CHECK(std::abs(var - 1.0) < 0.015);
}

TEST_CASE("rng: det_log matches the platform log to ~1e-15 relative") {
  for (double x : {1e-300, 1e-10, 0.001, 0.5, 0.70710678, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300}) {
    const double ref = std::log(x);
    CHECK(std::abs(det_log(x) - ref) <= 4e-16 * std::max(1.0, std::abs(ref)));
  }
  CHECK(det_log(1.0) == 0.0);
  CHECK(std::isnan(det_log(-1.0)));
  CHECK(std::isinf(det_log(0.0)));
}

TEST_CASE("rng: shuffle is a permutation and bernoulli hits its rate") {
  Rng rng(11);
  std::vector<uint32_t> v(100);
  for (uint32_t i = 0; i < 100; ++i) v[i] = i;
  rng_shuffle(rng, v);
  std::vector<uint32_t> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (uint32_t i = 0; i < 100; ++i) CHECK(sorted[i] == i);
  bool moved = false;
  for (uint32_t i = 0; i < 100; ++i) moved |= v[i] != i;
  CHECK(moved);
  int hits = 0;
  for (int i = 0; i < 100000; ++i) hits += rng_bernoulli(rng, 0.3);
  CHECK(std::abs(hits - 30000) < 900);
}
