// `embedlab bench`: prints the machine, the compilers and the peers' versions (INFO lines), runs
// every suite of bench_suites.h natively (the suites run the peers on files they write once), then
// the same suites in the other builds (-march=native; WASM with and without -msimd128, under node),
// optionally the page in headless Chromium (bench/page.mjs), then the ratios and whether each target
// is met. Every figure is one line "BENCH <name> <value> <unit>"; NOTE lines say what a figure is
// not. Benchmarks measure; they never fail on a slow figure.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>

#include "cli/bench_suites.h"
#include "cli/commands.h"
#include "core/build_info.h"
#include "core/nn/kernels.h"

namespace lab::cli {

namespace {

std::map<std::string, double>& bench_values() {
  static std::map<std::string, double> values;  // every figure printed in this process
  return values;
}

std::vector<std::string>& bench_notes() {
  static std::vector<std::string> notes;  // every NOTE printed in this process (its own and its children's)
  return notes;
}

// The first NOTE that starts with `prefix`, or "".
std::string note_find(std::string_view prefix) {
  for (const std::string& n : bench_notes())
    if (std::string_view(n).starts_with(prefix)) return n;
  return "";
}

const char* kBenchUsage =
    "usage: embedlab bench [--quick] [--large] [--page] [--no-peers] [--suite NAME] [--wasm-dir DIR]\n"
    "                      [--march-dir DIR] [--page-site DIR] [--no-wasm]\n"
    "\n"
    "Measures the headline workloads natively, in a -march=native build, in the WASM builds under node\n"
    "(with and without -msimd128) and in peer implementations (PyTorch, scikit-learn, TensorFlow.js,\n"
    "tsnejs) on the same data, and prints every figure as\n"
    "  BENCH <name> <value> <unit>\n"
    "(timed figures: the median of 5 runs after a warm-up, with _min, _max and _runs), then ratios and\n"
    "whether each target is met. Benchmarks measure; they never fail on a slow figure. A full run takes\n"
    "about 30-40 minutes on 2 cores; bench/bench_table.py turns its output into bench/README.md's table.\n"
    "\n"
    "  --quick          smaller sizes, 3 runs: a first look, NOT for comparison (flagged in the output)\n"
    "  --large          also t-SNE on the 70,000 Fashion-MNIST images, natively and in scikit-learn\n"
    "                   (one run each: about 10-20 minutes more)\n"
    "  --page           also the page in headless Chromium: node bench/page.mjs (weight, ready, frames;\n"
    "                   5-15 minutes; needs a built site and tests/browser's playwright-core)\n"
    "  --page-site DIR  the site bench/page.mjs serves (default: <source>/build/web-release/site)\n"
    "  --no-peers       skip PyTorch, scikit-learn, TensorFlow.js and tsnejs\n"
    "  --suite NAME     only this suite (engine, embed, recsys)\n"
    "  --wasm-dir DIR   folder holding web-release/ and web-release-nosimd/ (default: <source>/build)\n"
    "  --march-dir DIR  a native build configured with -DCMAKE_CXX_FLAGS=-march=native\n"
    "                   (default: <source>/build/native-march)\n"
    "  --no-wasm        no WASM and no -march=native figures\n"
    "  --child          (internal) run as a child of the driver: suites only, no peers, no ratios\n"
    "  --info           (internal) print this build's INFO line only\n";

bool file_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

#ifndef LAB_BENCH_SOURCE_DIR
#define LAB_BENCH_SOURCE_DIR "."
#endif

int run_child(const std::string& cmd) {
  int rc = -1;
  bench_run(cmd, &rc);
  return rc;
}

bool have(const std::string& name, double& v) {
  auto it = bench_values().find(name);
  if (it == bench_values().end()) return false;
  v = it->second;
  return true;
}

// num / den as `name` (unit "x"); prints what is missing instead when a figure is not there.
std::vector<std::string>& platforms_skipped() {
  static std::vector<std::string> skipped;  // builds the driver did not run (not built, or --no-wasm)
  return skipped;
}

// Why `missing` is missing needs no NOTE when it belongs to a build that did not run.
bool skipped_figure(const std::string& missing) {
  for (const std::string& p : platforms_skipped())
    if (missing.find("." + p + ".") != std::string::npos) return true;
  return false;
}

void note_missing(const std::string& name, const std::string& missing) {
  if (!skipped_figure(missing)) std::printf("NOTE no %s: %s is missing\n", name.c_str(), missing.c_str());
}

// (Silent when neither figure was measured: a --suite run, or a build that is not there.)
void ratio(const std::string& name, const std::string& num, const std::string& den) {
  double a = 0, b = 0;
  const bool has_a = have(num, a), has_b = have(den, b);
  if (has_a && has_b && b > 0) bench_print(name, a / b, "x");
  else if (has_a || has_b) note_missing(name, has_a ? den : num);
}

void difference(const std::string& name, const std::string& a_name, const std::string& b_name) {
  double a = 0, b = 0;
  const bool has_a = have(a_name, a), has_b = have(b_name, b);
  if (has_a && has_b) bench_print(name, a - b, "ratio");
  else if (has_a || has_b) note_missing(name, has_a ? b_name : a_name);
}

// Prints "TARGET <name> <value> >= 2: met" (or "NOT met", or "no figure: <why>") and a BENCH flag line.
void target(const std::string& name, bool at_least, double threshold, const std::string& if_missing = "") {
  double v;
  char line[512];
  if (!have(name, v)) {
    std::snprintf(line, sizeof line, "TARGET %s %s %g: no figure%s%s", name.c_str(), at_least ? ">=" : "<=", threshold,
                  if_missing.empty() ? "" : ": ", if_missing.c_str());
    std::puts(line);
    return;
  }
  const bool met = at_least ? v >= threshold : v <= threshold;
  std::snprintf(line, sizeof line, "TARGET %s %.4g %s %g: %s", name.c_str(), v, at_least ? ">=" : "<=", threshold,
                met ? "met" : "NOT met");
  std::puts(line);
  bench_print("target." + name + ".met", met ? 1 : 0, "flag");
}

// The first line of a command's output ("" if it printed nothing or could not start).
std::string first_line(const std::string& cmd) {
  FILE* p = ::popen((cmd + " 2>/dev/null").c_str(), "r");
  if (!p) return "";
  char buf[512] = "";
  if (!std::fgets(buf, sizeof buf, p)) buf[0] = 0;
  ::pclose(p);
  std::string s = buf;
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// What this binary was built with: compiler, its SIMD level, the product kernel.
std::string build_info() {
  std::string compiler;
#if defined(__clang__)
  compiler = "clang " __clang_version__;
  while (!compiler.empty() && compiler.back() == ' ') compiler.pop_back();
#elif defined(__GNUC__)
  compiler = "GCC " __VERSION__;
#else
  compiler = "unknown compiler";
#endif
#if defined(LAB_TOOLCHAIN)  // "Emscripten 3.1.6" in the web builds (src/CMakeLists.txt)
  compiler = std::string(LAB_TOOLCHAIN) + " (" + compiler + ")";
#endif
  return bench_platform() + ": " + compiler + ", SIMD " + core::build_simd() + ", products " + core::nn::matmul_kernel_name();
}

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// INFO lines: date, mode, load, CPU, this build, the peers' versions.
void print_header(const BenchOptions& opt, Args args) {
  std::string command = "embedlab bench";
  for (std::string_view a : args) {
    command += ' ';
    command.append(a.data(), a.size());
  }
  std::printf("INFO command %s\n", command.c_str());
  char date[64];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  std::printf("INFO date %s\n", date);
  if (opt.quick) std::printf("INFO mode QUICK RUN (--quick): smaller sizes, %d runs per figure; NOT for comparison\n", opt.runs);
  else std::printf("INFO mode full run: timed figures are the median of %d runs after a warm-up (exceptions are NOTEd)\n", opt.runs);
  bench_print("bench.quick", opt.quick ? 1 : 0, "flag");
  const std::string load = read_file("/proc/loadavg");
  std::printf("INFO load average at start: %s", load.empty() ? "unknown\n" : load.c_str());
  double l1 = 0;
  if (std::sscanf(load.c_str(), "%lf", &l1) == 1) bench_print("bench.loadavg1_start", l1, "load");
  const std::string cpuinfo = read_file("/proc/cpuinfo");
  std::string model = "unknown", flags;
  int cores = 0;
  std::istringstream in(cpuinfo);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      ++cores;
      model = line.substr(line.find(':') + 2);
    } else if (line.rfind("flags", 0) == 0 && flags.empty()) {
      for (const char* f : {"sse4_2", "avx", "avx2", "fma", "avx512f"})
        if ((" " + line + " ").find(std::string(" ") + f + " ") != std::string::npos) flags += std::string(" ") + f;
    }
  }
  std::printf("INFO cpu %s, %d logical cores; SIMD the CPU offers:%s\n", model.c_str(), cores, flags.c_str());
  std::printf("INFO build %s\n", build_info().c_str());
  const std::string src = LAB_BENCH_SOURCE_DIR;
  std::printf("INFO node %s\n", first_line("node --version").c_str());
  if (!opt.peers) return;
  std::printf("INFO peers (python) %s\n",
              first_line("/usr/bin/python3 -c \"import sys, importlib.util as u; print('python', sys.version.split()[0], "
                         "*[m + ' ' + (__import__(m).__version__ if u.find_spec(m) else 'not installed') "
                         "for m in ('numpy', 'torch', 'sklearn', 'threadpoolctl')])\"")
                  .c_str());
  std::printf("INFO peers (npm, bench/peers) %s\n",
              first_line("cd " + src + "/bench/peers && node -e \"for (const m of ['@tensorflow/tfjs', "
                         "'@tensorflow/tfjs-backend-wasm', 'tsne']) { let v = 'not installed'; try { v = "
                         "require(m + '/package.json').version } catch (e) {} process.stdout.write(m + ' ' + v + ' ') }\"")
                  .c_str());
}

}  // namespace

std::string bench_platform() {
#if defined(__wasm_simd128__)
  return "wasm_simd";
#elif defined(__wasm__)
  return "wasm_nosimd";
#elif defined(__AVX__)
  // The portable x86-64 build targets SSE2 only; AVX here means the compiler was told this CPU's
  // features (-march=native): the native build at its best, reported beside the portable one.
  return "native_march";
#else
  return "native";
#endif
}

std::string bench_data_dir() {
  const std::string dir = std::string(LAB_BENCH_SOURCE_DIR) + "/build/bench_data";
  ::mkdir((std::string(LAB_BENCH_SOURCE_DIR) + "/build").c_str(), 0755);
  ::mkdir(dir.c_str(), 0755);
  return dir;
}

std::map<std::string, double> bench_run(const std::string& command, int* exit_code) {
  std::map<std::string, double> figures;
  if (exit_code) *exit_code = -1;
#if !defined(__wasm__)
  std::fflush(stdout);
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return figures;
  char line[2048];
  while (std::fgets(line, sizeof line, p)) {
    char name[512], unit[64] = "";
    double value = 0;
    if (std::sscanf(line, "BENCH %511s %lf %63s", name, &value, unit) >= 2) {
      bench_print(name, value, unit);
      figures[name] = value;
    } else if (std::string_view(line).starts_with("NOTE ") || std::string_view(line).starts_with("INFO ")) {
      if (std::string_view(line).starts_with("NOTE ")) {
        std::string note = line + 5;
        while (!note.empty() && (note.back() == '\n' || note.back() == '\r')) note.pop_back();
        bench_notes().push_back(note);
      }
      std::fputs(line, stdout);
      std::fflush(stdout);
    } else {
      std::fputs(line, stderr);
    }
  }
  const int rc = ::pclose(p);
  if (exit_code) *exit_code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
#else
  (void)command;
#endif
  return figures;
}

void bench_print(std::string_view name, double value, std::string_view unit) {
  bench_values()[std::string(name)] = value;
  std::printf("BENCH %.*s %.6g %.*s\n", int(name.size()), name.data(), value, int(unit.size()), unit.data());
  std::fflush(stdout);
}

void bench_note(const std::string& text) {
  bench_notes().push_back(text);
  std::printf("NOTE %s\n", text.c_str());
  std::fflush(stdout);
}

double bench_samples(const std::string& name, std::vector<double> samples, std::string_view unit) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const size_t n = samples.size();
  const double median = n % 2 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
  bench_print(name, median, unit);
  bench_print(name + "_min", samples.front(), unit);
  bench_print(name + "_max", samples.back(), unit);
  bench_print(name + "_runs", double(n), "count");
  return median;
}

std::vector<double> bench_time(int runs, bool warmup, const std::function<void()>& run) {
  if (warmup) run();
  std::vector<double> seconds;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    run();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return seconds;
}

int cmd_bench(Args args) {
  BenchOptions opt;
  const std::string src = LAB_BENCH_SOURCE_DIR;
  std::string suite, wasm_dir = src + "/build", march_dir = src + "/build/native-march",
                     page_site = src + "/build/web-release/site";
  bool wasm = true, info_only = false, page = false;
  const int st = options_walk("bench", args, kBenchUsage, [&](std::string_view a, std::string_view v) -> std::string {
    if (a == "--quick") opt.quick = true;
    else if (a == "--large") opt.large = true;
    else if (a == "--page") page = true;
    else if (a == "--no-peers") opt.peers = false;
    else if (a == "--child" || a == "--in-wasm") opt.in_wasm = true;
    else if (a == "--info") info_only = true;
    else if (a == "--no-wasm") wasm = false;
    else if (a == "--suite") suite = std::string(v);
    else if (a == "--wasm-dir") wasm_dir = std::string(v);
    else if (a == "--march-dir") march_dir = std::string(v);
    else if (a == "--page-site") page_site = std::string(v);
    else return unknown_option(a);
    return {};
  }, {"--quick", "--large", "--page", "--no-peers", "--child", "--in-wasm", "--info", "--no-wasm"});
  if (st >= 0) return st;
  bool found = suite.empty();
  for (const BenchSuite& s : kBenchSuites) found |= suite == s.name;
  if (!found) return usage_error("bench", "unknown suite '" + suite + "'", kBenchUsage);
  if (opt.quick) opt.runs = 3;
  if (info_only) {
    std::printf("INFO build %s\n", build_info().c_str());
    return 0;
  }
  const bool driver = !opt.in_wasm && bench_platform() == "native";
  if (!driver) opt.peers = false;

  // The other builds, run as children: where they are and how to build them.
  struct Child {
    std::string platform, command, build;
  };
  std::vector<Child> children;
  if (driver && wasm) {
    children.push_back({"native_march", march_dir + "/src/embedlab",
                        "cmake --preset native-release -B " + march_dir +
                            " -DCMAKE_CXX_FLAGS=-march=native -DLAB_BUILD_TESTS=OFF && cmake --build " + march_dir +
                            " --target embedlab"});
    for (const char* build : {"web-release", "web-release-nosimd"})
      children.push_back({build == std::string("web-release") ? "wasm_simd" : "wasm_nosimd",
                          "node --no-experimental-fetch " + wasm_dir + "/" + build + "/src/embedlab_node.js",
                          "export NODE_PATH=/usr/share/nodejs; cmake --preset " + std::string(build) + " -B " +
                              wasm_dir + "/" + build + " -DLAB_BUILD_APP=OFF && cmake --build " + wasm_dir + "/" +
                              build + " --target embedlab_node"});
  }
  auto child_exists = [](const Child& c) {
    const std::string path = c.command.substr(c.command.rfind(' ') + 1);
    return file_exists(path);
  };

  if (driver) {
    print_header(opt, args);
    for (const Child& c : children) {
      if (child_exists(c)) run_child(c.command + " bench --info");
      else std::printf("INFO build %s: not built; its figures are skipped (%s)\n", c.platform.c_str(), c.build.c_str());
    }
  }
  for (const BenchSuite& s : kBenchSuites)
    if (suite.empty() || suite == s.name) s.run(opt);
  if (!driver) return 0;

  const std::string flags = std::string(opt.quick ? " --quick" : "") + (suite.empty() ? "" : " --suite " + suite);
  if (!wasm) platforms_skipped() = {"native_march", "wasm_simd", "wasm_nosimd"};
  for (const Child& c : children) {
    if (!child_exists(c)) {
      platforms_skipped().push_back(c.platform);
      continue;
    }
    std::fprintf(stderr, "bench: running the %s build\n", c.platform.c_str());
    if (run_child(c.command + " bench --child" + flags) != 0) bench_note("the " + c.platform + " run failed");
  }
  if (page) {
    std::fprintf(stderr, "bench: running bench/page.mjs on %s\n", page_site.c_str());
    if (run_child("node " + src + "/bench/page.mjs --site " + page_site + (opt.quick ? " --loads 3 --cap-s 8 --fmnist-runs 1" : "")) != 0)
      bench_note("bench/page.mjs failed (a built site? tests/browser's playwright-core? Chromium?)");
  }
  const std::string load = read_file("/proc/loadavg");
  std::printf("INFO load average at end: %s", load.c_str());

  // Ratios. speedup = how many times faster the first is; X_over_Y = X's time / Y's time.
  // Dense: our hand-written SIMD kernel against scalar Eigen (the lab's two products), and SIMD
  // alone: the same Eigen code compiled with and without -msimd128.
  ratio("dense.wasm_simd_speedup", "dense.wasm_simd.gflops", "dense.wasm_nosimd.gflops");
  ratio("dense.wasm_simd_only_speedup", "dense.wasm_simd.eigen.gflops", "dense.wasm_nosimd.gflops");
  ratio("dense.wasm_kernel_speedup_vs_eigen", "dense.wasm_simd.gflops", "dense.wasm_simd.eigen.gflops");
  ratio("dense.wasm_over_native", "dense.native.gflops", "dense.wasm_simd.gflops");
  ratio("dense.wasm_over_native_march", "dense.native_march.gflops", "dense.wasm_simd.gflops");
  ratio("dense.native_march_speedup", "dense.native_march.gflops", "dense.native.gflops");
  // Recommenders: dense Adam against torch's dense Adam, lazy Adam against torch's SparseAdam.
  for (const char* m : {"mf", "deep", "deep-meta", "triplet", "deep-triplet"}) {
    const std::string r = std::string("recsys.") + m;
    for (const char* plat : {"native", "native_march", "wasm_simd"}) {
      ratio(r + "." + plat + ".speedup_vs_torch_dense", r + ".torch_dense.seconds", r + ".dense." + plat + ".seconds");
      ratio(r + "." + plat + ".lazy_speedup_vs_torch_sparse", r + ".torch_sparse.seconds",
            r + ".lazy." + plat + ".seconds");
    }
  }
  ratio("recsys.mf.wasm_over_native", "recsys.mf.dense.wasm_simd.seconds", "recsys.mf.dense.native.seconds");
  ratio("recsys.mf.wasm_simd_speedup", "recsys.mf.dense.wasm_nosimd.seconds", "recsys.mf.dense.wasm_simd.seconds");
  ratio("recsys.mf.wasm_simd.speedup_vs_tfjs_cpu_extrapolated", "recsys.mf.tfjs_cpu.seconds_extrapolated",
        "recsys.mf.dense.wasm_simd.seconds");
  ratio("recsys.mf.wasm_simd.speedup_vs_tfjs_wasm_extrapolated", "recsys.mf.tfjs_wasm.seconds_extrapolated",
        "recsys.mf.dense.wasm_simd.seconds");
  // t-SNE on the digits. tsnejs is exact O(N^2) t-SNE: that ratio is an algorithm's speed-up (our
  // Barnes-Hut against an exact gradient), not an implementation's.
  ratio("tsne.digits.wasm_over_native", "tsne.digits.wasm_simd.seconds", "tsne.digits.native.seconds");
  ratio("tsne.digits.wasm_simd_speedup", "tsne.digits.wasm_nosimd.seconds", "tsne.digits.wasm_simd.seconds");
  for (const char* t : {"1thread", "2threads"}) {
    ratio(std::string("tsne.digits.speedup_vs_sklearn_") + t, std::string("tsne.digits.sklearn_") + t + ".seconds",
          "tsne.digits.native.seconds");
    difference(std::string("tsne.digits.trustworthiness10_minus_sklearn_") + t, "tsne.digits.native.trustworthiness10",
               std::string("tsne.digits.sklearn_") + t + ".trustworthiness10");
  }
  ratio("tsne.digits.algorithm_speedup_vs_tsnejs_exact", "tsne.digits.tsnejs.seconds", "tsne.digits.native.seconds");
  // Fashion-MNIST: ours in the page (wasm_simd, one thread) against scikit-learn on 2 threads.
  ratio("tsne.fmnist10k.speedup_vs_sklearn", "tsne.fmnist10k.sklearn.seconds", "tsne.fmnist10k.wasm_simd.seconds");
  ratio("tsne.fmnist10k.native.speedup_vs_sklearn", "tsne.fmnist10k.sklearn.seconds", "tsne.fmnist10k.native.seconds");
  ratio("tsne.fmnist10k.wasm_over_native", "tsne.fmnist10k.wasm_simd.seconds", "tsne.fmnist10k.native.seconds");
  difference("tsne.fmnist10k.trustworthiness10_minus_sklearn", "tsne.fmnist10k.native.trustworthiness10",
             "tsne.fmnist10k.sklearn.trustworthiness10");
  difference("tsne.fmnist10k.knn10_accuracy_minus_sklearn", "tsne.fmnist10k.native.knn10_accuracy",
             "tsne.fmnist10k.sklearn.knn10_accuracy");
  if (opt.large) ratio("tsne.fmnist70k.native_over_sklearn", "tsne.fmnist70k.native.seconds", "tsne.fmnist70k.sklearn.seconds");

  // Targets (issue #18): printed, never enforced.
  if (opt.quick) std::puts("NOTE QUICK RUN: the targets below are evaluated on --quick figures, not for comparison");
  target("recsys.mf.wasm_simd.speedup_vs_torch_dense", true, 10);
  target("recsys.mf.wasm_simd.speedup_vs_tfjs_wasm_extrapolated", true, 50, note_find("TF.js wasm backend cannot"));
  target("dense.wasm_simd_only_speedup", true, 2);
  target("dense.wasm_over_native", false, 1.5);
  target("recsys.mf.wasm_over_native", false, 1.5);
  target("tsne.fmnist10k.wasm_over_native", false, 1.5);
  target("tsne.fmnist10k.speedup_vs_sklearn", true, 4);
  target("tsne.fmnist10k.trustworthiness10_minus_sklearn", true, -0.005);
  target("tsne.fmnist70k.native_over_sklearn", false, 0.2,
         opt.large ? note_find("tsne.fmnist70k.native: no figure") : "run with --large");
  // The page (issues #17 and #18), measured by bench/page.mjs.
  const std::string no_page = page ? note_find("bench/page.mjs failed") : "run with --page";
  target("page.transfer_bytes", false, 900000, no_page);
  target("page.ready_ms", false, 1000, no_page);
  target("frames.worst_p95_over_idle", false, 1.5, no_page);
  target("page.fmnist10k.tsne_s", false, 15, no_page);
  if (opt.quick) bench_note("QUICK RUN: not for comparison");
  return 0;
}

}  // namespace lab::cli
