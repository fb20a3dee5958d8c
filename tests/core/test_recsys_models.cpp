// Recommender models: row-sparse gradients and lazy Adam in the engine, stepping, recommendations,
// and the quality claims on the generated MovieLens-100k-shaped data (seeded, so repeatable).
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/recsys/feedback.h"
#include "core/recsys/models.h"

using namespace lab::core;
using namespace lab::core::nn;
using namespace lab::core::recsys;

namespace {

// Two embedding tables trained on the same id stream, one with sparse_grad.
struct Pair {
  Embedding dense, sparse;
};

void embed_step(Embedding& e, Optimizer& o, const Ids& ids, const Mat& g) {
  const std::vector<ParamRef> ps = e.params();
  params_zero_grad(ps);
  Mat out;
  REQUIRE(e.forward(ids, out).ok);
  e.backward(g);
  REQUIRE(optim_step(o, e.params()).ok);
}

// The triplet model of the ranking tests: dim 32, Adam 3e-3 (lazy), trained to the end.
void triplet_train(RecTrainer& rt, const RecData& d, const Split& s, int epochs,
                   NegativeSampling negatives = NegativeSampling::Uniform) {
  RecModelOptions o;
  o.kind = ModelKind::Triplet;
  o.dim = 32;
  o.negatives = negatives;
  TrainerOptions to;
  to.epochs = epochs;
  to.optim.lr = 3e-3;
  to.optim.lazy = true;
  REQUIRE(rec_init(rt, d, s, o, to).ok);
  REQUIRE(trainer_run_to_end(rt.trainer).ok);
}

}  // namespace

TEST_CASE("recsys engine: row-sparse embedding gradients are exact, lazy Adam moves only touched rows") {
  Rng r1(3), r2(3);
  Embedding a, b;
  REQUIRE(a.init(10, 4, r1).ok);
  REQUIRE(b.init(10, 4, r2).ok);
  b.sparse_grad = true;
  Optimizer oa, ob;
  oa.opt.lr = ob.opt.lr = 0.05;
  Rng g(9);
  for (int step = 0; step < 5; ++step) {
    Ids ids = {int32_t(rng_below(g, 10)), int32_t(rng_below(g, 10)), 2, 2};
    Mat grad(4, 4);
    for (Index i = 0; i < grad.size(); ++i) grad.data()[i] = float(rng_normal(g));
    embed_step(a, oa, ids, grad);
    embed_step(b, ob, ids, grad);
    CHECK((a.dW - b.dW).cwiseAbs().maxCoeff() == 0.0f);  // same gradient, zeroing only touched rows
    CHECK(grad_norm(a.params()) == doctest::Approx(grad_norm(b.params())).epsilon(1e-6));
  }
  CHECK((a.W - b.W).cwiseAbs().maxCoeff() < 1e-6f);  // dense Adam either way: identical training

  // Lazy Adam: a row that no batch touched never moves; with every row touched each step it equals
  // dense Adam.
  Rng r3(4);
  Embedding c;
  REQUIRE(c.init(6, 3, r3).ok);
  c.sparse_grad = true;
  const Mat w0 = c.W;
  Optimizer lazy;
  lazy.opt.lr = 0.1;
  lazy.opt.lazy = true;
  const Mat g3 = Mat::Ones(2, 3);
  for (int step = 0; step < 3; ++step) embed_step(c, lazy, Ids{1, 4}, g3);
  for (Index r : {0, 2, 3, 5}) CHECK((c.W.row(r) - w0.row(r)).cwiseAbs().maxCoeff() == 0.0f);
  CHECK((c.W.row(1) - w0.row(1)).cwiseAbs().maxCoeff() > 0.1f);
  Rng r4(4), r5(4);
  Embedding d1, d2;
  REQUIRE(d1.init(3, 2, r4).ok);
  REQUIRE(d2.init(3, 2, r5).ok);
  d2.sparse_grad = true;
  Optimizer o1, o2;
  o2.opt.lazy = true;
  const Mat g2 = Mat::Constant(3, 2, 0.5f);
  for (int step = 0; step < 4; ++step) {
    embed_step(d1, o1, Ids{0, 1, 2}, g2);
    embed_step(d2, o2, Ids{2, 0, 1}, g2);
  }
  CHECK((d1.W - d2.W).cwiseAbs().maxCoeff() < 1e-6f);
}

TEST_CASE("recsys models: every model trains in time slices and the stepping does not change the result") {
  RecData d;
  REQUIRE(synth_generate(synth_small(2), d).ok);
  const Split s = split_random(d, 0.2, 2);
  for (ModelKind kind : {ModelKind::Mf, ModelKind::Deep, ModelKind::DeepMeta, ModelKind::Triplet, ModelKind::DeepTriplet}) {
    CAPTURE(model_name(kind));
    RecModelOptions o;
    o.kind = kind;
    o.dim = 8;
    o.hidden = {16};
    TrainerOptions to;
    to.epochs = 2;
    to.optim.lr = 3e-3;
    RecTrainer a, b;
    REQUIRE(rec_init(a, d, s, o, to).ok);
    REQUIRE(rec_init(b, d, s, o, to).ok);
    int slices = 0;
    while (!rec_done(a)) {
      rec_step(a, 0.5);
      ++slices;
    }
    REQUIRE(trainer_run_to_end(b.trainer).ok);
    CHECK(slices > 2);
    REQUIRE(a.trainer.history.train_loss.size() == 2);
    CHECK(a.trainer.history.train_loss == b.trainer.history.train_loss);
    CHECK(a.trainer.history.train_loss[1] < a.trainer.history.train_loss[0]);
    CHECK(a.trainer.history.val_metric.size() == 2);
    // recommendations skip what the user already rated
    const std::vector<int32_t> top = recommend(rec_scorer(a), 5, a.train_seen[5], 10);
    CHECK(top.size() == 10);
    for (int32_t i : top) CHECK(!std::binary_search(a.train_seen[5].begin(), a.train_seen[5].end(), i));
    const Mat iv = model_is_implicit(kind) ? a.triplet->item_vectors() : a.rating->item_vectors();
    CHECK(iv.rows() == d.n_items);
    CHECK(similar_items(iv, 3, 5).size() == 5);
  }
}

TEST_CASE("recsys models: MF reaches a test RMSE within 10% of the noise floor (100k generated ratings)") {
  RecData d;
  REQUIRE(synth_generate(synth_movielens100k(1), d).ok);
  const Split s = split_random(d, 0.2, 1);
  RecModelOptions o;
  o.kind = ModelKind::Mf;
  o.dim = 32;
  o.l2 = 0.1;
  TrainerOptions to;
  to.epochs = 10;
  to.optim.lr = 5e-3;
  to.optim.lazy = true;  // a fast test; the CLI/bench report dense Adam too
  RecTrainer rt;
  REQUIRE(rec_init(rt, d, s, o, to).ok);
  REQUIRE(trainer_run_to_end(rt.trainer).ok);
  const RecEval e = rec_evaluate(rt, d);
  MESSAGE("MF test RMSE " << e.rmse << " MAE " << e.mae << ", noise floor RMSE " << e.noise_floor_rmse << " MAE "
                          << e.noise_floor_mae);
  CHECK(e.noise_floor_rmse > 0.8);
  CHECK(e.rmse < 1.10 * e.noise_floor_rmse);
  CHECK(e.rmse > e.noise_floor_rmse);  // nobody beats the floor
}

TEST_CASE("recsys models: the triplet model's AUC is well above the popularity baseline") {
  RecData d;
  REQUIRE(synth_generate(synth_movielens100k(1), d).ok);
  const Split s = split_random(d, 0.2, 1);
  RecTrainer rt;
  triplet_train(rt, d, s, 8);
  const RecEval e = rec_evaluate(rt, d, 10);
  PopularityModel pop(rt.popularity);
  const RankingEval p = evaluate_ranking(pop, rt.train_pos, rt.test_pos, rt.popularity, 10);
  MESSAGE("triplet AUC " << e.ranking.auc << " P@10 " << e.ranking.precision << " NDCG@10 " << e.ranking.ndcg
                         << "; popularity AUC " << p.auc << " P@10 " << p.precision << " NDCG@10 " << p.ndcg);
  CHECK(e.ranking.users > 900);
  CHECK(e.ranking.auc > 0.9);
  CHECK(e.ranking.auc > p.auc + 0.01);
  CHECK(e.ranking.precision > 1.3 * p.precision);
  CHECK(e.ranking.coverage > p.coverage);
}

TEST_CASE("recsys models: popularity-weighted negatives trade AUC (on uniform negatives) for coverage") {
  RecData d;
  REQUIRE(synth_generate(synth_movielens100k(1), d).ok);
  const Split s = split_random(d, 0.2, 1);
  RecEval e[2];
  for (int v = 0; v < 2; ++v) {
    const NegativeSampling negatives = v == 0 ? NegativeSampling::Uniform : NegativeSampling::Popularity;
    RecTrainer rt;
    triplet_train(rt, d, s, 6, negatives);
    e[v] = rec_evaluate(rt, d, 10);
    MESSAGE(std::string(negative_sampling_name(negatives)) << " negatives: AUC " << e[v].ranking.auc << " coverage "
                                                << e[v].ranking.coverage << " gini " << e[v].ranking.gini
                                                << " popular share " << e[v].ranking.popular_share);
  }
  // Uniform negatives are mostly obscure movies, so the model learns popularity and is scored on
  // exactly that; popular negatives push it past popularity: wider, less concentrated lists.
  CHECK(e[1].ranking.coverage > 1.5 * e[0].ranking.coverage);
  CHECK(e[1].ranking.popular_share < e[0].ranking.popular_share - 0.1);
  CHECK(e[1].ranking.gini < e[0].ranking.gini);
  CHECK(e[1].ranking.auc < e[0].ranking.auc);
  CHECK(e[1].ranking.auc > 0.8);  // still a working recommender
}

TEST_CASE("recsys feedback loop: steppable, seeded, and exploration widens what gets shown") {
  FeedbackOptions o;
  o.rounds = 8;
  FeedbackSim a, b, c;
  REQUIRE(feedback_init(a, o).ok);
  REQUIRE(feedback_init(b, o).ok);
  int slices = 0;
  while (!feedback_done(a)) {
    REQUIRE(feedback_step(a, 1.0).ok);
    ++slices;
  }
  REQUIRE(feedback_run_to_end(b).ok);
  CHECK(slices > 8);
  REQUIRE(a.history.size() == 8);
  REQUIRE(b.history.size() == 8);
  for (size_t r = 0; r < 8; ++r) {
    CHECK(a.history[r].clicks == b.history[r].clicks);  // time slicing does not change the run
    CHECK(a.history[r].coverage == b.history[r].coverage);
    CHECK(a.history[r].coverage > 0);
    CHECK(a.history[r].coverage <= 1);
    CHECK(a.history[r].ctr_minority > 0);
    CHECK(a.history[r].disparity == doctest::Approx(a.history[r].ctr_majority - a.history[r].ctr_minority));
  }
  CHECK(a.history.back().total_clicks > a.history.front().total_clicks);
  o.explore_eps = 0.3;
  REQUIRE(feedback_init(c, o).ok);
  REQUIRE(feedback_run_to_end(c).ok);
  MESSAGE("round 8 coverage " << a.history.back().coverage << " -> " << c.history.back().coverage << " with eps 0.3; gini "
                              << a.history.back().gini << " -> " << c.history.back().gini);
  CHECK(c.history.back().coverage > a.history.back().coverage + 0.1);
  CHECK(c.history.back().gini < a.history.back().gini);
  FeedbackSim bad;
  o.explore_eps = 2;
  CHECK(!feedback_init(bad, o).ok);
}

TEST_CASE("recsys feedback loop: clicks reward clickbait, training on glad clicks does not") {
  FeedbackOptions o;
  o.rounds = 8;
  o.clickbait_share = 0.1;
  FeedbackSim clicks, glad, random;
  REQUIRE(feedback_init(clicks, o).ok);
  REQUIRE(feedback_run_to_end(clicks).ok);
  o.objective = FeedbackOptions::Objective::Satisfied;
  REQUIRE(feedback_init(glad, o).ok);
  REQUIRE(feedback_run_to_end(glad).ok);
  o.objective = FeedbackOptions::Objective::Clicks;
  o.explore_eps = 1;
  REQUIRE(feedback_init(random, o).ok);
  REQUIRE(feedback_run_to_end(random).ok);
  const FeedbackRound &c = clicks.history.back(), &g = glad.history.back(), &r = random.history.back();
  MESSAGE("bait share: clicks " << c.bait_share << ", glad " << g.bait_share << ", random " << r.bait_share
                                << "; satisfaction " << c.satisfaction << " vs " << g.satisfaction);
  CHECK(r.bait_share == doctest::Approx(0.1).epsilon(0.5));  // a random list: about the catalogue's share
  CHECK(c.bait_share > 1.5 * r.bait_share);                   // engagement promotes clickbait
  CHECK(g.bait_share < 0.5 * r.bait_share);                   // satisfaction avoids it
  CHECK(g.satisfaction > c.satisfaction);
  CHECK(c.regret_share > g.regret_share);
  for (const FeedbackRound& x : clicks.history) {
    CHECK(x.satisfaction <= x.ctr + 1e-12);  // a glad click is a click
    CHECK(x.regret_share >= 0);
    CHECK(x.regret_share <= 1);
  }
}

TEST_CASE("recsys feedback loop: heavy users write the data, balancing gives every user the same weight") {
  FeedbackOptions o;
  o.rounds = 3;
  o.minority_activity = 5;
  FeedbackSim heavy, balanced, even;
  REQUIRE(feedback_init(heavy, o).ok);
  REQUIRE(feedback_run_to_end(heavy).ok);
  o.balance_users = true;
  REQUIRE(feedback_init(balanced, o).ok);
  REQUIRE(feedback_run_to_end(balanced).ok);
  o = FeedbackOptions{};
  o.rounds = 3;
  REQUIRE(feedback_init(even, o).ok);
  REQUIRE(feedback_run_to_end(even).ok);
  const double share = heavy.history.front().minority_train_share;
  MESSAGE("minority's share of the training clicks: " << share << " (heavy), " << balanced.history.front().minority_train_share
                                                      << " (balanced), " << even.history.front().minority_train_share << " (even)");
  CHECK(share > 0.6);
  CHECK(balanced.history.front().minority_train_share < 0.45);
  CHECK(even.history.front().minority_train_share < 0.45);
  // heavy users are shown more, but the click rates compare the same top k
  const auto first_of = [&](uint8_t g) {
    return int32_t(std::find(heavy.group.begin(), heavy.group.end(), g) - heavy.group.begin());
  };
  CHECK(feedback_list_size(heavy, first_of(0)) == o.k);
  CHECK(feedback_list_size(heavy, first_of(1)) == 5 * o.k);
  MESSAGE("light users' round-3 click rate: " << heavy.history.back().ctr_majority << " heavy data, "
                                               << balanced.history.back().ctr_majority << " balanced");
  CHECK(balanced.history.back().ctr_majority > heavy.history.back().ctr_majority + 0.05);
  FeedbackSim bad;
  o.minority_activity = 0.5;
  CHECK(!feedback_init(bad, o).ok);
}

TEST_CASE("recsys feedback loop: the audit finds the proxy only when the ranking uses it") {
  FeedbackOptions o;
  o.rounds = 6;
  FeedbackSim plain, proxy;
  REQUIRE(feedback_init(plain, o).ok);
  REQUIRE(feedback_run_to_end(plain).ok);
  o.use_proxy = true;
  o.proxy_weight = 1;
  REQUIRE(feedback_init(proxy, o).ok);
  REQUIRE(feedback_run_to_end(proxy).ok);
  const FeedbackAudit a = feedback_audit(plain, 7), b = feedback_audit(proxy, 7);
  REQUIRE(a.importance.size() == 3);
  REQUIRE(b.importance.size() == 3);
  CHECK(a.importance[1].slots_changed == 0);   // an unused input changes nothing
  CHECK(a.importance[2].slots_changed == 0);   // no popularity penalty: click counts unused
  CHECK(b.importance[1].slots_changed > 0.01); // the proxy is found
  CHECK(a.importance[0].slots_changed > 0.3);  // the history drives the ranking
  REQUIRE(b.groups.size() == 4);
  CHECK(b.groups[0].users + b.groups[1].users == o.n_users);
  CHECK(b.groups[2].users + b.groups[3].users == o.n_users);
  CHECK(b.groups[0].train_share + b.groups[1].train_share == doctest::Approx(1));
  // the same seed audits the same way
  const FeedbackAudit c = feedback_audit(proxy, 7);
  CHECK(c.importance[1].slots_changed == b.importance[1].slots_changed);
}

TEST_CASE("recsys models: the metadata model is within 10% of the floor and beats MF on users with few ratings") {
  RecData d;
  REQUIRE(synth_generate(synth_movielens100k(1), d).ok);
  const Split s = split_random(d, 0.2, 1);
  auto train = [&](ModelKind kind, double lr, double l2, RecTrainer& rt) {
    RecModelOptions o;
    o.kind = kind;
    o.dim = 32;
    o.l2 = l2;
    o.dropout = 0.5;
    TrainerOptions to;
    to.epochs = 10;
    to.optim.lr = lr;
    to.optim.lazy = true;
    REQUIRE(rec_init(rt, d, s, o, to).ok);
    REQUIRE(trainer_run_to_end(rt.trainer).ok);
  };
  RecTrainer mf, meta;
  train(ModelKind::Mf, 5e-3, 0.1, mf);
  train(ModelKind::DeepMeta, 3e-3, 0.05, meta);
  const RecEval e = rec_evaluate(meta, d);
  int n_light = 0;
  const double light_mf = rmse_for_light_users(mf, d, 25, &n_light);
  const double light_meta = rmse_for_light_users(meta, d, 25);
  MESSAGE("deep-meta test RMSE " << e.rmse << " (floor " << e.noise_floor_rmse << "); users with <= 25 training ratings ("
                                 << n_light << " test ratings): MF " << light_mf << ", deep-meta " << light_meta);
  CHECK(e.rmse < 1.10 * e.noise_floor_rmse);
  CHECK(n_light > 1000);
  CHECK(light_meta < light_mf);
}
