#include "core/build_info.h"

#include <Eigen/Core>

namespace lab::core {

std::string build_target() {
#if defined(__wasm__)
  return "WebAssembly";
#elif defined(__x86_64__)
  return "native x86-64";
#elif defined(__aarch64__)
  return "native aarch64";
#else
  return "native";
#endif
}

std::string build_simd() {
#if defined(__wasm_simd128__)
  return "wasm simd128";
#elif defined(__wasm__)
  return "none: the build for browsers without WebAssembly SIMD";
#elif defined(__AVX512F__)
  return "AVX-512";
#elif defined(__AVX2__)
  return "AVX2";
#elif defined(__SSE2__)
  return "SSE2";
#elif defined(__ARM_NEON)
  return "NEON";
#else
  return "none";
#endif
}

std::string build_eigen() {
  return "Eigen " + std::to_string(EIGEN_WORLD_VERSION) + "." + std::to_string(EIGEN_MAJOR_VERSION) + "." +
         std::to_string(EIGEN_MINOR_VERSION) + " (SIMD: " + Eigen::SimdInstructionSetsInUse() + ")";
}

}  // namespace lab::core
