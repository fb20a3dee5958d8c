#include "runtime/lab_block.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "runtime/text.h"

namespace lab::runtime {

const char* param_type_name(ParamType t) {
  switch (t) {
    case ParamType::Int: return "whole number";
    case ParamType::Float: return "number";
    case ParamType::Bool: return "yes/no";
    case ParamType::Choice: return "choice";
    case ParamType::Text: return "text";
  }
  return "?";
}

const ParamSpec* block_param_find(const BlockKind& kind, std::string_view name) {
  for (const ParamSpec& p : kind.params)
    if (p.name == name) return &p;
  return nullptr;
}

void metrics_mark_identity(BlockKind& kind, std::initializer_list<std::string_view> names) {
  for (MetricSpec& m : kind.metrics)
    for (std::string_view n : names) m.identity |= m.name == n;
}

void metrics_mark_all_identity(BlockKind& kind) {
  for (MetricSpec& m : kind.metrics) m.identity = true;
}

const MetricSpec* block_metric_find(const BlockKind& kind, std::string_view name) {
  for (const MetricSpec& m : kind.metrics)
    if (m.name == name) return &m;
  return nullptr;
}

double BlockConfig::num(std::string_view name) const {
  const auto it = values.find(name);
  return it == values.end() ? 0.0 : it->second.number;
}
int BlockConfig::integer(std::string_view name) const { return int(std::lround(num(name))); }
bool BlockConfig::flag(std::string_view name) const { return num(name) != 0; }
const std::string& BlockConfig::text(std::string_view name) const {
  static const std::string empty;
  const auto it = values.find(name);
  return it == values.end() ? empty : it->second.text;
}

namespace {

bool compare(CmpOp op, double v, double rhs, double tolerance) {
  switch (op) {
    case CmpOp::Less: return v < rhs;
    case CmpOp::LessEq: return v <= rhs;
    case CmpOp::Greater: return v > rhs;
    case CmpOp::GreaterEq: return v >= rhs;
    case CmpOp::Approx: return std::abs(v - rhs) <= tolerance;
  }
  return false;
}

const Metric* metric_in(const std::vector<Metric>& metrics, const std::string& name) {
  for (const Metric& m : metrics)
    if (m.name == name) return &m;
  return nullptr;
}

std::string operand_text(const ExpectOperand& o) {
  char buf[48];
  std::string s;
  if (o.scale != 1) { std::snprintf(buf, sizeof buf, "%g * ", o.scale); s += buf; }
  s += o.metric;
  if (o.offset != 0) { std::snprintf(buf, sizeof buf, " %c %g", o.offset < 0 ? '-' : '+', std::abs(o.offset)); s += buf; }
  return s;
}

}  // namespace

ExpectResult expect_evaluate(const Expect& e, const std::vector<Metric>& metrics) {
  ExpectResult r;
  const Metric* lhs = metric_in(metrics, e.metric);
  const Metric* rhs = e.rhs.metric.empty() ? nullptr : metric_in(metrics, e.rhs.metric);
  if (!lhs || (!e.rhs.metric.empty() && !rhs)) {
    r.why = (lhs ? e.rhs.metric : e.metric) + " is not measured";
    r.values = "(not measured)";
    return r;
  }
  for (const Metric* m : {lhs, rhs})
    if (m && !m->defined()) {
      r.state = ExpectResult::State::Undefined;
      r.why = m->undefined;
      r.values = m->name + " is n/a: " + m->undefined;
      return r;
    }
  r.lhs = lhs->value;
  r.rhs = rhs ? e.rhs.scale * rhs->value + e.rhs.offset : e.rhs.offset;
  r.values = e.metric + " = " + metric_text(*lhs, 4);
  if (rhs) r.values += ", " + operand_text(e.rhs) + " = " + metric_text(Metric{"", r.rhs}, 4);
  const bool finite = std::isfinite(r.lhs) && std::isfinite(r.rhs);
  r.state = finite && compare(e.op, r.lhs, r.rhs, e.tolerance) ? ExpectResult::State::Holds : ExpectResult::State::Fails;
  return r;
}

bool LabBlock::ok() const {
  if (!kind) return false;
  for (const Diagnostic& d : diagnostics)
    if (d.severity == Severity::Error) return false;
  return true;
}

std::string LabBlock::title() const {
  const std::string& t = config.text("title");
  return t.empty() ? (kind ? kind->summary : kind_name) : t;
}

namespace {

std::optional<double> parse_number(std::string_view s) {
  s = trim(s);
  if (s.empty() || s.size() > 64) return std::nullopt;
  char buf[72];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  char* end = nullptr;
  const double v = std::strtod(buf, &end);
  if (end != buf + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// The right-hand side of an expect: NUMBER, or [NUMBER *] METRIC [+ NUMBER | - NUMBER].
// Returns "" or the error message.
std::string expect_operand_parse(std::string_view text, ExpectOperand& out) {
  text = trim(text);
  out = {};
  if (const auto v = parse_number(text)) {
    out.offset = *v;
    return {};
  }
  const std::string form = "a number or 'METRIC', '2 * METRIC', 'METRIC - 0.3' after the comparison, got '" +
                           std::string(text) + "'";
  if (const size_t star = text.find('*'); star != std::string_view::npos) {
    const auto scale = parse_number(text.substr(0, star));
    if (!scale) return "expect needs " + form;
    out.scale = *scale;
    text = trim(text.substr(star + 1));
  }
  size_t n = 0;
  while (n < text.size() && (std::isalnum(static_cast<unsigned char>(text[n])) || text[n] == '_')) ++n;
  if (n == 0 || std::isdigit(static_cast<unsigned char>(text[0]))) return "expect needs " + form;
  out.metric = std::string(text.substr(0, n));
  std::string_view rest = trim(text.substr(n));
  if (rest.empty()) return {};
  if (rest[0] != '+' && rest[0] != '-') return "expect needs " + form;
  const auto shift = parse_number(rest.substr(1));
  if (!shift) return "expect needs " + form;
  out.offset = rest[0] == '-' ? -*shift : *shift;
  return {};
}

std::string fmt_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string list_names(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

std::vector<std::string> param_names(const BlockKind& kind) {
  std::vector<std::string> names;
  for (const ParamSpec& p : kind.params) names.push_back(p.name);
  return names;
}

std::vector<std::string> kind_names() {
  std::vector<std::string> names;
  for (const BlockKind* k : block_kinds()) names.push_back(k->name);
  return names;
}

// "(did you mean 'dim'? parameters: title, dim, pairs)" for a misspelt `word`.
std::string valid_params(const BlockKind& kind, std::string_view word) {
  const std::vector<std::string> names = param_names(kind);
  return "(" + did_you_mean(word, names) + "parameters: " + list_names(names) + ")";
}

std::string valid_metrics(const BlockKind& kind, std::string_view word) {
  std::vector<std::string> names;
  for (const MetricSpec& m : kind.metrics) names.push_back(m.name);
  if (names.empty()) return "(none: this kind has no metrics)";
  return "(" + did_you_mean(word, names) + "metrics: " + list_names(names) + ")";
}

std::string range_text(const ParamSpec& spec) {
  if (spec.type == ParamType::Choice) return "one of: " + list_names(spec.choices);
  if (spec.type == ParamType::Bool) return "yes or no";
  if (spec.type == ParamType::Text) return "text";
  return "a " + std::string(param_type_name(spec.type)) + " from " + fmt_number(spec.min) + " to " + fmt_number(spec.max);
}

// A value that failed to parse and holds a '#' right after a blank was probably meant to end in a comment.
std::string comment_hint(std::string_view text) {
  for (size_t i = 1; i < text.size(); ++i)
    if (text[i] == '#' && (text[i - 1] == ' ' || text[i - 1] == '\t'))
      return " (a comment needs a space after its '#': ' # ')";
  return text.substr(0, 1) == "#" ? " (a comment needs a space after its '#': ' # ')" : "";
}

// One clause of a metric's `when`: "PARAM OP VALUE".
struct Condition {
  std::string param, op, value;
};

// Splits "a = x and b >= 0" into clauses; false if a clause is not three words with a known operator.
bool conditions_parse(std::string_view when, std::vector<Condition>& out) {
  out.clear();
  while (!trim(when).empty()) {
    const size_t and_at = when.find(" and ");
    const std::string_view clause = trim(when.substr(0, and_at));
    when = and_at == std::string_view::npos ? std::string_view() : when.substr(and_at + 5);
    std::vector<std::string> words;
    for (size_t i = 0; i < clause.size();) {
      const size_t sp = clause.find(' ', i);
      const std::string_view w = clause.substr(i, sp == std::string_view::npos ? std::string_view::npos : sp - i);
      if (!w.empty()) words.emplace_back(w);
      if (sp == std::string_view::npos) break;
      i = sp + 1;
    }
    static const char* const ops[] = {"=", "!=", "<", "<=", ">", ">="};
    if (words.size() != 3 || std::find(std::begin(ops), std::end(ops), words[1]) == std::end(ops)) return false;
    out.push_back({words[0], words[1], words[2]});
  }
  return true;
}

// Whether `c` holds for the block's values; for a text or choice parameter only = and != apply.
bool condition_holds(const Condition& c, const ParamSpec& spec, const ParamValue& v) {
  if (spec.type == ParamType::Choice || spec.type == ParamType::Text)
    return (v.text == c.value) == (c.op == "=");
  const bool yes = c.value == "yes" || c.value == "true" || c.value == "on" || c.value == "1";
  const double rhs = spec.type == ParamType::Bool ? (yes ? 1.0 : 0.0) : parse_number(c.value).value_or(NAN);
  const double x = v.number;
  if (c.op == "=") return x == rhs;
  if (c.op == "!=") return x != rhs;
  if (c.op == "<") return x < rhs;
  if (c.op == "<=") return x <= rhs;
  if (c.op == ">") return x > rhs;
  return x >= rhs;
}

}  // namespace

bool metric_measured(const MetricSpec& metric, const BlockConfig& config, std::string* why) {
  std::vector<Condition> conds;
  if (metric.when.empty() || !config.kind || !conditions_parse(metric.when, conds)) return true;
  bool all = true;
  std::string failing;
  for (const Condition& c : conds) {
    const ParamSpec* spec = block_param_find(*config.kind, c.param);
    const auto it = config.values.find(c.param);
    if (!spec || it == config.values.end() || condition_holds(c, *spec, it->second)) continue;
    all = false;
    failing += (failing.empty() ? "" : ", ") + c.param + " = " + block_format_value(*spec, it->second);
  }
  if (!all && why) *why = metric.when + " (this block has " + failing + ")";
  return all;
}

core::Status metric_conditions_check(const BlockKind& kind) {
  for (const MetricSpec& m : kind.metrics) {
    std::vector<Condition> conds;
    const std::string where = kind.name + " metric '" + m.name + "': when '" + m.when + "'";
    if (!conditions_parse(m.when, conds)) return core::Status::error(where + " is not 'PARAM OP VALUE [and ...]'");
    for (const Condition& c : conds) {
      const ParamSpec* spec = block_param_find(kind, c.param);
      if (!spec) return core::Status::error(where + " names no parameter '" + c.param + "'");
      BlockConfig probe;
      probe.kind = &kind;
      const bool textual = spec->type == ParamType::Choice || spec->type == ParamType::Text;
      if (textual && c.op != "=" && c.op != "!=") return core::Status::error(where + ": only = and != compare text");
      if (spec->type != ParamType::Text && !block_set_value(probe, *spec, c.value))
        return core::Status::error(where + ": '" + c.value + "' is not a valid value of '" + c.param + "'");
    }
  }
  return {};
}

std::string block_format_value(const ParamSpec& spec, const ParamValue& v) {
  switch (spec.type) {
    case ParamType::Int: return std::to_string(std::lround(v.number));
    case ParamType::Float: return fmt_number(v.number);
    case ParamType::Bool: return v.number != 0 ? "yes" : "no";
    default: return v.text;
  }
}

core::Status block_set_value(BlockConfig& config, const ParamSpec& spec, std::string_view raw) {
  const std::string_view text = trim(raw);
  ParamValue v;
  switch (spec.type) {
    case ParamType::Int:
    case ParamType::Float: {
      const auto n = parse_number(text);
      if (!n) return core::Status::error("'" + spec.name + "' must be " + range_text(spec) + ", got '" + std::string(text) + "'");
      if (spec.type == ParamType::Int && *n != std::floor(*n))
        return core::Status::error("'" + spec.name + "' must be a whole number, got '" + std::string(text) + "'");
      if (*n < spec.min || *n > spec.max)
        return core::Status::error("'" + spec.name + "' = " + std::string(text) + " is out of range: " + range_text(spec));
      v.number = *n;
      break;
    }
    case ParamType::Bool:
      if (text == "yes" || text == "true" || text == "on" || text == "1") v.number = 1;
      else if (text == "no" || text == "false" || text == "off" || text == "0") v.number = 0;
      else return core::Status::error("'" + spec.name + "' must be yes or no, got '" + std::string(text) + "'");
      break;
    case ParamType::Choice: {
      bool found = false;
      for (size_t i = 0; i < spec.choices.size(); ++i)
        if (spec.choices[i] == text) {
          found = true;
          v.number = double(i);
        }
      if (!found)
        return core::Status::error("'" + spec.name + "' must be one of: " + list_names(spec.choices) + "; got '" +
                                   std::string(text) + "'" +
                                   (name_closest(text, spec.choices).empty()
                                        ? std::string()
                                        : " (did you mean '" + name_closest(text, spec.choices) + "'?)"));
      v.text = std::string(text);
      break;
    }
    case ParamType::Text:
      if (text.size() > spec.max_text)
        return core::Status::error("'" + spec.name + "' is " + std::to_string(text.size()) + " bytes long; the limit is " +
                                   std::to_string(spec.max_text));
      v.text = std::string(text);
      break;
  }
  config.values[spec.name] = std::move(v);
  return {};
}

static void fill_defaults(BlockConfig& config) {
  for (const ParamSpec& p : config.kind->params) {
    ParamValue v;
    v.number = p.def;
    v.text = p.def_text;
    if (p.type == ParamType::Choice)
      for (size_t i = 0; i < p.choices.size(); ++i)
        if (p.choices[i] == p.def_text) v.number = double(i);
    config.values[p.name] = std::move(v);
  }
}

LabBlock lab_block_parse(std::string_view kind_name, std::string_view body, const std::string& file, int fence_line,
                         int first_line) {
  LabBlock block;
  block.kind_name = std::string(trim(kind_name));
  block.line = fence_line;
  auto error = [&](int line, std::string msg) { block.diagnostics.push_back({Severity::Error, file, line, std::move(msg)}); };

  if (block.kind_name.empty()) {
    error(fence_line, "a lab block needs a kind after ```lab (kinds: " + list_names(kind_names()) + ")");
    return block;
  }
  block.kind = block_kind_find(block.kind_name);
  if (!block.kind) {
    const std::vector<std::string> names = kind_names();
    error(fence_line, "unknown lab block kind '" + block.kind_name + "' (" + did_you_mean(block.kind_name, names) +
                          "kinds: " + list_names(names) + ")");
    return block;
  }
  const BlockKind& kind = *block.kind;
  block.config.kind = &kind;
  fill_defaults(block.config);

  std::map<std::string, int> seen;
  int line_no = first_line - 1;
  int value_line = 0;  // the last 'parameter: value' line, for the hint on a continued value
  for (std::string_view raw : split_lines(body)) {
    ++line_no;
    const bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
    const std::string_view full = trim(raw);
    if (full.empty() || full[0] == '#') continue;
    const std::string_view line = line_strip_comment(full);  // knob and expect lines; values parse their own
    const int previous_value_line = value_line;
    value_line = 0;

    if (line.substr(0, 5) == "knob " || line == "knob") {
      std::string_view rest = trim(line.substr(4));
      const size_t colon = rest.find(':');
      const std::string name(trim(rest.substr(0, colon)));
      const ParamSpec* spec = block_param_find(kind, name);
      if (!spec) {
        error(line_no, "knob on unknown parameter '" + name + "' of '" + kind.name + "' " + valid_params(kind, name));
        continue;
      }
      Knob knob;
      knob.param = name;
      knob.line = line_no;
      knob.min = spec->min;
      knob.max = spec->max;
      knob.log_scale = spec->log_scale;
      if (colon != std::string_view::npos) {
        // "MIN .. MAX [step S] [log|linear]"
        std::string_view spec_text = trim(rest.substr(colon + 1));
        const size_t dots = spec_text.find("..");
        if (dots == std::string_view::npos) {
          error(line_no, "knob range must look like 'knob " + name + ": MIN .. MAX [step S] [log]'");
          continue;
        }
        std::string_view after = trim(spec_text.substr(dots + 2));
        const size_t sp = after.find(' ');
        const auto lo = parse_number(spec_text.substr(0, dots));
        const auto hi = parse_number(after.substr(0, sp));
        if (!lo || !hi || *lo >= *hi) {
          error(line_no, "knob range of '" + name + "' must be two numbers MIN .. MAX with MIN < MAX");
          continue;
        }
        knob.min = *lo;
        knob.max = *hi;
        std::string_view opts = sp == std::string_view::npos ? std::string_view() : trim(after.substr(sp));
        bool bad = false;
        while (!opts.empty()) {
          const size_t e = opts.find(' ');
          const std::string_view word = opts.substr(0, e);
          opts = e == std::string_view::npos ? std::string_view() : trim(opts.substr(e));
          if (word == "log") knob.log_scale = true;
          else if (word == "linear") knob.log_scale = false;
          else if (word == "step") {
            const size_t e2 = opts.find(' ');
            const auto st = parse_number(opts.substr(0, e2));
            opts = e2 == std::string_view::npos ? std::string_view() : trim(opts.substr(e2));
            if (!st || *st <= 0) {
              error(line_no, "'step' needs a positive number");
              bad = true;
            } else {
              knob.step = *st;
            }
          } else {
            static const std::vector<std::string> options = {"step", "log", "linear"};
            error(line_no, "unknown knob option '" + std::string(word) + "' (" + did_you_mean(word, options) +
                               "options: step S, log, linear)" + comment_hint(word));
            bad = true;
          }
        }
        if (bad) continue;
        if (spec->type == ParamType::Int || spec->type == ParamType::Float) {
          if (knob.min < spec->min || knob.max > spec->max) {
            error(line_no, "knob range " + fmt_number(knob.min) + " .. " + fmt_number(knob.max) + " of '" + name +
                               "' goes outside its valid range " + fmt_number(spec->min) + " .. " + fmt_number(spec->max));
            continue;
          }
        }
        if (knob.log_scale && knob.min <= 0) {
          error(line_no, "a log-scale knob needs MIN > 0");
          continue;
        }
      } else if (knob.log_scale && knob.min <= 0) {
        knob.log_scale = false;
      }
      block.knobs.push_back(knob);
      continue;
    }

    if (line.substr(0, 7) == "expect " || line == "expect") {
      std::string_view rest = trim(line.substr(6));
      Expect e;
      e.line = line_no;
      e.source = std::string(rest);
      // METRIC OP VALUE [± TOL]
      size_t op_pos = rest.find_first_of("<>=~≈");
      if (op_pos == std::string_view::npos) {
        error(line_no, "expect needs a comparison: 'expect METRIC < VALUE' (operators: <, <=, >, >=, ≈ VALUE ± TOL)");
        continue;
      }
      e.metric = std::string(trim(rest.substr(0, op_pos)));
      std::string_view op_and_value = rest.substr(op_pos);
      std::string_view value_text;
      if (op_and_value.substr(0, 2) == "<=") { e.op = CmpOp::LessEq; value_text = op_and_value.substr(2); }
      else if (op_and_value.substr(0, 2) == ">=") { e.op = CmpOp::GreaterEq; value_text = op_and_value.substr(2); }
      else if (op_and_value.substr(0, 1) == "<") { e.op = CmpOp::Less; value_text = op_and_value.substr(1); }
      else if (op_and_value.substr(0, 1) == ">") { e.op = CmpOp::Greater; value_text = op_and_value.substr(1); }
      else if (op_and_value.substr(0, 1) == "~") { e.op = CmpOp::Approx; value_text = op_and_value.substr(1); }
      else if (op_and_value.substr(0, 3) == "≈") { e.op = CmpOp::Approx; value_text = op_and_value.substr(3); }
      else {
        error(line_no, "unknown comparison in '" + std::string(rest) + "' (operators: <, <=, >, >=, ≈ VALUE ± TOL)");
        continue;
      }
      if (e.op == CmpOp::Approx) {
        size_t pm = value_text.find("±");
        size_t pm_len = 2;
        if (pm == std::string_view::npos) {
          pm = value_text.find("+-");
          pm_len = 2;
        }
        if (pm == std::string_view::npos) {
          error(line_no, "'≈' needs a tolerance: 'expect " + e.metric + " ≈ VALUE ± TOL'");
          continue;
        }
        const auto tol = parse_number(value_text.substr(pm + pm_len));
        if (!tol || *tol < 0) {
          error(line_no, "the tolerance after ± must be a number ≥ 0");
          continue;
        }
        e.tolerance = *tol;
        value_text = value_text.substr(0, pm);
      }
      if (const std::string err = expect_operand_parse(value_text, e.rhs); !err.empty()) {
        error(line_no, err + comment_hint(value_text));
        continue;
      }
      if (!block_metric_find(kind, e.metric)) {
        error(line_no, "unknown metric '" + e.metric + "' for '" + kind.name + "' " + valid_metrics(kind, e.metric));
        continue;
      }
      if (!e.rhs.metric.empty() && !block_metric_find(kind, e.rhs.metric)) {
        error(line_no, "unknown metric '" + e.rhs.metric + "' for '" + kind.name + "' " + valid_metrics(kind, e.rhs.metric));
        continue;
      }
      block.expects.push_back(e);
      continue;
    }

    const size_t colon = line.find(':');  // in the line without its comment; the same offset in `full`
    if (colon == std::string_view::npos) {
      if (indented && previous_value_line > 0)
        error(line_no, "a value must fit on one line: join this line to the end of line " +
                           std::to_string(previous_value_line) + " (long lines are fine)");
      else
        error(line_no, "expected 'parameter: value', 'knob ...' or 'expect ...' " + valid_params(kind, line));
      continue;
    }
    const std::string name(trim(full.substr(0, colon)));
    const ParamSpec* spec = block_param_find(kind, name);
    if (!spec) {
      error(line_no, "unknown parameter '" + name + "' for '" + kind.name + "' " + valid_params(kind, name));
      continue;
    }
    if (seen.count(name)) {
      error(line_no, "parameter '" + name + "' is already set on line " + std::to_string(seen[name]));
      continue;
    }
    seen[name] = line_no;
    value_line = line_no;
    const LineValue value = line_value_parse(full.substr(colon + 1));
    if (!value.error.empty()) {
      error(line_no, value.error);
      continue;
    }
    const core::Status st = block_set_value(block.config, *spec, value.text);
    if (!st) error(line_no, st.message + comment_hint(value.text));
  }
  // An expect on a metric these values do not produce could only ever fail: say so now.
  for (const Expect& e : block.expects)
    for (const std::string& name : {e.metric, e.rhs.metric}) {
      std::string why;
      if (!name.empty() && !metric_measured(*block_metric_find(kind, name), block.config, &why)) {
        error(e.line, "'" + kind.name + "' reports '" + name + "' only when " + why +
                          ": remove this expect or change the parameter");
        break;
      }
    }
  // In line order: the expect checks above come after the lines they follow.
  std::stable_sort(block.diagnostics.begin(), block.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  if (kind.validate && block.ok()) {
    const core::Status st = kind.validate(block.config);
    if (!st) error(fence_line, st.message);
  }
  return block;
}

}  // namespace lab::runtime
