// The lesson format must never mislead its author (issue 16 §3): one error for an unclosed block,
// trailing comments as documented, "did you mean" for every unknown name, expects on metrics the
// block cannot produce rejected at parse time, the header's YAML subset enforced with messages that
// say so, warnings for characters the lab cannot draw, and a generated reference with typical values.
#include <doctest/doctest.h>

#include <regex>
#include <string>
#include <vector>

#include "runtime/lab_block.h"
#include "runtime/lesson.h"
#include "runtime/lesson_check.h"
#include "runtime/session.h"
#include "runtime/text.h"

using namespace lab::runtime;

namespace {

std::vector<Diagnostic> errors_of(const Lesson& l) {
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : l.diagnostics)
    if (d.severity == Severity::Error) out.push_back(d);
  return out;
}

bool has_diag(const Lesson& l, int line, const std::string& needle, Severity sev = Severity::Error) {
  for (const Diagnostic& d : l.diagnostics)
    if (d.line == line && d.severity == sev && d.message.find(needle) != std::string::npos) return true;
  return false;
}

// Body lines start on line 8.
std::string lesson_with(const std::string& block_body, const std::string& kind = "random-cosine") {
  return "---\ntitle: T\n---\n## Step\nSome text.\n\n```lab " + kind + "\n" + block_body + "```\n\nMore text.\n";
}

const LabBlock* first_block(const Lesson& l) {
  for (const LessonStep& s : l.steps)
    for (const StepPart& p : s.parts)
      if (p.kind == StepPart::Kind::Lab) return &p.block;
  return nullptr;
}

}  // namespace

TEST_CASE("format: an unclosed lab block is one error at its opening line, before the next ```lab block") {
  const std::string text =
      "---\ntitle: T\n---\n## One\ntext\n"  // 1-5
      "```lab onehot\n"                      // 6: never closed
      "vocabulary: a, b, c\n"                // 7
      "\n"                                   // 8
      "```lab random-cosine\n"               // 9
      "dim: 64\n"                            // 10
      "pairs: 100\n"                         // 11
      "```\n"                                // 12
      "More prose.\n";                       // 13
  const Lesson l = lesson_parse(text, "u.md");
  const std::vector<Diagnostic> errs = errors_of(l);
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].line == 6);
  CHECK(errs[0].message.find("the ```lab onehot block opened on line 6 is not closed before the next ```lab block on line 9") !=
        std::string::npos);
  // The next block is read as itself, not as parameters of the first.
  REQUIRE(l.lab_block_count() == 2);
  const LabBlock* second = nullptr;
  for (const StepPart& p : l.steps[0].parts)
    if (p.kind == StepPart::Kind::Lab && p.line == 9) second = &p.block;
  REQUIRE(second);
  CHECK(second->ok());
  CHECK(second->config.integer("dim") == 64);
}

TEST_CASE("format: an unclosed lab block stops at the next step heading, another fence, or the end of the file") {
  const Lesson a = lesson_parse("---\ntitle: T\n---\n## One\n```lab onehot\nvocabulary: a, b\n## Two\nText two.\n", "a.md");
  REQUIRE(errors_of(a).size() == 1);
  CHECK(has_diag(a, 5, "is not closed before the next `## ` step on line 7"));
  REQUIRE(a.steps.size() == 2);  // the heading still starts its step
  CHECK(a.steps[1].title == "Two");
  CHECK(a.steps[1].body == "Text two.\n");

  const Lesson b = lesson_parse("---\ntitle: T\n---\n## One\n```lab onehot\nvocabulary: a\n```python\nx = 1\n```\n", "b.md");
  REQUIRE(errors_of(b).size() == 1);
  CHECK(has_diag(b, 5, "before the next ```python block on line 7"));

  const Lesson c = lesson_parse("---\ntitle: T\n---\n## S\ntext\n```lab quiz\nanswer: 1\n", "c.md");
  REQUIRE(errors_of(c).size() == 1);
  CHECK(has_diag(c, 6, "is not closed before the end of the file"));
}

TEST_CASE("format: trailing comments ' # ' as the guide shows, quotes keep a ' # ', 'C#' and '#3' are not comments") {
  const Lesson l = lesson_parse(lesson_with("title: Random pairs   # shown above\n"
                                            "dim: 3  # small\n"
                                            "knob dim: 1 .. 64 log   # the slider\n"
                                            "expect mean_abs_cos > 0.1   # low dimension: far from 0\n"),
                                "c.md");
  CHECK_FALSE(l.has_errors());
  const LabBlock* b = first_block(l);
  REQUIRE(b);
  CHECK(b->config.text("title") == "Random pairs");
  CHECK(b->config.integer("dim") == 3);
  REQUIRE(b->knobs.size() == 1);
  CHECK(b->knobs[0].log_scale);
  REQUIRE(b->expects.size() == 1);
  CHECK(b->expects[0].rhs.offset == doctest::Approx(0.1));

  const Lesson q = lesson_parse(lesson_with("title: C# and item #3\n"), "q.md");
  CHECK(first_block(q)->config.text("title") == "C# and item #3");
  const Lesson quoted = lesson_parse(lesson_with("title: \"Step # 2, \\\"quoted\\\"\"  # comment\n"), "q.md");
  CHECK_FALSE(quoted.has_errors());
  CHECK(first_block(quoted)->config.text("title") == "Step # 2, \"quoted\"");
  const Lesson single = lesson_parse(lesson_with("title: 'it''s # one'\n"), "q.md");
  CHECK(first_block(single)->config.text("title") == "it's # one");

  const Lesson open = lesson_parse(lesson_with("title: \"never closed\n"), "q.md");
  CHECK(has_diag(open, 8, "no closing \""));
  // Quotes that do not wrap the whole value are text, as in quiz choices.
  const Lesson partial = lesson_parse(lesson_with("question: Q?\nchoices: \"yes\" | \"no\"   # both quoted\n", "quiz"), "q.md");
  CHECK_FALSE(partial.has_errors());
  CHECK(first_block(partial)->config.text("choices") == "\"yes\" | \"no\"");
  const Lesson backslash = lesson_parse(lesson_with("title: \"a \\\\ b\"\n"), "q.md");
  CHECK(first_block(backslash)->config.text("title") == "a \\ b");

  // The header follows the same rules.
  const Lesson h = lesson_parse("---\ntitle: Distances   # working title\nsummary: \"Why # matters\"\n---\n## S\nx\n", "h.md");
  CHECK(h.title == "Distances");
  CHECK(h.summary == "Why # matters");
}

TEST_CASE("format: a '#' without a space after it is not a comment, and an error that trips on one says so") {
  const Lesson l = lesson_parse(lesson_with("dim: 3 #small\nknob dim: 1 .. 64 #slider\nexpect mean_abs_cos < 0.5 #why\n"), "h.md");
  CHECK(has_diag(l, 8, "(a comment needs a space after its '#': ' # ')"));
  CHECK(has_diag(l, 9, "(a comment needs a space after its '#': ' # ')"));
  CHECK(has_diag(l, 10, "(a comment needs a space after its '#': ' # ')"));
  const Lesson lgo = lesson_parse(lesson_with("knob dim: 1 .. 64 lgo\n"), "h.md");
  CHECK(has_diag(lgo, 8, "did you mean 'log'?"));
}

TEST_CASE("format: a value continued on the next line gets a hint, not 'unknown parameter'") {
  const Lesson l = lesson_parse(lesson_with("title: a long\n   title on two lines\n"), "m.md");
  CHECK(has_diag(l, 9, "a value must fit on one line: join this line to the end of line 8"));
}

TEST_CASE("format: edit distance and the closest name") {
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("dim", "dim") == 0);
  CHECK(edit_distance("dmi", "dim") == 1);  // an adjacent swap counts once
  CHECK(edit_distance("PCA", "pca") == 0);
  const std::vector<std::string> names = {"dim", "pairs", "distribution", "title"};
  CHECK(name_closest("dimm", names) == "dim");
  CHECK(name_closest("distribtion", names) == "distribution");
  CHECK(name_closest("colour", names).empty());  // nothing close: no guess
  CHECK(did_you_mean("pairz", names) == "did you mean 'pairs'? ");
  CHECK(did_you_mean("zzzzzz", names).empty());
}

TEST_CASE("format: every unknown name gets a 'did you mean' (kind, parameter, knob, metric, choice, header key)") {
  const Lesson kind = lesson_parse(lesson_with("", "random-cosin"), "k.md");
  CHECK(has_diag(kind, 7, "unknown lab block kind 'random-cosin' (did you mean 'random-cosine'?"));
  const Lesson param = lesson_parse(lesson_with("dimm: 3\n"), "p.md");
  CHECK(has_diag(param, 8, "unknown parameter 'dimm' for 'random-cosine' (did you mean 'dim'? parameters: "));
  const Lesson knob = lesson_parse(lesson_with("knob pairz\n"), "p.md");
  CHECK(has_diag(knob, 8, "did you mean 'pairs'?"));
  const Lesson metric = lesson_parse(lesson_with("expect mean_abs_co < 0.2\n"), "m.md");
  CHECK(has_diag(metric, 8, "unknown metric 'mean_abs_co' for 'random-cosine' (did you mean 'mean_abs_cos'?"));
  const Lesson choice = lesson_parse(lesson_with("method: tnse\n", "projection"), "c.md");
  CHECK(has_diag(choice, 8, "(did you mean 'tsne'?)"));
  const Lesson header = lesson_parse("---\ntitel: T\n---\n## S\nx\n", "h.md");
  CHECK(has_diag(header, 2, "unknown header key 'titel' (did you mean 'title'?", Severity::Warning));
  const Lesson far = lesson_parse(lesson_with("colour: red\n"), "f.md");
  CHECK(has_diag(far, 8, "unknown parameter 'colour'"));
  CHECK_FALSE(has_diag(far, 8, "did you mean"));
}

TEST_CASE("format: an expect on a metric the block's values cannot produce is an error at its line") {
  const Lesson kl = lesson_parse(lesson_with("method: pca\nexpect kl < 1\n", "projection"), "p.md");
  CHECK(has_diag(kl, 9, "'projection' reports 'kl' only when method = tsne (this block has method = pca)"));
  const Lesson ev = lesson_parse(lesson_with("method: tsne\nexpect explained_variance_2 > 0.2\n", "projection"), "p.md");
  CHECK(has_diag(ev, 9, "only when method = pca"));
  const Lesson b = lesson_parse(lesson_with("expect trustworthiness_b > 0.8\n", "projection"), "p.md");
  CHECK(has_diag(b, 8, "second_seed >= 0 (this block has second_seed = -1)"));
  // The order of lines does not matter: the values are known once the block is read.
  const Lesson b_ok = lesson_parse(lesson_with("expect trustworthiness_b > 0.8\nsecond_seed: 2\n", "projection"), "p.md");
  CHECK_FALSE(b_ok.has_errors());
  const Lesson genre = lesson_parse(lesson_with("expect genre_neighbour_share > 0.3\n", "rec-explicit"), "r.md");
  CHECK(has_diag(genre, 8, "only when tsne_iterations > 0 (this block has tsne_iterations = 0)"));
  const Lesson genre_ok =
      lesson_parse(lesson_with("tsne_iterations: 300\nexpect genre_neighbour_share > 0.3\n", "rec-explicit"), "r.md");
  CHECK_FALSE(genre_ok.has_errors());
}

TEST_CASE("format: every kind's metric conditions name its parameters and valid values") {
  int conditional = 0;
  for (const BlockKind* k : block_kinds()) {
    INFO("kind ", k->name);
    const lab::core::Status st = metric_conditions_check(*k);
    CHECK_MESSAGE(st.ok, st.message);
    for (const MetricSpec& m : k->metrics) conditional += !m.when.empty();
  }
  CHECK(conditional >= 12);  // projection's t-SNE/PCA/second-seed metrics and rec-explicit's map
  // And a bad condition is caught.
  BlockKind bad{"bad", "test kind", {{"method", ParamType::Choice, "", 0, 0, 0, {"a", "b"}, "a"}}, {{"m", "", "method = c"}}};
  CHECK_FALSE(metric_conditions_check(bad).ok);
  bad.metrics[0].when = "methd = a";
  CHECK_FALSE(metric_conditions_check(bad).ok);
  bad.metrics[0].when = "method > a";
  CHECK_FALSE(metric_conditions_check(bad).ok);
  bad.metrics[0].when = "method = b";
  CHECK(metric_conditions_check(bad).ok);
}

TEST_CASE("format: the header is a YAML subset, and what is outside it says so") {
  const Lesson l = lesson_parse(
      "---\n"
      "title: T\n"              // 2
      "summary:\n"              // 3
      "  a nested or continued value\n"  // 4
      "- a list item\n"         // 5
      "order: [1, 2]\n"         // 6
      "minutes: |\n"            // 7
      "title: again\n"          // 8
      "summary: &anchor s\n"    // 9
      "---\n## S\nx\n",
      "y.md");
  CHECK(has_diag(l, 4, "YAML subset"));
  CHECK(has_diag(l, 4, "joined to line 3"));
  CHECK(has_diag(l, 5, "a list item ('- ...') is not part of the lesson header's YAML subset"));
  CHECK(has_diag(l, 6, "a flow list or map"));
  CHECK(has_diag(l, 7, "a block scalar"));
  CHECK(has_diag(l, 8, "'title' is already set on line 2"));
  CHECK(has_diag(l, 9, "an anchor or alias"));
  CHECK(l.title == "T");
  REQUIRE(l.steps.size() == 1);
  // Quoted values are YAML's: the quotes are not part of the value.
  const Lesson q = lesson_parse("---\ntitle: \"Seeing: PCA\"\norder: '3'\n---\n## S\nx\n", "q.md");
  CHECK_FALSE(q.has_errors());
  CHECK(q.title == "Seeing: PCA");
  CHECK(q.order == 3);
}

TEST_CASE("format: characters the lab cannot draw are warned about with their line, character and column") {
  const Lesson l = lesson_parse(
      "---\ntitle: T\n---\n## S\n"
      "The estimate x\xCC\x82 and the mean x\xCC\x84.\n"        // 5: combining circumflex and macron
      "Expectation \xF0\x9D\x94\xBC and indicator \xF0\x9D\x9F\x99 are drawn.\n"  // 6: 𝔼 and 𝟙
      "Latin Extended-B: \xC6\x92, \xC7\x8E.\n"                   // 7: ƒ ǎ
      "Script \xF0\x9D\x92\xB3 is not.\n",                        // 8: 𝒳 (U+1D4B3)
      "g.md");
  CHECK(has_diag(l, 5, "U+0302, column 15", Severity::Warning));
  CHECK(has_diag(l, 5, "U+0304", Severity::Warning));
  CHECK(has_diag(l, 5, "combining accents", Severity::Warning));
  CHECK_FALSE(has_diag(l, 6, "cannot draw", Severity::Warning));
  CHECK_FALSE(has_diag(l, 7, "cannot draw", Severity::Warning));
  CHECK(has_diag(l, 8, "U+1D4B3", Severity::Warning));
  CHECK_FALSE(l.has_errors());
  // One list for the UI and the checker: it holds what the app loads.
  CHECK(glyph_drawable(U'ℝ'));
  CHECK(glyph_drawable(U'≈'));
  CHECK_FALSE(glyph_drawable(0x0302));
}

TEST_CASE("format: the README's deep-link example opens a shipped lesson's step and sets its knob") {
  std::string err;
  const auto readme = read_text_file(LAB_SOURCE_DIR "/lessons/README.md", &err);
  REQUIRE(readme.has_value());
  std::smatch m;
  REQUIRE(std::regex_search(*readme, m, std::regex("`#(\\d\\d-[a-z-]+)/(\\d+)\\?([a-z_]+)=(\\d+)`")));
  Session s;
  s.library = library_load(LAB_SOURCE_DIR "/lessons");
  REQUIRE(session_apply_route(s, m[1].str() + "/" + m[2].str() + "?" + m[3].str() + "=" + m[4].str(), &err));
  session_update(s, 1);
  CHECK(s.step == std::stoi(m[2].str()) - 1);
  bool set = false;
  for (const BlockRun& r : s.runs) set |= r.config.integer(m[3].str()) == std::stoi(m[4].str());
  CHECK_MESSAGE(set, "no block of step " << m[2].str() << " took " << m[3].str() << "=" << m[4].str());
}

TEST_CASE("format: every metric has a typical value in the generated reference, and no stale one") {
  for (const BlockKind* k : block_kinds())
    for (const MetricSpec& m : k->metrics) CHECK_MESSAGE(!m.typical.empty(), k->name << " metric " << m.name
                                                        << ": run scripts/update-lesson-reference.sh --measure");
  for (const MetricTypical& t : metric_typical_table()) {
    const BlockKind* k = block_kind_find(t.kind);
    CHECK_MESSAGE((k && block_metric_find(*k, t.metric)), t.kind << " " << t.metric << " is no longer a metric");
  }
}

TEST_CASE("format: the README's complete example is a valid lesson whose expects hold") {
  std::string err;
  const auto readme = read_text_file(LAB_SOURCE_DIR "/lessons/README.md", &err);
  REQUIRE(readme.has_value());
  const size_t begin = readme->find("````markdown\n");
  REQUIRE(begin != std::string::npos);
  const size_t end = readme->find("\n````\n", begin);
  REQUIRE(end != std::string::npos);
  const std::string example = readme->substr(begin + 13, end + 1 - (begin + 13));
  const Lesson l = lesson_parse(example, "lessons/02-example.md");
  const LessonCheck r = lesson_check(l);
  for (const Diagnostic& d : r.diagnostics) MESSAGE(diagnostic_format(d));
  CHECK(r.diagnostics.empty());
  CHECK(l.lab_block_count() == 2);
}

TEST_CASE("format: the documented ASCII forms mean the same as the Unicode ones") {
  const Lesson u = lesson_parse(lesson_with("expect std_cos ≈ 0.7 ± 0.1\n"), "u.md");
  const Lesson a = lesson_parse(lesson_with("expect std_cos ~ 0.7 +- 0.1\n"), "a.md");
  REQUIRE(first_block(u)->expects.size() == 1);
  REQUIRE(first_block(a)->expects.size() == 1);
  const Expect& eu = first_block(u)->expects[0];
  const Expect& ea = first_block(a)->expects[0];
  CHECK(ea.op == CmpOp::Approx);
  CHECK(ea.op == eu.op);
  CHECK(ea.rhs.offset == eu.rhs.offset);
  CHECK(ea.tolerance == eu.tolerance);
  for (const char* yes : {"yes", "true", "on", "1"}) {
    const Lesson l = lesson_parse(lesson_with(std::string("use_proxy: ") + yes + "\n", "rec-feedback"), "b.md");
    CHECK_MESSAGE(first_block(l)->config.flag("use_proxy"), yes);
  }
  for (const char* no : {"no", "false", "off", "0"}) {
    const Lesson l = lesson_parse(lesson_with(std::string("use_proxy: ") + no + "\n", "rec-feedback"), "b.md");
    CHECK_FALSE(l.has_errors());
    CHECK_FALSE(first_block(l)->config.flag("use_proxy"));
  }
}

TEST_CASE("format: a quiz choice holds a bar written as ∣ (U+2223), as the guide says") {
  const Lesson l = lesson_parse(lesson_with("question: Size of W?\nchoices: ∣V∣ | d | ∣V∣·d\nanswer: 3\n", "quiz"), "q.md");
  CHECK_FALSE(l.has_errors());
  const LessonCheck r = lesson_check(l);
  REQUIRE(r.blocks.size() == 1);
  double choices = 0;
  for (const Metric& m : r.blocks[0].metrics)
    if (m.name == "choices") choices = m.value;
  CHECK(choices == 3);
}

TEST_CASE("format: step numbers in links count an introduction as step 1") {
  Session s;
  s.library.lessons.push_back(lesson_parse("---\ntitle: T\n---\nIntro text.\n\n## First\nOne.\n## Second\nTwo.\n", "lessons/x.md"));
  s.library.lessons.push_back(lesson_parse("---\ntitle: T\n---\n## First\nOne.\n## Second\nTwo.\n", "lessons/y.md"));
  s.library.mtimes.resize(2);
  std::string err;
  REQUIRE(session_apply_route(s, "x/2", &err));
  CHECK(s.library.lessons[size_t(s.lesson)].steps[size_t(s.step)].title == "First");
  REQUIRE(session_apply_route(s, "y/2", &err));
  CHECK(s.library.lessons[size_t(s.lesson)].steps[size_t(s.step)].title == "Second");
}

namespace {

// A kind whose experiment reports only "always", whatever its declarations promise.
struct FixedExperiment : Experiment {
  void step(double) override {}
  bool done() const override { return true; }
  float progress() const override { return 1; }
  std::vector<Metric> metrics() const override { return {{"always", 1.0}}; }
};
std::unique_ptr<Experiment> make_fixed(const BlockConfig&) { return std::make_unique<FixedExperiment>(); }

}  // namespace

TEST_CASE("format: the checker fails a block that does not report a metric its declaration promises") {
  BlockKind kind{"fixed", "test kind", {{"mode", ParamType::Choice, "", 0, 0, 0, {"plain", "extra"}, "plain"}},
                 {{"always", "always reported"}, {"extra", "reported in extra mode", "mode = extra"}}, make_fixed};
  auto lesson_for = [&](const char* mode) {
    Lesson l;
    l.path = "fixed.md";
    StepPart part;
    part.kind = StepPart::Kind::Lab;
    part.line = 3;
    part.block.kind_name = "fixed";
    part.block.kind = &kind;
    part.block.line = 3;
    part.block.config.kind = &kind;
    REQUIRE(block_set_value(part.block.config, kind.params[0], mode).ok);
    l.steps.push_back(LessonStep{"S", "x", 1, 2, {part}});
    return l;
  };
  const LessonCheck plain = lesson_check(lesson_for("plain"));  // "extra" is not promised: fine
  CHECK(plain.ok());
  const LessonCheck extra = lesson_check(lesson_for("extra"));  // promised, not reported: a bug in the kind
  CHECK_FALSE(extra.ok());
  bool named = false;
  for (const Diagnostic& d : extra.diagnostics) named |= d.line == 3 && d.message.find("did not report metric 'extra'") != std::string::npos;
  CHECK(named);
}
