#include "core/recsys/feedback.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace lab::core::recsys {

using namespace lab::core::nn;

namespace {

double sigmoid(double z) { return z >= 0 ? 1 / (1 + std::exp(-z)) : std::exp(z) / (1 + std::exp(z)); }

bool has(const std::vector<int32_t>& v, int32_t x) { return std::binary_search(v.begin(), v.end(), x); }

void add_click(FeedbackSim& s, int32_t u, int32_t i) {
  auto& v = s.clicked[size_t(u)];
  v.insert(std::upper_bound(v.begin(), v.end(), i), i);
  ++s.item_clicks[size_t(i)];
}

// A fresh trainer over all clicks so far, continuing from the model's current weights.
Status start_training(FeedbackSim& s, std::unique_ptr<TripletRecObjective> obj) {
  obj->train_users.clear();
  obj->train_items.clear();
  for (int32_t u = 0; u < s.opt.n_users; ++u)
    for (int32_t i : s.clicked[size_t(u)]) {
      obj->train_users.push_back(u);
      obj->train_items.push_back(i);
    }
  TrainerOptions to;
  to.epochs = s.opt.epochs_per_round;
  to.batch_size = 64;
  to.seed = s.opt.seed * 1000003ULL + uint64_t(s.round);
  to.optim.lr = s.opt.lr;
  to.optim.lazy = true;
  s.model = obj.get();
  return trainer_init(s.trainer, std::move(obj), to);
}

// The model has been retrained: show lists, draw clicks, record the round, start the next one.
Status finish_round(FeedbackSim& s) {
  const FeedbackOptions& o = s.opt;
  const int32_t nu = o.n_users, ni = o.n_items;
  std::vector<float> sc(static_cast<size_t>(ni));
  std::vector<double> shown(static_cast<size_t>(ni), 0);
  const double max_log = std::log1p(double(*std::max_element(s.item_clicks.begin(), s.item_clicks.end())));
  // popularity within each proxy group (from clicks so far)
  std::vector<double> grp_pop[2] = {std::vector<double>(static_cast<size_t>(ni), 0), std::vector<double>(static_cast<size_t>(ni), 0)};
  if (o.use_proxy) {
    for (int32_t u = 0; u < nu; ++u)
      for (int32_t i : s.clicked[size_t(u)]) grp_pop[s.proxy[size_t(u)]][size_t(i)] += 1;
    for (auto& g : grp_pop) {
      const double m = std::max(1.0, *std::max_element(g.begin(), g.end()));
      for (double& x : g) x /= m;
    }
  }
  std::vector<int32_t> order(static_cast<size_t>(ni));
  for (int32_t i = 0; i < ni; ++i) order[size_t(i)] = i;
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return s.item_clicks[size_t(a)] > s.item_clicks[size_t(b)] || (s.item_clicks[size_t(a)] == s.item_clicks[size_t(b)] && a < b);
  });
  std::vector<uint8_t> top10(static_cast<size_t>(ni), 0);
  for (size_t k = 0; k < std::max<size_t>(1, size_t(ni) / 10); ++k) top10[size_t(order[k])] = 1;

  FeedbackRound r;
  r.round = s.round + 1;
  double ctr[2] = {0, 0}, n_shown[2] = {0, 0}, on_top = 0, all = 0;
  std::vector<std::vector<int32_t>> lists(static_cast<size_t>(nu));
  std::vector<std::pair<int32_t, int32_t>> new_clicks;
  for (int32_t u = 0; u < nu; ++u) {
    s.model->score_user(u, sc);
    for (int32_t i = 0; i < ni; ++i) {
      double v = sc[size_t(i)];
      if (o.popularity_penalty > 0 && max_log > 0) v -= o.popularity_penalty * std::log1p(double(s.item_clicks[size_t(i)])) / max_log;
      if (o.use_proxy) v += o.proxy_weight * grp_pop[s.proxy[size_t(u)]][size_t(i)];
      sc[size_t(i)] = float(v);
    }
    std::vector<int32_t> list = top_k(sc, s.clicked[size_t(u)], o.k);
    // exploration: each slot becomes a random unseen item (not already in the list) with prob eps
    for (int32_t& slot : list) {
      if (!(o.explore_eps > 0) || !rng_bernoulli(s.rng, o.explore_eps)) continue;
      for (int tries = 0; tries < 50; ++tries) {
        const int32_t c = int32_t(rng_below(s.rng, uint32_t(ni)));
        if (has(s.clicked[size_t(u)], c) || std::find(list.begin(), list.end(), c) != list.end()) continue;
        slot = c;
        break;
      }
    }
    const int g = s.group[size_t(u)];
    for (int32_t i : list) {
      const double p = feedback_click_prob(s, u, i);
      ctr[g] += p;
      n_shown[g] += 1;
      shown[size_t(i)] += 1;
      on_top += top10[size_t(i)];
      all += 1;
      if (rng_bernoulli(s.rng, p)) new_clicks.push_back({u, i});
    }
    lists[size_t(u)] = std::move(list);
  }
  for (auto [u, i] : new_clicks) add_click(s, u, i);
  r.coverage = catalogue_coverage(lists, ni);
  r.gini = gini(shown);
  r.popular_share = all > 0 ? on_top / all : 0;
  r.ctr = (ctr[0] + ctr[1]) / std::max(1.0, n_shown[0] + n_shown[1]);
  r.ctr_majority = n_shown[0] > 0 ? ctr[0] / n_shown[0] : 0;
  r.ctr_minority = n_shown[1] > 0 ? ctr[1] / n_shown[1] : 0;
  r.disparity = r.ctr_majority - r.ctr_minority;
  r.clicks = int64_t(new_clicks.size());
  for (int32_t c : s.item_clicks) r.total_clicks += c;
  s.history.push_back(r);
  ++s.round;
  if (s.round >= o.rounds) return Status::success();
  // hand the model to a new trainer over the grown click log
  std::unique_ptr<Objective> owned = std::move(s.trainer.objective);
  std::unique_ptr<TripletRecObjective> obj(static_cast<TripletRecObjective*>(owned.release()));
  return start_training(s, std::move(obj));
}

}  // namespace

double feedback_click_prob(const FeedbackSim& s, int32_t u, int32_t i) {
  // utility has sd ~1 over (user, item); most items are ignored, the best are clicked often
  const double z = double(s.true_users.row(u).dot(s.true_items.row(i)));
  return sigmoid(2.0 * z - 2.5);
}

Status feedback_init(FeedbackSim& s, const FeedbackOptions& o) {
  s = FeedbackSim{};
  s.opt = o;
  if (o.n_users < 4 || o.n_items < o.k + o.seed_clicks + 1 || o.k < 1 || o.rounds < 1 || o.rank < 1 || o.dim < 1 ||
      o.epochs_per_round < 1 || !(o.lr > 0))
    return s.status = Status::error("feedback loop: needs >= 4 users, more items than k + seed clicks, k, rounds, "
                                    "rank, dim, epochs >= 1 and a positive learning rate");
  if (!(o.explore_eps >= 0 && o.explore_eps <= 1) || !(o.minority_share >= 0 && o.minority_share <= 1) ||
      !(o.proxy_accuracy >= 0 && o.proxy_accuracy <= 1) || o.popularity_penalty < 0)
    return s.status = Status::error("feedback loop: exploration, minority share and proxy accuracy must be in [0, 1]; "
                                    "the popularity penalty cannot be negative");
  // Memory: users x items clicks at most (300 x 400 in the lesson, whose block sets no size: only
  // rounds, k and epochs, all bounded by its schema), so no budget check is needed here.
  rng_seed(s.rng, o.seed);
  Rng world = rng_fork(s.rng);
  const int R = o.rank;
  // two taste centres; the minority's is nearly orthogonal to the majority's
  Mat centre(2, R);
  for (Index j = 0; j < R; ++j)
    for (Index g = 0; g < 2; ++g) centre(g, j) = float(rng_normal(world));
  for (Index g = 0; g < 2; ++g) centre.row(g) *= float(1.0 / std::max(1e-6f, centre.row(g).norm()));
  s.true_users.resize(o.n_users, R);
  s.group.resize(size_t(o.n_users));
  s.proxy.resize(size_t(o.n_users));
  for (int32_t u = 0; u < o.n_users; ++u) {
    const int g = rng_bernoulli(world, o.minority_share) ? 1 : 0;
    s.group[size_t(u)] = uint8_t(g);
    s.proxy[size_t(u)] = uint8_t(rng_bernoulli(world, o.proxy_accuracy) ? g : 1 - g);
    for (int j = 0; j < R; ++j) s.true_users(u, j) = float(1.2 * centre(g, j) + 0.7 * rng_normal(world) / std::sqrt(double(R)));
  }
  s.true_items.resize(o.n_items, R);
  for (int32_t i = 0; i < o.n_items; ++i)
    for (int j = 0; j < R; ++j) s.true_items(i, j) = float(rng_normal(world) * 1.2 / std::sqrt(1.0 + 0.5));
  // organic browsing before any recommender: a Zipf-like exposure over items
  s.clicked.assign(size_t(o.n_users), {});
  s.item_clicks.assign(size_t(o.n_items), 0);
  std::vector<double> cum(size_t(o.n_items));
  double tot = 0;
  for (int32_t i = 0; i < o.n_items; ++i) cum[size_t(i)] = tot += 1.0 / double(i + 3);
  for (int32_t u = 0; u < o.n_users; ++u) {
    int got = 0;
    for (int tries = 0; tries < 400 && got < o.seed_clicks; ++tries) {
      const double x = rng_uniform(world) * tot;
      const int32_t i = int32_t(std::lower_bound(cum.begin(), cum.end(), x) - cum.begin());
      if (i >= o.n_items || has(s.clicked[size_t(u)], i)) continue;
      if (rng_bernoulli(world, feedback_click_prob(s, u, i))) {
        add_click(s, u, i);
        ++got;
      }
    }
  }
  // the recommender: the triplet model of models.h (dot product, so popular items can win)
  auto obj = std::make_unique<TripletRecObjective>();
  obj->n_items = o.n_items;
  obj->sim = Measure::Dot;
  obj->margin = 1.0;
  Rng init(o.seed + 17);
  if (Status st = obj->user.init(o.n_users, o.dim, init); !st) return s.status = st;
  if (Status st = obj->item.init(o.n_items, o.dim, init); !st) return s.status = st;
  obj->user.sparse_grad = obj->item.sparse_grad = true;
  if (Status st = start_training(s, std::move(obj)); !st) return s.status = st;
  return s.status = Status::success();
}

bool feedback_done(const FeedbackSim& s) { return !s.status.ok || s.round >= s.opt.rounds; }

Status feedback_step(FeedbackSim& s, double budget_ms) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  while (!feedback_done(s)) {
    const double used = std::chrono::duration<double, std::milli>(clock::now() - start).count();
    if (!trainer_done(s.trainer)) {
      if (Status st = trainer_step(s.trainer, std::max(0.0, budget_ms - used)); !st) return s.status = st;
    } else if (Status st = finish_round(s); !st) {
      return s.status = st;
    }
    if (std::chrono::duration<double, std::milli>(clock::now() - start).count() >= budget_ms) break;
  }
  return s.status;
}

Status feedback_run_to_end(FeedbackSim& s) {
  while (!feedback_done(s)) feedback_step(s, 1e9);
  return s.status;
}

}  // namespace lab::core::recsys
