#include "core/embed/quality.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <Eigen/SVD>

#include "core/det_math.h"
#include "core/embed/embed_budget.h"

namespace lab::core {

// ---- The measures of a layout, in pieces --------------------------------------------------------
Status layout_quality_begin(LayoutQualityJob& job, const Mat& x, const Mat& y, std::span<const int32_t> labels,
                            int k_trust, int k_vote) {
  job = LayoutQualityJob{};
  const Index n = y.rows();
  if (x.size() && x.rows() != n)
    return Status::error("layout quality: the embedding has " + std::to_string(n) + " rows, the data " +
                         std::to_string(x.rows()));
  if (!labels.empty() && Index(labels.size()) != n)
    return Status::error("k-NN accuracy: " + std::to_string(labels.size()) + " labels for " + std::to_string(n) +
                         " points");
  if (k_trust != 0) {
    if (x.size() == 0) return Status::error("trustworthiness: needs the input data");
    if (k_trust < 1 || 2.0 * k_trust >= double(n))
      return Status::error("trustworthiness: k = " + std::to_string(k_trust) +
                           " must be at least 1 and less than N/2 = " + std::to_string(n / 2.0));
    if (Status s = trustworthiness_budget_check(n, x.cols(), y.cols(), k_trust); !s) return s;
  }
  if (k_vote != 0) {
    if (labels.empty()) return Status::error("k-NN accuracy: needs labels");
    if (k_vote < 1 || k_vote >= n)
      return Status::error("k-NN accuracy: k = " + std::to_string(k_vote) + " needs at least " +
                           std::to_string(k_vote + 1) + " points, got " + std::to_string(n));
    if (Status s = knn_accuracy_budget_check(n, y.cols(), k_vote); !s) return s;
  }
  if (Status s = finite_check(x, "layout quality data"); !s) return s;
  if (Status s = finite_check(y, "layout quality embedding"); !s) return s;
  if (k_trust != 0 || (k_vote != 0 && x.size())) {
    job.x = x.cast<double>();
    job.sq = job.x.rowwise().squaredNorm();
  }
  job.y = y.cast<double>();
  job.labels.assign(labels.begin(), labels.end());
  job.k_trust = k_trust;
  job.k_vote = k_vote;
  job.trustworthiness = job.knn_accuracy = job.knn_accuracy_input = NAN;
  return Status::success();
}

namespace {

// Indices of the k smallest values of d (excluding `self`), nearest first, ties to the lower index.
void k_smallest(const std::vector<double>& d, Index self, int k, std::vector<int32_t>& order, std::vector<int32_t>& out) {
  order.clear();
  for (Index j = 0; j < Index(d.size()); ++j)
    if (j != self) order.push_back(int32_t(j));
  auto nearer = [&](int32_t a, int32_t b) { return d[size_t(a)] != d[size_t(b)] ? d[size_t(a)] < d[size_t(b)] : a < b; };
  std::nth_element(order.begin(), order.begin() + k, order.end(), nearer);
  std::sort(order.begin(), order.begin() + k, nearer);
  out.assign(order.begin(), order.begin() + k);
}

// The majority label of the first k neighbours; a tie goes to the smallest label.
int32_t vote(const std::vector<int32_t>& labels, const std::vector<int32_t>& nb, int k) {
  std::map<int32_t, int> votes;
  for (int e = 0; e < k; ++e) ++votes[labels[size_t(nb[size_t(e)])]];
  int32_t best = 0;
  int best_count = -1;
  for (const auto& [label, count] : votes)  // increasing label: the smallest wins a tie
    if (count > best_count) {
      best = label;
      best_count = count;
    }
  return best;
}

}  // namespace

void layout_quality_step(LayoutQualityJob& q, double budget_ms) {
  const auto start = std::chrono::steady_clock::now();
  const Index n = q.y.rows(), d = q.y.cols();
  const int kt = q.k_trust, kv = q.k_vote;
  const bool input = q.x.size() > 0;
  std::vector<double> din(static_cast<size_t>(n)), dout(static_cast<size_t>(n));
  std::vector<int32_t> order, emb, inp;
  constexpr Index kBlock = 32;
  while (!q.done()) {
    const Index i0 = q.next, nb = std::min(kBlock, n - i0);
    MatD g;
    if (input) g = q.x * q.x.middleRows(i0, nb).transpose();  // (n, nb) inner products
    for (Index c = 0; c < nb; ++c) {
      const Index i = i0 + c;
      // Layout distances by direct loops (low-dimensional: no cancellation-prone |a|² + |b|² − 2ab).
      for (Index l = 0; l < n; ++l) {
        double s = 0;
        for (Index j = 0; j < d; ++j) {
          const double t = q.y(i, j) - q.y(l, j);
          s += t * t;
        }
        dout[size_t(l)] = s;
        if (input) din[size_t(l)] = std::max(0.0, q.sq[l] + q.sq[i] - 2 * g(l, c));
      }
      k_smallest(dout, i, std::max(kt, kv), order, emb);
      // Trustworthiness: every layout neighbour that is not an input neighbour costs its input rank − k.
      for (int e = 0; e < kt; ++e) {
        const Index j = emb[size_t(e)];
        const double dj = din[size_t(j)];
        Index rank = 1;
        for (Index l = 0; l < n; ++l) {
          if (l == i || l == j) continue;
          rank += (din[size_t(l)] < dj || (din[size_t(l)] == dj && l < j));
        }
        if (rank > kt) q.penalty += double(rank - kt);
      }
      if (kv > 0) {
        q.correct += vote(q.labels, emb, kv) == q.labels[size_t(i)];
        if (input) {
          k_smallest(din, i, kv, order, inp);
          q.correct_input += vote(q.labels, inp, kv) == q.labels[size_t(i)];
        }
      }
    }
    q.next += nb;
    if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() > budget_ms) break;
  }
  if (q.done()) {
    const double nn = double(n), k = double(kt);
    if (kt > 0) q.trustworthiness = 1.0 - q.penalty * (2.0 / (nn * k * (2.0 * nn - 3.0 * k - 1.0)));
    if (kv > 0) q.knn_accuracy = double(q.correct) / nn;
    if (kv > 0 && input) q.knn_accuracy_input = double(q.correct_input) / nn;
  }
}

// ---- One-shot measures ----------------------------------------------------------------------------
Status trustworthiness_compute(const Mat& x, const Mat& y, int k, double& out) {
  LayoutQualityJob job;
  if (Status s = layout_quality_begin(job, x, y, {}, k, 0); !s) return s;
  while (!job.done()) layout_quality_step(job, INFINITY);
  out = job.trustworthiness;
  return Status::success();
}

Status knn_accuracy_compute(const Mat& y, std::span<const int32_t> labels, int k, double& out) {
  LayoutQualityJob job;
  if (Status s = layout_quality_begin(job, Mat(), y, labels, 0, k); !s) return s;
  while (!job.done()) layout_quality_step(job, INFINITY);
  out = job.knn_accuracy;
  return Status::success();
}

double kl_divergence(std::span<const double> p, std::span<const double> q) {
  double kl = 0;
  const size_t n = std::min(p.size(), q.size());
  for (size_t i = 0; i < n; ++i) {
    if (!(p[i] > 0)) continue;
    if (!(q[i] > 0)) return INFINITY;
    kl += p[i] * (det_log(p[i]) - det_log(q[i]));
  }
  return kl;
}

// ---- What a 2-D picture keeps of groups and of a second picture ----------------------------------
namespace {

void group_centroids(const Mat& y, std::span<const int32_t> labels, MatD& c, std::vector<int>& count) {
  const int groups = labels.empty() ? 0 : *std::max_element(labels.begin(), labels.end()) + 1;
  c = MatD::Zero(groups, y.cols());
  count.assign(size_t(groups), 0);
  for (Index i = 0; i < y.rows(); ++i) {
    c.row(labels[size_t(i)]) += y.row(i).cast<double>();
    ++count[size_t(labels[size_t(i)])];
  }
  for (int g = 0; g < groups; ++g)
    if (count[size_t(g)]) c.row(g) /= count[size_t(g)];
}

}  // namespace

double group_spread_ratio(const Mat& y, std::span<const int32_t> labels) {
  MatD c;
  std::vector<int> count;
  group_centroids(y, labels, c, count);
  std::vector<double> ss(count.size(), 0.0);
  for (Index i = 0; i < y.rows(); ++i)
    ss[size_t(labels[size_t(i)])] += (y.row(i).cast<double>() - c.row(labels[size_t(i)])).squaredNorm();
  double lo = INFINITY, hi = 0;
  int groups = 0;
  for (size_t g = 0; g < ss.size(); ++g)
    if (count[g] > 1) {
      const double rms = std::sqrt(ss[g] / count[g]);
      lo = std::min(lo, rms);
      hi = std::max(hi, rms);
      ++groups;
    }
  return groups >= 2 && lo > 0 ? hi / lo : NAN;
}

double group_gap_ratio(const Mat& y, std::span<const int32_t> labels) {
  MatD c;
  std::vector<int> count;
  group_centroids(y, labels, c, count);
  double lo = INFINITY, hi = 0;
  for (Index a = 0; a < c.rows(); ++a)
    for (Index b = a + 1; b < c.rows(); ++b) {
      if (!count[size_t(a)] || !count[size_t(b)]) continue;
      const double d = (c.row(a) - c.row(b)).norm();
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
  return lo > 0 && std::isfinite(lo) ? hi / lo : NAN;
}

double procrustes_disparity(const Mat& a, const Mat& b) {
  MatD x = a.cast<double>(), y = b.cast<double>();
  x.rowwise() -= x.colwise().mean();
  y.rowwise() -= y.colwise().mean();
  const double nx = x.norm(), ny = y.norm();
  if (nx == 0 || ny == 0) return 1;
  x /= nx;
  y /= ny;
  // Best orthogonal map: the singular values of xᵀy sum to the largest achievable correlation.
  Eigen::JacobiSVD<MatD> svd(x.transpose() * y);
  const double s = svd.singularValues().sum();
  return std::clamp(1.0 - s * s, 0.0, 1.0);
}

double neighbour_overlap(const Knn& a, const Knn& b) {
  if (a.n != b.n || a.k != b.k || a.n == 0 || a.k == 0) return 0;
  double overlap = 0;
  for (int i = 0; i < a.n; ++i)
    for (int j = 0; j < a.k; ++j)
      for (int l = 0; l < b.k; ++l) overlap += a.neighbour(i, j) == b.neighbour(i, l);
  return overlap / (double(a.n) * a.k);
}

}  // namespace lab::core
