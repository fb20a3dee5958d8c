#include "runtime/blocks/dropout_mask.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace lab::runtime {

namespace {

using core::MatD;
using core::nn::ctx_eval;
using core::nn::ctx_train;

// Values of a training-mode Dropout's cached mask: 0 for a dropped unit, 1/(1 − p) for a kept one.
bool kept(const MatD& mask, core::Index i, core::Index j) { return mask.size() == 0 || mask(i, j) != 0; }

}  // namespace

void DropoutMaskExperiment::resample() {
  ++draws;
  const int layers = int(widths.size());
  mask.assign(size_t(layers - 2), {});
  values.assign(size_t(layers), {});
  MatD a = input;
  values[0].assign(a.data(), a.data() + a.size());
  for (int l = 0; l + 1 < layers; ++l) {
    a = dense[size_t(l)].forward(a, ctx_train(rng));
    if (l + 2 < layers) {  // a hidden layer: ReLU, then dropout as training applies it
      a = relu[size_t(l)].forward(a, ctx_train(rng));
      a = drop[size_t(l)].forward(a, ctx_train(rng));
      std::vector<uint8_t>& m = mask[size_t(l)];
      m.assign(size_t(a.cols()), 1);
      if (drop[size_t(l)].last_train)
        for (core::Index j = 0; j < a.cols(); ++j) m[size_t(j)] = kept(drop[size_t(l)].mask, 0, j);
    }
    values[size_t(l + 1)].assign(a.data(), a.data() + a.size());
  }
}

void DropoutMaskExperiment::step(double budget_ms) {
  const auto start = std::chrono::steady_clock::now();
  core::nn::DenseT<double>& out = dense.back();
  core::nn::DropoutT<double>& last = drop.back();
  const int n = int(h.size()), k = int(out.out_dim());
  const MatD hrow = Eigen::Map<const Eigen::RowVectorXd>(h.data(), n);
  while (!done()) {
    // A batch of masks at once: each row of the batch is the last hidden layer with its own mask.
    const int rows = std::min(256, samples - done_samples);
    const MatD dropped_h = last.forward(hrow.replicate(rows, 1), ctx_train(rng));  // (h ⊙ m) / (1 − p)
    const MatD z = out.forward(dropped_h, ctx_eval());                              // its input to the next layer
    if (last.last_train) {
      for (core::Index r = 0; r < rows; ++r)
        for (core::Index i = 0; i < n; ++i) dropped += !kept(last.mask, r, i);
      if (kept_scale == 0)
        for (core::Index i = 0; i < last.mask.size() && kept_scale == 0; ++i) kept_scale = last.mask.data()[i];
    }
    seen += int64_t(rows) * n;
    for (int j = 0; j < k; ++j) {
      const double s = z.col(j).sum();  // Σ over the batch (the biases are 0: z = (h ⊙ m / (1 − p)) W)
      sum_inverted[size_t(j)] += s;              // (h ⊙ m / (1 − p)) W
      sum_slides[size_t(j)] += s * (1.0 - p);    // (h ⊙ m) W: the same masks without the training scale
    }
    done_samples += rows;
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
          {"train_scale", p > 0 ? kept_scale : 1.0},
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
  // The engine's layers, with the engine's initialisation (He-normal for ReLU, zero biases); the
  // weights have their own generator so that drawing masks never changes them.
  core::Rng wr(uint64_t(c.integer("seed")) + 1000);
  const size_t layers = e->widths.size();
  e->dense.resize(layers - 1);
  e->relu.resize(layers - 2);
  e->drop.resize(layers - 2);
  for (size_t l = 0; l + 1 < layers; ++l) e->dense[l].init(e->widths[l], e->widths[l + 1], wr, true);
  for (auto& d : e->drop) d.p = e->p;
  e->input.resize(1, e->widths[0]);
  for (int i = 0; i < e->widths[0]; ++i) e->input(0, i) = 0.2 + 0.8 * double(i + 1) / double(e->widths[0]);
  // Eval mode (no dropout anywhere): the last hidden layer's activations h and the test-time input
  // of the output layer.
  core::MatD a = e->input;
  for (size_t l = 0; l + 1 < layers; ++l) {
    a = e->dense[l].forward(a, core::nn::ctx_eval());
    if (l + 2 < layers) {
      a = e->drop[l].forward(e->relu[l].forward(a, core::nn::ctx_eval()), core::nn::ctx_eval());
      e->h.assign(a.data(), a.data() + a.size());
    } else {
      e->z_test.assign(a.data(), a.data() + a.size());
    }
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
          {"train_scale", "what the engine's dropout layer multiplies a kept unit by in training (inverted dropout: 1/(1 − p))"},
          {"test_scale_slides", "the slides' test-time scale (1 − p)"},
          {"dropped_in_picture", "units dropped in the mask drawn on the network"},
          {"hidden_units", "hidden units in the network"},
          {"masks", "masks averaged so far"},
      },
      make_dropout_mask,
  };
  metrics_mark_all_identity(k);
  return k;
}

}  // namespace lab::runtime
