// The benchmark suites `embedlab bench` runs, one line each. A suite prints its figures with
// bench_print() / bench_samples() and names them with bench_platform() so that the native and WASM
// runs of the same suite print different names: e.g. "dense.native.gflops" / "dense.wasm_simd.gflops".
#pragma once

#include <string>

#include "cli/bench.h"
#include "cli/bench_embed.h"

namespace lab::cli {

int bench_suite_engine(const BenchOptions& opt);
int bench_suite_recsys(const BenchOptions& opt);  // bench_recsys.cpp

struct BenchSuite {
  const char* name;
  int (*run)(const BenchOptions&);
};

inline const BenchSuite kBenchSuites[] = {
    {"engine", bench_suite_engine},
    {"embed", bench_suite_embed},
    {"recsys", bench_suite_recsys},
};

}  // namespace lab::cli
