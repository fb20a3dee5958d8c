#include "runtime/blocks/embedding_size.h"

#include <algorithm>
#include <cmath>

#include "runtime/model_code.h"

namespace lab::runtime {

namespace rs = core::recsys;

void EmbeddingSizeExperiment::step(double budget_ms) {
  if (done()) return;
  if (!initialised) {  // the data and the split: one unit
    initialised = true;
    if (error = rs::synth_generate(rs::synth_small(data_seed), data); !error.ok) return;
    split = rs::split_random(data, 0.2, data_seed);
    return;
  }
  if (!current_started) {  // the next model: one unit
    current_started = true;
    rt = rs::RecTrainer{};
    model.dim = dims[current];
    error = rs::rec_init(rt, data, split, model, train);
    return;
  }
  if (!rs::rec_done(rt)) {
    error = rs::rec_step(rt, budget_ms);
    if (error.ok && rt.trainer.phase == core::nn::TrainPhase::Failed) error = core::Status::error("training diverged at d = " + std::to_string(dims[current]));
    return;
  }
  // Evaluation of the finished model: one unit (12 000 ratings × d).
  const rs::RecEval ev = rs::rec_evaluate(rt, data);
  const auto& h = rt.trainer.history;
  train_rmse.push_back(h.train_metric.empty() ? 0.0 : double(h.train_metric.back()));
  val_rmse.push_back(ev.rmse);
  noise_floor = ev.noise_floor_rmse;
  ++current;
  current_started = false;
}

float EmbeddingSizeExperiment::progress() const {
  if (dims.empty()) return 1;
  float within = 0;
  if (current_started && rt.trainer.opt.epochs > 0)
    within = std::min(1.0f, float(rt.trainer.history.val_loss.size()) / float(rt.trainer.opt.epochs));
  return std::min(1.0f, (float(val_rmse.size()) + within) / float(dims.size()));
}

std::string EmbeddingSizeExperiment::progress_text() const {
  if (done() || dims.empty()) return {};
  return "d = " + std::to_string(dims[std::min(current, dims.size() - 1)]) + " (" + std::to_string(current + 1) + " / " +
         std::to_string(dims.size()) + ")";
}

int EmbeddingSizeExperiment::best_index() const {
  if (val_rmse.empty()) return -1;
  return int(std::min_element(val_rmse.begin(), val_rmse.end()) - val_rmse.begin());
}

std::vector<Metric> EmbeddingSizeExperiment::metrics() const {
  const int b = best_index();
  const bool any = b >= 0;
  const double best = any ? val_rmse[size_t(b)] : 0.0;
  const double first = any ? val_rmse.front() : 0.0, last = any ? val_rmse.back() : 0.0;
  std::vector<Metric> m = {
      {"best_dim", any ? double(dims[size_t(b)]) : 0.0},
      {"val_rmse_best", best},
      {"val_rmse_smallest", first},
      {"val_rmse_largest", last},
      {"train_rmse_smallest", any ? train_rmse.front() : 0.0},
      {"train_rmse_largest", any ? train_rmse.back() : 0.0},
      {"rise_large", last - best},
      {"rise_small", first - best},
      {"gap_largest", any ? last - train_rmse.back() : 0.0},
      {"noise_floor_rmse", noise_floor},
  };
  for (size_t i = 0; i < dims.size(); ++i)
    m.push_back({"val_rmse_d" + std::to_string(dims[i]), i < val_rmse.size() ? val_rmse[i] : 0.0});
  return m;
}

std::vector<ModelCode> EmbeddingSizeExperiment::model_code() const {
  if (!rt.rating) return {};  // built in the first slices (it needs the generated data's sizes)
  return {model_code_rating(rt.rating->model.opt, rt.rating->loss, rt.rating->l2, rt.trainer.opt)};
}

namespace {

std::unique_ptr<Experiment> make_embedding_size(const BlockConfig& c) {
  auto e = std::make_unique<EmbeddingSizeExperiment>();
  for (int d = 1; d <= c.integer("dim_max"); d *= 2) e->dims.push_back(d);
  e->model.kind = rs::ModelKind::Mf;
  e->model.l2 = c.num("l2");
  e->model.seed = uint64_t(c.integer("seed"));
  e->train.epochs = c.integer("epochs");
  e->train.optim.lr = c.num("lr");
  e->train.optim.lazy = true;
  e->train.seed = uint64_t(c.integer("seed"));
  e->data_seed = uint64_t(c.integer("data_seed"));
  return e;
}

}  // namespace

BlockKind& block_kind_embedding_size() {
  static BlockKind k = [] {
    BlockKind k;
    k.name = "embedding-size";
    k.summary = "Held-out error against the embedding size d: matrix factorisation trained once per d = 1, 2, 4, ...";
    k.params = {
        {"dim_max", ParamType::Int, "largest d; the sweep is d = 1, 2, 4, ... up to it", 128, 1, 128, {}, "", true},
        {"l2", ParamType::Float, "L2 penalty λ on the embeddings of each batch (0: none)", 0, 0, 10, {}, "", false},
        {"epochs", ParamType::Int, "passes over the training ratings, for every d", 15, 1, 200, {}, "", false},
        {"lr", ParamType::Float, "Adam learning rate", 5e-3, 1e-5, 1, {}, "", true},
        {"seed", ParamType::Int, "seed of the initial weights and the shuffling", 1, 0, 1e9, {}, "", false},
        {"data_seed", ParamType::Int, "seed of the generated data and of the 80/20 split", 1, 0, 1e9, {}, "", false},
    };
    k.metrics = {
        {"best_dim", "the d with the lowest held-out RMSE"},
        {"val_rmse_best", "held-out RMSE at that d"},
        {"val_rmse_smallest", "held-out RMSE at d = 1"},
        {"val_rmse_largest", "held-out RMSE at the largest d"},
        {"train_rmse_smallest", "training RMSE (last epoch) at d = 1"},
        {"train_rmse_largest", "training RMSE (last epoch) at the largest d"},
        {"rise_large", "val_rmse_largest − val_rmse_best (> 0: too large a d overfits)"},
        {"rise_small", "val_rmse_smallest − val_rmse_best (> 0: too small a d underfits)"},
        {"gap_largest", "held-out minus training RMSE at the largest d"},
        {"noise_floor_rmse", "best RMSE achievable on the held-out ratings (the generator's noise)"},
    };
    for (int d = 1; d <= 128; d *= 2)
      k.metrics.push_back({"val_rmse_d" + std::to_string(d), "held-out RMSE at d = " + std::to_string(d),
                           d > 1 ? "dim_max >= " + std::to_string(d) : ""});
    k.make = make_embedding_size;
    k.check_timeout_s = 90;
    k.controls = {{"almost untrained models (1 epoch at learning rate 1e-5)", {{"epochs", "1"}, {"lr", "0.00001"}}}};
    metrics_mark_identity(k, {"noise_floor_rmse"});
    return k;
  }();
  return k;
}

}  // namespace lab::runtime
