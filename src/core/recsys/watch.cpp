#include "core/recsys/watch.h"

#include <algorithm>
#include <numeric>

#include "core/nn/losses.h"
#include "core/rng.h"

namespace lab::core::recsys {

using namespace lab::core::nn;

WatchData watch_histories(const RecData& d, double new_user_share, uint64_t seed) {
  WatchData w;
  std::vector<std::vector<uint32_t>> rows(static_cast<size_t>(d.n_users));
  for (uint32_t k = 0; k < uint32_t(d.ratings.size()); ++k) rows[size_t(d.ratings[k].user)].push_back(k);
  w.watches.resize(rows.size());
  for (size_t u = 0; u < rows.size(); ++u) {
    std::stable_sort(rows[u].begin(), rows[u].end(),
                     [&d](uint32_t a, uint32_t b) { return d.ratings[a].timestamp < d.ratings[b].timestamp; });
    for (uint32_t k : rows[u]) w.watches[u].push_back(d.ratings[k].item);
  }
  std::vector<uint32_t> order(static_cast<size_t>(d.n_users));
  std::iota(order.begin(), order.end(), 0u);
  Rng rng(seed);
  rng_shuffle(rng, order);
  w.is_new.assign(order.size(), 0);
  const size_t n_new = size_t(std::llround(std::clamp(new_user_share, 0.0, 1.0) * double(order.size())));
  for (size_t j = 0; j < n_new; ++j) w.is_new[order[j]] = 1;
  return w;
}

Status make_watch_objective(int32_t n_items, const WatchData& data, const WatchOptions& opt,
                            std::unique_ptr<WatchObjective>& out) {
  if (n_items <= 0 || data.watches.empty()) return Status::error("watch model: no movies or no users");
  if (opt.history < 1) return Status::error("watch model: the history must hold at least one watch");
  auto obj = std::make_unique<WatchObjective>();
  obj->opt = opt;
  obj->data = &data;
  obj->n_items = n_items;
  Rng rng(opt.seed);
  obj->items.name = "movie_emb";
  obj->users.name = "user_emb";
  if (opt.user == UserRepr::WatchAverage) {
    if (Status st = obj->items.init(n_items, opt.dim, rng, Scalar(opt.init_scale)); !st) return st;
    obj->items.sparse_grad = true;
  } else {
    if (Status st = obj->users.init(Index(data.watches.size()), opt.dim, rng, Scalar(opt.init_scale)); !st) return st;
    obj->users.sparse_grad = true;
  }
  MlpOptions mo;
  mo.in = opt.dim;
  mo.hidden = opt.hidden;
  mo.out = n_items;
  if (Status st = mlp_init(obj->mlp, mo, rng, "watch_mlp"); !st) return st;
  for (int32_t u = 0; u < int32_t(data.watches.size()); ++u) {
    if (data.is_new[size_t(u)]) continue;
    const int32_t n = int32_t(data.watches[size_t(u)].size());
    for (int32_t t = 1; t + 1 < n; ++t) obj->train_ex.push_back({u, t});
    if (n >= 2) obj->val_ex.push_back({u, n - 1});
  }
  if (obj->train_ex.empty()) return Status::error("watch model: no known user has three or more watches to learn from");
  out = std::move(obj);
  return Status::success();
}

Status WatchObjective::check() const {
  if (mlp.dense.empty() || !data) return Status::error("watch model: not built");
  for (const auto& w : data->watches)
    if (Status st = ids_check(w, n_items, "watched movie"); !st) return st;
  return Status::success();
}

std::vector<ParamRef> WatchObjective::params() {
  std::vector<ParamRef> ps = opt.user == UserRepr::WatchAverage ? items.params() : users.params();
  for (auto& p : mlp.params()) ps.push_back(p);
  return ps;
}

double WatchObjective::row_bytes() const {
  return double(opt.history + 2) * double(opt.dim) * 8 * sizeof(Scalar) + nn::mlp_row_bytes(mlp.opt);
}

Status WatchObjective::user_vector(std::span<const int32_t> history, int32_t user, Mat& out) {
  if (opt.user == UserRepr::Id) {
    const int32_t one[1] = {user};
    return users.forward(one, out);
  }
  const size_t from = history.size() > size_t(opt.history) ? history.size() - size_t(opt.history) : 0;
  const std::span<const int32_t> h = history.subspan(from);
  Mat rows;
  if (Status st = items.forward(h, rows); !st) return st;
  const Index offs[2] = {0, Index(h.size())};
  return pool.forward(rows, offs, out);
}

Status WatchObjective::scores(std::span<const int32_t> history, int32_t user, std::vector<float>& out) {
  Mat u, logits;
  if (Status st = user_vector(history, user, u); !st) return st;
  if (Status st = mlp.forward(u, ctx_eval(), logits); !st) return st;
  out.assign(logits.data(), logits.data() + logits.size());
  return Status::success();
}

Status WatchObjective::run(std::span<const Example> ex, const ForwardCtx& ctx, bool train, BatchResult& out) {
  const size_t n = ex.size();
  Ids labels(n);
  Mat u;
  ids_.clear();
  offsets_.assign(1, 0);
  for (size_t k = 0; k < n; ++k) {
    const auto& w = data->watches[size_t(ex[k].user)];
    labels[k] = w[size_t(ex[k].end)];
    if (opt.user == UserRepr::Id) {
      ids_.push_back(ex[k].user);
    } else {
      for (int32_t t = std::max(0, ex[k].end - opt.history); t < ex[k].end; ++t) ids_.push_back(w[size_t(t)]);
      offsets_.push_back(Index(ids_.size()));
    }
  }
  Mat rows;
  if (opt.user == UserRepr::Id) {
    if (Status st = users.forward(ids_, u); !st) return st;
  } else {
    if (Status st = items.forward(ids_, rows); !st) return st;
    if (Status st = pool.forward(rows, offsets_, u); !st) return st;
  }
  Mat logits;
  if (Status st = mlp.forward(u, ctx, logits); !st) return st;
  LossT<Scalar> loss = softmax_cross_entropy_loss(logits, std::span<const int32_t>(labels));
  if (!loss.status) return loss.status;
  out.loss = double(loss.value);
  out.metric = accuracy(logits, std::span<const int32_t>(labels));
  out.count = Index(n);
  if (train) {
    const Mat du = mlp.backward(loss.grad);
    if (opt.user == UserRepr::Id) users.backward(du);
    else items.backward(pool.backward(du));
  }
  return Status::success();
}

Status WatchObjective::train_batch(std::span<const uint32_t> rows, Rng& rng, BatchResult& out) {
  std::vector<Example> ex(rows.size());
  for (size_t k = 0; k < rows.size(); ++k) ex[k] = train_ex[rows[k]];
  return run(ex, ctx_train(rng), true, out);
}

Status WatchObjective::eval_batch(std::span<const uint32_t> rows, BatchResult& out) {
  std::vector<Example> ex(rows.size());
  for (size_t k = 0; k < rows.size(); ++k) ex[k] = val_ex[rows[k]];
  return run(ex, ctx_eval(), false, out);
}

}  // namespace lab::core::recsys
