#include "core/embed/similarity.h"

#include <cmath>

namespace lab::core {

std::string_view metric_name(Metric m) {
  switch (m) {
    case Metric::Dot: return "dot";
    case Metric::Cosine: return "cosine";
    case Metric::Euclidean: return "euclidean";
    case Metric::SqEuclidean: return "sq_euclidean";
  }
  return "?";
}

bool metric_parse(std::string_view name, Metric& out) {
  for (Metric m : {Metric::Dot, Metric::Cosine, Metric::Euclidean, Metric::SqEuclidean}) {
    if (name == metric_name(m)) {
      out = m;
      return true;
    }
  }
  return false;
}

bool metric_is_similarity(Metric m) { return m == Metric::Dot || m == Metric::Cosine; }

double metric_pair(Metric m, const RowRef& a, const RowRef& b) {
  const Index d = a.size();
  double ab = 0, aa = 0, bb = 0, sq = 0;
  for (Index k = 0; k < d; ++k) {
    const double x = a[k], y = b[k];
    ab += x * y;
    aa += x * x;
    bb += y * y;
    sq += (x - y) * (x - y);
  }
  switch (m) {
    case Metric::Dot: return ab;
    case Metric::Cosine: return (aa > 0 && bb > 0) ? ab / (std::sqrt(aa) * std::sqrt(bb)) : 0.0;
    case Metric::Euclidean: return std::sqrt(sq);
    case Metric::SqEuclidean: return sq;
  }
  return 0;
}

Mat rows_normalized(const Mat& x) {
  Vec norms = x.rowwise().norm();
  Mat out = x;
  for (Index i = 0; i < x.rows(); ++i)
    if (norms[i] > 0) out.row(i) /= norms[i];
  return out;
}

Mat metric_matrix(Metric m, const Mat& a, const Mat& b) {
  switch (m) {
    case Metric::Dot: return a * b.transpose();
    case Metric::Cosine: return rows_normalized(a) * rows_normalized(b).transpose();
    case Metric::Euclidean:
    case Metric::SqEuclidean: {
      const Vec na = a.rowwise().squaredNorm(), nb = b.rowwise().squaredNorm();
      Mat out = a * b.transpose();
      for (Index j = 0; j < out.cols(); ++j)
        for (Index i = 0; i < out.rows(); ++i) {
          Scalar s = na[i] + nb[j] - 2 * out(i, j);
          s = s > 0 ? s : Scalar(0);
          out(i, j) = m == Metric::Euclidean ? std::sqrt(s) : s;
        }
      return out;
    }
  }
  return {};
}

Mat metric_self(Metric m, const Mat& x) {
  Mat out = metric_matrix(m, x, x);
  for (Index i = 0; i < x.rows(); ++i) {
    if (m == Metric::Dot) out(i, i) = x.row(i).squaredNorm();
    else if (m == Metric::Cosine) out(i, i) = x.row(i).squaredNorm() > 0 ? Scalar(1) : Scalar(0);
    else out(i, i) = 0;
  }
  return out;
}

}  // namespace lab::core
