// The fonts the build ships (subset by pyftsubset to runtime/glyph_ranges.inc, src/CMakeLists.txt)
// draw every character the lesson checker accepts, in every face the UI uses; and the UI's own
// labels use only such characters. So the checker's "cannot draw" warning, the subset and the atlas
// describe one set.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "imgui.h"
#include "runtime/session.h"
#include "runtime/text.h"
#include "ui/app_ui.h"
#include "ui_test_util.h"

using namespace lab;

namespace {

// Code points inside glyph_ranges.inc that Unicode leaves unassigned (UnicodeData.txt): no font has
// them, and no text can use them. Greek: U+0378..0379, 0380..0383, 038B, 038D, 03A2. The
// double-struck capitals C H N P Q R Z live in Letterlike Symbols (ℂ ℍ ℕ ℙ ℚ ℝ ℤ), leaving holes.
bool unassigned(char32_t c) {
  static const std::set<char32_t> holes = {0x0378, 0x0379, 0x0380, 0x0381, 0x0382, 0x0383, 0x038B, 0x038D,
                                           0x03A2, 0x1D53A, 0x1D53F, 0x1D545, 0x1D547, 0x1D548, 0x1D549, 0x1D551};
  return holes.count(c) != 0;
}

std::string hex(char32_t c) {
  std::ostringstream s;
  s << "U+" << std::hex << std::uppercase << unsigned(c) << ' ';
  return s.str();
}

}  // namespace

TEST_CASE("fonts: every character the lesson checker accepts is in every face's atlas (the subset fonts, merged)") {
  test::ImGuiScope scope;
  ui::LabApp app;
  app.fonts_dir = LAB_GEN_DIR "/fonts";
  app.font_cover.every = true;  // the atlas fonts_update builds once text needs a character outside the cover
  test::app_fonts_ready(app);
  REQUIRE_FALSE(app.fonts.fallback);
  REQUIRE(app.fonts.bold != app.fonts.body);
  REQUIRE(app.fonts.italic != app.fonts.body);
  REQUIRE(app.fonts.mono != app.fonts.body);
  const std::pair<const char*, ImFont*> faces[] = {{"regular", app.fonts.body}, {"heading", app.fonts.heading},
                                                   {"bold", app.fonts.bold},    {"oblique", app.fonts.italic},
                                                   {"mono", app.fonts.mono}};
  int checked = 0;
  for (const auto& face : faces) {
    const char* name = face.first;  // not a structured binding: INFO captures it (clang 14)
    ImFont* font = face.second;
    std::string missing;
    for (const runtime::GlyphRange& r : runtime::glyph_ranges())
      for (char32_t c = r.first; c <= r.last; ++c) {
        if (unassigned(c)) continue;
        ++checked;
        if (!font->FindGlyphNoFallback(ImWchar(c))) missing += hex(c);
      }
    INFO("the " << name << " face lacks: " << missing << "(narrow runtime/glyph_ranges.inc, or the font lacks them)");
    CHECK(missing.empty());
  }
  CHECK(checked > 5 * 1500);
  // Bold keeps its own Latin and Greek (the All ranges; DejaVu Sans Bold is wider than regular) and
  // takes the maths from the regular face (a Sans range, merged): same size, same advance.
  const auto advance = [](ImFont* f, char32_t c) { return f->FindGlyphNoFallback(ImWchar(c))->AdvanceX; };
  CHECK(advance(app.fonts.bold, U'λ') > advance(app.fonts.body, U'λ'));
  CHECK(advance(app.fonts.bold, U'ș') > advance(app.fonts.body, U'ș'));
  CHECK(advance(app.fonts.bold, U'∑') == advance(app.fonts.body, U'∑'));
  CHECK(app.fonts.mono->FindGlyphNoFallback(U'i')->AdvanceX == app.fonts.mono->FindGlyphNoFallback(U'W')->AdvanceX);
}

TEST_CASE("fonts: the UI's own labels use only characters the fonts draw, and the atlas always holds them") {
  // Every non-ASCII character outside comments in the code that makes what the lab shows (labels,
  // marks such as ⚠ ✓ ▶), written as itself or as a \u escape.
  std::string bad, not_held;
  int files = 0;
  const ui::FontCover start;  // what the atlas holds before any lesson arrives
  for (const char* dir : {LAB_SOURCE_DIR "/src/ui", LAB_SOURCE_DIR "/src/runtime", LAB_SOURCE_DIR "/src/platform",
                          LAB_SOURCE_DIR "/src/app"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      const std::string ext = e.path().extension().string();
      if (ext != ".cpp" && ext != ".h") continue;
      ++files;
      std::ifstream in(e.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        // Cut a // comment: the first "//" outside a string literal (good enough for our sources).
        bool quoted = false;
        size_t end = line.size();
        for (size_t i = 0; i + 1 < line.size(); ++i) {
          if (line[i] == '\\') { ++i; continue; }
          if (line[i] == '"') quoted = !quoted;
          if (!quoted && line[i] == '/' && line[i + 1] == '/') { end = i; break; }
        }
        const std::string_view code(line.data(), end);
        for (size_t i = 0; i < code.size();) {
          const size_t at = i;
          char32_t c = runtime::utf8_next(code, &i);
          if (c == '\\' && i < code.size()) {  // an escape: \uXXXX is a character, the others are ASCII
            const std::string_view hex4 = code.substr(i + 1, 4);
            if (code[i] == 'u' && hex4.size() == 4 && hex4.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos) {
              c = char32_t(std::stoul(std::string(hex4), nullptr, 16));
              i += 5;
            } else {
              ++i;
            }
          }
          // The checker's own hint quotes the combining accents it rejects (runtime/lesson.cpp).
          const bool quoted_on_purpose = e.path().filename() == "lesson.cpp" && (c == 0x0302 || c == 0x0304);
          if (c < 0x80 || quoted_on_purpose) continue;
          const std::string where = e.path().filename().string() + ":" + std::to_string(n) + " " +
                                    std::string(code.substr(at, i - at)) + " " + hex(c);
          if (!runtime::glyph_drawable(c)) bad += where;
          else if (!ui::font_cover_holds(start, c)) not_held += where;
        }
      }
    }
  CHECK(files > 20);
  INFO("characters the fonts do not draw: " << bad);
  CHECK(bad.empty());
  INFO("characters missing from ui/fonts.cpp's kUiCharacters: " << not_held);
  CHECK(not_held.empty());
}

TEST_CASE("fonts: the atlas holds the lessons' characters, and every character once text needs another") {
  test::ImGuiScope scope;
  ui::LabApp app;
  app.fonts_dir = LAB_GEN_DIR "/fonts";
  test::app_fonts_ready(app);
  REQUIRE_FALSE(app.fonts.fallback);
  ImFont* body = app.fonts.body;
  CHECK(body->FindGlyphNoFallback(U'W'));
  CHECK(body->FindGlyphNoFallback(U'é'));   // Latin-1: in data (film titles)
  CHECK(body->FindGlyphNoFallback(U'✓'));   // the UI's
  CHECK(app.fonts.bold->FindGlyphNoFallback(U'≤'));
  CHECK_FALSE(body->FindGlyphNoFallback(U'∃'));  // in glyph_ranges.inc, used by no lesson yet
  CHECK(body->FallbackChar == 0xFFFD);            // drawn as a box
  const int start_glyphs = body->Glyphs.Size;
  CHECK(start_glyphs < 400);
  CHECK_FALSE(ui::fonts_update(app));  // nothing new: no rebuild

  // A lesson with ∃ and a character no font here has (中, which the checker warns about).
  std::vector<runtime::LessonSource> sources = {{"lessons/exists.md", "---\ntitle: ∃ x\n---\n\nThere is 中 one.\n", ""}};
  runtime::session_library_arrived(app.session, runtime::library_from_sources("lessons", sources, ""), nullptr);
  REQUIRE(ui::fonts_update(app));
  body = app.fonts.body;
  CHECK(body->FindGlyphNoFallback(U'∃'));
  CHECK(app.fonts.title->FindGlyphNoFallback(U'∃'));
  CHECK(app.fonts.mono->FindGlyphNoFallback(U'∃'));
  CHECK_FALSE(app.font_cover.every);
  CHECK_FALSE(ui::fonts_update(app));  // 中 is not drawable: it does not rebuild the atlas each frame

  // Text from elsewhere (a data set's label) with ⊕: the frame draws the box, so the next update
  // builds every character of glyph_ranges.inc, once.
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(400, 300);
  io.DeltaTime = 1.0f / 60.0f;
  ImGui::NewFrame();
  ImGui::Begin("label");
  ImGui::TextUnformatted("plain");
  ImGui::End();
  ImGui::Render();
  CHECK_FALSE(ui::fonts_update(app));  // no box drawn
  ImGui::NewFrame();
  ImGui::Begin("label");
  ImGui::TextUnformatted("x ⊕ y");
  ImGui::End();
  ImGui::Render();
  REQUIRE(ui::fonts_update(app));
  CHECK(app.font_cover.every);
  CHECK(app.fonts.body->FindGlyphNoFallback(U'⊕'));
  CHECK(app.fonts.body->Glyphs.Size > 4 * start_glyphs);
  CHECK(app.fonts.body->FallbackChar == 0xFFFD);  // what no font has is still a box, not '?'
  CHECK_FALSE(ui::fonts_update(app));
}

TEST_CASE("fonts: the shipped lessons draw with the subset fonts (no 'cannot draw' warning)") {
  const runtime::LessonLibrary lib = runtime::library_load(LAB_SOURCE_DIR "/lessons");
  REQUIRE(lib.lessons.size() >= 1);
  for (const runtime::Lesson& l : lib.lessons)
    for (const runtime::Diagnostic& d : l.diagnostics) {
      INFO(runtime::diagnostic_format(d));
      CHECK(d.message.find("cannot draw") == std::string::npos);
    }
}
