// How good is an embedding? Three numbers the lessons and the benchmark report:
//   trustworthiness (Venna & Kaski 2001, as sklearn.manifold.trustworthiness): 1 minus a penalty for
//     each embedding neighbour that is not among the k nearest in the input space, by how far it is;
//   k-NN label accuracy: leave-one-out k-NN majority vote in the embedding (ties: the smallest label);
//   KL divergence between two discrete distributions (t-SNE's own cost is tsne_kl in tsne.h).
#pragma once

#include <cstdint>
#include <span>

#include "core/status.h"
#include "core/types.h"

namespace lab::core {

// x (N, D) input, y (N, d) embedding, 1 <= k < N/2 (as scikit-learn requires). Input distances are
// Euclidean in double; ties in the input ranking go to the lower index.
Status trustworthiness_compute(const Mat& x, const Mat& y, int k, double& out);

// Share of points whose label equals the majority label of their k nearest other points in y
// (Euclidean; neighbour ties to the lower index; vote ties to the smallest label). labels.size() == N.
Status knn_accuracy_compute(const Mat& y, std::span<const int32_t> labels, int k, double& out);

// sum_i p_i log(p_i / q_i) in nats; terms with p_i = 0 are 0; p_i > 0 with q_i = 0 gives +inf.
double kl_divergence(std::span<const double> p, std::span<const double> q);

}  // namespace lab::core
