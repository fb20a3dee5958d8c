// Recommender benchmarks: one training epoch of each model at the lecture's sizes (embedding dim 64,
// MLP hidden 64, batch 64, Adam lr 1e-3) on the generated MovieLens-100k-shaped data (80,000
// training ratings; implicit models: the training ratings >= 4), with dense Adam and with lazy Adam
// (OptimOptions::lazy, only the embedding rows a batch touched): recsys.<model>.<dense|lazy>.<platform>.
// This is the one MF workload of `embedlab bench` (recsys.mf.*). Each figure: a warm-up epoch, then
// the median (min, max) of BenchOptions::runs epochs, each from a fresh model.
// Natively the suite writes the data it trained on to <bench_data_dir>/recsys/ (train.csv:
// user,item,rating; user_features.csv and item_features.csv for deep-meta) and hands that folder to
// the peers, so every implementation trains on the same ratings:
//   bench/peers/recsys_torch.py  PyTorch, one thread: dense Adam (torch_dense) and sparse embeddings +
//                                SparseAdam (torch_sparse), every model
//   bench/peers/recsys_tfjs.mjs  TensorFlow.js (cpu and wasm backends): the MF model
// The WASM builds generate the same data themselves (our generator: the same bits on every platform).
// The ratios are the driver's (cmd_bench.cpp), pairing like with like: dense with dense, lazy with sparse.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <sys/stat.h>

#include "cli/bench_suites.h"
#include "core/recsys/models.h"

namespace lab::cli {

using namespace lab::core;
using namespace lab::core::recsys;

namespace {

constexpr ModelKind kModels[] = {ModelKind::Mf, ModelKind::Deep, ModelKind::DeepMeta, ModelKind::Triplet,
                                 ModelKind::DeepTriplet};

RecModelOptions model_options(ModelKind kind) {
  RecModelOptions mo;
  mo.kind = kind;
  mo.dim = 64;
  mo.hidden = {64};
  mo.dropout = 0.5;
  mo.l2 = 0;
  return mo;
}

// Seconds of one training epoch (no validation), per timed run, after a warm-up epoch.
std::vector<double> epoch_seconds(const RecData& d, const Split& train_only, ModelKind kind, bool lazy, int runs,
                                  double* loss) {
  std::vector<double> samples;
  for (int r = 0; r <= runs; ++r) {  // r == 0: warm-up
    nn::TrainerOptions to;
    to.epochs = 1;
    to.batch_size = 64;
    to.optim.lr = 1e-3;
    to.optim.lazy = lazy;
    RecTrainer rt;
    if (!rec_init(rt, d, train_only, model_options(kind), to).ok) return {};
    const auto t0 = std::chrono::steady_clock::now();
    if (!nn::trainer_run_to_end(rt.trainer).ok) return {};
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (r > 0) samples.push_back(t);
    if (loss) *loss = rt.trainer.history.train_loss.back();
  }
  return samples;
}

#if !defined(__wasm__)
// The training ratings and the metadata features, for the peers.
bool write_data(const RecData& d, const Split& s, const std::string& dir) {
  ::mkdir(dir.c_str(), 0755);
  std::ofstream train(dir + "/train.csv");
  train << "user,item,rating\n";
  for (uint32_t k : s.train) train << d.ratings[k].user << ',' << d.ratings[k].item << ',' << d.ratings[k].rating << '\n';
  auto write_mat = [](const std::string& path, const Mat& m) {
    std::ofstream f(path);
    char buf[32];
    for (Index i = 0; i < m.rows(); ++i)
      for (Index j = 0; j < m.cols(); ++j) {
        std::snprintf(buf, sizeof buf, "%.9g", double(m(i, j)));
        f << buf << (j + 1 < m.cols() ? ',' : '\n');
      }
    return bool(f);
  };
  return bool(train) && write_mat(dir + "/user_features.csv", user_features(d)) &&
         write_mat(dir + "/item_features.csv", item_features(d, s.train, model_options(ModelKind::DeepMeta).popularity_feature));
}
#endif

}  // namespace

int bench_suite_recsys(const BenchOptions& opt) {
  const std::string plat = bench_platform();
  RecData d;
  if (!synth_generate(synth_movielens100k(1), d).ok) return 1;
  Split s = split_random(d, 0.2, 1);
  s.test.clear();  // one training epoch, no validation pass
  int64_t positives = 0;
  for (uint32_t k : s.train) positives += d.ratings[k].rating >= 4;
  bench_print("recsys.train_ratings", double(s.train.size()), "ratings");
  bench_print("recsys.train_positives", double(positives), "pairs");
  for (ModelKind kind : kModels) {
    for (bool lazy : {false, true}) {
      double loss = 0;
      const std::vector<double> t = epoch_seconds(d, s, kind, lazy, opt.runs, &loss);
      if (t.empty()) continue;
      const std::string key = std::string("recsys.") + model_name(kind) + (lazy ? ".lazy." : ".dense.");
      bench_samples(key + plat + ".seconds", t, "s");
      bench_print(key + plat + ".loss", loss, "");
    }
  }
  if (!opt.peers || opt.in_wasm || plat != "native") return 0;
#if !defined(__wasm__)
  const std::string dir = bench_data_dir() + "/recsys";
  if (!write_data(d, s, dir)) {
    std::fprintf(stderr, "bench recsys: could not write %s; peers skipped\n", dir.c_str());
    return 0;
  }
  const std::string src = LAB_BENCH_SOURCE_DIR;
  const std::string runs = " --runs " + std::to_string(opt.runs);
  std::fprintf(stderr, "bench recsys: running the PyTorch peer on %s\n", dir.c_str());
  int rc = -1;
  bench_run("/usr/bin/python3 " + src + "/bench/peers/recsys_torch.py " + dir + runs, &rc);
  if (rc != 0) bench_note("PyTorch peer failed or is not installed (Debian: apt-get install python3-torch)");
  std::fprintf(stderr, "bench recsys: running the TF.js peer on %s\n", dir.c_str());
  bench_run("node " + src + "/bench/peers/recsys_tfjs.mjs " + dir + " --batches " + (opt.quick ? "5" : "10"), &rc);
  if (rc != 0) bench_note("TF.js peer failed or is not installed (npm install --prefix bench/peers)");
#endif
  return 0;
}

}  // namespace lab::cli
