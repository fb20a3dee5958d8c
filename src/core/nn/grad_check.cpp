#include "core/nn/grad_check.h"

#include <algorithm>
#include <cmath>

namespace lab::core::nn {

GradCheckResult grad_check(MatD& x, const MatD& analytic, const std::function<double()>& f, double h,
                           bool four_point, const std::function<bool(Index)>& skip) {
  GradCheckResult r;
  for (Index k = 0; k < x.size(); ++k) {
    if (skip && skip(k)) {
      ++r.skipped;
      continue;
    }
    double& xk = x.data()[k];
    const double orig = xk;
    auto at = [&](double d) {
      xk = orig + d;
      return f();
    };
    double num;
    if (four_point) num = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h);
    else num = (at(h) - at(-h)) / (2 * h);
    xk = orig;
    const double ana = analytic.data()[k];
    const double err = std::abs(num - ana) / std::max({1.0, std::abs(num), std::abs(ana)});
    if (err > r.max_err || r.worst < 0) {
      r.max_err = std::max(r.max_err, err);
      if (err >= r.max_err) {
        r.worst = k;
        r.worst_numeric = num;
        r.worst_analytic = ana;
      }
    }
    ++r.checked;
  }
  return r;
}

}  // namespace lab::core::nn
