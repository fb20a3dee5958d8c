// "rec-coldstart": the recommender landscape on one data set — content-based (user and movie
// features, no ids), collaborative (ids only: matrix factorisation) and hybrid (ids + features) —
// trained one after the other on the same split, and their errors compared per group: new movies,
// new users with a few ratings, everyone else, and by how many training ratings a movie or user has.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "core/recsys/models.h"
#include "runtime/blocks/rec_explicit.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_rec_coldstart();

// Rating-count buckets of the per-count plots: 0, 1-2, 3-9, 10-29, 30+ training ratings.
constexpr int kCountBuckets = 5;
extern const std::array<const char*, kCountBuckets> kCountBucketNames;
int count_bucket(int training_ratings);

struct RecColdstartExperiment final : Experiment {
  enum Family { Content, Collaborative, Hybrid, kFamilies };
  static constexpr std::array<core::recsys::ModelKind, kFamilies> kKinds = {
      core::recsys::ModelKind::Content, core::recsys::ModelKind::Mf, core::recsys::ModelKind::Hybrid};
  static constexpr std::array<const char*, kFamilies> kFamilyNames = {"content", "collab", "hybrid"};

  // configuration
  std::array<core::recsys::RecModelOptions, kFamilies> model;
  std::array<core::nn::TrainerOptions, kFamilies> train;
  uint64_t data_seed = 1;
  double genre_share = 0.6, genre_bias = 0;  // the generator's (SynthOptions): how much genres explain ratings
  bool cold = true;  // the cold split (new movies, new users) or the ordinary random 80/20 split
  double new_items = 0.2, new_users = 0.2;
  int new_user_ratings = 3;

  // state
  core::Status error;
  bool initialised = false;
  core::recsys::RecData data;
  core::recsys::ColdSplit split;
  std::vector<int> item_train_count, user_train_count;
  double global_mean = 0;
  int family = 0;  // the one training now; kFamilies when all are done
  std::array<std::unique_ptr<core::recsys::RecTrainer>, kFamilies> rt;  // built one after the other
  // Results per family (filled as each finishes): RMSE over all test ratings, per group, per bucket.
  struct Errors {
    double all = 0, new_item = 0, new_user = 0, warm = 0;
    std::array<double, kCountBuckets> by_item_count{}, by_user_count{};  // NaN: no test rating there
    std::vector<float> val_rmse;  // held-out RMSE per epoch
  };
  std::array<Errors, kFamilies> errors;
  Errors mean_baseline;  // predicting the training mean for everything
  std::array<int, kCountBuckets> item_bucket_n{}, user_bucket_n{};
  int n_new_item = 0, n_new_user = 0, n_warm = 0;  // test ratings per group

  void step(double budget_ms) override;
  bool done() const override { return !error.ok || (initialised && family >= kFamilies); }
  float progress() const override;
  std::string progress_text() const override;
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
  DataSetInfo data_set() const override;
  // Family f's trained model in the lab's model file (core/recsys/model_file.h, the cold split
  // recorded); empty until that family has finished training.
  std::string model_file(int f) const;

 private:
  void start_family();
  Errors errors_of(const std::vector<float>& pred);
};

}  // namespace lab::runtime
