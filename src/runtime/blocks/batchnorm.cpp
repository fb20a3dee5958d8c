#include "runtime/blocks/batchnorm.h"
#include "runtime/assets.h"

#include <algorithm>
#include <cmath>
#include <string>
#include "runtime/model_code.h"

namespace lab::runtime {

using core::Index;
using core::Mat;
namespace nn = core::nn;

// ---- shared -------------------------------------------------------------------------------------
ActivationSnapshot activation_snapshot(const nn::Mlp& model, const Mat& probe, int epoch) {
  nn::Mlp copy = model;  // a train-mode forward updates running statistics: never on the real model
  core::Rng rng(7);
  Mat out;
  ActivationSnapshot s;
  s.epoch = epoch;
  if (!copy.forward(probe, nn::ctx_train(rng), out)) return s;
  for (const nn::Activation& a : copy.act) {
    const Mat& y = a.y;
    std::vector<float> v(size_t(y.size()));
    double sum = 0, sq = 0;
    int sat = 0;
    for (Index i = 0; i < y.size(); ++i) {
      const float x = y.data()[i];
      v[size_t(i)] = std::isfinite(x) ? x : 0.0f;
      sum += v[size_t(i)];
      sq += double(v[size_t(i)]) * v[size_t(i)];
      sat += a.kind == nn::Act::Tanh ? std::abs(x) > 0.99f : x <= 0.0f;
    }
    const double n = std::max<double>(1, double(y.size()));
    const double mean = sum / n;
    s.std.push_back(float(std::sqrt(std::max(0.0, sq / n - mean * mean))));
    s.saturated.push_back(float(sat / n));
    s.values.push_back(std::move(v));
  }
  return s;
}

void batch_stats_accuracy_start(BatchStatsAccuracy& a, const nn::Mlp& model) {
  a = BatchStatsAccuracy{};
  a.model = model;
}

bool batch_stats_accuracy_step(BatchStatsAccuracy& a, const Mat& x, const nn::Ids& y, int batch) {
  if (a.failed || a.next >= x.rows()) return true;
  const Index start = a.next, b = std::min<Index>(batch, x.rows() - start);
  Mat out;
  if (!a.model.forward(x.middleRows(start, b), nn::ctx_train(a.rng), out)) {
    a.failed = true;
    return true;
  }
  for (Index i = 0; i < b; ++i) {
    Index arg = 0;
    out.row(i).maxCoeff(&arg);
    a.correct += arg == y[size_t(start + i)];
  }
  a.next += b;
  return a.next >= x.rows();
}

double batch_stats_accuracy_result(const BatchStatsAccuracy& a, Index rows) {
  return !a.failed && rows ? double(a.correct) / double(rows) : 0.0;
}

void eval_accuracy_start(EvalAccuracy& a, const nn::Mlp& model, const Mat& x) {
  a = EvalAccuracy{};
  a.model = model;
  // What Mlp::forward would refuse.
  a.failed = a.model.dense.empty() || x.cols() != a.model.opt.in || x.rows() == 0;
  if (!a.failed) a.h = x;
}

bool eval_accuracy_step(EvalAccuracy& a) {
  if (a.failed || a.layers >= a.model.dense.size()) return true;
  a.model.forward_layer(a.layers++, a.h, nn::ctx_eval());
  return a.layers >= a.model.dense.size();
}

double eval_accuracy_result(const EvalAccuracy& a, const nn::Ids& y) {
  return a.failed ? 0.0 : nn::accuracy(a.h, std::span<const int32_t>(y));
}

double accuracy_with_batch_stats(const nn::Mlp& model, const Mat& x, const nn::Ids& y, int batch) {
  BatchStatsAccuracy a;
  batch_stats_accuracy_start(a, model);
  while (!batch_stats_accuracy_step(a, x, y, batch)) {
  }
  return batch_stats_accuracy_result(a, x.rows());
}

double accuracy_eval(nn::Mlp model, const Mat& x, const nn::Ids& y) {
  Mat out;
  if (!model.forward(x, nn::ctx_eval(), out)) return 0;
  return nn::accuracy(out, std::span<const int32_t>(y));
}

static Mat probe_rows(const DigitsSplit& d, Index n) { return d.x_train.topRows(std::min(n, d.x_train.rows())); }

// ---- batchnorm-compare ----------------------------------------------------------------------------
// After each epoch of a run, a snapshot of its activations (one unit of work; the run waits for it).
bool BatchnormCompareExperiment::snapshot_pending(size_t r) const {
  return runs[r].status.ok && snapshots[r].epoch != runs[r].epochs_done();
}

void BatchnormCompareExperiment::step(double budget_ms) {
  if (!error.ok) return;
  EpochWork work;
  work.pending = [this](size_t r) { return snapshot_pending(r); };
  work.unit = [this](size_t r) { snapshots[r] = activation_snapshot(runs[r].objective->model, probe, runs[r].epochs_done()); };
  train_runs_step(runs, budget_ms, work);
}

bool BatchnormCompareExperiment::done() const {
  if (!error.ok) return true;
  for (size_t r = 0; r < runs.size(); ++r)
    if (!runs[r].finished() || snapshot_pending(r)) return false;
  return true;
}

std::vector<Metric> BatchnormCompareExperiment::metrics() const {
  std::vector<Metric> m;
  const char* names[] = {"plain", "bn"};
  for (size_t r = 0; r < runs.size() && r < 2; ++r) {
    const TrainRun& run = runs[r];
    const std::string k = names[r];
    m.push_back({"val_acc_" + k, run.last(run.history().val_metric)});
    m.push_back({"train_loss_" + k, run.last(run.history().train_loss)});
    m.push_back({"epochs_" + k, double(run.epochs_done())});
    m.push_back({"diverged_" + k, run.status.ok ? 0.0 : 1.0});
    const ActivationSnapshot& s = snapshots[r];
    m.push_back({"act_std_last_" + k, s.std.empty() ? 0.0 : double(s.std.back())});
    m.push_back({"saturated_last_" + k, s.saturated.empty() ? 0.0 : double(s.saturated.back())});
  }
  if (runs.size() == 2) {
    nn::Mlp& plain = runs[0].objective->model;
    nn::Mlp& bn = runs[1].objective->model;
    const int64_t pp = nn::param_count(plain.params()), pb = nn::param_count(bn.params());
    int64_t buffers = 0;
    for (auto& layer : bn.bn) buffers += nn::param_count(layer.buffers());
    m.push_back({"params_plain", double(pp)});
    m.push_back({"params_bn", double(pb)});
    m.push_back({"extra_params", double(pb - pp)});
    m.push_back({"running_stats", double(buffers)});
    m.push_back({"width_times_depth", double(width) * double(depth)});
  }
  return m;
}

// A run's model as the code generator sees it: its options, optimiser, initial scale and BN momentum.
static ModelCode run_model_code(const TrainRun& r, double weight_scale) {
  const nn::Mlp& m = r.objective->model;
  ModelCode code = model_code_mlp(m.opt, &r.tr.opt, weight_scale, m.bn.empty() ? 0.1 : double(m.bn[0].momentum));
  code.title = r.label;
  return code;
}

std::vector<ModelCode> BatchnormCompareExperiment::model_code() const {
  std::vector<ModelCode> out;
  for (const TrainRun& r : runs)
    if (r.objective) out.push_back(run_model_code(r, init_scale));
  return out;
}

std::vector<ModelCode> BatchnormInferenceExperiment::model_code() const {
  if (runs.empty() || !runs[0].objective) return {};
  return {run_model_code(runs[0], 1)};
}

static std::unique_ptr<Experiment> make_batchnorm_compare(const BlockConfig& c) {
  auto e = std::make_unique<BatchnormCompareExperiment>();
  const uint64_t seed = uint64_t(c.integer("seed"));
  e->width = c.integer("width");
  e->depth = c.integer("depth");
  e->act = c.integer("activation") == 0 ? nn::Act::Tanh : nn::Act::Relu;
  e->error = digits_split(c.integer("train_size"), 0, seed, e->data);
  if (!e->error.ok) return e;
  e->probe = probe_rows(e->data, 200);
  nn::TrainerOptions opt;
  opt.epochs = c.integer("epochs");
  opt.batch_size = c.integer("batch_size");
  opt.seed = seed + 17;
  opt.optim.kind = nn::OptimKind::Sgd;
  opt.optim.lr = c.num("lr");
  opt.optim.momentum = c.num("momentum");
  for (int with_bn = 0; with_bn < 2; ++with_bn) {
    nn::MlpOptions mlp;
    mlp.in = 64;
    mlp.out = 10;
    mlp.hidden.assign(size_t(e->depth), e->width);
    mlp.act = e->act;
    mlp.batch_norm = with_bn != 0;
    TrainRun r;
    r.label = with_bn ? "with batch-norm" : "plain";
    if (core::Status st = train_run_init(r, e->data, mlp, opt, seed); !st) {
      e->error = st;
      return e;
    }
    // Same seed, same initial weights in both nets; then the initialisation scale knob.
    e->init_scale = c.num("init_scale");
    for (nn::Dense& d : r.objective->model.dense) d.W *= core::Scalar(e->init_scale);
    e->initial.push_back(activation_snapshot(r.objective->model, e->probe, 0));
    e->runs.push_back(std::move(r));
  }
  e->snapshots = e->initial;
  return e;
}

BlockKind& block_kind_batchnorm_compare() {
  static BlockKind k{
      "batchnorm-compare",
      "The same deep network without and with batch normalisation",
      {
          {"depth", ParamType::Int, "hidden layers", 6, 1, 12},
          {"width", ParamType::Int, "units per hidden layer", 64, 4, 256, {}, "", true},
          {"activation", ParamType::Choice, "hidden activation", 0, 0, 0, {"tanh", "relu"}, "tanh"},
          {"init_scale", ParamType::Float, "multiplies the initial weights (1 = Glorot/He initialisation)", 1, 0.01, 10, {}, "", true},
          {"lr", ParamType::Float, "SGD learning rate (both nets)", 0.1, 1e-4, 10, {}, "", true},
          {"momentum", ParamType::Float, "SGD momentum", 0.9, 0, 0.99},
          {"epochs", ParamType::Int, "passes over the training set", 10, 1, 200},
          {"batch_size", ParamType::Int, "mini-batch size (batch-norm's statistics come from it)", 64, 2, 512, {}, "", true},
          {"train_size", ParamType::Int, "training rows (the rest validate)", 1200, 50, 1697},
          {"seed", ParamType::Int, "seed of the data split, the weights and the shuffling", 1, 0, 1e9},
      },
      {
          {"val_acc_plain", "plain net: validation accuracy after its last epoch"},
          {"val_acc_bn", "batch-norm net: validation accuracy after its last epoch"},
          {"train_loss_plain", "plain net: training loss of its last epoch"},
          {"train_loss_bn", "batch-norm net: training loss of its last epoch"},
          {"epochs_plain", "plain net: epochs finished (fewer if it diverged)"},
          {"epochs_bn", "batch-norm net: epochs finished"},
          {"diverged_plain", "1 if the plain net diverged (NaN/Inf loss or exploding gradient), else 0"},
          {"diverged_bn", "1 if the batch-norm net diverged, else 0"},
          {"act_std_last_plain", "plain net: standard deviation of the last hidden layer's activations (probe batch)"},
          {"act_std_last_bn", "batch-norm net: the same"},
          {"saturated_last_plain", "plain net: share of saturated (tanh, |a| > 0.99) or dead (ReLU, a = 0) units in the last hidden layer"},
          {"saturated_last_bn", "batch-norm net: the same"},
          {"params_plain", "trainable parameters of the plain net"},
          {"params_bn", "trainable parameters of the batch-norm net"},
          {"extra_params", "params_bn − params_plain: γ and β, 2 × width per hidden layer"},
          {"running_stats", "running means and variances (not trained): 2 × width per hidden layer"},
          {"width_times_depth", "width × hidden layers, for comparison"},
      },
      digits_gated<make_batchnorm_compare>,
  };
  k.check_timeout_s = 60;
  k.controls = {{"almost untrained nets (1 epoch at learning rate 1e-4)", {{"epochs", "1"}, {"lr", "0.0001"}}},
                {"the standard initialisation (init_scale 1)", {{"init_scale", "1"}}}};
  metrics_mark_identity(k, {"params_plain", "params_bn", "extra_params", "running_stats", "width_times_depth"});
  return k;
}

// ---- batchnorm-inference --------------------------------------------------------------------------
void BatchnormInferenceExperiment::update_stats() {
  if (runs.empty()) return;
  nn::Mlp& m = runs[0].objective->model;
  if (m.bn.empty()) return;
  nn::Dense d0 = m.dense[0];
  const Mat z = d0.forward(probe, nn::ctx_eval());  // the first BN layer's input on the probe batch
  const Index f = z.cols();
  batch_mean.assign(size_t(f), 0);
  batch_var.assign(size_t(f), 0);
  running_mean.assign(size_t(f), 0);
  running_var.assign(size_t(f), 0);
  for (Index j = 0; j < f; ++j) {
    const double mean = double(z.col(j).mean());
    batch_mean[size_t(j)] = float(mean);
    batch_var[size_t(j)] = float((z.col(j).array() - core::Scalar(mean)).square().mean());
    running_mean[size_t(j)] = m.bn[0].running_mean(0, j);
    running_var[size_t(j)] = m.bn[0].running_var(0, j);
  }
}

// One unit of the pending evaluation: a copy of the model, an evaluation batch with its own
// statistics, or a layer of the eval-mode pass with fresh running statistics. Training waits
// meanwhile, so the live model is still the model at the end of the epoch being evaluated.
void BatchnormInferenceExperiment::evaluate_one_unit() {
  nn::Mlp& m = runs[0].objective->model;
  if (!evaluating) {  // the epoch just ended: start with a copy of the model
    evaluating = true;
    batch_stats_accuracy_start(eval_batch_stats, m);
    return;
  }
  if (!eval_batch_stats.failed && eval_batch_stats.next < data.x_val.rows()) {
    batch_stats_accuracy_step(eval_batch_stats, data.x_val, data.y_val, eval_batch);
    return;
  }
  if (!eval_init_started) {
    eval_init_started = true;
    nn::Mlp fresh = m;  // running statistics left as initialised: mean 0, variance 1
    for (nn::BatchNorm1d& b : fresh.bn) {
      b.running_mean.setZero();
      b.running_var.setOnes();
    }
    eval_accuracy_start(eval_init_stats, fresh, data.x_val);
    return;
  }
  if (!eval_accuracy_step(eval_init_stats)) return;
  acc_running.push_back(runs[0].history().val_metric[acc_running.size()]);
  acc_batch.push_back(float(batch_stats_accuracy_result(eval_batch_stats, data.x_val.rows())));
  acc_init.push_back(float(eval_accuracy_result(eval_init_stats, data.y_val)));
  eval_batch_stats = BatchStatsAccuracy{};
  eval_init_stats = EvalAccuracy{};
  eval_init_started = false;
  evaluating = false;
}

void BatchnormInferenceExperiment::step(double budget_ms) {
  if (done()) return;
  EpochWork work;
  work.pending = [this](size_t) { return evaluation_pending(); };
  work.unit = [this](size_t) { evaluate_one_unit(); };
  train_runs_step(runs, budget_ms, work);
  update_stats();
}

std::string BatchnormInferenceExperiment::progress_text() const {
  std::string s = train_runs_progress_text(runs);
  if (evaluating && data.x_val.rows() > 0)
    s += " (evaluating: " + std::to_string(100 * eval_batch_stats.next / data.x_val.rows()) + " %)";
  return s;
}

core::Status BatchnormInferenceExperiment::status() const {
  if (!error.ok) return error;
  if (!runs.empty() && !runs[0].status.ok) return runs[0].status;
  return {};
}

std::vector<Metric> BatchnormInferenceExperiment::metrics() const {
  auto last = [](const std::vector<float>& v) { return v.empty() ? 0.0 : double(v.back()); };
  double gap = 0, spread = 0;
  for (size_t j = 0; j < batch_mean.size(); ++j) {
    gap += std::abs(double(batch_mean[j]) - double(running_mean[j]));
    spread += std::sqrt(std::max(0.0f, batch_var[j]));
  }
  int64_t trainable = 0, buffers = 0;
  if (!runs.empty())
    for (auto& b : runs[0].objective->model.bn) {
      trainable += nn::param_count(b.params());
      buffers += nn::param_count(b.buffers());
    }
  return {{"val_acc_running", last(acc_running)},
          {"val_acc_batch_stats", last(acc_batch)},
          {"val_acc_init_stats", last(acc_init)},
          {"eval_batch", double(eval_batch)},
          {"mean_gap", spread > 0 ? gap / spread : 0.0},
          {"bn_params", double(trainable)},
          {"bn_running_stats", double(buffers)}};
}

static std::unique_ptr<Experiment> make_batchnorm_inference(const BlockConfig& c) {
  auto e = std::make_unique<BatchnormInferenceExperiment>();
  const uint64_t seed = uint64_t(c.integer("seed"));
  e->eval_batch = c.integer("eval_batch");
  e->error = digits_split(c.integer("train_size"), 0, seed, e->data);
  if (!e->error.ok) return e;
  e->probe = probe_rows(e->data, c.integer("batch_size"));
  nn::TrainerOptions opt;
  opt.epochs = c.integer("epochs");
  opt.batch_size = c.integer("batch_size");
  opt.seed = seed + 17;
  opt.optim.kind = nn::OptimKind::Sgd;
  opt.optim.lr = c.num("lr");
  opt.optim.momentum = 0.9;
  nn::MlpOptions mlp;
  mlp.in = 64;
  mlp.out = 10;
  mlp.hidden.assign(size_t(c.integer("depth")), c.integer("width"));
  mlp.batch_norm = true;
  TrainRun r;
  r.label = "batch-norm net";
  if (core::Status st = train_run_init(r, e->data, mlp, opt, seed); !st) {
    e->error = st;
    return e;
  }
  for (nn::BatchNorm1d& b : r.objective->model.bn) b.momentum = core::Scalar(c.num("bn_momentum"));
  e->runs.push_back(std::move(r));
  e->update_stats();
  return e;
}

BlockKind& block_kind_batchnorm_inference() {
  static BlockKind k{
      "batchnorm-inference",
      "Batch statistics in training, running averages at inference",
      {
          {"eval_batch", ParamType::Int, "rows per evaluation batch when normalising with the batch's own statistics", 1, 1, 1024, {}, "", true},
          {"bn_momentum", ParamType::Float, "running average update: running = (1 − m) running + m · batch", 0.1, 0.001, 1, {}, "", true},
          {"depth", ParamType::Int, "hidden layers", 2, 1, 8},
          {"width", ParamType::Int, "units per hidden layer", 64, 4, 256, {}, "", true},
          {"lr", ParamType::Float, "SGD learning rate (momentum 0.9)", 0.05, 1e-4, 5, {}, "", true},
          {"epochs", ParamType::Int, "passes over the training set", 8, 1, 200},
          {"batch_size", ParamType::Int, "training mini-batch size", 32, 2, 512, {}, "", true},
          {"train_size", ParamType::Int, "training rows (the rest validate)", 1200, 50, 1697},
          {"seed", ParamType::Int, "seed of the data split, the weights and the shuffling", 1, 0, 1e9},
      },
      {
          {"val_acc_running", "validation accuracy in eval mode, normalising with the running averages"},
          {"val_acc_batch_stats", "validation accuracy normalising each evaluation batch (eval_batch rows) with its own statistics"},
          {"val_acc_init_stats", "validation accuracy with running statistics never updated (mean 0, variance 1)"},
          {"eval_batch", "rows per evaluation batch"},
          {"mean_gap", "first BN layer: mean |batch mean − running mean| over features, relative to the mean batch std"},
          {"bn_params", "trainable batch-norm parameters (γ, β): 2 × width per BN layer"},
          {"bn_running_stats", "running means and variances (buffers, not trained): 2 × width per BN layer"},
      },
      digits_gated<make_batchnorm_inference>,
  };
  k.check_timeout_s = 60;
  k.controls = {{"an almost untrained net (1 epoch at learning rate 1e-4)", {{"epochs", "1"}, {"lr", "0.0001"}}}};
  metrics_mark_identity(k, {"eval_batch", "bn_params", "bn_running_stats"});
  return k;
}

}  // namespace lab::runtime
