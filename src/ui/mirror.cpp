#include "ui/mirror.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "runtime/markdown_html.h"
#include "runtime/model_code.h"
#include "runtime/text.h"
#include "ui/block_text.h"
#include "ui/widgets/plot.h"

namespace lab::ui {

namespace {

using runtime::json_quote;

// A finite number as JSON ("null" for NaN and infinities: JSON has no spelling for them).
std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string json_bool(bool b) { return b ? "true" : "false"; }

// Builds a JSON object or array one member at a time, commas handled.
struct JsonList {
  std::string out;
  char close;
  bool first = true;
  explicit JsonList(char open) : out(1, open), close(open == '{' ? '}' : ']') {}
  JsonList& member(std::string_view key, const std::string& json_value) {
    out += first ? "" : ",";
    first = false;
    if (!key.empty()) out += json_quote(key) + ":";
    out += json_value;
    return *this;
  }
  JsonList& item(const std::string& json_value) { return member({}, json_value); }
  std::string str() const { return out + close; }
};

std::string step_route(const runtime::Lesson& l, int step) { return runtime::route_escape(l.id) + "/" + std::to_string(step + 1); }

const char* control_of(runtime::ParamType t) {
  switch (t) {
    case runtime::ParamType::Int:
    case runtime::ParamType::Float: return "range";
    case runtime::ParamType::Bool: return "checkbox";
    case runtime::ParamType::Choice: return "select";
    case runtime::ParamType::Text: break;
  }
  return "text";
}

const char* expect_state_name(ExpectLine::State s) {
  switch (s) {
    case ExpectLine::State::Holds: return "holds";
    case ExpectLine::State::Fails: return "fails";
    case ExpectLine::State::Student: return "student";
    case ExpectLine::State::Pending: break;
  }
  return "pending";
}

std::string knob_json(const runtime::LabBlock& block, const runtime::Knob& knob, const runtime::ParamSpec& spec,
                      const runtime::BlockConfig& config) {
  JsonList k('{');
  k.member("name", json_quote(spec.name)).member("doc", json_quote(spec.doc)).member("control", json_quote(control_of(spec.type)));
  if (spec.type == runtime::ParamType::Int || spec.type == runtime::ParamType::Float) {
    const double step = knob.step > 0 ? knob.step : spec.type == runtime::ParamType::Int ? 1.0 : 0.0;
    k.member("min", json_number(knob.min)).member("max", json_number(knob.max)).member("step", json_number(step));
    k.member("integer", json_bool(spec.type == runtime::ParamType::Int)).member("log", json_bool(knob.log_scale));
  }
  if (spec.type == runtime::ParamType::Choice) {
    JsonList choices('[');
    for (const std::string& c : spec.choices) choices.item(json_quote(c));
    k.member("choices", choices.str());
  }
  const auto it = config.values.find(spec.name);
  const runtime::ParamValue v = it != config.values.end() ? it->second : block.config.values.at(spec.name);
  k.member("value", json_quote(runtime::route_format_value(spec, v)));
  return k.str();
}

// The run controls the block has now (ui/block_text.h), and whether it is paused.
std::string controls_json(const runtime::BlockRun* run) {
  const RunControls controls = run ? run_controls(*run) : RunControls{};
  JsonList c('{');
  c.member("pause", json_bool(controls.pause)).member("reset", json_bool(controls.reset)).member("paused", json_bool(run && run->paused));
  return c.str();
}

std::string block_json(const LabApp& app, const runtime::LabBlock& block, int run_index, const runtime::BlockRun* run) {
  JsonList b('{');
  b.member("type", json_quote("block")).member("run", std::to_string(run_index));
  b.member("kind", json_quote(block.kind_name)).member("title", json_quote(block.title()));
  b.member("ok", json_bool(block.ok()));
  JsonList errors('[');
  if (!block.ok())
    for (const runtime::Diagnostic& d : block.diagnostics) errors.item(json_quote(runtime::diagnostic_format(d)));
  b.member("errors", errors.str());
  const runtime::Experiment* exp = run ? run->experiment.get() : nullptr;
  b.member("ready", json_bool(exp != nullptr));
  JsonList knobs('[');
  if (block.ok() && block.kind)
    for (const runtime::Knob& knob : block.knobs)
      if (const runtime::ParamSpec* spec = runtime::block_param_find(*block.kind, knob.param))
        knobs.item(knob_json(block, knob, *spec, run ? run->config : block.config));
  b.member("knobs", knobs.str());
  if (!exp) {
    b.member("progress", "null").member("progress_text", json_quote("")).member("status", json_quote(""));
    b.member("note", json_quote("")).member("controls", controls_json(run));
    b.member("expects", "[]").member("metrics", "[]").member("plots", "[]").member("code", "[]");
    return b.str();
  }
  const double progress = exp->done() ? 1.0 : double(exp->progress());
  b.member("progress", json_number(std::clamp(progress, 0.0, 1.0)));
  b.member("progress_text", json_quote(progress_line(*run)));
  const core::Status st = exp->status();
  b.member("status", json_quote(st.ok ? "" : st.message));
  const std::vector<runtime::Metric> metrics = exp->metrics();
  b.member("note", json_quote(expect_note(app.session, *run, block)));
  b.member("controls", controls_json(run));
  JsonList expects('[');
  for (const ExpectLine& line : expect_lines(app.session, *run, block, metrics)) {
    JsonList e('{');
    e.member("mark", json_quote(line.mark)).member("state", json_quote(expect_state_name(line.state))).member("text", json_quote(line.text));
    expects.item(e.str());
  }
  b.member("expects", expects.str());
  JsonList ms('[');
  for (const runtime::Metric& m : metrics) {
    const runtime::MetricSpec* spec = block.kind ? runtime::block_metric_find(*block.kind, m.name) : nullptr;
    JsonList j('{');
    j.member("name", json_quote(m.name)).member("value", json_quote(runtime::metric_text(m, 5))).member("doc", json_quote(spec ? spec->doc : ""));
    ms.item(j.str());
  }
  b.member("metrics", ms.str());
  JsonList plots('[');
  if (const auto it = app.ui.block_plots.find(run_index); it != app.ui.block_plots.end() && app.ui.block_plots_key == app.session.runs_key)
    for (const ImGuiID id : it->second)
      if (std::string d = plot_describe(id); !d.empty()) plots.item(json_quote(d));
  b.member("plots", plots.str());
  // The code beside the block's models (runtime/model_code.h), one entry per model: the page shows
  // each script as a <pre> under a "Code" heading.
  JsonList code('[');
  for (const runtime::ModelCode& c : exp->model_code()) {
    JsonList j('{');
    j.member("title", json_quote(c.title)).member("params", json_number(double(c.params)));
    j.member("keras", json_quote(c.keras)).member("pytorch", json_quote(c.pytorch));
    code.item(j.str());
  }
  b.member("code", code.str());
  return b.str();
}

}  // namespace

std::string mirror_key(const runtime::Session& s) {
  const runtime::Lesson* l = runtime::session_lesson(s);
  if (!l) return {};
  // With the library's size: when the site's other lessons arrive after the first frame (the revision
  // stays), the page renders the mirror again ("Lesson 3 of 11", the lessons list).
  return step_route(*l, s.step) + "@" + std::to_string(s.library.revision) + "/" + std::to_string(s.library.lessons.size());
}

std::string mirror_json(const LabApp& app) {
  const runtime::Session& s = app.session;
  const runtime::Lesson* lesson = runtime::session_lesson(s);
  JsonList root('{');
  root.member("key", json_quote(mirror_key(s)));
  root.member("lang", json_quote(lesson ? lesson->lang : "en"));
  root.member("theme", json_quote(theme_choice_name(app.ui.theme))).member("dark", json_bool(theme_is_dark(app)));
  JsonList lessons('[');
  for (const runtime::Lesson& l : s.library.lessons) {
    JsonList j('{');
    j.member("title", json_quote(l.title)).member("route", json_quote(step_route(l, 0)));
    lessons.item(j.str());
  }
  if (!lesson) {
    root.member("lesson", "null").member("lessons", lessons.str()).member("step", "null").member("steps", "[]");
    JsonList diags('[');
    diags.item(json_quote("No lessons to show: EmbedLab reads lessons from the '" + s.library.dir + "' folder. " + s.library.error));
    root.member("diagnostics", diags.str()).member("parts", "[]");
    return root.str();
  }
  const int count = int(lesson->steps.size());
  const int step = std::clamp(s.step, 0, std::max(0, count - 1));
  {
    JsonList j('{');
    j.member("id", json_quote(lesson->id)).member("title", json_quote(lesson->title));
    j.member("index", std::to_string(s.lesson)).member("count", std::to_string(s.library.lessons.size()));
    root.member("lesson", j.str());
  }
  root.member("lessons", lessons.str());
  // Previous / next cross lesson boundaries, as the canvas's buttons do (session_prev / session_next).
  std::string prev, next;
  if (step > 0) prev = step_route(*lesson, step - 1);
  else if (s.lesson > 0) {
    const runtime::Lesson& pl = s.library.lessons[size_t(s.lesson - 1)];
    prev = step_route(pl, std::max(0, int(pl.steps.size()) - 1));
  }
  if (step + 1 < count) next = step_route(*lesson, step + 1);
  else if (s.lesson + 1 < int(s.library.lessons.size())) next = step_route(s.library.lessons[size_t(s.lesson + 1)], 0);
  {
    JsonList j('{');
    j.member("index", std::to_string(step)).member("count", std::to_string(count));
    j.member("title", json_quote(count > 0 ? lesson->steps[size_t(step)].title : ""));
    j.member("route", json_quote(step_route(*lesson, step))).member("prev", json_quote(prev)).member("next", json_quote(next));
    root.member("step", j.str());
  }
  JsonList steps('[');
  for (int k = 0; k < count; ++k) {
    JsonList j('{');
    j.member("title", json_quote(lesson->steps[size_t(k)].title)).member("route", json_quote(step_route(*lesson, k)));
    steps.item(j.str());
  }
  root.member("steps", steps.str());
  JsonList diags('[');
  for (const runtime::Diagnostic& d : diagnostics_outside_blocks(*lesson)) diags.item(json_quote(runtime::diagnostic_format(d)));
  root.member("diagnostics", diags.str());
  JsonList parts('[');
  if (count > 0) {
    int run_index = 0;
    for (const runtime::StepPart& part : lesson->steps[size_t(step)].parts) {
      if (part.kind == runtime::StepPart::Kind::Prose) {
        JsonList p('{');
        p.member("type", json_quote("prose")).member("html", json_quote(runtime::markdown_to_html(part.text)));
        parts.item(p.str());
        continue;
      }
      // The runs belong to this step once session_update has built them (as block_view checks).
      const runtime::BlockRun* run = run_index < int(s.runs.size()) && runtime::session_run_block(s, s.runs[size_t(run_index)]) == &part.block
                                         ? &s.runs[size_t(run_index)] : nullptr;
      parts.item(block_json(app, part.block, run_index, run));
      ++run_index;
    }
  }
  root.member("parts", parts.str());
  return root.str();
}

core::Status mirror_knob(LabApp& app, const std::string& key, int run, const std::string& param, const std::string& value) {
  if (key != mirror_key(app.session)) {
    core::Status st{false, "that control belonged to a step no longer on screen; nothing was changed"};
    show_toast(app, st.message);
    return st;
  }
  return knob_set(app, run, param, value);
}

core::Status mirror_run(LabApp& app, const std::string& key, int run, const std::string& action) {
  core::Status st;
  runtime::Session& s = app.session;
  if (key != mirror_key(s)) {
    st = {false, "that control belonged to a step no longer on screen; nothing was changed"};
  } else if (run < 0 || run >= int(s.runs.size())) {
    st = {false, "the page named block " + std::to_string(run) + ", which this step does not have"};
  } else {
    runtime::BlockRun& r = s.runs[size_t(run)];
    const RunControls controls = run_controls(r);
    if ((action == "pause" || action == "resume") && controls.pause) r.paused = action == "pause";
    else if (action == "reset" && controls.reset) runtime::session_restart(s, run);
    else st = {false, "block " + std::to_string(run + 1) + " cannot " + action + " now"};
  }
  if (!st.ok) show_toast(app, st.message);
  return st;
}

std::optional<std::string> mirror_update(MirrorThrottle& t, const LabApp& app, double now_ms) {
  const std::string key = mirror_key(app.session);
  if (key == t.last_key && now_ms - t.last_ms < t.interval_ms) return std::nullopt;
  t.last_ms = now_ms;
  t.last_key = key;
  std::string json = mirror_json(app);
  if (json == t.last_json) return std::nullopt;
  t.last_json = json;
  return json;
}

}  // namespace lab::ui
