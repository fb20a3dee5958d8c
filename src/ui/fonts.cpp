// Fonts: DejaVu Sans for prose (Latin, Greek, maths operators, arrows, super/subscripts), DejaVu Sans
// Mono for code, each subset by the build to runtime/glyph_ranges.inc. Rasterised at the display
// scale so text stays crisp on HiDPI screens.
// The atlas holds the characters the lab has text for, not all ~1,550 of glyph_ranges.inc in each of
// its six fonts: Basic Latin, Latin-1, the UI's own (kUiCharacters) and those of the lessons in the
// session (Lesson::characters). With every shipped lesson that is 1,524 glyphs instead of 9,318, and
// a 512×1024 texture instead of 2048×2048, which the page rasterises and uploads before its first
// frame (bench/README.md, "Time to the first lesson"). Text from anywhere else (a data set's labels,
// a file name) that needs a character outside them is drawn with a box glyph (U+FFFD) at first;
// seeing that box in the frame, fonts_update() rebuilds the atlas with every character of
// glyph_ranges.inc, once.
#include <algorithm>
#include <filesystem>
#include <string_view>
#include <tuple>

#include "imgui.h"
#include "runtime/text.h"
#include "ui/app_ui.h"
#include "ui/widgets/colors.h"

namespace lab::ui {

namespace {

// The characters beyond Basic Latin and Latin-1 that the lab's own labels, marks and messages use
// (src/ui, src/runtime, src/platform, src/app). tests/ui/test_fonts.cpp reads those sources and fails
// naming the file and line of any character missing here. U+2026 is also ImGui's ellipsis.
constexpr std::u32string_view kUiCharacters =
    U"āŷΔαβγθλσᵈᵢ\u2009—‖“”•…⁰⁴⁵⁶⁷⁸⁹⁺⁻₁₂ₓℝ←→↓↺∈−√∝∞≈≤≥▶◀⚠✓✗❚ⱼ𝔼𝟙";

// The box drawn for a character the atlas does not hold (U+FFFD, ImGui's first choice of fallback).
constexpr char32_t kBoxChar = 0xFFFD;

bool always_held(char32_t c) {
  return c < 0x80 || (c >= 0xA0 && c <= 0xFF) || kUiCharacters.find(c) != std::u32string_view::npos;
}

// ImGui's glyph ranges (first, last pairs, then 0) for the characters held: of runtime's ranges
// (glyph_ranges.inc, which the build also subsets the fonts to), those of `cover` or all when
// cover.every. `every_face`: only the ranges all four fonts carry (bold, oblique and mono are subset
// to those).
void ranges_build(ImVector<ImWchar>& out, const FontCover& cover, bool every_face) {
  out.clear();
  for (const runtime::GlyphRange& r : runtime::glyph_ranges()) {
    if (every_face && r.faces != runtime::GlyphFaces::All) continue;
    for (char32_t c = r.first; c <= r.last; ++c) {
      if (!cover.every && !font_cover_holds(cover, c)) continue;
      if (!out.empty() && out.back() == ImWchar(c - 1)) out.back() = ImWchar(c);
      else out.push_back(ImWchar(c)), out.push_back(ImWchar(c));
    }
  }
  out.push_back(0);
}

// Adds a bold, oblique or mono face, then DejaVu Sans merged into it for the characters that face
// does not carry (maths, arrows, ✓): ImGui keeps the glyphs a font already has and takes only the
// missing ones from the merged file, so ∑ in bold text is drawn, in the regular weight.
ImFont* face_add(const std::string& file, const std::string& sans, float px, const ImFontConfig& cfg, const Fonts& fonts) {
  ImGuiIO& io = ImGui::GetIO();
  ImFont* font = io.Fonts->AddFontFromFileTTF(file.c_str(), px, &cfg, fonts.ranges_every_face.Data);
  if (!font) return nullptr;
  ImFontConfig merge = cfg;
  merge.MergeMode = true;
  io.Fonts->AddFontFromFileTTF(sans.c_str(), px, &merge, fonts.ranges.Data);
  return font;
}

// Reserves each font's box glyph in the atlas (drawn by boxes_draw once the atlas is built).
std::vector<int> boxes_add(const Fonts& fonts) {
  std::vector<int> rects;
  std::vector<ImFont*> done;  // a face whose file is missing is the body font again
  for (ImFont* f : {fonts.body, fonts.heading, fonts.title, fonts.bold, fonts.italic, fonts.mono}) {
    if (!f || std::find(done.begin(), done.end(), f) != done.end()) continue;
    done.push_back(f);
    const float px = f->ConfigData->SizePixels;
    const int w = std::max(3, int(px * 0.5f)), h = std::max(4, int(px * 0.7f));
    rects.push_back(ImGui::GetIO().Fonts->AddCustomRectFontGlyph(f, ImWchar(kBoxChar), w, h, float(w) + px * 0.15f,
                                                                  ImVec2(px * 0.05f, px * 0.25f)));
  }
  return rects;
}

// Draws the body font's box into the built atlas. Every font's box glyph keeps its own size and
// advance (the rectangle reserved for it) but takes the body's picture, so fonts_update looks for one
// rectangle of texture coordinates in the frame (Fonts::box_uv).
void boxes_draw(Fonts& fonts, const std::vector<int>& rects) {
  if (rects.empty()) return;
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  unsigned char* pixels = nullptr;
  int tex_w = 0, tex_h = 0;
  atlas->GetTexDataAsAlpha8(&pixels, &tex_w, &tex_h);
  const ImFontAtlasCustomRect* r = atlas->GetCustomRectByIndex(rects[0]);
  for (int y = 0; y < r->Height; ++y)
    for (int x = 0; x < r->Width; ++x) {
      const bool edge = x == 0 || y == 0 || x == r->Width - 1 || y == r->Height - 1;
      pixels[(r->Y + y) * tex_w + r->X + x] = edge ? 0xFF : 0x00;
    }
  ImVec2 uv0, uv1;
  atlas->CalcCustomRectUV(r, &uv0, &uv1);
  fonts.box_uv = ImVec4(uv0.x, uv0.y, uv1.x, uv1.y);
  for (ImFont* f : atlas->Fonts)
    if (ImFontGlyph* g = const_cast<ImFontGlyph*>(f->FindGlyphNoFallback(ImWchar(kBoxChar)))) {
      g->U0 = uv0.x, g->V0 = uv0.y, g->U1 = uv1.x, g->V1 = uv1.y;
    }
  fonts.has_box = true;
}

// Whether the last frame drew a box glyph: some text needed a character the atlas does not hold. A
// glyph's vertices sit exactly on its texture rectangle's corners, so one comparison rules out almost
// every vertex (the frame's shapes all use the atlas's white pixel; a box cut by a clip rectangle
// counts once drawn whole). Only what was drawn from the atlas counts: an image's corners could have
// the same coordinates.
bool frame_drew_box(const Fonts& fonts) {
  const ImDrawData* dd = ImGui::GetDrawData();
  if (!dd || !fonts.has_box) return false;
  const ImVec4 b = fonts.box_uv;
  const auto is_box = [&b](const ImDrawVert& v) {
    return (v.uv.x == b.x || v.uv.x == b.z) && (v.uv.y == b.y || v.uv.y == b.w);
  };
  const ImTextureID atlas = ImGui::GetIO().Fonts->TexID;
  for (int n = 0; n < dd->CmdListsCount; ++n) {
    const ImDrawList& list = *dd->CmdLists[n];
    bool atlas_only = true;
    for (const ImDrawCmd& cmd : list.CmdBuffer) atlas_only = atlas_only && !cmd.UserCallback && cmd.GetTexID() == atlas;
    if (atlas_only) {  // the common case: every vertex of the list, in order
      for (const ImDrawVert& v : list.VtxBuffer)
        if (is_box(v)) return true;
      continue;
    }
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      if (cmd.UserCallback || cmd.GetTexID() != atlas) continue;
      for (unsigned i = cmd.IdxOffset; i < cmd.IdxOffset + cmd.ElemCount && int(i) < list.IdxBuffer.Size; ++i) {
        const unsigned k = cmd.VtxOffset + list.IdxBuffer[int(i)];
        if (int(k) < list.VtxBuffer.Size && is_box(list.VtxBuffer[int(k)])) return true;
      }
    }
  }
  return false;
}

// Adds the drawable characters of the session's lessons that the cover lacks; true if there were any.
bool cover_add_lessons(FontCover& cover, const runtime::LessonLibrary& lib) {
  const auto seen = std::make_tuple(lib.revision, lib.lessons.size(), static_cast<const void*>(lib.lessons.data()));
  if (seen == cover.lessons_seen) return false;
  cover.lessons_seen = seen;
  std::u32string add;
  for (const runtime::Lesson& l : lib.lessons)
    for (char32_t c : l.characters)
      if (runtime::glyph_drawable(c) && !font_cover_holds(cover, c)) add.push_back(c);
  if (add.empty()) return false;
  cover.chars += add;
  std::sort(cover.chars.begin(), cover.chars.end());
  cover.chars.erase(std::unique(cover.chars.begin(), cover.chars.end()), cover.chars.end());
  return true;
}

}  // namespace

bool font_cover_holds(const FontCover& cover, char32_t c) {
  return cover.every || always_held(c) || std::binary_search(cover.chars.begin(), cover.chars.end(), c);
}

void fonts_load(LabApp& app, float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  cover_add_lessons(app.font_cover, app.session.library);
  app.fonts = {};
  app.ui.scale = scale;
  ranges_build(app.fonts.ranges, app.font_cover, false);
  ranges_build(app.fonts.ranges_every_face, app.font_cover, true);
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
    app.fonts.body = io.Fonts->AddFontFromFileTTF(sans.c_str(), px, &cfg, app.fonts.ranges.Data);
    app.fonts.heading = io.Fonts->AddFontFromFileTTF(sans.c_str(), px * 1.3f, &cfg, app.fonts.ranges.Data);
    app.fonts.title = io.Fonts->AddFontFromFileTTF(sans.c_str(), px * 1.6f, &cfg, app.fonts.ranges.Data);
    app.fonts.source = sans;
  }
  if (app.fonts.body && std::filesystem::exists(bold, ec)) app.fonts.bold = face_add(bold, sans, px, cfg, app.fonts);
  if (app.fonts.body && std::filesystem::exists(italic, ec)) app.fonts.italic = face_add(italic, sans, px, cfg, app.fonts);
  if (app.fonts.body && std::filesystem::exists(mono, ec)) app.fonts.mono = face_add(mono, sans, px * 0.92f, cfg, app.fonts);
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
  // Kept with every character too: a character no font here has (CJK) is then a box, not ImGui's '?'.
  const std::vector<int> boxes = app.fonts.fallback ? std::vector<int>{} : boxes_add(app.fonts);
  io.Fonts->Build();
  boxes_draw(app.fonts, boxes);
}

bool fonts_update(LabApp& app) {
  if (app.font_cover.every || app.fonts.fallback) return false;
  if (frame_drew_box(app.fonts)) app.font_cover.every = true;
  else if (!cover_add_lessons(app.font_cover, app.session.library)) return false;
  fonts_load(app, app.ui.scale);
  return true;
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
