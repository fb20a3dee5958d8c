// "rec-youtube": a user as the average of what they watched (Covington et al. 2016) vs a user id.
#include "runtime/blocks/rec_youtube.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/nn/model_io.h"
#include "core/recsys/metrics.h"
#include "runtime/model_code.h"

namespace lab::runtime {

namespace rs = core::recsys;
namespace nn = core::nn;

void RecYoutubeExperiment::step(double budget_ms) {
  if (!error.ok || done()) return;
  if (!initialised) {
    initialised = true;
    if (error = rs::synth_generate(rs::synth_small(data_seed), data); !error.ok) return;
    watch = rs::watch_histories(data, new_users, data_seed);
    start(0);
    return;
  }
  if (training < kModels) {
    nn::Trainer& tr = *trainers[size_t(training)];
    if (!nn::trainer_done(tr)) {
      error = nn::trainer_step(tr, budget_ms);
      return;
    }
    if (tr.phase == nn::TrainPhase::Failed) {
      error = tr.status;
      return;
    }
    val_accuracy[size_t(training)] = tr.history.val_metric;
    if (++training < kModels) start(training);
    return;
  }
  evaluate(budget_ms);
}

void RecYoutubeExperiment::start(int m) {
  std::unique_ptr<rs::WatchObjective> obj;
  if (error = rs::make_watch_objective(data.n_items, watch, model[size_t(m)], obj); !error.ok) return;
  objective[size_t(m)] = obj.get();
  trainers[size_t(m)] = std::make_unique<nn::Trainer>();
  error = nn::trainer_init(*trainers[size_t(m)], std::move(obj), train);
}

// One user's evaluation: a new user's first watches against everything they watched later, or a
// known user's last watch given the ones before. Adds to eval_sum; false on an error.
bool RecYoutubeExperiment::evaluate_user(int32_t u) {
  std::vector<float> s;
  std::vector<int32_t> top;
  auto ranked = [&](int m, std::span<const int32_t> history) -> bool {
    if (m == kModels) s = popularity;
    else if (error = objective[size_t(m)]->scores(history, u, s); !error.ok) return false;
    std::vector<int32_t> exclude(history.begin(), history.end());
    std::sort(exclude.begin(), exclude.end());
    top = rs::top_k(s, exclude, k);
    return true;
  };
  const auto& w = watch.watches[size_t(u)];
  if (watch.is_new[size_t(u)]) {
    if (int(w.size()) <= first_watches) return true;
    const std::span<const int32_t> history(w.data(), size_t(first_watches));
    std::vector<int32_t> later(w.begin() + first_watches, w.end()), next = {w[size_t(first_watches)]};
    std::sort(later.begin(), later.end());
    later.erase(std::unique(later.begin(), later.end()), later.end());
    NewUser nu;
    nu.user = u;
    nu.history.assign(history.begin(), history.end());
    for (int m = 0; m <= kModels; ++m) {
      if (!ranked(m, history)) return false;
      eval_sum[size_t(m)].next_hit += rs::recall_at_k(top, next, k);
      eval_sum[size_t(m)].precision += rs::precision_at_k(top, later, k);
      eval_sum[size_t(m)].ndcg += rs::ndcg_at_k(top, later, k);
      if (m == Average || m == IdModel) {
        auto& recs = m == Average ? nu.recs : nu.id_recs;
        auto& hit = m == Average ? nu.hit : nu.id_hit;
        recs = top;
        for (int32_t i : top) hit.push_back(std::binary_search(later.begin(), later.end(), i) ? 1 : 0);
      }
    }
    core::Mat v;
    if (error = objective[Average]->user_vector(history, u, v); !error.ok) return false;
    nu.vector.assign(v.data(), v.data() + v.size());
    shown.push_back(std::move(nu));
    ++n_new_evaluated;
  } else if (w.size() >= 2) {
    const std::span<const int32_t> history(w.data(), w.size() - 1);
    const std::vector<int32_t> last = {w.back()};
    for (int m = 0; m <= kModels; ++m) {
      if (!ranked(m, history)) return false;
      eval_sum[size_t(m)].known_hit += rs::recall_at_k(top, last, k);
    }
    ++n_known_evaluated;
  }
  return true;
}

// All users, in slices: each scores the catalogue with both models and the baseline.
void RecYoutubeExperiment::evaluate(double budget_ms) {
  const auto start = std::chrono::steady_clock::now();
  if (eval_next == 0 && popularity.empty()) {
    // Popularity among known users' watches: the baseline that needs no model at all.
    popularity.assign(size_t(data.n_items), 0.f);
    for (size_t u = 0; u < watch.watches.size(); ++u)
      if (!watch.is_new[u])
        for (int32_t i : watch.watches[u]) popularity[size_t(i)] += 1;
  }
  while (eval_next < int32_t(watch.watches.size())) {
    if (!evaluate_user(eval_next++)) return;
    if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() > budget_ms) return;
  }
  const double nn_ = std::max(1, n_new_evaluated), nk = std::max(1, n_known_evaluated);
  for (int m = 0; m <= kModels; ++m) {
    const Scores& t = eval_sum[size_t(m)];
    scores[size_t(m)] = {t.next_hit / nn_, t.precision / nn_, t.ndcg / nn_, t.known_hit / nk};
  }
  evaluated = true;
}

std::vector<ModelCode> RecYoutubeExperiment::model_code() const {
  std::vector<ModelCode> out;
  for (int m = 0; m < kModels; ++m) {
    const rs::WatchObjective* o = objective[size_t(m)];
    if (!o) continue;  // built when its turn comes
    out.push_back(model_code_watch(o->opt, int64_t(watch.watches.size()), o->n_items, o->mlp.opt, train));
    out.back().title = m == Average ? "watch average" : "user id";
  }
  return out;
}

float RecYoutubeExperiment::progress() const {
  if (!initialised) return 0;
  if (training >= kModels) return 1;
  const double within = trainers[size_t(training)] ? nn::trainer_progress(*trainers[size_t(training)]) : 0.0;
  return float((training + within) / kModels);
}

std::string RecYoutubeExperiment::progress_text() const {
  if (!initialised) return "starting";
  if (training >= kModels) return evaluated ? "done" : "evaluating";
  char buf[128];
  std::snprintf(buf, sizeof buf, "training the %s model: %s", training == Average ? "watch-average" : "user-id",
                trainers[size_t(training)] ? nn::trainer_progress_text(*trainers[size_t(training)]).c_str() : "");
  return buf;
}

std::vector<Metric> RecYoutubeExperiment::metrics() const {
  std::vector<Metric> m;
  if (!initialised || !error.ok || !evaluated) return m;
  const char* prefix[kModels + 1] = {"", "id_", "popularity_"};
  for (int j = 0; j <= kModels; ++j) {
    const std::string p = prefix[j];
    m.push_back({p + "new_user_next_hit", scores[size_t(j)].next_hit});
    m.push_back({p + "new_user_precision", scores[size_t(j)].precision});
    m.push_back({p + "new_user_ndcg", scores[size_t(j)].ndcg});
    m.push_back({p + "known_user_hit", scores[size_t(j)].known_hit});
  }
  if (!val_accuracy[Average].empty()) m.push_back({"next_watch_accuracy", double(val_accuracy[Average].back())});
  m.push_back({"new_users_evaluated", double(n_new_evaluated)});
  return m;
}

static std::unique_ptr<Experiment> make_rec_youtube(const BlockConfig& c) {
  auto e = std::make_unique<RecYoutubeExperiment>();
  for (int m = 0; m < RecYoutubeExperiment::kModels; ++m) {
    rs::WatchOptions& o = e->model[size_t(m)];
    o.user = m == RecYoutubeExperiment::Average ? rs::UserRepr::WatchAverage : rs::UserRepr::Id;
    o.dim = c.integer("dim");
    o.hidden = {core::Index(c.integer("hidden"))};
    o.history = c.integer("history");
    o.seed = uint64_t(c.integer("seed"));
  }
  e->train.epochs = c.integer("epochs");
  e->train.optim.lr = c.num("lr");
  e->train.optim.lazy = true;
  e->train.batch_size = 64;
  e->train.seed = uint64_t(c.integer("seed"));
  e->data_seed = uint64_t(c.integer("data_seed"));
  e->new_users = c.num("new_users");
  e->first_watches = c.integer("first_watches");
  e->k = c.integer("k");
  return e;
}

BlockKind& block_kind_rec_youtube() {
  static BlockKind kind{
      "rec-youtube",
      "The YouTube model: a user is the average of the movies they watched, trained to predict the next watch; beside a user-id model",
      {
          {"dim", ParamType::Int, "movie (and user-id) embedding size d", 32, 2, 128, {}, "", true},
          {"hidden", ParamType::Int, "units of the hidden ReLU layer", 64, 2, 256, {}, "", true},
          {"history", ParamType::Int, "most recent watches averaged into the user vector", 10, 1, 50, {}, ""},
          {"epochs", ParamType::Int, "passes over the known users' watches (each model)", 5, 1, 60, {}, ""},
          {"lr", ParamType::Float, "Adam learning rate", 3e-3, 1e-5, 1, {}, "", true},
          {"new_users", ParamType::Float, "share of the users held out of training as new users", 0.2, 0.05, 0.8, {}, ""},
          {"first_watches", ParamType::Int, "watches of a new user the models are given", 3, 1, 15, {}, ""},
          {"k", ParamType::Int, "length of the recommendation lists", 10, 1, 50, {}, ""},
          {"seed", ParamType::Int, "seed of the initial weights and the shuffling", 1, 0, 1e9, {}, ""},
          {"data_seed", ParamType::Int, "seed of the generated data and of the choice of new users", 1, 0, 1e9, {}, ""},
      },
      {
          {"new_user_next_hit", "watch-average model, new users: share whose next watch is in the top k"},
          {"new_user_precision", "watch-average model, new users: precision@k over all their later watches"},
          {"new_user_ndcg", "watch-average model, new users: NDCG@k over all their later watches"},
          {"known_user_hit", "watch-average model, known users: share whose last watch is in the top k"},
          {"id_new_user_next_hit", "user-id model, new users (untrained rows): share whose next watch is in the top k"},
          {"id_new_user_precision", "user-id model, new users: precision@k over their later watches"},
          {"id_new_user_ndcg", "user-id model, new users: NDCG@k over their later watches"},
          {"id_known_user_hit", "user-id model, known users: share whose last watch is in the top k"},
          {"popularity_new_user_next_hit", "most-watched movies, new users: share whose next watch is in the top k"},
          {"popularity_new_user_precision", "most-watched movies, new users: precision@k over their later watches"},
          {"popularity_new_user_ndcg", "most-watched movies, new users: NDCG@k over their later watches"},
          {"popularity_known_user_hit", "most-watched movies, known users: share whose last watch is in the top k"},
          {"next_watch_accuracy", "watch-average model: known users whose held-out last watch is its top-1 prediction"},
          {"new_users_evaluated", "new users with more watches than first_watches"},
      },
      make_rec_youtube,
  };
  kind.check_timeout_s = 300;
  kind.controls = {{"untrained models (1 epoch at learning rate 1e-5)", {{"epochs", "1"}, {"lr", "0.00001"}}}};
  metrics_mark_identity(kind, {"popularity_new_user_next_hit", "popularity_new_user_precision", "popularity_new_user_ndcg",
                               "popularity_known_user_hit", "new_users_evaluated"});
  return kind;
}


std::string RecYoutubeExperiment::model_file(int m) const {
  if (!error.ok || m < 0 || m >= kModels || m >= training || !objective[size_t(m)]) return {};
  const rs::WatchOptions& o = model[size_t(m)];
  nn::ModelInfo info;
  info.what = "embedlab watch model";
  info.set("user", o.user == rs::UserRepr::WatchAverage ? "watch-average" : "id");
  info.set_number("items", data.n_items);
  info.set_number("users", data.n_users);
  info.set_number("dim", double(o.dim));
  std::string hidden;
  for (size_t i = 0; i < o.hidden.size(); ++i) hidden += (i ? "," : "") + std::to_string(o.hidden[i]);
  info.set("hidden", hidden);
  info.set_number("history", o.history);
  info.set("data", "synthetic-small");
  info.set("data_seed", std::to_string(data_seed));
  info.set_number("new_users", new_users);
  // objective[] holds pointers: params() hands out views of the tensors, which saving only reads.
  return nn::model_save(objective[size_t(m)]->params(), nn::model_info_text(info));
}


DataSetInfo RecYoutubeExperiment::data_set() const {
  return rec_data_set_info(data, data_seed);
}

}  // namespace lab::runtime
