// Recommender models on the training engine (src/core/nn), each an nn::Objective so the engine's
// Trainer drives it in time slices (trainer_step(tr, 8.0) per frame), and an ItemScorer so the
// metrics, recommend() and similar_items() work on it.
//
//   explicit (ratings):  Mf        global mean + b_u + b_i + <u, v>           (nn::TwoTower kind Mf)
//                        Deep      b_u + b_i + MLP([u | v]) with dropout      (kind Deep)
//                        DeepMeta  Deep + user and item metadata features (a hybrid model)
//                        Hybrid    Mf + MLP([user features | item features]) added to the dot product
//                        Content   MLP([user features | item features]): no ids, so it can score a
//                                  new user or a new movie (content-based; cold start)
//                        5 classes MLP([u | v]) -> softmax over the ratings 1..5, cross-entropy
//                                  (RatingClassObjective; rec_init_classes, not a ModelKind)
//   implicit (positives = ratings >= positive_threshold):
//                        Triplet      user and item embeddings, margin loss on (user, positive
//                                     item, negative item drawn at every visit: fresh negatives each
//                                     epoch; uniformly or by popularity, see NegativeSampling)
//                        DeepTriplet  the same with an MLP tower on each side
//
// The simplest use (what the CLI does):
//   RecTrainer rt;
//   rec_init(rt, data, split, model_options, trainer_options);
//   while (!rec_done(rt)) rec_step(rt, 8.0);      // or nn::trainer_run_to_end(rt.trainer)
//   RecEval e = rec_evaluate(rt, data, 10);
//   std::vector<int32_t> top = recommend(rec_scorer(rt), user, rt.train_seen[user], 10);
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/nn/trainer.h"
#include "core/recsys/data.h"
#include "core/recsys/metrics.h"

namespace lab::core::recsys {

enum class ModelKind { Mf, Deep, DeepMeta, Hybrid, Content, Triplet, DeepTriplet };
const char* model_name(ModelKind k);  // "mf", "deep", "deep-meta", "hybrid", "content", "triplet", "deep-triplet"
bool model_parse(std::string_view name, ModelKind& out);  // the inverse of model_name; false if unknown
extern const char* const kModelNames;  // "mf, deep, deep-meta, hybrid, content, ...", for messages
bool model_is_implicit(ModelKind k);

enum class RatingLoss { Mse, Mae };

// Where a triplet's negative item comes from. Uniform: any movie, so most negatives are obscure ones
// that are easy to rank below a positive, and "popular = good" already wins. Popularity: movies drawn
// with probability ~ (training positives + 1)^0.75 (word2vec's unigram^0.75), so the model must also
// rank a user's positives above other popular movies. Evaluation negatives stay uniform either way.
enum class NegativeSampling { Uniform, Popularity };
const char* negative_sampling_name(NegativeSampling n);  // "uniform", "popularity"

struct RecModelOptions {
  ModelKind kind = ModelKind::Mf;
  Index dim = 32;
  std::vector<Index> hidden = {64};  // Deep*, Hybrid, Content, DeepTriplet: MLP hidden widths
  double dropout = 0.5;              // Deep, DeepMeta, Hybrid, Content (the course: 0.5); 5 classes: on [u | v]
  double dropout_hidden = 0.2;       // 5 classes: after the first hidden layer (the course: 0.2)
  bool biases = true;                // explicit models: per-user and per-item biases
  double l2 = 0;                     // explicit: lambda * (|u|^2 + |v|^2) over the batch rows (the lecture's L2)
  RatingLoss loss = RatingLoss::Mse; // explicit
  double margin = 1.0;               // implicit
  Measure sim = Measure::Cosine;  // implicit
  float positive_threshold = 4;      // implicit: ratings >= this are positives
  NegativeSampling negatives = NegativeSampling::Uniform;  // implicit: training negatives
  // implicit: a negative signal in the data — a skip, a thumbs-down, a video left after seconds: here
  // the ratings <= dislike_threshold (0: none). With dislike_share > 0, that share of the training
  // negatives is drawn from the user's own dislikes (when they have one) instead of the sampler.
  float dislike_threshold = 0;
  double dislike_share = 0;
  bool popularity_feature = true;    // DeepMeta, Hybrid, Content: a movie's training-rating count is one of its
                                     // features (see item_features; off for a fair cold start)
  double init_scale = 0.1;
  bool sparse_grad = true;  // embeddings keep row-sparse gradients (exact; enables OptimOptions::lazy)
  uint64_t seed = 1;        // initial weights
};

// ---- Explicit feedback ----------------------------------------------------------------------------
class RatingObjective : public nn::Objective, public ItemScorer {
 public:
  nn::TwoTower model;
  nn::RatingSet train, val;   // val: the split's test ratings (reported per epoch)
  Mat user_feats, item_feats; // (n_users, du), (n_items, di) for DeepMeta, else empty
  RatingLoss loss = RatingLoss::Mse;
  double l2 = 0;

  Index train_size() const override { return Index(train.ratings.size()); }
  Index val_size() const override { return Index(val.ratings.size()); }
  Status train_batch(std::span<const uint32_t> rows, Rng& rng, nn::BatchResult& out) override;
  Status eval_batch(std::span<const uint32_t> rows, nn::BatchResult& out) override;
  std::vector<nn::ParamRef> params() override { return model.params(); }
  Status check() const override;
  const char* metric_name() const override { return "rmse"; }
  double metric_finish(double mean) const override;
  double row_bytes() const override { return nn::two_tower_row_bytes(model.opt); }

  // Predicted ratings (eval mode, no clipping) for (users[k], items[k]).
  Status predict(std::span<const int32_t> users, std::span<const int32_t> items, std::vector<float>& out);
  int32_t scorer_items() const override { return int32_t(model.opt.n_items); }
  void score_user(int32_t user, std::span<float> out) override;  // predicted rating of every item
  Mat item_vectors() const { return model.item.W; }

 private:
  Status run(const nn::RatingSet& set, std::span<const uint32_t> rows, const nn::ForwardCtx& ctx, bool train,
             nn::BatchResult& out);
  nn::Ids u_, i_;
  Mat um_, im_, y_, pred_;
};

// ---- Explicit feedback as 5 classes ---------------------------------------------------------------
// The course's classification notebook (labs/03_neural_recsys, solutions/classification.py of
// m2dsupsdlclass/lectures-labs): user and item embeddings, concatenated, dropout (0.5), Dense 128
// ReLU, dropout (0.2), Dense 128 ReLU, Dense 5 and a softmax; cross-entropy on the class rating - 1.
// The predicted rating is the most probable class + 1 (the notebook's argmax, whose test MAE the
// course reports: 0.717), not the expected rating. Ratings must be whole stars 1..5 (check()).
//   u, v: (N, dim); x = dropout([u | v]): (N, 2 dim); logits = mlp(x): (N, 5)
//   d_x = mlp.backward(d_logits); d_[u | v] = dropout.backward(d_x); split into d_u, d_v
class RatingClassObjective : public nn::Objective, public ItemScorer {
 public:
  static constexpr int kClasses = 5;
  nn::Embedding user, item;
  nn::Dropout drop_in;  // on [u | v]
  nn::Mlp mlp;          // 2 dim -> hidden -> kClasses logits
  nn::RatingSet train, val;  // val: the split's test ratings (reported per epoch)

  Index train_size() const override { return Index(train.ratings.size()); }
  Index val_size() const override { return Index(val.ratings.size()); }
  Status train_batch(std::span<const uint32_t> rows, Rng& rng, nn::BatchResult& out) override;
  Status eval_batch(std::span<const uint32_t> rows, nn::BatchResult& out) override;
  std::vector<nn::ParamRef> params() override;
  Status check() const override;
  const char* metric_name() const override { return "mae"; }  // of the argmax rating
  double row_bytes() const override {
    return 4 * 8 * double(user.dim()) * sizeof(Scalar) + nn::mlp_row_bytes(mlp.opt);
  }

  // Class probabilities (eval mode), (N, 5), for (users[k], items[k]).
  Status probabilities(std::span<const int32_t> users, std::span<const int32_t> items, Mat& out);
  // Predicted ratings: the most probable class + 1.
  Status predict(std::span<const int32_t> users, std::span<const int32_t> items, std::vector<float>& out);
  int32_t scorer_items() const override { return int32_t(item.vocab()); }
  void score_user(int32_t user, std::span<float> out) override;  // expected rating sum_k p_k k of every item

 private:
  Status run(std::span<const int32_t> u, std::span<const int32_t> i, const nn::ForwardCtx& ctx, Mat& logits);
  nn::Ids u_, i_;
  std::vector<int32_t> labels_;
  Mat eu_, ei_, x_, logits_;
};

// ---- Implicit feedback ----------------------------------------------------------------------------
class TripletRecObjective : public nn::Objective, public ItemScorer {
 public:
  nn::Embedding user, item;
  bool deep = false;
  nn::Mlp user_tower, item_tower;  // deep only: dim -> hidden -> dim
  Measure sim = Measure::Cosine;
  double margin = 1.0;
  int32_t n_items = 0;
  nn::Ids train_users, train_items;         // positive pairs
  nn::Ids val_users, val_items, val_neg;    // test positive pairs with fixed (seeded) negatives
  std::vector<double> neg_cumulative;       // training negatives: cumulative item weights (empty: uniform)
  std::vector<std::vector<int32_t>> dislikes;  // per user: training dislikes (RecModelOptions::dislike_threshold)
  double dislike_share = 0;                 // share of training negatives drawn from them

  Index train_size() const override { return Index(train_users.size()); }
  Index val_size() const override { return Index(val_users.size()); }
  Status train_batch(std::span<const uint32_t> rows, Rng& rng, nn::BatchResult& out) override;
  Status eval_batch(std::span<const uint32_t> rows, nn::BatchResult& out) override;
  std::vector<nn::ParamRef> params() override;
  Status check() const override;
  const char* metric_name() const override { return "ranking_accuracy"; }
  // A row is a user, a positive and a negative item: three looked-up vectors (and tower passes).
  double row_bytes() const override {
    const double lookups = 3 * 8 * double(user.dim()) * sizeof(Scalar) + 64;
    return deep ? lookups + nn::mlp_row_bytes(user_tower.opt) + 2 * nn::mlp_row_bytes(item_tower.opt) : lookups;
  }

  int32_t scorer_items() const override { return n_items; }
  void score_user(int32_t user, std::span<float> out) override;  // similarity to every item
  int32_t negative_draw(Rng& rng) const;  // a training negative: uniform, or by neg_cumulative's weights
  Mat user_vectors();  // (n_users, dim), through the tower when deep (eval mode)
  Mat item_vectors();  // (n_items, dim)

 private:
  Status run(std::span<const int32_t> u, std::span<const int32_t> pos, std::span<const int32_t> neg, bool train,
             Rng* rng, nn::BatchResult& out);
  void refresh_cache();
  bool cache_ok_ = false;
  Mat ucache_, icache_;  // eval-mode vectors (normalised for cosine)
};

// ---- Building and training ------------------------------------------------------------------------
Status make_rating_objective(const RecData& d, const Split& s, const RecModelOptions& o,
                             std::unique_ptr<RatingObjective>& out);
Status make_triplet_objective(const RecData& d, const Split& s, const RecModelOptions& o,
                              std::unique_ptr<TripletRecObjective>& out);
// Uses o.dim, o.hidden, o.dropout (on [u | v]), o.dropout_hidden, o.init_scale, o.sparse_grad, o.seed.
Status make_rating_class_objective(const RecData& d, const Split& s, const RecModelOptions& o,
                                   std::unique_ptr<RatingClassObjective>& out);

// A model, its split and its trainer; steppable.
struct RecTrainer {
  ModelKind kind = ModelKind::Mf;
  nn::Trainer trainer;                 // owns the objective
  RatingObjective* rating = nullptr;   // explicit models (points into trainer.objective)
  TripletRecObjective* triplet = nullptr;  // implicit models
  RatingClassObjective* classes = nullptr; // ratings as 5 classes (rec_init_classes; kind says Deep)
  Split split;
  float positive_threshold = 4;
  std::vector<std::vector<int32_t>> train_seen;  // per user: items rated in train (excluded from top-k)
  std::vector<std::vector<int32_t>> train_pos, test_pos;  // per user: positives (>= threshold)
  std::vector<int32_t> popularity;     // per item: training positives
  std::vector<std::vector<int32_t>> test_dislikes;  // per user: held-out ratings <= dislike_threshold (if > 0)
};

Status rec_init(RecTrainer& rt, const RecData& d, const Split& s, const RecModelOptions& o,
                const nn::TrainerOptions& to);
// The same for ratings as 5 classes (RatingClassObjective); rec_step, rec_done, rec_evaluate (RMSE and
// MAE of the argmax rating) and rec_scorer (expected rating) work on it.
Status rec_init_classes(RecTrainer& rt, const RecData& d, const Split& s, const RecModelOptions& o,
                        const nn::TrainerOptions& to);
inline Status rec_step(RecTrainer& rt, double budget_ms) { return nn::trainer_step(rt.trainer, budget_ms); }
inline bool rec_done(const RecTrainer& rt) { return nn::trainer_done(rt.trainer); }
ItemScorer& rec_scorer(RecTrainer& rt);

struct RecEval {
  double rmse = 0, mae = 0;      // explicit models, on the test ratings
  double noise_floor_rmse = 0, noise_floor_mae = 0;  // generated data: best achievable on the same ratings
  RankingEval ranking;           // implicit models (positives >= threshold), k as given
};
// Explicit: RMSE/MAE on the test ratings (ranking left empty: scoring every item with a deep model
// for every user is slow; call evaluate_ranking yourself if you want it). Implicit: ranking metrics.
RecEval rec_evaluate(RecTrainer& rt, const RecData& d, int k = 10);

// Implicit models: per user with both, the share of (held-out positive, held-out dislike) pairs the
// model scores positive first (ties count half), averaged over those users: 0.5 = it cannot tell what
// a user liked from what they watched and disliked. NaN when no user has both (or no dislikes).
double dislike_auc(RecTrainer& rt, int* users = nullptr);

// RMSE per user group: test ratings of users with at most `max_train` training ratings.
double rmse_for_light_users(RecTrainer& rt, const RecData& d, int max_train, int* n_ratings = nullptr);

}  // namespace lab::core::recsys
