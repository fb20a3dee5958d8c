// Lab blocks as instructors write them: typed parameters, knobs, expects, and every mistake
// reported with its line and what is valid. Plus the Markdown document model, the headless runner
// (its exit codes) and the corpus test over every shipped lesson.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <vector>

#include "cli/cli.h"
#include "cli/commands.h"
#include "runtime/lesson.h"
#include "runtime/lesson_check.h"
#include "runtime/session.h"
#include "runtime/text.h"

using namespace lab::runtime;

namespace {

bool has_diag(const std::vector<Diagnostic>& ds, int line, const std::string& needle) {
  for (const Diagnostic& d : ds)
    if (d.line == line && d.message.find(needle) != std::string::npos) return true;
  return false;
}

std::string lesson_with(const std::string& block_body, const std::string& kind = "random-cosine") {
  return "---\ntitle: T\n---\n## Step\nSome text.\n\n```lab " + kind + "\n" + block_body + "```\n\nMore text.\n";
}

int run_cli(std::vector<const char*> args) {
  args.insert(args.begin(), "embedlab");
  lab::cli::GuiOptions gui;
  return lab::cli::cli_main(int(args.size()), const_cast<char**>(args.data()), gui);
}

std::filesystem::path temp_file(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() / "embedlab_test_blocks";
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

}  // namespace

TEST_CASE("lab block: parameters, knobs and expects parse with their lines, prose around it stays") {
  const Lesson l = lesson_parse(lesson_with("title: Random pairs\ndim: 64\n# a comment\nknob dim: 2 .. 1024 log\n"
                                            "knob pairs\nexpect mean_abs_cos < 0.2\nexpect std_cos ≈ 0.125 ± 0.03\n"),
                                "l.md");
  CHECK_FALSE(l.has_errors());
  REQUIRE(l.steps.size() == 1);
  REQUIRE(l.steps[0].parts.size() == 3);
  CHECK(l.steps[0].parts[0].kind == StepPart::Kind::Prose);
  CHECK(l.steps[0].parts[2].kind == StepPart::Kind::Prose);
  const LabBlock& b = l.steps[0].parts[1].block;
  CHECK(b.line == 7);
  CHECK(b.ok());
  CHECK(b.title() == "Random pairs");
  CHECK(b.config.integer("dim") == 64);
  CHECK(b.config.integer("pairs") == 2000);  // default
  REQUIRE(b.knobs.size() == 2);
  CHECK(b.knobs[0].line == 11);
  CHECK(b.knobs[0].log_scale);
  CHECK(b.knobs[0].min == 2);
  CHECK(b.knobs[1].min == 10);  // schema range when no range is written
  REQUIRE(b.expects.size() == 2);
  CHECK(b.expects[0].op == CmpOp::Less);
  CHECK(b.expects[1].op == CmpOp::Approx);
  CHECK(b.expects[1].tolerance == doctest::Approx(0.03));
  CHECK(expect_evaluate(b.expects[1], {{"std_cos", 0.14}}).holds());
  CHECK(expect_evaluate(b.expects[1], {{"std_cos", 0.2}}).state == ExpectResult::State::Fails);
  CHECK(expect_evaluate(b.expects[0], {{"mean_abs_cos", NAN}}).state == ExpectResult::State::Fails);
  CHECK(expect_evaluate(b.expects[0], {}).state == ExpectResult::State::NotMeasured);
}

TEST_CASE("lab block: an expect compares a metric with another metric of the block, scaled and shifted") {
  const Lesson l = lesson_parse(lesson_with("expect std_cos < mean_abs_cos - 0.1\n"
                                            "expect mean_abs_cos >= 2 * std_cos\n"
                                            "expect std_cos ≈ 0.5 * mean_abs_cos ± 0.01\n"
                                            "expect std_cos > mean_cos + 1e-3\n"),
                                "t.md");
  const LabBlock& b = l.steps[0].parts[1].block;
  for (const Diagnostic& d : l.diagnostics) MESSAGE(diagnostic_format(d));
  REQUIRE(b.expects.size() == 4);
  CHECK(b.expects[0].rhs.metric == "mean_abs_cos");
  CHECK(b.expects[0].rhs.offset == doctest::Approx(-0.1));
  CHECK(b.expects[1].rhs.scale == 2);
  CHECK(b.expects[3].rhs.offset == doctest::Approx(1e-3));
  const std::vector<Metric> yes = {{"std_cos", 0.2}, {"mean_abs_cos", 0.4}, {"mean_cos", 0.1}};
  const std::vector<Metric> no = {{"std_cos", 0.35}, {"mean_abs_cos", 0.4}, {"mean_cos", 0.5}};
  for (const Expect& e : b.expects) {
    CHECK_MESSAGE(expect_evaluate(e, yes).holds(), e.source);
    CHECK_MESSAGE(expect_evaluate(e, no).state == ExpectResult::State::Fails, e.source);
  }
  // The message shows both sides, as the student reads them.
  CHECK(expect_evaluate(b.expects[0], yes).values == "std_cos = 0.2, mean_abs_cos - 0.1 = 0.3");
  CHECK(expect_evaluate(b.expects[1], no).values == "mean_abs_cos = 0.4, 2 * std_cos = 0.7");
  // A metric with no value for these settings is neither a pass nor a fail, on either side.
  const std::vector<Metric> undefined = {metric_undefined("std_cos", "needs two vectors"), {"mean_abs_cos", 0.4}};
  const ExpectResult r = expect_evaluate(b.expects[1], undefined);
  CHECK(r.state == ExpectResult::State::Undefined);
  CHECK(r.values == "std_cos is n/a: needs two vectors");
  CHECK(expect_evaluate(b.expects[0], {{"std_cos", 0.2}}).state == ExpectResult::State::NotMeasured);
}

TEST_CASE("lab block: a malformed metric comparison names its line and what is valid") {
  const Lesson l = lesson_parse(lesson_with("expect std_cos < mean_abs_coss\n"     // line 8
                                            "expect std_cos < 2 * \n"              // 9
                                            "expect std_cos < mean_cos +\n"        // 10
                                            "expect std_cos < mean_cos * 2\n"      // 11
                                            "expect std_cos < mean_cos - x\n"),    // 12
                                "t.md");
  CHECK(has_diag(l.diagnostics, 8, "unknown metric 'mean_abs_coss'"));
  CHECK(has_diag(l.diagnostics, 8, "mean_abs_cos"));
  for (int line : {9, 10, 11, 12}) CHECK_MESSAGE(has_diag(l.diagnostics, line, "'2 * METRIC'"), line);
  CHECK(l.steps[0].parts[1].block.expects.empty());
}

TEST_CASE("lab block: every mistake names its line and lists what is valid") {
  const Lesson l = lesson_parse(lesson_with("dim: 5000\npairs: lots\ncolour: red\ndistribution: cauchy\nknob dimm\n"
                                            "knob dim: 0 .. 10 log\nknob pairs: 5 .. 1\nexpect accuracy > 0.5\nexpect dim = 3\n"
                                            "just words\ndim: 3\ndim: 4\n"),
                                "bad.md");
  CHECK(l.has_errors());
  const auto& d = l.diagnostics;
  CHECK(has_diag(d, 8, "out of range: a whole number from 1 to 4096"));
  CHECK(has_diag(d, 9, "'pairs' must be a whole number from 10 to 200000"));
  CHECK(has_diag(d, 10, "unknown parameter 'colour'"));
  CHECK(has_diag(d, 10, "title, dim, pairs, distribution, seed"));
  CHECK(has_diag(d, 11, "one of: gaussian, uniform, nonnegative"));
  CHECK(has_diag(d, 12, "knob on unknown parameter 'dimm'"));
  CHECK(has_diag(d, 13, "goes outside its valid range"));
  CHECK(has_diag(d, 14, "MIN < MAX"));
  CHECK(has_diag(d, 15, "unknown metric 'accuracy'"));
  CHECK(has_diag(d, 15, "mean_cos, mean_abs_cos"));
  CHECK(has_diag(d, 16, "unknown comparison"));
  CHECK(has_diag(d, 17, "expected 'parameter: value'"));
  CHECK(has_diag(d, 18, "already set on line 8"));
  CHECK(has_diag(d, 19, "already set on line 8"));
  // The rest of the lesson still renders.
  REQUIRE(l.steps.size() == 1);
  CHECK(l.steps[0].parts.size() == 3);
}

TEST_CASE("lab block: unknown kinds, missing kinds and unclosed blocks") {
  const Lesson a = lesson_parse(lesson_with("x: 1\n", "tsne-3000"), "a.md");
  CHECK(has_diag(a.diagnostics, 7, "unknown lab block kind 'tsne-3000'"));
  CHECK(has_diag(a.diagnostics, 7, "onehot"));
  const Lesson b = lesson_parse("---\ntitle: T\n---\n## S\n```lab\n```\n", "b.md");
  CHECK(has_diag(b.diagnostics, 5, "needs a kind"));
  const Lesson c = lesson_parse("---\ntitle: T\n---\n## S\ntext\n```lab quiz\nanswer: 1\n", "c.md");
  CHECK(has_diag(c.diagnostics, 6, "lab quiz block opened on line 6 is not closed before the end of the file"));
  // A fenced block whose info string merely starts with "lab" is ordinary code.
  const Lesson d = lesson_parse("---\ntitle: T\n---\n## S\n```labrador\nwoof\n```\n", "d.md");
  CHECK_FALSE(d.has_errors());
  CHECK(d.lab_block_count() == 0);
}

TEST_CASE("lab block: cross-parameter validation (quiz answer within its choices)") {
  const Lesson l = lesson_parse(lesson_with("question: Q?\nchoices: a | b\nanswer: 3\n", "quiz"), "q.md");
  CHECK(has_diag(l.diagnostics, 7, "only 2 choices"));
  const Lesson ok = lesson_parse(lesson_with("question: Q?\nchoices: a | b\nanswer: 2\n", "quiz"), "q.md");
  CHECK_FALSE(ok.has_errors());
}

TEST_CASE("lab block: tabs, CRLF and a huge value are handled") {
  std::string text = lesson_with("dim:\t64\r\nknob dim:\t2 .. 128\r\n");
  const Lesson l = lesson_parse(text, "t.md");
  CHECK_FALSE(l.has_errors());
  CHECK(l.steps[0].parts[1].block.config.integer("dim") == 64);
  const Lesson huge = lesson_parse(lesson_with("question: " + std::string(5000, 'x') + "\n", "quiz"), "h.md");
  CHECK(has_diag(huge.diagnostics, 8, "limit is 2000"));
}

TEST_CASE("markdown: emphasis, code, links, lists, tables and images become the document model") {
  const MdDoc doc = markdown_parse(
      "# Title\n\nSome **bold** and *italic* and `code` and [a link](https://example.org).\n\n"
      "- one\n- two\n  1. nested\n\n```\nx = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![digits](digits.png)\n\n---\n"
      "<script>alert(1)</script>\n");
  REQUIRE(doc.ok);
  REQUIRE(doc.blocks.size() >= 8);
  CHECK(doc.blocks[0].kind == MdKind::Heading);
  CHECK(doc.blocks[0].level == 1);
  const MdBlock& p = doc.blocks[1];
  CHECK(md_plain_text(p.spans) == "Some bold and italic and code and a link.");
  bool bold = false, italic = false, code = false, link = false;
  for (const MdSpan& s : p.spans) {
    bold |= s.text == "bold" && (s.flags & kMdBold);
    italic |= s.text == "italic" && (s.flags & kMdItalic);
    code |= s.text == "code" && (s.flags & kMdCode);
    link |= s.text == "a link" && (s.flags & kMdLink) && s.href == "https://example.org";
  }
  CHECK(bold);
  CHECK(italic);
  CHECK(code);
  CHECK(link);
  CHECK(doc.blocks[2].marker == "•");
  CHECK(md_plain_text(doc.blocks[2].spans) == "one");
  CHECK(doc.blocks[4].marker == "1.");
  CHECK(doc.blocks[4].indent == 2);
  int code_blocks = 0, rows = 0, images = 0, rules = 0;
  std::string all_text;
  for (const MdBlock& b : doc.blocks) {
    code_blocks += b.kind == MdKind::CodeBlock && b.code == "x = 1";
    rows += b.kind == MdKind::TableRow && b.cells.size() == 2;
    images += b.kind == MdKind::Image && b.src == "digits.png" && b.alt == "digits";
    rules += b.kind == MdKind::Rule;
    all_text += md_plain_text(b.spans);
  }
  CHECK(code_blocks == 1);
  CHECK(rows == 2);
  CHECK(images == 1);
  CHECK(rules == 1);
  // Raw HTML is not interpreted: it stays visible text, never markup.
  CHECK(all_text.find("<script>") != std::string::npos);
}

TEST_CASE("session: knobs restart a block and appear in the route, deep links set them back") {
  Session s;
  s.library.lessons.push_back(lesson_parse(lesson_with("dim: 8\npairs: 50\nknob dim: 1 .. 512 log\n"), "lessons/k.md"));
  s.library.mtimes.resize(1);
  session_update(s, 5);
  REQUIRE(s.runs.size() == 1);
  CHECK(session_route(s) == "k/1");
  CHECK(session_run_at_lesson_values(s, s.runs[0]));
  CHECK(session_set_knob(s, 0, "dim", "64").ok);
  CHECK(s.runs[0].config.integer("dim") == 64);
  CHECK(session_route(s) == "k/1?dim=64");
  CHECK_FALSE(session_run_at_lesson_values(s, s.runs[0]));  // its expects no longer judge the lesson's claim
  CHECK(session_set_knob(s, 0, "dim", "8").ok);
  CHECK(session_run_at_lesson_values(s, s.runs[0]));
  CHECK(session_set_knob(s, 0, "dim", "64").ok);
  CHECK_FALSE(session_set_knob(s, 0, "dim", "100000").ok);  // out of range: refused, value kept
  CHECK(s.runs[0].config.integer("dim") == 64);
  CHECK_FALSE(session_set_knob(s, 0, "pairs", "60").ok);    // not a knob: a link cannot change it
  std::string err;
  CHECK(session_apply_route(s, "k/1?dim=16&pairs=99999", &err));
  session_update(s, 5);
  CHECK(s.runs[0].config.integer("dim") == 16);
  CHECK(s.runs[0].config.integer("pairs") == 50);
  CHECK(session_apply_route(s, "k/1?dim=notanumber", &err));
  session_update(s, 5);
  CHECK(s.runs[0].config.integer("dim") == 8);  // a bad value falls back to the lesson's
  for (int i = 0; i < 200 && !s.runs[0].experiment->done(); ++i) session_update(s, 5);
  CHECK(s.runs[0].experiment->done());
}

TEST_CASE("runner: lesson check exit codes (0 fine, 1 error or failed expect, 2 usage)") {
  const auto good = temp_file("good.md", lesson_with("dim: 256\npairs: 500\nexpect mean_abs_cos < 0.15\n"));
  const auto failing = temp_file("failing.md", lesson_with("dim: 2\npairs: 500\nexpect mean_abs_cos < 0.15\n"));
  const auto broken = temp_file("broken.md", lesson_with("dim: -3\n"));
  CHECK(run_cli({"lesson", "check", good.c_str()}) == 0);
  CHECK(run_cli({"lesson", "check", failing.c_str()}) == 1);
  CHECK(run_cli({"lesson", "check", broken.c_str()}) == 1);
  CHECK(run_cli({"lesson", "check", "/nonexistent/x.md"}) == 1);
  CHECK(run_cli({"lesson", "check", good.c_str(), failing.c_str()}) == 1);
  CHECK(run_cli({"lesson", "check"}) == 2);
  CHECK(run_cli({"lesson", "check", "--frobnicate", good.c_str()}) == 2);
  CHECK(run_cli({"lesson", "frobnicate"}) == 2);
  CHECK(run_cli({"lesson", "kinds"}) == 0);
  const LessonCheck r = lesson_check(lesson_load(failing.string()));
  CHECK(has_diag(r.diagnostics, 10, "expect mean_abs_cos < 0.15 failed: mean_abs_cos = 0."));
}

TEST_CASE("corpus: every shipped lesson parses, validates and passes its expects headless") {
  const LessonLibrary lib = library_load(LAB_SOURCE_DIR "/lessons");
  REQUIRE(lib.error.empty());
  REQUIRE(lib.lessons.size() >= 1);
  for (const Lesson& l : lib.lessons) {
    INFO("lesson ", l.path);
    const LessonCheck r = lesson_check(l);
    for (const Diagnostic& d : r.diagnostics) MESSAGE(diagnostic_format(d));
    CHECK(r.ok());
    for (const Diagnostic& d : r.diagnostics) CHECK(d.severity != Severity::Error);
  }
}

TEST_CASE("corpus: lessons/README.md documents every lab-block kind, parameter and metric") {
  std::string err;
  const auto readme = read_text_file(LAB_SOURCE_DIR "/lessons/README.md", &err);
  REQUIRE(readme.has_value());
  for (const BlockKind* k : block_kinds()) {
    INFO("kind ", k->name);
    CHECK(readme->find("`" + k->name + "`") != std::string::npos);
    for (const ParamSpec& p : k->params) CHECK(readme->find("`" + p.name + "`") != std::string::npos);
    for (const MetricSpec& m : k->metrics) CHECK(readme->find("`" + m.name + "`") != std::string::npos);
  }
  // The generated reference in the README is current (regenerate with: embedlab lesson kinds --markdown).
  CHECK(readme->find(lab::cli::lesson_kinds_reference(true)) != std::string::npos);
}

TEST_CASE("lesson check --controls: an expect is hollow only if it holds for every control of its kind") {
  // lessons/07-implicit-feedback.md's popularity negatives. Two controls: an untrained model, and
  // uniform negatives. An untrained model's lists are random, so they are diverse: a claim of
  // diversity holds for it, but not for uniform negatives, so it shows the negatives' effect.
  const std::string body =
      "model: triplet\ndim: 32\nmargin: 1\nepochs: 30\nnegatives: popularity\n"
      "expect popular_share < 0.8\n"  // line 13: fails for uniform negatives (0.88)
      "expect coverage > 0.01\n";     // line 14: holds for both controls (1.0 and 0.21)
  const Lesson l = lesson_parse(lesson_with(body, "rec-implicit"), "lessons/c.md");
  REQUIRE(l.diagnostics.empty());
  LessonCheckOptions options;
  options.controls = true;
  const LessonCheck c = lesson_check(l, options);
  REQUIRE(c.diagnostics.size() == 1);
  const Diagnostic& d = c.diagnostics[0];
  INFO(diagnostic_format(d));
  CHECK(d.line == 14);
  CHECK(d.message.find("also holds for an almost untrained model") != std::string::npos);
  CHECK(d.message.find("; and for uniform negatives (coverage = ") != std::string::npos);
}

TEST_CASE("lesson check --controls: every kind that measures an effect has a control that removes one") {
  for (const BlockKind* k : block_kinds()) {
    const bool effects = std::any_of(k->metrics.begin(), k->metrics.end(), [](const MetricSpec& m) { return !m.identity; });
    if (k->name == "quiz") continue;  // its metrics are the student's answers, never an experiment's effect
    CHECK_MESSAGE(effects == !k->controls.empty(), k->name);
    for (const BlockControl& c : k->controls)
      for (const auto& setting : c.set) {  // named, not a structured binding: clang 14 refuses those in doctest's macros
        const std::string& name = setting.first;
        const std::string& value = setting.second;
        const ParamSpec* spec = block_param_find(*k, name);
        REQUIRE_MESSAGE(spec, k->name, ": control sets unknown parameter ", name);
        BlockConfig config = lab_block_parse(k->name, "", "t.md", 1, 2).config;
        CHECK_MESSAGE(block_set_value(config, *spec, value).ok, k->name, ": ", name, " = ", value);
      }
  }
}

TEST_CASE("lesson check --controls: an expect that also holds for the untrained model is reported, an effect is not") {
  // lessons/01-symbols.md's word embeddings: trained, the categories separate; untrained, they do not.
  const std::string body =
      "dim: 5\nepochs: 20\nseed: 1\n"
      "expect category_gap > 0.8\n"   // an effect: fails for the untrained model
      "expect loss < 100\n"            // hollow: any model's cross-entropy is below 100
      "expect parameters > 0\n";       // an identity: not tested against the control
  const Lesson l = lesson_parse(lesson_with(body, "embedding-train"), "lessons/c.md");
  REQUIRE(l.diagnostics.empty());
  CHECK(lesson_check(l).ok());  // without controls every expect holds
  LessonCheckOptions options;
  options.controls = true;
  const LessonCheck c = lesson_check(l, options);
  CHECK_FALSE(c.ok());
  int hollow = 0;
  for (const Diagnostic& d : c.diagnostics) {
    INFO(diagnostic_format(d));
    CHECK(d.severity == Severity::Error);
    CHECK(d.line == 12);  // `expect loss < 100` (the fence is on line 7)
    CHECK(d.message.find("also holds for an almost untrained model") != std::string::npos);
    CHECK(d.message.find("it does not show the effect") != std::string::npos);
    ++hollow;
  }
  CHECK(hollow == 1);
  // The CLI exits 1 naming the line.
  const std::string path = (std::filesystem::temp_directory_path() / "embedlab_controls.md").string();
  {
    std::ofstream f(path);
    f << lesson_with(body, "embedding-train");
  }
  CHECK(run_cli({"lesson", "check", path.c_str()}) == 0);
  CHECK(run_cli({"lesson", "check", "--controls", path.c_str()}) == 1);
  std::filesystem::remove(path);
}
