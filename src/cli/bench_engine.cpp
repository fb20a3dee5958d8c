// Engine benchmarks: Dense forward+backward at lesson sizes, and one epoch of the MF (two-tower
// dot-product) model on 100k (user, item, rating) triples, dim 64, batch 64, Adam — the same
// workload as bench/peers/mf_torch.py.
#include <chrono>
#include <string>
#include <vector>

#include "cli/bench_suites.h"
#include "core/nn/kernels.h"
#include "core/recsys/models.h"
#include "core/nn/trainer.h"

namespace lab::cli {

using namespace lab::core;
using namespace lab::core::nn;

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Mean seconds per forward+backward of a square Dense layer (width -> width) on a batch.
double time_dense(Index batch, Index width, double min_seconds) {
  Rng rng(1);
  Dense d;
  d.init(width, width, rng);
  Mat x(batch, width), g(batch, width);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng_normal(rng));
  for (Index i = 0; i < g.size(); ++i) g.data()[i] = float(rng_normal(rng));
  const ForwardCtx ctx = ctx_eval();
  double sink = 0;
  // warm-up (caches, and node's tiered JIT): at least 3 passes and 20% of the measuring time
  const double w0 = now_s();
  for (int w = 0; w < 3 || now_s() - w0 < 0.2 * min_seconds; ++w) sink += d.backward(d.forward(x, ctx))(0, 0);
  int reps = 0;
  const double t0 = now_s();
  double t = t0;
  while (t - t0 < min_seconds || reps < 5) {
    d.zero_grad();
    const Mat y = d.forward(x, ctx);
    const Mat dx = d.backward(g);
    sink += y(0, 0) + dx(0, 0);
    ++reps;
    t = now_s();
  }
  if (sink == 12345.678) bench_print("dense.sink", sink, "");  // keeps the work observable
  return (t - t0) / reps;
}

void bench_dense(const BenchOptions& opt, const std::string& plat, const char* label) {
  const std::vector<Index> batches = {64, 256};
  const std::vector<Index> widths = opt.quick ? std::vector<Index>{64, 512} : std::vector<Index>{64, 128, 256, 512};
  const double min_s = opt.quick ? 0.05 : 0.25;
  double flops = 0, secs = 0;
  for (Index b : batches)
    for (Index w : widths) {
      const double s = time_dense(b, w, min_s);
      const double f = 3.0 * 2.0 * double(b) * double(w) * double(w);  // forward, dW, d_in
      bench_print("dense.b" + std::to_string(b) + ".w" + std::to_string(w) + "." + plat + label + ".us", s * 1e6, "us");
      // total over one "lesson step" per configuration: every configuration weighs the same
      flops += f / s;
      secs += 1;
    }
  bench_print("dense." + plat + label + ".gflops", flops / secs / 1e9, "GFLOP/s");
}

void bench_mf_epoch(const BenchOptions& opt, const std::string& plat) {
  (void)opt;
  const Index n_users = 943, n_items = 1682, n = 100000;
  Rng rng(7);
  auto obj = std::make_unique<recsys::RatingObjective>();  // the objective the lessons' MF trains
  RatingSet& s = obj->train;
  s.users.resize(n);
  s.items.resize(n);
  s.ratings.resize(n);
  double mean = 0;
  for (Index i = 0; i < n; ++i) {
    s.users[size_t(i)] = int32_t(rng_below(rng, uint32_t(n_users)));
    s.items[size_t(i)] = int32_t(rng_below(rng, uint32_t(n_items)));
    s.ratings[size_t(i)] = float(1 + rng_below(rng, 5));
    mean += s.ratings[size_t(i)];
  }
  TwoTowerOptions mo;
  mo.n_users = n_users;
  mo.n_items = n_items;
  mo.dim = 64;
  mo.global_mean = mean / double(n);
  if (!two_tower_init(obj->model, mo, rng).ok) return;
  TrainerOptions to;
  to.epochs = 1;
  to.batch_size = 64;
  to.optim.kind = OptimKind::Adam;
  to.optim.lr = 1e-3;
  Trainer tr;
  if (!trainer_init(tr, std::move(obj), to).ok) return;
  const double t0 = now_s();
  const Status st = trainer_run_to_end(tr);
  const double t = now_s() - t0;
  if (!st.ok) return;
  bench_print("mf_epoch." + plat + ".seconds", t, "s");
  bench_print("mf_epoch." + plat + ".final_loss", tr.history.train_loss.back(), "mse");
}

}  // namespace

int bench_suite_engine(const BenchOptions& opt) {
  const std::string plat = bench_platform();
  matmul_force_eigen(false);
  bench_dense(opt, plat, "");
  if (std::string(matmul_kernel_name()) != "eigen") {
    // the same workload through Eigen's (auto-vectorised) GEMM, to measure our kernel against it
    matmul_force_eigen(true);
    bench_dense(opt, plat, ".eigen");
    matmul_force_eigen(false);
  }
  bench_mf_epoch(opt, plat);
  return 0;
}

}  // namespace lab::cli
