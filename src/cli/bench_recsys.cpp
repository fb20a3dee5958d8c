// Recommender benchmarks: one training epoch of each model at the lecture's sizes (embedding dim 64,
// MLP hidden 64, batch 64, Adam) on the generated MovieLens-100k-shaped data (80,000 training
// ratings; implicit models: the training ratings >= 4), with dense Adam and with lazy Adam
// (OptimOptions::lazy, only the embedding rows a batch touched). bench/peers/recsys_torch.py is the
// same models in PyTorch, one thread: dense Adam, and sparse embeddings + torch.optim.SparseAdam.
// Natively (with peers on) this suite runs the peer itself and prints the ratios:
//   recsys.<model>.dense.speedup_vs_torch  = torch dense Adam epoch / ours dense Adam epoch
//   recsys.<model>.lazy.speedup_vs_torch_sparse = torch SparseAdam epoch / ours lazy Adam epoch
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <sys/stat.h>

#include "cli/bench_suites.h"
#include "core/recsys/models.h"

namespace lab::cli {

using namespace lab::core;
using namespace lab::core::recsys;

namespace {

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

#ifndef LAB_BENCH_SOURCE_DIR
#define LAB_BENCH_SOURCE_DIR "."
#endif

// Seconds for one training epoch (no validation), the best of `reps` runs.
double epoch_seconds(const RecData& d, const Split& train_only, ModelKind kind, bool lazy, int reps, double* loss) {
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    RecModelOptions mo;
    mo.kind = kind;
    mo.dim = 64;
    mo.hidden = {64};
    mo.dropout = 0.5;
    mo.l2 = 0;
    nn::TrainerOptions to;
    to.epochs = 1;
    to.batch_size = 64;
    to.optim.lr = 1e-3;
    to.optim.lazy = lazy;
    RecTrainer rt;
    if (!rec_init(rt, d, train_only, mo, to).ok) return -1;
    const double t0 = now_s();
    if (!nn::trainer_run_to_end(rt.trainer).ok) return -1;
    best = std::min(best, now_s() - t0);
    if (loss) *loss = rt.trainer.history.train_loss.back();
  }
  return best;
}

bool file_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

// Runs the PyTorch peer and re-prints its BENCH lines; returns its figures.
std::map<std::string, double> run_torch_peer(int64_t ratings, int64_t positives, bool quick) {
  std::map<std::string, double> out;
#if !defined(__wasm__)
  const std::string script = std::string(LAB_BENCH_SOURCE_DIR) + "/bench/peers/recsys_torch.py";
  if (!file_exists(script)) {
    std::fprintf(stderr, "bench recsys: %s not found; PyTorch peer skipped\n", script.c_str());
    return out;
  }
  const std::string cmd = "/usr/bin/python3 " + script + " --ratings " + std::to_string(ratings) + " --positives " +
                          std::to_string(positives) + (quick ? " --quick" : "");
  std::fprintf(stderr, "bench recsys: running the PyTorch peer\n");
  int rc = -1;
  out = bench_run(cmd, &rc);
  if (rc != 0) std::fprintf(stderr, "bench recsys: the PyTorch peer failed (is python3-torch installed?)\n");
#else
  (void)ratings;
  (void)positives;
  (void)quick;
#endif
  return out;
}

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
  const int reps = opt.quick ? 1 : 3;
  std::map<std::string, double> ours;
  for (ModelKind kind : {ModelKind::Mf, ModelKind::Deep, ModelKind::DeepMeta, ModelKind::Triplet, ModelKind::DeepTriplet}) {
    for (bool lazy : {false, true}) {
      double loss = 0;
      const double t = epoch_seconds(d, s, kind, lazy, reps, &loss);
      if (t < 0) continue;
      const std::string key = std::string("recsys.") + model_name(kind) + (lazy ? ".lazy." : ".dense.");
      bench_print(key + plat + ".seconds", t, "s");
      bench_print(key + plat + ".loss", loss, "");
      ours[key] = t;
    }
  }
  if (!opt.peers || opt.in_wasm || plat != "native") return 0;
  const std::map<std::string, double> torch = run_torch_peer(int64_t(s.train.size()), positives, opt.quick);
  for (ModelKind kind : {ModelKind::Mf, ModelKind::Deep, ModelKind::DeepMeta, ModelKind::Triplet, ModelKind::DeepTriplet}) {
    const std::string m = model_name(kind);
    auto ratio = [&](const std::string& ours_key, const std::string& torch_key, const std::string& name) {
      auto a = torch.find(torch_key);
      auto b = ours.find(ours_key);
      if (a != torch.end() && b != ours.end() && b->second > 0) bench_print(name, a->second / b->second, "x");
    };
    ratio("recsys." + m + ".dense.", "recsys." + m + ".torch_dense.seconds", "recsys." + m + ".dense.speedup_vs_torch");
    ratio("recsys." + m + ".lazy.", "recsys." + m + ".torch_sparse.seconds",
          "recsys." + m + ".lazy.speedup_vs_torch_sparse");
    ratio("recsys." + m + ".lazy.", "recsys." + m + ".torch_dense.seconds",
          "recsys." + m + ".lazy.speedup_vs_torch_dense");
  }
  return 0;
}

}  // namespace lab::cli
