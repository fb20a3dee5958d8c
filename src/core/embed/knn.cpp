#include "core/embed/knn.h"

#include <algorithm>
#include <cstring>
#include <cmath>
#include <numeric>
#include <string>

#include "core/embed/embed_budget.h"

namespace lab::core {

Status finite_check(const Mat& x, std::string_view what) {
  for (Index j = 0; j < x.cols(); ++j)
    for (Index i = 0; i < x.rows(); ++i) {
      const Scalar v = x(i, j);
      if (!std::isfinite(v))
        return Status::error(std::string(what) + ": row " + std::to_string(i + 1) + ", column " +
                             std::to_string(j + 1) + " is " + (std::isnan(v) ? "NaN" : "infinite") +
                             "; remove or impute missing values first");
    }
  return Status::success();
}

namespace {

// Maps a float to an unsigned integer with the same order (-0 and +0 both map to +0's key).
uint32_t float_order_key(float f) {
  f += 0.0f;  // -0 -> +0
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

Status knn_run(const Mat& base, const Mat& queries, int k, Metric m, bool exclude_self, Knn& out) {
  const Index n_base = base.rows(), n_query = queries.rows();
  if (base.cols() != queries.cols())
    return Status::error("k-NN: queries have " + std::to_string(queries.cols()) + " features but the data has " +
                         std::to_string(base.cols()));
  const Index available = exclude_self ? n_base - 1 : n_base;
  if (k < 1) return Status::error("k-NN: k must be at least 1 (got " + std::to_string(k) + ")");
  if (k > available)
    return Status::error("k-NN: k = " + std::to_string(k) + " needs at least " +
                         std::to_string(exclude_self ? k + 1 : k) + " points, the data has " +
                         std::to_string(n_base) + (exclude_self ? " (a point is not its own neighbour)" : ""));
  if (Status s = knn_budget_check(n_base, n_query, base.cols(), k); !s) return s;
  if (Status s = finite_check(base, "k-NN data"); !s) return s;
  if (!exclude_self)
    if (Status s = finite_check(queries, "k-NN queries"); !s) return s;

  out.n = int(n_query);
  out.k = k;
  out.index.assign(size_t(n_query) * k, 0);
  out.value.assign(size_t(n_query) * k, 0);
  const bool larger_is_closer = metric_is_similarity(m);
  constexpr Index kBlock = 256;
  std::vector<uint64_t> keys;
  keys.reserve(size_t(n_base));
  for (Index q0 = 0; q0 < n_query; q0 += kBlock) {
    const Index nb = std::min(kBlock, n_query - q0);
    // (n_base, nb): column c holds the metric of query q0+c against every base row, contiguous.
    const Mat values = metric_matrix(m, base, queries.middleRows(q0, nb));
    for (Index c = 0; c < nb; ++c) {
      const Index q = q0 + c;
      const Scalar* v = values.col(c).data();
      // One 64-bit key per candidate: (nearness as an order-preserving integer, index). Keys are
      // unique, so the selected set and its order are the same with any selection algorithm.
      keys.clear();
      for (Index j = 0; j < n_base; ++j) {
        if (exclude_self && j == q) continue;
        const float near = larger_is_closer ? -float(v[j]) : float(v[j]);
        keys.push_back((uint64_t(float_order_key(near)) << 32) | uint32_t(j));
      }
      if (size_t(k) < keys.size()) std::nth_element(keys.begin(), keys.begin() + k, keys.end());
      std::sort(keys.begin(), keys.begin() + k);
      for (int j = 0; j < k; ++j) {
        const int32_t idx = int32_t(keys[j] & 0xFFFFFFFFu);
        out.index[size_t(q) * k + j] = idx;
        out.value[size_t(q) * k + j] = v[idx];
      }
    }
  }
  return Status::success();
}

}  // namespace

Status knn_search(const Mat& x, int k, Metric m, Knn& out) { return knn_run(x, x, k, m, true, out); }

Status knn_query(const Mat& base, const Mat& queries, int k, Metric m, Knn& out) {
  return knn_run(base, queries, k, m, false, out);
}

}  // namespace lab::core
