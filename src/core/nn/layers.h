// Layers of the training engine. Each is a small struct:
//   out  = layer.forward(x, ctx)    caches what backward needs (x, the output, a mask, ...)
//   d_in = layer.backward(d_out)    ADDS parameter gradients (dW += ...) and returns dL/dx
//   layer.params()                  trainable tensors, in a fixed order, for optimisers/checks/saving
//   layer.zero_grad()
// Shapes: x is (N, in), out is (N, out); N samples per mini-batch. Merges (Concat, Dot, Cosine) take
// several inputs and return one gradient per input. See tensor.h for T, ParamRef and ForwardCtx.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/nn/tensor.h"
#include "core/status.h"

namespace lab::core::nn {

// ---- Dense: y = x W + b, W is (in, out), b is (1, out) ----------------------------------------
template <class T>
struct DenseT {
  MatT<T> W, b, dW, db;
  MatT<T> x;  // cached input
  std::string name = "dense";

  // Glorot-uniform W (good for tanh/sigmoid), or He-normal when relu_gain (good for ReLU); b = 0.
  void init(Index in, Index out, Rng& rng, bool relu_gain = true);
  MatT<T> forward(const MatT<T>& x, const ForwardCtx& ctx);
  MatT<T> backward(const MatT<T>& d_out);
  std::vector<ParamRefT<T>> params();
  void zero_grad();
  Index in_dim() const { return W.rows(); }
  Index out_dim() const { return W.cols(); }
};

// ---- Embedding: row lookup out[i] = W[ids[i]], W is (vocab, dim) -------------------------------
// forward() validates ids (an out-of-range id is an error, never a stray read). backward() is a
// scatter-add: a row looked up twice in one batch receives both gradients. Optional max_norm
// (> 0): rows used in a forward pass are rescaled in place to norm <= max_norm first (as
// torch.nn.Embedding(max_norm=...)); the rescaling itself is not differentiated.
// sparse_grad (as torch.nn.Embedding(sparse=True)): backward records the rows it touched, so zeroing
// the gradient, its norm and a lazy optimiser (OptimOptions::lazy) cost O(batch) rather than
// O(vocab). The maths is unchanged. Set it before the first backward.
template <class T>
struct EmbeddingT {
  MatT<T> W, dW;
  T max_norm = 0;
  bool sparse_grad = false;
  RowSet touched;  // sparse_grad: rows of dW that may be non-zero
  Ids ids;  // cached
  std::string name = "embedding";

  // W ~ Normal(0, scale^2). Fails if vocab x dim exceeds the memory budget (tensor.h).
  Status init(Index vocab, Index dim, Rng& rng, T scale = T(0.1));
  Status forward(std::span<const int32_t> ids, MatT<T>& out);
  void backward(const MatT<T>& d_out);
  std::vector<ParamRefT<T>> params();
  void zero_grad();
  Index vocab() const { return W.rows(); }
  Index dim() const { return W.cols(); }
};

// Checks that every id is in [0, vocab); the message names the first bad one.
Status ids_check(std::span<const int32_t> ids, Index vocab, const std::string& what);

// ---- Element-wise activations (no parameters) --------------------------------------------------
enum class Act { Relu, Tanh, Sigmoid, Identity };
const char* act_name(Act a);

template <class T>
struct ActivationT {
  Act kind = Act::Relu;
  MatT<T> x, y;  // cached input and output
  MatT<T> forward(const MatT<T>& x, const ForwardCtx& ctx);
  MatT<T> backward(const MatT<T>& d_out);  // ReLU'(0) is taken as 0
  std::vector<ParamRefT<T>> params() { return {}; }
  void zero_grad() {}
};

// ---- Softmax over each row (numerically stable: subtracts the row max) --------------------------
template <class T>
struct SoftmaxT {
  MatT<T> y;
  MatT<T> forward(const MatT<T>& x, const ForwardCtx& ctx);
  MatT<T> backward(const MatT<T>& d_out);
  std::vector<ParamRefT<T>> params() { return {}; }
  void zero_grad() {}
};

// Row-wise softmax as a plain function (also used by the cross-entropy loss).
template <class T>
MatT<T> softmax_rows(const MatT<T>& x);

// ---- Dropout (inverted): train: out = x * mask / (1 - p), mask_ij ~ Bernoulli(1 - p) from ctx.rng;
// eval: out = x. Equivalent to the slides' "keep all units at test time and scale by (1 - p)".
// For gradient checks set fixed_mask (0/1 entries, same shape as x): it is used instead of drawing.
template <class T>
struct DropoutT {
  T p = 0;              // probability of dropping a unit, in [0, 1)
  MatT<T> fixed_mask;   // empty: draw a fresh mask every training forward
  MatT<T> mask;         // the mask * 1/(1-p) of the last training forward (cached)
  bool last_train = false;
  MatT<T> forward(const MatT<T>& x, const ForwardCtx& ctx);
  MatT<T> backward(const MatT<T>& d_out);
  std::vector<ParamRefT<T>> params() { return {}; }
  void zero_grad() {}
};

// ---- BatchNorm1d over feature columns ------------------------------------------------------------
// train: normalise with the batch mean and (biased) variance, then running = (1 - momentum) *
// running + momentum * batch (running_var uses the unbiased batch variance, as PyTorch);
// eval: normalise with running_mean / running_var. out = gamma * xhat + beta.
// 2 x features trainable parameters (gamma, beta) + 2 x features running statistics (state()).
template <class T>
struct BatchNorm1dT {
  MatT<T> gamma, beta, d_gamma, d_beta;        // (1, F)
  MatT<T> running_mean, running_var;           // (1, F)
  T momentum = T(0.1), eps = T(1e-5);
  MatT<T> xhat, inv_std;                       // cached (N, F) and (1, F)
  bool last_train = false;
  std::string name = "bn";

  void init(Index features);
  MatT<T> forward(const MatT<T>& x, const ForwardCtx& ctx);
  MatT<T> backward(const MatT<T>& d_out);
  std::vector<ParamRefT<T>> params();
  std::vector<ParamRefT<T>> buffers();  // running_mean, running_var (grad = nullptr)
  void zero_grad();
};

// ---- Concat: [x0 | x1 | ...] along features; backward splits d_out back into the pieces --------
template <class T>
struct ConcatT {
  std::vector<Index> widths;
  MatT<T> forward(const std::vector<const MatT<T>*>& xs);
  std::vector<MatT<T>> backward(const MatT<T>& d_out);
};

// ---- Dot: s_i = <a_i, b_i>, output (N, 1) ---------------------------------------------------------
template <class T>
struct DotT {
  MatT<T> a, b;
  MatT<T> forward(const MatT<T>& a, const MatT<T>& b);
  void backward(const MatT<T>& d_out, MatT<T>& d_a, MatT<T>& d_b);
};

// ---- Cosine: s_i = <a_i, b_i> / (|a_i| |b_i|), output (N, 1) ------------------------------------
// Norms are sqrt(|a|^2 + eps) so a zero vector gives similarity 0 instead of NaN (and the gradient
// is the exact derivative of that smoothed formula).
template <class T>
struct CosineT {
  T eps = T(1e-8);
  MatT<T> a, b, na, nb, s;  // cached inputs, norms (N,1), similarities (N,1)
  MatT<T> forward(const MatT<T>& a, const MatT<T>& b);
  void backward(const MatT<T>& d_out, MatT<T>& d_a, MatT<T>& d_b);
};

// ---- MeanPool: out_b = mean of rows offsets[b] .. offsets[b+1]-1 of x ------------------------------
// A bag of looked-up embeddings per sample averaged into one vector: Embedding + MeanPool is
// torch.nn.EmbeddingBag(mode="mean"), and the YouTube model's "a user is the average of the movies
// they watched". offsets has batch + 1 entries, starts at 0 and ends at x.rows(); an empty bag gives
// a zero row (and no gradient). backward spreads d_out_b evenly over the bag's rows.
template <class T>
struct MeanPoolT {
  std::vector<Index> offsets;  // cached
  Index rows = 0;
  Status forward(const MatT<T>& x, std::span<const Index> offsets, MatT<T>& out);
  MatT<T> backward(const MatT<T>& d_out);
};

using Dense = DenseT<Scalar>;
using Embedding = EmbeddingT<Scalar>;
using Activation = ActivationT<Scalar>;
using Softmax = SoftmaxT<Scalar>;
using Dropout = DropoutT<Scalar>;
using BatchNorm1d = BatchNorm1dT<Scalar>;
using Concat = ConcatT<Scalar>;
using Dot = DotT<Scalar>;
using Cosine = CosineT<Scalar>;
using MeanPool = MeanPoolT<Scalar>;
using DenseD = DenseT<double>;
using EmbeddingD = EmbeddingT<double>;

}  // namespace lab::core::nn
