// Palette and colour maps (see colors.h). Viridis is sampled at 11 stops from matplotlib's table
// (the values d3-scale-chromatic publishes) and interpolated linearly, which is within a few
// levels of the 256-entry original.
#include "ui/widgets/colors.h"

#include <cmath>
#include <utility>

namespace lab::ui {

namespace {

struct Rgb { float r, g, b; };

constexpr Rgb rgb(unsigned hex) {
  return {float((hex >> 16) & 0xFF) / 255.0f, float((hex >> 8) & 0xFF) / 255.0f, float(hex & 0xFF) / 255.0f};
}

// See colors.h for the choice; the order is the hue slot.
constexpr unsigned kPaletteLight[kPaletteSize] = {0x0072B2, 0xA86F00, 0x009E73, 0xB2508F, 0x332288,
                                                  0xD55E00, 0x6B6B00, 0x000000, 0x882255, 0x6E6E6E};
constexpr unsigned kPaletteDark[kPaletteSize] = {0x56B4E9, 0xE69F00, 0x009E73, 0xCC79A7, 0x9A8CFF,
                                                 0xE8743A, 0xF0E442, 0xE6E6E6, 0xEE99AA, 0x999999};

bool g_dark = false;

// sRGB channel (0..1) to linear light, as WCAG 2.1 defines relative luminance.
double srgb_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

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

ImU32 palette_color_of(bool dark, int i, float alpha) {
  const int k = ((i % kPaletteSize) + kPaletteSize) % kPaletteSize;
  return pack(rgb(dark ? kPaletteDark[k] : kPaletteLight[k]), alpha);
}

ImU32 palette_color(int i, float alpha) { return palette_color_of(g_dark, i, alpha); }

void theme_dark_set(bool dark) { g_dark = dark; }
bool theme_dark() { return g_dark; }

const PlotColors& plot_colors_of(bool dark) {
  static const PlotColors light{IM_COL32(255, 255, 255, 255), IM_COL32(0, 0, 0, 30),      IM_COL32(0, 0, 0, 14),
                                IM_COL32(0, 0, 0, 110),       IM_COL32(255, 255, 255, 230), IM_COL32(0, 0, 0, 60),
                                IM_COL32(255, 255, 255, 200), IM_COL32(0, 0, 0, 220),     IM_COL32(255, 255, 255, 255),
                                IM_COL32(150, 150, 150, 255)};
  static const PlotColors night{IM_COL32(30, 32, 38, 255),    IM_COL32(255, 255, 255, 34), IM_COL32(255, 255, 255, 16),
                                IM_COL32(255, 255, 255, 110), IM_COL32(30, 32, 38, 235),   IM_COL32(255, 255, 255, 70),
                                IM_COL32(30, 32, 38, 210),    IM_COL32(255, 255, 255, 230), IM_COL32(30, 32, 38, 255),
                                IM_COL32(140, 140, 140, 255)};
  return dark ? night : light;
}

const PlotColors& plot_colors() { return plot_colors_of(g_dark); }

double contrast_ratio(ImU32 a, ImU32 b) {
  auto lum = [](ImU32 c) {
    const double r = srgb_linear(double((c >> IM_COL32_R_SHIFT) & 0xFF) / 255.0);
    const double g = srgb_linear(double((c >> IM_COL32_G_SHIFT) & 0xFF) / 255.0);
    const double bl = srgb_linear(double((c >> IM_COL32_B_SHIFT) & 0xFF) / 255.0);
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  double la = lum(a), lb = lum(b);
  if (la < lb) std::swap(la, lb);
  return (la + 0.05) / (lb + 0.05);
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
