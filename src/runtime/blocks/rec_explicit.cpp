// "rec-explicit": rating prediction on the generated MovieLens-shaped data, trained live.
#include "runtime/blocks/rec_explicit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include "core/recsys/model_file.h"
#include "runtime/blocks/rec_user_data.h"
#include "runtime/model_code.h"

namespace lab::runtime {

namespace rs = core::recsys;

void RecExplicitExperiment::step(double budget_ms) {
  if (!error.ok) return;
  const auto start = std::chrono::steady_clock::now();
  if (!initialised) {
    initialised = true;
    error = rec_lesson_data(data_seed, data);
    if (!error.ok) return;
    const rs::Split split = rs::split_random(data, 0.2, data_seed);
    error = rs::rec_init(rt, data, split, model, train);
    genre.assign(size_t(data.n_items), 0);
    for (int32_t i = 0; i < data.n_items; ++i)
      for (int g = 1; g < rs::kGenres; ++g)
        if (data.items[size_t(i)].genres[size_t(g)]) {
          genre[size_t(i)] = g;
          break;
        }
    return;
  }
  if (!rs::rec_done(rt)) {
    error = rs::rec_step(rt, budget_ms);
    return;  // the evaluation starts next slice
  }
  if (!evaluated) {
    finish_training();
    return;
  }
  // The map's initialisation (bandwidths, P, the start), a piece at a time.
  if (tsne && !core::tsne_init_done(*tsne)) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (error = core::tsne_init_step(*tsne, budget_ms - ms); !error.ok) return;
    if (core::tsne_init_done(*tsne)) tsne_snapshot();  // the starting map; iterations from the next slice
    return;
  }
  if (tsne && tsne->iteration < tsne_iterations) {
    while (tsne->iteration < tsne_iterations) {
      core::tsne_step(*tsne);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      if (ms > budget_ms) break;
    }
    tsne_snapshot();
  }
}

void RecExplicitExperiment::finish_training() {
  if (evaluated) return;
  evaluated = true;
  if (rt.trainer.phase == core::nn::TrainPhase::Failed) {
    error = rt.trainer.status;
    return;
  }
  eval = rs::rec_evaluate(rt, data);
  light_rmse = rs::rmse_for_light_users(rt, data, 25, &light_count);
  list_for(user, item);
  if (tsne_iterations > 0) {
    core::TsneParams p;
    p.perplexity = 20;
    p.learning_rate = std::max(10.0, data.n_items / 12.0);
    p.iterations = tsne_iterations;
    p.exaggeration_iterations = std::min(100, tsne_iterations / 3);
    p.momentum_switch_iteration = p.exaggeration_iterations;
    p.kl_every = 0;
    p.seed = data_seed;
    tsne = std::make_unique<core::TsneState>();
    error = core::tsne_init_begin(*tsne, rt.rating->item_vectors(), p);  // then in slices: see step()
  }
}

void RecExplicitExperiment::tsne_snapshot() {
  const int n = tsne->n;
  tsne_x.resize(size_t(n));
  tsne_y.resize(size_t(n));
  for (int i = 0; i < n; ++i) {
    tsne_x[size_t(i)] = float(tsne->y(i, 0));
    tsne_y[size_t(i)] = float(tsne->y(i, 1));
  }
  if (tsne->iteration < tsne_iterations) return;
  // nearest neighbour in the map shares at least one genre?
  int agree = 0;
  for (int i = 0; i < n; ++i) {
    int best = -1;
    double bd = 1e300;
    for (int j = 0; j < n; ++j) {
      if (j == i) continue;
      const double dx = tsne_x[size_t(i)] - tsne_x[size_t(j)], dy = tsne_y[size_t(i)] - tsne_y[size_t(j)];
      const double d = dx * dx + dy * dy;
      if (d < bd) bd = d, best = j;
    }
    if (best < 0) continue;
    bool shared = false;
    for (int g = 1; g < rs::kGenres; ++g)
      shared = shared || (data.items[size_t(i)].genres[size_t(g)] && data.items[size_t(best)].genres[size_t(g)]);
    agree += shared ? 1 : 0;
  }
  genre_agreement = double(agree) / double(std::max(1, n));
}

void RecExplicitExperiment::list_for(int u, int i) {
  if (!evaluated || !error.ok) return;
  u = std::clamp(u, 0, data.n_users - 1);
  i = std::clamp(i, 0, data.n_items - 1);
  listed_user = u;
  listed_item = i;
  rs::ItemScorer& scorer = rs::rec_scorer(rt);
  std::vector<float> scores(size_t(scorer.scorer_items()));
  scorer.score_user(u, scores);
  recs = rs::top_k(scores, rt.train_seen[size_t(u)], k);
  rec_scores.clear();
  for (int32_t r : recs) rec_scores.push_back(scores[size_t(r)]);
  similar = rs::similar_items(rt.rating->item_vectors(), i, k);
  // the user's favourite training movies, for context
  std::vector<std::pair<float, int32_t>> rated;
  for (uint32_t row : rt.split.train)
    if (data.ratings[row].user == u) rated.push_back({data.ratings[row].rating, data.ratings[row].item});
  std::stable_sort(rated.begin(), rated.end(), [](auto& a, auto& b) { return a.first > b.first; });
  user_top_rated.clear();
  for (size_t n = 0; n < rated.size() && n < 5; ++n) user_top_rated.push_back(rated[n].second);
}

bool RecExplicitExperiment::done() const {
  if (!error.ok) return true;
  if (!initialised || !rs::rec_done(rt) || !evaluated) return false;
  return !tsne || tsne->iteration >= tsne_iterations;
}

float RecExplicitExperiment::progress() const {
  if (!initialised) return 0;
  const float tr = float(core::nn::trainer_progress(rt.trainer));
  if (tsne_iterations <= 0) return std::min(1.0f, tr);
  const float ts = tsne ? float(tsne->iteration) / float(tsne_iterations) : 0.0f;
  return std::min(1.0f, 0.8f * tr + 0.2f * ts);
}

std::string RecExplicitExperiment::progress_text() const {
  if (!tsne || !evaluated) return initialised ? core::nn::trainer_progress_text(rt.trainer) : "starting";
  char buf[96];
  if (!core::tsne_init_done(*tsne)) {
    const core::TsneInitProgress p = core::tsne_init_progress(*tsne);
    std::snprintf(buf, sizeof buf, "t-SNE: %.*s %d %%", int(p.stage.size()), p.stage.data(), int(100 * p.fraction));
  } else {
    std::snprintf(buf, sizeof buf, "t-SNE iteration %d / %d", tsne->iteration, tsne_iterations);
  }
  return buf;
}

std::vector<Metric> RecExplicitExperiment::metrics() const {
  std::vector<Metric> m;
  if (!initialised || !error.ok) return m;
  const auto& h = rt.trainer.history;
  m.push_back({"epochs", double(rt.trainer.epoch)});
  if (!h.train_metric.empty()) m.push_back({"train_rmse", double(h.train_metric.back())});
  if (!h.val_metric.empty()) m.push_back({"val_rmse", double(h.val_metric.back())});
  if (evaluated) {
    m.push_back({"test_rmse", eval.rmse});
    m.push_back({"test_mae", eval.mae});
    m.push_back({"noise_floor_rmse", eval.noise_floor_rmse});
    if (eval.noise_floor_rmse > 0) m.push_back({"rmse_over_floor", eval.rmse / eval.noise_floor_rmse});
    if (!h.val_metric.empty())
      m.push_back({"best_val_rmse", double(*std::min_element(h.val_metric.begin(), h.val_metric.end()))});
    if (light_count > 0 && std::isfinite(light_rmse)) m.push_back({"light_user_rmse", light_rmse});
    else m.push_back(metric_undefined("light_user_rmse", "no test rating is from a user with at most 25 training ratings"));
    if (!h.train_metric.empty() && !h.val_metric.empty())
      m.push_back({"overfit_gap", double(h.val_metric.back() - h.train_metric.back())});
  }
  if (tsne && tsne->iteration >= tsne_iterations) m.push_back({"genre_neighbour_share", genre_agreement});
  return m;
}

std::vector<ModelCode> RecExplicitExperiment::model_code() const {
  if (!rt.rating) return {};  // built in the first slice (it needs the generated data's sizes)
  return {model_code_rating(rt.rating->model.opt, rt.rating->loss, rt.rating->l2, rt.trainer.opt)};
}

static std::unique_ptr<Experiment> make_rec_explicit(const BlockConfig& c) {
  auto e = std::make_unique<RecExplicitExperiment>();
  const int kind = c.integer("model");
  e->model.kind = kind == 0 ? rs::ModelKind::Mf : kind == 1 ? rs::ModelKind::Deep : rs::ModelKind::DeepMeta;
  e->model.dim = c.integer("dim");
  e->model.l2 = c.num("l2");
  e->model.dropout = c.num("dropout");
  e->model.seed = uint64_t(c.integer("seed"));
  e->train.epochs = c.integer("epochs");
  e->train.optim.lr = c.num("lr");
  e->train.optim.lazy = true;
  e->train.seed = uint64_t(c.integer("seed"));
  e->data_seed = uint64_t(c.integer("data_seed"));
  e->user = c.integer("user");
  e->item = c.integer("item");
  e->k = c.integer("k");
  e->tsne_iterations = c.integer("tsne_iterations");
  return e;
}

BlockKind& block_kind_rec_explicit() {
  static BlockKind k{
      "rec-explicit",
      "A rating model (matrix factorisation, deep, deep + metadata) trained live",
      {
          {"model", ParamType::Choice, "mf: dot product + biases; deep: MLP on [u | v] with dropout; deep-meta: deep + user/movie features",
           0, 0, 0, {"mf", "deep", "deep-meta"}, "mf"},
          {"dim", ParamType::Int, "embedding size d", 16, 1, 128, {}, "", true},
          {"l2", ParamType::Float, "L2 penalty λ on the embeddings of each batch", 0.05, 0, 10, {}, "", false},
          {"dropout", ParamType::Float, "dropout in the deep models", 0.5, 0, 0.9, {}, ""},
          {"epochs", ParamType::Int, "passes over the training ratings", 15, 1, 200, {}, ""},
          {"lr", ParamType::Float, "Adam learning rate", 5e-3, 1e-5, 1, {}, "", true},
          {"seed", ParamType::Int, "seed of the initial weights and the shuffling", 1, 0, 1e9, {}, ""},
          {"data_seed", ParamType::Int, "seed of the generated data and of the 80/20 split", 1, 0, 1e9, {}, ""},
          {"user", ParamType::Int, "user whose recommendations are listed", 0, 0, 299, {}, ""},
          {"item", ParamType::Int, "movie whose most similar movies are listed", 0, 0, 499, {}, ""},
          {"k", ParamType::Int, "length of the lists", 10, 1, 50, {}, ""},
          {"tsne_iterations", ParamType::Int, "after training, map the movie embeddings with t-SNE for this many iterations (0: no map)", 0, 0, 2000, {}, ""},
      },
      {
          {"epochs", "epochs finished"},
          {"train_rmse", "RMSE on the training ratings, last epoch (dropout on)"},
          {"val_rmse", "RMSE on the held-out 20%, last epoch"},
          {"best_val_rmse", "lowest held-out RMSE over the epochs"},
          {"test_rmse", "RMSE on the held-out 20% after training"},
          {"test_mae", "MAE on the held-out 20% after training"},
          {"noise_floor_rmse", "best RMSE achievable on the held-out ratings (the generator's noise)"},
          {"rmse_over_floor", "test_rmse / noise_floor_rmse (1 = perfect)"},
          {"light_user_rmse", "test RMSE of users with at most 25 training ratings"},
          {"overfit_gap", "val_rmse - train_rmse, last epoch"},
          {"genre_neighbour_share", "share of movies whose nearest neighbour on the t-SNE map shares a genre", "tsne_iterations > 0"},
      },
      make_rec_explicit,
  };
  k.controls = {{"an almost untrained model (1 epoch at learning rate 1e-5)", {{"epochs", "1"}, {"lr", "0.00001"}}}};
  metrics_mark_identity(k, {"epochs", "noise_floor_rmse"});
  return k;
}


std::string rec_small_model_file(const rs::RecTrainer& rt, const rs::RecData& data, const rs::RecModelOptions& model,
                                 uint64_t data_seed) {
  rs::RecFileData fd;
  fd.data = data.synthetic ? "synthetic-small" : "ml-100k";  // the student's files: the CLI is given the folder
  fd.data_seed = fd.split_seed = data_seed;
  return rs::rec_model_save(rt, data, model, fd);
}

std::string RecExplicitExperiment::model_file() const {
  if (!trained() || !error.ok) return {};
  return rec_small_model_file(rt, data, model, data_seed);
}


DataSetInfo RecExplicitExperiment::data_set() const {
  return rec_data_set_info(data, data_seed);
}


DataSetInfo rec_data_set_info(const rs::RecData& data, uint64_t seed) {
  DataSetInfo d;
  if (data.ratings.empty()) return d;
  const std::shared_ptr<const RecUserData> u = rec_user_data();
  d.name = data.synthetic ? "synthetic-small (seed " + std::to_string(seed) + ")" : u ? u->name : "MovieLens files";
  d.ratings = (long long)data.ratings.size();
  d.users = data.n_users;
  d.items = data.n_items;
  d.students_own = !data.synthetic;
  return d;
}

}  // namespace lab::runtime
