// `embedlab bench [--quick]`: runs every suite of bench_suites.h natively, then the same suites in
// the WASM builds under node (build/web-release: -msimd128, build/web-release-nosimd: without),
// then the PyTorch peer, and prints ratios. Every figure is one line "BENCH <name> <value> <unit>".
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <sys/stat.h>

#include "cli/bench_suites.h"
#include "cli/commands.h"

namespace lab::cli {

namespace {

std::map<std::string, double>& bench_values() {
  static std::map<std::string, double> values;  // every figure printed in this process
  return values;
}

const char* kBenchUsage =
    "usage: embedlab bench [--quick] [--no-peers] [--suite NAME] [--wasm-dir DIR] [--no-wasm]\n"
    "\n"
    "Measures the headline workloads natively, in the WASM builds under node (with and without\n"
    "-msimd128) and in peer implementations (PyTorch), and prints every figure as\n"
    "  BENCH <name> <value> <unit>\n"
    "followed by ratios. Benchmarks measure; they never fail on a slow figure.\n"
    "\n"
    "  --quick         smaller sizes, fewer repetitions (a few minutes at most)\n"
    "  --no-peers      skip PyTorch\n"
    "  --suite NAME    only this suite (engine, ...)\n"
    "  --wasm-dir DIR  folder holding web-release/ and web-release-nosimd/ (default: <source>/build)\n"
    "  --no-wasm       native figures only\n"
    "  --in-wasm       (internal) run inside a WASM build: suites only, no driver\n";

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

bool have(const char* name, double& v) {
  auto it = bench_values().find(name);
  if (it == bench_values().end()) return false;
  v = it->second;
  return true;
}

void ratio(const char* name, const char* num, const char* den, const char* what) {
  double a, b;
  if (have(num, a) && have(den, b) && b > 0) bench_print(name, a / b, "x");
  else std::fprintf(stderr, "bench: no %s ratio (missing %s or %s)\n", what, num, den);
}

}  // namespace

std::map<std::string, double> bench_run(const std::string& command, int* exit_code) {
  std::map<std::string, double> figures;
  if (exit_code) *exit_code = -1;
#if !defined(__wasm__)
  std::fflush(stdout);
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return figures;
  char line[1024];
  while (std::fgets(line, sizeof line, p)) {
    char name[512], unit[64] = "";
    double value = 0;
    if (std::sscanf(line, "BENCH %511s %lf %63s", name, &value, unit) >= 2) {
      bench_print(name, value, unit);
      figures[name] = value;
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

int cmd_bench(Args args) {
  BenchOptions opt;
  std::string suite, wasm_dir = std::string(LAB_BENCH_SOURCE_DIR) + "/build";
  bool wasm = true;
  const int st = options_walk("bench", args, kBenchUsage, [&](std::string_view a, std::string_view v) -> std::string {
    if (a == "--quick") opt.quick = true;
    else if (a == "--no-peers") opt.peers = false;
    else if (a == "--in-wasm") opt.in_wasm = true;
    else if (a == "--no-wasm") wasm = false;
    else if (a == "--suite") suite = std::string(v);
    else if (a == "--wasm-dir") wasm_dir = std::string(v);
    else return unknown_option(a);
    return {};
  }, {"--quick", "--no-peers", "--in-wasm", "--no-wasm"});
  if (st >= 0) return st;
  bool found = suite.empty();
  for (const BenchSuite& s : kBenchSuites) found |= suite == s.name;
  if (!found) return usage_error("bench", "unknown suite '" + suite + "'", kBenchUsage);

  for (const BenchSuite& s : kBenchSuites)
    if (suite.empty() || suite == s.name) s.run(opt);
  if (opt.in_wasm || bench_platform() != "native") return 0;

  const std::string flags = std::string(opt.quick ? " --quick" : "") + (suite.empty() ? "" : " --suite " + suite);
  if (wasm) {
    for (const char* build : {"web-release", "web-release-nosimd"}) {
      const std::string js = wasm_dir + "/" + build + "/src/embedlab_node.js";
      if (!file_exists(js)) {
        std::fprintf(stderr,
                     "bench: %s not found; WASM figures for %s skipped. Build it with:\n"
                     "  export NODE_PATH=/usr/share/nodejs; cmake --preset %s -DLAB_BUILD_APP=OFF && "
                     "cmake --build --preset %s --target embedlab_node\n",
                     js.c_str(), build, build, build);
        continue;
      }
      std::fprintf(stderr, "bench: running %s under node\n", build);
      if (run_child("node --no-experimental-fetch " + js + " bench --in-wasm" + flags) != 0)
        std::fprintf(stderr, "bench: the %s run failed\n", build);
    }
  }
  if (opt.peers && (suite.empty() || suite == "engine")) {
    const std::string script = std::string(LAB_BENCH_SOURCE_DIR) + "/bench/peers/mf_torch.py";
    if (!file_exists(script)) {
      std::fprintf(stderr, "bench: %s not found; PyTorch peer skipped\n", script.c_str());
    } else if (run_child("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") != 0) {
      std::fprintf(stderr,
                   "bench: PyTorch is not installed (Debian: apt-get install python3-torch); "
                   "mf_epoch.speedup_vs_torch skipped\n");
    } else {
      std::fprintf(stderr, "bench: running the PyTorch peer\n");
      run_child("/usr/bin/python3 " + script);
    }
  }
  // Ratios. speedup = how many times faster the first is; wasm_over_native = WASM time / native time.
  ratio("dense.wasm_simd_speedup", "dense.wasm_simd.gflops", "dense.wasm_nosimd.gflops", "WASM SIMD speedup");
  ratio("dense.wasm_over_native", "dense.native.gflops", "dense.wasm_simd.gflops", "WASM vs native");
  ratio("dense.wasm_kernel_speedup_vs_eigen", "dense.wasm_simd.gflops", "dense.wasm_simd.eigen.gflops",
        "wasm_simd128 kernel vs Eigen");
  ratio("mf_epoch.wasm_simd_speedup", "mf_epoch.wasm_nosimd.seconds", "mf_epoch.wasm_simd.seconds", "MF WASM SIMD");
  ratio("mf_epoch.wasm_over_native", "mf_epoch.wasm_simd.seconds", "mf_epoch.native.seconds", "MF WASM vs native");
  ratio("mf_epoch.speedup_vs_torch", "mf_epoch.torch.seconds", "mf_epoch.native.seconds", "MF vs PyTorch");
  ratio("tsne.digits.wasm_over_native", "tsne.digits.wasm_simd.seconds", "tsne.digits.native.seconds",
        "t-SNE WASM vs native");
  ratio("tsne.digits.wasm_simd_speedup", "tsne.digits.wasm_nosimd.seconds", "tsne.digits.wasm_simd.seconds",
        "t-SNE WASM SIMD");
  ratio("mf_epoch.wasm_simd_speedup_vs_torch", "mf_epoch.torch.seconds", "mf_epoch.wasm_simd.seconds",
        "MF WASM vs PyTorch");
  return 0;
}

}  // namespace lab::cli
