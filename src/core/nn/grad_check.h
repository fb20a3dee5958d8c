// Numerical gradient checking in double precision (used by the tests, usable by a debug panel).
//
// grad_check() perturbs every entry x_k of a matrix by +-h, re-evaluates the scalar function f
// (which must read x) and compares the central difference (f(x+h) - f(x-h)) / 2h — or, with
// four_point, the 4th-order (-f(x+2h) + 8 f(x+h) - 8 f(x-h) + f(x-2h)) / 12h — with the analytic
// gradient. Entries for which skip(k) is true (kinks: ReLU at 0, the triplet hinge) are not checked.
// The error of an entry is |num - ana| / max(1, |num|, |ana|): absolute for small gradients,
// relative for large ones.
#pragma once

#include <functional>

#include "core/types.h"

namespace lab::core::nn {

struct GradCheckResult {
  double max_err = 0;   // the largest error over checked entries
  Index worst = -1;     // linear index of that entry
  double worst_numeric = 0, worst_analytic = 0;
  Index checked = 0, skipped = 0;
};

GradCheckResult grad_check(MatD& x, const MatD& analytic, const std::function<double()>& f, double h = 1e-5,
                           bool four_point = false, const std::function<bool(Index)>& skip = {});

}  // namespace lab::core::nn
