// "rec-coldstart": content-based vs collaborative vs hybrid, on an ordinary and on a cold split.
#include "runtime/blocks/rec_coldstart.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "core/recsys/model_file.h"
#include "runtime/model_code.h"

namespace lab::runtime {

namespace rs = core::recsys;

const std::array<const char*, kCountBuckets> kCountBucketNames = {"0", "1-2", "3-9", "10-29", "30+"};

int count_bucket(int n) { return n <= 0 ? 0 : n <= 2 ? 1 : n <= 9 ? 2 : n <= 29 ? 3 : 4; }

void RecColdstartExperiment::step(double budget_ms) {
  if (!error.ok || done()) return;
  if (!initialised) {
    initialised = true;
    rs::SynthOptions so = rs::synth_small(data_seed);
    so.genre_share = genre_share;
    so.genre_bias = genre_bias;
    if (error = rs::synth_generate(so, data); !error.ok) return;
    if (cold) {
      split = rs::split_cold(data, new_items, new_users, new_user_ratings, 0.2, data_seed);
    } else {
      split = {};
      split.split = rs::split_random(data, 0.2, data_seed);
      split.new_item.assign(size_t(data.n_items), 0);
      split.new_user.assign(size_t(data.n_users), 0);
    }
    if (split.split.train.empty() || split.split.test.empty()) {
      error = core::Status::error("rec-coldstart: this split leaves no training or no test ratings");
      return;
    }
    item_train_count.assign(size_t(data.n_items), 0);
    user_train_count.assign(size_t(data.n_users), 0);
    global_mean = 0;
    for (uint32_t k : split.split.train) {
      ++item_train_count[size_t(data.ratings[k].item)];
      ++user_train_count[size_t(data.ratings[k].user)];
      global_mean += data.ratings[k].rating;
    }
    global_mean /= double(split.split.train.size());
    mean_baseline = errors_of(std::vector<float>(split.split.test.size(), float(global_mean)));
    start_family();
    return;
  }
  rs::RecTrainer& now = *rt[size_t(family)];
  if (!rs::rec_done(now)) {
    error = rs::rec_step(now, budget_ms);
    return;
  }
  if (now.trainer.phase == core::nn::TrainPhase::Failed) {
    error = now.trainer.status;
    return;
  }
  // Evaluate the family that just finished on every test rating, then start the next one.
  std::vector<int32_t> users, items;
  for (uint32_t k : split.split.test) {
    users.push_back(data.ratings[k].user);
    items.push_back(data.ratings[k].item);
  }
  std::vector<float> pred;
  if (error = now.rating->predict(users, items, pred); !error.ok) return;
  errors[size_t(family)] = errors_of(pred);
  errors[size_t(family)].val_rmse = now.trainer.history.val_metric;
  ++family;
  if (family < kFamilies) start_family();
}

void RecColdstartExperiment::start_family() {
  rt[size_t(family)] = std::make_unique<rs::RecTrainer>();
  error = rs::rec_init(*rt[size_t(family)], data, split.split, model[size_t(family)], train[size_t(family)]);
}

std::vector<ModelCode> RecColdstartExperiment::model_code() const {
  std::vector<ModelCode> out;
  const char* titles[kFamilies] = {"content-based", "collaborative", "hybrid"};
  for (int f = 0; f < kFamilies; ++f) {
    const auto& r = rt[size_t(f)];
    if (!r || !r->rating) continue;  // built when its turn comes
    out.push_back(model_code_rating(r->rating->model.opt, r->rating->loss, r->rating->l2, r->trainer.opt));
    out.back().title = titles[f];
  }
  return out;
}

RecColdstartExperiment::Errors RecColdstartExperiment::errors_of(const std::vector<float>& pred) {
  struct Acc {
    double se = 0;
    int n = 0;
    double rmse() const { return n > 0 ? std::sqrt(se / n) : std::numeric_limits<double>::quiet_NaN(); }
  };
  Acc all, new_item, new_user, warm;
  std::array<Acc, kCountBuckets> by_item{}, by_user{};
  for (size_t j = 0; j < split.split.test.size(); ++j) {
    const rs::Rating& r = data.ratings[split.split.test[j]];
    const double e = double(pred[j]) - double(r.rating);
    auto add = [e](Acc& a) { a.se += e * e, ++a.n; };
    add(all);
    add(split.new_item[size_t(r.item)] ? new_item : split.new_user[size_t(r.user)] ? new_user : warm);
    add(by_item[size_t(count_bucket(item_train_count[size_t(r.item)]))]);
    add(by_user[size_t(count_bucket(user_train_count[size_t(r.user)]))]);
  }
  n_new_item = new_item.n;
  n_new_user = new_user.n;
  n_warm = warm.n;
  Errors out;
  out.all = all.rmse();
  out.new_item = new_item.rmse();
  out.new_user = new_user.rmse();
  out.warm = warm.rmse();
  for (int b = 0; b < kCountBuckets; ++b) {
    out.by_item_count[size_t(b)] = by_item[size_t(b)].rmse();
    out.by_user_count[size_t(b)] = by_user[size_t(b)].rmse();
    item_bucket_n[size_t(b)] = by_item[size_t(b)].n;
    user_bucket_n[size_t(b)] = by_user[size_t(b)].n;
  }
  return out;
}

float RecColdstartExperiment::progress() const {
  if (!initialised) return 0;
  if (family >= kFamilies) return 1;
  const auto& now = rt[size_t(family)];
  const double within = now ? core::nn::trainer_progress(now->trainer) : 0.0;
  return float((family + within) / kFamilies);
}

std::string RecColdstartExperiment::progress_text() const {
  if (!initialised) return "starting";
  if (family >= kFamilies) return "done";
  char buf[128];
  std::snprintf(buf, sizeof buf, "training %s (%d of %d): %s", kFamilyNames[size_t(family)], family + 1, int(kFamilies),
                rt[size_t(family)] ? core::nn::trainer_progress_text(rt[size_t(family)]->trainer).c_str() : "");
  return buf;
}

std::vector<Metric> RecColdstartExperiment::metrics() const {
  std::vector<Metric> m;
  if (!initialised || !error.ok) return m;
  m.push_back({"mean_rmse", mean_baseline.all});
  for (int f = 0; f < family && f < kFamilies; ++f) {
    const std::string name = kFamilyNames[size_t(f)];
    const Errors& e = errors[size_t(f)];
    m.push_back({name + "_rmse", e.all});
    if (cold) {
      auto group = [&](const std::string& metric, double v, int n, const char* who) {
        if (n > 0) m.push_back({metric, v});
        else m.push_back(metric_undefined(metric, std::string("no test rating is from ") + who));
      };
      group(name + "_new_item_rmse", e.new_item, n_new_item, "a new movie (new_items is 0)");
      group(name + "_new_user_rmse", e.new_user, n_new_user, "a new user on a known movie (new_users is 0)");
      group(name + "_warm_rmse", e.warm, n_warm, "a known user on a known movie");
    }
  }
  if (cold) {
    if (n_new_item > 0) m.push_back({"mean_new_item_rmse", mean_baseline.new_item});
    else m.push_back(metric_undefined("mean_new_item_rmse", "no test rating is from a new movie (new_items is 0)"));
    m.push_back({"new_item_test_ratings", double(n_new_item)});
    m.push_back({"new_user_test_ratings", double(n_new_user)});
  }
  return m;
}

static std::unique_ptr<Experiment> make_rec_coldstart(const BlockConfig& c) {
  auto e = std::make_unique<RecColdstartExperiment>();
  e->cold = c.integer("split") == 1;
  e->new_items = c.num("new_items");
  e->new_users = c.num("new_users");
  e->new_user_ratings = c.integer("new_user_ratings");
  e->data_seed = uint64_t(c.integer("data_seed"));
  e->genre_share = c.num("genre_share");
  e->genre_bias = c.num("genre_bias");
  for (int f = 0; f < RecColdstartExperiment::kFamilies; ++f) {
    rs::RecModelOptions& mo = e->model[size_t(f)];
    mo.kind = RecColdstartExperiment::kKinds[size_t(f)];
    mo.dim = c.integer("dim");
    mo.hidden = {core::Index(c.integer("hidden"))};
    mo.dropout = c.num("dropout");
    mo.l2 = mo.kind == rs::ModelKind::Content ? 0.0 : c.num("l2");  // on the id embeddings
    mo.popularity_feature = false;
    mo.seed = uint64_t(c.integer("seed"));
    core::nn::TrainerOptions& to = e->train[size_t(f)];
    to.epochs = c.integer("epochs");
    to.optim.lr = c.num("lr");
    to.optim.lazy = true;
    to.seed = uint64_t(c.integer("seed"));
  }
  return e;
}

BlockKind& block_kind_rec_coldstart() {
  static BlockKind k{
      "rec-coldstart",
      "Content-based vs collaborative vs hybrid recommenders on the same ratings, on an ordinary and on a cold-start split",
      {
          {"split", ParamType::Choice,
           "random: 20% of the ratings held out at random; cold: also new movies (all their ratings held out) and new users (only their first few ratings kept)",
           0, 0, 0, {"random", "cold"}, "cold"},
          {"new_items", ParamType::Float, "cold split: share of the movies that are new", 0.2, 0, 0.8, {}, ""},
          {"new_users", ParamType::Float, "cold split: share of the users that are new", 0.2, 0, 0.8, {}, ""},
          {"new_user_ratings", ParamType::Int, "cold split: training ratings kept per new user (their first, by time)", 3, 0, 20, {}, ""},
          {"genre_share", ParamType::Float, "generated data: share of a movie's hidden factors set by its genres (the other lessons' data: 0.6)", 0.6, 0, 1, {}, ""},
          {"genre_bias", ParamType::Float, "generated data: share of a movie's average rating set by its genres (the other lessons' data: 0)", 0, 0, 0.6, {}, ""},
          {"dim", ParamType::Int, "embedding size d of the collaborative and hybrid models", 16, 1, 64, {}, "", true},
          {"hidden", ParamType::Int, "hidden units of the content and hybrid MLPs", 32, 2, 256, {}, "", true},
          {"dropout", ParamType::Float, "dropout in the content and hybrid MLPs", 0.3, 0, 0.9, {}, ""},
          {"l2", ParamType::Float, "L2 penalty λ on the id embeddings (collaborative and hybrid)", 0.3, 0, 10, {}, ""},
          {"epochs", ParamType::Int, "passes over the training ratings (each model)", 12, 1, 100, {}, ""},
          {"lr", ParamType::Float, "Adam learning rate (each model)", 5e-3, 1e-5, 1, {}, "", true},
          {"seed", ParamType::Int, "seed of the initial weights and the shuffling", 1, 0, 1e9, {}, ""},
          {"data_seed", ParamType::Int, "seed of the generated data and of the split", 1, 0, 1e9, {}, ""},
      },
      {
          {"mean_rmse", "RMSE of predicting the mean training rating for every held-out rating (the floor any model must beat)"},
          {"content_rmse", "content-based model (user and movie features, no ids): RMSE on all held-out ratings"},
          {"collab_rmse", "collaborative model (matrix factorisation, ids only): RMSE on all held-out ratings"},
          {"hybrid_rmse", "hybrid model (matrix factorisation + an MLP on the features): RMSE on all held-out ratings"},
          {"content_new_item_rmse", "content-based: RMSE on the ratings of new movies", "split = cold"},
          {"collab_new_item_rmse", "collaborative: RMSE on the ratings of new movies", "split = cold"},
          {"hybrid_new_item_rmse", "hybrid: RMSE on the ratings of new movies", "split = cold"},
          {"content_new_user_rmse", "content-based: RMSE on new users' later ratings of known movies", "split = cold"},
          {"collab_new_user_rmse", "collaborative: RMSE on new users' later ratings of known movies", "split = cold"},
          {"hybrid_new_user_rmse", "hybrid: RMSE on new users' later ratings of known movies", "split = cold"},
          {"content_warm_rmse", "content-based: RMSE on known users' ratings of known movies", "split = cold"},
          {"collab_warm_rmse", "collaborative: RMSE on known users' ratings of known movies", "split = cold"},
          {"hybrid_warm_rmse", "hybrid: RMSE on known users' ratings of known movies", "split = cold"},
          {"mean_new_item_rmse", "RMSE of the mean rating on the ratings of new movies", "split = cold"},
          {"new_item_test_ratings", "held-out ratings of new movies", "split = cold"},
          {"new_user_test_ratings", "held-out ratings of new users on known movies", "split = cold"},
      },
      make_rec_coldstart,
  };
  k.check_timeout_s = 300;
  // Two nulls: nothing learned at all, and one pass over the ratings, after which the features have
  // taught the content model most of what they can but each id has been seen only a few times.
  k.controls = {{"untrained models (1 epoch at learning rate 1e-5)", {{"epochs", "1"}, {"lr", "0.00001"}}},
                {"models trained for one epoch (each id seen a few times)", {{"epochs", "1"}}}};
  metrics_mark_identity(k, {"mean_rmse", "mean_new_item_rmse", "new_item_test_ratings", "new_user_test_ratings"});
  return k;
}


std::string RecColdstartExperiment::model_file(int f) const {
  if (!error.ok || f < 0 || f >= family || f >= kFamilies || !rt[size_t(f)]) return {};
  rs::RecFileData fd;  // what step() made (see above)
  fd.data = "synthetic-small";
  fd.data_seed = fd.split_seed = data_seed;
  fd.genre_share = genre_share;
  fd.genre_bias = genre_bias;
  fd.split = cold ? "cold" : "random";
  fd.test_share = 0.2;
  if (cold) fd.new_item_share = new_items, fd.new_user_share = new_users, fd.new_user_ratings = new_user_ratings;
  return rs::rec_model_save(*rt[size_t(f)], data, model[size_t(f)], fd);
}


DataSetInfo RecColdstartExperiment::data_set() const {
  return rec_data_set_info(data, data_seed);
}

}  // namespace lab::runtime
