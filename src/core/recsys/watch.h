// The YouTube candidate-generation model (Covington, Adams, Sargin, RecSys 2016) on watch
// histories: there is no user-id embedding — a user IS the average of the embeddings of the movies
// they watched, fed to an MLP whose output is a softmax over the whole catalogue, trained to predict
// the next watch (a classification with one class per movie). A user the model never saw is
// represented the moment they have watched something, with no retraining.
//
// UserRepr::Id is the same network with a per-user embedding instead of the average (the id model):
// it can only represent the users it was trained on.
//
//   WatchData w = watch_histories(data, 0.2, seed);     // watch order per user; 20% are new users
//   std::unique_ptr<WatchObjective> obj;
//   make_watch_objective(data.n_items, w, opt, obj);     // then nn::trainer_init(tr, std::move(obj), ...)
//   obj->scores(history_of_a_new_user, -1, scores);       // eval mode, one score per movie
//
// The catalogue here has hundreds of movies, so the softmax is exact over all of them; YouTube's
// millions need a sampled softmax (a few thousand negatives per example), which this leaves out.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "core/nn/trainer.h"
#include "core/recsys/data.h"

namespace lab::core::recsys {

// Per user, the movies they rated (= watched) in time order (ties by position); new users are held
// out of training entirely.
struct WatchData {
  std::vector<std::vector<int32_t>> watches;
  std::vector<uint8_t> is_new;
};
WatchData watch_histories(const RecData& d, double new_user_share, uint64_t seed);

enum class UserRepr { WatchAverage, Id };

struct WatchOptions {
  UserRepr user = UserRepr::WatchAverage;
  Index dim = 32;                    // movie (or user) embedding size
  std::vector<Index> hidden = {64};  // ReLU layers between the user vector and the softmax
  int history = 10;                  // the most recent watches averaged (WatchAverage)
  double init_scale = 0.1;
  uint64_t seed = 1;                 // initial weights
};

// Examples: for every known user and every position t >= 1 of their watches but the last, the
// history before t and the label watches[t]; each known user's last watch is the validation example.
class WatchObjective : public nn::Objective {
 public:
  WatchOptions opt;
  const WatchData* data = nullptr;   // not owned; must outlive the objective
  int32_t n_items = 0;
  nn::Embedding items;               // WatchAverage: the movie embeddings that are averaged
  nn::Embedding users;               // Id: one row per user (new users' rows are never trained)
  nn::MeanPool pool;
  nn::Mlp mlp;                       // dim -> hidden -> n_items logits
  struct Example {
    int32_t user = 0, end = 0;       // history = watches[user][max(0, end - H) .. end), label = watches[user][end]
  };
  std::vector<Example> train_ex, val_ex;

  Index train_size() const override { return Index(train_ex.size()); }
  Index val_size() const override { return Index(val_ex.size()); }
  Status train_batch(std::span<const uint32_t> rows, Rng& rng, nn::BatchResult& out) override;
  Status eval_batch(std::span<const uint32_t> rows, nn::BatchResult& out) override;
  std::vector<nn::ParamRef> params() override;
  Status check() const override;
  const char* metric_name() const override { return "accuracy"; }  // next watch ranked first
  double row_bytes() const override;

  // Eval-mode scores (logits) of every movie for a user given by a watch history (WatchAverage) or
  // by their id (Id; the history is ignored).
  Status scores(std::span<const int32_t> history, int32_t user, std::vector<float>& out);
  // The user vector the MLP sees: the average of the history's movie embeddings, or the id's row.
  Status user_vector(std::span<const int32_t> history, int32_t user, Mat& out);

 private:
  Status run(std::span<const Example> ex, const nn::ForwardCtx& ctx, bool train, nn::BatchResult& out);
  nn::Ids ids_;
  std::vector<Index> offsets_;
};

Status make_watch_objective(int32_t n_items, const WatchData& data, const WatchOptions& opt,
                            std::unique_ptr<WatchObjective>& out);

}  // namespace lab::core::recsys
