// Engine benchmarks: Dense forward+backward at lesson sizes, through the product the lab uses on
// this platform (our wasm_simd128 kernel under -msimd128, Eigen elsewhere) and, where that is our
// kernel, through Eigen too. The MF epoch lives in the recsys suite (recsys.mf.*): one definition.
#include <chrono>
#include <string>
#include <vector>

#include "cli/bench_suites.h"
#include "core/nn/kernels.h"
#include "core/nn/trainer.h"

namespace lab::cli {

using namespace lab::core;
using namespace lab::core::nn;

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Seconds per forward+backward of a square Dense layer (width -> width) on a batch: `runs` samples,
// each the mean over a loop of at least `sample_seconds` (and 3 passes), after a warm-up of about
// two samples (caches, and node's tiered JIT).
std::vector<double> time_dense(Index batch, Index width, double sample_seconds, int runs) {
  Rng rng(1);
  Dense d;
  d.init(width, width, rng);
  Mat x(batch, width), g(batch, width);
  for (Index i = 0; i < x.size(); ++i) x.data()[i] = float(rng_normal(rng));
  for (Index i = 0; i < g.size(); ++i) g.data()[i] = float(rng_normal(rng));
  const ForwardCtx ctx = ctx_eval();
  double sink = 0;
  auto pass = [&] {
    d.zero_grad();
    const Mat y = d.forward(x, ctx);
    const Mat dx = d.backward(g);
    sink += y(0, 0) + dx(0, 0);
  };
  const double w0 = now_s();
  for (int w = 0; w < 3 || now_s() - w0 < 2 * sample_seconds; ++w) pass();
  std::vector<double> samples;
  for (int r = 0; r < runs; ++r) {
    int reps = 0;
    const double t0 = now_s();
    double t = t0;
    while (t - t0 < sample_seconds || reps < 3) {
      pass();
      ++reps;
      t = now_s();
    }
    samples.push_back((t - t0) / reps);
  }
  if (sink == 12345.678) bench_print("dense.sink", sink, "");  // keeps the work observable
  return samples;
}

void bench_dense(const BenchOptions& opt, const std::string& plat, const char* label) {
  const std::vector<Index> batches = {64, 256};
  const std::vector<Index> widths = opt.quick ? std::vector<Index>{64, 512} : std::vector<Index>{64, 128, 256, 512};
  const double sample_s = opt.quick ? 0.02 : 0.06;
  std::vector<double> gflops(size_t(opt.runs), 0.0);  // per run: the mean GFLOP/s over the configurations
  int configs = 0;
  for (Index b : batches)
    for (Index w : widths) {
      std::vector<double> s = time_dense(b, w, sample_s, opt.runs);
      const double f = 3.0 * 2.0 * double(b) * double(w) * double(w);  // forward, dW, d_in
      for (size_t r = 0; r < s.size(); ++r) gflops[r] += f / s[r] / 1e9;
      for (double& v : s) v *= 1e6;
      bench_samples("dense.b" + std::to_string(b) + ".w" + std::to_string(w) + "." + plat + label + ".us", s, "us");
      ++configs;
    }
  for (double& v : gflops) v /= configs;  // every configuration weighs the same
  bench_samples("dense." + plat + label + ".gflops", gflops, "GFLOP/s");
}

}  // namespace

int bench_suite_engine(const BenchOptions& opt) {
  const std::string plat = bench_platform();
  matmul_force_eigen(false);
  bench_note("dense." + plat + ": products through " + matmul_kernel_name());
  bench_dense(opt, plat, "");
  if (std::string(matmul_kernel_name()) != "eigen") {
    // the same workload through Eigen's (auto-vectorised) GEMM, to measure our kernel against it
    matmul_force_eigen(true);
    bench_dense(opt, plat, ".eigen");
    matmul_force_eigen(false);
  }
  return 0;
}

}  // namespace lab::cli
