#include "core/embed/pca.h"

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

// sqrt(a^2 + b^2) without overflow, from + * / and sqrt only (std::hypot's last bit depends on the libm).
double hypot_fixed(double a, double b) {
  a = std::abs(a);
  b = std::abs(b);
  const double big = std::max(a, b), small = std::min(a, b);
  if (big == 0) return 0;
  const double r = small / big;
  return big * std::sqrt(1 + r * r);
}

// Eigen-decomposition of a symmetric matrix by Householder reduction to tridiagonal form and the
// implicit QL method (tred2 and tql2 of EISPACK, as JAMA writes them: Wilkinson & Reinsch, Handbook
// for Automatic Computation II, 1971). ~ 9 D^3 flops against Jacobi's ~ 10 sweeps x 3 D^3, and, like
// jacobi_eigen, only + - * / and sqrt in a fixed order: the same bits natively and in WASM.
// Returns false if QL did not converge (it does in ~2 iterations per eigenvalue).
bool tridiagonal_ql_eigen(const MatD& a, std::vector<double>& values, MatD& v) {
  const Index n = a.rows();
  v = a;
  std::vector<double> d(static_cast<size_t>(n)), e(static_cast<size_t>(n));
  // Householder reduction to tridiagonal form (tred2): d the diagonal, e the subdiagonal.
  for (Index j = 0; j < n; ++j) d[size_t(j)] = v(n - 1, j);
  for (Index i = n - 1; i > 0; --i) {
    double scale = 0, h = 0;
    for (Index k = 0; k < i; ++k) scale += std::abs(d[size_t(k)]);
    if (scale == 0) {
      e[size_t(i)] = d[size_t(i - 1)];
      for (Index j = 0; j < i; ++j) {
        d[size_t(j)] = v(i - 1, j);
        v(i, j) = 0;
        v(j, i) = 0;
      }
    } else {
      for (Index k = 0; k < i; ++k) {
        d[size_t(k)] /= scale;
        h += d[size_t(k)] * d[size_t(k)];
      }
      double f = d[size_t(i - 1)];
      double g = std::sqrt(h);
      if (f > 0) g = -g;
      e[size_t(i)] = scale * g;
      h -= f * g;
      d[size_t(i - 1)] = f - g;
      for (Index j = 0; j < i; ++j) e[size_t(j)] = 0;
      for (Index j = 0; j < i; ++j) {
        f = d[size_t(j)];
        v(j, i) = f;
        g = e[size_t(j)] + v(j, j) * f;
        for (Index k = j + 1; k <= i - 1; ++k) {
          g += v(k, j) * d[size_t(k)];
          e[size_t(k)] += v(k, j) * f;
        }
        e[size_t(j)] = g;
      }
      f = 0;
      for (Index j = 0; j < i; ++j) {
        e[size_t(j)] /= h;
        f += e[size_t(j)] * d[size_t(j)];
      }
      const double hh = f / (h + h);
      for (Index j = 0; j < i; ++j) e[size_t(j)] -= hh * d[size_t(j)];
      for (Index j = 0; j < i; ++j) {
        f = d[size_t(j)];
        g = e[size_t(j)];
        for (Index k = j; k <= i - 1; ++k) v(k, j) -= (f * e[size_t(k)] + g * d[size_t(k)]);
        d[size_t(j)] = v(i - 1, j);
        v(i, j) = 0;
      }
    }
    d[size_t(i)] = h;
  }
  // Accumulate the transformations.
  for (Index i = 0; i < n - 1; ++i) {
    v(n - 1, i) = v(i, i);
    v(i, i) = 1;
    const double h = d[size_t(i + 1)];
    if (h != 0) {
      for (Index k = 0; k <= i; ++k) d[size_t(k)] = v(k, i + 1) / h;
      for (Index j = 0; j <= i; ++j) {
        double g = 0;
        for (Index k = 0; k <= i; ++k) g += v(k, i + 1) * v(k, j);
        for (Index k = 0; k <= i; ++k) v(k, j) -= g * d[size_t(k)];
      }
    }
    for (Index k = 0; k <= i; ++k) v(k, i + 1) = 0;
  }
  for (Index j = 0; j < n; ++j) {
    d[size_t(j)] = v(n - 1, j);
    v(n - 1, j) = 0;
  }
  v(n - 1, n - 1) = 1;
  e[0] = 0;

  // Implicit QL on the tridiagonal matrix (tql2), rotating v along.
  for (Index i = 1; i < n; ++i) e[size_t(i - 1)] = e[size_t(i)];
  e[size_t(n - 1)] = 0;
  double f = 0, tst1 = 0;
  const double eps = 0x1p-52;
  for (Index l = 0; l < n; ++l) {
    tst1 = std::max(tst1, std::abs(d[size_t(l)]) + std::abs(e[size_t(l)]));
    Index m = l;
    while (m < n && std::abs(e[size_t(m)]) > eps * tst1) ++m;
    if (m > l) {
      int iterations = 0;
      do {
        if (++iterations > 60) return false;
        double g = d[size_t(l)];
        double p = (d[size_t(l + 1)] - g) / (2 * e[size_t(l)]);
        double r = hypot_fixed(p, 1);
        if (p < 0) r = -r;
        d[size_t(l)] = e[size_t(l)] / (p + r);
        d[size_t(l + 1)] = e[size_t(l)] * (p + r);
        const double dl1 = d[size_t(l + 1)];
        double h = g - d[size_t(l)];
        for (Index i = l + 2; i < n; ++i) d[size_t(i)] -= h;
        f += h;
        p = d[size_t(m)];
        double c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const double el1 = e[size_t(l + 1)];
        for (Index i = m - 1; i >= l; --i) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[size_t(i)];
          h = c * p;
          r = hypot_fixed(p, e[size_t(i)]);
          e[size_t(i + 1)] = s * r;
          s = e[size_t(i)] / r;
          c = p / r;
          p = c * d[size_t(i)] - s * g;
          d[size_t(i + 1)] = h + s * (c * g + s * d[size_t(i)]);
          for (Index k = 0; k < n; ++k) {
            const double vk1 = v(k, i + 1), vk = v(k, i);
            v(k, i + 1) = s * vk + c * vk1;
            v(k, i) = c * vk - s * vk1;
          }
        }
        p = -s * s2 * c3 * el1 * e[size_t(l)] / dl1;
        e[size_t(l)] = s * p;
        d[size_t(l)] = c * p;
      } while (std::abs(e[size_t(l)]) > eps * tst1);
    }
    d[size_t(l)] += f;
    e[size_t(l)] = 0;
  }
  values = std::move(d);
  return true;
}

// Above this many features Jacobi's sweeps get slow and tridiagonal QL takes over: the same bits on
// every platform either way. Every lesson but Fashion-MNIST's (784) projects <= 128 features.
constexpr Index kJacobiMaxFeatures = 256;

}  // namespace

Status pca_fit_begin(const Mat& x, int components, PcaJob& job) {
  job = PcaJob{};
  const Index n = x.rows(), d = x.cols();
  if (n < 2) return Status::error("PCA needs at least 2 samples, got " + std::to_string(n));
  if (components < 1 || components > d)
    return Status::error("PCA: components must be between 1 and the number of features (" + std::to_string(d) +
                         "), got " + std::to_string(components));
  if (Status s = finite_check(x, "PCA data"); !s) return s;
  if (Status s = pca_budget_check(n, d); !s) return s;
  job.stage = PcaJob::Stage::Means;
  job.components = components;
  job.mean.assign(static_cast<size_t>(d), 0.0);
  job.row.resize(static_cast<size_t>(d));
  job.cov = MatD::Zero(d, d);
  return Status::success();
}

double PcaJob::progress(Index rows) const {
  if (rows <= 0 || stage == Stage::Means) return rows > 0 ? 0.1 * double(next) / double(rows) : 0.0;
  if (stage == Stage::Covariance) return 0.1 + 0.9 * double(next) / double(rows);
  return 1.0;
}

// The decomposition of the finished covariance, and the axes in the sign convention.
static void pca_decompose(PcaJob& job, Pca& out) {
  const Index d = job.cov.rows();
  MatD& cov = job.cov;
  std::vector<double> values;
  MatD vectors;
  if (d <= kJacobiMaxFeatures) {
    jacobi_eigen(cov, values, vectors);
  } else if (!tridiagonal_ql_eigen(cov, values, vectors)) {
    job.status = Status::error("PCA: the eigen-decomposition did not converge");
    return;
  }
  // Strongest first; equal eigenvalues keep their index order.
  std::vector<Index> order(static_cast<size_t>(d));
  std::iota(order.begin(), order.end(), Index(0));
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return values[size_t(a)] > values[size_t(b)]; });

  const int components = job.components;
  out.components = components;
  out.mean.resize(d);
  for (Index j = 0; j < d; ++j) out.mean[j] = Scalar(job.mean[size_t(j)]);
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
}

bool pca_fit_continue(const Mat& x, Pca& out, PcaJob& job) {
  const Index n = x.rows(), d = x.cols();
  // Mean and covariance (N-1 denominator) in double, summed row after row in a fixed order.
  switch (job.stage) {
    case PcaJob::Stage::Means: {
      const Index end = std::min(n, job.next + std::max<Index>(1, Index(kPcaPieceWork / double(d))));
      for (Index i = job.next; i < end; ++i)
        for (Index j = 0; j < d; ++j) job.mean[size_t(j)] += double(x(i, j));
      job.next = end;
      if (end == n) {
        for (double& m : job.mean) m /= double(n);
        job.stage = PcaJob::Stage::Covariance;
        job.next = 0;
      }
      return false;
    }
    case PcaJob::Stage::Covariance: {
      const Index end = std::min(n, job.next + std::max<Index>(1, Index(kPcaPieceWork / (0.5 * double(d) * double(d + 1)))));
      MatD& cov = job.cov;
      std::vector<double>& rows = job.row;
      // Rows in blocks of kCovBlock, so each column of cov is loaded once per block rather than once
      // per row (the loop is bound by memory otherwise). Every cov(a, b) still adds its products in
      // row order, so the sums are the same, bit for bit, as one row at a time.
      constexpr Index kCovBlock = 16;
      rows.resize(size_t(kCovBlock * d));
      for (Index i0 = job.next; i0 < end; i0 += kCovBlock) {
        const Index count = std::min(kCovBlock, end - i0);
        for (Index k = 0; k < count; ++k)
          for (Index j = 0; j < d; ++j) rows[size_t(k * d + j)] = double(x(i0 + k, j)) - job.mean[size_t(j)];
        for (Index b = 0; b < d; ++b) {
          double* col = &cov(0, b);
          Index a = b;
          for (; a + 8 <= d; a += 8) {  // eight independent sums in registers (vectorised 2 or 4 wide)
            double c[8];
            for (int l = 0; l < 8; ++l) c[l] = col[a + l];
            for (Index k = 0; k < count; ++k) {
              const double* r = &rows[size_t(k * d)];
              const double rb = r[b];
              for (int l = 0; l < 8; ++l) c[l] += r[a + l] * rb;
            }
            for (int l = 0; l < 8; ++l) col[a + l] = c[l];
          }
          for (; a < d; ++a) {
            double c = col[a];
            for (Index k = 0; k < count; ++k) c += rows[size_t(k * d + a)] * rows[size_t(k * d + b)];
            col[a] = c;
          }
        }
      }
      job.next = end;
      if (end == n) {
        for (Index b = 0; b < d; ++b)
          for (Index a = b; a < d; ++a) cov(b, a) = cov(a, b) = cov(a, b) / double(n - 1);
        job.stage = PcaJob::Stage::Decomposition;
      }
      return false;
    }
    case PcaJob::Stage::Decomposition:
      pca_decompose(job, out);
      job.stage = PcaJob::Stage::Done;
      job.cov = MatD{};
      return true;
    case PcaJob::Stage::Done:
      return true;
  }
  return true;
}

Status pca_fit(const Mat& x, int components, Pca& out) {
  PcaJob job;
  if (Status s = pca_fit_begin(x, components, job); !s) return s;
  while (!pca_fit_continue(x, out, job)) {}
  return job.status;
}

Mat pca_transform(const Pca& pca, const Mat& x) {
  Mat y(x.rows(), pca.axes.cols());
  pca_transform_rows(pca, x, 0, x.rows(), y);
  return y;
}

void pca_transform_rows(const Pca& pca, const Mat& x, Index begin, Index end, Mat& y) {
  // Fixed-order double sums (not a float GEMM, whose summation order depends on the SIMD width): each
  // y(i, c) adds its d products in feature order. All k sums of a row advance together, so they are
  // independent and vectorise across c, with the axes transposed to make that contiguous.
  const Index d = x.cols(), k = pca.axes.cols();
  std::vector<double> at(static_cast<size_t>(d * k)), row(static_cast<size_t>(d)), sum(static_cast<size_t>(k));
  for (Index j = 0; j < d; ++j)
    for (Index c = 0; c < k; ++c) at[size_t(j * k + c)] = double(pca.axes(j, c));
  for (Index i = begin; i < end; ++i) {
    for (Index j = 0; j < d; ++j) row[size_t(j)] = double(x(i, j)) - double(pca.mean[j]);
    std::fill(sum.begin(), sum.end(), 0.0);
    for (Index j = 0; j < d; ++j) {
      const double r = row[size_t(j)];
      const double* a = &at[size_t(j * k)];
      for (Index c = 0; c < k; ++c) sum[size_t(c)] += r * a[c];
    }
    for (Index c = 0; c < k; ++c) y(i, c) = Scalar(sum[size_t(c)]);
  }
}

}  // namespace lab::core
