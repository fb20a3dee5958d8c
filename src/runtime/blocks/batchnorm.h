// "batchnorm-compare" and "batchnorm-inference": the batch-normalisation lesson.
//  batchnorm-compare  the same deep MLP on the digits trained twice, without and with BatchNorm
//                     (between each hidden Dense and its activation), from the same scaled initial
//                     weights and at the same learning rate; per-layer activation histograms of a
//                     probe batch after every epoch; parameter counts (BN adds 2 × width trainable
//                     parameters and 2 × width running statistics per layer). A run that diverges
//                     stops with its message; its curves end there.
//  batchnorm-inference  one BN net; after every epoch its validation accuracy evaluated three ways:
//                     with the running averages (eval mode, correct), with the statistics of the
//                     evaluation batch itself (batches of eval_batch rows; 1 row = every input
//                     normalises to 0), and with running statistics never updated (mean 0, var 1);
//                     plus the first BN layer's batch statistics against its running averages.
//                     The evaluation runs in slices (one evaluation batch, or the eval-mode pass,
//                     per unit of work); training waits for it, so every value is that of the model
//                     exactly at the end of its epoch.
#pragma once

#include <vector>

#include "runtime/blocks/train_runs.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_batchnorm_compare();
BlockKind& block_kind_batchnorm_inference();

// Per-layer activations of a probe batch at one moment of training.
struct ActivationSnapshot {
  int epoch = 0;                           // epochs finished when taken
  std::vector<std::vector<float>> values;  // per hidden layer: every activation of the probe batch
  std::vector<float> std;                  // per hidden layer: standard deviation of those values
  std::vector<float> saturated;            // per hidden layer: share of |tanh| > 0.99, or of ReLU outputs = 0
};

struct BatchnormCompareExperiment final : Experiment {
  DigitsSplit data;
  std::vector<TrainRun> runs;                  // [plain, batch-norm]
  std::vector<ActivationSnapshot> snapshots;   // latest per run
  std::vector<ActivationSnapshot> initial;     // before training, per run
  core::Mat probe;                             // the probe batch (training rows)
  core::nn::Act act = core::nn::Act::Tanh;
  int width = 64, depth = 6;
  double init_scale = 1;                       // multiplies both nets' initial Dense weights
  core::Status error;

  void step(double budget_ms) override;
  bool done() const override;
  float progress() const override { return train_runs_progress(runs); }
  std::string progress_text() const override { return train_runs_progress_text(runs); }
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
  bool snapshot_pending(size_t r) const;
};

ActivationSnapshot activation_snapshot(const core::nn::Mlp& model, const core::Mat& probe, int epoch);

// Validation accuracy of a BN model that normalises with the statistics of each evaluation batch,
// one batch per call: train-mode forwards on a copy of the model (they update its running
// statistics, never the real model's).
struct BatchStatsAccuracy {
  core::nn::Mlp model;      // the copy
  core::Rng rng{7};
  core::Index next = 0;     // validation rows done
  core::Index correct = 0;
  bool failed = false;      // a forward failed: the accuracy is 0
};
void batch_stats_accuracy_start(BatchStatsAccuracy& a, const core::nn::Mlp& model);
// Evaluates the next `batch` rows; returns true when every row of x is done.
bool batch_stats_accuracy_step(BatchStatsAccuracy& a, const core::Mat& x, const core::nn::Ids& y, int batch);
double batch_stats_accuracy_result(const BatchStatsAccuracy& a, core::Index rows);

// Validation accuracy in eval mode, one layer per call (the same arithmetic as accuracy_eval).
struct EvalAccuracy {
  core::nn::Mlp model;
  core::Mat h;              // the activations after `layers` layers
  size_t layers = 0;
  bool failed = false;      // x does not fit the model: the accuracy is 0
};
void eval_accuracy_start(EvalAccuracy& a, const core::nn::Mlp& model, const core::Mat& x);
// Runs the next layer; returns true when the output is there.
bool eval_accuracy_step(EvalAccuracy& a);
double eval_accuracy_result(const EvalAccuracy& a, const core::nn::Ids& y);

struct BatchnormInferenceExperiment final : Experiment {
  DigitsSplit data;
  std::vector<TrainRun> runs;   // one BN run
  int eval_batch = 1;
  // One entry per finished epoch: validation accuracy evaluated three ways.
  std::vector<float> acc_running, acc_batch, acc_init;
  // The evaluation of the epoch that just ended, in progress (training waits for it): first the
  // batch-statistics accuracy, one evaluation batch per unit of work, then the eval-mode pass with
  // fresh running statistics, one layer per unit.
  bool evaluating = false;
  BatchStatsAccuracy eval_batch_stats;
  EvalAccuracy eval_init_stats;
  bool eval_init_started = false;
  // The first BN layer on a probe batch of training rows: its batch mean / variance per feature
  // (shown: the first `features_shown`) against the running averages.
  core::Mat probe;
  std::vector<float> batch_mean, batch_var, running_mean, running_var;
  core::Status error;

  void step(double budget_ms) override;
  bool done() const override { return !error.ok || (!runs.empty() && runs[0].finished() && !evaluation_pending()); }
  float progress() const override { return train_runs_progress(runs); }
  std::string progress_text() const override;
  core::Status status() const override;
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
  void update_stats();
  bool evaluation_pending() const { return !runs.empty() && int(acc_running.size()) < runs[0].epochs_done(); }
  void evaluate_one_unit();
};

// The same in one call (batches of `batch` rows), i.e. without running averages.
double accuracy_with_batch_stats(const core::nn::Mlp& model, const core::Mat& x, const core::nn::Ids& y, int batch);
double accuracy_eval(core::nn::Mlp model, const core::Mat& x, const core::nn::Ids& y);

}  // namespace lab::runtime
