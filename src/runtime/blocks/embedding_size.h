// "embedding-size": the embedding size d as a regulariser. Matrix factorisation (the engine's Mf rating
// model, core/recsys) is trained on the generated MovieLens-shaped ratings once per d = 1, 2, 4, ...,
// dim_max, all with the same data, split, optimiser and epochs, and the held-out RMSE after the last
// epoch (no early stopping) is plotted against d beside the training RMSE. A small d cannot hold the
// users' tastes (both errors high); a large d with no L2 penalty fits the training ratings' noise
// (training error falls, held-out error rises): a U. The models train one after another, in slices.
#pragma once

#include <vector>

#include "core/recsys/data.h"
#include "core/recsys/models.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_embedding_size();

struct EmbeddingSizeExperiment final : Experiment {
  // configuration
  std::vector<int> dims;                 // 1, 2, 4, ..., dim_max
  core::recsys::RecModelOptions model;   // dim set per run
  core::nn::TrainerOptions train;
  uint64_t data_seed = 1;

  // state
  core::Status error;
  bool initialised = false;
  core::recsys::RecData data;
  core::recsys::Split split;
  core::recsys::RecTrainer rt;           // the model being trained: dims[current]
  size_t current = 0;
  bool current_started = false;
  // Per finished d (same index as dims):
  std::vector<double> train_rmse;        // training RMSE of the last epoch
  std::vector<double> val_rmse;          // held-out RMSE after training
  double noise_floor = 0;                // best RMSE any model could reach on the held-out ratings

  void step(double budget_ms) override;
  bool done() const override { return !error.ok || val_rmse.size() == dims.size(); }
  float progress() const override;
  std::string progress_text() const override;
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
  int best_index() const;                // index of the d with the lowest held-out RMSE, -1 before any
};

}  // namespace lab::runtime
