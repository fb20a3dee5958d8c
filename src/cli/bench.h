// The benchmark suite behind `embedlab bench`. Each suite (one file, bench_<name>.cpp) runs its
// headline workloads on whatever it is compiled for and prints every figure with bench_print() as
//   BENCH <name> <value> <unit>
// The driver (cmd_bench.cpp) runs every suite natively, then the same suites in the WASM builds under
// node (with and without -msimd128), and prints ratios. Suites measure; they never assert.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace lab::cli {

struct BenchOptions {
  bool quick = false;      // a short run (CI, a first look): fewer repetitions, smaller sizes
  bool peers = true;       // also run peer implementations (scikit-learn, PyTorch) where installed
  bool in_wasm = false;    // running inside a WASM build (peers are skipped there)
};

void bench_print(std::string_view name, double value, std::string_view unit);

// Runs a command (a peer script, or this CLI in WASM under node), re-prints its BENCH lines through
// bench_print (so they are recorded) and echoes its other output to stderr. Returns the figures it
// printed; *exit_code (if given) is its exit status, or -1 if it could not start (a WASM build
// starts no processes).
std::map<std::string, double> bench_run(const std::string& command, int* exit_code = nullptr);

}  // namespace lab::cli
