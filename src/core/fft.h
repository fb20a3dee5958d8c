// Fast Fourier transforms that give the same bits on every platform: complex, radix 2, in double,
// on interleaved (re, im) arrays. The twiddle factors come from half-angle formulas (IEEE sqrt, +, -,
// x, /) instead of the libm's sin/cos, and every sum is in a fixed order, so a native build and a
// WASM build transform the same input into the same output (t-SNE's repulsion relies on it:
// core/embed/tsne.h).
//
//   Fft fft(512);                           // the size, a power of two (from 1 up to 2^24)
//   fft.forward(data);                      // data: 2 x 512 doubles, in place
//   fft.inverse(data);                      // unscaled: forward then inverse multiplies by 512
//
// Fft2 transforms square grids (M x M complex, row-major) with the rows of zeros of a padded
// convolution left out:
//
//   Fft2 g(512);
//   g.forward(data, 256);                   // only rows [0, 256) of the input are nonzero
//   ... multiply by a spectrum ...          // the spectrum is held transposed: data[kx][ky] -> see below
//   g.inverse(data, 256);                   // only rows [0, 256) of the result are wanted
#pragma once

#include <vector>

namespace lab::core {

class Fft {
 public:
  Fft() = default;
  explicit Fft(int size);
  int size() const { return size_; }
  // In place; data holds size() complex numbers as (re, im) pairs.
  // forward: X[k] = sum_j x[j] e^{-2 pi i jk / M}; inverse: the same with e^{+...}, not divided by M.
  void forward(double* data) const { transform(data, -1.0); }
  void inverse(double* data) const { transform(data, 1.0); }

 private:
  void transform(double* data, double sign) const;
  int size_ = 0;
  std::vector<double> cos_, sin_;  // cos / sin (2 pi k / M), k < M / 2
  std::vector<int> swap_;          // bit-reversal pairs (i, j), i < j
};

// Two-dimensional transforms of an M x M complex grid stored row-major (2 M^2 doubles). The result
// of forward() is the spectrum *transposed* (element [a][b] holds frequency (b, a)); inverse() takes
// a spectrum in that layout and returns the grid in the normal one. Pointwise products of two
// spectra are unaffected. `rows` says how many leading rows of the input (forward) are nonzero, or of
// the output (inverse) are wanted: a convolution padded to twice its size needs only half of them.
class Fft2 {
 public:
  Fft2() = default;
  explicit Fft2(int size) : fft_(size) {}
  int size() const { return fft_.size(); }
  void forward(double* grid, int rows) const;
  void inverse(double* grid, int rows) const;

 private:
  Fft fft_;
};

// Transposes an M x M complex grid in place.
void transpose_complex(double* grid, int m);

}  // namespace lab::core
