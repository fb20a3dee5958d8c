#include "runtime/lesson_check.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace lab::runtime {

bool LessonCheck::ok() const {
  for (const Diagnostic& d : diagnostics)
    if (d.severity == Severity::Error) return false;
  return true;
}

static std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

LessonCheck lesson_check(const Lesson& lesson) {
  LessonCheck out;
  out.diagnostics = lesson.diagnostics;
  for (const LessonStep& step : lesson.steps) {
    for (const StepPart& part : step.parts) {
      if (part.kind != StepPart::Kind::Lab) continue;
      const LabBlock& block = part.block;
      BlockCheck bc;
      bc.line = block.line;
      bc.kind = block.kind_name;
      bc.title = block.title();
      if (!block.ok()) {
        out.blocks.push_back(bc);
        continue;  // its errors are already in the diagnostics
      }
      auto error = [&](std::string msg) { out.diagnostics.push_back({Severity::Error, lesson.path, block.line, std::move(msg)}); };
      const auto t0 = std::chrono::steady_clock::now();
      std::unique_ptr<Experiment> exp = block.kind->make(block.config);
      const double limit = block.kind->check_timeout_s;
      double elapsed = 0;
      while (exp && !exp->done() && exp->status().ok && elapsed < limit) {
        exp->step(50.0);
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      }
      bc.ran = true;
      bc.seconds = elapsed;
      if (!exp) {
        error("'" + block.kind_name + "' could not start");
      } else if (!exp->status().ok) {
        error("'" + block.kind_name + "' stopped: " + exp->status().message);
      } else if (!exp->done()) {
        error("'" + block.kind_name + "' did not finish within " + fmt(limit) + " s; make it smaller (fewer epochs, points or iterations)");
      }
      if (exp) bc.metrics = exp->metrics();
      for (const Metric& m : bc.metrics)
        if (!std::isfinite(m.value)) error("metric '" + m.name + "' is not a finite number");
      // The kind's metric declarations are a contract (lab_block.h, MetricSpec::when): a finished
      // block reports exactly the metrics its values promise, so an expect the parser accepted can
      // always be measured.
      if (exp && exp->done() && exp->status().ok) {
        for (const MetricSpec& spec : block.kind->metrics) {
          bool reported = false;
          for (const Metric& m : bc.metrics) reported |= m.name == spec.name;
          if (reported != metric_measured(spec, block.config))
            error("'" + block.kind_name + "' " + (reported ? "reported" : "did not report") + " metric '" + spec.name +
                  "', but its schema says it is " + (reported ? "not " : "") + "measured with these values" +
                  (spec.when.empty() ? "" : " (when " + spec.when + ")") +
                  ": fix the metric's 'when' in src/runtime/blocks/");
        }
      }
      for (const Expect& e : block.expects) {
        double v = NAN;
        for (const Metric& m : bc.metrics)
          if (m.name == e.metric) v = m.value;
        if (!expect_holds(e, v))
          out.diagnostics.push_back({Severity::Error, lesson.path, e.line,
                                     "expect " + e.source + " failed: " + e.metric + " = " +
                                         (std::isnan(v) ? std::string("(not measured)") : fmt(v))});
      }
      out.blocks.push_back(std::move(bc));
    }
  }
  return out;
}

}  // namespace lab::runtime
