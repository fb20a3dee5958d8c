// UI smoke test: the whole app shell drawn for many frames with no graphics backend (ImGui's null
// pattern): real fonts, every panel, narrow and wide windows, a broken lesson, key navigation.
// Fails on any Dear ImGui consistency check (IM_ASSERT reports are counted, see ui/imconfig_lab.h).
#include <doctest/doctest.h>

#include "imgui.h"
#include "runtime/lesson.h"
#include "runtime/text.h"
#include "ui/app_ui.h"
#include "ui/imconfig_lab.h"
#include "ui_test_util.h"

using namespace lab;

using test::ImGuiScope;
using test::render_frames;

TEST_CASE("ui smoke: the shell renders every panel without a Dear ImGui check failing") {
  ImGuiScope scope;
  ui::LabApp app;
  test::app_open_lessons(app);
  app.session.library.lessons.push_back(runtime::lesson_parse("---\ntitle: Broken\norder: 99\n---\n## S\n```\nunclosed", "broken.md"));
  // Every kind of prose and a broken lab block next to a working one.
  app.session.library.lessons.push_back(runtime::lesson_parse(
      "---\ntitle: Kitchen sink\norder: 98\n---\n## All\n# H1\n### H3\nText **b** *i* `c` [link](https://example.org) ~~s~~\n\n"
      "- a\n  - nested\n1. one\n\n> quote\n\n| x | y |\n|---|---|\n| 1 | 2 | 3 |\n\n![missing](nope.png) ![bad](../../etc/passwd)\n\n"
      "```\ncode\n```\n\n```lab random-cosine\ndim: 64\nknob dim\nknob distribution\n```\n\n```lab nosuchkind\n```\n\n"
      "```lab quiz\nquestion: q\nchoices: a | b\nanswer: 1\n```\n",
      "sink.md"));
  app.session.library.mtimes.resize(app.session.library.lessons.size());
  ui::fonts_load(app, 1.0f);
  ui::style_apply(1.0f);
  CHECK_FALSE(app.fonts.fallback);  // DejaVu found: Greek and maths glyphs available
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  REQUIRE(pixels != nullptr);
  // The maths glyphs the lessons use are in the atlas (with 𝔼 and 𝟙, which the lesson checker counts
  // as drawable: runtime/text.h, glyph_ranges), and so is every drawable character of every lesson.
  for (ImWchar c : {0x2016, 0x2212, 0x00B2, 0x03BB, 0x221A, 0x2208, 0x211D, 0x1D48, 0x2C7C, 0x1D53C, 0x1D7D9}) {
    CHECK(runtime::glyph_drawable(char32_t(c)));
    CHECK(app.fonts.body->FindGlyphNoFallback(c) != nullptr);
  }
  std::string missing;
  for (const runtime::Lesson& l : app.session.library.lessons)
    for (char32_t c : l.characters)
      if (runtime::glyph_drawable(c) && !app.fonts.body->FindGlyphNoFallback(ImWchar(c))) missing += l.id + " U+" + std::to_string(unsigned(c)) + " ";
  INFO("lesson characters not in the atlas: " << missing);
  CHECK(missing.empty());
  CHECK_FALSE(app.font_cover.every);  // the lessons alone do not need every character

  const int before = imgui_assert_count();
  CHECK(render_frames(app, ImVec2(1280, 800), 5) > 1000);
  app.ui.show_about = true;
  CHECK(render_frames(app, ImVec2(1280, 800), 3) > 1000);
  CHECK(render_frames(app, ImVec2(420, 700), 3) > 100);  // phone-width: the list collapses
  CHECK(render_frames(app, ImVec2(1, 1), 2) >= 0);      // minimised window
  for (int i = 0; i < int(app.session.library.lessons.size()); ++i) {
    runtime::session_select(app.session, i, 0);
    for (int k = 0; k < runtime::session_step_count(app.session); ++k) {
      app.session.step = k;
      render_frames(app, ImVec2(1280, 800), 2);
    }
  }
  // Every step of every lesson drew only characters the atlas held: no box, so no rebuild with all.
  CHECK_FALSE(app.font_cover.every);
  // HiDPI: rebuild fonts at scale 2 and draw again.
  ui::fonts_load(app, 2.0f);
  ui::style_apply(2.0f);
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  CHECK(render_frames(app, ImVec2(2560, 1600), 3) > 1000);
  CHECK(imgui_assert_count() == before);
}

TEST_CASE("ui smoke: arrow keys move between steps") {
  ImGuiScope scope;
  ui::LabApp app;
  app.fonts_dir = LAB_GEN_DIR "/fonts";
  app.session.library.lessons.push_back(runtime::lesson_parse("---\ntitle: T\n---\n## A\na\n## B\nb\n## C\nc\n", "t.md"));
  app.session.library.mtimes.resize(1);
  ui::fonts_load(app, 1.0f);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  render_frames(app, ImVec2(1000, 700), 2);
  render_frames(app, ImVec2(1000, 700), 4, ImGuiKey_RightArrow);
  CHECK(app.session.step == 1);
  render_frames(app, ImVec2(1000, 700), 4, ImGuiKey_RightArrow);
  CHECK(app.session.step == 2);
  render_frames(app, ImVec2(1000, 700), 4, ImGuiKey_RightArrow);  // at the end: stays
  CHECK(app.session.step == 2);
  render_frames(app, ImVec2(1000, 700), 4, ImGuiKey_LeftArrow);
  CHECK(app.session.step == 1);
}

TEST_CASE("ui smoke: with no lessons at all the shell explains where it looked") {
  ImGuiScope scope;
  ui::LabApp app;
  app.fonts_dir = "/nonexistent";
  runtime::session_init(app.session, "/nonexistent/lessons");
  ui::fonts_load(app, 1.0f);
  CHECK(app.fonts.fallback);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  const int before = imgui_assert_count();
  CHECK(render_frames(app, ImVec2(800, 600), 3) > 100);
  CHECK(imgui_assert_count() == before);
}
