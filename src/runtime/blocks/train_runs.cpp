#include "runtime/blocks/train_runs.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "runtime/assets.h"

namespace lab::runtime {

using core::Index;
using core::Status;

Status digits_split(int train_size, int noisy, uint64_t seed, DigitsSplit& out, int val_size) {
  Status st;
  const std::shared_ptr<const core::LabeledData> data = digits_data(st);
  if (!data) return st;
  const core::LabeledData& d = *data;
  const Index n = d.x.rows();
  if (train_size < 10 || train_size > n - 100)
    return Status::error("train_size must be between 10 and " + std::to_string(n - 100) + " (the rest validates)");
  if (noisy < 0 || noisy > train_size)
    return Status::error("noisy_labels must be between 0 and train_size (" + std::to_string(train_size) + ")");
  core::Rng rng(seed);
  std::vector<uint32_t> order(static_cast<size_t>(n));
  for (Index i = 0; i < n; ++i) order[size_t(i)] = uint32_t(i);
  core::rng_shuffle(rng, order);
  const Index nv = val_size > 0 ? std::min<Index>(val_size, n - train_size) : n - train_size;
  out.x_train.resize(train_size, d.x.cols());
  out.x_val.resize(nv, d.x.cols());
  out.y_train.assign(size_t(train_size), 0);
  out.y_val.assign(size_t(nv), 0);
  out.flipped.assign(size_t(train_size), 0);
  for (Index i = 0; i < train_size + nv; ++i) {
    const Index src = Index(order[size_t(i)]);
    if (i < train_size) {
      out.x_train.row(i) = d.x.row(src) / core::Scalar(16);
      out.y_train[size_t(i)] = d.labels[size_t(src)];
    } else {
      out.x_val.row(i - train_size) = d.x.row(src) / core::Scalar(16);
      out.y_val[size_t(i - train_size)] = d.labels[size_t(src)];
    }
  }
  // The rows are already in random order, so the first `noisy` ones are a random subset.
  for (int i = 0; i < noisy; ++i) {
    const int32_t truth = out.y_train[size_t(i)];
    out.y_train[size_t(i)] = int32_t((uint32_t(truth) + 1 + core::rng_below(rng, 9)) % 10);  // any other digit
    out.flipped[size_t(i)] = 1;
  }
  return Status::success();
}

double TrainRun::best_val_loss() const {
  const auto& v = tr.history.val_loss;
  return v.empty() ? 0.0 : double(*std::min_element(v.begin(), v.end()));
}

int TrainRun::best_epoch() const {
  const auto& v = tr.history.val_loss;
  return v.empty() ? 0 : int(std::min_element(v.begin(), v.end()) - v.begin()) + 1;
}

double TrainRun::late_val_loss(int k) const {
  const auto& v = tr.history.val_loss;
  if (v.empty()) return 0.0;
  const size_t n = std::min(v.size(), size_t(std::max(1, k)));
  double s = 0;
  for (size_t i = v.size() - n; i < v.size(); ++i) s += double(v[i]);
  return s / double(n);
}

Status train_run_init(TrainRun& run, const DigitsSplit& data, const core::nn::MlpOptions& mlp,
                      const core::nn::TrainerOptions& opt, uint64_t seed) {
  auto obj = std::make_unique<core::nn::MlpObjective>();
  core::Rng rng(seed);
  if (Status st = core::nn::mlp_init(obj->model, mlp, rng); !st) return run.status = st;
  obj->data.x_train = data.x_train;
  obj->data.x_val = data.x_val;
  obj->data.labels_train = data.y_train;
  obj->data.labels_val = data.y_val;
  obj->task = core::nn::Task::Classify;
  run.objective = obj.get();
  run.status = core::nn::trainer_init(run.tr, std::move(obj), opt);
  return run.status;
}

bool train_runs_step(std::vector<TrainRun>& runs, double budget_ms) { return train_runs_step(runs, budget_ms, EpochWork{}); }

bool train_runs_step(std::vector<TrainRun>& runs, double budget_ms, const EpochWork& work) {
  // One unit at a time: pending epoch work first, else one mini-batch (or validation slice) for the
  // run that is furthest behind, so the runs advance in step and a frame never does more than the
  // budget plus one unit (giving every run its own share would cost at least one batch per run per
  // frame).
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  for (;;) {
    bool worked = false;
    if (work.pending)
      for (size_t r = 0; r < runs.size() && !worked; ++r)
        if (work.pending(r)) {
          work.unit(r);
          worked = true;
        }
    if (!worked) {
      TrainRun* next = nullptr;
      double behind = 2;
      for (TrainRun& r : runs) {
        if (r.finished()) continue;
        const double p = core::nn::trainer_progress(r.tr);
        if (p < behind) {
          behind = p;
          next = &r;
        }
      }
      if (!next) return false;
      const Status st = core::nn::trainer_step(next->tr, 0);  // exactly one batch
      if (!st) next->status = st;
    }
    if (std::chrono::duration<double, std::milli>(clock::now() - start).count() >= budget_ms) return true;
  }
}

float train_runs_progress(const std::vector<TrainRun>& runs) {
  if (runs.empty()) return 1.0f;
  double s = 0;
  for (const TrainRun& r : runs) s += r.finished() ? 1.0 : core::nn::trainer_progress(r.tr);
  return float(s / double(runs.size()));
}

std::string train_runs_progress_text(const std::vector<TrainRun>& runs) {
  if (runs.empty()) return {};
  // "epoch 12 / 40" for one run, "epochs 12, 11, 12 / 40" for several.
  std::string s = runs.size() > 1 ? "epochs " : "epoch ";
  for (size_t i = 0; i < runs.size(); ++i) s += (i ? ", " : "") + std::to_string(runs[i].epochs_done());
  return s + " / " + std::to_string(runs[0].tr.opt.epochs);
}

}  // namespace lab::runtime
