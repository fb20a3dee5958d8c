#include "core/recsys/models.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "core/det_math.h"

namespace lab::core::recsys {

using namespace lab::core::nn;

const char* model_name(ModelKind k) {
  switch (k) {
    case ModelKind::Mf: return "mf";
    case ModelKind::Deep: return "deep";
    case ModelKind::DeepMeta: return "deep-meta";
    case ModelKind::Hybrid: return "hybrid";
    case ModelKind::Content: return "content";
    case ModelKind::Triplet: return "triplet";
    case ModelKind::DeepTriplet: return "deep-triplet";
  }
  return "?";
}

const char* const kModelNames = "mf, deep, deep-meta, hybrid, content, triplet, deep-triplet";

bool model_parse(std::string_view name, ModelKind& out) {
  for (ModelKind k : {ModelKind::Mf, ModelKind::Deep, ModelKind::DeepMeta, ModelKind::Hybrid, ModelKind::Content, ModelKind::Triplet,
                      ModelKind::DeepTriplet})
    if (name == model_name(k)) {
      out = k;
      return true;
    }
  return false;
}

const char* negative_sampling_name(NegativeSampling n) {
  return n == NegativeSampling::Popularity ? "popularity" : "uniform";
}

bool model_is_implicit(ModelKind k) { return k == ModelKind::Triplet || k == ModelKind::DeepTriplet; }

// ---- RatingObjective ---------------------------------------------------------------------------------
Status RatingObjective::check() const {
  if (model.opt.n_users <= 0) return Status::error("rating model: not built");
  if (train.ratings.empty()) return Status::error("rating model: no training ratings");
  for (const RatingSet* s : {&train, &val}) {
    if (s->users.size() != s->ratings.size() || s->items.size() != s->ratings.size())
      return Status::error("rating model: users, items and ratings have different lengths");
    if (Status st = ids_check(s->users, model.opt.n_users, "user"); !st) return st;
    if (Status st = ids_check(s->items, model.opt.n_items, "item"); !st) return st;
  }
  if (model.opt.user_meta_dim > 0 && (user_feats.rows() != model.opt.n_users || user_feats.cols() != model.opt.user_meta_dim))
    return Status::error("rating model: user features must have one row per user and " +
                         std::to_string(model.opt.user_meta_dim) + " columns");
  if (model.opt.item_meta_dim > 0 && (item_feats.rows() != model.opt.n_items || item_feats.cols() != model.opt.item_meta_dim))
    return Status::error("rating model: item features must have one row per item and " +
                         std::to_string(model.opt.item_meta_dim) + " columns");
  return Status::success();
}

Status RatingObjective::run(const RatingSet& set, std::span<const uint32_t> rows, const ForwardCtx& ctx, bool train_mode,
                            BatchResult& out) {
  const size_t n = rows.size();
  u_.resize(n);
  i_.resize(n);
  y_.resize(Index(n), 1);
  for (size_t k = 0; k < n; ++k) {
    u_[k] = set.users[rows[k]];
    i_[k] = set.items[rows[k]];
    y_(Index(k), 0) = set.ratings[rows[k]];
  }
  const Mat* um = nullptr;
  const Mat* im = nullptr;
  if (model.opt.user_meta_dim > 0) {
    um_.resize(Index(n), user_feats.cols());
    for (size_t k = 0; k < n; ++k) um_.row(Index(k)) = user_feats.row(u_[k]);
    um = &um_;
  }
  if (model.opt.item_meta_dim > 0) {
    im_.resize(Index(n), item_feats.cols());
    for (size_t k = 0; k < n; ++k) im_.row(Index(k)) = item_feats.row(i_[k]);
    im = &im_;
  }
  if (Status st = model.forward(u_, i_, um, im, ctx, pred_); !st) return st;
  LossT<Scalar> l = loss == RatingLoss::Mae ? mae_loss(pred_, y_) : mse_loss(pred_, y_);
  if (!l.status) return l.status;
  out.metric = double((pred_ - y_).squaredNorm()) / double(n);  // squared error: metric_finish -> RMSE
  out.loss = double(l.value);
  out.count = Index(n);
  if (train_mode) {
    model.backward(l.grad);
    if (l2 > 0) out.loss += nn::two_tower_l2_batch(model, u_, i_, l2);
  }
  return Status::success();
}

Status RatingObjective::train_batch(std::span<const uint32_t> rows, Rng& rng, BatchResult& out) {
  return run(train, rows, ctx_train(rng), true, out);
}

Status RatingObjective::eval_batch(std::span<const uint32_t> rows, BatchResult& out) {
  return run(val, rows, ctx_eval(), false, out);
}

double RatingObjective::metric_finish(double mean) const { return std::sqrt(std::max(0.0, mean)); }

Status RatingObjective::predict(std::span<const int32_t> users, std::span<const int32_t> items, std::vector<float>& out) {
  if (users.size() != items.size()) return Status::error("predict: need one item per user");
  out.resize(users.size());
  RatingSet tmp;
  const size_t chunk = 4096;
  std::vector<uint32_t> rows;
  for (size_t s = 0; s < users.size(); s += chunk) {
    const size_t e = std::min(users.size(), s + chunk);
    tmp.users.assign(users.begin() + ptrdiff_t(s), users.begin() + ptrdiff_t(e));
    tmp.items.assign(items.begin() + ptrdiff_t(s), items.begin() + ptrdiff_t(e));
    tmp.ratings.assign(e - s, 0.f);
    rows.resize(e - s);
    for (size_t k = 0; k < rows.size(); ++k) rows[k] = uint32_t(k);
    BatchResult r;
    if (Status st = run(tmp, rows, ctx_eval(), false, r); !st) return st;
    for (size_t k = 0; k < rows.size(); ++k) out[s + k] = pred_(Index(k), 0);
  }
  return Status::success();
}

void RatingObjective::score_user(int32_t user, std::span<float> out) {
  const int32_t n = scorer_items();
  std::vector<int32_t> us(static_cast<size_t>(n), user), is(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) is[size_t(i)] = i;
  std::vector<float> p;
  if (!predict(us, is, p).ok) {
    std::fill(out.begin(), out.end(), 0.f);
    return;
  }
  std::copy(p.begin(), p.end(), out.begin());
}

// ---- TripletRecObjective -----------------------------------------------------------------------------
std::vector<ParamRef> TripletRecObjective::params() {
  std::vector<ParamRef> ps = user.params();
  for (auto& p : item.params()) ps.push_back(p);
  if (deep) {
    for (auto& p : user_tower.params()) ps.push_back(p);
    for (auto& p : item_tower.params()) ps.push_back(p);
  }
  return ps;
}

Status TripletRecObjective::check() const {
  if (user.W.size() == 0 || item.W.size() == 0) return Status::error("triplet recommender: not built");
  if (train_users.empty()) return Status::error("triplet recommender: no positive training pairs (no rating >= the threshold?)");
  if (train_items.size() != train_users.size() || val_items.size() != val_users.size() || val_neg.size() != val_users.size())
    return Status::error("triplet recommender: pair lists have different lengths");
  if (Status st = ids_check(train_users, user.vocab(), "user"); !st) return st;
  if (Status st = ids_check(train_items, item.vocab(), "item"); !st) return st;
  if (Status st = ids_check(val_users, user.vocab(), "user"); !st) return st;
  if (Status st = ids_check(val_items, item.vocab(), "item"); !st) return st;
  return ids_check(val_neg, item.vocab(), "item");
}

static void row_sims(const Mat& a, const Mat& b, Measure sim, Vec& s) {
  s = (a.array() * b.array()).rowwise().sum().matrix();
  if (sim == Measure::Cosine) {
    const Vec na = a.rowwise().norm(), nb = b.rowwise().norm();
    for (Index i = 0; i < s.size(); ++i) s(i) /= std::sqrt(na(i) * na(i) + 1e-8f) * std::sqrt(nb(i) * nb(i) + 1e-8f);
  }
}

Status TripletRecObjective::run(std::span<const int32_t> u, std::span<const int32_t> pos, std::span<const int32_t> neg,
                                bool train_mode, Rng* rng, BatchResult& out) {
  const Index n = Index(u.size());
  Ids items(size_t(2 * n));
  std::copy(pos.begin(), pos.end(), items.begin());
  std::copy(neg.begin(), neg.end(), items.begin() + n);
  Mat eu, ei;
  if (Status st = user.forward(u, eu); !st) return st;
  if (Status st = item.forward(items, ei); !st) return st;
  const ForwardCtx ctx = train_mode ? ctx_train(*rng) : ctx_eval();
  Mat a = eu, pn = ei;
  if (deep) {
    if (Status st = user_tower.forward(eu, ctx, a); !st) return st;
    if (Status st = item_tower.forward(ei, ctx, pn); !st) return st;
  }
  const Mat p = pn.topRows(n), ng = pn.bottomRows(n);
  TripletLossT<Scalar> l = triplet_margin_loss(a, p, ng, Scalar(margin), sim);
  if (!l.status) return l.status;
  Vec sp, sn;
  row_sims(a, p, sim, sp);
  row_sims(a, ng, sim, sn);
  out.metric = double((sp.array() > sn.array()).count()) / double(n);
  out.loss = double(l.value);
  out.count = n;
  if (train_mode) {
    cache_ok_ = false;
    Mat d_items(2 * n, l.d_pos.cols());
    d_items.topRows(n) = l.d_pos;
    d_items.bottomRows(n) = l.d_neg;
    if (deep) {
      user.backward(user_tower.backward(l.d_anchor));
      item.backward(item_tower.backward(d_items));
    } else {
      user.backward(l.d_anchor);
      item.backward(d_items);
    }
  }
  return Status::success();
}

int32_t TripletRecObjective::negative_draw(Rng& rng) const {
  if (neg_cumulative.empty()) return int32_t(rng_below(rng, uint32_t(n_items)));
  const double r = rng_uniform(rng) * neg_cumulative.back();
  const auto it = std::upper_bound(neg_cumulative.begin(), neg_cumulative.end(), r);
  return int32_t(std::min<ptrdiff_t>(it - neg_cumulative.begin(), ptrdiff_t(neg_cumulative.size()) - 1));
}

Status TripletRecObjective::train_batch(std::span<const uint32_t> rows, Rng& rng, BatchResult& out) {
  const size_t n = rows.size();
  Ids u(n), p(n), ng(n);
  for (size_t k = 0; k < n; ++k) {
    u[k] = train_users[rows[k]];
    p[k] = train_items[rows[k]];
    ng[k] = negative_draw(rng);  // a fresh negative at every visit
    // or one of the user's own dislikes (no extra draw at all when dislike_share is 0)
    if (dislike_share > 0 && !dislikes[size_t(u[k])].empty() && rng_uniform(rng) < dislike_share) {
      const auto& mine = dislikes[size_t(u[k])];
      ng[k] = mine[rng_below(rng, uint32_t(mine.size()))];
    }
  }
  return run(u, p, ng, true, &rng, out);
}

Status TripletRecObjective::eval_batch(std::span<const uint32_t> rows, BatchResult& out) {
  const size_t n = rows.size();
  Ids u(n), p(n), ng(n);
  for (size_t k = 0; k < n; ++k) {
    u[k] = val_users[rows[k]];
    p[k] = val_items[rows[k]];
    ng[k] = val_neg[rows[k]];
  }
  return run(u, p, ng, false, nullptr, out);
}

static Mat through_tower(Mlp& tower, const Mat& x) {
  Mat out;
  const Index chunk = 4096;
  Mat res(x.rows(), tower.opt.out);
  for (Index s = 0; s < x.rows(); s += chunk) {
    const Index e = std::min(x.rows(), s + chunk);
    if (!tower.forward(x.middleRows(s, e - s), ctx_eval(), out).ok) return Mat::Zero(x.rows(), tower.opt.out);
    res.middleRows(s, e - s) = out;
  }
  return res;
}

Mat TripletRecObjective::user_vectors() { return deep ? through_tower(user_tower, user.W) : user.W; }
Mat TripletRecObjective::item_vectors() { return deep ? through_tower(item_tower, item.W) : item.W; }

void TripletRecObjective::refresh_cache() {
  if (cache_ok_) return;
  ucache_ = user_vectors();
  icache_ = item_vectors();
  if (sim == Measure::Cosine) {
    for (Index i = 0; i < ucache_.rows(); ++i) ucache_.row(i) /= std::sqrt(ucache_.row(i).squaredNorm() + 1e-8f);
    for (Index i = 0; i < icache_.rows(); ++i) icache_.row(i) /= std::sqrt(icache_.row(i).squaredNorm() + 1e-8f);
  }
  cache_ok_ = true;
}

void TripletRecObjective::score_user(int32_t u, std::span<float> out) {
  refresh_cache();
  const Vec s = icache_ * ucache_.row(u).transpose();
  for (Index i = 0; i < s.size(); ++i) out[size_t(i)] = s(i);
}

// ---- RatingClassObjective ----------------------------------------------------------------------------
std::vector<ParamRef> RatingClassObjective::params() {
  std::vector<ParamRef> ps = user.params();
  for (auto& p : item.params()) ps.push_back(p);
  for (auto& p : mlp.params()) ps.push_back(p);
  return ps;
}

Status RatingClassObjective::check() const {
  if (user.W.size() == 0 || item.W.size() == 0 || mlp.dense.empty()) return Status::error("5-class rating model: not built");
  if (train.ratings.empty()) return Status::error("5-class rating model: no training ratings");
  for (const RatingSet* s : {&train, &val}) {
    if (s->users.size() != s->ratings.size() || s->items.size() != s->ratings.size())
      return Status::error("5-class rating model: users, items and ratings have different lengths");
    if (Status st = ids_check(s->users, user.vocab(), "user"); !st) return st;
    if (Status st = ids_check(s->items, item.vocab(), "item"); !st) return st;
    for (float r : s->ratings)
      if (!(r >= 1 && r <= kClasses) || r != std::floor(r)) {
        char msg[120];
        std::snprintf(msg, sizeof msg, "5-class rating model: rating %g is not a whole number of stars 1..5", double(r));
        return Status::error(msg);
      }
  }
  return Status::success();
}

Status RatingClassObjective::run(std::span<const int32_t> u, std::span<const int32_t> i, const ForwardCtx& ctx, Mat& logits) {
  if (Status st = user.forward(u, eu_); !st) return st;
  if (Status st = item.forward(i, ei_); !st) return st;
  x_.resize(eu_.rows(), eu_.cols() + ei_.cols());
  x_.leftCols(eu_.cols()) = eu_;
  x_.rightCols(ei_.cols()) = ei_;
  return mlp.forward(drop_in.forward(x_, ctx), ctx, logits);
}

// A batch's rows: ids and class labels (rating - 1), then the loss and the MAE of the argmax rating.
static void class_batch(const RatingSet& set, std::span<const uint32_t> rows, Ids& u, Ids& i, std::vector<int32_t>& labels) {
  const size_t n = rows.size();
  u.resize(n);
  i.resize(n);
  labels.resize(n);
  for (size_t k = 0; k < n; ++k) {
    u[k] = set.users[rows[k]];
    i[k] = set.items[rows[k]];
    labels[k] = int32_t(set.ratings[rows[k]]) - 1;
  }
}

static double argmax_abs_error(const Mat& logits, std::span<const int32_t> labels) {
  double sum = 0;
  for (Index r = 0; r < logits.rows(); ++r) {
    Index best = 0;
    logits.row(r).maxCoeff(&best);
    sum += std::abs(double(best) - double(labels[size_t(r)]));
  }
  return logits.rows() > 0 ? sum / double(logits.rows()) : 0.0;
}

Status RatingClassObjective::train_batch(std::span<const uint32_t> rows, Rng& rng, BatchResult& out) {
  class_batch(train, rows, u_, i_, labels_);
  if (Status st = run(u_, i_, ctx_train(rng), logits_); !st) return st;
  LossT<Scalar> l = softmax_cross_entropy_loss(logits_, std::span<const int32_t>(labels_));
  if (!l.status) return l.status;
  out.loss = double(l.value);
  out.metric = argmax_abs_error(logits_, labels_);
  out.count = Index(rows.size());
  const Mat d_x = drop_in.backward(mlp.backward(l.grad));  // d_[u | v]: (N, 2 dim)
  user.backward(d_x.leftCols(user.dim()));
  item.backward(d_x.rightCols(item.dim()));
  return Status::success();
}

Status RatingClassObjective::eval_batch(std::span<const uint32_t> rows, BatchResult& out) {
  class_batch(val, rows, u_, i_, labels_);
  if (Status st = run(u_, i_, ctx_eval(), logits_); !st) return st;
  LossT<Scalar> l = softmax_cross_entropy_loss(logits_, std::span<const int32_t>(labels_));
  if (!l.status) return l.status;
  out.loss = double(l.value);
  out.metric = argmax_abs_error(logits_, labels_);
  out.count = Index(rows.size());
  return Status::success();
}

Status RatingClassObjective::probabilities(std::span<const int32_t> users, std::span<const int32_t> items, Mat& out) {
  if (users.size() != items.size()) return Status::error("predict: need one item per user");
  out.resize(Index(users.size()), kClasses);
  const size_t chunk = 4096;
  for (size_t s = 0; s < users.size(); s += chunk) {
    const size_t e = std::min(users.size(), s + chunk);
    if (Status st = run(users.subspan(s, e - s), items.subspan(s, e - s), ctx_eval(), logits_); !st) return st;
    out.middleRows(Index(s), Index(e - s)) = softmax_rows(logits_);
  }
  return Status::success();
}

Status RatingClassObjective::predict(std::span<const int32_t> users, std::span<const int32_t> items, std::vector<float>& out) {
  Mat p;
  if (Status st = probabilities(users, items, p); !st) return st;
  out.resize(users.size());
  for (Index r = 0; r < p.rows(); ++r) {
    Index best = 0;
    p.row(r).maxCoeff(&best);
    out[size_t(r)] = float(best + 1);
  }
  return Status::success();
}

void RatingClassObjective::score_user(int32_t u, std::span<float> out) {
  const int32_t n = scorer_items();
  std::vector<int32_t> us(static_cast<size_t>(n), u), is(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i) is[size_t(i)] = i;
  Mat p;
  if (!probabilities(us, is, p).ok) {
    std::fill(out.begin(), out.end(), 0.f);
    return;
  }
  for (Index r = 0; r < p.rows(); ++r) {
    double e = 0;
    for (Index k = 0; k < kClasses; ++k) e += double(p(r, k)) * double(k + 1);
    out[size_t(r)] = float(e);
  }
}

// ---- Builders ------------------------------------------------------------------------------------
static void fill_ratings(const RecData& d, const std::vector<uint32_t>& rows, RatingSet& s) {
  s.users.resize(rows.size());
  s.items.resize(rows.size());
  s.ratings.resize(rows.size());
  for (size_t k = 0; k < rows.size(); ++k) {
    const Rating& r = d.ratings[rows[k]];
    s.users[k] = r.user;
    s.items[k] = r.item;
    s.ratings[k] = r.rating;
  }
}

Status make_rating_objective(const RecData& d, const Split& s, const RecModelOptions& o,
                             std::unique_ptr<RatingObjective>& out) {
  if (model_is_implicit(o.kind)) return Status::error("make_rating_objective: " + std::string(model_name(o.kind)) + " is an implicit model");
  if (s.train.empty()) return Status::error("rating model: the training split is empty");
  auto obj = std::make_unique<RatingObjective>();
  fill_ratings(d, s.train, obj->train);
  fill_ratings(d, s.test, obj->val);
  double mean = 0;
  for (float r : obj->train.ratings) mean += r;
  mean /= double(obj->train.ratings.size());
  TwoTowerOptions mo;
  mo.n_users = d.n_users;
  mo.n_items = d.n_items;
  mo.dim = o.dim;
  mo.kind = o.kind == ModelKind::Mf || o.kind == ModelKind::Hybrid ? TowerKind::Mf : TowerKind::Deep;
  const bool content = o.kind == ModelKind::Content;
  mo.biases = o.biases && !content;
  mo.ids = !content;
  mo.global_mean = mean;
  mo.hidden = o.hidden;
  mo.dropout = o.kind == ModelKind::Mf ? 0.0 : o.dropout;
  mo.init_scale = o.init_scale;
  if (o.kind == ModelKind::DeepMeta || o.kind == ModelKind::Hybrid || content) {
    obj->user_feats = user_features(d);
    obj->item_feats = item_features(d, s.train, o.popularity_feature);
    mo.user_meta_dim = obj->user_feats.cols();
    mo.item_meta_dim = obj->item_feats.cols();
  }
  Rng rng(o.seed);
  if (Status st = two_tower_init(obj->model, mo, rng); !st) return st;
  for (Embedding* e : {&obj->model.user, &obj->model.item, &obj->model.user_bias, &obj->model.item_bias})
    e->sparse_grad = o.sparse_grad;
  obj->loss = o.loss;
  obj->l2 = o.l2;
  out = std::move(obj);
  return Status::success();
}

Status make_triplet_objective(const RecData& d, const Split& s, const RecModelOptions& o,
                              std::unique_ptr<TripletRecObjective>& out) {
  if (!model_is_implicit(o.kind)) return Status::error("make_triplet_objective: " + std::string(model_name(o.kind)) + " is an explicit model");
  auto obj = std::make_unique<TripletRecObjective>();
  obj->n_items = d.n_items;
  obj->sim = o.sim;
  obj->margin = o.margin;
  obj->deep = o.kind == ModelKind::DeepTriplet;
  Rng rng(o.seed);
  obj->user.name = "user_emb";
  obj->item.name = "item_emb";
  if (Status st = obj->user.init(d.n_users, o.dim, rng, Scalar(o.init_scale)); !st) return st;
  if (Status st = obj->item.init(d.n_items, o.dim, rng, Scalar(o.init_scale)); !st) return st;
  obj->user.sparse_grad = obj->item.sparse_grad = o.sparse_grad;
  if (obj->deep) {
    MlpOptions mo;
    mo.in = o.dim;
    mo.hidden = o.hidden;
    mo.out = o.dim;
    if (Status st = mlp_init(obj->user_tower, mo, rng, "user_tower"); !st) return st;
    if (Status st = mlp_init(obj->item_tower, mo, rng, "item_tower"); !st) return st;
  }
  obj->dislikes.assign(size_t(d.n_users), {});
  obj->dislike_share = o.dislike_threshold > 0 ? std::clamp(o.dislike_share, 0.0, 1.0) : 0.0;
  for (uint32_t k : s.train) {
    const Rating& r = d.ratings[k];
    if (r.rating >= o.positive_threshold) {
      obj->train_users.push_back(r.user);
      obj->train_items.push_back(r.item);
    } else if (o.dislike_threshold > 0 && r.rating <= o.dislike_threshold) {
      obj->dislikes[size_t(r.user)].push_back(r.item);
    }
  }
  if (o.negatives == NegativeSampling::Popularity) {
    std::vector<double> count(size_t(d.n_items), 1.0);  // + 1: every movie can be drawn
    for (int32_t i : obj->train_items) count[size_t(i)] += 1;
    obj->neg_cumulative.resize(count.size());
    double total = 0;
    for (size_t i = 0; i < count.size(); ++i) {
      total += det_exp(0.75 * det_log(count[i]));  // count^0.75, the same bits on every platform
      obj->neg_cumulative[i] = total;
    }
  }
  Rng neg(o.seed ^ 0x9e3779b97f4a7c15ULL);
  for (uint32_t k : s.test) {
    const Rating& r = d.ratings[k];
    if (r.rating >= o.positive_threshold) {
      obj->val_users.push_back(r.user);
      obj->val_items.push_back(r.item);
      obj->val_neg.push_back(int32_t(rng_below(neg, uint32_t(d.n_items))));
    }
  }
  if (obj->train_users.empty())
    return Status::error("triplet recommender: no training rating is >= " + std::to_string(o.positive_threshold) +
                         " (no positives to learn from)");
  out = std::move(obj);
  return Status::success();
}

Status make_rating_class_objective(const RecData& d, const Split& s, const RecModelOptions& o,
                                   std::unique_ptr<RatingClassObjective>& out) {
  if (s.train.empty()) return Status::error("5-class rating model: the training split is empty");
  auto obj = std::make_unique<RatingClassObjective>();
  fill_ratings(d, s.train, obj->train);
  fill_ratings(d, s.test, obj->val);
  if (o.dropout < 0 || o.dropout >= 1 || o.dropout_hidden < 0 || o.dropout_hidden >= 1)
    return Status::error("5-class rating model: dropout must be in [0, 1)");
  Rng rng(o.seed);
  obj->user.name = "user_emb";
  obj->item.name = "item_emb";
  if (Status st = obj->user.init(d.n_users, o.dim, rng, Scalar(o.init_scale)); !st) return st;
  if (Status st = obj->item.init(d.n_items, o.dim, rng, Scalar(o.init_scale)); !st) return st;
  obj->user.sparse_grad = obj->item.sparse_grad = o.sparse_grad;
  obj->drop_in.p = Scalar(o.dropout);
  MlpOptions mo;
  mo.in = 2 * o.dim;
  mo.hidden = o.hidden;
  mo.out = RatingClassObjective::kClasses;
  mo.dropout = o.dropout_hidden;
  if (Status st = mlp_init(obj->mlp, mo, rng, "classes_mlp"); !st) return st;
  for (size_t l = 1; l < obj->mlp.drop.size(); ++l) obj->mlp.drop[l].p = 0;  // the course: after the first only
  out = std::move(obj);
  return Status::success();
}

// What every recommender's RecTrainer keeps besides its objective.
static void rec_init_lists(RecTrainer& rt, const RecData& d, const Split& s, const RecModelOptions& o) {
  rt = RecTrainer{};
  rt.kind = o.kind;
  rt.split = s;
  rt.positive_threshold = o.positive_threshold;
  rt.train_seen = positives_by_user(d, s.train, -1e30f);
  rt.train_pos = positives_by_user(d, s.train, o.positive_threshold);
  rt.test_pos = positives_by_user(d, s.test, o.positive_threshold);
  rt.popularity = item_counts(d, s.train, o.positive_threshold);
}

Status rec_init_classes(RecTrainer& rt, const RecData& d, const Split& s, const RecModelOptions& o, const TrainerOptions& to) {
  rec_init_lists(rt, d, s, o);
  rt.kind = ModelKind::Deep;
  std::unique_ptr<RatingClassObjective> c;
  if (Status st = make_rating_class_objective(d, s, o, c); !st) return st;
  rt.classes = c.get();
  return trainer_init(rt.trainer, std::move(c), to);
}

Status rec_init(RecTrainer& rt, const RecData& d, const Split& s, const RecModelOptions& o, const TrainerOptions& to) {
  rec_init_lists(rt, d, s, o);
  if (o.dislike_threshold > 0) {
    rt.test_dislikes.assign(size_t(d.n_users), {});
    for (uint32_t k : s.test)
      if (d.ratings[k].rating <= o.dislike_threshold) rt.test_dislikes[size_t(d.ratings[k].user)].push_back(d.ratings[k].item);
  }
  std::unique_ptr<Objective> obj;
  if (model_is_implicit(o.kind)) {
    std::unique_ptr<TripletRecObjective> t;
    if (Status st = make_triplet_objective(d, s, o, t); !st) return st;
    rt.triplet = t.get();
    obj = std::move(t);
  } else {
    std::unique_ptr<RatingObjective> r;
    if (Status st = make_rating_objective(d, s, o, r); !st) return st;
    rt.rating = r.get();
    obj = std::move(r);
  }
  return trainer_init(rt.trainer, std::move(obj), to);
}

ItemScorer& rec_scorer(RecTrainer& rt) {
  if (rt.rating) return *rt.rating;
  if (rt.classes) return *rt.classes;
  return *rt.triplet;
}

RecEval rec_evaluate(RecTrainer& rt, const RecData& d, int k) {
  RecEval e;
  // Rating models and the 5-class model are judged alike: errors in stars on the validation ratings.
  auto rating_errors = [&](auto& model) {
    const RatingSet& v = model.val;
    std::vector<float> p;
    if (model.predict(v.users, v.items, p).ok) {
      e.rmse = rmse(p, v.ratings);
      e.mae = mae(p, v.ratings);
    }
    e.noise_floor_rmse = noise_floor_rmse(d, rt.split.test);
    e.noise_floor_mae = noise_floor_mae(d, rt.split.test);
  };
  if (rt.rating) {
    rating_errors(*rt.rating);
  } else if (rt.classes) {
    rating_errors(*rt.classes);
  } else if (rt.triplet) {
    e.ranking = evaluate_ranking(*rt.triplet, rt.train_pos, rt.test_pos, rt.popularity, k);
  }
  return e;
}

double dislike_auc(RecTrainer& rt, int* users) {
  double sum = 0;
  int n = 0;
  ItemScorer& model = rec_scorer(rt);
  std::vector<float> s(size_t(model.scorer_items()));
  for (size_t u = 0; u < rt.test_dislikes.size() && u < rt.test_pos.size(); ++u) {
    const auto& pos = rt.test_pos[u];
    const auto& bad = rt.test_dislikes[u];
    if (pos.empty() || bad.empty()) continue;
    model.score_user(int32_t(u), s);
    double right = 0;
    for (int32_t p : pos)
      for (int32_t b : bad) right += s[size_t(p)] > s[size_t(b)] ? 1.0 : s[size_t(p)] == s[size_t(b)] ? 0.5 : 0.0;
    sum += right / double(pos.size() * bad.size());
    ++n;
  }
  if (users) *users = n;
  return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

double rmse_for_light_users(RecTrainer& rt, const RecData& d, int max_train, int* n_ratings) {
  if (!rt.rating) return 0;
  std::vector<int> cnt(size_t(d.n_users), 0);
  for (uint32_t k : rt.split.train) ++cnt[size_t(d.ratings[k].user)];
  std::vector<int32_t> us, is;
  std::vector<float> truth, p;
  for (uint32_t k : rt.split.test) {
    const Rating& r = d.ratings[k];
    if (cnt[size_t(r.user)] > max_train) continue;
    us.push_back(r.user);
    is.push_back(r.item);
    truth.push_back(r.rating);
  }
  if (n_ratings) *n_ratings = int(truth.size());
  if (us.empty() || !rt.rating->predict(us, is, p).ok) return 0;
  return rmse(p, truth);
}

}  // namespace lab::core::recsys
