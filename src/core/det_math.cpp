#include "core/det_math.h"

#include <cmath>

namespace lab::core {

double det_exp(double x) {
  if (x != x) return x;                    // NaN
  if (x > 709.782712893384) return INFINITY;
  if (x < -745.1332191019412) return 0.0;
  constexpr double inv_ln2 = 1.44269504088896338700e+00;
  constexpr double ln2_hi = 6.93147180369123816490e-01;  // 32 significant bits: k * ln2_hi is exact
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  const double k = std::floor(x * inv_ln2 + 0.5);
  const double r = (x - k * ln2_hi) - k * ln2_lo;  // |r| <= ~0.347
  // exp(r) = 1 + r (1 + r/2 (1 + r/3 (...))) up to r^14/14!  (truncation < 2e-17 relative)
  static constexpr double inv[15] = {0,        1.0,       1.0 / 2,  1.0 / 3,  1.0 / 4,
                                     1.0 / 5,  1.0 / 6,   1.0 / 7,  1.0 / 8,  1.0 / 9,
                                     1.0 / 10, 1.0 / 11,  1.0 / 12, 1.0 / 13, 1.0 / 14};
  double p = 1.0;
  for (int i = 14; i >= 1; --i) p = 1.0 + (p * r) * inv[i];
  return std::ldexp(p, int(k));
}

double det_log(double x) {
  if (!(x > 0)) return x == 0 ? -INFINITY : NAN;
  if (std::isinf(x)) return x;
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2;
    e -= 1;
  }
  // log(m) = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716
  const double s = (m - 1) / (m + 1);
  const double s2 = s * s;
  double term = s, sum = 0;
  for (int k = 1; k <= 27; k += 2) {
    sum += term / k;
    term *= s2;
  }
  constexpr double ln2 = 0.69314718055994530942;
  return 2 * sum + e * ln2;
}

double det_pow(double x, double y) { return x > 0 ? det_exp(y * det_log(x)) : 0; }

}  // namespace lab::core
