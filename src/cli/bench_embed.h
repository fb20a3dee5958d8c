// The embedding benchmark suite: t-SNE on the UCI digits (perplexity 30, 1000 iterations,
// Barnes-Hut, PCA init), timed, with its quality (trustworthiness(10), 10-NN accuracy, KL), as
// tsne.digits.<platform>.*; natively also the mean quality of 5 random-init seeds, the same figures
// from scikit-learn (bench/peers/tsne_sklearn.py) and from tsnejs (bench/peers/tsne_tsnejs.mjs), and
// the ratios between them.
// Reads the digits through runtime/assets.h (assets/data/digits.csv).
#pragma once

#include "cli/bench.h"

namespace lab::cli {

int bench_suite_embed(const BenchOptions& options);

}  // namespace lab::cli
