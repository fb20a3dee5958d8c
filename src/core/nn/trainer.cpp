#include "core/nn/trainer.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace lab::core::nn {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

Mat gather_rows(const Mat& m, std::span<const uint32_t> rows) {
  Mat out(Index(rows.size()), m.cols());
  for (Index j = 0; j < m.cols(); ++j)
    for (Index i = 0; i < Index(rows.size()); ++i) out(i, j) = m(Index(rows[size_t(i)]), j);
  return out;
}

}  // namespace

// ---- MlpObjective -----------------------------------------------------------------------------------
Status MlpObjective::check() const {
  const Index in = model.opt.in, outw = model.opt.out;
  if (model.dense.empty()) return Status::error("MLP objective: the model is not built");
  if (data.x_train.rows() == 0) return Status::error("MLP objective: the training set is empty");
  for (const Mat* x : {&data.x_train, &data.x_val})
    if (x->rows() > 0 && x->cols() != in)
      return Status::error("MLP objective: the model expects " + std::to_string(in) + " features per row, the data has " +
                           std::to_string(x->cols()));
  if (task == Task::Classify) {
    if (Index(data.labels_train.size()) != data.x_train.rows() || Index(data.labels_val.size()) != data.x_val.rows())
      return Status::error("MLP objective: need one label per row (train " + std::to_string(data.labels_train.size()) +
                           " labels for " + std::to_string(data.x_train.rows()) + " rows, validation " +
                           std::to_string(data.labels_val.size()) + " for " + std::to_string(data.x_val.rows()) + ")");
    if (Status st = ids_check(data.labels_train, outw, "class label"); !st) return st;
    if (Status st = ids_check(data.labels_val, outw, "class label"); !st) return st;
  } else {
    if (data.y_train.rows() != data.x_train.rows() || data.y_train.cols() != outw ||
        data.y_val.rows() != data.x_val.rows() || (data.x_val.rows() > 0 && data.y_val.cols() != outw))
      return Status::error("MLP objective: targets must have one row per sample and " + std::to_string(outw) +
                           " columns");
  }
  return Status::success();
}

Status MlpObjective::run(const Mat& x, const Ids& labels, const Mat& y, std::span<const uint32_t> rows,
                         const ForwardCtx& ctx, bool train, BatchResult& out) {
  const Mat xb = gather_rows(x, rows);
  Mat pred;
  if (Status st = model.forward(xb, ctx, pred); !st) return st;
  LossT<Scalar> loss;
  if (task == Task::Classify) {
    Ids lb(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) lb[i] = labels[rows[i]];
    loss = softmax_cross_entropy_loss(pred, std::span<const int32_t>(lb));
    out.metric = accuracy(pred, std::span<const int32_t>(lb));
  } else {
    const Mat yb = gather_rows(y, rows);
    loss = mse_loss(pred, yb);
    out.metric = double((pred - yb).cwiseAbs().mean());
  }
  if (!loss.status) return loss.status;
  out.loss = double(loss.value);
  out.count = Index(rows.size());
  if (train) model.backward(loss.grad);
  return Status::success();
}

Status MlpObjective::train_batch(std::span<const uint32_t> rows, Rng& rng, BatchResult& out) {
  return run(data.x_train, data.labels_train, data.y_train, rows, ctx_train(rng), true, out);
}

Status MlpObjective::eval_batch(std::span<const uint32_t> rows, BatchResult& out) {
  return run(data.x_val, data.labels_val, data.y_val, rows, ctx_eval(), false, out);
}

// ---- L2 on a two-tower model's embeddings ----------------------------------------------------------
double two_tower_l2_batch(TwoTower& model, const Ids& users, const Ids& items, double l2) {
  const size_t n = std::min(users.size(), items.size());
  if (l2 <= 0 || n == 0 || !model.opt.ids) return 0;  // no id embeddings: nothing to penalise
  const Scalar lam = Scalar(l2 / double(n));
  double pen = 0;
  for (size_t k = 0; k < n; ++k) {
    pen += double(model.user.W.row(users[k]).squaredNorm() + model.item.W.row(items[k]).squaredNorm());
    model.user.dW.row(users[k]) += (2 * lam) * model.user.W.row(users[k]);
    model.item.dW.row(items[k]) += (2 * lam) * model.item.W.row(items[k]);
  }
  return double(lam) * pen;
}

// ---- Trainer ----------------------------------------------------------------------------------------
static void start_epoch(Trainer& tr) {
  tr.cursor = 0;
  tr.sum_loss = tr.sum_metric = 0;
  tr.seen = 0;
  if (tr.opt.shuffle) rng_shuffle(tr.rng, tr.order);
  tr.phase = TrainPhase::Train;
}

static Status fail(Trainer& tr, std::string msg) {
  tr.phase = TrainPhase::Failed;
  tr.status = Status::error(std::move(msg));
  return tr.status;
}

Status trainer_init(Trainer& tr, std::unique_ptr<Objective> objective, const TrainerOptions& opt) {
  tr = Trainer{};
  tr.opt = opt;
  if (!objective) return fail(tr, "trainer: nothing to train (no objective)");
  tr.objective = std::move(objective);
  if (opt.epochs < 1) return fail(tr, "trainer: epochs must be at least 1");
  if (opt.batch_size < 1) return fail(tr, "trainer: batch size must be at least 1");
  if (opt.eval_batch_size < 1) return fail(tr, "trainer: evaluation batch size must be at least 1");
  if (!(opt.optim.lr > 0) || !std::isfinite(opt.optim.lr))
    return fail(tr, "trainer: the learning rate must be a positive number (got " + num(opt.optim.lr) + ")");
  if (!(opt.optim.weight_decay >= 0)) return fail(tr, "trainer: weight decay cannot be negative");
  if (Status st = tr.objective->check(); !st) return fail(tr, st.message);
  const Index n = tr.objective->train_size();
  if (n <= 0) return fail(tr, "trainer: the training set is empty");
  // Memory that grows with the options, checked before the first batch (core/memory_budget.h): a
  // training mini-batch's activations, and the loss histories (a float per mini-batch, with vector
  // growth up to twice that, and four per epoch). Validation slices are an internal choice, not the
  // user's: they shrink to fit the budget (the same sums, in more slices).
  const double row_bytes = tr.objective->row_bytes();
  const double rows = double(std::min(opt.batch_size, n));
  if (Status st = memory_check(rows * row_bytes, "training",
                               "a mini-batch of " + memory_shape({rows}) + " rows (activations and gradients)",
                               "use a smaller batch size");
      !st)
    return fail(tr, st.message);
  if (!memory_fits(double(opt.eval_batch_size) * row_bytes))
    tr.opt.eval_batch_size = std::max<Index>(1, Index(double(kMemoryBudgetBytes) / row_bytes));
  const double batches_per_epoch = std::ceil(double(n) / double(opt.batch_size));
  if (Status st = memory_check(double(opt.epochs) * (batches_per_epoch * 2 + 8) * sizeof(float), "training history",
                               memory_shape({double(opt.epochs)}) + " epochs x " + memory_shape({batches_per_epoch}) +
                                   " mini-batches of losses",
                               "use larger mini-batches or fewer epochs");
      !st)
    return fail(tr, st.message);
  tr.optim.opt = opt.optim;
  rng_seed(tr.rng, opt.seed);
  tr.order.resize(size_t(n));
  for (Index i = 0; i < n; ++i) tr.order[size_t(i)] = uint32_t(i);
  tr.val_rows.resize(size_t(tr.objective->val_size()));
  for (size_t i = 0; i < tr.val_rows.size(); ++i) tr.val_rows[i] = uint32_t(i);
  tr.status = Status::success();
  start_epoch(tr);
  return tr.status;
}

static Status train_one_batch(Trainer& tr) {
  const Index n = Index(tr.order.size());
  const Index b = std::min(tr.opt.batch_size, n - tr.cursor);
  const std::span<const uint32_t> rows(tr.order.data() + tr.cursor, size_t(b));
  const std::vector<ParamRef> params = tr.objective->params();
  params_zero_grad(params);
  BatchResult r;
  if (Status st = tr.objective->train_batch(rows, tr.rng, r); !st) return fail(tr, st.message);
  const std::string where = "at epoch " + std::to_string(tr.epoch + 1) + ", mini-batch " +
                            std::to_string(tr.cursor / tr.opt.batch_size + 1);
  if (!std::isfinite(r.loss))
    return fail(tr, "Training diverged " + where + ": the loss became " + (std::isnan(r.loss) ? "NaN" : "infinite") +
                        ". Lower the learning rate (now " + num(tr.opt.optim.lr) +
                        "), e.g. by 10x, or normalise the inputs, then start again.");
  const double gn = grad_norm(params);
  if (!std::isfinite(gn) || gn > tr.opt.max_grad_norm)
    return fail(tr, "Training diverged " + where + ": the gradient norm " +
                        (std::isfinite(gn) ? "reached " + num(gn) + " (limit " + num(tr.opt.max_grad_norm) + ")"
                                           : std::string("is not finite")) +
                        ". Lower the learning rate (now " + num(tr.opt.optim.lr) +
                        "), normalise the inputs, or add batch normalisation, then start again.");
  if (Status st = optim_step(tr.optim, params); !st) return fail(tr, st.message);
  tr.history.batch_loss.push_back(float(r.loss));
  tr.sum_loss += r.loss * double(r.count);
  tr.sum_metric += r.metric * double(r.count);
  tr.seen += r.count;
  tr.cursor += b;
  ++tr.steps;
  if (tr.cursor >= n) {
    tr.history.train_loss.push_back(float(tr.sum_loss / double(tr.seen)));
    if (*tr.objective->metric_name())
      tr.history.train_metric.push_back(float(tr.objective->metric_finish(tr.sum_metric / double(tr.seen))));
    tr.cursor = 0;
    tr.sum_loss = tr.sum_metric = 0;
    tr.seen = 0;
    tr.phase = TrainPhase::Validate;
  }
  return tr.status;
}

static void finish_epoch(Trainer& tr) {
  ++tr.epoch;
  if (tr.epoch >= tr.opt.epochs) tr.phase = TrainPhase::Done;
  else start_epoch(tr);
}

static Status validate_one_batch(Trainer& tr) {
  const Index n = Index(tr.val_rows.size());
  if (n == 0) {
    finish_epoch(tr);
    return tr.status;
  }
  const Index b = std::min(tr.opt.eval_batch_size, n - tr.cursor);
  BatchResult r;
  if (Status st = tr.objective->eval_batch(std::span<const uint32_t>(tr.val_rows.data() + tr.cursor, size_t(b)), r); !st)
    return fail(tr, st.message);
  tr.sum_loss += r.loss * double(r.count);
  tr.sum_metric += r.metric * double(r.count);
  tr.seen += r.count;
  tr.cursor += b;
  if (tr.cursor >= n) {
    const double loss = tr.sum_loss / double(tr.seen);
    if (!std::isfinite(loss))
      return fail(tr, "Training diverged at epoch " + std::to_string(tr.epoch + 1) +
                          ": the validation loss is not finite. Lower the learning rate (now " +
                          num(tr.opt.optim.lr) + ") and start again.");
    tr.history.val_loss.push_back(float(loss));
    if (*tr.objective->metric_name())
      tr.history.val_metric.push_back(float(tr.objective->metric_finish(tr.sum_metric / double(tr.seen))));
    finish_epoch(tr);
  }
  return tr.status;
}

Status trainer_step(Trainer& tr, double budget_ms) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  while (!trainer_done(tr)) {
    if (tr.phase == TrainPhase::Train) train_one_batch(tr);
    else if (tr.phase == TrainPhase::Validate) validate_one_batch(tr);
    const double ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
    if (ms >= budget_ms) break;
  }
  return tr.status;
}

Status trainer_run_to_end(Trainer& tr) {
  while (!trainer_done(tr)) {
    if (tr.phase == TrainPhase::Train) train_one_batch(tr);
    else validate_one_batch(tr);
  }
  return tr.status;
}

double trainer_progress(const Trainer& tr) {
  if (tr.phase == TrainPhase::Done) return 1;
  const double n = double(std::max<size_t>(tr.order.size(), 1));
  const double within = tr.phase == TrainPhase::Train ? double(tr.cursor) / n : 1.0;
  return std::min(1.0, (double(tr.epoch) + within) / double(std::max(tr.opt.epochs, 1)));
}

std::string trainer_progress_text(const Trainer& tr) {
  const int current = trainer_done(tr) ? tr.epoch : std::min(tr.epoch + 1, tr.opt.epochs);
  return "epoch " + std::to_string(current) + " / " + std::to_string(tr.opt.epochs);
}

}  // namespace lab::core::nn
