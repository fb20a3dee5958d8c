// The UI side of lab blocks: every kind has its widget (found by the kind itself, not by its name),
// a widget's view state lasts exactly as long as the experiment it looks at, and what a student
// asks through a widget reaches the experiment as an explicit command.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "runtime/block_test_util.h"
#include "runtime/blocks/blocks.h"
#include "runtime/blocks/dropout_mask.h"
#include "runtime/lesson.h"
#include "runtime/session.h"
#include "ui/block_view.h"
#include "ui/block_view_state.h"

using namespace lab;

namespace {

// A session showing one lesson, its runs built.
void session_open(runtime::Session& s, const std::string& markdown) {
  s.library.lessons.push_back(runtime::lesson_parse(markdown, "lessons/t.md"));
  s.library.mtimes.resize(1);
  REQUIRE_FALSE(s.library.lessons[0].has_errors());
  runtime::session_update(s, 1);
}

const std::string kQuiz = "```lab quiz\nquestion: 2 + 2?\nchoices: 3 | 4 | 5\nanswer: 2\n```\n";

}  // namespace

TEST_CASE("block view: every registered lab-block kind has exactly one widget entry, and no entry names an unregistered kind") {
  for (const runtime::BlockKind* kind : runtime::block_kinds()) {
    CAPTURE(kind->name);
    CHECK(ui::block_widget_find(*kind) != nullptr);
  }
  std::set<const runtime::BlockKind*> seen;
  for (const ui::BlockWidgetEntry& w : ui::block_widgets()) {
    REQUIRE(w.kind != nullptr);
    CAPTURE(w.kind->name);
    CHECK(runtime::block_kind_find(w.kind->name) == w.kind);
    CHECK(seen.insert(w.kind).second);
  }
  CHECK(seen.size() == runtime::block_kinds().size());
}

TEST_CASE("block view: a widget's view state is kept per block until its experiment is rebuilt") {
  struct Probe {
    int value = -1;
  };
  runtime::Session s;
  session_open(s, "---\ntitle: T\n---\n## One\n" + kQuiz + "\n```lab random-cosine\ndim: 8\npairs: 50\nknob dim: 1 .. 64\n```\n## Two\n" + kQuiz);
  REQUIRE(s.runs.size() == 2);
  ui::BlockViewStates views;
  views.get<Probe>(s.runs[0]).value = 10;
  views.get<Probe>(s.runs[1]).value = 11;
  CHECK(views.get<Probe>(s.runs[0]).value == 10);  // from frame to frame, one per block
  CHECK(views.get<Probe>(s.runs[1]).value == 11);

  runtime::session_restart(s, 0);  // "Reset"
  CHECK(views.get<Probe>(s.runs[0]).value == -1);
  CHECK(views.get<Probe>(s.runs[1]).value == 11);
  views.get<Probe>(s.runs[0]).value = 20;
  REQUIRE(runtime::session_set_knob(s, 1, "dim", "16").ok);  // a knob rebuilds the experiment too
  CHECK(views.get<Probe>(s.runs[1]).value == -1);
  CHECK(views.get<Probe>(s.runs[0]).value == 20);
  CHECK(views.size() == 4);
  views.prune(s);  // the states of the two replaced experiments go
  CHECK(views.size() == 2);

  REQUIRE(runtime::session_next(s));  // another step: new runs, fresh views
  runtime::session_update(s, 1);
  REQUIRE(s.runs.size() == 1);
  CHECK(views.get<Probe>(s.runs[0]).value == -1);
  views.prune(s);
  CHECK(views.size() == 1);
}

TEST_CASE("block view: the quiz's Check reaches answered_right as a command (a new pick withdraws it)") {
  runtime::Session s;
  session_open(s, "---\ntitle: T\n---\n## Quiz\n" + kQuiz);
  REQUIRE(s.runs.size() == 1);
  runtime::BlockRun& run = s.runs[0];
  const auto* quiz = ui::experiment_as<runtime::QuizExperiment>(run);
  REQUIRE(quiz != nullptr);
  CHECK(test::metric(*quiz, "answered_right") == 0);  // nothing checked yet
  ui::block_command_apply(run, ui::QuizCheck{0});       // "3": wrong
  CHECK(test::metric(*quiz, "answered_right") == 0);
  ui::block_command_apply(run, ui::QuizCheck{1});       // "4": right
  CHECK(test::metric(*quiz, "answered_right") == 1);
  ui::block_command_apply(run, ui::BlockCommand{});     // a frame where nothing was asked
  CHECK(test::metric(*quiz, "answered_right") == 1);
  ui::block_command_apply(run, ui::QuizCheck{-1});      // the student picks again: not checked
  CHECK(test::metric(*quiz, "answered_right") == 0);
}

TEST_CASE("block view: dropout-mask's button command draws another mask") {
  runtime::Session s;
  session_open(s, "---\ntitle: T\n---\n## Mask\n```lab dropout-mask\n```\n");
  REQUIRE(s.runs.size() == 1);
  const auto* e = ui::experiment_as<runtime::DropoutMaskExperiment>(s.runs[0]);
  REQUIRE(e != nullptr);
  const int before = e->draws;
  ui::block_command_apply(s.runs[0], ui::DropoutMaskResample{});
  CHECK(e->draws == before + 1);
}
