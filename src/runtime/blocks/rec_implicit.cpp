// "rec-implicit": the triplet recommender of the lecture on the generated MovieLens-shaped data.
#include "runtime/blocks/rec_implicit.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include "core/recsys/model_file.h"
#include "runtime/blocks/rec_user_data.h"
#include "runtime/model_code.h"

namespace lab::runtime {

namespace rs = core::recsys;

void RecImplicitExperiment::step(double budget_ms) {
  if (!error.ok) return;
  if (!initialised) {
    initialised = true;
    error = rec_lesson_data(data_seed, data);
    if (!error.ok) return;
    const rs::Split split = rs::split_random(data, 0.2, data_seed);
    error = rs::rec_init(rt, data, split, model, train);
    if (error.ok) sample_triplet();
    return;
  }
  if (!rs::rec_done(rt)) {
    error = rs::rec_step(rt, budget_ms);
    if (!error.ok) return;
    sample_triplet();
    return;
  }
  if (evaluated) return;
  if (!evaluating) {
    if (rt.trainer.phase == core::nn::TrainPhase::Failed) {
      evaluated = true;
      error = rt.trainer.status;
      return;
    }
    evaluating = true;
    rs::evaluate_ranking_begin(eval_job, *rt.triplet);
    rs::evaluate_ranking_begin(pop_job, rs::PopularityModel(rt.popularity));
    return;
  }
  // rec_evaluate's ranking for the model, then the popularity baseline's, 16 users per unit.
  const auto start = std::chrono::steady_clock::now();
  rs::PopularityModel baseline(rt.popularity);
  for (;;) {
    if (!eval_job.done) {
      rs::evaluate_ranking_step(eval_job, *rt.triplet, rt.train_pos, rt.test_pos, rt.popularity, k, 16);
    } else if (rs::evaluate_ranking_step(pop_job, baseline, rt.train_pos, rt.test_pos, rt.popularity, k, 16)) {
      eval = eval_job.result;
      pop = pop_job.result;
      eval_job = pop_job = rs::RankingJob{};
      evaluating = false;
      evaluated = true;
      dislike_auc = rs::dislike_auc(rt, &dislike_users);
      list_for(user);
      return;
    }
    if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() > budget_ms) return;
  }
}

void RecImplicitExperiment::sample_triplet() {
  const auto& users = rt.triplet->train_users;
  if (users.empty()) return;
  const size_t row = size_t(core::rng_below(sample_rng, uint32_t(users.size())));
  triplet.user = users[row];
  triplet.pos = rt.triplet->train_items[row];
  triplet.neg = rt.triplet->negative_draw(sample_rng);  // as in training
  std::vector<float> s(size_t(data.n_items));
  rt.triplet->score_user(triplet.user, s);
  triplet.s_pos = s[size_t(triplet.pos)];
  triplet.s_neg = s[size_t(triplet.neg)];
  triplet.loss = std::max(0.0f, float(model.margin) - triplet.s_pos + triplet.s_neg);
  ++triplets_shown;
}

void RecImplicitExperiment::list_for(int u) {
  if (!evaluated || !error.ok) return;
  u = std::clamp(u, 0, data.n_users - 1);
  listed_user = u;
  recs = rs::recommend(*rt.triplet, u, rt.train_pos[size_t(u)], k);
  rs::PopularityModel p(rt.popularity);
  pop_recs = rs::recommend(p, u, rt.train_pos[size_t(u)], k);
}

bool RecImplicitExperiment::done() const {
  if (!error.ok) return true;
  return initialised && rs::rec_done(rt) && evaluated;
}

float RecImplicitExperiment::progress() const {
  if (!initialised) return 0;
  return float(core::nn::trainer_progress(rt.trainer));
}

std::string RecImplicitExperiment::progress_text() const {
  char buf[64];
  if (evaluating) {
    const size_t users = std::max<size_t>(1, 2 * rt.train_pos.size());  // the model's, then the baseline's
    std::snprintf(buf, sizeof buf, "evaluating the rankings %d %%", int(100 * (eval_job.next + pop_job.next) / users));
    return buf;
  }
  return initialised ? core::nn::trainer_progress_text(rt.trainer) : "starting";
}

std::vector<Metric> RecImplicitExperiment::metrics() const {
  std::vector<Metric> m;
  if (!initialised || !error.ok) return m;
  const auto& h = rt.trainer.history;
  m.push_back({"epochs", double(rt.trainer.epoch)});
  if (!h.train_loss.empty()) m.push_back({"train_loss", double(h.train_loss.back())});
  if (!h.val_metric.empty()) m.push_back({"ranking_accuracy", double(h.val_metric.back())});
  if (evaluated) {
    // Per-user ranking metrics average over users with a held-out positive: with none, they do not exist.
    const bool ranked = eval.users > 0;
    auto per_user = [&](const char* name, double v) {
      m.push_back(ranked ? Metric{name, v} : metric_undefined(name, "no user has a held-out positive"));
    };
    per_user("auc", eval.auc);
    per_user("precision_at_k", eval.precision);
    per_user("ndcg_at_k", eval.ndcg);
    m.push_back({"coverage", eval.coverage});
    m.push_back({"popular_share", eval.popular_share});
    m.push_back({"gini", eval.gini});
    per_user("pop_auc", pop.auc);
    per_user("pop_precision_at_k", pop.precision);
    per_user("pop_ndcg_at_k", pop.ndcg);
    m.push_back({"pop_coverage", pop.coverage});
    per_user("auc_gain", eval.auc - pop.auc);
    m.push_back({"coverage_gain", eval.coverage - pop.coverage});
    per_user("ndcg_gain", eval.ndcg - pop.ndcg);
    if (dislike_users > 0) m.push_back({"dislike_auc", dislike_auc});
    else m.push_back(metric_undefined("dislike_auc", "no user has both a held-out positive and a held-out dislike"));
    if (ranked && pop.precision > 0) m.push_back({"precision_ratio", eval.precision / pop.precision});
    else m.push_back(metric_undefined("precision_ratio", ranked ? "the popularity baseline's precision@k is 0" : "no user has a held-out positive"));
  }
  return m;
}

std::vector<ModelCode> RecImplicitExperiment::model_code() const {
  const rs::TripletRecObjective* t = rt.triplet;
  if (!t) return {};  // built in the first slice (it needs the generated data's sizes)
  return {model_code_triplet(t->user.vocab(), t->item.vocab(), t->user.dim(), model.init_scale,
                             t->deep ? &t->user_tower.opt : nullptr, t->sim, t->margin, rt.trainer.opt)};
}

static std::unique_ptr<Experiment> make_rec_implicit(const BlockConfig& c) {
  auto e = std::make_unique<RecImplicitExperiment>();
  e->model.kind = c.integer("model") == 0 ? rs::ModelKind::Triplet : rs::ModelKind::DeepTriplet;
  e->model.dim = c.integer("dim");
  e->model.margin = c.num("margin");
  e->model.sim = c.integer("similarity") == 0 ? core::Measure::Cosine : core::Measure::Dot;
  e->model.positive_threshold = float(c.integer("positive_threshold"));
  e->model.negatives = c.integer("negatives") == 0 ? rs::NegativeSampling::Uniform : rs::NegativeSampling::Popularity;
  e->model.dislike_threshold = 2;  // ratings of 1 or 2 stars: watched, and disliked
  e->model.dislike_share = c.integer("dislikes") == 1 ? c.num("dislike_share") : 0.0;
  e->model.seed = uint64_t(c.integer("seed"));
  e->train.epochs = c.integer("epochs");
  e->train.optim.lr = c.num("lr");
  e->train.optim.lazy = true;
  e->train.seed = uint64_t(c.integer("seed"));
  e->data_seed = uint64_t(c.integer("data_seed"));
  e->user = c.integer("user");
  e->k = c.integer("k");
  e->sample_rng = core::Rng(uint64_t(c.integer("seed")) + 7);
  return e;
}

BlockKind& block_kind_rec_implicit() {
  static BlockKind k{
      "rec-implicit",
      "Implicit feedback: a triplet-loss recommender trained live, against popularity",
      {
          {"model", ParamType::Choice, "triplet: user and movie embeddings; deep-triplet: an MLP tower on each side", 0, 0, 0,
           {"triplet", "deep-triplet"}, "triplet"},
          {"dim", ParamType::Int, "embedding size d", 32, 1, 128, {}, "", true},
          {"margin", ParamType::Float, "margin α of the triplet loss max(0, α − s(u, i⁺) + s(u, i⁻))", 1.0, 0, 4, {}, ""},
          {"similarity", ParamType::Choice, "similarity s(u, i)", 0, 0, 0, {"cosine", "dot"}, "cosine"},
          {"negatives", ParamType::Choice, "training negatives i⁻: any movie (uniform), or movies drawn by popularity ((positives + 1)^0.75)",
           0, 0, 0, {"uniform", "popularity"}, "uniform"},
          {"dislikes", ParamType::Choice,
           "ratings of 1-2 stars (watched, then disliked: a negative signal): ignore them, or use them as training negatives",
           0, 0, 0, {"ignore", "negatives"}, "ignore"},
          {"dislike_share", ParamType::Float, "dislikes: negatives: share of training negatives drawn from the user's own dislikes", 0.5, 0, 1, {}, ""},
          {"positive_threshold", ParamType::Int, "ratings with at least this many stars count as positives", 4, 1, 5, {}, ""},
          {"epochs", ParamType::Int, "passes over the positive pairs", 30, 1, 200, {}, ""},
          {"lr", ParamType::Float, "Adam learning rate", 5e-3, 1e-5, 1, {}, "", true},
          {"seed", ParamType::Int, "seed of the weights, the shuffling and the negatives", 1, 0, 1e9, {}, ""},
          {"data_seed", ParamType::Int, "seed of the generated data and of the 80/20 split", 1, 0, 1e9, {}, ""},
          {"user", ParamType::Int, "user whose top-k list is shown", 0, 0, 299, {}, ""},
          {"k", ParamType::Int, "length of the top-k lists (precision@k, NDCG@k)", 10, 1, 50, {}, ""},
      },
      {
          {"epochs", "epochs finished"},
          {"train_loss", "mean triplet loss over the last epoch"},
          {"ranking_accuracy", "held-out: share of (user, positive, random negative) triplets ranked right"},
          {"auc", "ROC AUC per user on the held-out positives, averaged"},
          {"precision_at_k", "precision@k on the held-out positives"},
          {"ndcg_at_k", "NDCG@k on the held-out positives"},
          {"coverage", "share of the catalogue in at least one user's top-k"},
          {"popular_share", "share of all top-k recommendations that are among the 10% most popular movies"},
          {"gini", "Gini coefficient of how often each movie is recommended (0 = evenly, 1 = one movie for all)"},
          {"pop_auc", "the popularity baseline's AUC"},
          {"pop_precision_at_k", "the popularity baseline's precision@k"},
          {"pop_ndcg_at_k", "the popularity baseline's NDCG@k"},
          {"pop_coverage", "the popularity baseline's catalogue coverage"},
          {"auc_gain", "auc − pop_auc"},
          {"coverage_gain", "coverage − pop_coverage"},
          {"ndcg_gain", "ndcg_at_k − pop_ndcg_at_k"},
          {"precision_ratio", "precision_at_k / pop_precision_at_k"},
          {"dislike_auc", "per user, share of (held-out positive, held-out 1-2 star movie) pairs ranked positive first (0.5: cannot tell them apart)"},
      },
      make_rec_implicit,
  };
  k.controls = {{"an almost untrained model (1 epoch at learning rate 1e-5)", {{"epochs", "1"}, {"lr", "0.00001"}}},
                {"uniform negatives", {{"negatives", "uniform"}}},
                {"dislikes ignored (negatives from the sampler only)", {{"dislikes", "ignore"}}}};
  metrics_mark_identity(k, {"epochs", "pop_auc", "pop_precision_at_k", "pop_ndcg_at_k", "pop_coverage"});
  return k;
}


std::string RecImplicitExperiment::model_file() const {
  if (!initialised || !error.ok || !rs::rec_done(rt)) return {};
  return rec_small_model_file(rt, data, model, data_seed);
}


DataSetInfo RecImplicitExperiment::data_set() const {
  return rec_data_set_info(data, data_seed);
}

}  // namespace lab::runtime
