// Lesson files as instructors (and their editors) really write them: metadata, steps, and every
// way a file can be broken. Each broken case must produce a line-numbered diagnostic, not a crash.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "runtime/lesson.h"
#include "runtime/session.h"
#include "runtime/text.h"

using namespace lab::runtime;

namespace {

bool has_diag(const Lesson& l, int line, const std::string& needle, Severity sev = Severity::Error) {
  for (const Diagnostic& d : l.diagnostics)
    if (d.line == line && d.severity == sev && d.message.find(needle) != std::string::npos) return true;
  return false;
}

const char* kGood =
    "---\n"
    "title: Cosine vs Euclidean\n"
    "order: 2\n"
    "summary: Distances.\n"
    "minutes: 10\n"
    "---\n"
    "Intro text.\n"
    "\n"
    "## First\n"
    "Body one.\n"
    "```\n"
    "## not a step inside a fence\n"
    "```\n"
    "## Second\n"
    "Body two: ‖x − y‖² = 2(1 − cos θ).\n";

}  // namespace

TEST_CASE("lesson: header fields and steps are parsed, fenced '## ' is not a step") {
  const Lesson l = lesson_parse(kGood, "lessons/02-distances.md");
  CHECK(l.id == "02-distances");
  CHECK(l.title == "Cosine vs Euclidean");
  CHECK(l.order == 2);
  CHECK(l.minutes == 10);
  CHECK(l.summary == "Distances.");
  CHECK_FALSE(l.has_errors());
  REQUIRE(l.steps.size() == 3);
  CHECK(l.steps[0].title == "Introduction");
  CHECK(l.steps[1].title == "First");
  CHECK(l.steps[1].line == 9);
  CHECK(l.steps[1].body.find("## not a step") != std::string::npos);
  CHECK(l.steps[2].title == "Second");
  CHECK(l.steps[2].line == 14);
}

TEST_CASE("lesson: CRLF line ends and a UTF-8 BOM parse the same as LF") {
  std::string crlf = "\xEF\xBB\xBF";
  for (const char* p = kGood; *p; ++p) {
    if (*p == '\n') crlf += "\r\n";
    else crlf += *p;
  }
  const Lesson a = lesson_parse(kGood, "a.md");
  const Lesson b = lesson_parse(crlf, "a.md");
  CHECK(b.title == a.title);
  REQUIRE(b.steps.size() == a.steps.size());
  for (size_t i = 0; i < a.steps.size(); ++i) {
    CHECK(b.steps[i].title == a.steps[i].title);
    CHECK(b.steps[i].body == a.steps[i].body);
    CHECK(b.steps[i].line == a.steps[i].line);
  }
}

TEST_CASE("lesson: an empty file is an error, not a crash") {
  const Lesson l = lesson_parse("", "empty.md");
  CHECK(l.has_errors());
  CHECK(has_diag(l, 0, "empty"));
  CHECK(l.title == "empty");
  const Lesson ws = lesson_parse(" \n\t\n\r\n", "blank.md");
  CHECK(ws.has_errors());
}

TEST_CASE("lesson: bytes that are not UTF-8 are reported with their line") {
  const std::string text = "---\ntitle: x\n---\n## A\nok\nbad \xE9t\xE9 latin-1\n";
  const Lesson l = lesson_parse(text, "latin1.md");
  CHECK(l.has_errors());
  CHECK(has_diag(l, 6, "not valid UTF-8"));
  const auto pos = utf8_first_invalid(text);
  REQUIRE(pos.has_value());
  CHECK(pos->line == 6);
  CHECK(pos->column == 5);
}

TEST_CASE("utf8: overlong forms, surrogates and truncated sequences are invalid") {
  CHECK_FALSE(utf8_first_invalid("plain ascii").has_value());
  CHECK_FALSE(utf8_first_invalid("‖x − y‖² λ √ ∈ ℝᵈ 🙂").has_value());
  CHECK(utf8_first_invalid("\xC0\xAF").has_value());          // overlong '/'
  CHECK(utf8_first_invalid("\xED\xA0\x80").has_value());      // surrogate U+D800
  CHECK(utf8_first_invalid("abc\xE2\x82").has_value());       // truncated
  CHECK(utf8_first_invalid("\xF4\x90\x80\x80").has_value());  // > U+10FFFF
}

TEST_CASE("lesson: header mistakes name the line and what is valid") {
  const Lesson l = lesson_parse("---\ntitle: T\norder: two\ncolour: red\njust text\n---\n## S\nx\n", "h.md");
  CHECK(has_diag(l, 3, "whole number"));
  CHECK(has_diag(l, 4, "unknown header key 'colour'", Severity::Warning));
  CHECK(has_diag(l, 4, "title, order, summary, minutes", Severity::Warning));
  CHECK(has_diag(l, 5, "key: value"));
  REQUIRE(l.steps.size() == 1);  // the rest of the lesson is still there
  CHECK(l.steps[0].title == "S");
}

TEST_CASE("lesson: unclosed header and unclosed fence are reported") {
  const Lesson a = lesson_parse("---\ntitle: T\n## S\ntext\n", "a.md");
  CHECK(has_diag(a, 1, "never closed"));
  const Lesson b = lesson_parse("---\ntitle: T\n---\n## S\n```\ncode\n", "b.md");
  CHECK(has_diag(b, 5, "never closed"));
}

TEST_CASE("lesson: a step with more lab blocks than the memory allows reports the extra one, the others run") {
  std::string text = "---\ntitle: T\n---\n## Many\n";
  int line = 5;
  std::vector<int> fences;
  for (int b = 0; b < kMaxLabBlocksPerStep + 1; ++b) {
    fences.push_back(line);
    text += "```lab random-cosine\ndim: 8\n```\n";
    line += 3;
  }
  text += "## Next\n```lab random-cosine\n```\n";  // a new step starts a new count
  const Lesson l = lesson_parse(text, "many.md");
  CHECK(has_diag(l, fences.back(), "a step may hold at most 4 lab blocks"));
  int errors = 0;
  for (const Diagnostic& d : l.diagnostics) errors += d.severity == Severity::Error;
  CHECK(errors == 1);
  REQUIRE(l.steps.size() == 2);
  int runnable = 0;
  for (const StepPart& p : l.steps[0].parts) runnable += p.kind == StepPart::Kind::Lab && p.block.ok();
  CHECK(runnable == kMaxLabBlocksPerStep);
  CHECK(l.steps[1].parts.back().block.ok());
}

TEST_CASE("lesson: no steps and empty steps are reported") {
  const Lesson a = lesson_parse("---\ntitle: T\n---\n", "a.md");
  CHECK(has_diag(a, 0, "no steps"));
  const Lesson b = lesson_parse("---\ntitle: T\n---\n## Empty\n## Full\ntext\n", "b.md");
  CHECK(has_diag(b, 4, "has no text", Severity::Warning));
  CHECK(b.steps.size() == 2);
}

TEST_CASE("lesson: a missing file becomes a diagnostic") {
  const Lesson l = lesson_load("/nonexistent/dir/x.md");
  CHECK(l.has_errors());
  CHECK(has_diag(l, 0, "not found"));
}

TEST_CASE("library: a missing folder, a file instead of a folder, and an empty folder give messages") {
  CHECK(library_load("/nonexistent/lessons").error.find("does not exist") != std::string::npos);
  const auto tmp = std::filesystem::temp_directory_path() / "embedlab_test_lib";
  std::filesystem::remove_all(tmp);
  std::filesystem::create_directories(tmp);
  CHECK(library_load(tmp.string()).error.find("no lesson files") != std::string::npos);
  std::ofstream(tmp / "file.md") << "---\ntitle: F\n---\n## S\ntext\n";
  CHECK(library_load((tmp / "file.md").string()).error.find("not a folder") != std::string::npos);
  std::filesystem::remove_all(tmp);
}

TEST_CASE("library: lessons sort by order, README is skipped, hot reload sees edits") {
  const auto tmp = std::filesystem::temp_directory_path() / "embedlab_test_reload";
  std::filesystem::remove_all(tmp);
  std::filesystem::create_directories(tmp);
  std::ofstream(tmp / "b.md") << "---\ntitle: B\norder: 1\n---\n## S\ntext\n";
  std::ofstream(tmp / "a.md") << "---\ntitle: A\norder: 2\n---\n## S\ntext\n";
  std::ofstream(tmp / "README.md") << "# not a lesson\n";
  LessonLibrary lib = library_load(tmp.string());
  REQUIRE(lib.lessons.size() == 2);
  CHECK(lib.lessons[0].title == "B");
  CHECK(lib.lessons[1].title == "A");
  CHECK_FALSE(library_reload_changed(lib));
  std::ofstream(tmp / "b.md") << "---\ntitle: B2\norder: 1\n---\n## S\ntext\n## T\nmore\n";
  std::filesystem::last_write_time(tmp / "b.md", std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
  std::ofstream(tmp / "c.md") << "---\ntitle: C\norder: 3\n---\n## S\ntext\n";
  CHECK(library_reload_changed(lib));
  REQUIRE(lib.lessons.size() == 3);
  CHECK(lib.lessons[0].title == "B2");
  CHECK(lib.lessons[0].steps.size() == 2);
  CHECK(lib.lessons[2].title == "C");
  std::filesystem::remove(tmp / "a.md");
  CHECK(library_reload_changed(lib));
  CHECK(lib.lessons.size() == 2);
  std::filesystem::remove_all(tmp);
}

TEST_CASE("session: next/prev cross lesson boundaries, routes round-trip, bad routes are refused") {
  Session s;
  s.library.lessons.push_back(lesson_parse("---\ntitle: One\n---\n## A\na\n## B\nb\n", "one.md"));
  s.library.lessons.push_back(lesson_parse("---\ntitle: Two\n---\n## C\nc\n", "two.md"));
  s.library.mtimes.resize(2);
  CHECK(session_route(s) == "one/1");
  CHECK_FALSE(session_prev(s));
  CHECK(session_next(s));
  CHECK(session_route(s) == "one/2");
  CHECK(session_next(s));
  CHECK(session_route(s) == "two/1");
  CHECK_FALSE(session_next(s));
  CHECK(session_prev(s));
  CHECK(session_route(s) == "one/2");
  std::string err;
  CHECK(session_apply_route(s, "#two/1", &err));
  CHECK(session_route(s) == "two/1");
  CHECK_FALSE(session_apply_route(s, "three/1", &err));
  CHECK(err.find("one, two") != std::string::npos);
  CHECK(session_route(s) == "two/1");
  CHECK_FALSE(session_apply_route(s, "one/x", &err));
  CHECK(session_apply_route(s, "one/99", &err));  // clamped to the last step, with a message
  CHECK(session_route(s) == "one/2");
  CHECK(err.find("2 steps") != std::string::npos);
}
