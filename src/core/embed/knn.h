// Brute-force k-nearest neighbours under any Measure. Distances for a block of queries come from one
// matrix product (measure_matrix), then a partial selection per query. Ties are broken by index
// (the lower index is the nearer neighbour), so results are the same on every platform and run.
// knn_search also comes in pieces (knn_search_begin / knn_search_continue) for callers that must
// stay within a frame's time budget; knn_search itself runs those same pieces in one go.
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
  std::vector<Scalar> value;    // the measure of each neighbour (a distance or a similarity)

  int32_t neighbour(int i, int j) const { return index[size_t(i) * k + j]; }
  Scalar measure_value(int i, int j) const { return value[size_t(i) * k + j]; }
};

// The k nearest *other* points of every row of x (a point is never its own neighbour; an exact
// duplicate of it is). Errors: k < 1, k >= N, non-finite values.
Status knn_search(const Mat& x, int k, Measure m, Knn& out);

// The same search in pieces, each a few milliseconds at most:
//   KnnJob job;
//   if (Status st = knn_search_begin(x, k, m, out, job); !st) ...   // validates, sizes `out`
//   while (!knn_search_continue(x, out, job)) { ... }                // one piece per call
// A piece is either the matrix product of one block of kKnnBlock queries against every point, or
// the neighbour selection of a few queries of that block. x must not change in between. The result
// is bit-identical to knn_search's: the blocks and the arithmetic are the same.
constexpr Index kKnnBlock = 256;
struct KnnJob {
  Measure measure = Measure::SqEuclidean;
  Index next = 0;         // queries finished
  Index block_begin = 0;  // first query of the block whose measures are in `values`
  Index block_size = 0;   // 0: no block computed
  Mat values;             // (N, block_size): column c = measure of query block_begin + c against every point
  std::vector<uint64_t> keys;
};
Status knn_search_begin(const Mat& x, int k, Measure m, Knn& out, KnnJob& job);
// Does one piece; returns true when every query is done.
bool knn_search_continue(const Mat& x, Knn& out, KnnJob& job);

// The k nearest rows of `base` for every row of `queries` (nothing excluded). Errors: k < 1,
// k > base rows, column counts differ, non-finite values.
Status knn_query(const Mat& base, const Mat& queries, int k, Measure m, Knn& out);

// A sentence naming the first non-finite entry of x ("row 3, column 7 is NaN"), or ok.
Status finite_check(const Mat& x, std::string_view what);

}  // namespace lab::core
