// "dropout-ensemble": dropout as an ensemble of thinned networks. An MLP is trained on the digits with
// dropout; then, on the validation digits, the predictions of K thinned networks (the same weights
// under K sampled dropout masks, i.e. training-mode forward passes: MC dropout) are averaged, K = 1..masks,
// and compared with the one deterministic pass of the full network (inverted dropout: identity at
// inference). Srivastava et al. (2014, sec. 7.5) compare the two; Gal & Ghahramani (2016) read the
// average of K masks as approximate Bayesian inference.
// The logits of a net with one hidden layer are linear in the mask, and inverted dropout makes
// E[mask] = 1: their K-mask mean tends to the full net's logits exactly, with a gap ∝ 1/√K. The
// probabilities go through a softmax first, so their mean tends to E[softmax], close to but not equal
// to the softmax of the full net: that gap levels off. Every mask is drawn by the engine's
// nn::Dropout in a training forward pass (seeded), never by a copy of it here.
#pragma once

#include <vector>

#include "core/rng.h"
#include "runtime/blocks/train_runs.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_dropout_ensemble();

struct DropoutEnsembleExperiment final : Experiment {
  DigitsSplit data;
  std::vector<TrainRun> runs;     // one: the net trained with dropout
  int masks = 200;                // K_max
  core::Rng mask_rng{1};          // the stream the test-time masks are drawn from
  // After training, per K = 1..masks (index K − 1):
  core::Mat logits_full, probs_full;   // (N_val, 10): the deterministic pass (eval mode)
  core::Mat logits_sum, probs_sum;     // running sums over the masks drawn so far
  std::vector<float> logit_gap;   // mean |mean-of-K logits − full logits| over rows and classes
  std::vector<float> prob_gap;    // mean over rows of ½‖mean-of-K probabilities − full probabilities‖₁
  std::vector<float> acc_mc;      // validation accuracy of the mean-of-K probabilities
  std::vector<float> agree;       // share of rows whose mean-of-K argmax equals the full net's
  double acc_full = 0;
  core::Status error;

  void step(double budget_ms) override;
  bool done() const override;
  float progress() const override;
  std::string progress_text() const override;
  core::Status status() const override;
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
  bool trained() const { return !runs.empty() && runs[0].finished(); }
};

}  // namespace lab::runtime
