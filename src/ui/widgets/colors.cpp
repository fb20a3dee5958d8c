// Palette and colour maps (see colors.h). Viridis is sampled at 11 stops from matplotlib's table
// (the values d3-scale-chromatic publishes) and interpolated linearly, which is within a few
// levels of the 256-entry original.
#include "ui/widgets/colors.h"

#include <cmath>

namespace lab::ui {

namespace {

struct Rgb { float r, g, b; };

constexpr Rgb rgb(unsigned hex) {
  return {float((hex >> 16) & 0xFF) / 255.0f, float((hex >> 8) & 0xFF) / 255.0f, float(hex & 0xFF) / 255.0f};
}

constexpr unsigned kPalette[kPaletteSize] = {0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9,
                                             0xD55E00, 0xF0E442, 0x000000, 0x882255, 0x999999};

constexpr unsigned kViridis[] = {0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C,
                                 0x22A884, 0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725};
constexpr unsigned kBlues[] = {0xFFFFFF, 0xCFE3F1, 0x8DBEDD, 0x3E93C7, 0x0072B2, 0x00466E};
constexpr unsigned kDiverging[] = {0x00466E, 0x0072B2, 0x7FB8D8, 0xFFFFFF, 0xEEAA80, 0xD55E00, 0x8A3D00};

ImU32 pack(Rgb c, float a = 1.0f) {
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, a));
}

template <int N>
ImU32 ramp(const unsigned (&stops)[N], float t) {
  const float x = t * float(N - 1);
  const int i = x >= float(N - 1) ? N - 2 : int(x);
  const float f = x - float(i);
  const Rgb a = rgb(stops[i]), b = rgb(stops[i + 1]);
  return pack({a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f});
}

}  // namespace

ImU32 palette_color(int i, float alpha) {
  const int k = ((i % kPaletteSize) + kPaletteSize) % kPaletteSize;
  return pack(rgb(kPalette[k]), alpha);
}

ImU32 colormap_sample(Colormap map, float t) {
  if (!std::isfinite(t)) return IM_COL32(200, 200, 200, 255);
  t = t < 0.0f ? 0.0f : (t > 1.0f ? 1.0f : t);
  switch (map) {
    case Colormap::Blues: return ramp(kBlues, t);
    case Colormap::Diverging: return ramp(kDiverging, t);
    case Colormap::Auto:
    case Colormap::Viridis: break;
  }
  return ramp(kViridis, t);
}

ImU32 color_text_on(ImU32 background) {
  const ImVec4 c = ImGui::ColorConvertU32ToFloat4(background);
  // Relative luminance with the sRGB transfer approximated by a square.
  const float lum = 0.2126f * c.x * c.x + 0.7152f * c.y * c.y + 0.0722f * c.z * c.z;
  return lum > 0.18f ? IM_COL32(20, 20, 20, 255) : IM_COL32(255, 255, 255, 255);
}

}  // namespace lab::ui
