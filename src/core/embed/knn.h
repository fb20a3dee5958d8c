// Brute-force k-nearest neighbours under any Metric. Distances for a block of queries come from one
// matrix product (metric_matrix), then a partial selection per query. Ties are broken by index
// (the lower index is the nearer neighbour), so results are the same on every platform and run.
#pragma once

#include <cstdint>
#include <vector>

#include "core/embed/similarity.h"
#include "core/status.h"

namespace lab::core {

struct Knn {
  int n = 0;                    // number of queries
  int k = 0;                    // neighbours per query
  std::vector<int32_t> index;   // (n, k) row-major: neighbours of query i, nearest first
  std::vector<Scalar> value;    // the metric value of each neighbour (a distance or a similarity)

  int32_t neighbour(int i, int j) const { return index[size_t(i) * k + j]; }
  Scalar metric_value(int i, int j) const { return value[size_t(i) * k + j]; }
};

// The k nearest *other* points of every row of x (a point is never its own neighbour; an exact
// duplicate of it is). Errors: k < 1, k >= N, non-finite values.
Status knn_search(const Mat& x, int k, Metric m, Knn& out);

// The k nearest rows of `base` for every row of `queries` (nothing excluded). Errors: k < 1,
// k > base rows, column counts differ, non-finite values.
Status knn_query(const Mat& base, const Mat& queries, int k, Metric m, Knn& out);

// A sentence naming the first non-finite entry of x ("row 3, column 7 is NaN"), or ok.
Status finite_check(const Mat& x, std::string_view what);

}  // namespace lab::core
