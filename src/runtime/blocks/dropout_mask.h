// "dropout-mask": dropout on a small network, one forward pass at a time. A Bernoulli mask (each
// hidden unit dropped with probability p) is drawn and shown on the network; the student can draw
// another. Then, over many masks, the expected input of the next layer is measured both ways the
// lecture writes dropout:
//   inverted (what we train with): train h·m/(1−p), test h            → E[train] = test
//   the slides' test-time scaling: train h·m,       test (1−p)·h      → E[train] = test
// Both conventions give the next layer the same expected input as at test time; they differ only
// in where the 1/(1−p) goes (folded into the weights, the two networks compute the same function).
// The network is built from the engine's own layers (nn::DenseT, nn::ActivationT, nn::DropoutT), and
// every mask — the one drawn on the picture and the ones averaged — is drawn by nn::Dropout in a
// training forward pass: the student sees exactly the masks training applies.
#pragma once

#include <vector>

#include "core/nn/layers.h"
#include "core/rng.h"
#include "core/types.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_dropout_mask();

struct DropoutMaskExperiment final : Experiment {
  double p = 0.5;
  std::vector<int> widths;                          // input, hidden..., output
  std::vector<core::nn::DenseT<double>> dense;      // widths.size() − 1 layers, fixed random (He-normal)
  std::vector<core::nn::ActivationT<double>> relu;  // after each hidden dense layer
  std::vector<core::nn::DropoutT<double>> drop;     // after each hidden ReLU: draws the masks
  core::MatD input;                                 // (1, inputs): the picture's input
  core::Rng rng{1};
  // One forward pass with a fresh mask ([SECTION] drawn on the network).
  std::vector<std::vector<uint8_t>> mask;   // per hidden layer: 1 kept, 0 dropped
  std::vector<std::vector<double>> values;  // per layer (input .. output): activations of that pass
  int draws = 0;                            // masks drawn for the picture (1 + re-samples)
  // Expectations over `samples` masks on the last hidden layer (eval-mode activations h).
  std::vector<double> h;                    // last hidden layer, no dropout anywhere
  std::vector<double> z_test;               // h W: the next layer's input at test time (inverted)
  double kept_scale = 0;                    // what nn::Dropout multiplies a kept unit by in training
  std::vector<double> sum_inverted, sum_slides;  // Σ over masks of (h·m/(1−p)) W and (h·m) W
  int64_t dropped = 0, seen = 0;            // units dropped / considered, over all masks
  int samples = 20000, done_samples = 0;

  void resample();  // draws a new mask for the picture (the student's button)
  void step(double budget_ms) override;
  bool done() const override { return done_samples >= samples; }
  float progress() const override { return float(done_samples) / float(samples); }
  std::string progress_text() const override;
  std::vector<Metric> metrics() const override;
  // Mean next-layer input over the masks so far, for unit j.
  double mean_inverted(int j) const { return done_samples ? sum_inverted[size_t(j)] / done_samples : 0.0; }
  double mean_slides(int j) const { return done_samples ? sum_slides[size_t(j)] / done_samples : 0.0; }
};

}  // namespace lab::runtime
