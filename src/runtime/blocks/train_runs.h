// Shared by the training lab blocks of the overfitting and batch-norm lessons: the digits as a
// train/validation split (with optional randomised training labels), and TrainRun — one named
// training run of an MLP whose curves, best epoch and divergence a widget can show. Several runs of
// one block advance together, round-robin, inside the block's time budget.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/data/labeled_csv.h"
#include "core/nn/trainer.h"

namespace lab::runtime {

// The UCI digits scaled to [0, 1], shuffled with `seed`, cut into train_size training rows and the
// rest (or val_size of the rest) for validation. `noisy` training labels are replaced by a random *other* digit (validation
// labels stay clean). The digits come from runtime/assets.h (read once per process).
struct DigitsSplit {
  core::Mat x_train, x_val;         // (N, 64)
  core::nn::Ids y_train, y_val;     // labels as trained on (y_train includes the noisy ones)
  std::vector<uint8_t> flipped;     // per training row: 1 if its label was randomised
};
// val_size > 0 keeps only that many validation rows (validating costs time every epoch).
core::Status digits_split(int train_size, int noisy, uint64_t seed, DigitsSplit& out, int val_size = 0);

struct TrainRun {
  std::string label;             // legend / column title, e.g. "p = 0.5"
  core::nn::Trainer tr;
  core::nn::MlpObjective* objective = nullptr;  // owned by tr
  core::Status status;           // not ok: this run stopped (diverged); its curves end there

  bool finished() const { return core::nn::trainer_done(tr) || !status.ok; }
  const core::nn::TrainHistory& history() const { return tr.history; }
  int epochs_done() const { return int(tr.history.val_loss.size()); }
  // Lowest validation loss so far and its epoch (1-based; 0 if no epoch yet).
  double best_val_loss() const;
  int best_epoch() const;
  // Mean validation loss over the last `k` epochs (one epoch is noisy under SGD on noisy labels).
  double late_val_loss(int k = 5) const;
  double last(const std::vector<float>& v) const { return v.empty() ? 0.0 : double(v.back()); }
};

// Builds the MLP (its weights from `seed`) and the trainer on the given data.
core::Status train_run_init(TrainRun& run, const DigitsSplit& data, const core::nn::MlpOptions& mlp,
                            const core::nn::TrainerOptions& opt, uint64_t seed);
// Advances the unfinished runs, sharing budget_ms between them. Returns false when all are finished.
bool train_runs_step(std::vector<TrainRun>& runs, double budget_ms);

// Work a block does on a run's model after each of its epochs (a measurement, a snapshot), in units
// interleaved with the training: pending(r) says run r has such work left, unit(r) does one unit of
// it. A run does not train while it has work pending, so the work sees the model exactly as it was
// at the end of its epoch, whatever the slices; and a slice overruns its budget by one unit at most.
struct EpochWork {
  std::function<bool(size_t)> pending;
  std::function<void(size_t)> unit;
};
// As above, doing the pending epoch work first. Returns false when all runs are finished and no
// work is pending.
bool train_runs_step(std::vector<TrainRun>& runs, double budget_ms, const EpochWork& work);
float train_runs_progress(const std::vector<TrainRun>& runs);
std::string train_runs_progress_text(const std::vector<TrainRun>& runs);

}  // namespace lab::runtime
