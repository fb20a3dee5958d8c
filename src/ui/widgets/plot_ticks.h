// Axis ticks and number labels for the plot module: "nice" linear ticks (steps of 1, 2 or 5 × 10^k),
// log ticks at decades, and short, readable labels (0.001, 250000, 2×10⁶ — never 1e+06).
// Pure maths on doubles, no ImGui: tested directly. Not a general number formatter.
#pragma once

#include <string>
#include <vector>

namespace lab::ui {

struct PlotTick {
  double value = 0;   // data value (not log-transformed)
  std::string label;  // empty for minor ticks (gridlines only)
  bool major = true;
};

// The nice step (1, 2 or 5 × 10^k) that puts at most max_ticks (>= 2) ticks in [lo, hi]; 0 if the
// range is not finite or empty.
double plot_tick_step(double lo, double hi, int max_ticks);
// Ticks at every multiple of plot_tick_step() inside [lo, hi]; empty if the range is not finite or
// hi <= lo. unicode: write − and ×10ⁿ (the app's DejaVu font has them), else ASCII - and e.
std::vector<PlotTick> plot_ticks_linear(double lo, double hi, int max_ticks, bool unicode = true);
// Ticks for a log axis over data values lo..hi (0 < lo < hi): decades (every 1, 2, 5... decades)
// when the range spans two or more, with unlabelled minor ticks at 2..9; 1-2-5 ticks inside a
// narrower range; linear ticks when even those are too few.
std::vector<PlotTick> plot_ticks_log(double lo, double hi, int max_ticks, bool unicode = true);
// Label for a tick at `value` on an axis whose ticks are `step` apart and whose largest |tick| is
// axis_max_abs (0: use |value|). Enough decimals to tell neighbours apart; fixed notation when the
// axis stays below 1e6 and the step is not tiny, else m×10ⁿ (ASCII: me n) on the whole axis.
std::string plot_tick_format(double value, double step, bool unicode = true, double axis_max_abs = 0);
// A read-out of `value` with `digits` significant digits and the same notation rules (tooltips,
// colour bars, CSV-free display). NaN and infinities are spelled out.
std::string plot_value_format(double value, int digits = 4, bool unicode = true);

}  // namespace lab::ui
