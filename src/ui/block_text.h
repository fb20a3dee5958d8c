// What a lab block says in words — its progress line and its expectations with ✓ / ✗ — written once
// for both faces of the lab: the ImGui block view draws these lines, and the page's accessible
// mirror (ui/mirror.h) hands the same lines to the DOM. No ImGui here.
#pragma once

#include <string>
#include <vector>

#include "runtime/session.h"

namespace lab::ui {

struct ExpectLine {
  enum class State { Pending, Holds, Fails, Student } state = State::Pending;
  std::string mark;  // "…" still running, "✓" holds, "✗" fails, "·" the student moved a knob
  std::string text;  // "expected: mean_abs_cos < 0.15   (now 0.0312)"
};

// One line per `expect` of the block, judged against `metrics` (the experiment's current values).
// ✓ / ✗ judge the lesson's claim only at the lesson's values (session_run_at_lesson_values) and on the
// lesson's data (not on data the student brought: DataSetInfo::students_own).
std::vector<ExpectLine> expect_lines(const runtime::Session& s, const runtime::BlockRun& run, const runtime::LabBlock& block,
                                     const std::vector<runtime::Metric>& metrics);
// Shown above the lines once the student moved a knob or brought their own data ("" while the block has
// the lesson's values and data).
std::string expect_note(const runtime::Session& s, const runtime::BlockRun& run, const runtime::LabBlock& block);

// "finished: epoch 20 / 20 in 3.12 s", "running: epoch 3 / 20 (15%)", "paused: …", or "" for an
// instant block (a table, a quiz) that has nothing to report.
std::string progress_line(const runtime::BlockRun& run);

// The run controls of a block, the same on the canvas and in the page's mirror: Pause / Resume while it
// runs or is paused (run.paused says which), Reset once it takes time (instant blocks, such as tables
// and quizzes, need neither).
struct RunControls {
  bool pause = false;
  bool reset = false;
};
RunControls run_controls(const runtime::BlockRun& run);

// The lesson's diagnostics that belong to no lab block (header, fences): shown at the top of every
// step; a block's own diagnostics show in the block.
std::vector<runtime::Diagnostic> diagnostics_outside_blocks(const runtime::Lesson& lesson);


}  // namespace lab::ui
