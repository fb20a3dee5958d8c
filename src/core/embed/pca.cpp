#include "core/embed/pca.h"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/embed/embed_budget.h"
#include "core/embed/knn.h"

namespace lab::core {

namespace {

// Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan 8.5).
// Only + - * / and sqrt, in a fixed order, so the result has the same bits natively and in WASM
// (Eigen's solver runs SSE packets natively and scalar code in WASM: the last bits differ, and the
// t-SNE started from this PCA would drift apart). Jacobi is also the most accurate method for small
// eigenvalues. Cost ~ 10 sweeps x D^3 / 2: fine up to a few hundred features.
// On return, `values` holds the eigenvalues and column k of `vectors` the unit eigenvector of values[k].
void jacobi_eigen(MatD a, std::vector<double>& values, MatD& vectors) {
  const Index d = a.rows();
  vectors = MatD::Identity(d, d);
  double diag2 = 0;
  for (Index k = 0; k < d; ++k) diag2 += a(k, k) * a(k, k);
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off2 = 0;
    for (Index q = 1; q < d; ++q)
      for (Index p = 0; p < q; ++p) off2 += a(p, q) * a(p, q);
    // Converged when the off-diagonal mass is at the rounding level of the diagonal.
    if (off2 <= 1e-30 * diag2) break;
    int rotations = 0;
    for (Index p = 0; p + 1 < d; ++p)
      for (Index q = p + 1; q < d; ++q) {
        const double apq = a(p, q);
        // Negligible against both diagonal entries: already diagonal to working precision.
        if (std::abs(apq) <= 1e-18 * (std::abs(a(p, p)) + std::abs(a(q, q)))) {
          a(p, q) = a(q, p) = 0;
          continue;
        }
        ++rotations;
        // Rotation angle that zeroes a(p, q): t = tan, the smaller root of t^2 + 2 theta t - 1 = 0.
        const double theta = (a(q, q) - a(p, p)) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (Index k = 0; k < d; ++k) {  // columns p and q: A <- A J
          const double akp = a(k, p), akq = a(k, q);
          a(k, p) = c * akp - s * akq;
          a(k, q) = s * akp + c * akq;
        }
        for (Index k = 0; k < d; ++k) {  // rows p and q: A <- J^T A
          const double apk = a(p, k), aqk = a(q, k);
          a(p, k) = c * apk - s * aqk;
          a(q, k) = s * apk + c * aqk;
        }
        a(p, q) = a(q, p) = 0;
        for (Index k = 0; k < d; ++k) {  // V <- V J
          const double vkp = vectors(k, p), vkq = vectors(k, q);
          vectors(k, p) = c * vkp - s * vkq;
          vectors(k, q) = s * vkp + c * vkq;
        }
      }
    if (rotations == 0) break;
  }
  values.resize(size_t(d));
  for (Index k = 0; k < d; ++k) values[size_t(k)] = a(k, k);
}

// Above this many features Jacobi's D^3 sweeps get slow; Eigen's tridiagonal QR takes over (same
// numbers to ~1e-12, not bit-identical across platforms). Every lesson projects <= 128 features.
constexpr Index kJacobiMaxFeatures = 256;

}  // namespace

Status pca_fit(const Mat& x, int components, Pca& out) {
  const Index n = x.rows(), d = x.cols();
  if (n < 2) return Status::error("PCA needs at least 2 samples, got " + std::to_string(n));
  if (components < 1 || components > d)
    return Status::error("PCA: components must be between 1 and the number of features (" + std::to_string(d) +
                         "), got " + std::to_string(components));
  if (Status s = finite_check(x, "PCA data"); !s) return s;
  if (Status s = pca_budget_check(n, d); !s) return s;

  // Mean and covariance (N-1 denominator) in double, summed in a fixed order.
  std::vector<double> mean(static_cast<size_t>(d), 0.0);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) mean[size_t(j)] += double(x(i, j));
  for (double& m : mean) m /= double(n);
  MatD cov = MatD::Zero(d, d);
  std::vector<double> row(static_cast<size_t>(d));
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < d; ++j) row[size_t(j)] = double(x(i, j)) - mean[size_t(j)];
    for (Index b = 0; b < d; ++b) {
      const double rb = row[size_t(b)];
      for (Index a = b; a < d; ++a) cov(a, b) += row[size_t(a)] * rb;
    }
  }
  for (Index b = 0; b < d; ++b)
    for (Index a = b; a < d; ++a) cov(b, a) = cov(a, b) = cov(a, b) / double(n - 1);

  std::vector<double> values;
  MatD vectors;
  if (d <= kJacobiMaxFeatures) {
    jacobi_eigen(cov, values, vectors);
  } else {
    Eigen::SelfAdjointEigenSolver<MatD> eig(cov);
    if (eig.info() != Eigen::Success) return Status::error("PCA: the eigen-decomposition did not converge");
    values.assign(eig.eigenvalues().data(), eig.eigenvalues().data() + d);
    vectors = eig.eigenvectors();
  }
  // Strongest first; equal eigenvalues keep their index order.
  std::vector<Index> order(static_cast<size_t>(d));
  std::iota(order.begin(), order.end(), Index(0));
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return values[size_t(a)] > values[size_t(b)]; });

  out.components = components;
  out.mean.resize(d);
  for (Index j = 0; j < d; ++j) out.mean[j] = Scalar(mean[size_t(j)]);
  out.total_variance = 0;
  for (Index j = 0; j < d; ++j) out.total_variance += cov(j, j);
  out.axes.resize(d, components);
  out.explained_variance.resize(components);
  out.explained_variance_ratio.resize(components);
  for (int c = 0; c < components; ++c) {
    const Index k = order[size_t(c)];
    Eigen::VectorXd axis = vectors.col(k);
    Index arg = 0;
    for (Index j = 1; j < d; ++j)
      if (std::abs(axis[j]) > std::abs(axis[arg])) arg = j;
    if (axis[arg] < 0) axis = -axis;
    const double var = std::max(0.0, values[size_t(k)]);
    out.axes.col(c) = axis.cast<Scalar>();
    out.explained_variance[c] = Scalar(var);
    out.explained_variance_ratio[c] = Scalar(out.total_variance > 0 ? var / out.total_variance : 0.0);
  }
  return Status::success();
}

Mat pca_transform(const Pca& pca, const Mat& x) {
  // Fixed-order double sums (not a float GEMM, whose summation order depends on the SIMD width).
  const Index n = x.rows(), d = x.cols(), k = pca.axes.cols();
  Mat y(n, k);
  for (Index i = 0; i < n; ++i)
    for (Index c = 0; c < k; ++c) {
      double s = 0;
      for (Index j = 0; j < d; ++j) s += (double(x(i, j)) - double(pca.mean[j])) * double(pca.axes(j, c));
      y(i, c) = Scalar(s);
    }
  return y;
}

}  // namespace lab::core
