// The recommender lab blocks (lessons 6-8): they run in time slices to the same result, report
// what the lessons assert, and respond to their knobs in the direction the lessons claim.
#include <doctest/doctest.h>

#include "block_test_util.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "runtime/blocks/rec_data.h"
#include "runtime/blocks/rec_explicit.h"
#include "runtime/blocks/rec_feedback.h"
#include "runtime/blocks/rec_implicit.h"
#include "runtime/lab_block.h"

using namespace lab::runtime;

namespace {

using lab::test::make;

void run(Experiment& e, double budget_ms = 5) { lab::test::run_to_end(e, budget_ms); }

using lab::test::metric;

}  // namespace

TEST_CASE("rec-data: the star histogram covers every rating and the long tail is sorted") {
  auto e = make("rec-data", "view: long-tail\n");
  run(*e);
  auto* d = dynamic_cast<RecDataExperiment*>(e.get());
  REQUIRE(d);
  double stars = 0, items = 0;
  for (double c : d->star_counts) stars += c;
  for (double c : d->item_counts_desc) items += c;
  CHECK(stars == 12000);
  CHECK(items == 12000);
  CHECK(std::is_sorted(d->item_counts_desc.rbegin(), d->item_counts_desc.rend()));
  CHECK(metric(*e, "top10pct_item_share") > 0.1);
  for (const Metric& m : e->metrics()) CHECK(std::isfinite(m.value));
}

TEST_CASE("rec-explicit: MF trains in slices, lists skip seen movies, and L2 shrinks the overfitting gap") {
  auto a = make("rec-explicit", "model: mf\ndim: 32\nl2: 0\nepochs: 6\nuser: 3\nitem: 5\n");
  auto b = make("rec-explicit", "model: mf\ndim: 32\nl2: 0.1\nepochs: 6\n");
  run(*a, 2);
  run(*b, 1e9);
  auto* ea = dynamic_cast<RecExplicitExperiment*>(a.get());
  REQUIRE(ea);
  CHECK(ea->rt.trainer.history.val_metric.size() == 6);
  CHECK(ea->recs.size() == 10);
  const auto& seen = ea->rt.train_seen[3];
  for (int32_t r : ea->recs) CHECK(!std::binary_search(seen.begin(), seen.end(), r));
  CHECK(std::is_sorted(ea->rec_scores.rbegin(), ea->rec_scores.rend()));
  for (const auto& n : ea->similar) CHECK(n.item != 5);
  MESSAGE("gap without L2 " << metric(*a, "overfit_gap") << ", with L2 0.1 " << metric(*b, "overfit_gap"));
  CHECK(metric(*a, "overfit_gap") > metric(*b, "overfit_gap"));
  CHECK(metric(*b, "rmse_over_floor") > 1.0);  // nobody beats the noise floor
  ea->list_for(9999, -4);                       // the widget's sliders are clamped
  CHECK(ea->listed_user == 299);
  CHECK(ea->listed_item == 0);
}

TEST_CASE("rec-implicit: the shown triplet's loss is the margin loss, and the model beats popularity") {
  auto e = make("rec-implicit", "epochs: 30\nmargin: 1\n");
  run(*e, 3);
  auto* ei = dynamic_cast<RecImplicitExperiment*>(e.get());
  REQUIRE(ei);
  CHECK(ei->triplets_shown > 6);
  ei->sample_triplet();
  const SampledTriplet& t = ei->triplet;
  CHECK(t.loss == doctest::Approx(std::max(0.0, 1.0 - double(t.s_pos) + double(t.s_neg))));
  const auto& pos = ei->rt.train_pos[size_t(t.user)];
  CHECK(std::binary_search(pos.begin(), pos.end(), t.pos));
  MESSAGE("AUC " << metric(*e, "auc") << " vs popularity " << metric(*e, "pop_auc"));
  CHECK(metric(*e, "auc_gain") > 0);
  CHECK(metric(*e, "precision_ratio") > 1);
  CHECK(metric(*e, "coverage_gain") > 0);
}

TEST_CASE("rec-implicit: the ranking evaluation in slices equals evaluate_ranking in one call") {
  auto e = make("rec-implicit", "epochs: 2\nk: 7\n");
  auto* ei = dynamic_cast<RecImplicitExperiment*>(e.get());
  REQUIRE(ei);
  bool saw_text = false;
  for (int i = 0; i < 1000000 && !e->done(); ++i) {
    e->step(0.0);  // one unit of work per slice
    saw_text = saw_text || e->progress_text().find("evaluating the rankings") != std::string::npos;
  }
  REQUIRE(e->done());
  CHECK(saw_text);
  namespace rs = lab::core::recsys;
  const rs::RankingEval whole = rs::evaluate_ranking(*ei->rt.triplet, ei->rt.train_pos, ei->rt.test_pos, ei->rt.popularity, 7);
  rs::PopularityModel p(ei->rt.popularity);
  const rs::RankingEval pop = rs::evaluate_ranking(p, ei->rt.train_pos, ei->rt.test_pos, ei->rt.popularity, 7);
  for (const auto& [a, b] : {std::pair{ei->eval, whole}, std::pair{ei->pop, pop}}) {
    CHECK(a.users == b.users);
    CHECK(a.auc == b.auc);
    CHECK(a.precision == b.precision);
    CHECK(a.recall == b.recall);
    CHECK(a.ndcg == b.ndcg);
    CHECK(a.coverage == b.coverage);
    CHECK(a.gini == b.gini);
    CHECK(a.popular_share == b.popular_share);
  }
  CHECK(ei->recs.size() == 7);
}

TEST_CASE("rec-feedback: exploration widens the coverage the loop narrows") {
  auto a = make("rec-feedback", "rounds: 5\n");
  auto b = make("rec-feedback", "rounds: 5\nexplore_eps: 0.3\n");
  run(*a);
  run(*b);
  CHECK(metric(*a, "rounds") == 5);
  CHECK(metric(*b, "coverage") > metric(*a, "coverage"));
  CHECK(metric(*b, "gini") < metric(*a, "gini"));
}

TEST_CASE("rec-feedback: without mitigation the coverage narrows over the rounds, the proxy concentrates exposure") {
  auto a = make("rec-feedback", "rounds: 12\n");
  auto b = make("rec-feedback", "rounds: 12\nuse_proxy: yes\n");
  run(*a, 2);
  run(*b);
  CHECK(metric(*a, "coverage_change") < 0);
  CHECK(metric(*b, "gini") > metric(*a, "gini"));
  for (const Metric& m : b->metrics()) CHECK(std::isfinite(m.value));
}
