// Links and the knob widgets: drawing a step must not change its knob values (a float slider that
// wrote its float-rounded value back every frame turned 0.85 into 0.8500000238418579, and the
// step's link grew a knob nobody moved); a value opened from a link stays exactly as the link has it.
#include <doctest/doctest.h>

#include <string>

#include "imgui.h"
#include "runtime/session.h"
#include "ui/app_ui.h"
#include "ui_test_util.h"

using namespace lab;

TEST_CASE("knob links: drawing any shipped step leaves its link without knob values") {
  test::ImGuiScope scope;
  ui::LabApp app;
  test::app_open_lessons(app);
  test::app_fonts_ready(app);
  int knobs_seen = 0;
  for (int i = 0; i < int(app.session.library.lessons.size()); ++i)
    for (int k = 0; k < int(app.session.library.lessons[size_t(i)].steps.size()); ++k) {
      runtime::session_select(app.session, i, k);
      test::render_frames(app, ImVec2(1280, 800), 2);
      knobs_seen += int(runtime::session_knob_values(app.session).size());
      const std::string route = runtime::session_route(app.session);
      CHECK_MESSAGE(route.find('?') == std::string::npos, "drawing the step changed a knob: " << route);
    }
  CHECK(knobs_seen > 0);
}

TEST_CASE("knob links: a full-precision number from a link survives the slider being drawn") {
  test::ImGuiScope scope;
  ui::LabApp app;
  test::app_open_lessons(app);
  ui::fonts_load(app, 1.0f);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  const std::string link = "01-symbols/4?learning_rate=0.0123456789012345";
  std::string err;
  REQUIRE(runtime::session_apply_route(app.session, link, &err));
  test::render_frames(app, ImVec2(1280, 800), 3);
  CHECK(runtime::session_route(app.session) == link);
}
