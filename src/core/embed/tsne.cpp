#include "core/embed/tsne.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/det_math.h"
#include "core/embed/embed_budget.h"
#include "core/embed/knn.h"
#include "core/embed/pca.h"
#include "core/rng.h"

namespace lab::core {

std::string_view tsne_method_name(TsneMethod m) {
  switch (m) {
    case TsneMethod::Automatic: return "auto";
    case TsneMethod::Exact: return "exact";
    case TsneMethod::BarnesHut: return "bh";
    case TsneMethod::Fft: return "fft";
  }
  return "?";
}

std::string_view tsne_init_name(TsneInit i) { return i == TsneInit::Pca ? "pca" : "random"; }

namespace {

constexpr int kMaxExactN = 8000;  // dense N x N conditional P: 8000^2 doubles = 512 MB

std::string num(double v) {
  std::string s = std::to_string(v);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Squared Euclidean distance of two samples stored as columns of xt (D, N), in double, fixed order.
double sqdist(const MatD& xt, Index i, Index j) {
  const double* a = xt.col(i).data();
  const double* b = xt.col(j).data();
  double s = 0;
  for (Index k = 0; k < xt.rows(); ++k) {
    const double t = a[k] - b[k];
    s += t * t;
  }
  return s;
}

// Finds beta for one point so that the entropy of p_j ~ exp(-beta d_j) is log(perplexity), writes
// the normalised p_j (the conditional p_{j|i}) and returns beta. Distances are shifted by their
// minimum, so the nearest neighbour has weight exp(0) = 1: the sum never underflows and no NaN
// can appear, whatever the scale of the data. The search is bounded by max_steps.
double perplexity_calibrate(const double* d, int k, double log_perplexity, double tol, int max_steps, double* p) {
  double dmin = d[0], dmax = d[0], dsum = 0;
  for (int j = 0; j < k; ++j) {
    dmin = std::min(dmin, d[j]);
    dmax = std::max(dmax, d[j]);
  }
  for (int j = 0; j < k; ++j) dsum += d[j] - dmin;
  if (dmax == dmin) {  // all neighbours equally far: uniform, whatever beta
    for (int j = 0; j < k; ++j) p[j] = 1.0 / k;
    return 1.0;
  }
  // Newton's method on H(beta) = log(sum_j e^{-beta d_j}) + beta E[d], with dH/dbeta = -beta Var[d],
  // safeguarded by a bisection bracket [lo, hi] (a Newton step leaving it is replaced by bisection),
  // so it converges in a few steps where plain bisection needs 20-30, and can never diverge.
  double beta = double(k) / dsum;  // 1 / mean shifted distance: the right order of magnitude
  double lo = 0, hi = INFINITY;
  for (int step = 0; step < max_steps; ++step) {
    double sum = 0, sdp = 0, sd2p = 0;
    for (int j = 0; j < k; ++j) {
      const double dj = d[j] - dmin;
      const double pj = det_exp(-beta * dj);
      sum += pj;
      sdp += dj * pj;
      sd2p += dj * dj * pj;
    }
    const double mean = sdp / sum;
    const double entropy = det_log(sum) + beta * mean;
    const double diff = entropy - log_perplexity;
    if (std::abs(diff) <= tol) break;
    if (diff > 0) lo = beta;  // too flat: beta must grow
    else hi = beta;
    const double slope = -beta * (sd2p / sum - mean * mean);
    double next = slope < 0 ? beta - diff / slope : -1;
    if (!(next > lo && next < hi)) next = std::isinf(hi) ? beta * 2 : (lo + hi) / 2;
    beta = next;
  }
  double sum = 0;
  for (int j = 0; j < k; ++j) {
    p[j] = det_exp(-beta * (d[j] - dmin));
    sum += p[j];
  }
  for (int j = 0; j < k; ++j) p[j] /= sum;
  return beta;
}

Status tsne_validate(const Mat& x, const TsneParams& params, TsneMethod& method) {
  const Index n = x.rows();
  if (n < 4) return Status::error("t-SNE needs at least 4 points, got " + std::to_string(n));
  if (x.cols() < 1) return Status::error("t-SNE needs at least one feature per point");
  if (Status s = finite_check(x, "t-SNE data"); !s) return s;
  bool all_same = true;
  for (Index i = 1; i < n && all_same; ++i) all_same = (x.row(i) == x.row(0));
  if (all_same)
    return Status::error("t-SNE: all " + std::to_string(n) +
                         " points are identical, so there is no structure to embed");
  if (!(params.perplexity >= 1))
    return Status::error("t-SNE: perplexity must be at least 1 (got " + num(params.perplexity) + ")");
  if (!(params.theta >= 0)) return Status::error("t-SNE: theta must be >= 0 (got " + num(params.theta) + ")");
  if (!(params.fft_spacing > 0) || !std::isfinite(params.fft_spacing))
    return Status::error("t-SNE: the FFT grid spacing must be > 0 (got " + num(params.fft_spacing) + ")");
  if (!(params.early_exaggeration > 0))
    return Status::error("t-SNE: early exaggeration must be > 0 (got " + num(params.early_exaggeration) + ")");
  if (!(params.init_std > 0)) return Status::error("t-SNE: init_std must be > 0");
  if (!std::isfinite(params.learning_rate)) return Status::error("t-SNE: learning rate must be finite");
  if (params.perplexity_max_steps < 1) return Status::error("t-SNE: perplexity_max_steps must be >= 1");
  method = params.method;
  if (method == TsneMethod::Automatic) {
    // Exact up to exact_max_n points (the measured crossover, tsne.h), and wherever the sparse P cannot
    // be built (3 perplexity >= N - 1) -- unless its N x N memory is over the budget
    // (core/memory_budget.h); FFT (with Barnes-Hut where the grid would cost more) above.
    const bool exact_fits = tsne_budget_check(n, x.cols(), TsneMethod::Exact, params.perplexity, params.init).ok;
    const bool bh_possible = 3 * params.perplexity < double(n - 1);
    method = (n <= params.exact_max_n || !bh_possible) && exact_fits ? TsneMethod::Exact : TsneMethod::Fft;
  }
  if (method == TsneMethod::Exact) {
    if (params.perplexity >= double(n))
      return Status::error("t-SNE: perplexity " + num(params.perplexity) + " must be less than the number of points (" +
                           std::to_string(n) + "); try " + num(std::max(1.0, std::floor((n - 1) / 3.0))));
    // Checked before anything is allocated; the WASM page would abort on a failed allocation.
    if (Status st = tsne_budget_check(n, x.cols(), method, params.perplexity, params.init); !st) return st;
    if (n > kMaxExactN)
      return Status::error("t-SNE: the exact method needs N x N memory; with " + std::to_string(n) +
                           " points use Barnes-Hut (method bh)");
  } else {
    if (3 * params.perplexity >= double(n - 1))
      return Status::error("t-SNE: " + std::string(method == TsneMethod::Fft ? "the FFT method" : "Barnes-Hut") +
                           " needs perplexity < (N-1)/3 = " + num((n - 1) / 3.0) + " for N = " +
                           std::to_string(n) + " (it keeps 3 x perplexity neighbours); lower the perplexity or use "
                           "the exact method");
    if (Status st = tsne_budget_check(n, x.cols(), method, params.perplexity, params.init); !st) return st;
  }
  return Status::success();
}

// ---- initialisation, in pieces --------------------------------------------------------------
// tsne_init_step runs pieces until its budget is spent; tsne_init runs them all. Each piece is a
// stretch of one of the loops that compute P and the start (same operations, same order), so the
// result does not depend on where the slices fall. The stages and their passes:
//   neighbours   Barnes-Hut only: knn_search in pieces (a block's matrix product, or a few queries)
//   bandwidths   one point per piece: its distances, perplexity_calibrate, p_{j|i}
//   joint        exact:      (0) the total, (1) P's rows, (2) P's upper triangle   -- rows per piece
//                Barnes-Hut: (0) the union lists, (1) P's rows, (2) P /= total,
//                            (3) P's upper triangle                                -- rows or entries
//   start        one piece: the PCA (or random) start, then the optimiser's buffers

constexpr Index kPieceEntries = 16384;  // a piece over rows of P touches about this many entries

// Rows per piece when a row costs about `per_row` entries.
Index rows_per_piece(Index per_row) { return std::max<Index>(1, kPieceEntries / std::max<Index>(1, per_row)); }

void init_next(TsneInitWork& w, TsneInitStage stage) {
  w.stage = stage;
  w.pass = 0;
  w.cursor = 0;
}

void init_fail(TsneState& s, Status st) {
  s.init = TsneInitWork{};  // frees the work buffers
  s.init.stage = TsneInitStage::Failed;
  s.init.status = std::move(st);
}

int joint_passes(const TsneState& s) { return s.method == TsneMethod::Exact ? 3 : 4; }

// The sparse methods keep each point's floor(3 perplexity + 1) nearest neighbours. They are chosen
// by exact double distances among kExtraCandidates more candidates from the float matrix product:
// that product sums in a different order with SSE and in WASM, so two points near the k-th place
// could swap there (on Fashion-MNIST's 10,000 images, 9 of them did, and the layouts drifted apart).
constexpr int kExtraCandidates = 16;
int sparse_neighbours(const TsneState& s) { return std::min(s.n - 1, int(3.0 * s.params.perplexity + 1)); }

// bh, fft: each point's neighbour candidates, from a float matrix product.
void piece_neighbours(TsneState& s) {
  TsneInitWork& w = s.init;
  if (w.pass == 0) {
    const int k = std::min(s.n - 1, sparse_neighbours(s) + kExtraCandidates);
    if (Status st = knn_search_begin(w.x, k, Measure::SqEuclidean, w.knn, w.knn_job); !st) return init_fail(s, st);
    w.pass = 1;
    return;
  }
  if (knn_search_continue(w.x, w.knn, w.knn_job)) {
    w.knn_job = KnnJob{};
    init_next(w, TsneInitStage::Bandwidths);
  }
}

// Exact: conditional probabilities over all pairs, one point (column of cond) per piece.
void piece_bandwidths_exact(TsneState& s) {
  TsneInitWork& w = s.init;
  const TsneParams& params = s.params;
  const int n = s.n;
  if (w.cursor == 0) {
    w.cond = MatD::Zero(n, n);  // cond(j, i) = p_{j|i}: column i contiguous
    w.d.assign(size_t(n - 1), 0.0);
    w.p.assign(size_t(n - 1), 0.0);
  }
  const double log_perp = det_log(params.perplexity);
  const int i = int(w.cursor);
  int m = 0;
  for (int j = 0; j < n; ++j)
    if (j != i) w.d[m++] = sqdist(w.xt, i, j);
  const double beta = perplexity_calibrate(w.d.data(), n - 1, log_perp, params.perplexity_tolerance,
                                           params.perplexity_max_steps, w.p.data());
  s.sigma[i] = std::sqrt(1 / (2 * beta));
  m = 0;
  for (int j = 0; j < n; ++j)
    if (j != i) w.cond(j, i) = w.p[m++];
  if (++w.cursor == n) init_next(w, TsneInitStage::Joint);
}

// Barnes-Hut: conditional probabilities over each point's k nearest neighbours, one point per piece.
void piece_bandwidths_sparse(TsneState& s) {
  TsneInitWork& w = s.init;
  const TsneParams& params = s.params;
  const int n = s.n;
  const int k = sparse_neighbours(s), candidates = w.knn.k;
  if (w.cursor == 0) {
    w.nb.assign(size_t(candidates), {0.0, 0});
    w.d.assign(size_t(k), 0.0);
    w.p.assign(size_t(k), 0.0);
    w.nb_index.assign(size_t(n) * k, 0);
    w.nb_p.assign(size_t(n) * k, 0.0);
    w.row_len.assign(size_t(n), k);
  }
  const double log_perp = det_log(params.perplexity);
  const int i = int(w.cursor);
  // Exact double distances for the candidates the float matrix product found, in a unique order;
  // the k nearest of them are the neighbours.
  for (int j = 0; j < candidates; ++j) {
    const int32_t c = w.knn.neighbour(i, j);
    w.nb[j] = {sqdist(w.xt, i, c), c};
  }
  std::sort(w.nb.begin(), w.nb.end());
  for (int j = 0; j < k; ++j) w.d[j] = w.nb[j].first;
  const double beta = perplexity_calibrate(w.d.data(), k, log_perp, params.perplexity_tolerance,
                                           params.perplexity_max_steps, w.p.data());
  s.sigma[i] = std::sqrt(1 / (2 * beta));
  for (int j = 0; j < k; ++j) {
    w.nb_index[size_t(i) * k + j] = w.nb[j].second;
    w.nb_p[size_t(i) * k + j] = w.p[j];
    ++w.row_len[w.nb[j].second];
  }
  if (++w.cursor == n) {
    w.knn = Knn{};
    init_next(w, TsneInitStage::Joint);
  }
}

// Upper-triangle copy of P (its values in float) and sum p log p, for tsne_attraction: rows [i0, i1).
void p_upper_rows(TsneState& s, int i0, int i1) {
  if (i0 == 0) {
    s.pu_row.assign(size_t(s.n) + 1, 0);
    s.pu_col.clear();
    s.pu_val.clear();
    s.p_log_p = 0;
  }
  for (int i = i0; i < i1; ++i) {
    for (int32_t e = s.p_row[i]; e < s.p_row[i + 1]; ++e) {
      if (s.p_val[e] > 0) s.p_log_p += s.p_val[e] * det_log(s.p_val[e]);
      if (s.p_col[e] > i) {
        s.pu_col.push_back(s.p_col[e]);
        s.pu_val.push_back(float(s.p_val[e]));
      }
    }
    s.pu_row[i + 1] = int32_t(s.pu_col.size());
  }
}

// The last pass of both methods: P's upper triangle, then on to the start.
void piece_upper(TsneState& s) {
  TsneInitWork& w = s.init;
  const int i0 = int(w.cursor);
  const int i1 = int(std::min<Index>(s.n, i0 + rows_per_piece(Index(s.p_col.size()) / s.n)));
  p_upper_rows(s, i0, i1);
  w.cursor = i1;
  if (i1 == s.n) init_next(w, TsneInitStage::Start);
}

// Moves a row-range pass on to row i1; after the last row, to the start of the next pass.
void cursor_advance(TsneInitWork& w, int i1, int n) {
  w.cursor = i1;
  if (i1 == n) {
    ++w.pass;
    w.cursor = 0;
  }
}

// Exact: P = (cond + cond^T) / total over all pairs, in a dense-pattern CSR.
void piece_joint_exact(TsneState& s) {
  TsneInitWork& w = s.init;
  const int n = s.n;
  const MatD& cond = w.cond;
  const int i0 = int(w.cursor);
  const int i1 = int(std::min<Index>(n, i0 + rows_per_piece(n)));
  switch (w.pass) {
    case 0:
      if (i0 == 0) w.total = 0;
      for (int i = i0; i < i1; ++i)
        for (int j = 0; j < n; ++j)
          if (j != i) w.total += cond(j, i) + cond(i, j);
      break;
    case 1:
      if (i0 == 0) {
        s.p_row.assign(size_t(n) + 1, 0);
        s.p_col.clear();
        s.p_val.clear();
        s.p_col.reserve(size_t(n) * (n - 1));
        s.p_val.reserve(size_t(n) * (n - 1));
      }
      for (int i = i0; i < i1; ++i) {
        for (int j = 0; j < n; ++j)
          if (j != i) {
            s.p_col.push_back(j);
            s.p_val.push_back((cond(j, i) + cond(i, j)) / w.total);
          }
        s.p_row[i + 1] = int32_t(s.p_col.size());
      }
      break;
    default:
      w.cond = MatD();
      return piece_upper(s);
  }
  cursor_advance(w, i1, n);
}

// Barnes-Hut: row i of the symmetric P holds c_{j|i} for i's neighbours j and c_{i|j} for the
// points j that have i as a neighbour; a pair present both ways is summed. Built row by row in CSR.
void piece_joint_sparse(TsneState& s) {
  TsneInitWork& w = s.init;
  const int n = s.n;
  const int k = int(w.nb_index.size() / size_t(n));
  const int i0 = int(w.cursor);
  const int i1 = int(std::min<Index>(n, i0 + rows_per_piece(2 * k)));
  switch (w.pass) {
    case 0:  // every pair (i, neighbour) goes into both rows
      if (i0 == 0) {
        w.start.assign(size_t(n) + 1, 0);
        for (int i = 0; i < n; ++i) w.start[i + 1] = w.start[i] + w.row_len[i];
        w.raw.assign(static_cast<size_t>(w.start[n]), {0, 0.0});
        w.fill.assign(w.start.begin(), w.start.end() - 1);
      }
      for (int i = i0; i < i1; ++i)
        for (int j = 0; j < k; ++j) {
          const int32_t c = w.nb_index[size_t(i) * k + j];
          const double v = w.nb_p[size_t(i) * k + j];
          w.raw[w.fill[i]++] = {c, v};
          w.raw[w.fill[c]++] = {i, v};
        }
      break;
    case 1:  // sorted, duplicates summed
      if (i0 == 0) {
        s.p_row.assign(size_t(n) + 1, 0);
        s.p_col.clear();
        s.p_val.clear();
        w.total = 0;
      }
      for (int i = i0; i < i1; ++i) {
        std::sort(w.raw.begin() + w.start[i], w.raw.begin() + w.start[i + 1]);  // (column, value): a unique order
        for (int32_t e = w.start[i]; e < w.start[i + 1]; ++e) {
          w.total += w.raw[e].second;
          if (e > w.start[i] && w.raw[e - 1].first == w.raw[e].first) {
            s.p_val.back() += w.raw[e].second;
          } else {
            s.p_col.push_back(w.raw[e].first);
            s.p_val.push_back(w.raw[e].second);
          }
        }
        s.p_row[i + 1] = int32_t(s.p_col.size());
      }
      break;
    case 2: {  // normalised (entries, not rows)
      const Index e0 = w.cursor, e1 = std::min<Index>(Index(s.p_val.size()), e0 + kPieceEntries);
      for (Index e = e0; e < e1; ++e) s.p_val[size_t(e)] /= w.total;
      w.cursor = e1;
      if (e1 == Index(s.p_val.size())) {
        w.raw = {};
        w.nb_index = {};
        w.nb_p = {};
        ++w.pass;
        w.cursor = 0;
      }
      return;
    }
    default:
      return piece_upper(s);
  }
  cursor_advance(w, i1, n);
}

// The initial Y (random, or PCA scaled so PC1 has std init_std) and the optimiser's buffers.
void piece_start(TsneState& s) {
  TsneInitWork& w = s.init;
  const TsneParams& params = s.params;
  const int n = s.n;
  s.y.resize(n, 2);
  if (params.init == TsneInit::Random) {
    Rng rng(params.seed);
    for (int i = 0; i < n; ++i)
      for (int d = 0; d < 2; ++d) s.y(i, d) = params.init_std * rng_normal(rng);
  } else {
    Pca pca;
    if (Status st = pca_fit(w.x, 2, pca); !st) return init_fail(s, st);
    s.y = pca_transform(pca, w.x).cast<double>();
    // Plain loops, not Eigen reductions: those sum in SIMD-width order (SSE natively, scalar in WASM).
    double sum0 = 0, ss0 = 0;
    for (int i = 0; i < n; ++i) sum0 += s.y(i, 0);
    const double mean0 = sum0 / n;
    for (int i = 0; i < n; ++i) ss0 += (s.y(i, 0) - mean0) * (s.y(i, 0) - mean0);
    const double std0 = std::sqrt(ss0 / n);
    if (!(std0 > 0)) return init_fail(s, Status::error("t-SNE: PCA initialisation is degenerate; use init random"));
    s.y *= params.init_std / std0;
  }
  s.update = MatD::Zero(n, 2);
  s.gains = MatD::Ones(n, 2);
  s.grad.assign(size_t(2) * n, 0);
  s.force_attr.assign(size_t(2) * n, 0.0f);
  s.force_rep.assign(size_t(2) * n, 0);
  s.init = TsneInitWork{};  // done: frees the work buffers
}

void init_piece(TsneState& s) {
  const bool exact = s.method == TsneMethod::Exact;
  switch (s.init.stage) {
    case TsneInitStage::Neighbours: return piece_neighbours(s);
    case TsneInitStage::Bandwidths: return exact ? piece_bandwidths_exact(s) : piece_bandwidths_sparse(s);
    case TsneInitStage::Joint: return exact ? piece_joint_exact(s) : piece_joint_sparse(s);
    case TsneInitStage::Start: return piece_start(s);
    case TsneInitStage::Done:
    case TsneInitStage::Failed: return;
  }
}

uint32_t morton_spread(uint32_t v) {  // 16 bits -> even bits of 32
  v &= 0xFFFF;
  v = (v | (v << 8)) & 0x00FF00FF;
  v = (v | (v << 4)) & 0x0F0F0F0F;
  v = (v | (v << 2)) & 0x33333333;
  v = (v | (v << 1)) & 0x55555555;
  return v;
}

// Four floats for the Barnes-Hut kernel (GCC and clang vector extensions: SSE natively, f32x4 in
// WASM with -msimd128, scalar code without). GCC 12 does not vectorise the plain loop, clang judged
// it "not beneficial"; written as vectors it runs 4-wide everywhere.
typedef float F32x4 __attribute__((vector_size(16)));

constexpr int kTreeLevels = 16;  // Morton keys of 2 x 16 bits
constexpr int kLeafSize = 16;    // cells with at most this many points are not split further
constexpr size_t kBhBlock = 64;  // bodies (16 per lane) summed in float before a double sum

// Builds node `node` over order[begin, end) (sorted by Morton key, so every cell is a range).
// A cell summarises its points by their centre of mass and the squared diagonal of their tight
// bounding box: the far-field error of a cell depends on how spread its points are, not on the
// size of the grid square that holds them, so this radius makes the test both tighter and cheaper.
void tree_build_node(TsneState& s, int32_t node, int32_t begin, int32_t end, int level) {
  const double* sp = s.pos_sorted.data();
  const int32_t count = end - begin;
  double sx = 0, sy = 0;
  double x0 = sp[2 * begin], x1 = x0, y0 = sp[2 * begin + 1], y1 = y0;
  for (int32_t m = begin; m < end; ++m) {
    const double px = sp[2 * m], py = sp[2 * m + 1];
    sx += px;
    sy += py;
    x0 = std::min(x0, px);
    x1 = std::max(x1, px);
    y0 = std::min(y0, py);
    y1 = std::max(y1, py);
  }
  {
    TsneState::Node& nd = s.tree[node];
    nd.cx = sx / count;
    nd.cy = sy / count;
    nd.width2 = (x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0);
    nd.count = count;
    nd.first = -1;
    nd.nchild = 0;
    nd.begin = begin;
  }
  if (count <= kLeafSize || level == kTreeLevels) return;
  const int shift = 2 * (kTreeLevels - 1 - level);
  int32_t bounds[5];
  int32_t m = begin;
  for (uint32_t q = 0; q < 4; ++q) {
    bounds[q] = m;
    while (m < end && ((s.keys_sorted[m] >> shift) & 3u) == q) ++m;
  }
  bounds[4] = end;
  int nchild = 0;
  for (int q = 0; q < 4; ++q) nchild += bounds[q + 1] > bounds[q];
  if (nchild == 1) {  // all points in one quadrant: descend without creating a node
    tree_build_node(s, node, begin, end, level + 1);
    return;
  }
  const int32_t first = int32_t(s.tree.size());
  s.tree.resize(s.tree.size() + nchild);
  s.tree[node].first = first;
  s.tree[node].nchild = nchild;
  int c = 0;
  for (int q = 0; q < 4; ++q)
    if (bounds[q + 1] > bounds[q]) tree_build_node(s, first + c++, bounds[q], bounds[q + 1], level + 1);
}

void tree_build(TsneState& s) {
  const int n = s.n;
  const double* pos = s.pos.data();
  double x0 = pos[0], x1 = pos[0], y0 = pos[1], y1 = pos[1];
  for (int i = 1; i < n; ++i) {
    x0 = std::min(x0, pos[2 * i]);
    x1 = std::max(x1, pos[2 * i]);
    y0 = std::min(y0, pos[2 * i + 1]);
    y1 = std::max(y1, pos[2 * i + 1]);
  }
  double side = std::max(x1 - x0, y1 - y0);
  if (!(side > 0)) side = 1e-300;
  const double scale = 65536.0 / side;
  s.keys.resize(size_t(n));
  s.order.resize(size_t(n));
  s.sort_buf.resize(size_t(n));
  for (int i = 0; i < n; ++i) {
    const uint32_t ix = uint32_t(std::min(65535.0, (pos[2 * i] - x0) * scale));
    const uint32_t iy = uint32_t(std::min(65535.0, (pos[2 * i + 1] - y0) * scale));
    s.keys[i] = morton_spread(ix) | (morton_spread(iy) << 1);
    s.sort_buf[i] = (uint64_t(s.keys[i]) << 32) | uint32_t(i);  // (key, index): a unique order
  }
  std::sort(s.sort_buf.begin(), s.sort_buf.end());
  for (int m = 0; m < n; ++m) s.order[m] = int32_t(s.sort_buf[m] & 0xFFFFFFFFu);
  s.pos_sorted.resize(size_t(2) * n);
  s.keys_sorted.resize(size_t(n));
  for (int m = 0; m < n; ++m) {
    s.pos_sorted[2 * m] = pos[2 * s.order[m]];
    s.pos_sorted[2 * m + 1] = pos[2 * s.order[m] + 1];
    s.keys_sorted[m] = s.keys[s.order[m]];
  }
  s.tree.clear();
  s.tree.resize(1);
  tree_build_node(s, 0, 0, n, 0);
}

// Repulsive forces by Barnes-Hut: rep_i = sum_j w_ij^2 (y_i - y_j) (unnormalised), returns Z = sum w_ij.
// Group traversal (Barnes 1990): the points of one leaf walk the tree together. A cell is taken as
// one body when it is far from the whole leaf (its spread < theta x the distance from its centre of
// mass to the leaf's bounding box, a stricter test than from any single point), otherwise it is
// opened; leaves that must be opened contribute their points one by one. Every point of the group
// then sums the same interaction list without branches. A point meets itself in that list once
// (w = 1, no force), which is subtracted from its Z.
double tsne_repulsion_bh(TsneState& s, double theta) {
  const double theta2 = theta * theta;
  const double* sp = s.pos_sorted.data();
  const TsneState::Node* tree = s.tree.data();
  double z = 0;
  int32_t stack[4 * (kTreeLevels + 2)];
  s.list_x.resize(size_t(s.n) + 3);
  s.list_y.resize(size_t(s.n) + 3);
  s.list_c.resize(size_t(s.n) + 3);
  float* __restrict lx = s.list_x.data();
  float* __restrict ly = s.list_y.data();
  float* __restrict lc = s.list_c.data();
  for (size_t leaf = 0; leaf < s.tree.size(); ++leaf) {
    const TsneState::Node& g = tree[leaf];
    if (g.first >= 0) continue;
    double gx0 = sp[2 * g.begin], gx1 = gx0, gy0 = sp[2 * g.begin + 1], gy1 = gy0;
    for (int32_t m = g.begin + 1; m < g.begin + g.count; ++m) {
      gx0 = std::min(gx0, sp[2 * m]);
      gx1 = std::max(gx1, sp[2 * m]);
      gy0 = std::min(gy0, sp[2 * m + 1]);
      gy1 = std::max(gy1, sp[2 * m + 1]);
    }
    // Every point is in the list at most once (alone or in a cell), plus up to 3 of padding.
    size_t len = 0;
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const TsneState::Node& nd = tree[stack[--top]];
      const double dx = std::max(0.0, std::max(gx0 - nd.cx, nd.cx - gx1));
      const double dy = std::max(0.0, std::max(gy0 - nd.cy, nd.cy - gy1));
      if (nd.width2 < theta2 * (dx * dx + dy * dy)) {
        lx[len] = float(nd.cx);
        ly[len] = float(nd.cy);
        lc[len++] = float(nd.count);
      } else if (nd.first < 0) {
        for (int32_t m = nd.begin; m < nd.begin + nd.count; ++m) {
          lx[len] = float(sp[2 * m]);
          ly[len] = float(sp[2 * m + 1]);
          lc[len++] = 1.0f;
        }
      } else {
        for (int c = nd.nchild - 1; c >= 0; --c) stack[top++] = nd.first + c;
      }
    }
    // Pad the list to a multiple of 4 with zero-mass bodies (far away: no force, no Z).
    while (len % 4) {
      lx[len] = 0.0f;
      ly[len] = 0.0f;
      lc[len++] = 0.0f;
    }
    for (int32_t mi = g.begin; mi < g.begin + g.count; ++mi) {
      const double xi = sp[2 * mi], yi = sp[2 * mi + 1];
      // Four bodies at a time in float (what scikit-learn's Barnes-Hut uses; each lane does exactly
      // the scalar operations, so SIMD changes no bit), summed in float over blocks of kBhBlock
      // bodies per lane and the blocks in double, in a fixed order (the same on every platform).
      const float xf = float(xi), yf = float(yi);
      double z4[4] = {0, 0, 0, 0}, x4[4] = {0, 0, 0, 0}, y4[4] = {0, 0, 0, 0};
      for (size_t e0 = 0; e0 < len; e0 += kBhBlock) {
        const size_t e1 = std::min(len, e0 + kBhBlock);
        F32x4 zs = {0, 0, 0, 0}, xs = zs, ys = zs;
        for (size_t e = e0; e < e1; e += 4) {
          F32x4 bx, by, bc;
          std::memcpy(&bx, lx + e, sizeof bx);
          std::memcpy(&by, ly + e, sizeof by);
          std::memcpy(&bc, lc + e, sizeof bc);
          const F32x4 dx = xf - bx, dy = yf - by;
          const F32x4 w = 1.0f / (1.0f + dx * dx + dy * dy);
          const F32x4 cw = bc * w;
          const F32x4 cww = cw * w;
          zs += cw;
          xs += cww * dx;
          ys += cww * dy;
        }
        for (int l = 0; l < 4; ++l) {
          z4[l] += zs[l];
          x4[l] += xs[l];
          y4[l] += ys[l];
        }
      }
      const double zi = (z4[0] + z4[1]) + (z4[2] + z4[3]);
      const double fx = (x4[0] + x4[1]) + (x4[2] + x4[3]);
      const double fy = (y4[0] + y4[1]) + (y4[2] + y4[3]);
      const int32_t i = s.order[mi];
      s.force_rep[2 * i] = fx;
      s.force_rep[2 * i + 1] = fy;
      z += zi - 1.0;  // the point itself is in its own group's list exactly once
    }
  }
  return z;
}

// ---- FFT-accelerated interpolation (FIt-SNE: Linderman, Rachh, Hoskins, Steinerberger & Kluger 2019)
// The repulsion needs, for every point i, Z_i = sum_j w_ij and rep_i = sum_j w_ij^2 (y_i - y_j), with
// w = 1 / (1 + |y_i - y_j|^2): sums of the kernels K0(d) = w, Kx(d) = w^2 d_x, Ky(d) = w^2 d_y over
// all points. Each point's unit charge is spread onto a uniform n x n grid of spacing h <= fft_spacing
// by Lagrange interpolation (its 6 x 6 nearest nodes); the grid of charges is convolved with the
// three kernels sampled at the nodes' offsets, by FFT on a grid padded to 2n x 2n; the potentials are
// read back at each point with the same weights. Cost per step: O(N) + O(n^2 log n), where n grows
// with the layout's extent, not with N. FIt-SNE uses 3 nodes per box and 4 charges with one kernel;
// here the three kernels on a single charge need one forward and two inverse transforms and no
// cancellation between large terms. The spectra depend only on (n, h): h is rounded up to
// {1, 1.25, 1.5, 1.75} x a power of two, so they are rebuilt only when the layout's extent crosses a
// step. The sums use the same operations in the same order everywhere (core/fft.h), so this method
// too gives the same bits natively and in WASM.
constexpr int kFftStencil = 6;   // interpolation nodes per axis around each point ...
constexpr int kFftLow = kFftStencil / 2 - 1;  // ... from kFftLow below its cell to kFftStencil - kFftLow - 1 above
constexpr int kFftMinNodes = 32;
constexpr int kFftMaxNodes = 512;  // M = 1024: 16 MB per grid
// The grid's FFTs cost about as much as Barnes-Hut's tree walk when M^2 is ~25 N (measured on
// Fashion-MNIST); beyond kFftCellsPerPoint N a step uses the tree instead.
constexpr double kFftCellsPerPoint = 8;

// Lagrange weights of the kFftStencil nodes -2 .. 3 around a point at fraction t in [0, 1) of the
// way from node 0 to node 1. The error of interpolating the kernels falls as h^6: about 0.5 % of the
// repulsion at h = 0.4, Barnes-Hut's at theta = 0.5 (cubic weights needed h = 0.25 for that, four
// times the grid).
void lagrange_weights(double t, double* w) {
  for (int k = 0; k < kFftStencil; ++k) {
    double num = 1, den = 1;
    for (int j = 0; j < kFftStencil; ++j) {
      if (j == k) continue;
      num *= t - (j - kFftLow);
      den *= k - j;
    }
    w[k] = num / den;
  }
}

// The smallest of {0.5, 0.625, 0.75, 0.875, 1} x 2^e that is >= v > 0 (exact binary numbers).
double spacing_round_up(double v) {
  int e = 0;
  const double f = std::frexp(v, &e);  // v = f 2^e, f in [0.5, 1)
  for (double m : {0.5, 0.625, 0.75, 0.875})
    if (f <= m) return std::ldexp(m, e);
  return std::ldexp(1.0, e);
}

// The kernels' spectra for grid (n, h), divided by M^2 (the inverse transform's scale):
// mult1 = K0^ + i Kx^ (real: K0^ is real, Kx^ imaginary), mult2 = Ky^ / i (real).
void fft_kernels(TsneState::FftGrid& g) {
  const int n = g.n, m = 2 * n;
  if (g.fft.size() != m) g.fft = Fft2(m);  // its twiddles depend on the size only
  std::vector<double>& a = g.grid1;
  a.assign(size_t(2) * m * m, 0.0);
  auto offset = [&](int k) { return k < n ? k : k - m; };  // k = n (never used) gets 0 below
  for (int r = 0; r < m; ++r)
    for (int c = 0; c < m; ++c) {
      if (r == n || c == n) continue;  // keeps the circulant kernels exactly even / odd
      const double dx = offset(r) * g.h, dy = offset(c) * g.h;
      const double w = 1 / (1 + dx * dx + dy * dy);
      a[2 * (size_t(r) * m + c)] = w;               // K0
      a[2 * (size_t(r) * m + c) + 1] = w * w * dx;  // Kx
    }
  g.fft.forward(a.data(), m);
  // With C = K0^ + i Kx^ (both real kernels): K0^(k) = (C(k) + conj C(-k)) / 2, real as K0 is even;
  // Kx^(k) = (C(k) - conj C(-k)) / 2i = i (Re C(-k) - Re C(k)) / 2, imaginary as Kx is odd. Ky is Kx
  // with the axes swapped, so its spectrum is Kx's transposed.
  const double scale = 1.0 / (double(m) * double(m));
  g.mult1.resize(size_t(m) * m);
  g.mult2.resize(size_t(m) * m);
  std::vector<double> kx(size_t(m) * m);
  for (int r = 0; r < m; ++r)
    for (int c = 0; c < m; ++c) {
      const size_t k = size_t(r) * m + c, mk = size_t((m - r) % m) * m + size_t((m - c) % m);
      const double k0 = (a[2 * k] + a[2 * mk]) / 2;
      kx[k] = (a[2 * mk] - a[2 * k]) / 2;
      g.mult1[k] = k0;
    }
  // In the transposed layout [r][c] holds frequency (c, r); Ky^ there is Kx^ at frequency (r, c).
  for (int r = 0; r < m; ++r)
    for (int c = 0; c < m; ++c) {
      const size_t k = size_t(r) * m + c;
      g.mult1[k] = (g.mult1[k] - kx[k]) * scale;  // K0^ + i (i kx) = k0 - kx
      g.mult2[k] = kx[size_t(c) * m + r] * scale;
    }
  ++g.kernel_builds;
}

// Repulsive forces by FFT-accelerated interpolation: rep_i = sum_j w_ij^2 (y_i - y_j) (unnormalised),
// returns Z = sum_{i != j} w_ij.
struct Box {
  double x0, x1, y0, y1;
  double extent() const { return std::max(x1 - x0, y1 - y0); }
};

Box layout_box(const TsneState& s) {
  const double* pos = s.pos.data();
  Box b{pos[0], pos[0], pos[1], pos[1]};
  for (int i = 1; i < s.n; ++i) {
    b.x0 = std::min(b.x0, pos[2 * i]);
    b.x1 = std::max(b.x1, pos[2 * i]);
    b.y0 = std::min(b.y0, pos[2 * i + 1]);
    b.y1 = std::max(b.y1, pos[2 * i + 1]);
  }
  return b;
}

// Nodes per side of the FFT grid for this layout: the fewest (a power of two, at least kFftMinNodes)
// that keep the spacing <= max_spacing; 0 when that grid would cost more than Barnes-Hut's tree.
int fft_nodes(const Box& b, double max_spacing, int n_points) {
  const double extent = b.extent();
  int n = kFftMinNodes;
  while (extent / (n - kFftStencil) > max_spacing) {
    n *= 2;
    if (n > kFftMaxNodes || 4.0 * n * n > kFftCellsPerPoint * n_points) return 0;
  }
  return n;
}

// Repulsive forces by FFT-accelerated interpolation on an n x n grid: rep_i = sum_j w_ij^2 (y_i - y_j)
// (unnormalised), returns Z = sum_{i != j} w_ij.
double tsne_repulsion_fft(TsneState& s, const Box& b, int n) {
  TsneState::FftGrid& g = s.fft;
  const int n_pts = s.n;
  const double* pos = s.pos.data();
  const double extent = b.extent();
  // Every point at least (kFftStencil - 1) / 2 nodes inside the grid, so its nodes exist.
  const double h = spacing_round_up(std::max(extent / (n - kFftStencil), 1e-150));
  if (n != g.n || h != g.h) {
    g.n = n;
    g.h = h;
    fft_kernels(g);
  }
  const int m = 2 * n;
  const double gx = (b.x0 + b.x1) / 2 - (n - 1) * h / 2, gy = (b.y0 + b.y1) / 2 - (n - 1) * h / 2;

  // Spread: the unit charge of each point onto its 6 x 6 nodes (grid1's real parts, rows < n).
  constexpr int P = kFftStencil;
  g.cell.resize(size_t(2) * n_pts);
  g.weight.resize(size_t(2 * P) * n_pts);
  g.grid1.assign(size_t(2) * m * m, 0.0);
  double* q = g.grid1.data();
  for (int i = 0; i < n_pts; ++i) {
    const double u = (pos[2 * i] - gx) / h, v = (pos[2 * i + 1] - gy) / h;
    const int iu = std::clamp(int(u), kFftLow, n - P + kFftLow), iv = std::clamp(int(v), kFftLow, n - P + kFftLow);
    double* wt = &g.weight[size_t(2 * P) * i];
    lagrange_weights(u - iu, wt);
    lagrange_weights(v - iv, wt + P);
    g.cell[2 * size_t(i)] = iu - kFftLow;
    g.cell[2 * size_t(i) + 1] = iv - kFftLow;
    for (int a = 0; a < P; ++a) {
      double* row = q + 2 * (size_t(iu - kFftLow + a) * m + size_t(iv - kFftLow));
      for (int b = 0; b < P; ++b) row[2 * b] += wt[a] * wt[P + b];
    }
  }
  // Convolve: one forward transform, then (K0 + i Kx) and Ky in two inverse ones.
  g.fft.forward(q, n);
  g.grid2.resize(g.grid1.size());
  double* p2 = g.grid2.data();
  for (size_t k = 0; k < size_t(m) * m; ++k) {
    const double re = q[2 * k], im = q[2 * k + 1];
    p2[2 * k] = -im * g.mult2[k];  // Q^ x i ky: its inverse is real, the y potential
    p2[2 * k + 1] = re * g.mult2[k];
    q[2 * k] = re * g.mult1[k];
    q[2 * k + 1] = im * g.mult1[k];
  }
  g.fft.inverse(q, n);
  g.fft.inverse(p2, n);
  // Gather: each point's potentials from its 6 x 6 nodes; the kernel at zero offset (w = 1, no force)
  // is the point meeting itself, taken out of Z once per point.
  double z = 0;
  for (int i = 0; i < n_pts; ++i) {
    const double* wt = &g.weight[size_t(2 * P) * i];
    const int cu = g.cell[2 * size_t(i)], cv = g.cell[2 * size_t(i) + 1];
    double z_i = 0, fx = 0, fy = 0;
    for (int a = 0; a < P; ++a) {
      const size_t row = size_t(cu + a) * m + size_t(cv);
      double za = 0, xa = 0, ya = 0;
      for (int b = 0; b < P; ++b) {
        za += wt[P + b] * q[2 * (row + b)];
        xa += wt[P + b] * q[2 * (row + b) + 1];
        ya += wt[P + b] * p2[2 * (row + b)];
      }
      z_i += wt[a] * za;
      fx += wt[a] * xa;
      fy += wt[a] * ya;
    }
    s.force_rep[2 * size_t(i)] = fx;
    s.force_rep[2 * size_t(i) + 1] = fy;
    z += z_i - 1.0;
  }
  return z;
}

// Attractive forces sum_j p_ij w_ij (y_i - y_j) over the sparse P, visiting each symmetric pair once
// (upper triangle: one division per pair, applied to both ends). In float (positions, P, forces),
// four pairs of a row at a time: their neighbours gathered, the four divisions in one instruction,
// the row's own sums in four lanes and the other ends' updates in pair order. 30% faster than in
// double one pair at a time (natively and in WASM, measured on Fashion-MNIST 10k); the forces
// differ by ~1e-5 relative, as the Barnes-Hut repulsion's float arithmetic does. Each lane does the
// scalar operations, in a fixed order: the same bits everywhere.
// With want_kl also returns KL = sum p log p - sum p log w + log Z (sum p = 1), in double, the first
// term precomputed at init.
double tsne_attraction(TsneState& s, bool want_kl, double z) {
  const int n = s.n;
  const double* pos = s.pos.data();
  s.pos_f.resize(size_t(2) * n);
  s.force_attr.assign(size_t(2) * n, 0.0f);
  float* pf = s.pos_f.data();
  float* f = s.force_attr.data();
  for (size_t k = 0; k < size_t(2) * n; ++k) pf[k] = float(pos[k]);
  const int32_t* col = s.pu_col.data();
  const float* pv = s.pu_val.data();
  for (int i = 0; i < n; ++i) {
    const float xi = pf[2 * i], yi = pf[2 * i + 1];
    F32x4 fx4 = {0, 0, 0, 0}, fy4 = fx4;
    int32_t e = s.pu_row[i];
    const int32_t end = s.pu_row[i + 1];
    for (; e + 4 <= end; e += 4) {
      const int32_t j0 = col[e], j1 = col[e + 1], j2 = col[e + 2], j3 = col[e + 3];
      const F32x4 bx = {pf[2 * j0], pf[2 * j1], pf[2 * j2], pf[2 * j3]};
      const F32x4 by = {pf[2 * j0 + 1], pf[2 * j1 + 1], pf[2 * j2 + 1], pf[2 * j3 + 1]};
      F32x4 bp;
      std::memcpy(&bp, pv + e, sizeof bp);
      const F32x4 dx = xi - bx, dy = yi - by;
      const F32x4 pw = bp / (1.0f + dx * dx + dy * dy);
      const F32x4 gx = pw * dx, gy = pw * dy;
      fx4 += gx;
      fy4 += gy;
      const int32_t js[4] = {j0, j1, j2, j3};
      for (int l = 0; l < 4; ++l) {
        f[2 * js[l]] -= gx[l];
        f[2 * js[l] + 1] -= gy[l];
      }
    }
    for (; e < end; ++e) {  // the row's last 0-3 pairs, in lane 0
      const int32_t j = col[e];
      const float dx = xi - pf[2 * j], dy = yi - pf[2 * j + 1];
      const float pw = pv[e] / (1.0f + dx * dx + dy * dy);
      fx4[0] += pw * dx;
      fy4[0] += pw * dy;
      f[2 * j] -= pw * dx;
      f[2 * j + 1] -= pw * dy;
    }
    f[2 * i] += (fx4[0] + fx4[1]) + (fx4[2] + fx4[3]);
    f[2 * i + 1] += (fy4[0] + fy4[1]) + (fy4[2] + fy4[3]);
  }
  if (!want_kl) return 0;
  double sum_p_log_w = 0;
  for (int i = 0; i < n; ++i)
    for (int32_t e = s.p_row[i]; e < s.p_row[i + 1]; ++e) {
      const int32_t j = s.p_col[e];
      if (j <= i) continue;
      const double dx = pos[2 * i] - pos[2 * j], dy = pos[2 * i + 1] - pos[2 * j + 1];
      sum_p_log_w += s.p_val[e] * det_log(1 / (1 + dx * dx + dy * dy));
    }
  return s.p_log_p - 2 * sum_p_log_w + det_log(z);
}

// Exact repulsion over all pairs; returns Z.
double tsne_repulsion_exact(TsneState& s) {
  const int n = s.n;
  const double* pos = s.pos.data();
  double z = 0;
  for (int i = 0; i < n; ++i) {
    const double xi = pos[2 * i], yi = pos[2 * i + 1];
    double fx = 0, fy = 0, zi = 0;
    for (int j = 0; j < n; ++j) {
      const double dx = xi - pos[2 * j], dy = yi - pos[2 * j + 1];
      const double w = 1 / (1 + dx * dx + dy * dy);
      const double ww = j == i ? 0.0 : w;
      zi += ww;
      fx += ww * w * dx;
      fy += ww * w * dy;
    }
    s.force_rep[2 * i] = fx;
    s.force_rep[2 * i + 1] = fy;
    z += zi;
  }
  return z;
}

void pos_gather(TsneState& s) {
  const int n = s.n;
  s.pos.resize(size_t(2) * n);
  for (int i = 0; i < n; ++i) {
    s.pos[2 * i] = s.y(i, 0);
    s.pos[2 * i + 1] = s.y(i, 1);
  }
}

}  // namespace

Status tsne_init_begin(TsneState& s, const Mat& x, const TsneParams& params) {
  s = TsneState{};
  s.params = params;
  if (Status st = tsne_validate(x, params, s.method); !st) {
    init_fail(s, st);
    return st;
  }
  const int n = int(x.rows());
  s.n = n;
  s.learning_rate = params.learning_rate > 0 ? params.learning_rate
                                             : std::max(double(n) / params.early_exaggeration / 4.0, 50.0);
  s.sigma.assign(size_t(n), 0);
  TsneInitWork& w = s.init;
  w.x = x;
  w.xt = x.cast<double>().transpose();
  init_next(w, s.method == TsneMethod::Exact ? TsneInitStage::Bandwidths : TsneInitStage::Neighbours);
  return Status::success();
}

Status tsne_init_step(TsneState& s, double budget_ms) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const bool timed = budget_ms < INFINITY;
  while (!tsne_init_done(s)) {
    init_piece(s);
    if (timed && std::chrono::duration<double, std::milli>(clock::now() - start).count() >= budget_ms) break;
  }
  return s.init.status;
}

std::pair<TsneState, Status> tsne_init(const Mat& x, const TsneParams& params) {
  TsneState s;
  if (Status st = tsne_init_begin(s, x, params); !st) return {std::move(s), st};
  Status st = tsne_init_step(s, INFINITY);
  return {std::move(s), st};
}

TsneInitProgress tsne_init_progress(const TsneState& s) {
  const TsneInitWork& w = s.init;
  const double n = std::max(1, s.n);
  switch (w.stage) {
    case TsneInitStage::Neighbours:
      return {"finding neighbours", w.pass == 0 ? 0.0 : double(w.knn_job.next) / n};
    case TsneInitStage::Bandwidths: return {"fitting bandwidths", double(w.cursor) / n};
    case TsneInitStage::Joint: {
      const bool entries = s.method != TsneMethod::Exact && w.pass == 2;
      const double within = double(w.cursor) / (entries ? std::max<double>(1, double(s.p_val.size())) : n);
      return {"joint probabilities", (w.pass + within) / joint_passes(s)};
    }
    case TsneInitStage::Start: return {s.params.init == TsneInit::Pca ? "PCA start" : "random start", 0.0};
    case TsneInitStage::Done: return {"done", 1.0};
    case TsneInitStage::Failed: return {"failed", 0.0};
  }
  return {"", 0.0};
}

TsneStepStats tsne_step(TsneState& s) {
  const TsneParams& p = s.params;
  const int n = s.n;
  const int it = s.iteration;
  TsneStepStats stats;
  stats.exaggerating = it < p.exaggeration_iterations;
  const double exaggeration = stats.exaggerating ? p.early_exaggeration : 1.0;
  const double momentum = it < p.momentum_switch_iteration ? p.momentum_initial : p.momentum_final;
  const bool want_kl = p.kl_every > 0 && (it + 1) % p.kl_every == 0;

  if (it == p.exaggeration_iterations && p.restart_after_exaggeration) {
    s.update.setZero();
    s.gains.setOnes();
  }
  pos_gather(s);
  double z;
  if (s.method == TsneMethod::Exact) {
    z = tsne_repulsion_exact(s);
  } else {
    const Box box = layout_box(s);
    const int nodes = s.method == TsneMethod::Fft ? fft_nodes(box, p.fft_spacing, n) : 0;
    if (nodes > 0) {
      z = tsne_repulsion_fft(s, box, nodes);
      stats.repulsion = TsneMethod::Fft;
    } else {
      tree_build(s);
      z = tsne_repulsion_bh(s, p.theta);
      stats.repulsion = TsneMethod::BarnesHut;
    }
  }
  const double kl = tsne_attraction(s, want_kl, z);

  // dC/dy_i = 4 (exaggeration * sum_j p_ij w_ij (y_i - y_j) - sum_j w_ij^2 (y_i - y_j) / Z)
  double norm2 = 0;
  for (int i = 0; i < n; ++i)
    for (int d = 0; d < 2; ++d) {
      const double g = 4 * (exaggeration * s.force_attr[2 * i + d] - s.force_rep[2 * i + d] / z);
      s.grad[size_t(d) * n + i] = g;
      norm2 += g * g;
    }
  double* y = s.y.data();
  double* up = s.update.data();
  double* gain = s.gains.data();
  for (size_t k = 0; k < size_t(2) * n; ++k) {
    const double g = s.grad[k];
    double gk = up[k] * g < 0 ? gain[k] + p.gain_increment : gain[k] * p.gain_decay;
    gk = std::max(gk, p.gain_min);
    gain[k] = gk;
    up[k] = momentum * up[k] - s.learning_rate * gk * g;
    y[k] += up[k];
  }
  for (int d = 0; d < 2; ++d) {
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += s.y(i, d);
    const double mean = sum / n;
    for (int i = 0; i < n; ++i) s.y(i, d) -= mean;
  }

  s.iteration = it + 1;
  stats.iteration = s.iteration;
  stats.grad_norm = std::sqrt(norm2);
  if (want_kl) {
    stats.kl_computed = true;
    stats.kl = kl;
    s.kl = kl;
    s.kl_iteration = s.iteration;
  }
  return stats;
}

bool tsne_kl_step(const TsneState& s, TsneKlJob& job) {
  const int n = s.n;
  if (job.done) return true;
  if (job.pass == 0) {
    const int stop = int(std::min<Index>(n, job.row + std::max(1, (1 << 18) / std::max(1, n))));  // ~262k pairs
    for (int i = job.row; i < stop; ++i)
      for (int j = 0; j < n; ++j) {
        if (j == i) continue;
        const double dx = s.y(i, 0) - s.y(j, 0), dy = s.y(i, 1) - s.y(j, 1);
        job.z += 1 / (1 + dx * dx + dy * dy);
      }
    job.row = stop;
    if (stop == n) {
      job.log_z = det_log(job.z);
      job.pass = 1;
      job.row = 0;
    }
    return false;
  }
  const int stop = int(std::min<Index>(n, job.row + rows_per_piece(Index(s.p_col.size()) / std::max(1, n))));
  for (int i = job.row; i < stop; ++i)
    for (int32_t e = s.p_row[i]; e < s.p_row[i + 1]; ++e) {
      const double pij = s.p_val[e];
      if (!(pij > 0)) continue;
      const int32_t j = s.p_col[e];
      const double dx = s.y(i, 0) - s.y(j, 0), dy = s.y(i, 1) - s.y(j, 1);
      const double w = 1 / (1 + dx * dx + dy * dy);
      job.kl += pij * (det_log(pij) - det_log(w) + job.log_z);
    }
  job.row = stop;
  return job.done = stop == n;
}

double tsne_kl(const TsneState& s) {
  TsneKlJob job;
  while (!tsne_kl_step(s, job)) {
  }
  return job.kl;
}

Mat tsne_embedding(const TsneState& s) { return s.y.cast<Scalar>(); }

}  // namespace lab::core
