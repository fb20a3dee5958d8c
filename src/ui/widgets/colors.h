// Colours for plots and matrix views: two categorical palettes (light and dark theme) that stay
// safe for the common colour-vision deficiencies and keep ≥ 3:1 contrast against their plot
// background (WCAG 2.1, 1.4.11 "non-text contrast" for lines and markers), the plot chrome
// (background, grid, frame) of each theme, and three colour maps for values.
// The theme is one switch set by style_apply (ui/fonts.cpp); window colours live there too.
#pragma once

#include "imgui.h"

namespace lab::ui {

// Categorical colour i (cycles), by hue slot, the same slot meaning the same hue in both themes:
//   slot   0 blue   1 orange  2 green   3 purple  4 indigo  5 vermillion 6 yellow  7 ink   8 wine   9 grey
//   light #0072B2 #A86F00  #009E73  #B2508F  #332288  #D55E00   #6B6B00  #000000 #882255 #6E6E6E
//   dark  #56B4E9 #E69F00  #009E73  #CC79A7  #9A8CFF  #E8743A   #F0E442  #E6E6E6 #EE99AA #999999
// Okabe–Ito's hues; on white its orange, sky blue and yellow (#F0E442: 1.3:1) are too light, so the
// light palette darkens them (and takes Paul Tol's indigo and wine); on the dark background it is
// black and wine that vanish, so the dark palette lightens those. tests/ui/test_colors.cpp checks
// every entry's contrast against its theme's plot background.
ImU32 palette_color(int i, float alpha = 1.0f);
constexpr int kPaletteSize = 10;
// The palette of a theme regardless of the current one (tests, legends of exported images).
ImU32 palette_color_of(bool dark, int i, float alpha = 1.0f);

// The current theme (set by style_apply, read by plots and matrix views).
void theme_dark_set(bool dark);
bool theme_dark();

// Plot chrome of the current theme.
struct PlotColors {
  ImU32 background;   // plot area
  ImU32 grid_major, grid_minor;
  ImU32 frame;        // plot area border
  ImU32 legend_bg, legend_border;
  ImU32 backdrop;     // behind read-outs drawn over the data
  ImU32 hover_ring;   // around the hovered point
  ImU32 bar_gap;      // thin separator between bars
  ImU32 no_group;     // scatter points without a group
};
const PlotColors& plot_colors();
const PlotColors& plot_colors_of(bool dark);

// WCAG 2.1 contrast ratio of two opaque colours (1 .. 21).
double contrast_ratio(ImU32 a, ImU32 b);

enum class Colormap {
  Auto,       // matrix_view: Blues for data >= 0, Diverging for signed data; plots: Viridis
  Viridis,    // perceptually uniform sequential map (matplotlib's default), dark violet -> yellow
  Blues,      // white -> Okabe–Ito blue: masks, one-hot rows, counts (0 is white)
  Diverging,  // Okabe–Ito blue -> white -> vermillion: signed weights, 0 is white
};

// Colour at t in [0, 1] (clamped; NaN gives a neutral grey).
ImU32 colormap_sample(Colormap map, float t);
// Black or white, whichever reads better on top of `background`.
ImU32 color_text_on(ImU32 background);

}  // namespace lab::ui
