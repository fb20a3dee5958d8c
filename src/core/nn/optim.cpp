#include "core/nn/optim.h"

#include <cmath>

namespace lab::core::nn {

const char* optim_name(OptimKind k) { return k == OptimKind::Sgd ? "sgd" : "adam"; }

template <class T>
void optim_reset(OptimizerT<T>& o) {
  o.t = 0;
  o.m.clear();
  o.v.clear();
}

template <class T>
static bool state_matches(const std::vector<MatT<T>>& s, const std::vector<ParamRefT<T>>& params) {
  if (s.size() != params.size()) return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i].rows() != params[i].value->rows() || s[i].cols() != params[i].value->cols()) return false;
  return true;
}

template <class T>
Status optim_step(OptimizerT<T>& o, const std::vector<ParamRefT<T>>& params) {
  Status st;
  const bool adam = o.opt.kind == OptimKind::Adam;
  if (!state_matches(o.m, params) || (adam && !state_matches(o.v, params))) {
    if (!o.m.empty())
      st = Status::error("optimiser: the parameter list changed shape; optimiser state was reset");
    optim_reset(o);
    for (const auto& p : params) {
      o.m.push_back(MatT<T>::Zero(p.value->rows(), p.value->cols()));
      if (adam) o.v.push_back(MatT<T>::Zero(p.value->rows(), p.value->cols()));
    }
  }
  ++o.t;
  const T lr = T(o.opt.lr), wd = T(o.opt.weight_decay);
  if (!adam) {
    const T mom = T(o.opt.momentum);
    for (size_t i = 0; i < params.size(); ++i) {
      if (!params[i].grad) continue;
      auto w = params[i].value->array();
      auto g = params[i].grad->array();
      auto vel = o.m[i].array();
      if (wd != T(0)) vel = mom * vel + g + wd * w;
      else vel = mom * vel + g;
      w -= lr * vel;
    }
    return st;
  }
  const double b1 = o.opt.beta1, b2 = o.opt.beta2;
  // Bias corrections 1 - beta^t, folded into a step size and an eps (the same maths, fewer ops):
  //   lr * m_hat / (sqrt(v_hat) + eps) = (lr / c1) * m / (sqrt(v) / sqrt(c2) + eps)
  const double c1 = 1.0 - std::pow(b1, double(o.t)), c2 = 1.0 - std::pow(b2, double(o.t));
  const T step = T(o.opt.lr / c1), inv_sqrt_c2 = T(1.0 / std::sqrt(c2)), eps = T(o.opt.eps);
  const T tb1 = T(b1), tb2 = T(b2), ob1 = T(1.0 - b1), ob2 = T(1.0 - b2);
  (void)lr;
  for (size_t i = 0; i < params.size(); ++i) {
    if (!params[i].grad) continue;
    // Whole-array expressions: Eigen vectorises them (sqrt included) where it has SIMD packets.
    auto w = params[i].value->array();
    auto m = o.m[i].array();
    auto v = o.v[i].array();
    if (wd != T(0)) {
      const auto g = params[i].grad->array() + wd * w;
      m = tb1 * m + ob1 * g;
      v = tb2 * v + ob2 * g.square();
    } else {
      const auto g = params[i].grad->array();
      m = tb1 * m + ob1 * g;
      v = tb2 * v + ob2 * g.square();
    }
    w -= step * m / (v.sqrt() * inv_sqrt_c2 + eps);
  }
  return st;
}

template Status optim_step(OptimizerT<float>&, const std::vector<ParamRefT<float>>&);
template Status optim_step(OptimizerT<double>&, const std::vector<ParamRefT<double>>&);
template void optim_reset(OptimizerT<float>&);
template void optim_reset(OptimizerT<double>&);

}  // namespace lab::core::nn
