// Colours for plots and matrix views: the Okabe–Ito categorical palette (safe for the common
// colour-vision deficiencies) and three colour maps for values. Pure functions; no ImGui state.
// Not a theming system: window colours live in ui/fonts.cpp (style_apply).
#pragma once

#include "imgui.h"

namespace lab::ui {

// Categorical colour i (cycles): Okabe–Ito #0072B2 #E69F00 #009E73 #CC79A7 #56B4E9 #D55E00
// #F0E442 #000000, then Paul Tol's wine #882255 and grey #999999 so 10 classes (digits) differ.
ImU32 palette_color(int i, float alpha = 1.0f);
constexpr int kPaletteSize = 10;

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
