// t-SNE (van der Maaten & Hinton 2008; Barnes-Hut: van der Maaten 2014), steppable so the UI can
// draw every iteration:
//
//   auto [state, status] = tsne_init(x, params);   // kNN, perplexity search, P, initial Y
//   if (!status) show(status.message);
//   while (state.iteration < params.iterations) {  // e.g. a few per frame, within a time budget
//     TsneStepStats s = tsne_step(state);           // one gradient step; s.kl every kl_every steps
//     plot(state.y);                                // (N, 2) doubles: col(0) = x, col(1) = y
//   }
//
// The initialisation (kNN search, a bandwidth per point, P, PCA) takes ~0.2 s for the 1797 digits,
// too long for one frame; an interactive caller runs it in slices instead, with the same result:
//
//   TsneState state;
//   if (Status st = tsne_init_begin(state, x, params); !st) ...      // validation only
//   every frame, until tsne_init_done(state):
//     if (Status st = tsne_init_step(state, 4.0); !st) ...           // pieces of work for ~4 ms
//     show(tsne_init_progress(state));                              // "finding neighbours", 0.4
//
// The optimiser follows the reference implementation (bhtsne) and scikit-learn >= 1.2: early
// exaggeration of P until `exaggeration_iterations`, momentum 0.5 then 0.8, per-coordinate gains
// (+0.2 / x0.8, floor 0.01), learning rate 'auto' = max(N / early_exaggeration / 4, 50), and Y
// re-centred after each step. As in scikit-learn, the optimiser restarts (momentum 0, gains 1) when
// the exaggeration ends (on the digits, mean trustworthiness(10) over random-init seeds 0-4: 0.99240
// with the restart, 0.99226 without). The gradient is exact (O(N^2)) for small N and approximate above
// `exact_max_n` (FFT or Barnes-Hut, below), with P restricted to the floor(3 perplexity + 1) nearest neighbours. Our Barnes-Hut
// differs from bhtsne/scikit-learn in its acceptance test, for speed *and* accuracy: the points of
// each quadtree leaf (<= 16, Morton order) walk the tree together, and a cell is one body when the
// diagonal of its points' tight bounding box is < theta x its distance to the whole leaf's box.
// Measured on the digits at theta = 0.5: final KL 0.737 (scikit-learn's Barnes-Hut: 0.754).
//
// Three ways to compute the repulsion (the attraction is always over the sparse or dense P):
//   exact  all N^2 pairs;
//   bh     Barnes-Hut, as above;
//   fft    FFT-accelerated interpolation (FIt-SNE: Linderman, Rachh, Hoskins, Steinerberger & Kluger,
//          Nature Methods 2019): the points' charges on a uniform grid (6 x 6 Lagrange nodes each,
//          spacing <= fft_spacing = 0.375), the kernels applied by FFT (core/fft.h), the potentials read
//          back. Its cost grows with the grid, i.e. with the layout's extent squared, not with N, so it
//          is far cheaper than the tree while the layout is compact (early exaggeration) and dearer
//          once it has spread out: each step takes the grid while (2 nodes)^2 <= 8 N, Barnes-Hut after
//          (TsneStepStats::repulsion says which). Force error ~0.5 %, Barnes-Hut's at theta 0.5.
//          Measured on Fashion-MNIST's 10,000 test images (PCA to 50, perplexity 30, native,
//          2026-12-03, `embedlab tsne`, neighbours and P included): to iteration 250 2.9 s (Barnes-Hut
//          alone: 3.5 s), all 1000 9.0 s (11.5 s), KL 1.4902 and trustworthiness(10) 0.9955 for
//          both. On 1,000 and 3,000 images (measured before the float attraction and the fused
//          Barnes-Hut sums): 0.70 s vs 0.79 s, 2.60 s vs 3.07 s. Below ~512 points the smallest grid (64 x 64
//          padded) never fits 8 N, so fft is Barnes-Hut there. FIt-SNE itself keeps the grid all the
//          way (3 nodes per unit, at least 50 intervals); here, at 10,000 points and an extent of ~170
//          at the end, that grid (1024^2 padded) costs several times the tree.
//
// Choosing the method (TsneMethod::Automatic): exact up to `exact_max_n` = 150 points, fft (with its
// Barnes-Hut hand-over) above, because that is where exact's and Barnes-Hut's costs cross. Measured
// 2026-12-02 with `embedlab tsne --method exact|bh` on ten Gaussian clusters in 20-D (perplexity 30,
// 1000 iterations, PCA init), CPU seconds (user), median of 3 runs: the shared 2-core machine was at
// load average 9-15, so wall times were 5-8x these and meaningless.
//     N                   100    150    200    250    300    400    600    800
//     exact  CPU s        0.04   0.07   0.14   0.20   0.28   0.49   1.16   2.35
//     bh     CPU s        0.04   0.06   0.08   0.11   0.13   0.19   0.31   0.54
//     trustworthiness(10), exact minus bh: -0.0016 .. +0.0006 (e.g. 0.98461 vs 0.98439 at 800)
// Barnes-Hut's P keeps the 3 x perplexity nearest neighbours, which hold nearly all of each point's
// probability, so the layouts are as good. Exact is also used where the sparse P cannot be built
// (N <= 3 perplexity + 1) when its N x N memory fits the budget. `embedlab bench` repeats the
// comparison at 200 and 800 points and times the others at 5,000 and 10,000 (tsne.clusters<N>.*).
//
// Learning rate: 'auto' follows scikit-learn; its floor of 50 exceeds the stable rate for early
// exaggeration (~N / early_exaggeration, Linderman & Steinerberger 2019) below N ~ 600, where the
// cost oscillates for the first 250 iterations. Lessons animating small sets should pass
// learning_rate = N / 12 (or so) for a calm animation.
//
// Determinism: the perplexity search, P, the gradients (the FFT's twiddles included), the random
// initialisation and the PCA initialisation (pca.cpp: fixed-order sums, Jacobi rotations) use only
// IEEE +-*/, sqrt, det_exp and det_log, in a fixed order, so the same seed gives bit-identical
// embeddings natively and in WASM, for every method and both inits (tests/core/test_tsne.cpp pins
// literals). One caveat: bh and fft pick each point's neighbour candidates from a float matrix
// product, so two candidates tied to within float rounding could be picked differently.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "core/embed/knn.h"
#include "core/fft.h"
#include "core/status.h"
#include "core/types.h"

namespace lab::core {

enum class TsneMethod { Automatic, Exact, BarnesHut, Fft };
enum class TsneInit { Pca, Random };

std::string_view tsne_method_name(TsneMethod m);  // "auto", "exact", "bh", "fft"
std::string_view tsne_init_name(TsneInit i);      // "pca", "random"

struct TsneParams {
  double perplexity = 30;             // effective number of neighbours; < N (exact), < (N-1)/3 (BH)
  int iterations = 1000;              // how many steps a caller runs (tsne_step itself never stops)
  double learning_rate = 0;           // <= 0 means 'auto': max(N / early_exaggeration / 4, 50)
  double early_exaggeration = 12;     // P is multiplied by this ...
  int exaggeration_iterations = 250;  // ... for the first iterations (bhtsne's stop_lying_iter)
  double momentum_initial = 0.5;
  double momentum_final = 0.8;
  int momentum_switch_iteration = 250;
  double gain_increment = 0.2;        // gains grow by this when gradient and update disagree in sign
  double gain_decay = 0.8;            // ... and shrink by this factor when they agree
  double gain_min = 0.01;
  bool restart_after_exaggeration = true;  // zero the momentum and reset the gains to 1 when early
                                           // exaggeration ends (scikit-learn; bhtsne keeps them)
  TsneMethod method = TsneMethod::Automatic;
  int exact_max_n = 150;              // automatic: exact gradient up to this N, fft above
                                      // (the measured crossover: see "Choosing the method" above)
  double theta = 0.5;                 // Barnes-Hut accuracy: a cell whose points span a box of diagonal w, at
                                      // distance d from its centre of mass, counts as one body if w/d < theta
  double fft_spacing = 0.375;          // FFT: the largest spacing of the interpolation grid, in embedding
                                      // units (the kernel's scale is 1); smaller is slower and more exact
  TsneInit init = TsneInit::Pca;
  double init_std = 1e-4;             // initial spread: random init's std; PCA init scales PC1 to this std
  uint64_t seed = 0;                  // random init
  int kl_every = 50;                  // tsne_step reports the KL every kl_every iterations (0: never)
  int perplexity_max_steps = 200;     // bound on the binary search for each point's bandwidth
  double perplexity_tolerance = 1e-5; // |entropy - log(perplexity)| in nats
};

// Where a steppable initialisation is (see tsne_init_begin).
enum class TsneInitStage {
  Neighbours,  // Barnes-Hut: each point's 3 x perplexity nearest neighbours
  Bandwidths,  // each point's Gaussian bandwidth for the requested perplexity: p_{j|i}
  Joint,       // P = p_{j|i} + p_{i|j}, normalised to sum 1, in CSR form; and its upper triangle
  Start,       // the initial Y: PCA or random
  Done,        // ready for tsne_step
  Failed,      // tsne_init_step returned an error; the state is unusable
};

// The work in progress of a steppable initialisation: private to tsne.cpp, emptied when it ends.
// (A default-constructed state has nothing to initialise: its stage is `Done`.)
struct TsneInitWork {
  TsneInitStage stage = TsneInitStage::Done;
  Status status;
  int pass = 0;                             // pass within a stage (joint: counts, rows, scaling, ...)
  Index cursor = 0;                         // points (or rows, or entries) finished in this pass
  Mat x;                                    // (N, D) the data
  MatD xt;                                  // (D, N) the data in double, one point per column
  Knn knn;                                  // Barnes-Hut: candidate neighbours ...
  KnnJob knn_job;                           // ... found in pieces
  MatD cond;                                // exact: (N, N) cond(j, i) = p_{j|i}
  std::vector<double> d, p;                 // one point's distances and conditional probabilities
  std::vector<std::pair<double, int32_t>> nb;
  std::vector<int32_t> nb_index, row_len, start, fill;  // Barnes-Hut: neighbour lists and CSR layout
  std::vector<double> nb_p;
  std::vector<std::pair<int32_t, double>> raw;
  double total = 0;                         // sum of the unnormalised joint entries
};

struct TsneState {
  TsneParams params;
  TsneMethod method = TsneMethod::Exact;  // as resolved from params.method
  int n = 0;
  int iteration = 0;                      // completed steps
  double learning_rate = 0;               // as resolved from params.learning_rate
  MatD y;                                 // (N, 2) the embedding
  MatD update;                            // (N, 2) last update (momentum)
  MatD gains;                             // (N, 2) per-coordinate gains
  // Joint probabilities P (symmetric, sum 1, not exaggerated) in CSR form: the entries of row i are
  // p_col/p_val[p_row[i] .. p_row[i+1]), columns increasing. Exact: every j != i; Barnes-Hut: the
  // union of i's and j's nearest-neighbour lists.
  std::vector<int32_t> p_row, p_col;
  std::vector<double> p_val;
  std::vector<double> sigma;              // (N) bandwidth found for each point (sqrt(1 / (2 beta)))
  double kl = -1;                         // last KL computed by tsne_step (-1: none yet)
  int kl_iteration = -1;                  // the iteration at which `kl` was computed
  // Scratch buffers reused between steps (no allocation per step).
  std::vector<double> grad, pos, pos_sorted, force_rep;
  std::vector<int32_t> order;
  std::vector<uint32_t> keys, keys_sorted;
  std::vector<uint64_t> sort_buf;
  std::vector<int32_t> pu_row, pu_col;  // P's upper triangle (j > i), for the attractive forces ...
  std::vector<float> pu_val;            // ... its values in float
  std::vector<float> pos_f, force_attr;  // pos in float, and the attractive forces (computed in float)
  double p_log_p = 0;                   // sum p log p, the constant part of the KL
  struct Node {
    double cx, cy;    // centre of mass
    double width2;    // squared diagonal of the tight bounding box of the cell's points
    int32_t count;    // points in the cell
    int32_t first;    // first child node, or -1 for a leaf
    int32_t nchild;   // number of (non-empty) children
    int32_t begin;    // leaves: first index into `order`
  };
  std::vector<Node> tree;
  std::vector<float> list_x, list_y, list_c;  // Barnes-Hut interaction list of one leaf
  // FFT-accelerated repulsion (Linderman et al. 2019): charges spread onto an n x n grid, convolved
  // with the kernels by FFT on a grid padded to M = 2n, read back at each point.
  struct FftGrid {
    int n = 0;                           // interpolation nodes per side
    double h = 0;                        // their spacing, which the kernels' spectra are for
    Fft2 fft;                            // size M = 2n
    std::vector<double> mult1, mult2;    // (M, M) the kernels' spectra / M^2 (transposed layout)
    std::vector<double> grid1, grid2;    // (M, M) complex work grids
    std::vector<int32_t> cell;           // (N, 2) each point's first interpolation node in x and y
    std::vector<double> weight;          // (N, 12) its six Lagrange weights in x, then in y
    int kernel_builds = 0;               // how often the spectra were computed (tests, profiling)
  } fft;
  TsneInitWork init;                     // a steppable initialisation in progress
};

struct TsneStepStats {
  int iteration = 0;          // the iteration just completed (1-based)
  bool kl_computed = false;
  double kl = 0;              // KL(P || Q) of Y *before* this step's update, with the true (not
                              // exaggerated) P; Barnes-Hut: Z from the tree (as scikit-learn)
  double grad_norm = 0;       // |dC/dY| (Frobenius), before gains
  bool exaggerating = false;  // early exaggeration was on for this step
  TsneMethod repulsion = TsneMethod::Exact;  // what computed the repulsion: Exact, BarnesHut or Fft
};

// Validates x (N >= 4, finite, not all identical) and params, computes P and the initial Y.
// (tsne_init_begin followed by tsne_init_step with no time limit.)
std::pair<TsneState, Status> tsne_init(const Mat& x, const TsneParams& params);

// The same initialisation in slices. tsne_init_begin validates x and params (an error here is the
// one tsne_init would return) and copies x; tsne_init_step then works for about budget_ms (at least
// one piece: a few points' bandwidths, a block of the neighbour search, a few thousand entries of P,
// or the PCA) and returns the state's status: an error (e.g. a degenerate PCA start) stops it.
// The finished state is bit-identical to tsne_init's, whatever the budgets were.
Status tsne_init_begin(TsneState& state, const Mat& x, const TsneParams& params);
Status tsne_init_step(TsneState& state, double budget_ms);
// True once the state is ready for tsne_step, or the initialisation failed.
inline bool tsne_init_done(const TsneState& state) {
  return state.init.stage == TsneInitStage::Done || state.init.stage == TsneInitStage::Failed;
}
// What the initialisation is doing ("finding neighbours", "fitting bandwidths", "joint
// probabilities", "PCA start" or "random start") and how far that stage is, in [0, 1].
struct TsneInitProgress {
  std::string_view stage;
  double fraction = 0;
};
TsneInitProgress tsne_init_progress(const TsneState& state);

// One gradient-descent step. Never fails on a state tsne_init accepted.
TsneStepStats tsne_step(TsneState& state);

// KL(P || Q) of the current embedding, with Q over all pairs (O(N^2), exact for every method).
double tsne_kl(const TsneState& state);

// The same in pieces (~262k pairs, or ~16k entries of P: about a millisecond), for callers within a
// frame budget: the same sums in the same order, so the result is identical. The state must not
// change in between.
//   TsneKlJob job;
//   while (!tsne_kl_step(state, job)) { ... }   // then job.kl
struct TsneKlJob {
  int pass = 0;     // 0: Z over all pairs, 1: the sum over P's entries
  int row = 0;      // rows done in this pass
  double z = 0, log_z = 0;
  double kl = 0;    // the result once done
  bool done = false;
};
bool tsne_kl_step(const TsneState& state, TsneKlJob& job);

// The embedding as (N, 2) floats, for plotting and the quality metrics.
Mat tsne_embedding(const TsneState& state);

}  // namespace lab::core
