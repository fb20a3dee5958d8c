// "rec-course": the course's notebooks' models with the course's settings, one after the other on the
// lessons' ratings (the generated data, or the student's MovieLens-100k: rec_user_data.h), each
// result shown beside the figure the course published for the real MovieLens-100k.
//   protocol explicit: MF (d 64, MAE loss), deep (dropout 0.5), deep + metadata, ratings as 5 classes
//                      (core::recsys::RatingClassObjective: softmax, MAE of the most probable rating); test MAE
//   protocol implicit: triplet (d 64, margin 1, cosine), deep triplet; ROC AUC
#pragma once

#include <string>
#include <vector>

#include "core/recsys/models.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_rec_course();

struct RecCourseRow {
  std::string label;          // "MF, d = 64, MAE loss"
  std::string metric;         // "mae_mf": the block's metric name
  double course = 0;          // the course's figure on the real MovieLens-100k
  bool classes = false;       // the ratings as 5 classes (rec_init_classes), not model.kind
  core::recsys::RecModelOptions model;
  core::nn::TrainerOptions train;
  // result
  bool done = false;
  double value = 0;           // test MAE (explicit) or ROC AUC (implicit)
  double seconds = 0;         // wall time of training + evaluation
};

struct RecCourseExperiment final : Experiment {
  // configuration
  bool implicit = false;
  uint64_t data_seed = 1;
  std::vector<RecCourseRow> rows;

  // state
  core::Status error;
  bool loaded = false, user_data = false;
  core::recsys::RecData data;
  core::recsys::Split split;
  double noise_floor_mae = 0;   // generated data, explicit: the best MAE achievable on the test ratings
  int current = -1;             // row being trained (-1: none started)
  bool evaluating = false;
  core::recsys::RecTrainer rt;
  core::recsys::RankingJob job;
  double row_ms = 0;

  void step(double budget_ms) override;
  bool done() const override;
  float progress() const override;
  std::string progress_text() const override;
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  DataSetInfo data_set() const override;

 private:
  void next_row();
};

}  // namespace lab::runtime
