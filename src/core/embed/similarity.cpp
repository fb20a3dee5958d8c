#include "core/embed/similarity.h"

#include <cmath>

namespace lab::core {

std::string_view measure_name(Measure m) {
  switch (m) {
    case Measure::Dot: return "dot";
    case Measure::Cosine: return "cosine";
    case Measure::Euclidean: return "euclidean";
    case Measure::SqEuclidean: return "sq_euclidean";
  }
  return "?";
}

bool measure_parse(std::string_view name, Measure& out) {
  for (Measure m : {Measure::Dot, Measure::Cosine, Measure::Euclidean, Measure::SqEuclidean}) {
    if (name == measure_name(m)) {
      out = m;
      return true;
    }
  }
  return false;
}

bool measure_is_similarity(Measure m) { return m == Measure::Dot || m == Measure::Cosine; }

double measure_pair(Measure m, const RowRef& a, const RowRef& b) {
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
    case Measure::Dot: return ab;
    case Measure::Cosine: return (aa > 0 && bb > 0) ? ab / (std::sqrt(aa) * std::sqrt(bb)) : 0.0;
    case Measure::Euclidean: return std::sqrt(sq);
    case Measure::SqEuclidean: return sq;
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

Mat measure_matrix(Measure m, const Mat& a, const Mat& b) {
  switch (m) {
    case Measure::Dot: return a * b.transpose();
    case Measure::Cosine: return rows_normalized(a) * rows_normalized(b).transpose();
    case Measure::Euclidean:
    case Measure::SqEuclidean: {
      const Vec na = a.rowwise().squaredNorm(), nb = b.rowwise().squaredNorm();
      Mat out = a * b.transpose();
      for (Index j = 0; j < out.cols(); ++j)
        for (Index i = 0; i < out.rows(); ++i) {
          Scalar s = na[i] + nb[j] - 2 * out(i, j);
          s = s > 0 ? s : Scalar(0);
          out(i, j) = m == Measure::Euclidean ? std::sqrt(s) : s;
        }
      return out;
    }
  }
  return {};
}

Mat measure_self(Measure m, const Mat& x) {
  Mat out = measure_matrix(m, x, x);
  for (Index i = 0; i < x.rows(); ++i) {
    if (m == Measure::Dot) out(i, i) = x.row(i).squaredNorm();
    else if (m == Measure::Cosine) out(i, i) = x.row(i).squaredNorm() > 0 ? Scalar(1) : Scalar(0);
    else out(i, i) = 0;
  }
  return out;
}

}  // namespace lab::core
