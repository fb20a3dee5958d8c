// What this binary was built as, for the About panel and bug reports: target, SIMD, Eigen.
#pragma once

#include <string>

namespace lab::core {

std::string build_target();      // "WebAssembly" or "native x86-64" / "native aarch64" ...
std::string build_simd();        // e.g. "wasm simd128", "SSE2", "none"
std::string build_eigen();       // "Eigen 3.4.0 (SIMD: SSE, SSE2)"

}  // namespace lab::core
