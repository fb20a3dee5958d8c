#include "runtime/blocks/dropout_ensemble.h"
#include "runtime/assets.h"

#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/nn/layers.h"
#include "core/nn/losses.h"
#include "runtime/model_code.h"

namespace lab::runtime {

namespace {

std::span<const int32_t> labels(const core::nn::Ids& y) { return {y.data(), size_t(y.size())}; }

// Share of rows whose argmax is the same in a and b.
double argmax_agreement(const core::Mat& a, const core::Mat& b) {
  if (a.rows() == 0) return 0;
  int same = 0;
  for (core::Index i = 0; i < a.rows(); ++i) {
    core::Index ia = 0, ib = 0;
    a.row(i).maxCoeff(&ia);
    b.row(i).maxCoeff(&ib);
    same += ia == ib;
  }
  return double(same) / double(a.rows());
}

}  // namespace

void DropoutEnsembleExperiment::step(double budget_ms) {
  if (!error.ok || done()) return;
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  if (!trained()) {
    train_runs_step(runs, budget_ms);
    if (!runs[0].status.ok) error = runs[0].status;
    return;
  }
  core::nn::Mlp& model = runs[0].objective->model;
  const core::Mat& x = data.x_val;
  if (logits_full.size() == 0) {  // the full network: one deterministic pass (inverted dropout = identity)
    if (core::Status st = model.forward(x, core::nn::ctx_eval(), logits_full); !st) {
      error = st;
      return;
    }
    probs_full = core::nn::softmax_rows(logits_full);
    acc_full = core::nn::accuracy(logits_full, labels(data.y_val));
    logits_sum = core::Mat::Zero(logits_full.rows(), logits_full.cols());
    probs_sum = logits_sum;
  }
  // One unit: one thinned network (a fresh mask per row and hidden unit, drawn by nn::Dropout).
  while (int(prob_gap.size()) < masks) {
    core::Mat logits;
    if (core::Status st = model.forward(x, core::nn::ctx_train(mask_rng), logits); !st) {
      error = st;
      return;
    }
    logits_sum += logits;
    probs_sum += core::nn::softmax_rows(logits);
    const double k = double(prob_gap.size() + 1);
    const core::Mat mean_logits = logits_sum / core::Scalar(k);
    const core::Mat mean_probs = probs_sum / core::Scalar(k);
    logit_gap.push_back(float((mean_logits - logits_full).cwiseAbs().mean()));
    prob_gap.push_back(float(0.5 * double((mean_probs - probs_full).cwiseAbs().sum()) / double(x.rows())));
    acc_mc.push_back(float(core::nn::accuracy(mean_probs, labels(data.y_val))));
    agree.push_back(float(argmax_agreement(mean_probs, probs_full)));
    if (std::chrono::duration<double, std::milli>(clock::now() - start).count() >= budget_ms) return;
  }
}

bool DropoutEnsembleExperiment::done() const { return !error.ok || int(prob_gap.size()) >= masks; }

float DropoutEnsembleExperiment::progress() const {
  // Training is most of the work; the masks the last tenth.
  if (!trained()) return 0.9f * train_runs_progress(runs);
  return 0.9f + 0.1f * float(prob_gap.size()) / float(masks);
}

std::string DropoutEnsembleExperiment::progress_text() const {
  if (!trained()) return train_runs_progress_text(runs);
  return "mask " + std::to_string(prob_gap.size()) + " / " + std::to_string(masks);
}

core::Status DropoutEnsembleExperiment::status() const { return error; }

std::vector<Metric> DropoutEnsembleExperiment::metrics() const {
  auto at = [](const std::vector<float>& v, int k) { return k >= 1 && size_t(k) <= v.size() ? double(v[size_t(k - 1)]) : 0.0; };
  const int kmax = int(prob_gap.size());
  const TrainRun* r = runs.empty() ? nullptr : &runs[0];
  return {
      {"acc_full", acc_full},
      {"acc_1", at(acc_mc, 1)},
      {"acc_mc", at(acc_mc, kmax)},
      {"agree_1", at(agree, 1)},
      {"agree_mc", at(agree, kmax)},
      {"logit_gap_1", at(logit_gap, 1)},
      {"logit_gap_10", at(logit_gap, std::min(10, kmax))},
      {"logit_gap", at(logit_gap, kmax)},
      {"prob_gap_1", at(prob_gap, 1)},
      {"prob_gap_10", at(prob_gap, std::min(10, kmax))},
      {"prob_gap", at(prob_gap, kmax)},
      {"train_loss", r ? r->last(r->history().train_loss) : 0.0},
  };
}

std::vector<ModelCode> DropoutEnsembleExperiment::model_code() const {
  if (runs.empty() || !runs[0].objective) return {};
  return {model_code_mlp(runs[0].objective->model.opt, &runs[0].tr.opt)};
}

namespace {

std::unique_ptr<Experiment> make_dropout_ensemble(const BlockConfig& c) {
  auto e = std::make_unique<DropoutEnsembleExperiment>();
  const uint64_t seed = uint64_t(c.integer("seed"));
  e->masks = c.integer("masks");
  rng_seed(e->mask_rng, seed + 101);
  e->error = digits_split(c.integer("train_size"), 0, seed, e->data, c.integer("val_size"));
  if (!e->error.ok) return e;
  core::nn::MlpOptions mlp;
  mlp.in = 64;
  mlp.hidden.assign(size_t(c.integer("layers")), c.integer("hidden"));
  mlp.out = 10;
  mlp.act = core::nn::Act::Relu;
  mlp.dropout = c.num("p");
  core::nn::TrainerOptions opt;
  opt.epochs = c.integer("epochs");
  opt.batch_size = c.integer("batch_size");
  opt.eval_batch_size = opt.batch_size;
  opt.seed = seed + 17;
  opt.optim.kind = core::nn::OptimKind::Sgd;
  opt.optim.lr = c.num("lr");
  opt.optim.momentum = c.num("momentum");
  TrainRun r;
  char label[64];
  std::snprintf(label, sizeof label, "trained with dropout p = %g", c.num("p"));
  r.label = label;
  if (core::Status st = train_run_init(r, e->data, mlp, opt, seed); !st) e->error = st;
  e->runs.push_back(std::move(r));
  return e;
}

}  // namespace

BlockKind& block_kind_dropout_ensemble() {
  static BlockKind k = [] {
    BlockKind k;
    k.name = "dropout-ensemble";
    k.summary = "Dropout as an ensemble: the mean prediction of K thinned networks (MC dropout) vs the full network";
    k.params = {
        {"p", ParamType::Float, "dropout rate, in training and for the K test-time masks", 0.5, 0, 0.95, {}, "", false},
        {"masks", ParamType::Int, "K: thinned networks averaged at test time (the plot shows K = 1 .. masks)", 200, 1, 2000, {}, "", true},
        {"hidden", ParamType::Int, "width of each hidden layer", 256, 4, 512, {}, "", true},
        {"layers", ParamType::Int, "number of hidden layers (dropout after each)", 1, 1, 3, {}, "", false},
        {"train_size", ParamType::Int, "training rows (the rest of the 1797 digits validate)", 1000, 50, 1697, {}, "", false},
        {"val_size", ParamType::Int, "validation rows, on which the predictions are compared", 500, 50, 1747, {}, "", false},
        {"epochs", ParamType::Int, "passes over the training set", 20, 1, 200, {}, "", false},
        {"lr", ParamType::Float, "SGD learning rate", 0.1, 1e-4, 2, {}, "", true},
        {"momentum", ParamType::Float, "SGD momentum (0 = plain SGD)", 0.9, 0, 0.99, {}, "", false},
        {"batch_size", ParamType::Int, "mini-batch size", 64, 1, 512, {}, "", true},
        {"seed", ParamType::Int, "seed of the data split, the weights, the training masks and the test-time masks", 1, 0, 1e9, {}, "", false},
    };
    k.metrics = {
        {"acc_full", "validation accuracy of the full network (deterministic pass, no mask)"},
        {"acc_1", "validation accuracy of one thinned network (one mask)"},
        {"acc_mc", "validation accuracy of the mean probabilities of all `masks` thinned networks"},
        {"agree_1", "share of validation digits on which one thinned network picks the full network's class"},
        {"agree_mc", "the same for the mean of all `masks` thinned networks"},
        {"logit_gap_1", "mean |logit of one thinned network − logit of the full network| (over digits and classes)"},
        {"logit_gap_10", "the same for the mean logits of 10 thinned networks"},
        {"logit_gap", "the same for the mean logits of all `masks` thinned networks"},
        {"prob_gap_1", "mean over digits of ½‖p(one thinned network) − p(full network)‖₁ (total variation, 0..1)"},
        {"prob_gap_10", "the same for the mean probabilities of 10 thinned networks"},
        {"prob_gap", "the same for the mean probabilities of all `masks` thinned networks"},
        {"train_loss", "training loss (with dropout) of the last epoch"},
    };
    k.make = digits_gated<make_dropout_ensemble>;
    k.check_timeout_s = 60;
    k.controls = {
        {"no dropout (p = 0): every thinned network is the full network", {{"p", "0"}}},
        {"an almost untrained network (1 epoch at learning rate 1e-4)", {{"epochs", "1"}, {"lr", "0.0001"}}},
    };
    return k;
  }();
  return k;
}

}  // namespace lab::runtime
