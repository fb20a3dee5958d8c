// Time-sliced layout quality (see layout_quality.h).
#include "runtime/blocks/layout_quality.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace lab::runtime {

void layout_quality_start(LayoutQuality& q, const core::Mat& x, const core::Mat& y, const std::vector<int32_t>& labels,
                          int k_trust, int k_vote) {
  q = LayoutQuality{};
  q.x = x.cast<double>();
  q.y = y.cast<double>();
  q.labels = labels;
  const int n = int(x.rows());
  q.k_trust = std::max(1, std::min(k_trust, (n - 1) / 2));
  q.k_vote = std::max(1, std::min(k_vote, n - 1));
  q.sq = q.x.rowwise().squaredNorm();
}

namespace {

// Indices of the k smallest values of d (excluding `self`), nearest first, ties to the lower index.
void k_smallest(const std::vector<double>& d, core::Index self, int k, std::vector<int32_t>& order, std::vector<int32_t>& out) {
  order.clear();
  for (core::Index j = 0; j < core::Index(d.size()); ++j)
    if (j != self) order.push_back(int32_t(j));
  auto nearer = [&](int32_t a, int32_t b) { return d[size_t(a)] != d[size_t(b)] ? d[size_t(a)] < d[size_t(b)] : a < b; };
  std::nth_element(order.begin(), order.begin() + k, order.end(), nearer);
  std::sort(order.begin(), order.begin() + k, nearer);
  out.assign(order.begin(), order.begin() + k);
}

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

void layout_quality_step(LayoutQuality& q, double budget_ms) {
  const auto start = std::chrono::steady_clock::now();
  const core::Index n = q.x.rows();
  const int kt = q.k_trust, kv = q.k_vote;
  std::vector<double> din(static_cast<size_t>(n)), dout(static_cast<size_t>(n));
  std::vector<int32_t> order, emb, inp;
  constexpr core::Index kBlock = 32;
  while (!q.done()) {
    const core::Index i0 = q.next, nb = std::min(kBlock, n - i0);
    const core::MatD g = q.x * q.x.middleRows(i0, nb).transpose();  // (n, nb) inner products
    for (core::Index c = 0; c < nb; ++c) {
      const core::Index i = i0 + c;
      for (core::Index l = 0; l < n; ++l) {
        din[size_t(l)] = std::max(0.0, q.sq[l] + q.sq[i] - 2 * g(l, c));
        const double a = q.y(i, 0) - q.y(l, 0), b = q.y(i, 1) - q.y(l, 1);
        dout[size_t(l)] = a * a + b * b;
      }
      // Trustworthiness: every layout neighbour that is not an input neighbour costs its input rank − k.
      k_smallest(dout, i, std::max(kt, kv), order, emb);
      for (int e = 0; e < kt; ++e) {
        const core::Index j = emb[size_t(e)];
        const double dj = din[size_t(j)];
        core::Index rank = 1;
        for (core::Index l = 0; l < n; ++l) {
          if (l == i || l == j) continue;
          rank += (din[size_t(l)] < dj || (din[size_t(l)] == dj && l < j));
        }
        if (rank > kt) q.penalty += double(rank - kt);
      }
      if (!q.labels.empty()) {
        std::vector<int32_t> first(emb.begin(), emb.begin() + kv);
        q.correct += vote(q.labels, first, kv) == q.labels[size_t(i)];
        k_smallest(din, i, kv, order, inp);
        q.correct_input += vote(q.labels, inp, kv) == q.labels[size_t(i)];
      }
    }
    q.next += nb;
    if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() > budget_ms) break;
  }
  if (q.done()) {
    const double nn = double(n), k = double(kt);
    q.trustworthiness = 1.0 - q.penalty * (2.0 / (nn * k * (2.0 * nn - 3.0 * k - 1.0)));
    q.knn_accuracy = double(q.correct) / nn;
    q.knn_accuracy_input = double(q.correct_input) / nn;
  }
}

}  // namespace lab::runtime
