// Lessons that arrive as text (the web page fetches its site's lessons/ folder) get what lessons read
// from disk get: the same parser, FILE:LINE diagnostics, the same order; a file that could not be had
// is one diagnostic of its own; and a deep link given while they are on their way opens when they come.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/session.h"
#include "runtime/text.h"

using namespace lab::runtime;

namespace {

const std::string kLessons = LAB_SOURCE_DIR "/lessons";

// Every shipped lesson as the page would hand it over: "lessons/NAME.md" and its bytes.
std::vector<LessonSource> shipped_sources() {
  std::vector<LessonSource> out;
  for (const auto& e : std::filesystem::directory_iterator(kLessons)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() != ".md" || name == "README.md") continue;
    std::string err;
    const auto text = read_text_file(e.path().string(), &err);
    REQUIRE_MESSAGE(text, err);
    out.push_back({"lessons/" + name, *text, ""});
  }
  return out;
}

const std::string kTwoSteps = "---\ntitle: Held out\norder: 99\n---\n## One\nText.\n## Two\nMore text.\n";

}  // namespace

TEST_CASE("lesson sources: the shipped lessons as text give the library the folder gives") {
  const LessonLibrary disk = library_load(kLessons);
  std::vector<LessonSource> sources = shipped_sources();
  std::reverse(sources.begin(), sources.end());  // arrival order must not matter
  const LessonLibrary web = library_from_sources("lessons", sources, "");
  CHECK(web.error.empty());
  REQUIRE(web.lessons.size() == disk.lessons.size());
  REQUIRE(web.lessons.size() >= 8);
  for (size_t i = 0; i < web.lessons.size(); ++i) {
    const Lesson& a = web.lessons[i];
    const Lesson& b = disk.lessons[i];
    CAPTURE(a.id);
    CHECK(a.id == b.id);
    CHECK(a.path == "lessons/" + a.id + ".md");
    CHECK(a.title == b.title);
    CHECK(a.order == b.order);
    CHECK(a.steps.size() == b.steps.size());
    CHECK(a.lab_block_count() == b.lab_block_count());
    CHECK(a.diagnostics.size() == b.diagnostics.size());
  }
}

TEST_CASE("lesson sources: a file that did not arrive, or is not UTF-8, is reported at FILE:LINE and the rest load") {
  std::vector<LessonSource> sources = {
      {"lessons/held-out.md", kTwoSteps, ""},
      {"lessons/gone.md", "", "lessons/gone.md could not be fetched from the site (HTTP 404 Not Found)"},
      {"lessons/latin1.md", "---\ntitle: Caf\xe9\n---\n## One\nText.\n", ""},
  };
  const LessonLibrary lib = library_from_sources("lessons", sources, "");
  REQUIRE(lib.lessons.size() == 3);
  int seen = 0;
  for (const Lesson& l : lib.lessons) {
    CAPTURE(l.id);
    if (l.id == "held-out") {
      CHECK_FALSE(l.has_errors());
      CHECK(l.steps.size() == 2);
      ++seen;
    } else if (l.id == "gone") {
      REQUIRE(l.diagnostics.size() == 1);
      CHECK(diagnostic_format(l.diagnostics[0]).find("lessons/gone.md") == 0);
      CHECK(l.diagnostics[0].message.find("HTTP 404") != std::string::npos);
      ++seen;
    } else if (l.id == "latin1") {
      REQUIRE(l.has_errors());
      CHECK(diagnostic_format(l.diagnostics[0]).rfind("lessons/latin1.md:2:", 0) == 0);
      CHECK(l.diagnostics[0].message.find("not valid UTF-8") != std::string::npos);
      ++seen;
    }
  }
  CHECK(seen == 3);
  CHECK(lib.lessons.back().id == "held-out");  // order: 99 sorts after the two with order 0
}

TEST_CASE("lesson sources: a list that could not be read is the library's one message, an empty list says so") {
  const LessonLibrary broken = library_from_sources("lessons", {}, "lessons/index.json is not valid JSON (…)");
  CHECK(broken.lessons.empty());
  CHECK(broken.error == "lessons/index.json is not valid JSON (…)");
  const LessonLibrary empty = library_from_sources("lessons", {}, "");
  CHECK(empty.error.find("no lessons") != std::string::npos);
}

TEST_CASE("lesson sources: a deep link given while the lessons load opens when they arrive") {
  Session t;
  session_init_loading(t, "lessons");
  CHECK(t.library.loading);
  std::string error;
  CHECK(session_apply_route(t, "held-out/2", &error));  // kept, not refused: nothing is listed yet
  CHECK(t.pending_route == "held-out/2");
  std::vector<LessonSource> sources = shipped_sources();
  sources.push_back({"lessons/held-out.md", kTwoSteps, ""});
  REQUIRE(session_library_arrived(t, library_from_sources("lessons", sources, ""), &error));
  CHECK_FALSE(t.library.loading);
  REQUIRE(session_lesson(t));
  CHECK(session_lesson(t)->id == "held-out");
  CHECK(t.step == 1);
  CHECK(session_route(t) == "held-out/2");
  // A route that names no lesson of what arrived: it says so, and the first lesson shows.
  Session u;
  session_init_loading(u, "lessons");
  CHECK(session_apply_route(u, "no-such-lesson/1", &error));
  error.clear();
  CHECK_FALSE(session_library_arrived(u, library_from_sources("lessons", shipped_sources(), ""), &error));
  CHECK(error.find("no-such-lesson") != std::string::npos);
  CHECK(u.lesson == 0);
  CHECK(u.step == 0);
}

TEST_CASE("lesson sources: a lesson dropped on the page while the rest load stays, and stays in front") {
  Session s;
  session_init_loading(s, "lessons");
  const int revision = s.library.revision;
  session_add_lesson(s, lesson_parse(kTwoSteps, "dropped.md"));
  std::string error;
  REQUIRE(session_library_arrived(s, library_from_sources("lessons", shipped_sources(), ""), &error));
  REQUIRE(session_lesson(s));
  CHECK(session_lesson(s)->id == "dropped");
  CHECK(s.library.lessons.size() == shipped_sources().size() + 1);
  CHECK(s.library.revision > revision + 1);  // a new revision: runs built for the empty library are rebuilt
}

namespace {

// The step (0-based) of `l` with a lab block, or -1.
int step_with_block(const Lesson& l) {
  for (size_t i = 0; i < l.steps.size(); ++i)
    for (const StepPart& p : l.steps[i].parts)
      if (p.kind == StepPart::Kind::Lab && p.block.ok()) return int(i);
  return -1;
}

}  // namespace

TEST_CASE("lesson sources: the opening lesson comes alone, the others after it, and what is on screen stays") {
  const LessonLibrary disk = library_load(kLessons);
  REQUIRE(disk.lessons.size() >= 4);
  const Lesson& opening = disk.lessons[2];  // not the first: the others land on both sides of it
  const int step = step_with_block(opening);
  REQUIRE(step >= 0);
  std::vector<LessonSource> first, rest;
  for (LessonSource& src : shipped_sources()) (src.path == "lessons/" + opening.id + ".md" ? first : rest).push_back(src);
  REQUIRE(first.size() == 1);

  Session s;
  session_init_loading(s, "lessons");
  std::string error;
  const std::string route = opening.id + "/" + std::to_string(step + 1);
  CHECK(session_apply_route(s, route, &error));
  const std::string warning = "lessons/index.json names \"../x\", not a plain lesson file name; left out.";
  LessonLibrary lib = library_from_sources("lessons", first, warning);
  lib.more = true;
  REQUIRE(session_library_arrived(s, std::move(lib), &error));
  CHECK(s.library.more);
  REQUIRE(s.library.lessons.size() == 1);
  CHECK(session_route(s) == route);
  session_update(s, 1.0);  // builds the step's runs and starts them
  REQUIRE_FALSE(s.runs.empty());
  const Experiment* running = s.runs[0].experiment.get();
  REQUIRE(running);
  const std::string key = s.runs_key;

  // Meanwhile a link to a lesson that has not come yet is kept, not refused.
  const Lesson& later = disk.lessons.back();
  CHECK(session_apply_route(s, later.id + "/1", &error));
  CHECK(s.pending_route == later.id + "/1");
  s.pending_route.clear();  // (checked below on its own session)

  REQUIRE(session_library_more(s, library_from_sources("lessons", rest, ""), &error));
  CHECK_FALSE(s.library.more);
  REQUIRE(s.library.lessons.size() == disk.lessons.size());
  for (size_t i = 0; i < disk.lessons.size(); ++i) CHECK(s.library.lessons[i].id == disk.lessons[i].id);  // the folder's order
  CHECK(s.lesson == 2);
  CHECK(session_route(s) == route);
  session_update(s, 1.0);
  CHECK(s.runs_key == key);
  REQUIRE_FALSE(s.runs.empty());
  CHECK(s.runs[0].experiment.get() == running);  // the same experiment, still running: not restarted
  CHECK(s.library.error == warning);  // what the list said stays said

  // A link given while the others were on their way opens when they come; one to no lesson says so.
  for (const std::string& link : {later.id + "/2", std::string("no-such-lesson/1")}) {
    Session t;
    session_init_loading(t, "lessons");
    LessonLibrary one = library_from_sources("lessons", first, "");
    one.more = true;
    REQUIRE(session_library_arrived(t, std::move(one), &error));
    CHECK(session_apply_route(t, link, &error));
    error.clear();
    const bool ok = session_library_more(t, library_from_sources("lessons", rest, ""), &error);
    if (link.starts_with("no-such")) {
      CHECK_FALSE(ok);
      CHECK(error.find("no-such-lesson") != std::string::npos);
      CHECK(t.lesson == 2);  // the opening lesson stays, now at its place in the list
      CHECK(session_lesson(t)->id == opening.id);
    } else {
      CHECK(ok);
      CHECK(session_route(t) == link);
    }
  }
}

TEST_CASE("lesson sources: a lesson dropped on the page before the others come stays in front of them, after the site's") {
  const std::vector<LessonSource> all = shipped_sources();
  Session s;
  session_init_loading(s, "lessons");
  LessonLibrary one = library_from_sources("lessons", {all[0]}, "");
  one.more = true;
  std::string error;
  REQUIRE(session_library_arrived(s, std::move(one), &error));
  session_add_lesson(s, lesson_parse(kTwoSteps, "dropped.md"));
  s.step = 1;
  const std::vector<LessonSource> rest(all.begin() + 1, all.end());
  REQUIRE(session_library_more(s, library_from_sources("lessons", rest, ""), &error));
  REQUIRE(s.library.lessons.size() == all.size() + 1);
  CHECK(s.library.lessons.back().id == "dropped");
  CHECK(session_lesson(s)->id == "dropped");
  CHECK(s.step == 1);
  CHECK(s.library.site_lessons == int(all.size()));
}
