// Theme colours: every plot palette colour keeps ≥ 3:1 contrast against its theme's plot background
// (WCAG 2.1 1.4.11, non-text contrast: lines and markers), message text ≥ 4.5:1 on the backgrounds it
// is drawn on (1.4.3), and the contrast formula itself against values computed by hand.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "imgui.h"
#include "ui/app_ui.h"
#include "ui/widgets/colors.h"

using namespace lab;

namespace {

ImU32 hex(unsigned rgb) { return IM_COL32((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, 255); }

std::string hex_text(ImU32 c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02X%02X%02X", unsigned((c >> IM_COL32_R_SHIFT) & 0xFF), unsigned((c >> IM_COL32_G_SHIFT) & 0xFF),
                unsigned((c >> IM_COL32_B_SHIFT) & 0xFF));
  return buf;
}

}  // namespace

TEST_CASE("colors: contrast ratio matches WCAG's worked values") {
  CHECK(ui::contrast_ratio(hex(0xFFFFFF), hex(0x000000)) == doctest::Approx(21.0));
  CHECK(ui::contrast_ratio(hex(0x000000), hex(0xFFFFFF)) == doctest::Approx(21.0));  // order does not matter
  CHECK(ui::contrast_ratio(hex(0x777777), hex(0x777777)) == doctest::Approx(1.0));
  // #767676 is the classic lightest grey that passes 4.5:1 on white (4.54); #777777 just fails (4.48).
  CHECK(ui::contrast_ratio(hex(0x767676), hex(0xFFFFFF)) == doctest::Approx(4.54).epsilon(0.005));
  CHECK(ui::contrast_ratio(hex(0x777777), hex(0xFFFFFF)) == doctest::Approx(4.48).epsilon(0.005));
  // Okabe–Ito yellow on white: the colour the light palette must not use for lines (1.32:1).
  CHECK(ui::contrast_ratio(hex(0xF0E442), hex(0xFFFFFF)) == doctest::Approx(1.32).epsilon(0.01));
}

TEST_CASE("colors: every palette colour has at least 3:1 contrast with its theme's plot background") {
  for (const bool dark : {false, true}) {
    const ImU32 bg = ui::plot_colors_of(dark).background;
    for (int i = 0; i < ui::kPaletteSize; ++i) {
      const ImU32 c = ui::palette_color_of(dark, i);
      const double r = ui::contrast_ratio(c, bg);
      CAPTURE(dark);
      CAPTURE(i);
      CHECK_MESSAGE(r >= 3.0, (dark ? "dark" : "light") << " palette colour " << i << " " << hex_text(c) << " has only "
                                                        << r << ":1 on " << hex_text(bg));
      if (!dark) CHECK(hex_text(c) != "#F0E442");  // no Okabe–Ito yellow on white
    }
    // Distinct colours: no two entries of a palette are the same.
    for (int i = 0; i < ui::kPaletteSize; ++i)
      for (int j = i + 1; j < ui::kPaletteSize; ++j) CHECK(ui::palette_color_of(dark, i) != ui::palette_color_of(dark, j));
  }
}

TEST_CASE("colors: the current theme switches the palette and the plot background") {
  ui::theme_dark_set(true);
  CHECK(ui::theme_dark());
  CHECK(ui::palette_color(0) == ui::palette_color_of(true, 0));
  CHECK(ui::plot_colors().background == ui::plot_colors_of(true).background);
  ui::theme_dark_set(false);
  CHECK(ui::palette_color(0) == ui::palette_color_of(false, 0));
  CHECK(ui::plot_colors().background == hex(0xFFFFFF));
}

TEST_CASE("colors: message text reads at 4.5:1 on the block and window backgrounds of both themes") {
  for (const bool dark : {false, true}) {
    ui::theme_dark_set(dark);
    const ui::UiColors& c = ui::ui_colors();
    // The backgrounds text sits on: the block box, and the window (style_apply's WindowBg / ChildBg).
    ImGui::CreateContext();
    ui::style_apply(1.0f, dark);
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImU32 backgrounds[] = {ImGui::ColorConvertFloat4ToU32(c.block_bg), ImGui::ColorConvertFloat4ToU32(style.Colors[ImGuiCol_WindowBg]),
                                 ImGui::ColorConvertFloat4ToU32(style.Colors[ImGuiCol_ChildBg])};
    const ImVec4 texts[] = {c.error, c.warning, c.muted, c.good, c.link, style.Colors[ImGuiCol_Text]};
    for (const ImU32 bg : backgrounds)
      for (const ImVec4& t : texts) {
        const double r = ui::contrast_ratio(ImGui::ColorConvertFloat4ToU32(t), bg);
        CHECK_MESSAGE(r >= 4.5, (dark ? "dark" : "light") << ": text " << hex_text(ImGui::ColorConvertFloat4ToU32(t)) << " on "
                                                          << hex_text(bg) << " is " << r << ":1");
      }
    CHECK(ui::theme_dark() == dark);  // style_apply set the plots' theme too
    ImGui::DestroyContext();
  }
  ui::theme_dark_set(false);
}
