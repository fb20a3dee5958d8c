#include "cli/bench_embed.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

#include "cli/bench_suites.h"
#include "cli/embed_io.h"
#include "core/data/labeled_csv.h"
#include "core/embed/embed_budget.h"
#include "core/embed/pca.h"
#include "core/embed/quality.h"
#include "core/embed/tsne.h"
#include "core/memory_budget.h"
#include "core/rng.h"
#include "runtime/assets.h"
#include "runtime/session.h"

namespace lab::cli {

namespace {

#ifndef LAB_BENCH_SOURCE_DIR
#define LAB_BENCH_SOURCE_DIR "."
#endif

// The app gives the running lab blocks FrameBudget's milliseconds of work per frame
// (runtime/session.h): 8 ms on a fast screen (kMinMs, 8 of a 16.7 ms frame), up to kMaxMs = 50 on a
// slow one. iterations_per_frame is how many t-SNE steps fit in the 8 ms a 60 Hz screen gives.
constexpr double kFrameBudgetMs = runtime::FrameBudget::kMinMs;

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct TsneRun {
  double seconds = 0, cpu_seconds = 0, init_seconds = 0, ms_per_iteration = 0;
  double trust = 0, acc = 0, kl = 0, kl_exact = 0;
  core::Mat y;
};

// One t-SNE, timed (init + every step), then scored (unless score is false).
bool tsne_run(const core::LabeledData& data, const core::TsneParams& params, TsneRun& r, bool score = true,
              std::string* error = nullptr) {
  using namespace lab::core;
  const auto t0 = std::chrono::steady_clock::now();
  const std::clock_t c0 = std::clock();
  auto [state, status] = tsne_init(data.x, params);
  if (!status) {
    std::fprintf(stderr, "bench embed: %s\n", status.message.c_str());
    if (error) *error = status.message;
    return false;
  }
  r.init_seconds = seconds_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  while (state.iteration < params.iterations) tsne_step(state);
  r.ms_per_iteration = 1000 * seconds_since(t1) / params.iterations;
  r.seconds = seconds_since(t0);
  r.cpu_seconds = double(std::clock() - c0) / CLOCKS_PER_SEC;
  r.y = tsne_embedding(state);
  r.kl = state.kl;
  if (!score) return true;
  trustworthiness_compute(data.x, r.y, 10, r.trust);
  knn_accuracy_compute(r.y, data.labels, 10, r.acc);
  r.kl_exact = tsne_kl(state);
  return true;
}

constexpr int kQualitySeeds = 5;  // random-init runs whose mean quality is compared with scikit-learn's

// Ten Gaussian clusters in 20-D (centres N(0, 4^2) per coordinate, points N(centre, 1)), the shape of
// the measurement in issue #18 (800 points x 20 features), from our own generator so that every
// platform embeds the same numbers. Point i is in cluster i mod 10.
core::LabeledData clusters_make(int n) {
  constexpr int kDims = 20, kClusters = 10;
  core::Rng rng(18);
  core::Mat centres(kClusters, kDims);
  for (core::Index c = 0; c < kClusters; ++c)
    for (core::Index j = 0; j < kDims; ++j) centres(c, j) = core::Scalar(4 * core::rng_normal(rng));
  core::LabeledData d;
  d.x.resize(n, kDims);
  for (int i = 0; i < n; ++i) {
    for (core::Index j = 0; j < kDims; ++j) d.x(i, j) = centres(i % kClusters, j) + core::Scalar(core::rng_normal(rng));
    d.labels.push_back(i % kClusters);
  }
  return d;
}

// t-SNE at every size: 1000 iterations with the defaults (perplexity 30, PCA init), each method that
// fits the memory budget, `runs` times after a warm-up run: the median and the range of the wall
// time, and the trustworthiness (the same every run: same seed, same embedding). What the automatic
// method picks at each size is printed as 1 (exact), 2 (Barnes-Hut) or 3 (FFT).
bool tsne_sizes_bench(const std::vector<int>& sizes, int runs) {
  using namespace lab::core;
  for (int n : sizes) {
    const LabeledData data = clusters_make(n);
    const std::string at = "tsne.clusters" + std::to_string(n) + "." + bench_platform() + ".";
    for (TsneMethod method : {TsneMethod::Exact, TsneMethod::BarnesHut}) {
      TsneParams params;
      params.method = method;
      if (!tsne_budget_check(n, data.x.cols(), method, params.perplexity, params.init).ok) continue;
      std::vector<double> seconds;
      TsneRun r;
      for (int k = 0; k <= runs; ++k) {  // k == 0: warm-up
        if (!tsne_run(data, params, r, k == runs)) return false;
        if (k > 0) seconds.push_back(r.seconds);
      }
      const std::string m = std::string(tsne_method_name(method)) + ".";
      bench_samples(at + m + "seconds", seconds, "s");
      bench_print(at + m + "init_seconds", r.init_seconds, "s");
      bench_print(at + m + "trustworthiness10", r.trust, "ratio");
    }
    TsneState automatic;
    if (tsne_init_begin(automatic, data.x, TsneParams{}))  // validation resolves the method
      bench_print(at + "auto_method", automatic.method == TsneMethod::Exact ? 1 : automatic.method == TsneMethod::BarnesHut ? 2 : 3,
                  "id");
  }
  return true;
}

// ---- Peers' layouts, scored here ------------------------------------------------------------------

// A peer's layout file (label,x,y in input order), or an empty matrix.
core::Mat layout_read(const std::string& path, core::Index rows) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream text;
  text << f.rdbuf();
  core::LabeledData y;
  if (!f || !core::labeled_csv_parse(text.str(), y) || y.x.rows() != rows || y.x.cols() != 2) return {};
  return y.x;
}

// Scores a peer's layout with our own measures, as `<prefix>.trustworthiness10` / `.knn10_accuracy`.
bool layout_score(const core::LabeledData& data, const std::string& path, const std::string& prefix, double* trust = nullptr,
                  double* acc = nullptr) {
  const core::Mat y = layout_read(path, data.x.rows());
  if (y.rows() == 0) {
    bench_note(prefix + ": no layout in " + path + "; not scored");
    return false;
  }
  double t = 0, a = 0;
  core::trustworthiness_compute(data.x, y, 10, t);
  core::knn_accuracy_compute(y, data.labels, 10, a);
  bench_print(prefix + ".trustworthiness10", t, "ratio");
  bench_print(prefix + ".knn10_accuracy", a, "ratio");
  if (trust) *trust = t;
  if (acc) *acc = a;
  return true;
}

// Writes label,f1..fD (a header line first): the input handed to the peers.
bool table_write(const std::string& path, const core::LabeledData& d) {
  std::ofstream f(path, std::ios::binary);
  f << "label";
  for (core::Index j = 0; j < d.x.cols(); ++j) f << ",f" << j + 1;
  f << '\n';
  char buf[32];
  for (core::Index i = 0; i < d.x.rows(); ++i) {
    f << d.labels[size_t(i)];
    for (core::Index j = 0; j < d.x.cols(); ++j) {
      std::snprintf(buf, sizeof buf, ",%.9g", double(d.x(i, j)));  // float round-trips exactly
      f << buf;
    }
    f << '\n';
  }
  return bool(f);
}

std::string sklearn_command(const std::string& input, const std::string& name, const std::string& tag, int threads,
                            int runs, const std::string& out, const std::string& extra = "") {
  return "/usr/bin/python3 " + std::string(LAB_BENCH_SOURCE_DIR) + "/bench/peers/tsne_sklearn.py --input " + input +
         " --name " + name + " --tag " + tag + " --threads " + std::to_string(threads) + " --runs " +
         std::to_string(runs) + " --out " + out + extra;
}

// ---- The UCI digits ---------------------------------------------------------------------------------

bool digits_bench(const BenchOptions& options) {
  using namespace lab::core;
  Status loaded;
  const std::shared_ptr<const LabeledData> digits_shared = lab::runtime::digits_data(loaded);
  if (!digits_shared) {
    std::fprintf(stderr, "bench embed: %s\n", loaded.message.c_str());
    return false;
  }
  const LabeledData& digits = *digits_shared;

  // The headline run: scikit-learn's settings (perplexity 30, 1000 iterations, Barnes-Hut with
  // theta 0.5, learning rate 'auto', PCA init); a warm-up run, then options.runs.
  TsneParams params;
  params.perplexity = 30;
  params.iterations = options.quick ? 250 : 1000;
  params.method = TsneMethod::BarnesHut;
  params.theta = 0.5;
  params.init = TsneInit::Pca;
  params.seed = 0;
  TsneRun run;
  std::vector<double> seconds, cpu, init, ms_iter;
  for (int k = 0; k <= options.runs; ++k) {
    if (!tsne_run(digits, params, run, k == options.runs)) return false;
    if (k == 0) continue;
    seconds.push_back(run.seconds);
    cpu.push_back(run.cpu_seconds);
    init.push_back(run.init_seconds);
    ms_iter.push_back(run.ms_per_iteration);
  }
  const std::string at = "tsne.digits." + bench_platform() + ".";
  const double seconds_median = bench_samples(at + "seconds", seconds, "s");
  bench_samples(at + "cpu_seconds", cpu, "s");
  bench_samples(at + "init_seconds", init, "s");
  const double ms = bench_samples(at + "ms_per_iteration", ms_iter, "ms");
  bench_print(at + "iterations_per_frame", kFrameBudgetMs / ms, "count");
  bench_print(at + "trustworthiness10", run.trust, "ratio");
  bench_print(at + "knn10_accuracy", run.acc, "ratio");
  bench_print(at + "kl", run.kl, "nats");
  bench_print(at + "kl_exact", run.kl_exact, "nats");
  (void)seconds_median;
  if (bench_platform() == "native")
    bench_note("iterations_per_frame: t-SNE steps that fit in the app's per-frame training budget on a 60 Hz "
               "screen, 8 ms (runtime::FrameBudget::kMinMs; up to 50 ms on a slow screen), at the median "
               "ms_per_iteration");
  if (options.in_wasm || options.quick) return true;

  // Quality over seeds: with PCA init neither side uses its seed, so one run says little about a
  // difference in the third decimal. Random init with seeds 0..4 on both sides gives a mean.
  double trust_sum = 0, acc_sum = 0, trust_min = 1, trust_max = 0, acc_min = 1, acc_max = 0;
  params.init = TsneInit::Random;
  for (int seed = 0; seed < kQualitySeeds; ++seed) {
    params.seed = uint64_t(seed);
    TsneRun r;
    if (!tsne_run(digits, params, r)) return false;
    trust_sum += r.trust;
    acc_sum += r.acc;
    trust_min = std::min(trust_min, r.trust);
    trust_max = std::max(trust_max, r.trust);
    acc_min = std::min(acc_min, r.acc);
    acc_max = std::max(acc_max, r.acc);
  }
  bench_print(at + "random_init.trustworthiness10_mean", trust_sum / kQualitySeeds, "ratio");
  bench_print(at + "random_init.trustworthiness10_min", trust_min, "ratio");
  bench_print(at + "random_init.trustworthiness10_max", trust_max, "ratio");
  bench_print(at + "random_init.knn10_accuracy_mean", acc_sum / kQualitySeeds, "ratio");
  bench_print(at + "random_init.knn10_accuracy_min", acc_min, "ratio");
  bench_print(at + "random_init.knn10_accuracy_max", acc_max, "ratio");
  if (!options.peers) return true;

  // scikit-learn on 1 and 2 threads (threadpoolctl), on the digits file we read; it writes its
  // layouts and we score them with the same code as ours.
  const std::string dir = bench_data_dir() + "/tsne_digits";
  ::mkdir(dir.c_str(), 0755);
  const std::string input = dir + "/digits.csv";
  if (!table_write(input, digits)) return true;
  for (int threads : {1, 2}) {
    const std::string tag = threads == 1 ? "sklearn_1thread" : "sklearn_2threads";
    const std::string out = dir + "/" + tag;
    std::fprintf(stderr, "bench embed: scikit-learn on the digits, %d thread(s)\n", threads);
    int rc = -1;
    bench_run(sklearn_command(input, "digits", tag, threads, options.runs, out,
                              " --warmup" + (threads == 1 ? " --seeds " + std::to_string(kQualitySeeds) : std::string())),
              &rc);
    if (rc != 0) {
      bench_note("scikit-learn peer failed or is not installed (Debian: python3-sklearn python3-threadpoolctl)");
      break;
    }
    layout_score(digits, out + ".csv", "tsne.digits." + tag);
    if (threads != 1) continue;
    double ts = 0, as = 0, tmin = 1, tmax = 0, amin = 1, amax = 0;
    int scored = 0;
    for (int seed = 0; seed < kQualitySeeds; ++seed) {
      const Mat y = layout_read(out + ".seed" + std::to_string(seed) + ".csv", digits.x.rows());
      if (y.rows() == 0) continue;
      double t = 0, a = 0;
      trustworthiness_compute(digits.x, y, 10, t);
      knn_accuracy_compute(y, digits.labels, 10, a);
      ts += t, as += a, ++scored;
      tmin = std::min(tmin, t), tmax = std::max(tmax, t), amin = std::min(amin, a), amax = std::max(amax, a);
    }
    if (scored == kQualitySeeds) {
      const std::string sk = "tsne.digits.sklearn.random_init.";
      bench_print(sk + "trustworthiness10_mean", ts / scored, "ratio");
      bench_print(sk + "trustworthiness10_min", tmin, "ratio");
      bench_print(sk + "trustworthiness10_max", tmax, "ratio");
      bench_print(sk + "knn10_accuracy_mean", as / scored, "ratio");
      bench_print(sk + "knn10_accuracy_min", amin, "ratio");
      bench_print(sk + "knn10_accuracy_max", amax, "ratio");
      bench_print("tsne.digits.random_init.trustworthiness10_mean_minus_sklearn",
                  trust_sum / kQualitySeeds - ts / scored, "ratio");
      bench_print("tsne.digits.random_init.knn10_accuracy_mean_minus_sklearn", acc_sum / kQualitySeeds - as / scored,
                  "ratio");
    }
  }
  // tsnejs (npm `tsne`, Karpathy's exact t-SNE in JavaScript): one run (minutes), scored here.
  const std::string js_out = dir + "/tsnejs.csv";
  std::remove(js_out.c_str());
  std::fprintf(stderr, "bench embed: tsnejs on the digits (one run)\n");
  const auto js = bench_run("node " + std::string(LAB_BENCH_SOURCE_DIR) + "/bench/peers/tsne_tsnejs.mjs " + js_out +
                            " " + input + " 2>/dev/null");
  if (js.count("tsne.digits.tsnejs.seconds")) {
    layout_score(digits, js_out, "tsne.digits.tsnejs");
    bench_note("tsne.digits.tsnejs: exact O(N^2) t-SNE, one run (no warm-up), random init: "
               "tsne.digits.algorithm_speedup_vs_tsnejs_exact is an algorithm's speed-up (Barnes-Hut against "
               "an exact gradient), not an implementation's");
  } else {
    bench_note("tsnejs peer not available (npm install --prefix bench/peers)");
  }
  return true;
}

// ---- Fashion-MNIST: PCA to 50 dims, then t-SNE (defaults, 1000 iterations), one thread -------------

constexpr const char* kFmnistDir = "/usr/share/datasets/fashion-mnist/";

bool fmnist_read(bool with_train, core::LabeledData& out) {
  const std::string dir = kFmnistDir;
  if (!embed_table_read("bench", dir + "t10k-images-idx3-ubyte.gz", dir + "t10k-labels-idx1-ubyte.gz", out)) return false;
  if (!with_train) return true;
  core::LabeledData train;
  if (!embed_table_read("bench", dir + "train-images-idx3-ubyte.gz", dir + "train-labels-idx1-ubyte.gz", train))
    return false;
  core::LabeledData all;  // train (60,000) then test (10,000)
  all.x.resize(train.x.rows() + out.x.rows(), out.x.cols());
  all.x.topRows(train.x.rows()) = train.x;
  all.x.bottomRows(out.x.rows()) = out.x;
  all.labels = train.labels;
  all.labels.insert(all.labels.end(), out.labels.begin(), out.labels.end());
  out = std::move(all);
  return true;
}

// PCA-50 of the images, then t-SNE with the defaults; `seconds` covers both.
// On failure, `error` says why (e.g. the lab's memory budget).
bool fmnist_embed(const core::LabeledData& images, core::LabeledData& pca50, TsneRun& r, double& pca_seconds,
                  std::string& error) {
  using namespace lab::core;
  const auto t0 = std::chrono::steady_clock::now();
  Pca pca;
  if (Status st = pca_fit(images.x, 50, pca); !st) {
    error = "PCA: " + st.message;
    return false;
  }
  pca50.x = pca_transform(pca, images.x);
  pca50.labels = images.labels;
  pca_seconds = seconds_since(t0);
  if (!tsne_run(pca50, TsneParams{}, r, false, &error)) return false;
  r.seconds += pca_seconds;
  return true;
}

bool fmnist_bench(const BenchOptions& options, bool large) {
  using namespace lab::core;
  const std::string name = large ? "fmnist70k" : "fmnist10k";
  LabeledData images;
  if (!fmnist_read(large, images)) {
    bench_note("tsne." + name + ": Fashion-MNIST not found in " + std::string(kFmnistDir) +
               " (Debian: apt-get install dataset-fashion-mnist); skipped");
    return true;
  }
  // The lab's memory budget (core/embed/embed_budget.h) is checked before the PCA, which takes
  // minutes at 70,000 images: a size the lab refuses gives a NOTE, not a figure. 70,000 images need
  // about 800 MiB, over the page's 256 MiB: natively the run raises it as `embedlab tsne
  // --memory-budget 2GiB` would, and puts it back after.
  const MemoryBudgetScope budget_scope;
  if (large) {
    (void)memory_budget_set(int64_t(2) << 30);
    bench_note("tsne." + name + ": with the memory budget at 2 GiB (embedlab tsne --memory-budget 2GiB)");
  }
  const TsneParams defaults;
  if (Status fits = tsne_budget_check(images.x.rows(), 50, defaults.method, defaults.perplexity, defaults.init); !fits) {
    bench_note("tsne." + name + "." + bench_platform() + ": no figure: " + fits.message);
    return true;
  }
  // 10k: 3 runs natively (each is tens of seconds), 1 in the WASM builds without SIMD; 70k: 1 run.
  // No warm-up run: each run is long next to what a warm-up removes (page faults, caches).
  const std::string plat = bench_platform();
  const int runs = large || options.quick || plat == "wasm_nosimd" ? 1 : 3;
  const std::string at = "tsne." + name + "." + plat + ".";
  LabeledData pca50;
  TsneRun r;
  std::vector<double> seconds, pca_seconds, ms_iter;
  for (int k = 0; k < runs; ++k) {
    double p = 0;
    std::string error;
    if (!fmnist_embed(images, pca50, r, p, error)) {
      // Not a failure of the benchmark: the lab refuses this size (its memory budget), so there is
      // no figure, and no peer run to compare it with.
      bench_note("tsne." + name + "." + plat + ": no figure: " + error);
      return true;
    }
    seconds.push_back(r.seconds);
    pca_seconds.push_back(p);
    ms_iter.push_back(r.ms_per_iteration);
  }
  bench_samples(at + "seconds", seconds, "s");
  bench_samples(at + "pca_seconds", pca_seconds, "s");
  const double ms = bench_samples(at + "ms_per_iteration", ms_iter, "ms");
  bench_print(at + "iterations_per_frame", kFrameBudgetMs / ms, "count");
  bench_note("tsne." + name + "." + plat + ": " + std::to_string(runs) + " run(s), no warm-up (PCA-50 + t-SNE, " +
             std::to_string(images.x.rows()) + " images, one thread)");
  TsneState automatic;
  if (tsne_init_begin(automatic, pca50.x, TsneParams{}))
    bench_note("tsne." + name + ": method Automatic resolves to '" + std::string(tsne_method_name(automatic.method)) +
               "' at N = " + std::to_string(pca50.x.rows()));
  // Scored on the PCA-50 input (what both t-SNEs embed). At 70,000 points the O(N^2) measures are
  // left out (minutes each).
  if (!large) {
    double t = 0, a = 0;
    trustworthiness_compute(pca50.x, r.y, 10, t);
    knn_accuracy_compute(r.y, pca50.labels, 10, a);
    bench_print(at + "trustworthiness10", t, "ratio");
    bench_print(at + "knn10_accuracy", a, "ratio");
  }
  if (!options.peers || plat != "native") return true;

  // scikit-learn on the same PCA-50 input, written once, 2 threads.
  const std::string dir = bench_data_dir() + "/tsne_" + name;
  ::mkdir(dir.c_str(), 0755);
  const std::string input = dir + "/pca50.csv", out = dir + "/sklearn";
  if (!table_write(input, pca50)) return true;
  std::fprintf(stderr, "bench embed: scikit-learn on %s (PCA-50), 2 threads\n", name.c_str());
  int rc = -1;
  bench_run(sklearn_command(input, name, "sklearn", 2, runs, out), &rc);
  if (rc != 0) {
    bench_note("tsne." + name + ": scikit-learn peer failed or is not installed");
    return true;
  }
  bench_note("tsne." + name + ".sklearn: scikit-learn's t-SNE (Barnes-Hut, its defaults, 1000 iterations) on our "
             "PCA-50 file, 2 threads, " + std::to_string(runs) + " run(s), no warm-up; its time excludes the PCA, ours "
             "includes it");
  if (!large) layout_score(pca50, out + ".csv", "tsne." + name + ".sklearn");
  return true;
}

}  // namespace

int bench_suite_embed(const BenchOptions& options) {
  if (!digits_bench(options)) return 1;
  // t-SNE's cost at every size; WASM and --quick run only the small sizes.
  const bool small = options.in_wasm || options.quick;
  if (!tsne_sizes_bench(small ? std::vector<int>{200, 800} : std::vector<int>{200, 800, 5000, 10000},
                        small ? 3 : options.runs))
    return 1;
  // Fashion-MNIST (tens of seconds a run): in a --quick run natively only.
  if ((!options.quick || bench_platform() == "native") && !fmnist_bench(options, false)) return 1;
  if (options.large && bench_platform() == "native" && !options.in_wasm && !fmnist_bench(options, true)) return 1;
  return 0;
}

}  // namespace lab::cli
