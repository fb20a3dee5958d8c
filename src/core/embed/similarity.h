// Similarities and distances between samples (rows). Two kinds of measure live here:
//   similarities (larger = closer): dot, cosine
//   distances   (smaller = closer): euclidean, sq_euclidean
// measure_matrix() computes all pairs with one matrix product (|a|^2 + |b|^2 - 2 a.b for distances),
// which is what makes brute-force k-NN fast (Eigen's GEMM natively, LLVM's vectoriser in WASM).
// The cosine of a zero vector is defined as 0 (it is similar to nothing, not even itself).
// Vocabulary: a *measure* compares two vectors (core::Measure, here; the triplet loss takes the same
// enum); a *metric* is a number a lab block reports (runtime::Metric), as lessons use the word.
#pragma once

#include <string_view>

#include "core/types.h"

namespace lab::core {

enum class Measure { Dot, Cosine, Euclidean, SqEuclidean };

// A row of a column-major matrix has a stride; this accepts rows, RowVecs and row blocks.
using RowRef = Eigen::Ref<const RowVec, 0, Eigen::InnerStride<>>;

std::string_view measure_name(Measure m);               // "dot", "cosine", "euclidean", "sq_euclidean"
bool measure_parse(std::string_view name, Measure& out);  // false for an unknown name
bool measure_is_similarity(Measure m);                  // true for dot and cosine (larger = closer)

// One pair, accumulated in double (exact enough to test identities such as |x-y|^2 = 2(1-cos)).
double measure_pair(Measure m, const RowRef& a, const RowRef& b);

// All pairs: out(i, j) = measure(a.row(i), b.row(j)), shape (a.rows(), b.rows()); a and b need the
// same number of columns. Squared distances are clamped at 0 (cancellation can make them -1e-7).
Mat measure_matrix(Measure m, const Mat& a, const Mat& b);

// All pairs of x with itself; the diagonal is exact (0 for distances, |x_i|^2 for dot,
// 1 for cosine of a non-zero row).
Mat measure_self(Measure m, const Mat& x);

// Each row scaled to unit length (zero rows stay zero).
Mat rows_normalized(const Mat& x);

}  // namespace lab::core
