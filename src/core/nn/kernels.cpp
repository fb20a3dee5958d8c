#include "core/nn/kernels.h"

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

template <class T>
void matmul(const MatT<T>& a, const MatT<T>& b, MatT<T>& c) {
  c.noalias() = a * b;
}

template <class T>
void matmul_tn_add(const MatT<T>& a, const MatT<T>& b, MatT<T>& c) {
  c.noalias() += a.transpose() * b;
}

template <class T>
void matmul_nt(const MatT<T>& a, const MatT<T>& b, MatT<T>& c) {
  c.noalias() = a * b.transpose();
}

template void matmul(const MatT<float>&, const MatT<float>&, MatT<float>&);
template void matmul(const MatT<double>&, const MatT<double>&, MatT<double>&);
template void matmul_tn_add(const MatT<float>&, const MatT<float>&, MatT<float>&);
template void matmul_tn_add(const MatT<double>&, const MatT<double>&, MatT<double>&);
template void matmul_nt(const MatT<float>&, const MatT<float>&, MatT<float>&);
template void matmul_nt(const MatT<double>&, const MatT<double>&, MatT<double>&);

}  // namespace lab::core::nn
