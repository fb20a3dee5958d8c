// The accessible mirror (ui/mirror.h): for every shipped step its description names the step, holds
// the step's prose as HTML (word for word) and one control per knob; a knob moved through the
// mirror goes the ImGui knob's way (route and block change); a change meant for another step is
// refused; the 4 Hz throttle; plots' text alternatives; and the lesson's language.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "imgui.h"
#include "runtime/lesson.h"
#include "runtime/markdown_html.h"
#include "runtime/session.h"
#include "runtime/text.h"
#include "ui/app_ui.h"
#include "ui/mirror.h"
#include "ui/widgets/plot.h"
#include "ui_test_util.h"

using namespace lab;

namespace {

// What md4c-html writes for text: & < > " escaped.
std::string md4c_escaped(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The words of a prose part as the canvas draws them (paragraphs, headings, table cells).
std::vector<std::string> prose_words(const runtime::MdDoc& doc) {
  std::vector<std::string> out;
  for (const runtime::MdBlock& b : doc.blocks) {
    std::vector<std::string> w = words(runtime::md_plain_text(b.spans));
    for (const auto& cell : b.cells) {
      std::vector<std::string> cw = words(runtime::md_plain_text(cell));
      w.insert(w.end(), cw.begin(), cw.end());
    }
    if (b.kind == runtime::MdKind::CodeBlock) w = words(b.code);
    out.insert(out.end(), w.begin(), w.end());
  }
  return out;
}

bool has_nan_number(const std::string& json) {
  // As a JSON number or as a whole quoted value (a metric's text); prose may say "NaN" in words.
  for (const char* bad : {":nan", ":-nan", ":inf", ":-inf", ":NaN", "\"nan\"", "\"-nan\"", "\"inf\"", "\"-inf\"", "\"NaN\""})
    if (json.find(bad) != std::string::npos) return true;
  return false;
}

// The app on a step, drawn twice (its blocks built and started), as the page has it.
struct AppOnStep {
  test::ImGuiScope scope;
  ui::LabApp app;
  explicit AppOnStep(const std::string& route) {
    test::app_open_lessons(app);
    test::app_fonts_ready(app);
    std::string err;
    REQUIRE(runtime::session_apply_route(app.session, route, &err));
    test::render_frames(app, ImVec2(1280, 800), 2);
    REQUIRE(!app.session.runs.empty());
  }
};

}  // namespace

TEST_CASE("mirror: every shipped step's description has its heading, its prose word for word and each knob") {
  test::ImGuiScope scope;
  ui::LabApp app;
  test::app_open_lessons(app);
  test::app_fonts_ready(app);
  REQUIRE(!app.session.library.lessons.empty());
  size_t words_total = 0, words_found = 0;
  int knobs_total = 0, steps = 0;
  for (int i = 0; i < int(app.session.library.lessons.size()); ++i) {
    const runtime::Lesson& lesson = app.session.library.lessons[size_t(i)];
    for (int k = 0; k < int(lesson.steps.size()); ++k) {
      runtime::session_select(app.session, i, k);
      test::render_frames(app, ImVec2(1280, 800), 2);
      const std::string json = ui::mirror_json(app);
      CAPTURE(lesson.id);
      CAPTURE(k);
      ++steps;
      CHECK(json.find("\"key\":" + runtime::json_quote(ui::mirror_key(app.session))) != std::string::npos);
      CHECK(json.find("\"title\":" + runtime::json_quote(lesson.steps[size_t(k)].title)) != std::string::npos);
      CHECK(json.find("\"title\":" + runtime::json_quote(lesson.title)) != std::string::npos);
      CHECK_FALSE(has_nan_number(json));
      for (const runtime::StepPart& part : lesson.steps[size_t(k)].parts) {
        if (part.kind == runtime::StepPart::Kind::Prose) {
          const std::string html = runtime::markdown_to_html(part.text);
          CHECK(json.find(runtime::json_quote(html)) != std::string::npos);  // the part's HTML, whole
          for (const std::string& w : prose_words(part.doc)) {
            ++words_total;
            words_found += html.find(md4c_escaped(w)) != std::string::npos;
          }
        } else {
          for (const runtime::Knob& knob : part.block.knobs) {
            ++knobs_total;
            CHECK_MESSAGE(json.find("\"name\":" + runtime::json_quote(knob.param) + ",\"doc\"") != std::string::npos,
                          "no control for knob " << knob.param);
          }
        }
      }
    }
  }
  CHECK(steps > 20);
  CHECK(knobs_total > 10);
  MESSAGE("prose words found in the mirror's HTML: " << words_found << " / " << words_total);
  CHECK(double(words_found) >= 0.99 * double(words_total));
}

TEST_CASE("mirror: a knob moved through the mirror re-runs the block and changes the route, like the slider") {
  AppOnStep on("01-symbols/4");
  ui::LabApp& app = on.app;
  const std::string key = ui::mirror_key(app.session);
  CHECK(key.rfind("01-symbols/4@", 0) == 0);
  const uint64_t before = app.session.runs[0].experiment_id;
  const std::string json_before = ui::mirror_json(app);
  CHECK(json_before.find("\"name\":\"dim\"") != std::string::npos);

  CHECK(ui::mirror_knob(app, key, 0, "dim", "5").ok);
  test::render_frames(app, ImVec2(1280, 800), 2);
  CHECK(runtime::session_route(app.session) == "01-symbols/4?dim=5");
  CHECK(app.session.runs[0].experiment_id != before);  // rebuilt with the new value
  const std::string json_after = ui::mirror_json(app);
  CHECK(json_after.find("\"name\":\"dim\",\"doc\"") != std::string::npos);
  CHECK(json_after.find("\"value\":\"5\"") != std::string::npos);

  // Bad input gets a clear message and changes nothing.
  const core::Status out_of_range = ui::mirror_knob(app, key, 0, "dim", "9999");
  CHECK_FALSE(out_of_range.ok);
  CHECK(!out_of_range.message.empty());
  const core::Status no_knob = ui::mirror_knob(app, key, 0, "vocab_size", "10");
  CHECK_FALSE(no_knob.ok);
  const core::Status no_block = ui::mirror_knob(app, key, 7, "dim", "3");
  CHECK_FALSE(no_block.ok);
  CHECK(no_block.message.find("no lab block number 8") != std::string::npos);
  CHECK(runtime::session_route(app.session) == "01-symbols/4?dim=5");

  // A change meant for a step no longer on screen is refused, with a message.
  runtime::session_next(app.session);
  test::render_frames(app, ImVec2(1280, 800), 2);
  const core::Status stale = ui::mirror_knob(app, key, 0, "dim", "3");
  CHECK_FALSE(stale.ok);
  CHECK(stale.message.find("no longer on screen") != std::string::npos);
  CHECK(app.ui.toast == stale.message);
}

TEST_CASE("mirror: Pause, Resume and Reset from the page do what the canvas's buttons do") {
  AppOnStep on("01-symbols/4");
  ui::LabApp& app = on.app;
  runtime::BlockRun& run = app.session.runs[0];
  REQUIRE(run.experiment);
  REQUIRE_FALSE(run.experiment->done());
  const std::string key = ui::mirror_key(app.session);
  CHECK(ui::mirror_json(app).find("\"controls\":{\"pause\":true,\"reset\":true,\"paused\":false}") != std::string::npos);

  CHECK(ui::mirror_run(app, key, 0, "pause").ok);
  CHECK(run.paused);
  CHECK(ui::mirror_json(app).find("\"paused\":true") != std::string::npos);
  const float progress = run.experiment->progress();
  runtime::session_update(app.session, 50.0);
  CHECK(run.experiment->progress() == progress);  // paused: no work done
  CHECK(ui::mirror_run(app, key, 0, "resume").ok);
  CHECK_FALSE(run.paused);
  runtime::session_update(app.session, 50.0);
  CHECK(run.experiment->progress() > progress);

  const uint64_t before = run.experiment_id;
  CHECK(ui::mirror_run(app, key, 0, "reset").ok);
  CHECK(app.session.runs[0].experiment_id != before);
  CHECK(app.session.runs[0].experiment->progress() == 0.0f);

  // Bad input: a clear message, nothing changed.
  const core::Status unknown = ui::mirror_run(app, key, 0, "explode");
  CHECK_FALSE(unknown.ok);
  CHECK(unknown.message.find("cannot explode") != std::string::npos);
  CHECK_FALSE(ui::mirror_run(app, key, 9, "pause").ok);
  runtime::session_next(app.session);
  test::render_frames(app, ImVec2(1280, 800), 2);
  const core::Status stale = ui::mirror_run(app, key, 0, "pause");
  CHECK_FALSE(stale.ok);
  CHECK(stale.message.find("no longer on screen") != std::string::npos);
}

TEST_CASE("mirror: published at once on a step change, otherwise at most every 250 ms and only when changed") {
  test::ImGuiScope scope;
  ui::LabApp app;
  test::app_open_lessons(app);
  test::app_fonts_ready(app);
  test::render_frames(app, ImVec2(1280, 800), 2);
  ui::MirrorThrottle t;
  REQUIRE(ui::mirror_update(t, app, 1000.0).has_value());
  CHECK_FALSE(ui::mirror_update(t, app, 1100.0).has_value());  // not due
  CHECK_FALSE(ui::mirror_update(t, app, 1300.0).has_value());  // due, but nothing changed
  runtime::session_next(app.session);
  const auto moved = ui::mirror_update(t, app, 1310.0);          // a step change does not wait
  REQUIRE(moved.has_value());
  CHECK(moved->find(runtime::json_quote(ui::mirror_key(app.session))) != std::string::npos);
}

TEST_CASE("mirror: the blocks' plots come with text alternatives") {
  test::ImGuiScope scope;
  ui::LabApp app;
  test::app_open_lessons(app);
  test::app_fonts_ready(app);
  int plots = 0;
  for (int i = 0; i < int(app.session.library.lessons.size()); ++i)
    for (int k = 0; k < int(app.session.library.lessons[size_t(i)].steps.size()); ++k) {
      runtime::session_select(app.session, i, k);
      test::render_frames(app, ImVec2(1280, 800), 16);  // out-of-view plots refresh every 15th frame
      for (const auto& [run, ids] : app.ui.block_plots)
        for (const ImGuiID id : ids) {
          const std::string d = ui::plot_describe(id);
          if (d.empty()) continue;
          ++plots;
          CHECK(d.rfind("Plot", 0) == 0);
          CHECK(ui::mirror_json(app).find(runtime::json_quote(d)) != std::string::npos);
        }
    }
  MESSAGE("plots described: " << plots);
  CHECK(plots >= 5);
}

TEST_CASE("mirror: a plot's text alternative gives title, axes, latest values and groups with their shapes") {
  test::ImGuiScope scope;
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(800, 600);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  const float loss[] = {1.0f, 0.5f, 0.25f};
  const float xs[] = {0, 1, 2, 3}, ys[] = {0, 1, 0, 1};
  const int groups[] = {0, 1, 2, 1};
  const char* names[] = {"cat", "dog", "fish"};
  ImGuiID line_id = 0, scatter_id = 0;
  for (int f = 0; f < 2; ++f) {
    io.DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ImGui::Begin("##w");
    if (ui::plot_begin("##loss", {.title = "Loss", .x_label = "epoch", .y_label = "loss"})) {
      ui::plot_line("train", loss, 3);
      ui::plot_end();
    }
    line_id = ImGui::GetID("##loss");
    if (ui::plot_begin("##pets", {.title = "Pets"})) {
      ui::plot_set_next_group_names(names, 3);
      ui::plot_scatter("pets", xs, ys, 4, groups);
      ui::plot_end();
    }
    scatter_id = ImGui::GetID("##pets");
    ImGui::End();
    ImGui::Render();
  }
  const std::string line = ui::plot_describe(line_id);
  CHECK(line.find("Plot: Loss.") == 0);
  CHECK(line.find("Horizontal axis: epoch; vertical axis: loss.") != std::string::npos);
  CHECK(line.find("train: a line of 3 points, latest epoch 2, loss 0.25") != std::string::npos);
  const std::string sc = ui::plot_describe(scatter_id);
  CHECK(sc.find("4 points in 3 groups (cat: 1 circles; dog: 2 squares; fish: 1 triangles up)") != std::string::npos);
  CHECK(ui::plot_describe(12345u).empty());
}

TEST_CASE("lesson: 'lang' sets the page's language, a malformed tag is an error at its line") {
  const runtime::Lesson fr = runtime::lesson_parse("---\ntitle: Plongements\nlang: fr\n---\n## Un\nTexte.\n", "fr.md");
  CHECK(fr.lang == "fr");
  CHECK_FALSE(fr.has_errors());
  CHECK(runtime::lesson_parse("---\ntitle: T\nlang: pt-BR\n---\n## A\nb\n", "p.md").lang == "pt-BR");
  CHECK(runtime::lesson_parse("---\ntitle: T\n---\n## A\nb\n", "e.md").lang == "en");  // the default
  const runtime::Lesson bad = runtime::lesson_parse("---\ntitle: T\nlang: english!\n---\n## A\nb\n", "b.md");
  CHECK(bad.lang == "en");
  bool found = false;
  for (const runtime::Diagnostic& d : bad.diagnostics) found |= d.line == 3 && d.message.find("'lang' must be a language tag") != std::string::npos;
  CHECK(found);
}

TEST_CASE("markdown html: md4c renders lists, links, tables and escapes raw HTML") {
  const std::string html = runtime::markdown_to_html(
      "Some *text* and [a link](https://example.org).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n");
  CHECK(html.find("<em>text</em>") != std::string::npos);
  CHECK(html.find("<a href=\"https://example.org\">a link</a>") != std::string::npos);
  CHECK(html.find("<ul>") != std::string::npos);
  CHECK(html.find("<li>one</li>") != std::string::npos);
  CHECK(html.find("<table>") != std::string::npos);
  CHECK(html.find("<th>a</th>") != std::string::npos);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;") != std::string::npos);
  CHECK(runtime::markdown_to_html("").empty());
  CHECK(runtime::html_escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}

TEST_CASE("mirror: the rest of the site's lessons arriving gives the mirror a new key, so the page renders it again") {
  const runtime::LessonLibrary disk = runtime::library_load(LAB_SOURCE_DIR "/lessons");
  REQUIRE(disk.lessons.size() > 2);
  std::vector<runtime::LessonSource> first, rest;
  for (size_t i = 0; i < disk.lessons.size(); ++i) {
    std::ifstream in(disk.lessons[i].path);
    std::stringstream text;
    text << in.rdbuf();
    (i == 1 ? first : rest).push_back({"lessons/" + disk.lessons[i].id + ".md", text.str(), ""});
  }
  runtime::Session s;
  runtime::session_init_loading(s, "lessons");
  runtime::LessonLibrary lib = runtime::library_from_sources("lessons", first, "");
  lib.more = true;
  std::string error;
  REQUIRE(runtime::session_library_arrived(s, std::move(lib), &error));
  const std::string key = ui::mirror_key(s);
  REQUIRE_FALSE(key.empty());
  REQUIRE(runtime::session_library_more(s, runtime::library_from_sources("lessons", rest, ""), &error));
  CHECK(ui::mirror_key(s) != key);
  CHECK(ui::mirror_key(s).rfind(key.substr(0, key.find('@')), 0) == 0);  // the same step
}
