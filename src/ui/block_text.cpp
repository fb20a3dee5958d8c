#include "ui/block_text.h"

#include <cmath>
#include <algorithm>
#include <cstdio>

namespace lab::ui {

namespace {

std::string number(double v, const char* fmt) {
  if (std::isnan(v)) return "not a number";
  if (std::isinf(v)) return v > 0 ? "infinity" : "minus infinity";
  char buf[48];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

}  // namespace

std::vector<runtime::Diagnostic> diagnostics_outside_blocks(const runtime::Lesson& lesson) {
  std::vector<runtime::Diagnostic> general;
  for (const runtime::Diagnostic& d : lesson.diagnostics) {
    bool in_block = false;
    for (const runtime::LessonStep& st : lesson.steps)
      for (const runtime::StepPart& p : st.parts)
        if (p.kind == runtime::StepPart::Kind::Lab)
          for (const runtime::Diagnostic& bd : p.block.diagnostics) in_block |= bd.line == d.line && bd.message == d.message;
    if (!in_block) general.push_back(d);
  }
  return general;
}

std::vector<ExpectLine> expect_lines(const runtime::Session& s, const runtime::BlockRun& run, const runtime::LabBlock& block,
                                     const std::vector<runtime::Metric>& metrics) {
  std::vector<ExpectLine> out;
  const runtime::Experiment* exp = run.experiment.get();
  if (!exp) return out;
  const bool lesson_values = runtime::session_run_at_lesson_values(s, run);
  const bool own_data = exp->data_set().students_own;  // the claims were set for the lesson's data
  using State = runtime::ExpectResult::State;
  for (const runtime::Expect& e : block.expects) {
    const runtime::ExpectResult r = runtime::expect_evaluate(e, metrics);
    const bool judged = exp->done() && lesson_values && !own_data && r.state != State::Undefined;
    ExpectLine line;
    line.state = !exp->done() ? ExpectLine::State::Pending
               : !judged ? ExpectLine::State::Student
               : r.holds() ? ExpectLine::State::Holds : ExpectLine::State::Fails;
    line.mark = !exp->done() ? "…" : !judged ? "·" : r.holds() ? "✓" : "✗";
    const std::string what = (own_data ? "set for the lesson's data: " : lesson_values ? "expected: " : "lesson's claim: ") + e.source;
    // Both sides as the student reads them: "memorised_2 = 0.535, memorised_1 - 0.3 = 0.64".
    if (r.state == State::Undefined) line.text = what + "   (not defined here: " + r.values + ")";
    else if (r.state != State::NotMeasured) line.text = what + "   (" + (lesson_values && !own_data ? "now " : "yours: ") + r.values + ")";
    else if (exp->done()) line.text = what + "   (not measured)";
    else line.text = what + "   (not measured yet)";
    out.push_back(std::move(line));
  }
  return out;
}

std::string expect_note(const runtime::Session& s, const runtime::BlockRun& run, const runtime::LabBlock& block) {
  if (block.expects.empty()) return {};
  if (run.experiment && run.experiment->data_set().students_own)
    return "The lesson's claims below were set for the lesson's own data, not checked on yours: each shows your value, "
           "without a ✓ or ✗. Go back to the lesson's data to judge them.";
  if (runtime::session_run_at_lesson_values(s, run)) return {};
  return "The lesson's claims below hold at its own settings. You changed a setting, so each claim shows your value, "
         "without a ✓ or ✗; set the knobs back to judge them again.";
}

RunControls run_controls(const runtime::BlockRun& run) {
  const runtime::Experiment* exp = run.experiment.get();
  if (!exp) return {};
  return {!exp->done() || run.paused, !exp->done() || run.paused || run.elapsed_ms > 30};
}

std::string progress_line(const runtime::BlockRun& run) {
  const runtime::Experiment* exp = run.experiment.get();
  if (!exp || !run_controls(run).reset) return {};
  const std::string text = exp->progress_text();
  if (exp->done())
    return "finished" + (text.empty() ? "" : ": " + text) + " in " + number((run.elapsed_ms + exp->worker_ms()) / 1000.0, "%.2f") + " s";
  const float p = exp->progress();
  const std::string pct = std::isfinite(p) ? number(std::round(100.0 * std::clamp(double(p), 0.0, 1.0)), "%.0f") + "%" : "";
  return std::string(run.paused ? "paused" : "running") + (text.empty() ? "" : ": " + text) + (pct.empty() ? "" : " (" + pct + ")");
}

}  // namespace lab::ui
