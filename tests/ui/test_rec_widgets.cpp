// The recommender widgets (lessons 6-8) drawn with finished experiments — tables, t-SNE map, bar
// charts, the triplet panel — with no graphics backend. Fails on any Dear ImGui consistency check.
#include <doctest/doctest.h>

#include <string>

#include "imgui.h"
#include "runtime/lesson.h"
#include "ui/app_ui.h"
#include "ui/imconfig_lab.h"
#include "ui_test_util.h"

using namespace lab;

using test::ImGuiScope;

namespace {

int frames(ui::LabApp& app, int n) { return test::render_frames(app, ImVec2(1280, 900), n); }

}  // namespace

TEST_CASE("ui: the recommender lessons' widgets draw their finished experiments") {
  ImGuiScope scope;
  ui::LabApp app;
  test::app_open_lessons(app);
  test::app_fonts_ready(app);
  const int before = imgui_assert_count();
  int lessons_seen = 0;
  for (int i = 0; i < int(app.session.library.lessons.size()); ++i) {
    const std::string& path = app.session.library.lessons[size_t(i)].path;
    if (path.find("/06-") == std::string::npos && path.find("/07-") == std::string::npos &&
        path.find("/08-") == std::string::npos)
      continue;
    ++lessons_seen;
    runtime::session_select(app.session, i, 0);
    for (int k = 0; k < runtime::session_step_count(app.session); ++k) {
      app.session.step = k;
      frames(app, 1);
      for (runtime::BlockRun& r : app.session.runs)
        while (r.experiment && !r.experiment->done()) r.experiment->step(50);
      CHECK(frames(app, 3) > 500);
    }
  }
  CHECK(lessons_seen == 3);
  CHECK(imgui_assert_count() == before);
}
