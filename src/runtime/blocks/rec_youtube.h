// "rec-youtube": the YouTube candidate-generation model of the lecture — a user is the average of
// the embeddings of the movies they watched, an MLP turns that into a softmax over the catalogue,
// trained to predict the next watch — beside the same network with a user-id embedding. Both are
// then asked to recommend to new users (held out of training) from their first few watches.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "core/recsys/data.h"
#include "core/recsys/watch.h"
#include "runtime/blocks/rec_explicit.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_rec_youtube();

struct RecYoutubeExperiment final : Experiment {
  enum Model { Average, IdModel, kModels };
  // configuration
  std::array<core::recsys::WatchOptions, kModels> model;
  core::nn::TrainerOptions train;
  uint64_t data_seed = 1;
  double new_users = 0.2;
  int first_watches = 3;  // a new user's watches the models are given
  int k = 10;

  // state
  core::Status error;
  bool initialised = false, evaluated = false;
  core::recsys::RecData data;
  core::recsys::WatchData watch;
  int training = 0;  // the model training now; kModels when both are done
  std::array<std::unique_ptr<core::nn::Trainer>, kModels> trainers;
  std::array<core::recsys::WatchObjective*, kModels> objective{};
  std::array<std::vector<float>, kModels> val_accuracy;  // next-watch accuracy of known users per epoch

  // Results. Per model (and the popularity baseline, index kModels): on new users, given their
  // first watches: hit rate of the next watch in the top k, precision@k and NDCG@k over all their
  // later watches; on known users, hit rate of their last watch given the ones before.
  struct Scores {
    double next_hit = 0, precision = 0, ndcg = 0, known_hit = 0;
  };
  std::array<Scores, kModels + 1> scores{};
  int n_new_evaluated = 0, n_known_evaluated = 0;
  // Per new user shown by the widget: first watches, the averaged vector, the average model's top k
  // and whether each was watched later.
  struct NewUser {
    int32_t user = 0;
    std::vector<int32_t> history, recs, id_recs;
    std::vector<uint8_t> hit, id_hit;
    std::vector<float> vector;
  };
  std::vector<NewUser> shown;

  void step(double budget_ms) override;
  bool done() const override { return !error.ok || evaluated; }
  float progress() const override;
  std::string progress_text() const override;
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
  DataSetInfo data_set() const override;
  // Model m in the lab's model file (core/nn/model_io.h; info "embedlab watch model" and its
  // options); empty until it has finished training.
  std::string model_file(int m) const;

 private:
  void start(int m);
  void evaluate(double budget_ms);
  bool evaluate_user(int32_t user);
  int32_t eval_next = 0;  // the next user to evaluate
  std::vector<float> popularity;  // watches per movie among known users
  std::array<Scores, kModels + 1> eval_sum{};
};

}  // namespace lab::runtime
