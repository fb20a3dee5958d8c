#include "core/nn/kernels.h"

#include <type_traits>
#include <vector>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace lab::core::nn {

namespace {
bool g_force_eigen = false;
}

void matmul_force_eigen(bool force) { g_force_eigen = force; }

const char* matmul_kernel_name() {
#ifdef __wasm_simd128__
  return g_force_eigen ? "eigen" : "wasm_simd128";
#else
  return "eigen";
#endif
}

#ifdef __wasm_simd128__
namespace {

// C (n x m) (+)= A (n x k) * B (k x m), all column-major with leading dimensions lda/ldb/ldc.
// Register block: 8 rows (two f32x4) x 4 columns = 8 accumulators; per step of k, two loads of A's
// column, four broadcasts of B, eight multiplies and eight adds (wasm SIMD has no FMA). Every output
// is summed over k in increasing order.
void gemm_nn(const float* A, Index lda, const float* B, Index ldb, float* C, Index ldc, Index n, Index k, Index m,
             bool accumulate) {
  const Index n8 = n - n % 8;
  Index j = 0;
  for (; j + 4 <= m; j += 4) {
    const float* b0 = B + (j + 0) * ldb;
    const float* b1 = B + (j + 1) * ldb;
    const float* b2 = B + (j + 2) * ldb;
    const float* b3 = B + (j + 3) * ldb;
    float* c0 = C + (j + 0) * ldc;
    float* c1 = C + (j + 1) * ldc;
    float* c2 = C + (j + 2) * ldc;
    float* c3 = C + (j + 3) * ldc;
    for (Index i = 0; i < n8; i += 8) {
      v128_t s00 = wasm_f32x4_splat(0), s01 = s00, s10 = s00, s11 = s00, s20 = s00, s21 = s00, s30 = s00, s31 = s00;
      const float* a = A + i;
      for (Index p = 0; p < k; ++p, a += lda) {
        const v128_t a0 = wasm_v128_load(a), a1 = wasm_v128_load(a + 4);
        v128_t bb = wasm_f32x4_splat(b0[p]);
        s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(a0, bb));
        s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(a1, bb));
        bb = wasm_f32x4_splat(b1[p]);
        s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(a0, bb));
        s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(a1, bb));
        bb = wasm_f32x4_splat(b2[p]);
        s20 = wasm_f32x4_add(s20, wasm_f32x4_mul(a0, bb));
        s21 = wasm_f32x4_add(s21, wasm_f32x4_mul(a1, bb));
        bb = wasm_f32x4_splat(b3[p]);
        s30 = wasm_f32x4_add(s30, wasm_f32x4_mul(a0, bb));
        s31 = wasm_f32x4_add(s31, wasm_f32x4_mul(a1, bb));
      }
      if (accumulate) {
        s00 = wasm_f32x4_add(s00, wasm_v128_load(c0 + i));
        s01 = wasm_f32x4_add(s01, wasm_v128_load(c0 + i + 4));
        s10 = wasm_f32x4_add(s10, wasm_v128_load(c1 + i));
        s11 = wasm_f32x4_add(s11, wasm_v128_load(c1 + i + 4));
        s20 = wasm_f32x4_add(s20, wasm_v128_load(c2 + i));
        s21 = wasm_f32x4_add(s21, wasm_v128_load(c2 + i + 4));
        s30 = wasm_f32x4_add(s30, wasm_v128_load(c3 + i));
        s31 = wasm_f32x4_add(s31, wasm_v128_load(c3 + i + 4));
      }
      wasm_v128_store(c0 + i, s00);
      wasm_v128_store(c0 + i + 4, s01);
      wasm_v128_store(c1 + i, s10);
      wasm_v128_store(c1 + i + 4, s11);
      wasm_v128_store(c2 + i, s20);
      wasm_v128_store(c2 + i + 4, s21);
      wasm_v128_store(c3 + i, s30);
      wasm_v128_store(c3 + i + 4, s31);
    }
  }
  // Remaining columns (8-row vectors), then remaining rows of every column (scalar).
  for (; j < m; ++j) {
    const float* bj = B + j * ldb;
    float* cj = C + j * ldc;
    for (Index i = 0; i < n8; i += 8) {
      v128_t s0 = wasm_f32x4_splat(0), s1 = s0;
      const float* a = A + i;
      for (Index p = 0; p < k; ++p, a += lda) {
        const v128_t bb = wasm_f32x4_splat(bj[p]);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a), bb));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + 4), bb));
      }
      if (accumulate) {
        s0 = wasm_f32x4_add(s0, wasm_v128_load(cj + i));
        s1 = wasm_f32x4_add(s1, wasm_v128_load(cj + i + 4));
      }
      wasm_v128_store(cj + i, s0);
      wasm_v128_store(cj + i + 4, s1);
    }
  }
  if (n8 < n) {
    for (Index jj = 0; jj < m; ++jj)
      for (Index i = n8; i < n; ++i) {
        float s = 0;
        for (Index p = 0; p < k; ++p) s += A[i + p * lda] * B[p + jj * ldb];
        C[i + jj * ldc] = accumulate ? C[i + jj * ldc] + s : s;
      }
  }
}

// Scratch for transposed operands, reused between calls (core is single-threaded).
std::vector<float>& scratch() {
  static std::vector<float> s;
  return s;
}

void transpose_into(const MatT<float>& a, std::vector<float>& out) {  // out = a^T, column-major
  const Index r = a.rows(), c = a.cols();
  out.resize(size_t(r * c));
  for (Index j = 0; j < c; ++j)
    for (Index i = 0; i < r; ++i) out[size_t(j + i * c)] = a(i, j);
}

}  // namespace
#endif

template <class T>
void matmul(const MatT<T>& a, const MatT<T>& b, MatT<T>& c) {
#ifdef __wasm_simd128__
  if constexpr (std::is_same_v<T, float>) {
    if (!g_force_eigen) {
      c.resize(a.rows(), b.cols());
      gemm_nn(a.data(), a.rows(), b.data(), b.rows(), c.data(), c.rows(), a.rows(), a.cols(), b.cols(), false);
      return;
    }
  }
#endif
  c.noalias() = a * b;
}

template <class T>
void matmul_tn_add(const MatT<T>& a, const MatT<T>& b, MatT<T>& c) {
#ifdef __wasm_simd128__
  if constexpr (std::is_same_v<T, float>) {
    if (!g_force_eigen) {
      std::vector<float>& at = scratch();
      transpose_into(a, at);  // (a.cols x a.rows)
      gemm_nn(at.data(), a.cols(), b.data(), b.rows(), c.data(), c.rows(), a.cols(), a.rows(), b.cols(), true);
      return;
    }
  }
#endif
  c.noalias() += a.transpose() * b;
}

template <class T>
void matmul_nt(const MatT<T>& a, const MatT<T>& b, MatT<T>& c) {
#ifdef __wasm_simd128__
  if constexpr (std::is_same_v<T, float>) {
    if (!g_force_eigen) {
      std::vector<float>& bt = scratch();
      transpose_into(b, bt);  // (b.cols x b.rows)
      c.resize(a.rows(), b.rows());
      gemm_nn(a.data(), a.rows(), bt.data(), b.cols(), c.data(), c.rows(), a.rows(), a.cols(), b.rows(), false);
      return;
    }
  }
#endif
  c.noalias() = a * b.transpose();
}

template void matmul(const MatT<float>&, const MatT<float>&, MatT<float>&);
template void matmul(const MatT<double>&, const MatT<double>&, MatT<double>&);
template void matmul_tn_add(const MatT<float>&, const MatT<float>&, MatT<float>&);
template void matmul_tn_add(const MatT<double>&, const MatT<double>&, MatT<double>&);
template void matmul_nt(const MatT<float>&, const MatT<float>&, MatT<float>&);
template void matmul_nt(const MatT<double>&, const MatT<double>&, MatT<double>&);

}  // namespace lab::core::nn
