// The matrix products of Dense, in one place so that a platform-specific kernel can replace Eigen's
// where it matters. Eigen 3.4 has no WebAssembly SIMD packet path: its GEMM in a -msimd128 build is
// scalar code that LLVM auto-vectorises. Under __wasm_simd128__ the float versions use our own
// wasm_simd128.h micro-kernel (kernels.cpp); everywhere else, and for double, Eigen's GEMM.
#pragma once

#include "core/nn/tensor.h"

namespace lab::core::nn {

template <class T>
void matmul(const MatT<T>& a, const MatT<T>& b, MatT<T>& c);         // c = a b
template <class T>
void matmul_tn_add(const MatT<T>& a, const MatT<T>& b, MatT<T>& c);  // c += a^T b
template <class T>
void matmul_nt(const MatT<T>& a, const MatT<T>& b, MatT<T>& c);      // c = a b^T

// Which implementation the float products use ("eigen" or "wasm_simd128"); bench prints it.
const char* matmul_kernel_name();
// Force Eigen's products even where our kernel exists (bench compares the two); default false.
void matmul_force_eigen(bool force);

}  // namespace lab::core::nn
