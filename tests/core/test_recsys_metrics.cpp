// Recommender metrics against values computed by hand on tiny cases.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/recsys/metrics.h"

using namespace lab::core;
using namespace lab::core::recsys;

TEST_CASE("recsys metrics: RMSE and MAE") {
  const std::vector<float> p = {1, 2, 3}, t = {1, 2, 5};
  CHECK(rmse(p, t) == doctest::Approx(std::sqrt(4.0 / 3.0)));  // errors 0, 0, 2
  CHECK(mae(p, t) == doctest::Approx(2.0 / 3.0));
}

TEST_CASE("recsys metrics: ROC AUC, with ties counting one half") {
  // pairs (pos, neg): 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes -> 3/4
  const std::vector<float> s = {0.1f, 0.4f, 0.35f, 0.8f};
  const std::vector<uint8_t> l = {0, 0, 1, 1};
  CHECK(roc_auc(s, l) == doctest::Approx(0.75));
  // one positive tied with one negative (1/2) and above another (1) -> 0.75
  CHECK(roc_auc(std::vector<float>{0.5f, 0.5f, 0.2f}, std::vector<uint8_t>{1, 0, 0}) == doctest::Approx(0.75));
  CHECK(roc_auc(std::vector<float>{3, 2, 1}, std::vector<uint8_t>{1, 1, 0}) == doctest::Approx(1.0));
  CHECK(roc_auc(std::vector<float>{1, 2}, std::vector<uint8_t>{1, 1}) == -1);  // no negative: undefined
}

TEST_CASE("recsys metrics: precision, recall and NDCG at k") {
  const std::vector<int32_t> ranked = {5, 3, 9, 1}, relevant = {1, 3, 7};
  CHECK(precision_at_k(ranked, relevant, 3) == doctest::Approx(1.0 / 3));
  CHECK(recall_at_k(ranked, relevant, 3) == doctest::Approx(1.0 / 3));
  CHECK(precision_at_k(ranked, relevant, 4) == doctest::Approx(0.5));
  CHECK(recall_at_k(ranked, relevant, 4) == doctest::Approx(2.0 / 3));
  // DCG@3 = 1/log2(3) (hit at rank 2); IDCG@3 = 1 + 1/log2(3) + 1/2
  const double l3 = 1.0 / std::log2(3.0);
  CHECK(ndcg_at_k(ranked, relevant, 3) == doctest::Approx(l3 / (1 + l3 + 0.5)));
  CHECK(ndcg_at_k(std::vector<int32_t>{1, 3, 7}, relevant, 3) == doctest::Approx(1.0));
  CHECK(ndcg_at_k(ranked, std::vector<int32_t>{}, 3) == 0);
}

TEST_CASE("recsys metrics: coverage, Gini and the share on popular items") {
  const std::vector<std::vector<int32_t>> lists = {{0, 1}, {1, 2}};
  CHECK(catalogue_coverage(lists, 5) == doctest::Approx(0.6));
  CHECK(gini(std::vector<double>{1, 1, 1, 1}) == doctest::Approx(0.0));
  CHECK(gini(std::vector<double>{0, 0, 0, 1}) == doctest::Approx(0.75));  // (n-1)/n: all on one item
  CHECK(gini(std::vector<double>{1, 3}) == doctest::Approx(0.25));  // mean |xi - xj| / (2 mean) = 1 / 4
  const std::vector<int32_t> pop = {10, 1, 5, 0, 0, 0, 0, 0, 0, 0};     // top 10% = item 0
  CHECK(popular_share(std::vector<std::vector<int32_t>>{{0, 1}, {0, 2}}, pop, 0.1) == doctest::Approx(0.5));
}

TEST_CASE("recsys metrics: top-k skips excluded items and breaks ties by id, similar items by cosine") {
  CHECK(top_k(std::vector<float>{0.1f, 0.9f, 0.5f, 0.9f}, std::vector<int32_t>{3}, 2) == std::vector<int32_t>{1, 2});
  CHECK(top_k(std::vector<float>{1, 1, 1}, std::vector<int32_t>{}, 2) == std::vector<int32_t>{0, 1});
  CHECK(top_k(std::vector<float>{1, 2}, std::vector<int32_t>{0, 1}, 5).empty());
  Mat v(4, 2);
  v << 1, 0, 0.9f, 0.1f, 0, 1, -1, 0;
  const auto nb = similar_items(v, 0, 2);
  REQUIRE(nb.size() == 2);
  CHECK(nb[0].item == 1);
  CHECK(nb[0].similarity == doctest::Approx(0.9 / std::sqrt(0.82)).epsilon(1e-5));
  CHECK(nb[1].item == 2);
  CHECK(nb[1].similarity == doctest::Approx(0.0));
}

TEST_CASE("recsys metrics: evaluate_ranking on a two-user toy with the popularity baseline") {
  // 4 items; user 0 trained on item 0 and holds out item 1; user 1 trained on item 1, holds out 3.
  const std::vector<std::vector<int32_t>> train = {{0}, {1}}, test = {{1}, {3}};
  const std::vector<int32_t> pop = {1, 1, 0, 0};
  PopularityModel m(std::vector<int32_t>{5, 4, 3, 2});
  const RankingEval e = evaluate_ranking(m, train, test, pop, 1);
  // user 0: candidates {1,2,3} scores {4,3,2}, positive 1 ranks first -> AUC 1, P@1 1
  // user 1: candidates {0,2,3} scores {5,3,2}, positive 3 ranks last  -> AUC 0, P@1 0
  CHECK(e.users == 2);
  CHECK(e.auc == doctest::Approx(0.5));
  CHECK(e.precision == doctest::Approx(0.5));
  CHECK(e.recall == doctest::Approx(0.5));
  CHECK(e.ndcg == doctest::Approx(0.5));
  CHECK(e.coverage == doctest::Approx(0.5));  // lists {1} and {0}
}
