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

// A control run of a block: `control` applied to the lesson's values. Returns false (and says why in
// *why) when the control could not run.
bool control_metrics(const LabBlock& block, const BlockControl& c, std::vector<Metric>& out, std::string* why) {
  BlockConfig config = block.config;
  for (const auto& [name, value] : c.set) {
    const ParamSpec* spec = block_param_find(*block.kind, name);
    if (!spec) {
      *why = "a control of '" + block.kind_name + "' sets an unknown parameter '" + name + "'";
      return false;
    }
    if (core::Status st = block_set_value(config, *spec, value); !st) {
      *why = "a control of '" + block.kind_name + "' is invalid: " + st.message;
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

// Runs every control of the block and reports each expect on an effect that holds for all of them
// (it shows none of the effects the controls remove). A kind without controls but with expects on
// effects is an error: its checks cannot be tested against a null.
void check_controls(const Lesson& lesson, const LabBlock& block, std::vector<Diagnostic>& out) {
  auto is_effect = [&](const Expect& e) {
    const MetricSpec* m = block_metric_find(*block.kind, e.metric);
    return m && !m->identity;
  };
  if (std::none_of(block.expects.begin(), block.expects.end(), is_effect)) return;
  if (block.kind->controls.empty()) {
    out.push_back({Severity::Error, lesson.path, block.line,
                   "'" + block.kind_name + "' has no control: its expects on effects cannot be checked against a null"});
    return;
  }
  std::vector<std::vector<Metric>> nulls;
  for (const BlockControl& c : block.kind->controls) {
    std::string why;
    nulls.emplace_back();
    if (!control_metrics(block, c, nulls.back(), &why)) {
      out.push_back({Severity::Error, lesson.path, block.line, why});
      return;
    }
  }
  for (const Expect& e : block.expects) {
    if (!is_effect(e)) continue;
    std::string held;
    bool all_hold = true;
    for (size_t i = 0; i < nulls.size() && all_hold; ++i) {
      const ExpectResult r = expect_evaluate(e, nulls[i]);
      all_hold = r.holds();
      held += (held.empty() ? "" : "; and for ") + block.kind->controls[i].description + " (" + r.values + ")";
    }
    if (all_hold)
      out.push_back({Severity::Error, lesson.path, e.line,
                     "expect " + e.source + " also holds for " + held + ": it does not show the effect"});
  }
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
        if (m.defined() && !std::isfinite(m.value)) error("metric '" + m.name + "' is not a finite number");
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
        const ExpectResult r = expect_evaluate(e, bc.metrics);
        if (r.state == ExpectResult::State::Undefined)
          out.diagnostics.push_back({Severity::Error, lesson.path, e.line,
                                     "expect " + e.source + " is not defined here: " + r.values});
        else if (!r.holds())
          out.diagnostics.push_back({Severity::Error, lesson.path, e.line, "expect " + e.source + " failed: " + r.values});
      }
      if (options.controls && exp && exp->done() && exp->status().ok) check_controls(lesson, block, out.diagnostics);
      out.blocks.push_back(std::move(bc));
    }
  }
  return out;
}

}  // namespace lab::runtime
