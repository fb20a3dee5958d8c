#include "core/embed/pca.h"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <string>

#include "core/embed/knn.h"

namespace lab::core {

Status pca_fit(const Mat& x, int components, Pca& out) {
  const Index n = x.rows(), d = x.cols();
  if (n < 2) return Status::error("PCA needs at least 2 samples, got " + std::to_string(n));
  if (components < 1 || components > d)
    return Status::error("PCA: components must be between 1 and the number of features (" + std::to_string(d) +
                         "), got " + std::to_string(components));
  if (Status s = finite_check(x, "PCA data"); !s) return s;

  const MatD xd = x.cast<double>();
  const Eigen::RowVectorXd mean = xd.colwise().mean();
  const MatD centred = xd.rowwise() - mean;
  const MatD cov = (centred.transpose() * centred) / double(n - 1);
  Eigen::SelfAdjointEigenSolver<MatD> eig(cov);
  if (eig.info() != Eigen::Success) return Status::error("PCA: the eigen-decomposition did not converge");

  // Eigen sorts eigenvalues in increasing order: the strongest axes are the last columns.
  out.components = components;
  out.mean = mean.cast<Scalar>();
  out.total_variance = cov.trace();
  out.axes.resize(d, components);
  out.explained_variance.resize(components);
  out.explained_variance_ratio.resize(components);
  for (int c = 0; c < components; ++c) {
    Eigen::VectorXd axis = eig.eigenvectors().col(d - 1 - c);
    Index arg = 0;
    for (Index k = 1; k < d; ++k)
      if (std::abs(axis[k]) > std::abs(axis[arg])) arg = k;
    if (axis[arg] < 0) axis = -axis;
    const double var = std::max(0.0, eig.eigenvalues()[d - 1 - c]);
    out.axes.col(c) = axis.cast<Scalar>();
    out.explained_variance[c] = Scalar(var);
    out.explained_variance_ratio[c] = Scalar(out.total_variance > 0 ? var / out.total_variance : 0.0);
  }
  return Status::success();
}

Mat pca_transform(const Pca& pca, const Mat& x) {
  return (x.rowwise() - pca.mean) * pca.axes;
}

}  // namespace lab::core
