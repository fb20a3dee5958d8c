// The trainer: seeded shuffling, mini-batches, an optimiser, per-epoch histories, divergence
// detection, and time slicing so the UI can call it once per frame.
//
//   Trainer tr;
//   trainer_init(tr, std::make_unique<MlpObjective>(...), options);
//   every frame:  trainer_step(tr, 8.0);            // as many mini-batches as fit in 8 ms
//   headless:     trainer_run_to_end(tr);
//   plot:         tr.history.train_loss / val_loss / train_metric / val_metric (one value per epoch)
//
// What is trained is an Objective: a model + its data + its loss. Ready-made ones for the models in
// models.h are below; a module with other needs (e.g. a recommender with extra metrics) writes its
// own by implementing the few virtual functions.
//
// Epoch bookkeeping: the training loss/metric of an epoch are the means over that epoch's
// mini-batches (train mode, so with dropout), as Keras reports them; the validation loss/metric are
// computed after the epoch in eval mode, in slices as well (eval_batch_size rows at a time).
// Divergence: a non-finite loss, or a gradient norm that is not finite or exceeds max_grad_norm,
// stops training with an error Status that says what happened and what to change; no NaN is ever
// written to the histories.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "core/nn/models.h"
#include "core/nn/optim.h"

namespace lab::core::nn {

struct BatchResult {
  double loss = 0;    // mean loss over the batch
  double metric = 0;  // mean per-sample metric over the batch (see Objective::metric_name)
  Index count = 0;    // samples in the batch
};

class Objective {
 public:
  virtual ~Objective() = default;
  virtual Index train_size() const = 0;
  virtual Index val_size() const = 0;  // 0: no validation set
  // Forward (train mode) + loss + backward on these training rows; gradients are ADDED (the trainer
  // zeroes them before each batch).
  virtual Status train_batch(std::span<const uint32_t> rows, Rng& rng, BatchResult& out) = 0;
  // Forward (eval mode) + loss on these validation rows; no gradients.
  virtual Status eval_batch(std::span<const uint32_t> rows, BatchResult& out) = 0;
  virtual std::vector<ParamRef> params() = 0;
  // Validates data against the model once (shapes, ids in range); trainer_init calls it.
  virtual Status check() const { return Status::success(); }
  virtual const char* metric_name() const { return ""; }  // "" = no metric
  // Turns the epoch's mean of per-sample metric values into the reported metric (RMSE: sqrt of MSE).
  virtual double metric_finish(double mean) const { return mean; }
  // Working memory per row of a mini-batch in bytes (activations, forward caches, gradients of the
  // inputs), for trainer_init's budget check before the first batch; 0 = negligible.
  virtual double row_bytes() const { return 0; }
};

// ---- Ready-made objectives --------------------------------------------------------------------------
// MLP classifier (softmax cross-entropy, metric accuracy) or regressor (MSE, metric MAE).
enum class Task { Classify, Regress };
struct MlpData {
  Mat x_train, x_val;                    // (N, in)
  Ids labels_train, labels_val;          // Classify: class per row
  Mat y_train, y_val;                    // Regress: (N, out)
};
class MlpObjective : public Objective {
 public:
  Mlp model;
  MlpData data;
  Task task = Task::Classify;
  Status check() const override;
  Index train_size() const override { return data.x_train.rows(); }
  Index val_size() const override { return data.x_val.rows(); }
  Status train_batch(std::span<const uint32_t> rows, Rng& rng, BatchResult& out) override;
  Status eval_batch(std::span<const uint32_t> rows, BatchResult& out) override;
  std::vector<ParamRef> params() override { return model.params(); }
  const char* metric_name() const override { return task == Task::Classify ? "accuracy" : "mae"; }
  double row_bytes() const override { return mlp_row_bytes(model.opt); }

 private:
  Status run(const Mat& x, const Ids& labels, const Mat& y, std::span<const uint32_t> rows, const ForwardCtx& ctx,
             bool train, BatchResult& out);
};

// Ratings for a two-tower model (recsys::RatingObjective trains on them).
struct RatingSet {
  Ids users, items;
  std::vector<float> ratings;
};
// The lecture's L2 on embeddings for one batch: adds lambda/N * (||u||^2 + ||v||^2) over the batch's
// (user, item) rows to the gradients (2 lambda/N * row) and returns the penalty to add to the loss.
// Only the rows in the batch are touched, so it stays cheap with large vocabularies.
double two_tower_l2_batch(TwoTower& model, const Ids& users, const Ids& items, double l2);

// ---- Trainer ----------------------------------------------------------------------------------------
struct TrainerOptions {
  int epochs = 10;
  Index batch_size = 64;
  uint64_t seed = 1;          // shuffling and dropout masks
  bool shuffle = true;
  OptimOptions optim;
  double max_grad_norm = 1e4; // divergence threshold on the global gradient norm
  Index eval_batch_size = 1024;
};

struct TrainHistory {
  std::vector<float> train_loss, val_loss, train_metric, val_metric;  // one entry per finished epoch
  std::vector<float> batch_loss;                                      // every mini-batch
};

enum class TrainPhase { Train, Validate, Done, Failed };

struct Trainer {
  TrainerOptions opt;
  std::unique_ptr<Objective> objective;
  Optimizer optim;
  Rng rng{1};
  TrainHistory history;
  TrainPhase phase = TrainPhase::Failed;
  Status status = Status::error("trainer not initialised");
  int epoch = 0;              // epochs finished
  int64_t steps = 0;          // mini-batches taken
  // within the current epoch
  std::vector<uint32_t> order, val_rows;
  Index cursor = 0;
  double sum_loss = 0, sum_metric = 0;
  Index seen = 0;
};

// Checks the options and the objective's data. Refuses, before anything is allocated, a mini-batch
// whose activations or a training history (one loss per mini-batch) would be over the lab's memory
// budget (core/memory_budget.h); validation slices (eval_batch_size) shrink to fit it instead.
Status trainer_init(Trainer& tr, std::unique_ptr<Objective> objective, const TrainerOptions& opt);
// Runs mini-batches (and end-of-epoch validation) until budget_ms has passed (at least one batch),
// or training is done. Returns the trainer's status: an error once training failed.
Status trainer_step(Trainer& tr, double budget_ms);
Status trainer_run_to_end(Trainer& tr);
inline bool trainer_done(const Trainer& tr) { return tr.phase == TrainPhase::Done || tr.phase == TrainPhase::Failed; }
// Progress through all epochs in [0, 1], and as a block shows it: "epoch e / E" (e: the epoch in
// progress, counted from 1; E when training is over). Every block that trains a model uses these.
double trainer_progress(const Trainer& tr);
std::string trainer_progress_text(const Trainer& tr);

}  // namespace lab::core::nn
