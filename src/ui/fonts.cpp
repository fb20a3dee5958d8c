// Fonts: DejaVu Sans for prose (Latin, Greek, maths operators, arrows, super/subscripts), DejaVu Sans
// Mono for code, each subset by the build to runtime/glyph_ranges.inc. Rasterised at the display
// scale so text stays crisp on HiDPI screens.
#include <filesystem>

#include "imgui.h"
#include "runtime/text.h"
#include "ui/app_ui.h"
#include "ui/widgets/colors.h"

namespace lab::ui {

// The ranges are runtime's list (runtime/glyph_ranges.inc), which the build also subsets the fonts to
// and the lesson checker reads to warn about characters that would show as boxes. `every_face`: only
// the ranges all four fonts carry (bold, oblique and mono are subset to those).
static const ImWchar* glyph_ranges(bool every_face) {
  static ImVector<ImWchar> ranges[2];  // must outlive the atlas build; built once
  ImVector<ImWchar>& out = ranges[every_face ? 1 : 0];
  if (out.empty()) {
    for (const runtime::GlyphRange& r : runtime::glyph_ranges()) {
      if (every_face && r.faces != runtime::GlyphFaces::All) continue;
      out.push_back(ImWchar(r.first));
      out.push_back(ImWchar(r.last));
    }
    out.push_back(0);
  }
  return out.Data;
}

// Adds a bold, oblique or mono face, then DejaVu Sans merged into it for the characters that face
// does not carry (maths, arrows, ✓): ImGui keeps the glyphs a font already has and takes only the
// missing ones from the merged file, so ∑ in bold text is drawn, in the regular weight.
static ImFont* face_add(const std::string& file, const std::string& sans, float px, const ImFontConfig& cfg) {
  ImGuiIO& io = ImGui::GetIO();
  ImFont* font = io.Fonts->AddFontFromFileTTF(file.c_str(), px, &cfg, glyph_ranges(true));
  if (!font) return nullptr;
  ImFontConfig merge = cfg;
  merge.MergeMode = true;
  io.Fonts->AddFontFromFileTTF(sans.c_str(), px, &merge, glyph_ranges(false));
  return font;
}

void fonts_load(LabApp& app, float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  app.fonts = {};
  app.ui.scale = scale;
  const float px = app.ui.base_font_px * scale;
  const std::string sans = app.fonts_dir + "/DejaVuSans.ttf";
  const std::string mono = app.fonts_dir + "/DejaVuSansMono.ttf";
  const std::string bold = app.fonts_dir + "/DejaVuSans-Bold.ttf";
  const std::string italic = app.fonts_dir + "/DejaVuSans-Oblique.ttf";
  std::error_code ec;
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = false;
  if (std::filesystem::exists(sans, ec)) {
    app.fonts.body = io.Fonts->AddFontFromFileTTF(sans.c_str(), px, &cfg, glyph_ranges(false));
    app.fonts.heading = io.Fonts->AddFontFromFileTTF(sans.c_str(), px * 1.3f, &cfg, glyph_ranges(false));
    app.fonts.title = io.Fonts->AddFontFromFileTTF(sans.c_str(), px * 1.6f, &cfg, glyph_ranges(false));
    app.fonts.source = sans;
  }
  if (app.fonts.body && std::filesystem::exists(bold, ec)) app.fonts.bold = face_add(bold, sans, px, cfg);
  if (app.fonts.body && std::filesystem::exists(italic, ec)) app.fonts.italic = face_add(italic, sans, px, cfg);
  if (app.fonts.body && std::filesystem::exists(mono, ec)) app.fonts.mono = face_add(mono, sans, px * 0.92f, cfg);
  if (!app.fonts.body) {
    ImFontConfig def;
    def.SizePixels = 13.0f * scale;
    app.fonts.body = io.Fonts->AddFontDefault(&def);
    app.fonts.heading = app.fonts.title = app.fonts.body;
    app.fonts.fallback = true;
    app.fonts.source = "ImGui built-in (DejaVuSans.ttf not found in '" + app.fonts_dir + "')";
  }
  if (!app.fonts.mono) app.fonts.mono = app.fonts.body;
  if (!app.fonts.bold) app.fonts.bold = app.fonts.body;
  if (!app.fonts.italic) app.fonts.italic = app.fonts.body;
  io.FontDefault = app.fonts.body;
  io.Fonts->Build();
}

// Text colours reach WCAG AA (4.5:1) on the window and block backgrounds of their theme; accents
// are Okabe–Ito blue (light) and its lighter sky blue (dark), the plots' first palette colour.
const UiColors& ui_colors() {
  static const UiColors light{ImVec4(0.72f, 0.12f, 0.08f, 1.0f), ImVec4(0.55f, 0.37f, 0.00f, 1.0f),
                              ImVec4(0.36f, 0.36f, 0.41f, 1.0f), ImVec4(0.00f, 0.48f, 0.30f, 1.0f),
                              ImVec4(0.00f, 0.35f, 0.63f, 1.0f), ImVec4(0.91f, 0.92f, 0.93f, 1.0f),
                              ImVec4(0.63f, 0.24f, 0.08f, 1.0f), ImVec4(0.96f, 0.97f, 0.99f, 1.0f),
                              ImVec4(0.00f, 0.45f, 0.70f, 0.45f), ImVec4(0.00f, 0.45f, 0.70f, 0.63f)};
  static const UiColors night{ImVec4(1.00f, 0.50f, 0.44f, 1.0f), ImVec4(0.93f, 0.72f, 0.33f, 1.0f),
                              ImVec4(0.68f, 0.69f, 0.73f, 1.0f), ImVec4(0.33f, 0.84f, 0.62f, 1.0f),
                              ImVec4(0.45f, 0.76f, 0.96f, 1.0f), ImVec4(0.20f, 0.21f, 0.25f, 1.0f),
                              ImVec4(0.95f, 0.62f, 0.45f, 1.0f), ImVec4(0.13f, 0.14f, 0.17f, 1.0f),
                              ImVec4(0.34f, 0.71f, 0.91f, 0.45f), ImVec4(0.34f, 0.71f, 0.91f, 0.70f)};
  return theme_dark() ? night : light;
}

void style_apply(float scale, bool dark) {
  theme_dark_set(dark);  // plots and matrix views read the theme from here
  ImGuiStyle style;
  if (dark) ImGui::StyleColorsDark(&style);
  else ImGui::StyleColorsLight(&style);
  style.WindowRounding = 0.0f;
  style.FrameRounding = 4.0f;
  style.GrabRounding = 4.0f;
  style.ChildRounding = 4.0f;
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(8, 7);
  style.WindowPadding = ImVec2(12, 10);
  style.ScrollbarSize = 16;
  ImVec4* c = style.Colors;
  if (!dark) {
    c[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.96f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(1.0f, 1.0f, 1.0f, 1.0f);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.90f, 0.91f, 0.93f, 1.0f);
    c[ImGuiCol_Header] = ImVec4(0.00f, 0.45f, 0.70f, 0.22f);       // Okabe–Ito blue
    c[ImGuiCol_HeaderHovered] = ImVec4(0.00f, 0.45f, 0.70f, 0.35f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.00f, 0.45f, 0.70f, 0.50f);
    c[ImGuiCol_Button] = ImVec4(0.00f, 0.45f, 0.70f, 0.15f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.00f, 0.45f, 0.70f, 0.35f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.00f, 0.45f, 0.70f, 0.55f);
    c[ImGuiCol_PlotHistogram] = ImVec4(0.00f, 0.45f, 0.70f, 0.85f);
    c[ImGuiCol_PlotHistogramHovered] = ImVec4(0.90f, 0.62f, 0.00f, 1.0f);  // Okabe–Ito orange
    c[ImGuiCol_PlotLines] = ImVec4(0.00f, 0.45f, 0.70f, 1.0f);
    // ImGui draws a slider's value text centred, over the grab: a light grab keeps the (dark) value
    // readable wherever the grab is (the stock mid-blue grab hid a "1" at the middle of a 0..2 range).
    c[ImGuiCol_SliderGrab] = ImVec4(0.00f, 0.45f, 0.70f, 0.40f);
    c[ImGuiCol_SliderGrabActive] = ImVec4(0.00f, 0.45f, 0.70f, 0.60f);
  } else {
    // Near-black greys (not pure black: less glare, and shadows still read), text at 14:1, and the
    // same blue accent lightened to sky blue so it keeps its contrast on the dark frames.
    c[ImGuiCol_Text] = ImVec4(0.92f, 0.92f, 0.93f, 1.0f);
    c[ImGuiCol_TextDisabled] = ImVec4(0.62f, 0.63f, 0.67f, 1.0f);
    c[ImGuiCol_WindowBg] = ImVec4(0.09f, 0.10f, 0.11f, 1.0f);
    c[ImGuiCol_ChildBg] = ImVec4(0.11f, 0.12f, 0.14f, 1.0f);
    c[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.14f, 0.16f, 0.98f);
    c[ImGuiCol_MenuBarBg] = ImVec4(0.15f, 0.16f, 0.18f, 1.0f);
    c[ImGuiCol_Border] = ImVec4(1.0f, 1.0f, 1.0f, 0.14f);
    c[ImGuiCol_FrameBg] = ImVec4(0.20f, 0.21f, 0.24f, 1.0f);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.26f, 0.28f, 0.32f, 1.0f);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.30f, 0.32f, 0.37f, 1.0f);
    c[ImGuiCol_Header] = ImVec4(0.34f, 0.71f, 0.91f, 0.25f);       // Okabe–Ito sky blue
    c[ImGuiCol_HeaderHovered] = ImVec4(0.34f, 0.71f, 0.91f, 0.35f);
    c[ImGuiCol_HeaderActive] = ImVec4(0.34f, 0.71f, 0.91f, 0.50f);
    c[ImGuiCol_Button] = ImVec4(0.34f, 0.71f, 0.91f, 0.20f);
    c[ImGuiCol_ButtonHovered] = ImVec4(0.34f, 0.71f, 0.91f, 0.38f);
    c[ImGuiCol_ButtonActive] = ImVec4(0.34f, 0.71f, 0.91f, 0.55f);
    c[ImGuiCol_CheckMark] = ImVec4(0.45f, 0.76f, 0.96f, 1.0f);
    c[ImGuiCol_PlotHistogram] = ImVec4(0.34f, 0.71f, 0.91f, 0.85f);
    c[ImGuiCol_PlotHistogramHovered] = ImVec4(0.90f, 0.62f, 0.00f, 1.0f);
    c[ImGuiCol_PlotLines] = ImVec4(0.34f, 0.71f, 0.91f, 1.0f);
    c[ImGuiCol_SliderGrab] = ImVec4(0.34f, 0.71f, 0.91f, 0.45f);
    c[ImGuiCol_SliderGrabActive] = ImVec4(0.34f, 0.71f, 0.91f, 0.65f);
    c[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.04f);
    c[ImGuiCol_NavHighlight] = ImVec4(0.45f, 0.76f, 0.96f, 1.0f);
  }
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

}  // namespace lab::ui
