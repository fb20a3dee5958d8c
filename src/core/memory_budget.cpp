#include "core/memory_budget.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <utility>

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

namespace {
int64_t g_budget = kMemoryBudgetBytes;
}  // namespace

int64_t memory_budget() { return g_budget; }

Status memory_budget_set(int64_t bytes) {
#ifdef __wasm__
  const int64_t most = kMemoryBudgetBytes;
#else
  const int64_t most = int64_t(1) << 50;
#endif
  if (bytes < kMemoryBudgetBytes || bytes > most)
    return Status::error("the memory budget must be between " + memory_format(double(kMemoryBudgetBytes)) + " and " +
                         memory_format(double(most)) + (most == kMemoryBudgetBytes ? " in WebAssembly" : "") + ", got " +
                         memory_format(double(bytes)));
  g_budget = bytes;
  return Status::success();
}

bool memory_size_parse(std::string_view text, int64_t& bytes) {
  static const std::pair<const char*, double> kUnits[] = {{"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"", 1}};
  for (const auto& [unit, scale] : kUnits) {
    const std::string_view u(unit);
    if (text.size() <= u.size() || text.substr(text.size() - u.size()) != u) continue;
    const std::string number(text.substr(0, text.size() - u.size()));
    char* end = nullptr;
    const double v = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size() || !std::isfinite(v) || v < 0 || v * scale > 9.0e18) return false;
    bytes = int64_t(v * scale);
    return true;
  }
  return false;
}

bool memory_fits(double bytes) { return bytes >= 0 && bytes <= double(g_budget); }

Status memory_check(double bytes, std::string_view what, std::string_view need, std::string_view hint) {
  if (memory_fits(bytes)) return Status::success();
  std::string msg(what);
  if (need.empty()) {
    msg += " needs ";
  } else {
    msg.append(": ").append(need).append(" needs ");
  }
  msg += memory_format(bytes) + ", over the lab's " + memory_format(double(g_budget)) + " memory budget";
  if (!hint.empty()) msg.append("; ").append(hint);
  return Status::error(std::move(msg));
}

}  // namespace lab::core
