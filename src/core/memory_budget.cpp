#include "core/memory_budget.h"

#include <cmath>
#include <cstdio>
#include <iterator>

namespace lab::core {

double memory_bytes(std::initializer_list<double> dims, double bytes_per_element) {
  double b = bytes_per_element;
  for (double d : dims) b *= d < 0 ? NAN : d;
  return b;
}

std::string memory_shape(std::initializer_list<double> dims) {
  std::string s;
  char buf[48];
  for (double d : dims) {
    std::snprintf(buf, sizeof buf, "%.0f", d);
    if (!s.empty()) s += " x ";
    s += buf;
  }
  return s;
}

std::string memory_format(double bytes) {
  if (!std::isfinite(bytes)) return "an unbounded amount of memory";
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  char buf[64];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%.0f bytes", bytes);
    return buf;
  }
  double v = bytes / 1024;
  int u = 0;
  while (v >= 1024 && u + 1 < int(std::size(kUnits))) {
    v /= 1024;
    ++u;
  }
  if (v >= 1024) std::snprintf(buf, sizeof buf, "%.3g %s", v, kUnits[u]);  // beyond EiB: an exponent
  else std::snprintf(buf, sizeof buf, v < 10 ? "%.1f %s" : "%.0f %s", v, kUnits[u]);
  return buf;
}

Status memory_check(double bytes, std::string_view what, std::string_view need, std::string_view hint) {
  if (memory_fits(bytes)) return Status::success();
  std::string msg(what);
  if (need.empty()) {
    msg += " needs ";
  } else {
    msg.append(": ").append(need).append(" needs ");
  }
  msg += memory_format(bytes) + ", over the lab's " + memory_format(double(kMemoryBudgetBytes)) + " memory budget";
  if (!hint.empty()) msg.append("; ").append(hint);
  return Status::error(std::move(msg));
}

}  // namespace lab::core
