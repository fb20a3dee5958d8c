#include "core/embed/quality.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/embed/embed_budget.h"
#include "core/embed/knn.h"
#include "core/rng.h"

namespace lab::core {

namespace {

// The k nearest other rows of y for every row, Euclidean in double, by direct loops (embeddings are
// low-dimensional, so this is as fast as a matrix product and needs no cancellation-prone |a|^2+|b|^2-2ab).
std::vector<int32_t> knn_low_dim(const Mat& y, int k) {
  const Index n = y.rows(), d = y.cols();
  const MatD yt = y.cast<double>().transpose();
  std::vector<int32_t> out(size_t(n) * k);
  std::vector<double> dist(static_cast<size_t>(n));
  std::vector<int32_t> order;
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < n; ++j) {
      double s = 0;
      for (Index c = 0; c < d; ++c) {
        const double t = yt(c, i) - yt(c, j);
        s += t * t;
      }
      dist[j] = s;
    }
    order.clear();
    for (Index j = 0; j < n; ++j)
      if (j != i) order.push_back(int32_t(j));
    auto nearer = [&](int32_t a, int32_t b) { return dist[a] != dist[b] ? dist[a] < dist[b] : a < b; };
    std::nth_element(order.begin(), order.begin() + k, order.end(), nearer);
    std::sort(order.begin(), order.begin() + k, nearer);
    std::copy(order.begin(), order.begin() + k, out.begin() + i * k);
  }
  return out;
}

}  // namespace

Status trustworthiness_compute(const Mat& x, const Mat& y, int k, double& out) {
  const Index n = x.rows();
  if (y.rows() != n)
    return Status::error("trustworthiness: the embedding has " + std::to_string(y.rows()) + " rows, the data " +
                         std::to_string(n));
  if (k < 1 || 2.0 * k >= double(n))
    return Status::error("trustworthiness: k = " + std::to_string(k) + " must be at least 1 and less than N/2 = " +
                         std::to_string(n / 2.0));
  if (Status s = trustworthiness_budget_check(n, x.cols(), y.cols(), k); !s) return s;
  if (Status s = finite_check(x, "trustworthiness data"); !s) return s;
  if (Status s = finite_check(y, "trustworthiness embedding"); !s) return s;
  const std::vector<int32_t> emb = knn_low_dim(y, k);
  const MatD xd = x.cast<double>();
  const VecD sq = xd.rowwise().squaredNorm();
  constexpr Index kBlock = 256;
  double penalty = 0;
  for (Index i0 = 0; i0 < n; i0 += kBlock) {
    const Index nb = std::min(kBlock, n - i0);
    const MatD g = xd * xd.middleRows(i0, nb).transpose();  // (n, nb)
    for (Index c = 0; c < nb; ++c) {
      const Index i = i0 + c;
      auto dist = [&](Index l) { return std::max(0.0, sq[l] + sq[i] - 2 * g(l, c)); };
      for (int e = 0; e < k; ++e) {
        const Index j = emb[size_t(i) * k + e];
        const double dj = dist(j);
        // rank of j among i's input-space neighbours (1 = nearest), ties to the lower index
        Index rank = 1;
        for (Index l = 0; l < n; ++l) {
          if (l == i || l == j) continue;
          const double dl = dist(l);
          rank += (dl < dj || (dl == dj && l < j));
        }
        if (rank > k) penalty += double(rank - k);
      }
    }
  }
  out = 1.0 - penalty * (2.0 / (double(n) * k * (2.0 * n - 3.0 * k - 1.0)));
  return Status::success();
}

Status knn_accuracy_compute(const Mat& y, std::span<const int32_t> labels, int k, double& out) {
  const Index n = y.rows();
  if (Index(labels.size()) != n)
    return Status::error("k-NN accuracy: " + std::to_string(labels.size()) + " labels for " + std::to_string(n) +
                         " points");
  if (k < 1 || k >= n)
    return Status::error("k-NN accuracy: k = " + std::to_string(k) + " needs at least " + std::to_string(k + 1) +
                         " points, got " + std::to_string(n));
  if (Status s = knn_accuracy_budget_check(n, y.cols(), k); !s) return s;
  if (Status s = finite_check(y, "k-NN accuracy embedding"); !s) return s;
  const std::vector<int32_t> nb = knn_low_dim(y, k);
  Index correct = 0;
  std::map<int32_t, int> votes;
  for (Index i = 0; i < n; ++i) {
    votes.clear();
    for (int e = 0; e < k; ++e) ++votes[labels[nb[size_t(i) * k + e]]];
    int32_t best = 0;
    int best_count = -1;
    for (const auto& [label, count] : votes)  // increasing label: the smallest wins a tie
      if (count > best_count) {
        best = label;
        best_count = count;
      }
    correct += best == labels[i];
  }
  out = double(correct) / double(n);
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

}  // namespace lab::core
