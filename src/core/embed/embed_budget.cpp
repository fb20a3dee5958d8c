#include "core/embed/embed_budget.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/memory_budget.h"

namespace lab::core {

namespace {

// The largest n in [1, hi] with bytes(n) within the budget (bytes grows with n), or 0 if none.
template <class F>
double largest_fitting(F bytes, double hi) {
  if (!memory_fits(bytes(1.0))) return 0;
  double lo = 1;
  while (hi - lo > 1) {
    const double mid = std::floor((lo + hi) / 2);
    (memory_fits(bytes(mid)) ? lo : hi) = mid;
  }
  return memory_fits(bytes(hi)) ? hi : lo;
}

std::string whole(double v) { return memory_shape({v}); }

double tsne_k(double n, double perplexity) { return std::min(n - 1, std::floor(3 * perplexity + 1)); }

}  // namespace

double pca_bytes(double n, double d) { return 16 * n + 32 * d * d + 64 * d; }

double tsne_bytes(double n, double d, TsneMethod method, double perplexity, TsneInit init) {
  double b = 8 * n * d + 200 * n;
  if (method == TsneMethod::Exact) b += 30 * n * n;
  else b += 100 * n * tsne_k(n, perplexity) + 1024 * n;
  if (method == TsneMethod::Fft) b += 56 * std::min(8 * n, 1024.0 * 1024.0);  // its grids: (2 nodes)^2 <= 8 N (tsne.cpp)
  if (init == TsneInit::Pca) b += pca_bytes(n, d);
  return b;
}

double knn_bytes(double n_base, double n_query, double d, double k) {
  const double block = std::min(256.0, n_query);
  return 8 * n_query * k + 4 * n_base * block + 4 * (n_base + block) * d + 8 * n_base;
}

double trustworthiness_bytes(double n, double d, double d_embed, double k) {
  return 8 * n * d + 8 * n * std::min(256.0, n) + knn_accuracy_bytes(n, d_embed, k) + 16 * n;
}

double knn_accuracy_bytes(double n, double d_embed, double k) { return 8 * n * d_embed + 4 * n * k + 12 * n; }

Status pca_budget_check(Index n, Index d) {
  const double nd = double(n), dd = double(d);
  const double bytes = pca_bytes(nd, dd);
  if (memory_fits(bytes)) return Status::success();
  const double max_d = largest_fitting([&](double x) { return pca_bytes(nd, x); }, dd);
  return memory_check(bytes, "PCA",
                      "a " + memory_shape({dd, dd}) + " covariance matrix with its eigenvectors",
                      max_d >= 2 ? "use fewer features (at most " + whole(max_d) + " with " + whole(nd) +
                                       " points) or fewer points"
                                 : std::string("use fewer points"));
}

Status tsne_budget_check(Index n, Index d, TsneMethod method, double perplexity, TsneInit init) {
  const double nd = double(n), dd = double(d);
  const double bytes = tsne_bytes(nd, dd, method, perplexity, init);
  if (memory_fits(bytes)) return Status::success();
  if (init == TsneInit::Pca && !memory_fits(pca_bytes(nd, dd)))  // the features, not the points, are the problem
    return memory_check(bytes, "t-SNE (PCA initialisation)",
                        "a " + memory_shape({dd, dd}) + " covariance matrix with its eigenvectors (while P is held)",
                        "use init random, or fewer features");
  if (method != TsneMethod::Exact) {
    // Barnes-Hut and FFT need N > 3 perplexity + 1, so fewer points is no way out of a large perplexity:
    // the hint gives the largest perplexity that fits with these points.
    const double k = tsne_k(nd, perplexity);
    const double per_k = 100 * nd, rest = tsne_bytes(nd, dd, method, perplexity, init) - per_k * k;
    const double max_perplexity = std::floor(((double(memory_budget()) - rest) / per_k - 1) / 3);
    return memory_check(bytes, method == TsneMethod::Fft ? "t-SNE (FFT)" : "t-SNE (Barnes-Hut)",
                        whole(nd) + " points with " + whole(k) + " neighbours each (3 x perplexity + 1)",
                        max_perplexity >= 1 ? "lower the perplexity (at most " + whole(max_perplexity) + " with " +
                                                  whole(nd) + " points) or use fewer points"
                                            : std::string("use fewer points"));
  }
  const double max_n = largest_fitting([&](double x) { return tsne_bytes(x, dd, method, perplexity, init); }, nd);
  const std::string fewer = max_n >= 4 ? "at most " + whole(max_n) + " points" : std::string("fewer points");
  return memory_check(bytes, "t-SNE (exact)",
                      "a " + memory_shape({nd, nd}) + " matrix of pairwise probabilities",
                      "use Barnes-Hut (method bh) or " + fewer);
}

Status knn_budget_check(Index n_base, Index n_query, Index d, int k) {
  const double bytes = knn_bytes(double(n_base), double(n_query), double(d), double(k));
  return memory_check(bytes, "k-NN",
                      whole(double(n_query)) + " queries x " + whole(double(k)) + " neighbours among " +
                          memory_shape({double(n_base), double(d)}) + " points",
                      "use fewer points or features, or a smaller k");
}

Status trustworthiness_budget_check(Index n, Index d, Index d_embed, int k) {
  const double bytes = trustworthiness_bytes(double(n), double(d), double(d_embed), double(k));
  return memory_check(bytes, "trustworthiness", "the " + memory_shape({double(n), double(d)}) + " data in double precision and its distances",
                      "measure a subsample of the points");
}

Status knn_accuracy_budget_check(Index n, Index d_embed, int k) {
  const double bytes = knn_accuracy_bytes(double(n), double(d_embed), double(k));
  return memory_check(bytes, "k-NN accuracy", whole(double(n)) + " points x " + whole(double(k)) + " neighbours",
                      "use a smaller k or fewer points");
}

}  // namespace lab::core
