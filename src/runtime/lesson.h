// A lesson as instructors write it: a Markdown file in lessons/ with a front-matter header and
// steps (level-2 headings). lesson_parse() never fails hard: whatever it cannot use becomes a
// line-numbered Diagnostic, and everything it can use is kept so the rest of the lesson still shows.
// The authoring guide is lessons/README.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lab::runtime {

enum class Severity { Error, Warning };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string file;     // path as given to the parser
  int line = 0;         // 1-based; 0 when the problem is the whole file
  std::string message;  // what is wrong and, where possible, what is valid
};

// "lessons/01-x.md:12: error: ..." — the format the headless runner prints and editors understand.
std::string diagnostic_format(const Diagnostic& d);

struct LessonStep {
  std::string title;
  std::string body;     // Markdown between this step's heading and the next
  int line = 0;         // line of the step heading (or 1 for the intro)
  int body_line = 0;    // line where body starts
};

struct Lesson {
  std::string id;       // file name without extension, e.g. "01-symbols"; used in deep links
  std::string path;
  std::string title;
  std::string summary;
  int order = 0;
  int minutes = 0;
  std::vector<LessonStep> steps;
  std::vector<Diagnostic> diagnostics;

  bool has_errors() const;
};

Lesson lesson_parse(std::string_view text, std::string_view path);
Lesson lesson_load(const std::string& path);  // reads the file, then lesson_parse; read errors become diagnostics

std::string lesson_id_from_path(std::string_view path);

}  // namespace lab::runtime
