// Losses and regularisers. Each returns the mean loss over the batch and dLoss/dInput, so
// `model.backward(loss.grad)` continues the chain. Shape or label errors come back in .status
// (value 0, grad empty) instead of undefined behaviour.
#pragma once

#include <span>
#include <vector>

#include "core/embed/similarity.h"
#include "core/nn/tensor.h"
#include "core/status.h"

namespace lab::core::nn {

template <class T>
struct LossT {
  T value = 0;
  MatT<T> grad;  // same shape as the prediction / logits
  Status status;
};

// mean((pred - target)^2) over all entries
template <class T>
LossT<T> mse_loss(const MatT<T>& pred, const MatT<T>& target);

// mean(|pred - target|); the gradient at pred == target is taken as 0. Also the MAE metric.
template <class T>
LossT<T> mae_loss(const MatT<T>& pred, const MatT<T>& target);

// Binary cross-entropy on logits z with targets y in [0, 1]:
// mean(max(z, 0) - z y + log(1 + exp(-|z|))), stable for any z; grad = (sigmoid(z) - y) / n.
template <class T>
LossT<T> bce_with_logits_loss(const MatT<T>& logits, const MatT<T>& target);

// Softmax cross-entropy on logits (N, C) with integer labels in [0, C):
// mean(logsumexp(z_i) - z_i[label_i]) (max-subtracted); grad = (softmax(z) - onehot) / N.
template <class T>
LossT<T> softmax_cross_entropy_loss(const MatT<T>& logits, std::span<const int32_t> labels);

// Triplet margin loss mean_i max(0, margin - s(a_i, p_i) + s(a_i, n_i)) with s = dot or cosine
// (core::Measure; a distance is an error: the loss is written for similarities, larger = closer).
// The gradient at the hinge (argument exactly 0) is taken as 0.
template <class T>
struct TripletLossT {
  T value = 0;
  MatT<T> d_anchor, d_pos, d_neg;
  T active_fraction = 0;  // share of triplets inside the margin (those that still teach something)
  Status status;
};
template <class T>
TripletLossT<T> triplet_margin_loss(const MatT<T>& anchor, const MatT<T>& pos, const MatT<T>& neg, T margin,
                                    Measure sim);

// L2 penalty lambda * sum ||P||^2 over the given parameters (e.g. only the embeddings, as in the
// lecture). Returns the penalty and ADDS 2 lambda P to each parameter's gradient.
template <class T>
T l2_penalty(const std::vector<ParamRefT<T>>& params, T lambda);

// Share of rows whose argmax equals the label (classification accuracy).
template <class T>
double accuracy(const MatT<T>& logits, std::span<const int32_t> labels);

}  // namespace lab::core::nn
