// Recommender metrics. Small pure functions (each tested on hand-computed cases) and one driver,
// evaluate_ranking(), that applies them to a model through the ItemScorer interface.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/types.h"

namespace lab::core::recsys {

// ---- Rating error -----------------------------------------------------------------------------------
double rmse(std::span<const float> pred, std::span<const float> truth);
double mae(std::span<const float> pred, std::span<const float> truth);

// ---- One user's ranking ---------------------------------------------------------------------------
// ROC AUC of scores against 0/1 labels: the probability that a random positive scores above a random
// negative, ties counting 1/2 (Mann–Whitney with average ranks). NaN-free: returns -1 when there is
// no positive or no negative.
double roc_auc(std::span<const float> scores, std::span<const uint8_t> labels);

// ranked: item ids best first (at least k of them, or all there are); relevant: sorted item ids.
double precision_at_k(std::span<const int32_t> ranked, std::span<const int32_t> relevant, int k);
double recall_at_k(std::span<const int32_t> ranked, std::span<const int32_t> relevant, int k);
// Binary relevance: DCG = sum_{i<k} rel_i / log2(i + 2), divided by the ideal DCG.
double ndcg_at_k(std::span<const int32_t> ranked, std::span<const int32_t> relevant, int k);

// ---- Lists over all users (diversity / concentration, for the ethics lesson) ----------------------
// Share of the catalogue that appears in at least one list.
double catalogue_coverage(const std::vector<std::vector<int32_t>>& lists, int32_t n_items);
// Gini coefficient of non-negative counts (0 = every item equally often, -> 1 = all on one item).
double gini(std::span<const double> counts);
// Share of all recommendations that go to the top `top_fraction` of items by `popularity`
// (e.g. 0.1: the 10% most popular items in the training data).
double popular_share(const std::vector<std::vector<int32_t>>& lists, std::span<const int32_t> popularity,
                     double top_fraction);

// ---- Models -----------------------------------------------------------------------------------------
// Anything that can score every item for a user (higher = recommend first).
class ItemScorer {
 public:
  virtual ~ItemScorer() = default;
  virtual int32_t scorer_items() const = 0;
  // out.size() == scorer_items()
  virtual void score_user(int32_t user, std::span<float> out) = 0;
};

// Top-k items for a user by score, skipping `exclude` (sorted ids, e.g. what the user already
// rated). Ties are broken by the smaller item id, so results are deterministic.
std::vector<int32_t> top_k(std::span<const float> scores, std::span<const int32_t> exclude, int k);
std::vector<int32_t> recommend(ItemScorer& model, int32_t user, std::span<const int32_t> exclude, int k);

// Most similar items to `item` by cosine of rows of `item_vectors` (n_items x dim), itself excluded.
struct Neighbour {
  int32_t item;
  float similarity;
};
std::vector<Neighbour> similar_items(const Mat& item_vectors, int32_t item, int k);

struct RankingEval {
  double auc = 0;            // ROC AUC per user, averaged over users with a test positive
  double precision = 0, recall = 0, ndcg = 0;  // @k, same users
  double coverage = 0;       // catalogue coverage of every user's top-k list (all users)
  double gini = 0;           // Gini of how often each item is recommended (all users' lists)
  double popular_share = 0;  // share of recommendations on the 10% most popular training items
  int users = 0;             // users evaluated
};

// The lecture's protocol: for each user with a test positive, the candidates are all items except
// the user's training positives; labels = test positives. train_pos/test_pos: sorted item ids per
// user (positives_by_user). popularity: training counts per item.
RankingEval evaluate_ranking(ItemScorer& model, const std::vector<std::vector<int32_t>>& train_pos,
                             const std::vector<std::vector<int32_t>>& test_pos,
                             std::span<const int32_t> popularity, int k);

// The same evaluation in pieces, a few users per call, for callers that must stay within a frame's
// time budget: the same arithmetic in the same order, so the result is identical.
//   RankingJob job;
//   evaluate_ranking_begin(job, model);
//   while (!evaluate_ranking_step(job, model, train_pos, test_pos, popularity, k, 16)) { ... }
//   use(job.result);
struct RankingJob {
  size_t next = 0;                          // users done
  bool done = false;                        // every user done: `result` is complete
  RankingEval result;
  std::vector<float> scores, candidates;    // scratch
  std::vector<uint8_t> labels;
  std::vector<std::vector<int32_t>> lists;  // every user's top-k so far
  std::vector<double> rec_count;            // per item: in how many lists
  double auc = 0, precision = 0, recall = 0, ndcg = 0;  // sums over the users evaluated
};
void evaluate_ranking_begin(RankingJob& job, const ItemScorer& model);
// Evaluates up to max_users more users (>= 1); returns job.done.
bool evaluate_ranking_step(RankingJob& job, ItemScorer& model, const std::vector<std::vector<int32_t>>& train_pos,
                           const std::vector<std::vector<int32_t>>& test_pos, std::span<const int32_t> popularity,
                           int k, size_t max_users);

// The popularity baseline: every user gets the items with the most training interactions.
class PopularityModel : public ItemScorer {
 public:
  std::vector<float> score;  // per item
  explicit PopularityModel(std::span<const int32_t> counts);
  int32_t scorer_items() const override { return int32_t(score.size()); }
  void score_user(int32_t, std::span<float> out) override;
};

}  // namespace lab::core::recsys
