// The benchmark suite behind `embedlab bench`. Each suite (one file, bench_<name>.cpp) runs its
// headline workloads on whatever it is compiled for and prints every figure with bench_print() as
//   BENCH <name> <value> <unit>
// A timed figure is the median of several runs after a warm-up, printed with bench_samples() as
// <name> (the median), <name>_min, <name>_max and <name>_runs. The driver (cmd_bench.cpp) prints the
// machine first (INFO lines), runs every suite natively, then the same suites in the other builds
// (-march=native, WASM with and without -msimd128), then prints ratios and whether each target is
// met. Suites measure; they never assert.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lab::cli {

struct BenchOptions {
  bool quick = false;      // a short run (a first look, not for comparison): fewer runs, smaller sizes
  bool peers = true;       // also run peer implementations (scikit-learn, PyTorch, TF.js) where installed
  bool in_wasm = false;    // a child run (a WASM build, or the -march=native build): suites only, no peers
  bool large = false;      // also the long workloads (t-SNE on the 70,000 Fashion-MNIST images)
  int runs = 5;            // timed runs per figure (after a warm-up); --quick: 3
};

void bench_print(std::string_view name, double value, std::string_view unit);
// One line "NOTE <text>": something a reader of the figures must know (a peer that cannot run, a
// figure from fewer runs than the others). bench_run re-prints a child's NOTE and INFO lines.
void bench_note(const std::string& text);

// Prints the median of `samples` as `name`, and name_min, name_max, name_runs; returns the median.
double bench_samples(const std::string& name, std::vector<double> samples, std::string_view unit);

// Calls `run` once as a warm-up (unless warmup is false), then `runs` times; returns the seconds
// (wall clock) of each timed call.
std::vector<double> bench_time(int runs, bool warmup, const std::function<void()>& run);

// "native", "native_march", "wasm_simd" or "wasm_nosimd": what this binary was built for
// (native_march: a native build whose compiler targeted this very CPU, -march=native).
std::string bench_platform();

// Where the driver writes the data every implementation reads (the same file handed to each peer):
// <source>/build/bench_data, created on first use.
std::string bench_data_dir();

// Runs a command (a peer script, or this CLI in another build), re-prints its BENCH lines through
// bench_print (so they are recorded) and its INFO / NOTE lines to stdout, and echoes its other
// output to stderr. Returns the figures it printed; *exit_code (if given) is its exit status, or
// -1 if it could not start (a WASM build starts no processes).
std::map<std::string, double> bench_run(const std::string& command, int* exit_code = nullptr);

}  // namespace lab::cli
