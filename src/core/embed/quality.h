// How good is an embedding? The numbers the lessons and the benchmark report:
//   trustworthiness (Venna & Kaski 2001, as sklearn.manifold.trustworthiness): 1 minus a penalty for
//     each embedding neighbour that is not among the k nearest in the input space, by how far it is;
//   k-NN label accuracy: leave-one-out k-NN majority vote in the embedding (ties: the smallest label);
//   KL divergence between two discrete distributions (t-SNE's own cost is tsne_kl in tsne.h).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/embed/knn.h"
#include "core/status.h"
#include "core/types.h"

namespace lab::core {

// ---- The measures of a layout, in pieces --------------------------------------------------------
// One pass over the points measures, for each point i: the rank in the input space of each of its
// k_trust nearest layout neighbours (trustworthiness), the label vote of its k_vote nearest layout
// neighbours (k-NN accuracy) and of its k_vote nearest input neighbours (the input space's own
// k-NN accuracy). A step does a block of points, so a browser frame never waits for all N; the
// one-shot functions below are loops over the same steps.
struct LayoutQualityJob {
  MatD x;                         // (N, D) input in double; empty: no trustworthiness, no input vote
  MatD y;                         // (N, d) layout in double
  std::vector<int32_t> labels;    // (N), or empty: no accuracies
  int k_trust = 0, k_vote = 0;    // 0: that measure is not wanted
  // Progress and accumulators.
  Index next = 0;                 // points done
  double penalty = 0;
  Index correct = 0, correct_input = 0;
  VecD sq;                        // |x_i|²
  // Results, valid when done() (NaN where not measured).
  double trustworthiness = 0, knn_accuracy = 0, knn_accuracy_input = 0;

  bool done() const { return next >= y.rows(); }
  float progress() const { return y.rows() ? float(next) / float(y.rows()) : 1.0f; }
};

// x may be empty (no trustworthiness, no input vote); labels may be empty (no votes). k_trust must
// be 0 or in [1, N/2) and needs x; k_vote 0 or in [1, N) and needs labels. Checks the sizes against
// the memory budget and that x and y are finite.
Status layout_quality_begin(LayoutQualityJob& job, const Mat& x, const Mat& y, std::span<const int32_t> labels,
                            int k_trust, int k_vote);
// Measures points until about budget_ms has passed (at least one block of points).
void layout_quality_step(LayoutQualityJob& job, double budget_ms);

// ---- One-shot measures ----------------------------------------------------------------------------
// x (N, D) input, y (N, d) embedding, 1 <= k < N/2 (as scikit-learn requires). Input distances are
// Euclidean in double; ties in the input ranking go to the lower index.
Status trustworthiness_compute(const Mat& x, const Mat& y, int k, double& out);

// Share of points whose label equals the majority label of their k nearest other points in y
// (Euclidean; neighbour ties to the lower index; vote ties to the smallest label). labels.size() == N.
Status knn_accuracy_compute(const Mat& y, std::span<const int32_t> labels, int k, double& out);

// sum_i p_i log(p_i / q_i) in nats; terms with p_i = 0 are 0; p_i > 0 with q_i = 0 gives +inf.
double kl_divergence(std::span<const double> p, std::span<const double> q);

// ---- What a 2-D picture keeps of groups and of a second picture ----------------------------------
// Groups are the distinct labels (0 .. G−1) of the rows.
// max / min over groups of the RMS distance of a group's points to its centroid. NaN when undefined:
// fewer than two groups of two or more points, or a group whose points all coincide.
double group_spread_ratio(const Mat& y, std::span<const int32_t> labels);
// max / min over pairs of groups of the distance between their centroids. NaN when undefined: fewer
// than two groups, or two groups with the same centroid.
double group_gap_ratio(const Mat& y, std::span<const int32_t> labels);
// Procrustes disparity in [0, 1] between two (N, d) layouts after centring, scaling and the best
// rotation or reflection: 0 = the same picture (as scipy.spatial.procrustes).
double procrustes_disparity(const Mat& a, const Mat& b);
// Share of each point's k nearest neighbours that two searches over the same points agree on
// (0 if their sizes differ).
double neighbour_overlap(const Knn& a, const Knn& b);

}  // namespace lab::core
