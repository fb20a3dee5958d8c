// Optimisers. State (velocity, Adam moments) is kept per parameter in the order of the ParamRef list
// the model returns, so always pass the same model's params(): a list of a different length or
// shape resets the state (and optim_step reports it through the returned Status).
//
// Weight decay is the classic L2 form, added to the gradient before the update (g += wd * w), as in
// torch.optim.SGD / torch.optim.Adam.
#pragma once

#include <vector>

#include "core/nn/tensor.h"
#include "core/status.h"

namespace lab::core::nn {

enum class OptimKind { Sgd, Adam };

struct OptimOptions {
  OptimKind kind = OptimKind::Adam;
  double lr = 1e-3;
  double momentum = 0.9;      // SGD only; 0 = plain SGD
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;  // Adam only
  double weight_decay = 0;
  // Lazy (sparse) updates for row-sparse gradients (ParamRef::rows: embeddings with sparse_grad):
  // only the rows the batch touched have their moments (and weight decay) updated and move, as
  // torch.optim.SparseAdam / TensorFlow's LazyAdam. Cost O(batch) instead of O(vocab) per step.
  // NOT the same maths as dense Adam/momentum, where untouched rows keep moving with their decaying
  // first moment. Plain SGD (momentum 0, no weight decay) gives identical results either way.
  // Parameters without a row set are always updated densely.
  bool lazy = false;
};

template <class T>
struct OptimizerT {
  OptimOptions opt;
  int64_t t = 0;                    // steps taken (Adam's bias correction)
  std::vector<MatT<T>> m, v;        // SGD: m = velocity; Adam: first and second moments
};
using Optimizer = OptimizerT<Scalar>;

// One update of every parameter from its current gradient.
//  SGD+momentum:  v = momentum v + g;  w -= lr v
//  Adam:          m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
//                 m_hat = m / (1 - b1^t);  v_hat = v / (1 - b2^t);  w -= lr m_hat / (sqrt(v_hat) + eps)
template <class T>
Status optim_step(OptimizerT<T>& o, const std::vector<ParamRefT<T>>& params);

template <class T>
void optim_reset(OptimizerT<T>& o);

}  // namespace lab::core::nn
