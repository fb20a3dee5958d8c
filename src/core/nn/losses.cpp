#include "core/nn/losses.h"

#include <cmath>

#include "core/nn/layers.h"

namespace lab::core::nn {

template <class T>
static Status same_shape(const MatT<T>& a, const MatT<T>& b, const char* what) {
  if (a.rows() == b.rows() && a.cols() == b.cols() && a.size() > 0) return Status::success();
  return Status::error(std::string(what) + ": prediction is " + std::to_string(a.rows()) + " x " +
                       std::to_string(a.cols()) + " but target is " + std::to_string(b.rows()) + " x " +
                       std::to_string(b.cols()) + " (both must be the same non-empty shape)");
}

template <class T>
LossT<T> mse_loss(const MatT<T>& pred, const MatT<T>& target) {
  LossT<T> r;
  if (r.status = same_shape(pred, target, "MSE loss"); !r.status) return r;
  const MatT<T> diff = pred - target;
  const T n = T(diff.size());
  r.value = diff.squaredNorm() / n;
  r.grad = diff * (T(2) / n);
  return r;
}

template <class T>
LossT<T> mae_loss(const MatT<T>& pred, const MatT<T>& target) {
  LossT<T> r;
  if (r.status = same_shape(pred, target, "MAE loss"); !r.status) return r;
  const MatT<T> diff = pred - target;
  const T n = T(diff.size());
  r.value = diff.cwiseAbs().sum() / n;
  r.grad = diff.unaryExpr([n](T d) { return d > 0 ? T(1) / n : (d < 0 ? T(-1) / n : T(0)); });
  return r;
}

template <class T>
LossT<T> bce_with_logits_loss(const MatT<T>& z, const MatT<T>& y) {
  LossT<T> r;
  if (r.status = same_shape(z, y, "binary cross-entropy"); !r.status) return r;
  const T n = T(z.size());
  double sum = 0;
  r.grad.resize(z.rows(), z.cols());
  for (Index j = 0; j < z.cols(); ++j)
    for (Index i = 0; i < z.rows(); ++i) {
      const T zi = z(i, j), yi = y(i, j);
      sum += double(std::max(zi, T(0)) - zi * yi + std::log1p(std::exp(-std::abs(zi))));
      const T s = zi >= 0 ? T(1) / (T(1) + std::exp(-zi)) : std::exp(zi) / (T(1) + std::exp(zi));
      r.grad(i, j) = (s - yi) / n;
    }
  r.value = T(sum / double(n));
  return r;
}

template <class T>
LossT<T> softmax_cross_entropy_loss(const MatT<T>& z, std::span<const int32_t> labels) {
  LossT<T> r;
  if (z.rows() == 0 || z.cols() == 0 || Index(labels.size()) != z.rows()) {
    r.status = Status::error("softmax cross-entropy: " + std::to_string(z.rows()) + " rows of logits but " +
                             std::to_string(labels.size()) + " labels (need one label per row)");
    return r;
  }
  if (r.status = ids_check(labels, z.cols(), "class label"); !r.status) return r;
  const Index n = z.rows();
  const VecT<T> mx = z.rowwise().maxCoeff();
  const MatT<T> e = (z.colwise() - mx).array().exp().matrix();
  const VecT<T> s = e.rowwise().sum();
  double sum = 0;
  for (Index i = 0; i < n; ++i) sum += double(std::log(s(i)) + mx(i) - z(i, labels[size_t(i)]));
  r.value = T(sum / double(n));
  r.grad = e.array().colwise() / (s.array() * T(n));
  for (Index i = 0; i < n; ++i) r.grad(i, labels[size_t(i)]) -= T(1) / T(n);
  return r;
}

template <class T>
TripletLossT<T> triplet_margin_loss(const MatT<T>& a, const MatT<T>& p, const MatT<T>& ng, T margin,
                                    Measure sim) {
  TripletLossT<T> r;
  if (!same_shape(a, p, "triplet loss") || !same_shape(a, ng, "triplet loss")) {
    r.status = Status::error("triplet loss: anchor, positive and negative must have the same non-empty shape (got " +
                             std::to_string(a.rows()) + "x" + std::to_string(a.cols()) + ", " +
                             std::to_string(p.rows()) + "x" + std::to_string(p.cols()) + ", " +
                             std::to_string(ng.rows()) + "x" + std::to_string(ng.cols()) + ")");
    return r;
  }
  if (!measure_is_similarity(sim)) {
    r.status = Status::error("triplet loss: scores by dot product or cosine, not by " + std::string(measure_name(sim)) +
                             " (a distance: smaller is closer)");
    return r;
  }
  const Index n = a.rows();
  MatT<T> s_ap, s_an;
  DotT<T> dot_ap, dot_an;
  CosineT<T> cos_ap, cos_an;
  if (sim == Measure::Dot) {
    s_ap = dot_ap.forward(a, p);
    s_an = dot_an.forward(a, ng);
  } else {
    s_ap = cos_ap.forward(a, p);
    s_an = cos_an.forward(a, ng);
  }
  MatT<T> g_ap(n, 1), g_an(n, 1);
  double sum = 0;
  Index active = 0;
  for (Index i = 0; i < n; ++i) {
    const T h = margin - s_ap(i, 0) + s_an(i, 0);
    const bool on = h > T(0);
    sum += on ? double(h) : 0.0;
    active += on;
    g_ap(i, 0) = on ? T(-1) / T(n) : T(0);
    g_an(i, 0) = on ? T(1) / T(n) : T(0);
  }
  r.value = T(sum / double(n));
  r.active_fraction = T(active) / T(n);
  MatT<T> da1, dp, da2, dn;
  if (sim == Measure::Dot) {
    dot_ap.backward(g_ap, da1, dp);
    dot_an.backward(g_an, da2, dn);
  } else {
    cos_ap.backward(g_ap, da1, dp);
    cos_an.backward(g_an, da2, dn);
  }
  r.d_anchor = da1 + da2;
  r.d_pos = std::move(dp);
  r.d_neg = std::move(dn);
  return r;
}

template <class T>
T l2_penalty(const std::vector<ParamRefT<T>>& params, T lambda) {
  double sum = 0;
  for (const auto& p : params) {
    sum += double(p.value->squaredNorm());
    if (p.grad) *p.grad += (T(2) * lambda) * *p.value;
  }
  return T(double(lambda) * sum);
}

template <class T>
double accuracy(const MatT<T>& logits, std::span<const int32_t> labels) {
  if (logits.rows() == 0 || Index(labels.size()) != logits.rows()) return 0;
  Index hits = 0;
  for (Index i = 0; i < logits.rows(); ++i) {
    Index k = 0;
    logits.row(i).maxCoeff(&k);
    hits += k == Index(labels[size_t(i)]);
  }
  return double(hits) / double(logits.rows());
}

#define LAB_LOSS_INSTANTIATE(T)                                                                         \
  template LossT<T> mse_loss(const MatT<T>&, const MatT<T>&);                                           \
  template LossT<T> mae_loss(const MatT<T>&, const MatT<T>&);                                           \
  template LossT<T> bce_with_logits_loss(const MatT<T>&, const MatT<T>&);                               \
  template LossT<T> softmax_cross_entropy_loss(const MatT<T>&, std::span<const int32_t>);              \
  template TripletLossT<T> triplet_margin_loss(const MatT<T>&, const MatT<T>&, const MatT<T>&, T,       \
                                               Measure);                                             \
  template T l2_penalty(const std::vector<ParamRefT<T>>&, T);                                           \
  template double accuracy(const MatT<T>&, std::span<const int32_t>);
LAB_LOSS_INSTANTIATE(float)
LAB_LOSS_INSTANTIATE(double)

}  // namespace lab::core::nn
