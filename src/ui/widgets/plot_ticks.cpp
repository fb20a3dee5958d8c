// Tick placement and labels (see plot_ticks.h). The step search is the classic 1-2-5 rule
// (Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990), bounded by a tick budget that
// the plot derives from label sizes in pixels.
#include "ui/widgets/plot_ticks.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace lab::ui {

namespace {

constexpr double kEps = 1e-9;

std::string superscript(int n) {
  static const char* const kDigits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  const std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out = n < 0 ? "⁻" : "";
  for (char c : digits) out += kDigits[c - '0'];
  return out;
}

// "2.50" -> "2.5", "3.0" -> "3".
void trim_zeros(std::string& s) {
  if (s.find('.') == std::string::npos) return;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
}

std::string with_minus(std::string s, bool unicode) {
  if (s == "-0") return "0";
  if (unicode && !s.empty() && s[0] == '-') s = "−" + s.substr(1);
  return s;
}

std::string fixed(double value, int decimals, bool trim, bool unicode) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "%.*f", decimals < 0 ? 0 : decimals, value);
  std::string s = buf;
  if (trim) trim_zeros(s);
  return with_minus(s, unicode);
}

int exponent_of(double v) { return int(std::floor(std::log10(std::fabs(v)) + kEps)); }

// m × 10^e with at most `decimals` digits after the mantissa's point, trailing zeros trimmed.
std::string scientific(double value, int decimals, bool unicode) {
  if (decimals < 0) decimals = 0;
  if (decimals > 12) decimals = 12;
  int e = exponent_of(value);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value / std::pow(10.0, e));
  if (std::fabs(std::atof(buf)) >= 10.0) {  // rounding carried into the next power (9.99 -> 10.0)
    ++e;
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value / std::pow(10.0, e));
  }
  std::string m = buf;
  trim_zeros(m);
  if (!unicode) return m + "e" + std::to_string(e);
  if (m == "1") return "10" + superscript(e);
  if (m == "-1") return "−10" + superscript(e);
  return with_minus(m, true) + "×10" + superscript(e);
}

}  // namespace

double plot_tick_step(double lo, double hi, int max_ticks) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo)) return 0;
  if (max_ticks < 2) max_ticks = 2;
  const double range = hi - lo;
  if (!std::isfinite(range)) return 0;
  const double base = std::pow(10.0, std::floor(std::log10(range / max_ticks)));
  static const double kMult[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};
  double step = base;
  for (double m : kMult) {
    step = base * m;
    const double count = std::floor(hi / step + kEps) - std::ceil(lo / step - kEps) + 1;
    if (count <= max_ticks) break;
  }
  return step;
}

std::string plot_tick_format(double value, double step, bool unicode, double axis_max_abs) {
  if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value > 0 ? "∞" : "−∞");
  if (!(step > 0) || !std::isfinite(step)) return plot_value_format(value, 4, unicode);
  if (std::fabs(value) < step * kEps) return "0";
  const double mag = axis_max_abs > 0 ? axis_max_abs : std::fabs(value);
  const int step_exp = exponent_of(step);
  const int decimals = step_exp < 0 ? -step_exp : 0;
  if (mag < 1e6 && (step >= 1e-4 || mag >= 1e-2) && decimals <= 9)
    return fixed(value, decimals, false, unicode);
  return scientific(value, exponent_of(value) - step_exp, unicode);
}

std::string plot_value_format(double value, int digits, bool unicode) {
  if (!std::isfinite(value)) return std::isnan(value) ? "NaN" : (value > 0 ? "∞" : "−∞");
  if (value == 0) return "0";
  if (digits < 1) digits = 1;
  const double mag = std::fabs(value);
  if (mag >= 1e-4 && mag < 1e6) {
    const int decimals = digits - 1 - exponent_of(value);
    std::string s = fixed(value, decimals, true, unicode);
    return s;
  }
  return scientific(value, digits - 1, unicode);
}

std::vector<PlotTick> plot_ticks_linear(double lo, double hi, int max_ticks, bool unicode) {
  std::vector<PlotTick> ticks;
  const double step = plot_tick_step(lo, hi, max_ticks);
  if (!(step > 0)) return ticks;
  const double i0 = std::ceil(lo / step - kEps), i1 = std::floor(hi / step + kEps);
  if (!(i1 - i0 < 1000)) return ticks;  // guards against a step lost in rounding
  double max_abs = 0;
  for (double i = i0; i <= i1; ++i) max_abs = std::fmax(max_abs, std::fabs(i * step));
  for (double i = i0; i <= i1; ++i) {
    double v = i * step;
    if (std::fabs(v) < step * kEps) v = 0;
    ticks.push_back({v, plot_tick_format(v, step, unicode, max_abs), true});
  }
  return ticks;
}

std::vector<PlotTick> plot_ticks_log(double lo, double hi, int max_ticks, bool unicode) {
  std::vector<PlotTick> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(lo > 0) || !(hi > lo)) return ticks;
  if (max_ticks < 2) max_ticks = 2;
  const double l0 = std::log10(lo), l1 = std::log10(hi);
  const int k0 = int(std::ceil(l0 - kEps)), k1 = int(std::floor(l1 + kEps));
  auto decade_label = [&](int k) {
    return (k >= -4 && k <= 5) ? fixed(std::pow(10.0, k), k < 0 ? -k : 0, false, unicode)
                               : scientific(std::pow(10.0, k), 0, unicode);
  };
  if (k1 - k0 + 1 >= 2) {
    int dstep = 1;
    static const int kSteps[] = {1, 2, 5, 10, 20, 50, 100};
    for (int s : kSteps) {
      dstep = s;
      const int count = int(std::floor(double(k1) / s)) - int(std::ceil(double(k0) / s)) + 1;
      if (count <= max_ticks) break;
    }
    for (int k = int(std::ceil(double(k0) / dstep)) * dstep; k <= k1; k += dstep)
      ticks.push_back({std::pow(10.0, k), decade_label(k), true});
    if (dstep == 1 && l1 - l0 <= 8) {
      for (int k = int(std::floor(l0)); k <= k1; ++k)
        for (int m = 2; m <= 9; ++m) {
          const double v = m * std::pow(10.0, k);
          if (v >= lo && v <= hi) ticks.push_back({v, "", false});
        }
    }
    return ticks;
  }
  // Less than two decades: 1, 2, 5 × 10^k.
  for (int k = int(std::floor(l0)); k <= k1; ++k)
    for (int m : {1, 2, 5}) {
      const double v = m * std::pow(10.0, k);
      if (v >= lo * (1 - kEps) && v <= hi * (1 + kEps))
        ticks.push_back({v, plot_value_format(v, 1, unicode), true});
    }
  if (int(ticks.size()) >= 2 && int(ticks.size()) <= max_ticks) return ticks;
  return plot_ticks_linear(lo, hi, max_ticks, unicode);
}

}  // namespace lab::ui
