// Fonts: DejaVu Sans for prose (Latin, Greek, maths operators, arrows, super/subscripts), DejaVu Sans
// Mono for code. Rasterised at the display scale so text stays crisp on HiDPI screens.
#include <filesystem>

#include "imgui.h"
#include "runtime/text.h"
#include "ui/app_ui.h"

namespace lab::ui {

// The ranges are runtime's list (runtime/text.h), which the lesson checker also reads to warn
// about characters that would show as boxes.
static const ImWchar* glyph_ranges() {
  static ImVector<ImWchar> ranges;  // must outlive the atlas build; built once
  if (ranges.empty()) {
    for (const runtime::GlyphRange& r : runtime::glyph_ranges()) {
      ranges.push_back(ImWchar(r.first));
      ranges.push_back(ImWchar(r.last));
    }
    ranges.push_back(0);
  }
  return ranges.Data;
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
    app.fonts.body = io.Fonts->AddFontFromFileTTF(sans.c_str(), px, &cfg, glyph_ranges());
    app.fonts.heading = io.Fonts->AddFontFromFileTTF(sans.c_str(), px * 1.3f, &cfg, glyph_ranges());
    app.fonts.title = io.Fonts->AddFontFromFileTTF(sans.c_str(), px * 1.6f, &cfg, glyph_ranges());
    app.fonts.source = sans;
  }
  if (app.fonts.body && std::filesystem::exists(bold, ec))
    app.fonts.bold = io.Fonts->AddFontFromFileTTF(bold.c_str(), px, &cfg, glyph_ranges());
  if (app.fonts.body && std::filesystem::exists(italic, ec))
    app.fonts.italic = io.Fonts->AddFontFromFileTTF(italic.c_str(), px, &cfg, glyph_ranges());
  if (std::filesystem::exists(mono, ec))
    app.fonts.mono = io.Fonts->AddFontFromFileTTF(mono.c_str(), px * 0.92f, &cfg, glyph_ranges());
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

void style_apply(float scale) {
  ImGuiStyle style;
  ImGui::StyleColorsLight(&style);
  style.WindowRounding = 0.0f;
  style.FrameRounding = 4.0f;
  style.GrabRounding = 4.0f;
  style.ChildRounding = 4.0f;
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(8, 7);
  style.WindowPadding = ImVec2(12, 10);
  style.ScrollbarSize = 16;
  ImVec4* c = style.Colors;
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
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

}  // namespace lab::ui
