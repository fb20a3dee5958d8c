// Cold start in core: the cold split (new movies, new users with their first ratings), the
// content-only and hybrid rating models, and the YouTube watch model (a user as the average of the
// embeddings of what they watched).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/nn/trainer.h"
#include "core/recsys/models.h"
#include "core/recsys/watch.h"

using namespace lab::core;
using namespace lab::core::recsys;

TEST_CASE("split_cold: new movies only in test, new users keep their first ratings, every rating once") {
  RecData d;
  REQUIRE(synth_generate(synth_small(3), d).ok);
  const ColdSplit c = split_cold(d, 0.2, 0.25, 3, 0.2, 9);
  CHECK(std::count(c.new_item.begin(), c.new_item.end(), 1) == 100);  // 20% of 500
  CHECK(std::count(c.new_user.begin(), c.new_user.end(), 1) == 75);   // 25% of 300
  std::vector<int> seen(d.ratings.size(), 0);
  for (uint32_t k : c.split.train) ++seen[k];
  for (uint32_t k : c.split.test) ++seen[k];
  CHECK(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
  std::vector<int> train_of_user(size_t(d.n_users), 0);
  std::vector<int64_t> latest_train(size_t(d.n_users), INT64_MIN);
  for (uint32_t k : c.split.train) {
    const Rating& r = d.ratings[k];
    CHECK_FALSE(c.new_item[size_t(r.item)]);
    ++train_of_user[size_t(r.user)];
    latest_train[size_t(r.user)] = std::max(latest_train[size_t(r.user)], r.timestamp);
  }
  for (int32_t u = 0; u < d.n_users; ++u)
    if (c.new_user[size_t(u)]) CHECK(train_of_user[size_t(u)] <= 3);
  // a new user's held-out ratings of known movies all come after (or with) their kept ones
  for (uint32_t k : c.split.test) {
    const Rating& r = d.ratings[k];
    if (c.new_user[size_t(r.user)] && !c.new_item[size_t(r.item)]) CHECK(r.timestamp >= latest_train[size_t(r.user)]);
  }
  // the same seed gives the same split
  const ColdSplit again = split_cold(d, 0.2, 0.25, 3, 0.2, 9);
  CHECK(again.split.test == c.split.test);
}

TEST_CASE("content-only and hybrid rating models train, content scores an unseen movie from its features") {
  RecData d;
  REQUIRE(synth_generate(synth_small(2), d).ok);
  const ColdSplit c = split_cold(d, 0.2, 0.0, 0, 0.2, 2);
  for (ModelKind kind : {ModelKind::Content, ModelKind::Hybrid}) {
    RecModelOptions mo;
    mo.kind = kind;
    mo.dim = 8;
    mo.hidden = {16};
    mo.dropout = 0.1;
    mo.popularity_feature = false;
    nn::TrainerOptions to;
    to.epochs = 4;
    to.optim.lr = 5e-3;
    RecTrainer rt;
    REQUIRE(rec_init(rt, d, c.split, mo, to).ok);
    nn::trainer_run_to_end(rt.trainer);
    REQUIRE(rt.trainer.phase == nn::TrainPhase::Done);
    // two new movies with the same features get the same score from the content model, whatever their ids
    const Mat& f = rt.rating->item_feats;
    int32_t a = -1, b = -1;
    for (int32_t i = 0; i < d.n_items && b < 0; ++i)
      for (int32_t j = i + 1; j < d.n_items; ++j)
        if (c.new_item[size_t(i)] && c.new_item[size_t(j)] && f.row(i) == f.row(j)) {
          a = i, b = j;
          break;
        }
    std::vector<float> p;
    REQUIRE(rt.rating->predict(std::vector<int32_t>{0, 0}, std::vector<int32_t>{std::max(a, 0), std::max(b, 0)}, p).ok);
    if (kind == ModelKind::Content && a >= 0) CHECK(p[0] == p[1]);
    if (kind == ModelKind::Hybrid) CHECK(rt.rating->model.opt.kind == nn::TowerKind::Mf);
    const RecEval e = rec_evaluate(rt, d);
    CHECK(std::isfinite(e.rmse));
  }
  ModelKind k;
  CHECK(model_parse("content", k));
  CHECK(k == ModelKind::Content);
  CHECK(model_parse("hybrid", k));
  CHECK_FALSE(model_parse("hybird", k));
}

TEST_CASE("watch model: a user vector is the mean of the watched movies' embeddings, new users are held out") {
  RecData d;
  REQUIRE(synth_generate(synth_small(4), d).ok);
  const WatchData w = watch_histories(d, 0.2, 4);
  CHECK(std::count(w.is_new.begin(), w.is_new.end(), 1) == 60);
  size_t total = 0;
  for (const auto& h : w.watches) total += h.size();
  CHECK(total == d.ratings.size());
  WatchOptions o;
  o.dim = 4;
  o.hidden = {8};
  o.history = 3;
  std::unique_ptr<WatchObjective> obj;
  REQUIRE(make_watch_objective(d.n_items, w, o, obj).ok);
  for (const auto& ex : obj->train_ex) CHECK_FALSE(w.is_new[size_t(ex.user)]);
  const std::vector<int32_t> hist = {5, 9, 5, 12};  // the last 3 count: 9, 5, 12
  Mat v;
  REQUIRE(obj->user_vector(hist, -1, v).ok);
  const Mat expect = (obj->items.W.row(9) + obj->items.W.row(5) + obj->items.W.row(12)) / 3;
  CHECK((v - expect).norm() < 1e-6);
  std::vector<float> s;
  REQUIRE(obj->scores(hist, -1, s).ok);
  CHECK(int32_t(s.size()) == d.n_items);
  // The id model: a new user's row is its initial value after training (never in a batch).
  o.user = UserRepr::Id;
  std::unique_ptr<WatchObjective> id;
  REQUIRE(make_watch_objective(d.n_items, w, o, id).ok);
  int32_t newbie = int32_t(std::find(w.is_new.begin(), w.is_new.end(), 1) - w.is_new.begin());
  const Mat before = id->users.W.row(newbie);
  WatchObjective* raw = id.get();
  nn::Trainer tr;
  nn::TrainerOptions to;
  to.epochs = 3;
  to.optim.lr = 3e-3;
  REQUIRE(nn::trainer_init(tr, std::move(id), to).ok);
  nn::trainer_run_to_end(tr);
  REQUIRE(tr.phase == nn::TrainPhase::Done);
  CHECK(raw->users.W.row(newbie) == before);
  INFO("train loss " << tr.history.train_loss.back());
  CHECK(tr.history.train_loss.back() < std::log(double(d.n_items)) - 0.3);  // learned more than a uniform guess
}

TEST_CASE("implicit dislikes: off changes nothing, on, a share of negatives are the user's own dislikes") {
  RecData d;
  REQUIRE(synth_generate(synth_small(5), d).ok);
  const Split s = split_random(d, 0.2, 5);
  auto train = [&](float threshold, double share, RecTrainer& rt) {
    RecModelOptions mo;
    mo.kind = ModelKind::Triplet;
    mo.dim = 8;
    mo.dislike_threshold = threshold;
    mo.dislike_share = share;
    nn::TrainerOptions to;
    to.epochs = 2;
    REQUIRE(rec_init(rt, d, s, mo, to).ok);
    nn::trainer_run_to_end(rt.trainer);
    REQUIRE(rt.trainer.phase == nn::TrainPhase::Done);
  };
  RecTrainer plain, collected, used;
  train(0, 0, plain);
  train(2, 0, collected);  // dislikes known but not used: the same draws, the same model
  CHECK(plain.triplet->user.W == collected.triplet->user.W);
  CHECK(plain.test_dislikes.empty());
  REQUIRE(collected.test_dislikes.size() == size_t(d.n_users));
  for (uint32_t k : s.test)
    if (d.ratings[k].rating <= 2) {
      const auto& mine = collected.test_dislikes[size_t(d.ratings[k].user)];
      CHECK(std::find(mine.begin(), mine.end(), d.ratings[k].item) != mine.end());
    }
  train(2, 1.0, used);
  CHECK_FALSE(used.triplet->user.W == plain.triplet->user.W);
  int users_with = 0;
  int n = 0;
  const double auc = dislike_auc(used, &n);
  CHECK(n > 0);
  CHECK(auc >= 0);
  CHECK(auc <= 1);
  for (const auto& dl : used.triplet->dislikes) users_with += dl.empty() ? 0 : 1;
  CHECK(users_with > 0);
  int none = -1;
  CHECK(std::isnan(dislike_auc(plain, &none)));
  CHECK(none == 0);
}
