// Shared vocabulary of the training engine (src/core/nn):
//  - MatT<T>: a dense matrix, rows are samples. Every layer, loss and model is a template on the
//    scalar type T; the app instantiates T = float (`Dense`, `Mlp`, ...), the gradient checks
//    T = double (`DenseD`, `MlpD`, ...) — the very same code, so a check in double proves the float path.
//  - ParamRef: one trainable tensor (value + gradient + name). A model's params() lists all of them
//    in a fixed order; that one list feeds the optimiser, the gradient checks, parameter counts and
//    save/load. state() = params() + non-trainable buffers (BatchNorm running statistics).
//  - ForwardCtx: the explicit mode (Train/Eval) and random stream (dropout masks) of a forward pass.
// Conventions: forward() caches what backward() needs; backward(d_out) ADDS to parameter gradients
// and returns d_in; zero_grad() clears gradients explicitly (the trainer calls it once per batch).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/memory_budget.h"
#include "core/rng.h"
#include "core/status.h"
#include "core/types.h"

namespace lab::core::nn {

template <class T>
using MatT = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using VecT = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <class T>
using RowVecT = Eigen::Matrix<T, 1, Eigen::Dynamic>;

using Ids = std::vector<int32_t>;  // row indices into an embedding table, one per sample

// The rows of a gradient that may be non-zero (an Embedding with sparse_grad = true records the rows
// its backward touched). Zeroing, the gradient norm and a lazy optimiser visit only these rows; the
// gradient itself stays a dense matrix, exact everywhere (zero outside the rows).
struct RowSet {
  Ids rows;                   // each touched row once, in first-touched order
  std::vector<uint8_t> mark;  // mark[r] = 1 iff r is in rows
  void add(int32_t r) {
    if (!mark[size_t(r)]) {
      mark[size_t(r)] = 1;
      rows.push_back(r);
    }
  }
  void clear() {
    for (int32_t r : rows) mark[size_t(r)] = 0;
    rows.clear();
  }
};

template <class T>
struct ParamRefT {
  MatT<T>* value = nullptr;
  MatT<T>* grad = nullptr;  // nullptr for a non-trainable buffer (see state())
  std::string name;         // unique within a model, e.g. "mlp.dense0.W"
  RowSet* rows = nullptr;   // set: the gradient is zero outside these rows (row-sparse embedding)
};
using ParamRef = ParamRefT<Scalar>;

enum class Mode { Train, Eval };

// How a forward pass runs. Made only by ctx_train (which takes the generator Dropout draws its masks
// from) and ctx_eval, so a training pass always has a generator: there is no unseeded dropout.
class ForwardCtx {
 public:
  Mode mode() const { return mode_; }
  Rng& rng() const { return *rng_; }  // Train mode only

 private:
  ForwardCtx(Mode mode, Rng* rng) : mode_(mode), rng_(rng) {}
  friend ForwardCtx ctx_train(Rng& rng);
  friend ForwardCtx ctx_eval();
  Mode mode_;
  Rng* rng_;
};

inline ForwardCtx ctx_train(Rng& rng) { return ForwardCtx(Mode::Train, &rng); }
inline ForwardCtx ctx_eval() { return ForwardCtx(Mode::Eval, nullptr); }

// Number of scalars over a parameter list (what the lab shows students as "parameters").
template <class T>
int64_t param_count(const std::vector<ParamRefT<T>>& params) {
  int64_t n = 0;
  for (const auto& p : params) n += int64_t(p.value->size());
  return n;
}

template <class T>
void params_zero_grad(const std::vector<ParamRefT<T>>& params) {
  for (const auto& p : params) {
    if (!p.grad) continue;
    if (p.rows) {
      for (int32_t r : p.rows->rows) p.grad->row(r).setZero();
      p.rows->clear();
    } else {
      p.grad->setZero();
    }
  }
}

// Euclidean norm of all gradients together (each tensor's sum of squares in T, the total in
// double). An overflow to infinity is reported as an infinite norm: that is an exploding gradient.
template <class T>
double grad_norm(const std::vector<ParamRefT<T>>& params) {
  double s = 0;
  for (const auto& p : params) {
    if (!p.grad) continue;
    if (p.rows) {  // row-sparse: only the touched rows can be non-zero
      for (int32_t r : p.rows->rows) s += double(p.grad->row(r).squaredNorm());
      continue;
    }
    // 8 independent partial sums: vectorisable and pipelined on every target (a single running sum
    // is a serial dependency chain where the compiler may not reorder float additions).
    const T* d = p.grad->data();
    const Index n = p.grad->size();
    T acc[8] = {};
    Index k = 0;
    for (; k + 8 <= n; k += 8)
      for (int j = 0; j < 8; ++j) acc[j] += d[k + j] * d[k + j];
    for (; k < n; ++k) acc[0] += d[k] * d[k];
    for (int j = 0; j < 8; ++j) s += double(acc[j]);
  }
  return std::sqrt(s);
}

// Memory the lab allows for one model's parameters + gradients + optimiser state (Adam keeps two
// more copies): 4 copies of every parameter must fit the lab's memory budget (core/memory_budget.h).
constexpr int64_t kParamMemoryBudgetBytes = kMemoryBudgetBytes;
constexpr int kParamMemoryCopies = 4;

// The budget check for `count` parameters (a double: a product of sizes that cannot wrap), checked
// before the tensors are allocated. `what` names the model, `hint` says what to make smaller.
inline Status param_memory_check(double count, std::string_view what, std::string_view hint) {
  return memory_check(count * double(sizeof(float)) * kParamMemoryCopies, what,
                      memory_shape({count}) + " parameters with their gradients and optimiser state",
                      hint);
}

}  // namespace lab::core::nn
