#include "runtime/blocks/overfit.h"
#include "runtime/assets.h"

#include <algorithm>
#include <cstdio>
#include "runtime/model_code.h"

namespace lab::runtime {

bool OverfitExperiment::memorised_pending(size_t r) const {
  return int(r < memorised.size() ? memorised[r].size() : 0) < runs[r].epochs_done();
}

void OverfitExperiment::step(double budget_ms) {
  if (!error.ok) return;
  memorised.resize(runs.size());
  EpochWork work;
  work.pending = [this](size_t r) { return memorised_pending(r); };
  work.unit = [this](size_t r) {
    // The noisy rows are the first `noisy` training rows (digits_split).
    double share = 0;
    if (noisy > 0) {
      core::Mat out;
      core::nn::Mlp& m = runs[r].objective->model;
      if (m.forward(data.x_train.topRows(noisy), core::nn::ctx_eval(), out))
        share = core::nn::accuracy(out, std::span<const int32_t>(data.y_train.data(), size_t(noisy)));
    }
    memorised[r].push_back(float(share));
  };
  train_runs_step(runs, budget_ms, work);
}

bool OverfitExperiment::done() const {
  if (!error.ok) return true;
  for (size_t r = 0; r < runs.size(); ++r)
    if (!runs[r].finished() || memorised_pending(r)) return false;
  return true;
}

int overfit_best_run(const std::vector<TrainRun>& runs) {
  int best = -1;
  for (int i = 0; i < int(runs.size()); ++i)
    if (runs[size_t(i)].epochs_done() > 0 && (best < 0 || runs[size_t(i)].late_val_loss() < runs[size_t(best)].late_val_loss()))
      best = i;
  return best;
}

double overfit_late_val_error(const TrainRun& r) {
  const std::vector<float>& acc = r.history().val_metric;
  const size_t n = std::min<size_t>(acc.size(), 5);
  double err = 0;
  for (size_t i = acc.size() - n; i < acc.size(); ++i) err += (1.0 - double(acc[i])) / double(n);
  return err;
}

namespace {

// What a run reached: lowest, late and final validation loss, how far validation rose above its
// lowest, the final training loss.
struct RunSummary {
  double best_val = 0, late_val = 0, final_val = 0, final_train = 0, rise = 0, val_acc_best = 0, train_acc = 0;
  double late_val_err = 0;  // 1 - validation accuracy, mean of the last 5 epochs
  int best_epoch = 0;
};

RunSummary summarise(const TrainRun& r) {
  RunSummary s;
  const core::nn::TrainHistory& h = r.history();
  s.best_val = r.best_val_loss();
  s.best_epoch = r.best_epoch();
  s.final_val = r.last(h.val_loss);
  s.final_train = r.last(h.train_loss);
  s.late_val = r.late_val_loss();
  s.rise = s.late_val - s.best_val;
  s.val_acc_best = s.best_epoch > 0 && size_t(s.best_epoch) <= h.val_metric.size() ? double(h.val_metric[size_t(s.best_epoch - 1)]) : 0.0;
  s.train_acc = r.last(h.train_metric);
  s.late_val_err = overfit_late_val_error(r);
  return s;
}

double last_of(const std::vector<std::vector<float>>& v, size_t r) {
  return r < v.size() && !v[r].empty() ? double(v[r].back()) : 0.0;
}

}  // namespace

std::vector<Metric> OverfitExperiment::metrics() const {
  std::vector<Metric> m;
  if (mode == Mode::Dropout) {
    for (size_t i = 0; i < runs.size(); ++i) {
      const RunSummary s = summarise(runs[i]);
      const std::string k = std::to_string(i + 1);
      m.push_back({"best_val_loss_" + k, s.best_val});
      m.push_back({"best_epoch_" + k, double(s.best_epoch)});
      m.push_back({"late_val_loss_" + k, s.late_val});
      m.push_back({"final_val_loss_" + k, s.final_val});
      m.push_back({"final_train_loss_" + k, s.final_train});
      m.push_back({"rise_" + k, s.rise});
      m.push_back({"val_acc_" + k, s.val_acc_best});
      m.push_back({"memorised_" + k, last_of(memorised, i)});
    }
    m.push_back({"best_run", double(overfit_best_run(runs) + 1)});
  } else {
    const RunSummary a = runs.size() > 0 ? summarise(runs[0]) : RunSummary{};
    const RunSummary b = runs.size() > 1 ? summarise(runs[1]) : RunSummary{};
    m.push_back({"memorised_ref", last_of(memorised, 0)});
    m.push_back({"memorised", last_of(memorised, 1)});
    m.push_back({"rise_ref", a.rise});
    m.push_back({"rise", b.rise});
    m.push_back({"best_val_loss_ref", a.best_val});
    m.push_back({"best_val_loss", b.best_val});
    m.push_back({"late_val_loss_ref", a.late_val});
    m.push_back({"late_val_loss", b.late_val});
    m.push_back({"val_acc_ref", a.val_acc_best});
    m.push_back({"val_acc", b.val_acc_best});
    m.push_back({"train_loss_ref", a.final_train});
    m.push_back({"train_loss", b.final_train});
    m.push_back({"val_err_ref", a.late_val_err});
    m.push_back({"val_err", b.late_val_err});
    int64_t pa = 0, pb = 0;
    if (runs.size() > 1) {
      pa = core::nn::param_count(runs[0].objective->model.params());
      pb = core::nn::param_count(runs[1].objective->model.params());
    }
    m.push_back({"params_ref", double(pa)});
    m.push_back({"params", double(pb)});
  }
  m.push_back({"noisy_labels", double(noisy)});
  return m;
}

// One model per run, titled as its curves are.
std::vector<ModelCode> OverfitExperiment::model_code() const {
  std::vector<ModelCode> out;
  for (const TrainRun& r : runs) {
    if (!r.objective) continue;
    out.push_back(model_code_mlp(r.objective->model.opt, &r.tr.opt));
    out.back().title = r.label;
  }
  return out;
}

namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// The settings both kinds share: data, optimiser, schedule.
std::vector<ParamSpec> common_params() {
  return {
      {"train_size", ParamType::Int, "training rows (the rest of the 1797 digits validate)", 600, 50, 1697, {}, "", false},
      {"noisy_labels", ParamType::Int, "training labels replaced by a random other digit", 200, 0, 1697, {}, "", false},
      {"val_size", ParamType::Int, "validation rows (from the digits not used for training)", 500, 50, 1747, {}, "", false},
      {"epochs", ParamType::Int, "passes over the training set", 40, 1, 500, {}, "", false},
      {"lr", ParamType::Float, "SGD learning rate", 0.2, 1e-4, 2, {}, "", true},
      {"momentum", ParamType::Float, "SGD momentum (0 = plain SGD)", 0.9, 0, 0.99, {}, "", false},
      {"batch_size", ParamType::Int, "mini-batch size", 128, 1, 512, {}, "", true},
      {"seed", ParamType::Int, "seed of the data split, the label noise, the weights and the dropout masks", 1, 0, 1e9, {}, "", false},
  };
}

std::unique_ptr<OverfitExperiment> make_common(const BlockConfig& c, core::nn::TrainerOptions& opt) {
  auto e = std::make_unique<OverfitExperiment>();
  const int train_size = c.integer("train_size");
  e->noisy = c.integer("noisy_labels");
  const uint64_t seed = uint64_t(c.integer("seed"));
  e->error = digits_split(train_size, e->noisy, seed, e->data, c.integer("val_size"));
  opt.epochs = c.integer("epochs");
  opt.batch_size = c.integer("batch_size");
  opt.eval_batch_size = opt.batch_size;  // validation in slices as small as a training batch: smooth frames
  opt.seed = seed + 17;
  opt.optim.kind = core::nn::OptimKind::Sgd;
  opt.optim.lr = c.num("lr");
  opt.optim.momentum = c.num("momentum");
  return e;
}

// One run: `layers` hidden layers of `hidden` units each (ReLU, dropout p after each), then 10 outputs.
void add_run(OverfitExperiment& e, std::string label, double p, double l2, int hidden, int layers,
             core::nn::TrainerOptions opt, uint64_t seed) {
  if (!e.error.ok) return;
  core::nn::MlpOptions mlp;
  mlp.in = 64;
  mlp.hidden.assign(size_t(layers), hidden);
  mlp.out = 10;
  mlp.act = core::nn::Act::Relu;
  mlp.dropout = p;
  // The L2 penalty λ‖W‖² adds 2λW to the gradient: weight decay 2λ in the optimiser.
  opt.optim.weight_decay = 2 * l2;
  TrainRun r;
  r.label = std::move(label);
  // Every run starts from the same weights (same seed), so only the regulariser differs.
  if (core::Status st = train_run_init(r, e.data, mlp, opt, seed); !st) e.error = st;
  e.runs.push_back(std::move(r));
  e.dropout.push_back(p);
  e.l2.push_back(l2);
  e.hidden.push_back(hidden);
  e.layers.push_back(layers);
}

// "3 × 128 units" or "1024 units".
std::string layers_text(int layers, int hidden) {
  return (layers > 1 ? std::to_string(layers) + " × " : std::string()) + std::to_string(hidden) + " units";
}

std::unique_ptr<Experiment> make_overfit_dropout(const BlockConfig& c) {
  core::nn::TrainerOptions opt;
  auto e = make_common(c, opt);
  e->mode = OverfitExperiment::Mode::Dropout;
  const uint64_t seed = uint64_t(c.integer("seed"));
  for (const char* name : {"p1", "p2", "p3"}) {
    const double p = c.num(name);
    add_run(*e, "p = " + fmt(p), p, c.num("l2"), c.integer("hidden"), c.integer("layers"), opt, seed);
  }
  return e;
}

std::unique_ptr<Experiment> make_overfit_regularise(const BlockConfig& c) {
  core::nn::TrainerOptions opt;
  auto e = make_common(c, opt);
  e->mode = OverfitExperiment::Mode::Regularise;
  const uint64_t seed = uint64_t(c.integer("seed"));
  const int href = c.integer("hidden_ref"), h = c.integer("hidden");
  const int lref = c.integer("layers_ref"), l = c.integer("layers");
  const double l2 = c.num("l2"), p = c.num("dropout");
  add_run(*e, "reference: " + layers_text(lref, href) + ", no regulariser", 0, 0, href, lref, opt, seed);
  std::string label = layers_text(l, h);
  if (l2 > 0) label += ", λ = " + fmt(l2);
  if (p > 0) label += ", p = " + fmt(p);
  add_run(*e, label, p, l2, h, l, opt, seed);
  return e;
}

// Parameters of the MLP 64 → layers × hidden → 10.
double mlp_params(int layers, int hidden) {
  const double h = hidden;
  return 64 * h + h + (layers - 1) * (h * h + h) + 10 * h + 10;
}

// A deep and wide net trains for minutes in a browser: each net is held to this many parameters
// (8 layers of 128, 4 of 256, 2 of 512 or one of 2048 fit).
constexpr double kMaxParams = 300000;

core::Status check_size(const BlockConfig& c, const char* layers, const char* hidden) {
  const double n = mlp_params(c.integer(layers), c.integer(hidden));
  if (n <= kMaxParams) return core::Status::success();
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s = %d hidden layers of %s = %d units make %.0f parameters; at most %.0f train in a few seconds here: use fewer or narrower layers",
                layers, c.integer(layers), hidden, c.integer(hidden), n, kMaxParams);
  return core::Status::error(buf);
}

core::Status validate_common(const BlockConfig& c) {
  if (c.integer("noisy_labels") > c.integer("train_size"))
    return core::Status::error("noisy_labels (" + std::to_string(c.integer("noisy_labels")) +
                               ") cannot exceed train_size (" + std::to_string(c.integer("train_size")) + ")");
  if (core::Status st = check_size(c, "layers", "hidden"); !st) return st;
  if (c.kind && block_param_find(*c.kind, "layers_ref"))
    if (core::Status st = check_size(c, "layers_ref", "hidden_ref"); !st) return st;
  return core::Status::success();
}

}  // namespace

BlockKind& block_kind_overfit_dropout() {
  static BlockKind k = [] {
    BlockKind k;
    k.name = "overfit-dropout";
    k.summary = "Overfitting on noisy labels, and dropout: three runs side by side";
    k.params = {
        {"p1", ParamType::Float, "dropout rate of run 1 (probability of dropping a hidden unit)", 0, 0, 0.95, {}, "", false},
        {"p2", ParamType::Float, "dropout rate of run 2", 0.5, 0, 0.95, {}, "", false},
        {"p3", ParamType::Float, "dropout rate of run 3", 0.8, 0, 0.95, {}, "", false},
        {"hidden", ParamType::Int, "width of each hidden layer", 1024, 4, 2048, {}, "", true},
        {"layers", ParamType::Int, "number of hidden layers (each `hidden` wide, dropout after each)", 1, 1, 8, {}, "", false},
        {"l2", ParamType::Float, "L2 penalty λ (adds λ‖W‖² to the loss) for all three runs", 0, 0, 0.1, {}, "", false},
    };
    for (ParamSpec& p : common_params()) k.params.push_back(p);
    for (int i = 1; i <= 3; ++i) {
      const std::string n = std::to_string(i);
      k.metrics.push_back({"best_val_loss_" + n, "run " + n + ": lowest validation loss over the epochs"});
      k.metrics.push_back({"best_epoch_" + n, "run " + n + ": epoch of that lowest validation loss"});
      k.metrics.push_back({"late_val_loss_" + n, "run " + n + ": mean validation loss of the last 5 epochs"});
      k.metrics.push_back({"final_val_loss_" + n, "run " + n + ": validation loss after the last epoch"});
      k.metrics.push_back({"final_train_loss_" + n, "run " + n + ": training loss (with dropout) of the last epoch"});
      k.metrics.push_back({"rise_" + n, "run " + n + ": late (last 5 epochs) minus lowest validation loss (> 0: validation turned up)"});
      k.metrics.push_back({"val_acc_" + n, "run " + n + ": validation accuracy at the best epoch"});
      k.metrics.push_back({"memorised_" + n, "run " + n + ": share of the randomised training labels it reproduces at the end (memorised noise)"});
    }
    k.metrics.push_back({"best_run", "which run (1, 2 or 3) ends with the lowest validation loss (mean of its last 5 epochs)"});
    k.metrics.push_back({"noisy_labels", "number of randomised training labels"});
    k.make = digits_gated<make_overfit_dropout>;
    k.validate = validate_common;
    k.check_timeout_s = 60;
    k.controls = {{"almost untrained models (1 epoch at learning rate 1e-4)", {{"epochs", "1"}, {"lr", "0.0001"}}}};
    metrics_mark_identity(k, {"noisy_labels"});
    return k;
  }();
  return k;
}

BlockKind& block_kind_overfit_regularise() {
  static BlockKind k = [] {
    BlockKind k;
    k.name = "overfit-regularise";
    k.summary = "Other regularisers: an L2 penalty and a smaller hidden layer, against the unregularised net";
    k.params = {
        {"l2", ParamType::Float, "L2 penalty λ: adds λ‖W‖² (all weights) to the loss", 0.001, 0, 0.1, {}, "", false},
        {"hidden", ParamType::Int, "hidden width (of each hidden layer) of the regularised net", 1024, 1, 2048, {}, "", true},
        {"layers", ParamType::Int, "number of hidden layers of the regularised net", 1, 1, 8, {}, "", false},
        {"dropout", ParamType::Float, "dropout rate of the regularised net", 0, 0, 0.95, {}, "", false},
        {"hidden_ref", ParamType::Int, "hidden width of the reference net (no regulariser)", 1024, 1, 2048, {}, "", true},
        {"layers_ref", ParamType::Int, "number of hidden layers of the reference net", 1, 1, 8, {}, "", false},
    };
    for (ParamSpec& p : common_params()) k.params.push_back(p);
    k.metrics = {
        {"memorised_ref", "reference: share of the randomised training labels it reproduces at the end"},
        {"memorised", "regularised net: the same"},
        {"rise_ref", "reference: late minus lowest validation loss"},
        {"rise", "regularised net: late minus lowest validation loss"},
        {"best_val_loss_ref", "reference: lowest validation loss"},
        {"best_val_loss", "regularised net: lowest validation loss"},
        {"late_val_loss_ref", "reference: mean validation loss of the last 5 epochs"},
        {"late_val_loss", "regularised net: mean validation loss of the last 5 epochs"},
        {"val_acc_ref", "reference: validation accuracy at its best epoch"},
        {"val_acc", "regularised net: validation accuracy at its best epoch"},
        {"train_loss_ref", "reference: training loss of the last epoch"},
        {"train_loss", "regularised net: training loss (with dropout, if any) of the last epoch"},
        {"val_err_ref", "reference: validation error (share misclassified), mean of the last 5 epochs"},
        {"val_err", "regularised net: validation error, mean of the last 5 epochs"},
        {"params_ref", "reference: trainable parameters"},
        {"params", "regularised net: trainable parameters"},
        {"noisy_labels", "number of randomised training labels"},
    };
    k.make = digits_gated<make_overfit_regularise>;
    k.validate = validate_common;
    k.check_timeout_s = 60;
    k.controls = {{"almost untrained models (1 epoch at learning rate 1e-4)", {{"epochs", "1"}, {"lr", "0.0001"}}},
                  {"no difference in depth (one hidden layer in both nets)", {{"layers", "1"}, {"layers_ref", "1"}}}};
    metrics_mark_identity(k, {"noisy_labels", "params", "params_ref"});
    return k;
  }();
  return k;
}

}  // namespace lab::runtime
