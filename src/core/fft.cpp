#include "core/fft.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <utility>

namespace lab::core {

Fft::Fft(int size) : size_(size) {
  assert(size >= 1 && (size & (size - 1)) == 0 && size <= (1 << 24));
  int levels = 0;
  while ((1 << levels) < size) ++levels;
  // e^{i 2 pi / 2^j} for j = 0 .. levels by halving the angle: cos(t/2) = sqrt((1 + cos t) / 2),
  // sin(t/2) = sin t / (2 cos(t/2)); exact start values down to pi / 2.
  std::vector<double> base_c(size_t(levels) + 1), base_s(size_t(levels) + 1);
  for (int j = 0; j <= levels; ++j) {
    if (j == 0) base_c[j] = 1, base_s[j] = 0;
    else if (j == 1) base_c[j] = -1, base_s[j] = 0;
    else if (j == 2) base_c[j] = 0, base_s[j] = 1;
    else {
      base_c[j] = std::sqrt((1 + base_c[j - 1]) / 2);
      base_s[j] = base_s[j - 1] / (2 * base_c[j]);
    }
  }
  // cos / sin (2 pi k / M) for k < M / 2: the product of the base rotations of k's set bits, most
  // significant first (bit b of k is the angle 2 pi 2^b / M = 2 pi / 2^(levels - b)).
  cos_.resize(size_t(size / 2 > 0 ? size / 2 : 1));
  sin_.resize(cos_.size());
  for (int k = 0; k < size / 2; ++k) {
    double c = 1, s = 0;
    for (int b = levels - 1; b >= 0; --b) {
      if (!((k >> b) & 1)) continue;
      const double bc = base_c[size_t(levels - b)], bs = base_s[size_t(levels - b)];
      const double nc = c * bc - s * bs, ns = c * bs + s * bc;
      c = nc;
      s = ns;
    }
    cos_[size_t(k)] = c;
    sin_[size_t(k)] = s;
  }
  for (int i = 0, j = 0; i < size; ++i) {
    if (i < j) {
      swap_.push_back(i);
      swap_.push_back(j);
    }
    int bit = size >> 1;  // j = bit-reversed i, incremented from the top bit down
    while (bit > 0 && (j & bit)) {
      j ^= bit;
      bit >>= 1;
    }
    j |= bit;
  }
}

void Fft::transform(double* a, double sign) const {
  const int m = size_;
  for (size_t p = 0; p < swap_.size(); p += 2) {
    const int i = swap_[p], j = swap_[p + 1];
    std::swap(a[2 * i], a[2 * j]);
    std::swap(a[2 * i + 1], a[2 * j + 1]);
  }
  for (int len = 2; len <= m; len <<= 1) {
    const int half = len >> 1, step = m / len;
    for (int start = 0; start < m; start += len) {
      double* lo = a + 2 * start;
      double* hi = lo + 2 * half;
      for (int j = 0; j < half; ++j) {
        const double wr = cos_[size_t(j) * step], wi = sign * sin_[size_t(j) * step];
        const double vr = hi[2 * j] * wr - hi[2 * j + 1] * wi;
        const double vi = hi[2 * j] * wi + hi[2 * j + 1] * wr;
        const double ur = lo[2 * j], ui = lo[2 * j + 1];
        lo[2 * j] = ur + vr;
        lo[2 * j + 1] = ui + vi;
        hi[2 * j] = ur - vr;
        hi[2 * j + 1] = ui - vi;
      }
    }
  }
}

void transpose_complex(double* g, int m) {
  constexpr int kBlock = 16;  // square tiles, so both rows and columns stay in cache
  for (int r0 = 0; r0 < m; r0 += kBlock)
    for (int c0 = r0; c0 < m; c0 += kBlock)
      for (int r = r0; r < std::min(m, r0 + kBlock); ++r)
        for (int c = (c0 == r0 ? r + 1 : c0); c < std::min(m, c0 + kBlock); ++c) {
          std::swap(g[2 * (size_t(r) * m + c)], g[2 * (size_t(c) * m + r)]);
          std::swap(g[2 * (size_t(r) * m + c) + 1], g[2 * (size_t(c) * m + r) + 1]);
        }
}

void Fft2::forward(double* g, int rows) const {
  const int m = fft_.size();
  for (int r = 0; r < rows; ++r) fft_.forward(g + 2 * size_t(r) * m);
  transpose_complex(g, m);
  for (int r = 0; r < m; ++r) fft_.forward(g + 2 * size_t(r) * m);
}

void Fft2::inverse(double* g, int rows) const {
  const int m = fft_.size();
  for (int r = 0; r < m; ++r) fft_.inverse(g + 2 * size_t(r) * m);
  transpose_complex(g, m);
  for (int r = 0; r < rows; ++r) fft_.inverse(g + 2 * size_t(r) * m);
}

}  // namespace lab::core
