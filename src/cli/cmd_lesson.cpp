// `embedlab lesson check FILE...`, `embedlab lesson html --out DIR FILE...` and `embedlab lesson kinds [--markdown]`.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/data/zip.h"
#include "runtime/lab_block.h"
#include "runtime/lesson_check.h"
#include "runtime/lesson_html.h"
#include "runtime/text.h"

namespace lab::cli {

namespace {

const char* kUsage =
    "usage: embedlab lesson check [--controls] FILE...\n"
    "                                          validate lessons, run every lab block, check its expects;\n"
    "                                          --controls also runs each block's control (the effect\n"
    "                                          removed, e.g. an untrained model) and fails every expect\n"
    "                                          on an effect that holds for the control too\n"
    "       embedlab lesson html --out DIR FILE...\n"
    "                                          write DIR/NAME.html per lesson: its text as static HTML,\n"
    "                                          which the page shows to browsers that cannot run the lab\n"
    "       embedlab lesson kinds [--markdown] list the lab-block kinds with their parameters and metrics\n"
    "\n"
    "check exits 0 when every file is fine, 1 on any error or failed expect (messages as\n"
    "FILE:LINE: error: ... on stderr), 2 on a usage error. Metrics of each block go to stdout.\n";

int html(Args args) {
  std::string out;
  std::vector<std::string_view> files;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--out" && i + 1 < args.size()) out = std::string(args[++i]);
    else if (args[i].starts_with("-")) return usage_error("lesson html", "unknown option '" + std::string(args[i]) + "'", kUsage);
    else files.push_back(args[i]);
  }
  if (out.empty()) return usage_error("lesson html", "say where to write with --out DIR", kUsage);
  if (files.empty()) return usage_error("lesson html", "name at least one lesson file", kUsage);
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  bool all_ok = true;
  for (std::string_view f : files) {
    // The file is read once: its bytes are both parsed and named by their CRC-32 in the HTML.
    std::string err;
    const std::optional<std::string> bytes = runtime::read_text_file(std::string(f), &err, runtime::kLessonBytesMax);
    const runtime::Lesson lesson = bytes ? runtime::lesson_parse(*bytes, f) : runtime::lesson_load(std::string(f));
    // A lesson with errors still has text to read; its errors go to stderr, and the exit status says so.
    for (const runtime::Diagnostic& d : lesson.diagnostics) std::fprintf(stderr, "%s\n", runtime::diagnostic_format(d).c_str());
    if (lesson.has_errors()) all_ok = false;
    if (!bytes || lesson.steps.empty()) continue;
    const std::string path = (std::filesystem::path(out) / (lesson.id + ".html")).string();
    std::ofstream o(path, std::ios::binary);
    o << runtime::lesson_static_html(lesson, core::crc32(*bytes));
    if (!o.flush()) {
      std::fprintf(stderr, "%s: could not write\n", path.c_str());
      all_ok = false;
    }
  }
  return all_ok ? 0 : 1;
}

int check(Args args) {
  runtime::LessonCheckOptions options;
  std::vector<std::string_view> files;
  for (std::string_view a : args) {
    if (a == "--controls") options.controls = true;
    else if (a.starts_with("-")) return usage_error("lesson check", "unknown option '" + std::string(a) + "'", kUsage);
    else files.push_back(a);
  }
  if (files.empty()) return usage_error("lesson check", "name at least one lesson file", kUsage);
  bool all_ok = true;
  for (std::string_view f : files) {
    const runtime::Lesson lesson = runtime::lesson_load(std::string(f));
    const runtime::LessonCheck result = runtime::lesson_check(lesson, options);
    for (const runtime::Diagnostic& d : result.diagnostics) std::fprintf(stderr, "%s\n", runtime::diagnostic_format(d).c_str());
    for (const runtime::BlockCheck& b : result.blocks) {
      std::printf("%s:%d: %s", lesson.path.c_str(), b.line, b.kind.c_str());
      if (!b.ran) std::printf(" (skipped: errors)");
      for (const runtime::Metric& m : b.metrics) std::printf(" %s=%s", m.name.c_str(), runtime::metric_text(m).c_str());
      if (b.ran) std::printf(" [%.2f s]", b.seconds);
      std::printf("\n");
    }
    std::printf("%s: %s (%zu steps, %zu lab blocks)\n", lesson.path.c_str(), result.ok() ? "ok" : "FAILED", lesson.steps.size(),
                result.blocks.size());
    all_ok &= result.ok();
  }
  return all_ok ? 0 : 1;
}

std::string kinds_text(bool markdown) {
  std::string s;
  for (const runtime::BlockKind* k : runtime::block_kinds()) {
    s += markdown ? "### `" + k->name + "` — " + k->summary + "\n\n| parameter | type | default | valid | meaning |\n|---|---|---|---|---|\n"
                  : k->name + " — " + k->summary + "\n";
    for (const runtime::ParamSpec& p : k->params) {
      std::string def, valid;
      char buf[64];
      switch (p.type) {
        case runtime::ParamType::Int:
        case runtime::ParamType::Float:
          std::snprintf(buf, sizeof buf, "%g", p.def);
          def = buf;
          std::snprintf(buf, sizeof buf, "%g .. %g", p.min, p.max);
          valid = buf;
          if (p.log_scale) valid += " (log knob)";
          break;
        case runtime::ParamType::Bool: def = p.def != 0 ? "yes" : "no"; valid = "yes, no"; break;
        case runtime::ParamType::Choice:
          def = p.def_text;
          for (const std::string& c : p.choices) valid += (valid.empty() ? "" : ", ") + c;
          break;
        case runtime::ParamType::Text: def = p.def_text.empty() ? "(empty)" : p.def_text; valid = "text"; break;
      }
      // A '|' inside a cell would end it: escape it for Markdown tables.
      auto cell = [](std::string t) {
        for (size_t at = t.find('|'); at != std::string::npos; at = t.find('|', at + 2)) t.replace(at, 1, "\\|");
        return t;
      };
      def = markdown ? cell(def) : def;
      valid = markdown ? cell(valid) : valid;
      if (markdown) s += "| `" + p.name + "` | " + runtime::param_type_name(p.type) + " | " + def + " | " + valid + " | " + cell(p.doc) + " |\n";
      else s += "    " + p.name + " (" + runtime::param_type_name(p.type) + ", default " + def + "; " + valid + "): " + p.doc + "\n";
    }
    if (markdown) s += "\nMetrics for `expect`:\n\n";
    else s += "  metrics:\n";
    for (const runtime::MetricSpec& m : k->metrics) {
      const std::string when = m.when.empty() ? "" : markdown ? " Only when `" + m.when + "`." : " (only when " + m.when + ")";
      const std::string typical = m.typical.empty() ? "" : markdown ? " *Typical:* " + m.typical + "." : "";
      const std::string identity = !m.identity ? "" : markdown ? " *Identity.*" : " (identity)";
      s += markdown ? "- `" + m.name + "` — " + m.doc + "." + when + identity + typical + "\n"
                    : "    " + m.name + ": " + m.doc + when + identity + "\n";
    }
    if (!k->controls.empty()) {
      s += markdown ? "\nControls (`lesson check --controls`):" : "  controls:";
      for (const runtime::BlockControl& c : k->controls) {
        std::string set;
        for (const auto& [name, value] : c.set) set += (set.empty() ? "" : ", ") + name + ": " + value;
        s += markdown ? "\n- " + c.description + " — `" + set + "`" : "\n    " + c.description + " (" + set + ")";
      }
      s += "\n";
    }
    s += "\n";
  }
  return s;
}

}  // namespace

std::string lesson_kinds_reference(bool markdown) { return kinds_text(markdown); }

int cmd_lesson(Args args) {
  if (args.empty()) return usage_error("lesson", "say 'check', 'html' or 'kinds'", kUsage);
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (args[0] == "check") return check(args.subspan(1));
  if (args[0] == "html") return html(args.subspan(1));
  if (args[0] == "kinds") {
    const bool md = args.size() > 1 && args[1] == "--markdown";
    if (args.size() > 2 || (args.size() == 2 && !md)) return usage_error("lesson kinds", "the only option is --markdown", kUsage);
    std::fputs(kinds_text(md).c_str(), stdout);
    return 0;
  }
  return usage_error("lesson", "unknown subcommand '" + std::string(args[0]) + "' (check, html, kinds)", kUsage);
}

}  // namespace lab::cli
