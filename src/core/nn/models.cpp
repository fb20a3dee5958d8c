#include "core/nn/models.h"

#include <cstdio>

namespace lab::core::nn {

namespace {

std::string shape_str(Index r, Index c) { return std::to_string(r) + " x " + std::to_string(c); }

template <class T>
void append(std::vector<ParamRefT<T>>& to, std::vector<ParamRefT<T>> from) {
  for (auto& p : from) to.push_back(std::move(p));
}

}  // namespace

// ---- MLP -------------------------------------------------------------------------------------------
double mlp_row_bytes(const MlpOptions& opt) {
  double widths = double(opt.in) + double(opt.out);
  for (Index h : opt.hidden) widths += double(h);
  return 8 * widths * sizeof(Scalar);
}

template <class T>
Status mlp_init(MlpT<T>& m, const MlpOptions& opt, Rng& rng, const std::string& name) {
  if (opt.in <= 0 || opt.out <= 0)
    return Status::error(name + ": input and output sizes must be positive (got in " + std::to_string(opt.in) +
                         ", out " + std::to_string(opt.out) + ")");
  for (Index h : opt.hidden)
    if (h <= 0) return Status::error(name + ": every hidden layer needs at least one unit");
  if (!(opt.dropout >= 0 && opt.dropout < 1))
    return Status::error(name + ": dropout must be in [0, 1), got " + std::to_string(opt.dropout));
  double total = 0;
  Index prev = opt.in;
  for (Index h : opt.hidden) {
    total += double(prev) * double(h) + double(h);
    prev = h;
  }
  total += double(prev) * double(opt.out) + double(opt.out);
  if (Status st = param_memory_check(total, name, "use fewer or narrower layers"); !st) return st;
  m.dense.clear();
  m.bn.clear();
  m.act.clear();
  m.drop.clear();
  m.opt = opt;
  m.name = name;
  prev = opt.in;
  const bool relu_like = opt.act == Act::Relu;
  for (size_t l = 0; l <= opt.hidden.size(); ++l) {
    const bool last = l == opt.hidden.size();
    const Index width = last ? opt.out : opt.hidden[l];
    DenseT<T> d;
    d.name = name + ".dense" + std::to_string(l);
    d.init(prev, width, rng, relu_like && !last);
    m.dense.push_back(std::move(d));
    if (!last) {
      if (opt.batch_norm) {
        BatchNorm1dT<T> b;
        b.name = name + ".bn" + std::to_string(l);
        b.init(width);
        m.bn.push_back(std::move(b));
      }
      ActivationT<T> a;
      a.kind = opt.act;
      m.act.push_back(a);
      DropoutT<T> dr;
      dr.p = T(opt.dropout);
      m.drop.push_back(dr);
    }
    prev = width;
  }
  return Status::success();
}

template <class T>
Status MlpT<T>::forward(const MatT<T>& x, const ForwardCtx& ctx, MatT<T>& out) {
  if (dense.empty()) return Status::error(name + ": model is not built (call mlp_init first)");
  if (x.cols() != opt.in || x.rows() == 0)
    return Status::error(name + ": expected input rows of " + std::to_string(opt.in) + " features, got " +
                         shape_str(x.rows(), x.cols()));
  MatT<T> h = x;
  for (size_t l = 0; l < dense.size(); ++l) forward_layer(l, h, ctx);
  out = std::move(h);
  return Status::success();
}

template <class T>
void MlpT<T>::forward_layer(size_t l, MatT<T>& h, const ForwardCtx& ctx) {
  h = dense[l].forward(h, ctx);
  if (l + 1 == dense.size()) return;
  if (!bn.empty()) h = bn[l].forward(h, ctx);
  h = act[l].forward(h, ctx);
  h = drop[l].forward(h, ctx);
}

template <class T>
MatT<T> MlpT<T>::backward(const MatT<T>& d_out) {
  MatT<T> g = dense.back().backward(d_out);
  for (size_t l = dense.size() - 1; l-- > 0;) {
    g = drop[l].backward(g);
    g = act[l].backward(g);
    if (!bn.empty()) g = bn[l].backward(g);
    g = dense[l].backward(g);
  }
  return g;
}

template <class T>
std::vector<ParamRefT<T>> MlpT<T>::params() {
  std::vector<ParamRefT<T>> ps;
  for (size_t l = 0; l < dense.size(); ++l) {
    append(ps, dense[l].params());
    if (l < bn.size()) append(ps, bn[l].params());
  }
  return ps;
}

template <class T>
std::vector<ParamRefT<T>> MlpT<T>::state() {
  std::vector<ParamRefT<T>> ps = params();
  for (auto& b : bn) append(ps, b.buffers());
  return ps;
}

template <class T>
void MlpT<T>::zero_grad() {
  for (auto& d : dense) d.zero_grad();
  for (auto& b : bn) b.zero_grad();
}

// ---- Two-tower -------------------------------------------------------------------------------------
// The MLP: the deep model's, on [u | v | features]; the dot-product model's feature MLP, on the features.
static bool two_tower_has_mlp(const TwoTowerOptions& o) {
  return o.kind == TowerKind::Deep || o.user_meta_dim > 0 || o.item_meta_dim > 0;
}
static Index two_tower_mlp_in(const TwoTowerOptions& o) {
  const Index ids = o.kind == TowerKind::Deep && o.ids ? 2 * o.dim : 0;
  return ids + o.user_meta_dim + o.item_meta_dim;
}

double two_tower_row_bytes(const TwoTowerOptions& opt) {
  const double in = (opt.ids ? 2 * double(opt.dim) : 0.0) + double(opt.user_meta_dim) + double(opt.item_meta_dim);
  double b = 8 * in * sizeof(Scalar) + 64;  // lookups, concatenation, their gradients; ids and ratings
  if (two_tower_has_mlp(opt)) {
    MlpOptions mo;
    mo.in = two_tower_mlp_in(opt);
    mo.hidden = opt.hidden;
    mo.out = 1;
    b += mlp_row_bytes(mo);
  }
  return b;
}

template <class T>
Status two_tower_init(TwoTowerT<T>& m, const TwoTowerOptions& opt, Rng& rng) {
  if (opt.n_users <= 0 || opt.n_items <= 0 || opt.dim <= 0)
    return Status::error("two-tower model: needs at least one user, one item and dimension >= 1 (got " +
                         std::to_string(opt.n_users) + " users, " + std::to_string(opt.n_items) + " items, dim " +
                         std::to_string(opt.dim) + ")");
  if (opt.user_meta_dim < 0 || opt.item_meta_dim < 0)
    return Status::error("two-tower model: metadata widths cannot be negative");
  if (!opt.ids && (opt.kind != TowerKind::Deep || opt.biases || opt.user_meta_dim + opt.item_meta_dim == 0))
    return Status::error("two-tower model: a model without ids (content-based) needs the deep model, metadata "
                         "features and no per-id biases");
  // Every table and layer together, before any is allocated (each Embedding::init checks only itself).
  const double n_tables = double(opt.n_users) + double(opt.n_items);
  double total = (opt.ids ? n_tables * double(opt.dim) : 0.0) + (opt.biases ? n_tables : 0.0);
  if (two_tower_has_mlp(opt)) {
    double prev = double(two_tower_mlp_in(opt));
    for (Index h : opt.hidden) {
      total += prev * double(h) + double(h) * (opt.batch_norm ? 3.0 : 1.0);  // W, b (+ gamma, beta)
      prev = double(h);
    }
    total += prev + 1;
  }
  if (Status st = param_memory_check(total, "two-tower model",
                                     "use a smaller embedding dimension, fewer users/items or a smaller MLP");
      !st)
    return st;
  m.opt = opt;
  m.user = {};
  m.item = {};
  m.user_bias = {};
  m.item_bias = {};
  m.mlp.dense.clear();
  m.user.name = "user_emb";
  m.item.name = "item_emb";
  m.user_bias.name = "user_bias";
  m.item_bias.name = "item_bias";
  m.user.max_norm = m.item.max_norm = T(opt.max_norm);
  if (opt.ids) {
    if (Status st = m.user.init(opt.n_users, opt.dim, rng, T(opt.init_scale)); !st) return st;
    if (Status st = m.item.init(opt.n_items, opt.dim, rng, T(opt.init_scale)); !st) return st;
  }
  if (opt.biases) {
    if (Status st = m.user_bias.init(opt.n_users, 1, rng, T(0)); !st) return st;
    if (Status st = m.item_bias.init(opt.n_items, 1, rng, T(0)); !st) return st;
  }
  if (two_tower_has_mlp(opt)) {
    MlpOptions mo;
    mo.in = two_tower_mlp_in(opt);
    mo.hidden = opt.hidden;
    mo.out = 1;
    mo.act = opt.act;
    mo.dropout = opt.dropout;
    mo.batch_norm = opt.batch_norm;
    if (Status st = mlp_init(m.mlp, mo, rng, "tower_mlp"); !st) return st;
  }
  return Status::success();
}

template <class T>
Status TwoTowerT<T>::forward(std::span<const int32_t> users, std::span<const int32_t> items,
                             const MatT<T>* user_meta, const MatT<T>* item_meta, const ForwardCtx& ctx,
                             MatT<T>& out) {
  if (opt.ids ? user.W.size() == 0 : mlp.dense.empty())
    return Status::error("two-tower model: not built (call two_tower_init first)");
  const Index n = Index(users.size());
  if (n == 0 || items.size() != users.size())
    return Status::error("two-tower model: need one item id per user id and at least one pair (got " +
                         std::to_string(users.size()) + " users, " + std::to_string(items.size()) + " items)");
  auto meta_ok = [n](const MatT<T>* m, Index want, const char* what) -> Status {
    if (want == 0) {
      if (m && m->size() > 0)
        return Status::error(std::string("two-tower model: got ") + what +
                             " features but the model was built without them");
      return Status::success();
    }
    if (!m || m->rows() != n || m->cols() != want)
      return Status::error(std::string("two-tower model: ") + what + " features must be " + shape_str(n, want) +
                           ", got " + (m ? shape_str(m->rows(), m->cols()) : std::string("none")));
    return Status::success();
  };
  if (Status st = meta_ok(user_meta, opt.user_meta_dim, "user"); !st) return st;
  if (Status st = meta_ok(item_meta, opt.item_meta_dim, "item"); !st) return st;
  if (opt.ids) {
    if (Status st = user.forward(users, user_vecs); !st) return st;
    if (Status st = item.forward(items, item_vecs); !st) return st;
  }
  if (two_tower_has_mlp(opt)) {
    std::vector<const MatT<T>*> parts;
    if (opt.kind == TowerKind::Deep && opt.ids) parts = {&user_vecs, &item_vecs};
    if (opt.user_meta_dim > 0) parts.push_back(user_meta);
    if (opt.item_meta_dim > 0) parts.push_back(item_meta);
    const MatT<T> h = concat.forward(parts);
    if (Status st = mlp.forward(h, ctx, out); !st) return st;
  }
  if (opt.kind == TowerKind::Mf) {
    if (two_tower_has_mlp(opt)) out += dot.forward(user_vecs, item_vecs);
    else out = dot.forward(user_vecs, item_vecs);
  }
  if (opt.biases) {
    MatT<T> bu, bi;
    if (Status st = user_bias.forward(users, bu); !st) return st;
    if (Status st = item_bias.forward(items, bi); !st) return st;
    out += bu + bi;
  }
  out.array() += T(opt.global_mean);
  return Status::success();
}

template <class T>
void TwoTowerT<T>::backward(const MatT<T>& d_out) {
  if (opt.biases) {
    user_bias.backward(d_out);
    item_bias.backward(d_out);
  }
  MatT<T> du, di;
  if (opt.kind == TowerKind::Mf) {
    if (two_tower_has_mlp(opt)) mlp.backward(d_out);  // the feature MLP: its inputs are data
    dot.backward(d_out, du, di);
  } else {
    const std::vector<MatT<T>> parts = concat.backward(mlp.backward(d_out));
    if (!opt.ids) return;  // only data below: nothing to train
    du = parts[0];
    di = parts[1];  // the metadata inputs are data: their gradients are dropped
  }
  user.backward(du);
  item.backward(di);
}

template <class T>
std::vector<ParamRefT<T>> TwoTowerT<T>::params() {
  std::vector<ParamRefT<T>> ps;
  if (opt.ids) {
    append(ps, user.params());
    append(ps, item.params());
  }
  if (opt.biases) {
    append(ps, user_bias.params());
    append(ps, item_bias.params());
  }
  if (two_tower_has_mlp(opt)) append(ps, mlp.params());
  return ps;
}

template <class T>
std::vector<ParamRefT<T>> TwoTowerT<T>::state() {
  std::vector<ParamRefT<T>> ps = params();
  if (two_tower_has_mlp(opt))
    for (auto& b : mlp.bn) append(ps, b.buffers());
  return ps;
}

template <class T>
void TwoTowerT<T>::zero_grad() {
  if (opt.ids) {
    user.zero_grad();
    item.zero_grad();
  }
  if (opt.biases) {
    user_bias.zero_grad();
    item_bias.zero_grad();
  }
  if (two_tower_has_mlp(opt)) mlp.zero_grad();
}

#define LAB_MODEL_INSTANTIATE(T)                                                      \
  template struct MlpT<T>;                                                            \
  template struct TwoTowerT<T>;                                                       \
  template Status mlp_init(MlpT<T>&, const MlpOptions&, Rng&, const std::string&);    \
  template Status two_tower_init(TwoTowerT<T>&, const TwoTowerOptions&, Rng&);
LAB_MODEL_INSTANTIATE(float)
LAB_MODEL_INSTANTIATE(double)

}  // namespace lab::core::nn
