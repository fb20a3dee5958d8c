#include "core/recsys/feedback.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>

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

bool tracks_satisfaction(const FeedbackOptions& o) {
  return o.clickbait_share > 0 || o.objective == FeedbackOptions::Objective::Satisfied;
}

// A click: recorded, and (when the simulation tracks it) whether the user was glad of it, drawn from
// its own stream so that the plain loop's draws do not move.
void click(FeedbackSim& s, int32_t u, int32_t i) {
  add_click(s, u, i);
  if (!tracks_satisfaction(s.opt) || rng_bernoulli(s.outcome_rng, feedback_satisfied_prob(s, u, i))) return;
  auto& v = s.regretted[size_t(u)];
  v.insert(std::upper_bound(v.begin(), v.end(), i), i);
}

// What a user's clicks teach the model: every click, or (objective Satisfied) the ones they were glad of.
std::vector<int32_t> training_positives(const FeedbackSim& s, int32_t u) {
  const auto& c = s.clicked[size_t(u)];
  if (s.opt.objective != FeedbackOptions::Objective::Satisfied) return c;
  std::vector<int32_t> out;
  std::set_difference(c.begin(), c.end(), s.regretted[size_t(u)].begin(), s.regretted[size_t(u)].end(),
                      std::back_inserter(out));
  return out;
}

// A fresh trainer over all clicks so far, continuing from the model's current weights.
Status start_training(FeedbackSim& s, std::unique_ptr<TripletRecObjective> obj) {
  const FeedbackOptions& o = s.opt;
  obj->train_users.clear();
  obj->train_items.clear();
  std::vector<std::vector<int32_t>> pos(size_t(o.n_users));
  for (int32_t u = 0; u < o.n_users; ++u) pos[size_t(u)] = training_positives(s, u);
  if (o.balance_users) {  // every user at most the median user's count: a seeded sample of the rest
    std::vector<size_t> counts;
    for (const auto& p : pos) counts.push_back(p.size());
    std::nth_element(counts.begin(), counts.begin() + counts.size() / 2, counts.end());
    const size_t cap = std::max<size_t>(1, counts[counts.size() / 2]);
    for (auto& p : pos) {
      if (p.size() <= cap) continue;
      for (size_t k = 0; k < cap; ++k) std::swap(p[k], p[k + rng_below(s.outcome_rng, uint32_t(p.size() - k))]);
      p.resize(cap);
      std::sort(p.begin(), p.end());
    }
  }
  double minority_rows = 0;
  for (int32_t u = 0; u < o.n_users; ++u)
    for (int32_t i : pos[size_t(u)]) {
      obj->train_users.push_back(u);
      obj->train_items.push_back(i);
      minority_rows += s.group[size_t(u)];
    }
  s.minority_train_share = obj->train_users.empty() ? 0 : minority_rows / double(obj->train_users.size());
  if (obj->train_users.empty()) return Status::error("feedback loop: no click to train on (every click was regretted)");
  TrainerOptions to;
  to.epochs = o.epochs_per_round;
  to.batch_size = 64;
  to.seed = o.seed * 1000003ULL + uint64_t(s.round);
  to.optim.lr = o.lr;
  to.optim.lazy = true;
  s.model = obj.get();
  return trainer_init(s.trainer, std::move(obj), to);
}

// The 10% most-clicked items so far (ties by id), as flags.
std::vector<uint8_t> most_clicked(const FeedbackSim& s) {
  const int32_t ni = s.opt.n_items;
  std::vector<int32_t> order(static_cast<size_t>(ni));
  for (int32_t i = 0; i < ni; ++i) order[size_t(i)] = i;
  std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
    return s.item_clicks[size_t(a)] > s.item_clicks[size_t(b)] || (s.item_clicks[size_t(a)] == s.item_clicks[size_t(b)] && a < b);
  });
  std::vector<uint8_t> top10(static_cast<size_t>(ni), 0);
  for (size_t k = 0; k < std::max<size_t>(1, size_t(ni) / 10); ++k) top10[size_t(order[k])] = 1;
  return top10;
}

// The model has been retrained: show lists, draw clicks, record the round, start the next one.
Status finish_round(FeedbackSim& s) {
  const FeedbackOptions& o = s.opt;
  const int32_t nu = o.n_users, ni = o.n_items;
  std::vector<float> sc(static_cast<size_t>(ni));
  std::vector<double> shown(static_cast<size_t>(ni), 0);
  std::vector<double> grp_pop[2];
  feedback_proxy_popularity(s, grp_pop);
  const std::vector<uint8_t> top10 = most_clicked(s);

  FeedbackRound r;
  r.round = s.round + 1;
  double ctr[2] = {0, 0}, n_shown[2] = {0, 0}, on_top = 0, all = 0, glad = 0, bait = 0, expected_clicks = 0;
  std::vector<std::vector<int32_t>> lists(static_cast<size_t>(nu));
  std::vector<std::pair<int32_t, int32_t>> new_clicks;
  for (int32_t u = 0; u < nu; ++u) {
    feedback_scores(s, u, s.proxy[size_t(u)], s.item_clicks, grp_pop, sc);
    std::vector<int32_t> list = top_k(sc, s.clicked[size_t(u)], feedback_list_size(s, u));
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
    for (size_t slot = 0; slot < list.size(); ++slot) {
      const int32_t i = list[slot];
      const double p = feedback_click_prob(s, u, i);
      if (slot < size_t(o.k)) {  // click rates compare the same k slots of every list
        ctr[g] += p;
        n_shown[g] += 1;
      }
      shown[size_t(i)] += 1;
      on_top += top10[size_t(i)];
      all += 1;
      glad += p * feedback_satisfied_prob(s, u, i);
      expected_clicks += p;
      if (!s.bait.empty()) bait += s.bait[size_t(i)];
      if (rng_bernoulli(s.rng, p)) new_clicks.push_back({u, i});
    }
    lists[size_t(u)] = std::move(list);
  }
  for (auto [u, i] : new_clicks) click(s, u, i);
  r.coverage = catalogue_coverage(lists, ni);
  r.gini = gini(shown);
  r.popular_share = all > 0 ? on_top / all : 0;
  r.ctr = (ctr[0] + ctr[1]) / std::max(1.0, n_shown[0] + n_shown[1]);
  r.ctr_majority = n_shown[0] > 0 ? ctr[0] / n_shown[0] : 0;
  r.ctr_minority = n_shown[1] > 0 ? ctr[1] / n_shown[1] : 0;
  r.disparity = r.ctr_majority - r.ctr_minority;
  r.satisfaction = all > 0 ? glad / all : 0;
  r.bait_share = all > 0 ? bait / all : 0;
  r.regret_share = expected_clicks > 0 ? 1 - glad / expected_clicks : 0;
  r.minority_train_share = s.minority_train_share;
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
  const double appeal = s.bait.empty() || !s.bait[size_t(i)] ? 0.0 : s.opt.clickbait_appeal;
  return sigmoid(2.0 * z - 2.5 + appeal);
}

double feedback_satisfied_prob(const FeedbackSim& s, int32_t u, int32_t i) {
  // glad of a movie that suits their taste; a clickbait movie disappoints (4 logits lower)
  const double z = double(s.true_users.row(u).dot(s.true_items.row(i)));
  const double letdown = s.bait.empty() || !s.bait[size_t(i)] ? 0.0 : 4.0;
  return sigmoid(2.0 * z + 1.0 - letdown);
}

int feedback_list_size(const FeedbackSim& s, int32_t u) {
  if (s.group[size_t(u)] == 0 || s.opt.minority_activity == 1) return s.opt.k;
  return std::max(1, int(std::lround(s.opt.k * s.opt.minority_activity)));
}

void feedback_proxy_popularity(const FeedbackSim& s, std::vector<double> (&grp_pop)[2]) {
  const size_t ni = size_t(s.opt.n_items);
  for (auto& g : grp_pop) g.assign(ni, 0);
  if (!s.opt.use_proxy) return;
  for (int32_t u = 0; u < s.opt.n_users; ++u)
    for (int32_t i : s.clicked[size_t(u)]) grp_pop[s.proxy[size_t(u)]][size_t(i)] += 1;
  for (auto& g : grp_pop) {
    const double m = std::max(1.0, *std::max_element(g.begin(), g.end()));
    for (double& x : g) x /= m;
  }
}

void feedback_scores(FeedbackSim& s, int32_t model_user, int proxy_value, std::span<const int32_t> item_clicks,
                     const std::vector<double> (&grp_pop)[2], std::span<float> out) {
  const FeedbackOptions& o = s.opt;
  const double max_log = std::log1p(double(*std::max_element(item_clicks.begin(), item_clicks.end())));
  s.model->score_user(model_user, out);
  for (size_t i = 0; i < out.size(); ++i) {
    double v = out[i];
    if (o.popularity_penalty > 0 && max_log > 0) v -= o.popularity_penalty * std::log1p(double(item_clicks[i])) / max_log;
    if (o.use_proxy) v += o.proxy_weight * grp_pop[proxy_value][i];
    out[i] = float(v);
  }
}

Status feedback_init(FeedbackSim& s, const FeedbackOptions& o) {
  s = FeedbackSim{};
  s.opt = o;
  if (o.n_users < 4 || o.n_items < o.k + o.seed_clicks + 1 || o.k < 1 || o.rounds < 1 || o.rank < 1 || o.dim < 1 ||
      o.epochs_per_round < 1 || !(o.lr > 0))
    return s.status = Status::error("feedback loop: needs >= 4 users, more items than k + seed clicks, k, rounds, "
                                    "rank, dim, epochs >= 1 and a positive learning rate");
  if (!(o.explore_eps >= 0 && o.explore_eps <= 1) || !(o.minority_share >= 0 && o.minority_share <= 1) ||
      !(o.proxy_accuracy >= 0 && o.proxy_accuracy <= 1) || !(o.clickbait_share >= 0 && o.clickbait_share <= 1) ||
      !(o.popularity_penalty >= 0) || !std::isfinite(o.popularity_penalty) || !std::isfinite(o.clickbait_appeal))
    return s.status = Status::error("feedback loop: exploration, minority share, proxy accuracy and clickbait share must be "
                                    "in [0, 1]; the popularity penalty cannot be negative");
  if (!(o.minority_activity >= 1 && o.minority_activity <= 20))
    return s.status = Status::error("feedback loop: the minority's activity must be in [1, 20] (times the majority's)");
  // Memory: users x items clicks at most (300 x 400 in the lesson, whose block sets no size: only
  // rounds, k and epochs, all bounded by its schema), so no budget check is needed here.
  rng_seed(s.rng, o.seed);
  rng_seed(s.outcome_rng, o.seed * 7919ULL + 101);
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
  if (o.clickbait_share > 0) {  // own stream: the plain loop's world stays as it was
    Rng baits(o.seed * 7919ULL + 202);
    s.bait.resize(size_t(o.n_items));
    for (uint8_t& b : s.bait) b = rng_bernoulli(baits, o.clickbait_share) ? 1 : 0;
  }
  // organic browsing before any recommender: a Zipf-like exposure over items
  s.clicked.assign(size_t(o.n_users), {});
  s.regretted.assign(size_t(o.n_users), {});
  s.item_clicks.assign(size_t(o.n_items), 0);
  std::vector<double> cum(size_t(o.n_items));
  double tot = 0;
  for (int32_t i = 0; i < o.n_items; ++i) cum[size_t(i)] = tot += 1.0 / double(i + 3);
  for (int32_t u = 0; u < o.n_users; ++u) {
    int got = 0;
    const int want = s.group[size_t(u)] == 0 ? o.seed_clicks : int(std::lround(o.seed_clicks * o.minority_activity));
    for (int tries = 0; tries < 80 * want && got < want; ++tries) {
      const double x = rng_uniform(world) * tot;
      const int32_t i = int32_t(std::lower_bound(cum.begin(), cum.end(), x) - cum.begin());
      if (i >= o.n_items || has(s.clicked[size_t(u)], i)) continue;
      if (rng_bernoulli(world, feedback_click_prob(s, u, i))) {
        click(s, u, i);
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

namespace {

// Every user's top-k list under the deployed ranking, with one input possibly swapped: the model's
// user vector and the proxy value taken from user `as_user[u]`, popularity from `clicks`.
std::vector<std::vector<int32_t>> audit_lists(FeedbackSim& s, std::span<const int32_t> model_user,
                                              std::span<const int32_t> proxy_user, std::span<const int32_t> clicks) {
  std::vector<double> grp_pop[2];
  feedback_proxy_popularity(s, grp_pop);
  std::vector<float> sc(size_t(s.opt.n_items));
  std::vector<std::vector<int32_t>> lists(size_t(s.opt.n_users));
  for (int32_t u = 0; u < s.opt.n_users; ++u) {
    feedback_scores(s, model_user[size_t(u)], s.proxy[size_t(proxy_user[size_t(u)])], clicks, grp_pop, sc);
    lists[size_t(u)] = top_k(sc, s.clicked[size_t(u)], feedback_list_size(s, u));
  }
  return lists;
}

double lists_ctr(const FeedbackSim& s, const std::vector<std::vector<int32_t>>& lists) {
  double p = 0, n = 0;
  for (int32_t u = 0; u < s.opt.n_users; ++u)
    for (int32_t i : lists[size_t(u)]) {
      p += feedback_click_prob(s, u, i);
      n += 1;
    }
  return n > 0 ? p / n : 0;
}

}  // namespace

FeedbackAudit feedback_audit(FeedbackSim& s, uint64_t seed) {
  FeedbackAudit a;
  if (!s.model) return a;
  const int32_t nu = s.opt.n_users, ni = s.opt.n_items;
  std::vector<int32_t> users(static_cast<size_t>(nu)), shuffled(static_cast<size_t>(nu));
  for (int32_t u = 0; u < nu; ++u) users[size_t(u)] = shuffled[size_t(u)] = u;
  Rng rng(seed);
  for (int32_t k = nu - 1; k > 0; --k) std::swap(shuffled[size_t(k)], shuffled[rng_below(rng, uint32_t(k + 1))]);
  std::vector<int32_t> clicks_shuffled = s.item_clicks;
  for (int32_t k = ni - 1; k > 0; --k)
    std::swap(clicks_shuffled[size_t(k)], clicks_shuffled[rng_below(rng, uint32_t(k + 1))]);

  const auto base = audit_lists(s, users, users, s.item_clicks);
  const double base_ctr = lists_ctr(s, base);
  auto importance = [&](const char* input, const std::vector<std::vector<int32_t>>& lists) {
    double changed = 0, slots = 0;
    for (int32_t u = 0; u < nu; ++u) {
      const auto& b = base[size_t(u)];
      for (int32_t i : lists[size_t(u)]) changed += std::find(b.begin(), b.end(), i) == b.end();
      slots += double(b.size());
    }
    a.importance.push_back({input, slots > 0 ? changed / slots : 0, lists_ctr(s, lists) - base_ctr});
  };
  importance("click history (the learned user vector)", audit_lists(s, shuffled, users, s.item_clicks));
  importance("proxy attribute (postcode)", audit_lists(s, users, shuffled, s.item_clicks));
  importance("movie popularity (click counts)", audit_lists(s, users, users, clicks_shuffled));

  const std::vector<uint8_t> top10 = most_clicked(s);
  double all_clicks = 0;
  for (int32_t c : s.item_clicks) all_clicks += c;
  auto group_row = [&](const char* name, auto member) {
    FeedbackGroupRow r{name};
    double p = 0, n = 0, pop = 0, clicks = 0;
    for (int32_t u = 0; u < nu; ++u) {
      if (!member(u)) continue;
      ++r.users;
      clicks += double(s.clicked[size_t(u)].size());
      for (int32_t i : base[size_t(u)]) {
        p += feedback_click_prob(s, u, i);
        pop += top10[size_t(i)];
        n += 1;
      }
    }
    r.ctr = n > 0 ? p / n : 0;
    r.popular_share = n > 0 ? pop / n : 0;
    r.train_share = all_clicks > 0 ? clicks / all_clicks : 0;
    a.groups.push_back(r);
  };
  group_row("majority", [&](int32_t u) { return s.group[size_t(u)] == 0; });
  group_row("minority", [&](int32_t u) { return s.group[size_t(u)] == 1; });
  group_row("postcode A", [&](int32_t u) { return s.proxy[size_t(u)] == 0; });
  group_row("postcode B", [&](int32_t u) { return s.proxy[size_t(u)] == 1; });
  return a;
}

}  // namespace lab::core::recsys
