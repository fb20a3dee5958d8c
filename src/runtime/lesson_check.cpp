#include "runtime/lesson_check.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "core/build_info.h"

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

namespace {

// A kind's check_timeout_s is wall time in a release build; a sanitizer build gets proportionally more.
constexpr double kTimeScale = core::kBuildSlowdown;

// Runs an experiment to its end (or the kind's time limit); returns the seconds it took.
double run_to_end(Experiment* exp, double limit) {
  const auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0;
  while (exp && !exp->done() && exp->status().ok && elapsed < limit) {
    exp->step(50.0);
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  return elapsed;
}

// The control run of a block: its kind's control applied to the lesson's values. Returns false (and
// says why in *why) when the kind has no control or the control could not run.
bool control_metrics(const LabBlock& block, std::vector<Metric>& out, std::string* why) {
  const BlockControl& c = block.kind->control;
  if (c.description.empty()) return false;
  BlockConfig config = block.config;
  for (const auto& [name, value] : c.set) {
    const ParamSpec* spec = block_param_find(*block.kind, name);
    if (!spec) {
      *why = "the control of '" + block.kind_name + "' sets an unknown parameter '" + name + "'";
      return false;
    }
    if (core::Status st = block_set_value(config, *spec, value); !st) {
      *why = "the control of '" + block.kind_name + "' is invalid: " + st.message;
      return false;
    }
  }
  std::unique_ptr<Experiment> exp = block.kind->make(config);
  run_to_end(exp.get(), kTimeScale * block.kind->check_timeout_s);
  if (!exp || !exp->done() || !exp->status().ok) {
    *why = "the control (" + c.description + ") did not finish" + (exp && !exp->status().ok ? ": " + exp->status().message : "");
    return false;
  }
  out = exp->metrics();
  return true;
}

}  // namespace

LessonCheck lesson_check(const Lesson& lesson, const LessonCheckOptions& options) {
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
      std::unique_ptr<Experiment> exp = block.kind->make(block.config);
      const double limit = kTimeScale * block.kind->check_timeout_s;
      const double elapsed = run_to_end(exp.get(), limit);
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
      if (options.controls && exp && exp->done() && exp->status().ok) {
        std::vector<Metric> null_metrics;
        std::string why;
        const bool has_effects = std::any_of(block.expects.begin(), block.expects.end(), [&](const Expect& e) {
          const MetricSpec* m = block_metric_find(*block.kind, e.metric);
          return m && !m->identity;
        });
        if (has_effects && control_metrics(block, null_metrics, &why)) {
          for (const Expect& e : block.expects) {
            const MetricSpec* spec = block_metric_find(*block.kind, e.metric);
            if (!spec || spec->identity) continue;
            double v = NAN;
            for (const Metric& m : null_metrics)
              if (m.name == e.metric) v = m.value;
            if (expect_holds(e, v))
              out.diagnostics.push_back({Severity::Error, lesson.path, e.line,
                                         "expect " + e.source + " also holds for " + block.kind->control.description +
                                             " (" + e.metric + " = " + fmt(v) + "): it does not show the effect"});
          }
        } else if (has_effects && !why.empty()) {
          error(why);
        } else if (has_effects) {
          out.diagnostics.push_back({Severity::Warning, lesson.path, block.line,
                                     "'" + block.kind_name + "' has no control run yet: its expects are not checked against a null"});
        }
      }
      out.blocks.push_back(std::move(bc));
    }
  }
  return out;
}

}  // namespace lab::runtime
