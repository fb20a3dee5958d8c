// Principal component analysis by the eigen-decomposition of the covariance matrix, in double, with
// fixed-order arithmetic (Jacobi rotations up to 256 features, Householder + QL above): the same bits
// natively and in WASM.
// Sign convention, so plots never flip between runs or platforms: in every component the entry with
// the largest absolute loading is positive (the first such entry on an exact tie).
#pragma once

#include <vector>

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

// pca_fit in pieces, for callers that must stay within a frame's time budget (the page's 10,000
// Fashion-MNIST images of 784 pixels: ~3 G multiply-adds of covariance, seconds in one go):
//   PcaJob job;
//   if (Status st = pca_fit_begin(x, components, job); !st) ...   // validates
//   while (!pca_fit_continue(x, out, job)) { ... }                 // one piece per call
//   if (!job.status) ...                                           // the decomposition failed
// A piece is the sums over a block of rows (about kPcaPieceWork multiply-adds) or the whole
// eigen-decomposition (D = 784: ~0.3 s natively). x must not change in between. pca_fit runs the
// same pieces in one go, so both give the same bits.
constexpr double kPcaPieceWork = 4e6;
struct PcaJob {
  enum class Stage { Means, Covariance, Decomposition, Done };
  Stage stage = Stage::Done;
  Index next = 0;  // first row of the next block of sums
  int components = 0;
  std::vector<double> mean, row;  // row: a block of centred rows (covariance)
  MatD cov;
  Status status;  // the decomposition's failure, if any, once done
  bool done() const { return stage == Stage::Done; }
  double progress(Index rows) const;  // 0..1, sums only (the decomposition is one piece)
};
Status pca_fit_begin(const Mat& x, int components, PcaJob& job);
// Does one piece; returns true when `out` holds the fit (or job.status says why it failed).
bool pca_fit_continue(const Mat& x, Pca& out, PcaJob& job);

// (N, components) coordinates of x on the fitted axes: (x - mean) * axes.
Mat pca_transform(const Pca& pca, const Mat& x);
// Rows [begin, end) of the same, into rows [begin, end) of y (sized (N, components) by the caller):
// pca_transform in pieces, same bits.
void pca_transform_rows(const Pca& pca, const Mat& x, Index begin, Index end, Mat& y);

}  // namespace lab::core
