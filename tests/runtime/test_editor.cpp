// The page's lesson editor hands the wasm app the whole text again after every pause in typing
// (web/editor.js). session_edit_lesson must then show the edited lesson at the same step, keep a
// block's running experiment when its definition did not change, and start again only the blocks
// whose parameters did — and a broken block must give one diagnostic at its line, never stop the app.
#include <doctest/doctest.h>

#include <string>

#include "runtime/session.h"

using namespace lab::runtime;

namespace {

// Two steps; step 2 has two blocks of a cheap kind. `dim2` is the second block's dim.
std::string draft(const std::string& dim2, const std::string& second_title = "Second") {
  return "---\ntitle: Draft\n---\n"
         "## One\nIntro.\n"
         "## Two\nText.\n\n"
         "```lab embedding-distances\ntitle: First\nquery: cat\ndim: 8\nknob k: 1 .. 10\n```\n\n"
         "```lab embedding-distances\ntitle: " + second_title + "\nquery: cat\ndim: " + dim2 + "\n```\n";
}

Session editing_session() {
  Session s;
  s.library.dir = "lessons";
  session_add_lesson(s, lesson_parse(draft("8"), "lessons/draft.md"));
  session_select(s, 0, 1);
  session_update(s, 1.0);  // builds the step's runs and lets them start
  return s;
}

}  // namespace

TEST_CASE("editor: an edit that changes nothing keeps the step, every experiment and the student's knob values") {
  Session s = editing_session();
  REQUIRE(s.runs.size() == 2);
  REQUIRE(session_set_knob(s, 0, "k", "7"));
  const uint64_t first = s.runs[0].experiment_id, second = s.runs[1].experiment_id;
  const int revision = s.library.revision;
  session_edit_lesson(s, lesson_parse(draft("8", "Second, renamed"), "lessons/draft.md"));
  CHECK(s.library.revision > revision);  // the page's mirror and the route see a new lesson
  CHECK(s.step == 1);
  REQUIRE(s.runs.size() == 2);
  CHECK(s.runs[0].experiment_id == first);
  CHECK(s.runs[1].experiment_id == second);
  CHECK(s.runs[0].experiment);
  CHECK(s.runs[0].config.integer("k") == 7);
  CHECK(s.runs[1].config.text("title") == "Second, renamed");
  // The runs belong to the new revision: the next update must not rebuild them.
  session_update(s, 1.0);
  CHECK(s.runs[0].experiment_id == first);
  CHECK(s.runs[1].experiment_id == second);
}

TEST_CASE("editor: a block whose parameter changed starts again, the unchanged one keeps running") {
  Session s = editing_session();
  REQUIRE(s.runs.size() == 2);
  const uint64_t first = s.runs[0].experiment_id, second = s.runs[1].experiment_id;
  session_edit_lesson(s, lesson_parse(draft("16"), "lessons/draft.md"));
  REQUIRE(s.runs.size() == 2);
  CHECK(s.runs[0].experiment_id == first);
  CHECK(s.runs[1].experiment_id != second);
  CHECK(s.runs[1].experiment_id != first);
  CHECK(s.runs[1].config.integer("dim") == 16);
}

TEST_CASE("editor: a broken block is one diagnostic at its line, fixing it runs it again") {
  Session s = editing_session();
  const std::string broken = draft("eight");
  const Lesson parsed = lesson_parse(broken, "lessons/draft.md");
  REQUIRE(parsed.has_errors());
  // The line of "dim: eight" in the text: line numbers are what the editor highlights.
  int line = 1;
  for (size_t i = 0; i < broken.find("dim: eight"); ++i) line += broken[i] == '\n';
  bool at_line = false;
  for (const Diagnostic& d : parsed.diagnostics) {
    const std::string text = diagnostic_format(d);
    CAPTURE(text);
    at_line = at_line || (d.severity == Severity::Error && d.line == line && text.rfind("lessons/draft.md:", 0) == 0);
  }
  CHECK(at_line);
  session_edit_lesson(s, Lesson(parsed));
  CHECK(s.step == 1);
  REQUIRE(s.runs.size() == 2);
  CHECK(s.runs[0].experiment);       // the good block keeps running
  CHECK_FALSE(s.runs[1].experiment); // the broken one has none
  session_update(s, 1.0);            // and the app keeps going
  session_edit_lesson(s, lesson_parse(draft("8"), "lessons/draft.md"));
  REQUIRE(s.runs.size() == 2);
  CHECK(s.runs[1].experiment);
}

TEST_CASE("editor: the step stays when the edit removes steps after it, and clamps when it removes it") {
  Session s = editing_session();
  session_edit_lesson(s, lesson_parse("---\ntitle: Draft\n---\n## One\nIntro.\n", "lessons/draft.md"));
  REQUIRE(session_lesson(s));
  CHECK(session_lesson(s)->id == "draft");
  CHECK(s.step == 0);
  session_update(s, 1.0);
  CHECK(s.runs.empty());
}

TEST_CASE("editor: editing another lesson than the one on screen shows it from its first step") {
  Session s = editing_session();
  session_add_lesson(s, lesson_parse("---\ntitle: Other\n---\n## A\nx\n## B\ny\n", "lessons/other.md"));
  REQUIRE(session_lesson(s)->id == "other");
  session_select(s, s.lesson, 1);
  session_update(s, 1.0);
  session_edit_lesson(s, lesson_parse(draft("8"), "lessons/draft.md"));
  REQUIRE(session_lesson(s));
  CHECK(session_lesson(s)->id == "draft");
  CHECK(s.step == 0);
  CHECK(s.library.lessons.size() == 2);  // replaced by id, not added twice
}

TEST_CASE("editor: text that is no lesson at all (binary, huge lines) gives diagnostics, not a crash") {
  Session s = editing_session();
  std::string junk(200000, '\xff');
  junk += "\n```lab no-such-kind\n" + std::string(100000, 'x') + "\n";  // unclosed fence, unknown kind
  const Lesson l = lesson_parse(junk, "lessons/draft.md");
  CHECK(l.has_errors());
  session_edit_lesson(s, Lesson(l));
  session_update(s, 1.0);
  REQUIRE(session_lesson(s));
  CHECK(session_lesson(s)->id == "draft");
}

TEST_CASE("editor: a draft restored while the site's lessons load stays in front, at the step of the link") {
  Session s;
  session_init_loading(s, "lessons");
  std::string error;
  CHECK(session_apply_route(s, "draft/2", &error));  // the page was reloaded at step 2 of the draft
  session_edit_lesson(s, lesson_parse(draft("8"), "lessons/draft.md"));
  const std::vector<LessonSource> site = {{"lessons/site.md", "---\ntitle: Site\n---\n## A\nx\n", ""}};
  REQUIRE(session_library_arrived(s, library_from_sources("lessons", site, ""), &error));
  REQUIRE(session_lesson(s));
  CHECK(session_lesson(s)->id == "draft");
  CHECK(s.step == 1);
  // A link to another lesson does not take the draft's place.
  Session t;
  session_init_loading(t, "lessons");
  CHECK(session_apply_route(t, "site/1", &error));
  session_edit_lesson(t, lesson_parse(draft("8"), "lessons/draft.md"));
  REQUIRE(session_library_arrived(t, library_from_sources("lessons", site, ""), &error));
  CHECK(session_lesson(t)->id == "draft");
  CHECK(t.step == 0);
}
