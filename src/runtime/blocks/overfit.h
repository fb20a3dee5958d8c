// "overfit-dropout" and "overfit-regularise": the lecture's overfitting experiment on the digits with
// randomised training labels. An MLP with a wide hidden layer (1024 units) trained with SGD
// memorises the wrong labels: its validation loss falls, then turns up. overfit-dropout trains the
// same net with three dropout rates side by side (none overfits, a little generalises best, too
// much underfits); overfit-regularise trains a reference (no regulariser) beside a net with an L2
// penalty λ‖W‖², another hidden width and/or another depth, and reports the train/validation gap of
// both. Both kinds take `layers`: that many hidden layers of `hidden` units, dropout after each.
#pragma once

#include <vector>

#include "runtime/blocks/train_runs.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_overfit_dropout();
BlockKind& block_kind_overfit_regularise();

struct OverfitExperiment final : Experiment {
  enum class Mode { Dropout, Regularise } mode = Mode::Dropout;
  DigitsSplit data;
  std::vector<TrainRun> runs;  // Dropout: one per p; Regularise: [reference, yours]
  std::vector<double> dropout; // p of each run
  std::vector<double> l2;      // λ of each run
  std::vector<int> hidden;     // width of each hidden layer, per run
  std::vector<int> layers;     // number of hidden layers, per run
  int noisy = 0;
  // Per run, after every epoch: share of the randomised training labels the net reproduces (eval
  // mode) — how much of the noise it has memorised. Measured as soon as the epoch ends (the run
  // waits for it; one unit of work of the slice).
  std::vector<std::vector<float>> memorised;
  core::Status error;

  void step(double budget_ms) override;
  bool done() const override;
  float progress() const override { return train_runs_progress(runs); }
  std::string progress_text() const override { return train_runs_progress_text(runs); }
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
  bool memorised_pending(size_t r) const;
};

// Index (0-based) of the run with the lowest late validation loss (mean of the last 5 epochs: where
// training ends, without early stopping), or -1 before the first epoch.
int overfit_best_run(const std::vector<TrainRun>& runs);
// Share of misclassified validation rows, mean of the last 5 epochs (0 before the first epoch).
double overfit_late_val_error(const TrainRun& r);

}  // namespace lab::runtime
