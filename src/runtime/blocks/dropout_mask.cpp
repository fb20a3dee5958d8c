#include "runtime/blocks/dropout_mask.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace lab::runtime {

void DropoutMaskExperiment::resample() {
  ++draws;
  const int layers = int(widths.size());
  mask.assign(size_t(layers - 2), {});
  values.assign(size_t(layers), {});
  values[0].assign(size_t(widths[0]), 0.0);
  for (int i = 0; i < widths[0]; ++i) values[0][size_t(i)] = 0.2 + 0.8 * double(i + 1) / double(widths[0]);
  const double scale = 1.0 / (1.0 - p);
  for (int l = 0; l + 1 < layers; ++l) {
    const core::Mat& w = weights[size_t(l)];
    std::vector<double>& out = values[size_t(l + 1)];
    out.assign(size_t(widths[size_t(l + 1)]), 0.0);
    for (int j = 0; j < w.cols(); ++j)
      for (int i = 0; i < w.rows(); ++i) out[size_t(j)] += values[size_t(l)][size_t(i)] * double(w(i, j));
    if (l + 2 < layers) {  // a hidden layer: ReLU, then the mask (inverted scaling)
      std::vector<uint8_t>& m = mask[size_t(l)];
      m.assign(out.size(), 1);
      for (size_t j = 0; j < out.size(); ++j) {
        out[j] = std::max(0.0, out[j]);
        m[j] = core::rng_uniform(rng) < p ? 0 : 1;
        out[j] *= m[j] ? scale : 0.0;
      }
    }
  }
}

void DropoutMaskExperiment::step(double budget_ms) {
  const auto start = std::chrono::steady_clock::now();
  const core::Mat& w = weights.back();
  const int n = int(h.size()), k = int(w.cols());
  const double scale = 1.0 / (1.0 - p);
  std::vector<uint8_t> m(static_cast<size_t>(n), 1);
  while (!done()) {
    for (int chunk = 0; chunk < 256 && !done(); ++chunk, ++done_samples) {
      for (int i = 0; i < n; ++i) {
        m[size_t(i)] = core::rng_uniform(rng) < p ? 0 : 1;
        dropped += 1 - m[size_t(i)];
      }
      seen += n;
      for (int j = 0; j < k; ++j) {
        double z = 0;
        for (int i = 0; i < n; ++i)
          if (m[size_t(i)]) z += h[size_t(i)] * double(w(i, j));
        sum_slides[size_t(j)] += z;            // (h ⊙ m) W
        sum_inverted[size_t(j)] += z * scale;  // (h ⊙ m / (1 − p)) W
      }
    }
    if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() > budget_ms) break;
  }
}

std::string DropoutMaskExperiment::progress_text() const {
  return std::to_string(done_samples) + " / " + std::to_string(samples) + " masks";
}

std::vector<Metric> DropoutMaskExperiment::metrics() const {
  // Largest deviation of the Monte-Carlo mean from the test-time value, relative to the largest
  // test-time value (so the number does not depend on the weights' scale).
  double zmax = 0, err_inv = 0, err_sl = 0;
  for (size_t j = 0; j < z_test.size(); ++j) zmax = std::max(zmax, std::abs(z_test[j]));
  for (size_t j = 0; j < z_test.size(); ++j) {
    err_inv = std::max(err_inv, std::abs(mean_inverted(int(j)) - z_test[j]));
    err_sl = std::max(err_sl, std::abs(mean_slides(int(j)) - (1 - p) * z_test[j]));
  }
  const double denom = zmax > 0 ? zmax : 1;
  int dropped_now = 0, units = 0;
  for (const auto& m : mask)
    for (uint8_t b : m) {
      dropped_now += 1 - b;
      ++units;
    }
  return {{"p", p},
          {"drop_rate", seen ? double(dropped) / double(seen) : 0.0},
          {"inverted_error", done_samples ? err_inv / denom : 1.0},
          {"slides_error", done_samples ? err_sl / denom : 1.0},
          {"train_scale", 1.0 / (1.0 - p)},
          {"test_scale_slides", 1.0 - p},
          {"dropped_in_picture", double(dropped_now)},
          {"hidden_units", double(units)},
          {"masks", double(done_samples)}};
}

static std::unique_ptr<Experiment> make_dropout_mask(const BlockConfig& c) {
  auto e = std::make_unique<DropoutMaskExperiment>();
  e->p = c.num("p");
  e->samples = c.integer("samples");
  e->rng = core::Rng(uint64_t(c.integer("seed")));
  e->widths.push_back(c.integer("inputs"));
  for (int l = 0; l < c.integer("layers"); ++l) e->widths.push_back(c.integer("hidden"));
  e->widths.push_back(c.integer("outputs"));
  // Fixed weights: He-normal, so activations keep their scale through the layers.
  core::Rng wr(uint64_t(c.integer("seed")) + 1000);
  for (size_t l = 0; l + 1 < e->widths.size(); ++l) {
    core::Mat w(e->widths[l], e->widths[l + 1]);
    const double sd = std::sqrt(2.0 / double(e->widths[l]));
    for (core::Index j = 0; j < w.cols(); ++j)
      for (core::Index i = 0; i < w.rows(); ++i) w(i, j) = core::Scalar(sd * core::rng_normal(wr));
    e->weights.push_back(w);
  }
  // Eval-mode activations of the last hidden layer (no dropout anywhere), and the test-time input
  // of the output layer.
  std::vector<double> a(size_t(e->widths[0]));
  for (int i = 0; i < e->widths[0]; ++i) a[size_t(i)] = 0.2 + 0.8 * double(i + 1) / double(e->widths[0]);
  for (size_t l = 0; l + 1 < e->widths.size(); ++l) {
    const core::Mat& w = e->weights[l];
    std::vector<double> out(size_t(w.cols()), 0.0);
    for (core::Index j = 0; j < w.cols(); ++j)
      for (core::Index i = 0; i < w.rows(); ++i) out[size_t(j)] += a[size_t(i)] * double(w(i, j));
    if (l + 2 < e->widths.size()) {
      for (double& v : out) v = std::max(0.0, v);
      e->h = out;
    } else {
      e->z_test = out;
    }
    a = out;
  }
  e->sum_inverted.assign(e->z_test.size(), 0.0);
  e->sum_slides.assign(e->z_test.size(), 0.0);
  e->resample();
  return e;
}

BlockKind& block_kind_dropout_mask() {
  static BlockKind k{
      "dropout-mask",
      "A dropout mask on a small network, and the expected activation under both scalings",
      {
          {"p", ParamType::Float, "probability of dropping each hidden unit", 0.5, 0, 0.95},
          {"inputs", ParamType::Int, "input units", 4, 1, 12},
          {"hidden", ParamType::Int, "units per hidden layer", 8, 1, 16},
          {"layers", ParamType::Int, "hidden layers", 2, 1, 4},
          {"outputs", ParamType::Int, "output units", 3, 1, 8},
          {"samples", ParamType::Int, "masks averaged for the expected activation", 20000, 100, 1000000, {}, "", true},
          {"seed", ParamType::Int, "random seed (weights and masks)", 1, 0, 1e9},
      },
      {
          {"p", "the dropout rate"},
          {"drop_rate", "fraction of units dropped over all sampled masks (≈ p)"},
          {"inverted_error", "max |E[train input] − test input| of the next layer, inverted dropout, relative to the largest input"},
          {"slides_error", "the same for the slides' convention (no scaling in training, × (1 − p) at test)"},
          {"train_scale", "inverted dropout's training scale 1/(1 − p)"},
          {"test_scale_slides", "the slides' test-time scale (1 − p)"},
          {"dropped_in_picture", "units dropped in the mask drawn on the network"},
          {"hidden_units", "hidden units in the network"},
          {"masks", "masks averaged so far"},
      },
      make_dropout_mask,
  };
  return k;
}

}  // namespace lab::runtime
