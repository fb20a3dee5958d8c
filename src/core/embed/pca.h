// Principal component analysis by the eigen-decomposition of the covariance matrix, in double, with
// fixed-order arithmetic (Jacobi rotations up to 256 features): the same bits natively and in WASM.
// Sign convention, so plots never flip between runs or platforms: in every component the entry with
// the largest absolute loading is positive (the first such entry on an exact tie).
#pragma once

#include "core/status.h"
#include "core/types.h"

namespace lab::core {

struct Pca {
  int components = 0;
  RowVec mean;                  // (1, D) feature means of the fitted data
  Mat axes;                     // (D, components): unit principal directions, strongest first
  Vec explained_variance;       // (components): variance along each axis (N-1 denominator)
  Vec explained_variance_ratio; // (components): share of the total variance, in [0, 1]
  double total_variance = 0;    // sum of all feature variances
};

// Fits `components` axes (1 <= components <= min(D, 3) is what the UI plots; any count up to D works).
// Errors: fewer than 2 rows, components out of range, non-finite values.
Status pca_fit(const Mat& x, int components, Pca& out);

// (N, components) coordinates of x on the fitted axes: (x - mean) * axes.
Mat pca_transform(const Pca& pca, const Mat& x);

}  // namespace lab::core
