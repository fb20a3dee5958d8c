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

TEST_CASE("fonts: the UI's own labels use only characters the fonts draw") {
  // Every non-ASCII character outside comments in src/ui and src/runtime (labels, marks such as ⚠ ✓ ▶).
  std::string bad;
  int files = 0;
  for (const char* dir : {LAB_SOURCE_DIR "/src/ui", LAB_SOURCE_DIR "/src/runtime"})
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
          const char32_t c = runtime::utf8_next(code, &i);
          // The checker's own hint quotes the combining accents it rejects (runtime/lesson.cpp).
          const bool quoted_on_purpose = e.path().filename() == "lesson.cpp" && (c == 0x0302 || c == 0x0304);
          if (c >= 0x80 && !runtime::glyph_drawable(c) && !quoted_on_purpose)
            bad += e.path().filename().string() + ":" + std::to_string(n) + " " + std::string(code.substr(at, i - at)) + " " + hex(c);
        }
      }
    }
  CHECK(files > 20);
  INFO("characters the fonts do not draw: " << bad);
  CHECK(bad.empty());
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
