// The Markdown corpus (tests/data/markdown-corpus) drawn by the real shell with no graphics backend,
// every step at a phone width (390 px, the lesson list hidden), a narrow desktop and a wide one, at
// display scale 1 and 2: aligned table cells, code spans wrapping as one run, missing glyphs drawn as
// boxes and long wrapped step titles must not trip any Dear ImGui check. What it looks like is checked
// on screenshots (`embedlab --lessons tests/data/markdown-corpus --lesson corpus/N`).
#include <doctest/doctest.h>

#include "imgui.h"
#include "ui/app_ui.h"
#include "ui/imconfig_lab.h"
#include "ui_test_util.h"

using namespace lab;

TEST_CASE("markdown view: every corpus step draws at 390, 800 and 1280 px without a Dear ImGui check failing") {
  test::ImGuiScope scope;
  ui::LabApp app;
  app.fonts_dir = LAB_GEN_DIR "/fonts";
  app.platform_name = "test (no backend)";
  runtime::session_init(app.session, LAB_SOURCE_DIR "/tests/data/markdown-corpus");
  REQUIRE(app.session.library.lessons.size() == 1);
  const int before = imgui_assert_count();
  for (const float scale : {1.0f, 2.0f}) {
    ui::fonts_load(app, scale);
    ui::style_apply(scale);
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    for (const float width : {390.0f, 800.0f, 1280.0f})
      for (int k = 0; k < runtime::session_step_count(app.session); ++k) {
        runtime::session_select(app.session, 0, k);
        INFO("step " << k + 1 << " at " << width << " px, scale " << scale);
        CHECK(test::render_frames(app, ImVec2(width * scale, 800 * scale), 2) > 100);
      }
  }
  CHECK(imgui_assert_count() == before);
}
