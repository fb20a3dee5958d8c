#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/fft.h"
#include "core/rng.h"

using namespace lab::core;

namespace {

// The DFT by its definition, in long double with the libm's sin/cos: the reference.
std::vector<double> dft(const std::vector<double>& x, double sign) {
  const int m = int(x.size() / 2);
  std::vector<double> out(x.size());
  for (int k = 0; k < m; ++k) {
    long double re = 0, im = 0;
    for (int j = 0; j < m; ++j) {
      const long double a = sign * 2 * 3.14159265358979323846264338327950288L * (long double)((int64_t(j) * k) % m) / m;
      re += x[2 * j] * cosl(a) - x[2 * j + 1] * sinl(a);
      im += x[2 * j] * sinl(a) + x[2 * j + 1] * cosl(a);
    }
    out[2 * k] = double(re);
    out[2 * k + 1] = double(im);
  }
  return out;
}

std::vector<double> random_complex(int m, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> x(size_t(2) * m);
  for (double& v : x) v = rng_normal(rng);
  return x;
}

double max_abs_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double d = 0;
  for (size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

}  // namespace

TEST_CASE("fft: matches the DFT's definition, forward and inverse, sizes 1 to 1024") {
  for (int m : {1, 2, 4, 8, 16, 64, 256, 1024}) {
    CAPTURE(m);
    const std::vector<double> x = random_complex(m, uint64_t(m));
    Fft fft(m);
    std::vector<double> f = x;
    fft.forward(f.data());
    const double tol = 1e-12 * std::sqrt(double(m)) * std::log2(2.0 * m);
    CHECK(max_abs_diff(f, dft(x, -1)) < tol * std::sqrt(double(m)));
    std::vector<double> g = x;
    fft.inverse(g.data());
    CHECK(max_abs_diff(g, dft(x, 1)) < tol * std::sqrt(double(m)));
    // forward then inverse gives the input times m
    fft.inverse(f.data());
    for (double& v : f) v /= m;
    CHECK(max_abs_diff(f, x) < tol);
  }
}

TEST_CASE("fft: a pruned 2-D transform computes a zero-padded circular convolution") {
  // n x n data and an n x n kernel of offsets in [-(n-1), n-1], padded to M = 2n: the transform of
  // the product is the linear convolution, read on the first n rows.
  const int n = 8, m = 16;
  Rng rng(5);
  std::vector<double> data(size_t(2) * m * m, 0.0), kern(size_t(2) * m * m, 0.0);
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) data[2 * (size_t(r) * m + c)] = rng_normal(rng);
  auto k_at = [](int dr, int dc) { return 1.0 / (1.0 + dr * dr + 0.5 * dc * dc) + 0.1 * dr; };
  for (int r = 0; r < m; ++r)
    for (int c = 0; c < m; ++c) {
      if (r == n || c == n) continue;
      kern[2 * (size_t(r) * m + c)] = k_at(r < n ? r : r - m, c < n ? c : c - m);
    }
  Fft2 fft(m);
  std::vector<double> d = data;
  fft.forward(d.data(), n);
  fft.forward(kern.data(), m);
  for (size_t k = 0; k < size_t(m) * m; ++k) {
    const double ar = d[2 * k], ai = d[2 * k + 1], br = kern[2 * k], bi = kern[2 * k + 1];
    d[2 * k] = (ar * br - ai * bi) / (m * m);
    d[2 * k + 1] = (ar * bi + ai * br) / (m * m);
  }
  fft.inverse(d.data(), n);
  double worst = 0;
  for (int r = 0; r < n; ++r)
    for (int c = 0; c < n; ++c) {
      double direct = 0;
      for (int r2 = 0; r2 < n; ++r2)
        for (int c2 = 0; c2 < n; ++c2) direct += k_at(r - r2, c - c2) * data[2 * (size_t(r2) * m + c2)];
      worst = std::max(worst, std::abs(d[2 * (size_t(r) * m + c)] - direct));
      worst = std::max(worst, std::abs(d[2 * (size_t(r) * m + c) + 1]));  // real data, real kernel
    }
  CHECK(worst < 1e-12);
}

TEST_CASE("fft: transpose_complex swaps rows and columns") {
  const int m = 37;  // not a multiple of the tile
  std::vector<double> g(size_t(2) * m * m);
  for (size_t i = 0; i < g.size(); ++i) g[i] = double(i);
  transpose_complex(g.data(), m);
  for (int r = 0; r < m; ++r)
    for (int c = 0; c < m; ++c) {
      CHECK(g[2 * (size_t(r) * m + c)] == double(2 * (size_t(c) * m + r)));
      CHECK(g[2 * (size_t(r) * m + c) + 1] == double(2 * (size_t(c) * m + r) + 1));
    }
}
