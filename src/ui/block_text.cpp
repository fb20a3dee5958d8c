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

std::string metric_text(double value) { return number(value, "%.5g"); }

std::vector<ExpectLine> expect_lines(const runtime::Session& s, const runtime::BlockRun& run, const runtime::LabBlock& block,
                                     const std::vector<runtime::Metric>& metrics) {
  std::vector<ExpectLine> out;
  const runtime::Experiment* exp = run.experiment.get();
  if (!exp) return out;
  const bool lesson_values = runtime::session_run_at_lesson_values(s, run);
  for (const runtime::Expect& e : block.expects) {
    double v = NAN;
    for (const runtime::Metric& m : metrics)
      if (m.name == e.metric) v = m.value;
    const bool ok = runtime::expect_holds(e, v);
    ExpectLine line;
    line.state = !exp->done() ? ExpectLine::State::Pending
               : !lesson_values ? ExpectLine::State::Student
               : ok ? ExpectLine::State::Holds : ExpectLine::State::Fails;
    line.mark = !exp->done() ? "…" : !lesson_values ? "·" : ok ? "✓" : "✗";
    const std::string what = lesson_values ? "expected" : "lesson's claim";
    const std::string now = lesson_values ? "now" : "yours";
    if (std::isfinite(v)) line.text = what + ": " + e.source + "   (" + now + " " + number(v, "%.4g") + ")";
    else if (exp->done()) line.text = what + ": " + e.source + "   (not measured)";
    else line.text = what + ": " + e.source + "   (not measured yet)";
    out.push_back(std::move(line));
  }
  return out;
}

std::string expect_note(const runtime::Session& s, const runtime::BlockRun& run, const runtime::LabBlock& block) {
  if (block.expects.empty() || runtime::session_run_at_lesson_values(s, run)) return {};
  return "The lesson's claims below hold at its own settings. You changed a setting, so each claim shows your value, "
         "without a ✓ or ✗; set the knobs back to judge them again.";
}

std::string progress_line(const runtime::BlockRun& run) {
  const runtime::Experiment* exp = run.experiment.get();
  if (!exp) return {};
  const bool takes_time = !exp->done() || run.paused || run.elapsed_ms > 30;
  if (!takes_time) return {};
  const std::string text = exp->progress_text();
  if (exp->done()) return "finished" + (text.empty() ? "" : ": " + text) + " in " + number(run.elapsed_ms / 1000.0, "%.2f") + " s";
  const float p = exp->progress();
  const std::string pct = std::isfinite(p) ? number(std::round(100.0 * std::clamp(double(p), 0.0, 1.0)), "%.0f") + "%" : "";
  return std::string(run.paused ? "paused" : "running") + (text.empty() ? "" : ": " + text) + (pct.empty() ? "" : " (" + pct + ")");
}

}  // namespace lab::ui
