// The benchmark suite behind `embedlab bench`. Each suite (one file, bench_<name>.cpp) runs its
// headline workloads on whatever it is compiled for and prints every figure with bench_print() as
//   BENCH <name> <value> <unit>
// The driver (cmd_bench.cpp) runs every suite natively, then the same suites in the WASM builds under
// node (with and without -msimd128), and prints ratios. Suites measure; they never assert.
#pragma once

#include <string_view>

namespace lab::cli {

struct BenchOptions {
  bool quick = false;      // a short run (CI, a first look): fewer repetitions, smaller sizes
  bool peers = true;       // also run peer implementations (scikit-learn, PyTorch) where installed
  bool in_wasm = false;    // running inside a WASM build (peers are skipped there)
};

void bench_print(std::string_view name, double value, std::string_view unit);

}  // namespace lab::cli
