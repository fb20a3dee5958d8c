#include "core/nn/layers.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/nn/kernels.h"

namespace lab::core::nn {

// ---- Dense ---------------------------------------------------------------------------------------
template <class T>
void DenseT<T>::init(Index in, Index out, Rng& rng, bool relu_gain) {
  W.resize(in, out);
  if (relu_gain) {
    const double sd = std::sqrt(2.0 / double(std::max<Index>(in, 1)));
    for (Index j = 0; j < out; ++j)
      for (Index i = 0; i < in; ++i) W(i, j) = T(sd * rng_normal(rng));
  } else {
    const double a = std::sqrt(6.0 / double(std::max<Index>(in + out, 1)));
    for (Index j = 0; j < out; ++j)
      for (Index i = 0; i < in; ++i) W(i, j) = T(a * (2.0 * rng_uniform(rng) - 1.0));
  }
  b = MatT<T>::Zero(1, out);
  dW = MatT<T>::Zero(in, out);
  db = MatT<T>::Zero(1, out);
}

template <class T>
MatT<T> DenseT<T>::forward(const MatT<T>& in, const ForwardCtx&) {
  x = in;
  MatT<T> y;
  matmul(x, W, y);
  y.rowwise() += b.row(0);
  return y;
}

template <class T>
MatT<T> DenseT<T>::backward(const MatT<T>& d_out) {
  matmul_tn_add(x, d_out, dW);  // dW += x^T d_out
  db += d_out.colwise().sum();
  MatT<T> d_in;
  matmul_nt(d_out, W, d_in);  // d_in = d_out W^T
  return d_in;
}

template <class T>
std::vector<ParamRefT<T>> DenseT<T>::params() {
  return {{&W, &dW, name + ".W"}, {&b, &db, name + ".b"}};
}

template <class T>
void DenseT<T>::zero_grad() {
  dW.setZero();
  db.setZero();
}

// ---- Embedding -----------------------------------------------------------------------------------
Status ids_check(std::span<const int32_t> ids, Index vocab, const std::string& what) {
  for (size_t i = 0; i < ids.size(); ++i)
    if (ids[i] < 0 || Index(ids[i]) >= vocab)
      return Status::error(what + " id " + std::to_string(ids[i]) + " (sample " + std::to_string(i) +
                           ") is out of range: valid ids are 0.." + std::to_string(vocab - 1) +
                           ". Check the data, or build the model with a larger vocabulary.");
  return Status::success();
}

template <class T>
Status EmbeddingT<T>::init(Index vocab_size, Index dim_size, Rng& rng, T scale) {
  if (vocab_size <= 0 || dim_size <= 0)
    return Status::error(name + ": vocabulary size and dimension must be positive (got " +
                         std::to_string(vocab_size) + " x " + std::to_string(dim_size) + ")");
  if (Status st = param_memory_check(double(vocab_size) * double(dim_size),
                                     name + " (a " + memory_shape({double(vocab_size), double(dim_size)}) + " table)",
                                     "use a smaller embedding dimension or vocabulary");
      !st)
    return st;
  W.resize(vocab_size, dim_size);
  for (Index j = 0; j < dim_size; ++j)
    for (Index i = 0; i < vocab_size; ++i) W(i, j) = T(double(scale) * rng_normal(rng));
  dW = MatT<T>::Zero(vocab_size, dim_size);
  return Status::success();
}

template <class T>
Status EmbeddingT<T>::forward(std::span<const int32_t> in_ids, MatT<T>& out) {
  if (Status st = ids_check(in_ids, vocab(), name); !st) return st;
  ids.assign(in_ids.begin(), in_ids.end());
  const Index n = Index(ids.size()), d = dim();
  if (max_norm > 0) {
    for (int32_t id : ids) {
      const T norm = W.row(id).norm();
      if (norm > max_norm) W.row(id) *= max_norm / (norm + T(1e-7));
    }
  }
  out.resize(n, d);
  for (Index i = 0; i < n; ++i) out.row(i) = W.row(ids[size_t(i)]);
  return Status::success();
}

template <class T>
void EmbeddingT<T>::backward(const MatT<T>& d_out) {
  if (sparse_grad) {
    if (Index(touched.mark.size()) != vocab()) {
      touched.rows.clear();
      touched.mark.assign(size_t(vocab()), 0);
    }
    for (int32_t id : ids) touched.add(id);
  }
  for (Index i = 0; i < Index(ids.size()); ++i) dW.row(ids[size_t(i)]) += d_out.row(i);
}

template <class T>
std::vector<ParamRefT<T>> EmbeddingT<T>::params() {
  return {{&W, &dW, name + ".W", sparse_grad && Index(touched.mark.size()) == vocab() ? &touched : nullptr}};
}

template <class T>
void EmbeddingT<T>::zero_grad() {
  if (sparse_grad && Index(touched.mark.size()) == vocab()) {
    for (int32_t r : touched.rows) dW.row(r).setZero();
    touched.clear();
  } else {
    dW.setZero();
  }
}

// ---- Activations ---------------------------------------------------------------------------------
const char* act_name(Act a) {
  switch (a) {
    case Act::Relu: return "relu";
    case Act::Tanh: return "tanh";
    case Act::Sigmoid: return "sigmoid";
    case Act::Identity: return "identity";
  }
  return "?";
}

template <class T>
static T sigmoid(T z) {
  // Stable on both sides: exp of a non-positive number only.
  if (z >= 0) return T(1) / (T(1) + std::exp(-z));
  const T e = std::exp(z);
  return e / (T(1) + e);
}

template <class T>
MatT<T> ActivationT<T>::forward(const MatT<T>& in, const ForwardCtx&) {
  x = in;
  switch (kind) {
    case Act::Relu: y = in.cwiseMax(T(0)); break;
    case Act::Tanh: y = in.array().tanh().matrix(); break;
    case Act::Sigmoid: y = in.unaryExpr([](T z) { return sigmoid(z); }); break;
    case Act::Identity: y = in; break;
  }
  return y;
}

template <class T>
MatT<T> ActivationT<T>::backward(const MatT<T>& d_out) {
  switch (kind) {
    case Act::Relu: return (x.array() > T(0)).select(d_out, T(0));
    case Act::Tanh: return (d_out.array() * (T(1) - y.array().square())).matrix();
    case Act::Sigmoid: return (d_out.array() * y.array() * (T(1) - y.array())).matrix();
    case Act::Identity: return d_out;
  }
  return d_out;
}

// ---- Softmax -------------------------------------------------------------------------------------
template <class T>
MatT<T> softmax_rows(const MatT<T>& x) {
  MatT<T> y = x.colwise() - x.rowwise().maxCoeff();
  y = y.array().exp().matrix();
  const VecT<T> s = y.rowwise().sum();
  y.array().colwise() /= s.array();
  return y;
}
template MatT<float> softmax_rows(const MatT<float>&);
template MatT<double> softmax_rows(const MatT<double>&);

template <class T>
MatT<T> SoftmaxT<T>::forward(const MatT<T>& x, const ForwardCtx&) {
  y = softmax_rows(x);
  return y;
}

template <class T>
MatT<T> SoftmaxT<T>::backward(const MatT<T>& d_out) {
  // dx = y * (dy - sum_j dy_j y_j), row by row
  const VecT<T> dot = (d_out.array() * y.array()).rowwise().sum();
  return (y.array() * (d_out.array().colwise() - dot.array())).matrix();
}

// ---- Dropout -------------------------------------------------------------------------------------
template <class T>
MatT<T> DropoutT<T>::forward(const MatT<T>& x, const ForwardCtx& ctx) {
  last_train = ctx.mode() == Mode::Train && p > T(0);
  if (!last_train) return x;
  const T keep = T(1) - p;
  const T scale = keep > T(0) ? T(1) / keep : T(0);
  if (fixed_mask.rows() == x.rows() && fixed_mask.cols() == x.cols()) {
    mask = fixed_mask * scale;
  } else {
    mask.resize(x.rows(), x.cols());
    const double pd = double(p);
    for (Index j = 0; j < x.cols(); ++j)
      for (Index i = 0; i < x.rows(); ++i)
        mask(i, j) = rng_uniform(ctx.rng()) < pd ? T(0) : scale;
  }
  return (x.array() * mask.array()).matrix();
}

template <class T>
MatT<T> DropoutT<T>::backward(const MatT<T>& d_out) {
  if (!last_train) return d_out;
  return (d_out.array() * mask.array()).matrix();
}

// ---- BatchNorm1d ---------------------------------------------------------------------------------
template <class T>
void BatchNorm1dT<T>::init(Index features) {
  gamma = MatT<T>::Ones(1, features);
  beta = MatT<T>::Zero(1, features);
  d_gamma = MatT<T>::Zero(1, features);
  d_beta = MatT<T>::Zero(1, features);
  running_mean = MatT<T>::Zero(1, features);
  running_var = MatT<T>::Ones(1, features);
}

template <class T>
MatT<T> BatchNorm1dT<T>::forward(const MatT<T>& x, const ForwardCtx& ctx) {
  const Index n = x.rows();
  last_train = ctx.mode() == Mode::Train;
  if (last_train) {
    const RowVecT<T> mean = x.colwise().mean();
    const MatT<T> xc = x.rowwise() - mean;
    const RowVecT<T> var = xc.colwise().squaredNorm() / T(n);  // biased, used to normalise
    inv_std = (var.array() + eps).rsqrt().matrix();
    xhat = xc.array().rowwise() * inv_std.row(0).array();
    const T unbias = n > 1 ? T(n) / T(n - 1) : T(1);
    running_mean = (T(1) - momentum) * running_mean + momentum * mean;
    running_var = (T(1) - momentum) * running_var + momentum * unbias * var;
  } else {
    inv_std = (running_var.array() + eps).rsqrt().matrix();
    xhat = (x.rowwise() - running_mean.row(0)).array().rowwise() * inv_std.row(0).array();
  }
  MatT<T> y = xhat.array().rowwise() * gamma.row(0).array();
  y.rowwise() += beta.row(0);
  return y;
}

template <class T>
MatT<T> BatchNorm1dT<T>::backward(const MatT<T>& d_out) {
  d_beta += d_out.colwise().sum();
  d_gamma += (d_out.array() * xhat.array()).matrix().colwise().sum();
  const MatT<T> dxhat = d_out.array().rowwise() * gamma.row(0).array();
  if (!last_train) return dxhat.array().rowwise() * inv_std.row(0).array();
  // Training mode: the batch statistics depend on x too.
  //   dx = inv_std / N * (N dxhat - sum(dxhat) - xhat * sum(dxhat * xhat))
  const T n = T(d_out.rows());
  const RowVecT<T> sum_d = dxhat.colwise().sum();
  const RowVecT<T> sum_dx = (dxhat.array() * xhat.array()).matrix().colwise().sum();
  MatT<T> dx = (n * dxhat.array()).matrix();
  dx.rowwise() -= sum_d;
  dx -= (xhat.array().rowwise() * sum_dx.array()).matrix();
  dx.array().rowwise() *= (inv_std.row(0).array() / n);
  return dx;
}

template <class T>
std::vector<ParamRefT<T>> BatchNorm1dT<T>::params() {
  return {{&gamma, &d_gamma, name + ".gamma"}, {&beta, &d_beta, name + ".beta"}};
}

template <class T>
std::vector<ParamRefT<T>> BatchNorm1dT<T>::buffers() {
  return {{&running_mean, nullptr, name + ".running_mean"}, {&running_var, nullptr, name + ".running_var"}};
}

template <class T>
void BatchNorm1dT<T>::zero_grad() {
  d_gamma.setZero();
  d_beta.setZero();
}

// ---- Concat --------------------------------------------------------------------------------------
template <class T>
MatT<T> ConcatT<T>::forward(const std::vector<const MatT<T>*>& xs) {
  widths.clear();
  Index total = 0, n = xs.empty() ? 0 : xs[0]->rows();
  for (const MatT<T>* x : xs) {
    widths.push_back(x->cols());
    total += x->cols();
  }
  MatT<T> out(n, total);
  Index c = 0;
  for (const MatT<T>* x : xs) {
    out.middleCols(c, x->cols()) = *x;
    c += x->cols();
  }
  return out;
}

template <class T>
std::vector<MatT<T>> ConcatT<T>::backward(const MatT<T>& d_out) {
  std::vector<MatT<T>> parts;
  Index c = 0;
  for (Index w : widths) {
    parts.push_back(d_out.middleCols(c, w));
    c += w;
  }
  return parts;
}

// ---- Dot -----------------------------------------------------------------------------------------
template <class T>
MatT<T> DotT<T>::forward(const MatT<T>& in_a, const MatT<T>& in_b) {
  a = in_a;
  b = in_b;
  return (a.array() * b.array()).rowwise().sum().matrix();
}

template <class T>
void DotT<T>::backward(const MatT<T>& d_out, MatT<T>& d_a, MatT<T>& d_b) {
  d_a = (b.array().colwise() * d_out.col(0).array()).matrix();
  d_b = (a.array().colwise() * d_out.col(0).array()).matrix();
}

// ---- Cosine --------------------------------------------------------------------------------------
template <class T>
MatT<T> CosineT<T>::forward(const MatT<T>& in_a, const MatT<T>& in_b) {
  a = in_a;
  b = in_b;
  na = (a.rowwise().squaredNorm().array() + eps).sqrt().matrix();
  nb = (b.rowwise().squaredNorm().array() + eps).sqrt().matrix();
  s = ((a.array() * b.array()).rowwise().sum() / (na.array() * nb.array())).matrix();
  return s;
}

template <class T>
void CosineT<T>::backward(const MatT<T>& d_out, MatT<T>& d_a, MatT<T>& d_b) {
  // ds/da = b / (|a||b|) - s a / |a|^2, and symmetrically for b
  const VecT<T> g = d_out.col(0);
  const VecT<T> inv_ab = (na.array() * nb.array()).inverse().matrix();
  d_a = (b.array().colwise() * (g.array() * inv_ab.array())).matrix() -
        (a.array().colwise() * (g.array() * s.col(0).array() / na.col(0).array().square())).matrix();
  d_b = (a.array().colwise() * (g.array() * inv_ab.array())).matrix() -
        (b.array().colwise() * (g.array() * s.col(0).array() / nb.col(0).array().square())).matrix();
}

// ---- MeanPool ------------------------------------------------------------------------------------
template <class T>
Status MeanPoolT<T>::forward(const MatT<T>& x, std::span<const Index> offs, MatT<T>& out) {
  if (offs.size() < 2 || offs.front() != 0 || offs.back() != x.rows())
    return Status::error("mean pool: offsets must run from 0 to the " + std::to_string(x.rows()) +
                         " input rows, one bag per sample");
  for (size_t b = 0; b + 1 < offs.size(); ++b)
    if (offs[b + 1] < offs[b]) return Status::error("mean pool: offsets must not decrease (bag " + std::to_string(b) + ")");
  offsets.assign(offs.begin(), offs.end());
  rows = x.rows();
  const Index n = Index(offs.size()) - 1;
  out = MatT<T>::Zero(n, x.cols());
  for (Index b = 0; b < n; ++b) {
    const Index len = offs[size_t(b) + 1] - offs[size_t(b)];
    if (len > 0) out.row(b) = x.middleRows(offs[size_t(b)], len).colwise().sum() / T(len);
  }
  return Status::success();
}

template <class T>
MatT<T> MeanPoolT<T>::backward(const MatT<T>& d_out) {
  MatT<T> dx(rows, d_out.cols());
  for (Index b = 0; b + 1 < Index(offsets.size()); ++b) {
    const Index start = offsets[size_t(b)], len = offsets[size_t(b) + 1] - start;
    for (Index r = start; r < start + len; ++r) dx.row(r) = d_out.row(b) / T(len);
  }
  return dx;
}

#define LAB_NN_INSTANTIATE(T)      \
  template struct DenseT<T>;       \
  template struct EmbeddingT<T>;   \
  template struct ActivationT<T>;  \
  template struct SoftmaxT<T>;     \
  template struct DropoutT<T>;     \
  template struct BatchNorm1dT<T>; \
  template struct ConcatT<T>;      \
  template struct DotT<T>;         \
  template struct CosineT<T>;       \
  template struct MeanPoolT<T>;
LAB_NN_INSTANTIATE(float)
LAB_NN_INSTANTIATE(double)

}  // namespace lab::core::nn
