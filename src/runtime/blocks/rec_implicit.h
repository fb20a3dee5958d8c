// "rec-implicit": implicit feedback (positives only) and the triplet margin loss, trained live;
// one sampled training triplet shown at every slice; AUC / precision@k / NDCG vs popularity.
#pragma once

#include <vector>

#include "core/recsys/models.h"
#include "runtime/blocks/rec_explicit.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_rec_implicit();

struct SampledTriplet {
  int32_t user = -1, pos = -1, neg = -1;
  float s_pos = 0, s_neg = 0, loss = 0;
};

struct RecImplicitExperiment final : Experiment {
  core::recsys::RecModelOptions model;
  core::nn::TrainerOptions train;
  uint64_t data_seed = 1;
  double dislike_auc = 0;  // held-out positives ranked above the same user's held-out dislikes
  int dislike_users = 0;
  int user = 0, k = 10;

  core::Status error;
  bool initialised = false, evaluated = false;
  core::recsys::RecData data;
  core::recsys::RecTrainer rt;
  core::recsys::RankingEval eval, pop;
  // After training: the model's and the popularity baseline's ranking metrics, a few users per unit.
  bool evaluating = false;
  core::recsys::RankingJob eval_job, pop_job;
  core::Rng sample_rng{7};
  SampledTriplet triplet;
  int64_t triplets_shown = 0;
  int listed_user = -1;
  std::vector<int32_t> recs, pop_recs;

  void step(double budget_ms) override;
  bool done() const override;
  float progress() const override;
  std::string progress_text() const override;
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
  DataSetInfo data_set() const override;

  // Draws a training positive (user, item) and a negative as training does, and scores them with the model now.
  void sample_triplet();
  void list_for(int user);
  // The trained model in the lab's model file (core/recsys/model_file.h); empty before training ends.
  std::string model_file() const;
};

}  // namespace lab::runtime
