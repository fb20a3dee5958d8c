// Trustworthiness and k-NN label accuracy of a 2-D layout, computed a few rows at a time so a
// 1 797-point evaluation never freezes a browser frame. Same definitions as core/embed/quality.h
// (Venna & Kaski trustworthiness; leave-one-out k-NN vote, ties to the smaller label; neighbour ties
// to the lower index), and the input space's own k-NN accuracy falls out of the same pass.
#pragma once

#include <vector>

#include "core/types.h"

namespace lab::runtime {

struct LayoutQuality {
  // Inputs (set by layout_quality_start).
  core::MatD x;                   // (N, D) the data, in double
  core::MatD y;                   // (N, 2) the layout
  std::vector<int32_t> labels;    // (N), or empty: no accuracies
  int k_trust = 10, k_vote = 5;
  // Progress and accumulators.
  core::Index next = 0;           // rows done
  double penalty = 0;
  core::Index correct = 0, correct_input = 0;
  core::VecD sq;                  // |x_i|²
  // Results, valid when done().
  double trustworthiness = 0, knn_accuracy = 0, knn_accuracy_input = 0;

  bool done() const { return next >= x.rows(); }
  float progress() const { return x.rows() ? float(next) / float(x.rows()) : 1.0f; }
};

// k_trust must be >= 1 and < N/2; k_vote >= 1 and < N (both are clamped into range).
void layout_quality_start(LayoutQuality& q, const core::Mat& x, const core::Mat& y, const std::vector<int32_t>& labels,
                          int k_trust, int k_vote);
// Evaluates rows until about budget_ms has passed (at least a block of rows).
void layout_quality_step(LayoutQuality& q, double budget_ms);

}  // namespace lab::runtime
