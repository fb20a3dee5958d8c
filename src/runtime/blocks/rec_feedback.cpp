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
  if (!rs::feedback_done(sim)) error = rs::feedback_step(sim, budget_ms);
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
      },
      make_rec_feedback,
  };
  k.controls = {{"random recommendations (explore_eps 1: no recommender)", {{"explore_eps", "1"}}},
                {"the plain loop (no mitigation, no proxy)", {{"explore_eps", "0"}, {"popularity_penalty", "0"}, {"use_proxy", "no"}}}};
  metrics_mark_identity(k, {"rounds"});
  return k;
}

}  // namespace lab::runtime
