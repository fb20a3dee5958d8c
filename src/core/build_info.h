// What this binary was built as, for the About panel and bug reports: target, SIMD, Eigen.
#pragma once

#include <string>

namespace lab::core {

std::string build_target();      // "WebAssembly" or "native x86-64" / "native aarch64" ...
std::string build_simd();        // e.g. "wasm simd128", "SSE2", "none"
std::string build_eigen();       // "Eigen 3.4.0 (SIMD: SSE, SSE2)"

// How many times slower this build runs the same work than a release build: about 10 under
// AddressSanitizer (tests/runtime/test_soak.cpp measured 1290 vs 110 ms for its worst slice); in the
// WebAssembly build without SIMD (the page for browsers without it) about 3 on dense layers (the same
// slice: 898-1019 ms during a -j 2 build, against 380 ms for the SIMD build under load); else 1.
// Wall-clock limits (a lesson block's check time, the soak test's slice bound) scale with it.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kBuildSlowdown = 10;
#elif defined(__wasm__) && !defined(__wasm_simd128__)
constexpr double kBuildSlowdown = 3;
#else
constexpr double kBuildSlowdown = 1;
#endif

}  // namespace lab::core
