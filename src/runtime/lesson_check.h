// The headless lesson runner: validates a lesson, runs every lab block with the lesson's values to
// completion, and evaluates its `expect` clauses. Used by `embedlab lesson check` and by the test
// suite over every shipped lesson.
#pragma once

#include <string>
#include <vector>

#include "runtime/lesson.h"

namespace lab::runtime {

struct BlockCheck {
  int line = 0;
  std::string kind;
  std::string title;
  std::vector<Metric> metrics;  // at the end of the run
  double seconds = 0;
  bool ran = false;             // false if the block had errors and was skipped
};

struct LessonCheck {
  std::vector<Diagnostic> diagnostics;  // parse/validation errors and warnings, failed expects, run failures
  std::vector<BlockCheck> blocks;
  bool ok() const;
};

struct LessonCheckOptions {
  // Also run every block's control (lab_block.h, BlockControl) and fail each expect on an effect
  // that holds for the control too: "expect ... also holds for <control> (...): it does not show
  // the effect".
  bool controls = false;
};

LessonCheck lesson_check(const Lesson& lesson, const LessonCheckOptions& options = {});

}  // namespace lab::runtime
