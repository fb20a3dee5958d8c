// "random-cosine": the cosine similarity of random vector pairs. As the dimension grows, random
// directions become nearly orthogonal: the cosines concentrate around 0 with spread ~ 1/√d.
#include <chrono>
#include <algorithm>
#include <cmath>

#include "runtime/blocks/blocks.h"

namespace lab::runtime {

void RandomCosineExperiment::step(double budget_ms) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<double> a(static_cast<size_t>(dim)), b(static_cast<size_t>(dim));
  auto draw = [&](double& x) {
    switch (distribution) {
      case 0: x = core::rng_normal(rng); break;
      case 1: x = 2 * core::rng_uniform(rng) - 1; break;
      default: x = core::rng_uniform(rng); break;
    }
  };
  // Look at the clock every ~16k coordinates (64 pairs at small d, 4 pairs at d = 4096), so a slice
  // overruns its budget by about a millisecond at most.
  const int pairs_per_check = std::clamp(16384 / std::max(1, dim), 1, 64);
  while (!done()) {
    for (int chunk = 0; chunk < pairs_per_check && !done(); ++chunk) {
      double dot = 0, na = 0, nb = 0;
      for (int k = 0; k < dim; ++k) {
        draw(a[size_t(k)]);
        draw(b[size_t(k)]);
        dot += a[size_t(k)] * b[size_t(k)];
        na += a[size_t(k)] * a[size_t(k)];
        nb += b[size_t(k)] * b[size_t(k)];
      }
      const double denom = std::sqrt(na) * std::sqrt(nb);
      const double c = denom > 0 ? std::clamp(dot / denom, -1.0, 1.0) : 0.0;  // a zero vector has no direction: count 0
      cosines.push_back(float(c));
      sum += c;
      sum_abs += std::abs(c);
      sum_sq += c * c;
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ms > budget_ms) break;
  }
}

std::string RandomCosineExperiment::progress_text() const {
  return std::to_string(cosines.size()) + " / " + std::to_string(pairs) + " pairs";
}

std::vector<Metric> RandomCosineExperiment::metrics() const {
  const double n = std::max<double>(1, double(cosines.size()));
  const double mean = sum / n;
  return {{"mean_cos", mean},
          {"mean_abs_cos", sum_abs / n},
          {"std_cos", std::sqrt(std::max(0.0, sum_sq / n - mean * mean))},
          {"one_over_sqrt_dim", 1.0 / std::sqrt(double(dim))}};
}

static std::unique_ptr<Experiment> make_random_cosine(const BlockConfig& c) {
  auto e = std::make_unique<RandomCosineExperiment>();
  e->dim = c.integer("dim");
  e->pairs = c.integer("pairs");
  e->distribution = c.integer("distribution");
  e->rng = core::Rng(uint64_t(c.integer("seed")));
  e->cosines.reserve(size_t(e->pairs));
  return e;
}

BlockKind& block_kind_random_cosine() {
  static BlockKind k{
      "random-cosine",
      "Cosine similarity of random vector pairs",
      {
          {"dim", ParamType::Int, "dimension d of the random vectors", 2, 1, 4096, {}, "", true},
          {"pairs", ParamType::Int, "number of random pairs", 2000, 10, 200000},
          {"distribution", ParamType::Choice, "how vector entries are drawn", 0, 0, 0, {"gaussian", "uniform", "nonnegative"}, "gaussian"},
          {"seed", ParamType::Int, "random seed", 0, 0, 1e9},
      },
      {
          {"mean_cos", "average cosine over the pairs"},
          {"mean_abs_cos", "average |cosine|: how far from orthogonal a random pair is"},
          {"std_cos", "standard deviation of the cosine (≈ 1/√d for gaussian vectors)"},
          {"one_over_sqrt_dim", "1/√d, for comparison"},
      },
      make_random_cosine,
  };
  metrics_mark_all_identity(k);
  return k;
}

}  // namespace lab::runtime
