// "rec-feedback": the filter bubble made visible (src/core/recsys/feedback.h does the simulation).
#include "runtime/blocks/rec_feedback.h"

#include <algorithm>
#include <cstdio>

namespace lab::runtime {

namespace rs = core::recsys;

void RecFeedbackExperiment::step(double budget_ms) {
  if (!error.ok) return;
  if (!initialised) {
    initialised = true;
    error = rs::feedback_init(sim, opt);
    return;
  }
  if (!rs::feedback_done(sim)) {
    error = rs::feedback_step(sim, budget_ms);
    if (error.ok && audit && rs::feedback_done(sim)) report = rs::feedback_audit(sim, opt.seed + 29);
  }
}

float RecFeedbackExperiment::progress() const {
  if (!initialised) return 0;
  return std::min(1.0f, float(sim.round) / float(std::max(1, opt.rounds)));
}

std::string RecFeedbackExperiment::progress_text() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "round %d / %d", initialised ? sim.round : 0, opt.rounds);
  return buf;
}

std::vector<Metric> RecFeedbackExperiment::metrics() const {
  std::vector<Metric> m;
  if (!initialised || !error.ok || sim.history.empty()) return m;
  const rs::FeedbackRound& first = sim.history.front();
  const rs::FeedbackRound& last = sim.history.back();
  m.push_back({"rounds", double(sim.history.size())});
  m.push_back({"coverage", last.coverage});
  m.push_back({"first_coverage", first.coverage});
  m.push_back({"coverage_change", last.coverage - first.coverage});
  m.push_back({"gini", last.gini});
  m.push_back({"popular_share", last.popular_share});
  m.push_back({"ctr", last.ctr});
  m.push_back({"ctr_majority", last.ctr_majority});
  m.push_back({"ctr_minority", last.ctr_minority});
  m.push_back({"disparity", last.disparity});
  double mean_disp = 0;
  for (const rs::FeedbackRound& r : sim.history) mean_disp += r.disparity;
  m.push_back({"mean_disparity", mean_disp / double(sim.history.size())});
  m.push_back({"total_clicks", double(last.total_clicks)});
  m.push_back({"minority_train_share", last.minority_train_share});
  m.push_back({"satisfaction", last.satisfaction});
  m.push_back({"regret_share", last.regret_share});
  if (opt.clickbait_share > 0) m.push_back({"bait_share", last.bait_share});
  if (audit && !report.importance.empty()) {
    static constexpr const char* kNames[] = {"history_importance", "proxy_importance", "popularity_importance"};
    for (size_t k = 0; k < report.importance.size() && k < 3; ++k) {
      m.push_back({kNames[k], report.importance[k].slots_changed});
      m.push_back({std::string(kNames[k]) + "_ctr_change", report.importance[k].ctr_change});
    }
  }
  return m;
}

static std::unique_ptr<Experiment> make_rec_feedback(const BlockConfig& c) {
  auto e = std::make_unique<RecFeedbackExperiment>();
  e->opt.rounds = c.integer("rounds");
  e->opt.k = c.integer("k");
  e->opt.explore_eps = c.num("explore_eps");
  e->opt.popularity_penalty = c.num("popularity_penalty");
  e->opt.use_proxy = c.flag("use_proxy");
  e->opt.proxy_accuracy = c.num("proxy_accuracy");
  e->opt.proxy_weight = c.num("proxy_weight");
  e->opt.minority_share = c.num("minority_share");
  e->opt.epochs_per_round = c.integer("epochs_per_round");
  e->opt.seed = uint64_t(c.integer("seed"));
  e->opt.clickbait_share = c.num("clickbait_share");
  e->opt.clickbait_appeal = c.num("clickbait_appeal");
  e->opt.objective = c.integer("objective") == 1 ? rs::FeedbackOptions::Objective::Satisfied : rs::FeedbackOptions::Objective::Clicks;
  e->opt.minority_activity = c.num("minority_activity");
  e->opt.balance_users = c.flag("balance_users");
  e->audit = c.flag("audit");
  return e;
}

BlockKind& block_kind_rec_feedback() {
  static BlockKind k{
      "rec-feedback",
      "A feedback loop: a recommender retrained on the clicks it caused",
      {
          {"rounds", ParamType::Int, "rounds of recommend → click → retrain", 12, 1, 100, {}, ""},
          {"k", ParamType::Int, "movies shown to each user per round", 10, 1, 50, {}, ""},
          {"explore_eps", ParamType::Float, "mitigation: each slot shows a random unseen movie with this probability", 0, 0, 1, {}, ""},
          {"popularity_penalty", ParamType::Float, "mitigation: score −= penalty × normalised log(1 + clicks)", 0, 0, 5, {}, ""},
          {"use_proxy", ParamType::Bool, "add a proxy attribute (e.g. a postcode) correlated with the user's group to the scores", 0, 0, 1, {}, ""},
          {"proxy_accuracy", ParamType::Float, "how often the proxy agrees with the user's group", 0.8, 0.5, 1, {}, ""},
          {"proxy_weight", ParamType::Float, "weight of the proxy group's popularity in the scores", 0.5, 0, 5, {}, ""},
          {"minority_share", ParamType::Float, "share of users in the minority group (different taste)", 0.3, 0.05, 0.5, {}, ""},
          {"epochs_per_round", ParamType::Int, "training epochs per round (warm start)", 2, 1, 20, {}, ""},
          {"seed", ParamType::Int, "seed of users, preferences, clicks and the model", 1, 0, 1e9, {}, ""},
          {"clickbait_share", ParamType::Float, "share of the movies that are clickbait: clicked more, regretted by most who click", 0, 0, 0.5, {}, ""},
          {"clickbait_appeal", ParamType::Float, "how much a clickbait thumbnail raises the click logit", 3, 0, 6, {}, ""},
          {"objective", ParamType::Choice,
           "what the model is trained on: every click (engagement), or only the clicks the user was glad of (satisfaction)",
           0, 0, 0, {"clicks", "satisfied"}, "clicks"},
          {"minority_activity", ParamType::Float, "heavy users: the minority group browses and is shown this many times as much as the majority", 1, 1, 20, {}, ""},
          {"balance_users", ParamType::Bool, "mitigation: cap every user's training clicks at the median user's count (each user weighs about the same)", 0, 0, 1, {}, ""},
          {"audit", ParamType::Bool, "audit the final ranking: permutation importance of its inputs, figures per group", 0, 0, 1, {}, ""},
      },
      {
          {"rounds", "rounds finished"},
          {"coverage", "share of the catalogue shown to at least one user in the last round"},
          {"first_coverage", "coverage in the first round"},
          {"coverage_change", "coverage − first_coverage (negative: the bubble closes)"},
          {"gini", "Gini of how often each movie was shown in the last round (1 = all on one movie)"},
          {"popular_share", "share of shown movies among the 10% most clicked so far, last round"},
          {"ctr", "expected click rate of the last round's lists (true preferences)"},
          {"ctr_majority", "click rate of the majority group, last round"},
          {"ctr_minority", "click rate of the minority group, last round"},
          {"disparity", "ctr_majority − ctr_minority, last round"},
          {"mean_disparity", "disparity averaged over the rounds"},
          {"total_clicks", "clicks collected (the model's training data)"},
          {"minority_train_share", "share of the last round's training clicks that came from minority users"},
          {"satisfaction", "expected clicks the user is glad of, per shown movie, last round"},
          {"regret_share", "expected share of the last round's clicks the user is not glad of"},
          {"bait_share", "share of the shown movies that are clickbait, last round", "clickbait_share > 0"},
          {"history_importance", "audit: share of list slots that change when the learned user vectors are shuffled across users", "audit = yes"},
          {"history_importance_ctr_change", "audit: change in expected click rate with the user vectors shuffled", "audit = yes"},
          {"proxy_importance", "audit: share of list slots that change when the proxy attribute is shuffled across users", "audit = yes"},
          {"proxy_importance_ctr_change", "audit: change in expected click rate with the proxy shuffled", "audit = yes"},
          {"popularity_importance", "audit: share of list slots that change when the movies' click counts are shuffled", "audit = yes"},
          {"popularity_importance_ctr_change", "audit: change in expected click rate with the click counts shuffled", "audit = yes"},
      },
      make_rec_feedback,
  };
  k.controls = {{"random recommendations (explore_eps 1: no recommender)", {{"explore_eps", "1"}}},
                {"the plain loop (no mitigation, no proxy, trained on every click)",
                 {{"explore_eps", "0"}, {"popularity_penalty", "0"}, {"use_proxy", "no"}, {"balance_users", "no"}, {"objective", "clicks"}}}};
  metrics_mark_identity(k, {"rounds"});
  return k;
}

}  // namespace lab::runtime
