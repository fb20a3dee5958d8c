// A lesson as instructors write it: a Markdown file in lessons/ with a front-matter header and
// steps (level-2 headings). lesson_parse() never fails hard: whatever it cannot use becomes a
// line-numbered Diagnostic, and everything it can use is kept so the rest of the lesson still shows.
// The authoring guide is lessons/README.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/diagnostic.h"
#include "runtime/lab_block.h"
#include "runtime/markdown.h"

namespace lab::runtime {

// A step is a sequence of parts: prose (Markdown, parsed once) and lab blocks, in file order.
struct StepPart {
  enum class Kind { Prose, Lab } kind = Kind::Prose;
  int line = 0;       // first line of the part in the file
  MdDoc doc;          // Prose
  std::string text;   // Prose: its Markdown as written (the page's HTML mirror renders the same source)
  LabBlock block;     // Lab
};

// A step's lab blocks all run at once, and a block at its parameters' maxima holds up to ~160 MiB
// (overfit-dropout: three 2048-wide nets with their activations, measured natively). Four of them
// stay well inside the web page's 1 GiB heap (core/memory_budget.h); a fifth block is an error.
constexpr int kMaxLabBlocksPerStep = 4;

struct LessonStep {
  std::string title;
  std::string body;     // Markdown between this step's heading and the next
  int line = 0;         // line of the step heading (or 1 for the intro)
  int body_line = 0;    // line where body starts
  std::vector<StepPart> parts;
};

struct Lesson {
  std::string id;       // file name without extension, e.g. "01-symbols"; used in deep links
  std::string path;
  std::string title;
  std::string summary;
  int order = 0;
  int minutes = 0;
  std::string lang = "en";  // language of the lesson's text (header 'lang', a BCP 47 tag): the page's <html lang>
  std::vector<LessonStep> steps;
  std::vector<Diagnostic> diagnostics;
  std::u32string characters;  // every character of the file beyond ASCII, sorted, once (the font atlas holds them)

  bool has_errors() const;
  int lab_block_count() const;
};

// The largest lesson file the lab reads (4 MiB; the page's fetch has the same cap, web/lessons_fetch.js).
constexpr size_t kLessonBytesMax = size_t(4) << 20;

Lesson lesson_parse(std::string_view text, std::string_view path);
Lesson lesson_load(const std::string& path);  // reads the file, then lesson_parse; read errors become diagnostics

std::string lesson_id_from_path(std::string_view path);

}  // namespace lab::runtime
