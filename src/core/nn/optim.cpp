#include "core/nn/optim.h"

#include <cmath>
#include <type_traits>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace lab::core::nn {

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
      if (o.opt.lazy && params[i].rows) {
        MatT<T>& w = *params[i].value;
        const MatT<T>& g = *params[i].grad;
        MatT<T>& vel = o.m[i];
        for (Index j = 0; j < w.cols(); ++j)
          for (int32_t r : params[i].rows->rows) {
            vel(r, j) = mom * vel(r, j) + g(r, j) + wd * w(r, j);
            w(r, j) -= lr * vel(r, j);
          }
        continue;
      }
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
    if (o.opt.lazy && params[i].rows) {
      // Lazy Adam: the touched rows only, with the global step count t for bias correction (as
      // torch.optim.SparseAdam). Column-major storage: walk each column over the touched rows.
      T* w = params[i].value->data();
      const T* g = params[i].grad->data();
      T* m = o.m[i].data();
      T* v = o.v[i].data();
      const Index ld = params[i].value->rows();
      for (Index j = 0; j < params[i].value->cols(); ++j) {
        const Index off = j * ld;
        for (int32_t r : params[i].rows->rows) {
          const Index k = off + r;
          const T gk = wd != T(0) ? g[k] + wd * w[k] : g[k];
          m[k] = tb1 * m[k] + ob1 * gk;
          v[k] = tb2 * v[k] + ob2 * (gk * gk);
          w[k] -= step * m[k] / (std::sqrt(v[k]) * inv_sqrt_c2 + eps);
        }
      }
      continue;
    }
#if defined(__wasm__)
    // WebAssembly: Eigen has no wasm packets, so its array expressions (three passes) are scalar;
    // one fused loop is faster, and with -msimd128 it is written with f32x4 operations.
    {
      T* w = params[i].value->data();
      const T* g = params[i].grad->data();
      T* m = o.m[i].data();
      T* v = o.v[i].data();
      const Index n = params[i].value->size();
      Index k = 0;
#if defined(__wasm_simd128__)
      if constexpr (std::is_same_v<T, float>) {
        const v128_t vb1 = wasm_f32x4_splat(tb1), vb2 = wasm_f32x4_splat(tb2), vo1 = wasm_f32x4_splat(ob1),
                     vo2 = wasm_f32x4_splat(ob2), vwd = wasm_f32x4_splat(wd), vstep = wasm_f32x4_splat(step),
                     vc2 = wasm_f32x4_splat(inv_sqrt_c2), veps = wasm_f32x4_splat(eps);
        for (; k + 4 <= n; k += 4) {
          v128_t gk = wasm_v128_load(g + k);
          const v128_t wk = wasm_v128_load(w + k);
          if (wd != T(0)) gk = wasm_f32x4_add(gk, wasm_f32x4_mul(vwd, wk));
          const v128_t mk = wasm_f32x4_add(wasm_f32x4_mul(vb1, wasm_v128_load(m + k)), wasm_f32x4_mul(vo1, gk));
          const v128_t vk = wasm_f32x4_add(wasm_f32x4_mul(vb2, wasm_v128_load(v + k)),
                                           wasm_f32x4_mul(vo2, wasm_f32x4_mul(gk, gk)));
          const v128_t den = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sqrt(vk), vc2), veps);
          wasm_v128_store(m + k, mk);
          wasm_v128_store(v + k, vk);
          wasm_v128_store(w + k, wasm_f32x4_sub(wk, wasm_f32x4_div(wasm_f32x4_mul(vstep, mk), den)));
        }
      }
#endif
      for (; k < n; ++k) {
        const T gk = wd != T(0) ? g[k] + wd * w[k] : g[k];
        m[k] = tb1 * m[k] + ob1 * gk;
        v[k] = tb2 * v[k] + ob2 * (gk * gk);
        w[k] -= step * m[k] / (std::sqrt(v[k]) * inv_sqrt_c2 + eps);
      }
      continue;
    }
#endif
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
