// Shared links are a faithful encoding of the state: every knob value of every registered block
// kind — text with & = # ? % + spaces, commas and non-ASCII; numbers at full precision; choices;
// yes/no — survives state → link → state unchanged, and the link it gives back is the same link.
// Values are random (seeded, so a failure reproduces) and drawn from each kind's own schema.
#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "core/rng.h"
#include "runtime/lab_block.h"
#include "runtime/session.h"

using namespace lab::runtime;
using lab::core::Rng;

namespace {

// Pieces a student's text could hold; random text is built from these and from random bytes.
const char* const kTextPieces[] = {"&", "=", "#", "?", "%", "+", " ", ",", "/", ":", ";", "%20", "%2", "%zz", "%%",
                                   "a=b", "x#y", "cat & dog", "naïve", "Ω≈λ", "中文", "🙂", "\"", "'", "\\", "<b>",
                                   "\t", "~", "*", "(", ")", "!", "[", "]", "@", "$", "^", "|", "{", "}", "`"};

std::string random_text(Rng& rng, size_t max_bytes) {
  std::string t;
  const int pieces = int(rng_below(rng, 12));
  for (int i = 0; i < pieces; ++i) {
    switch (rng_below(rng, 3)) {
      case 0: t += kTextPieces[rng_below(rng, uint32_t(std::size(kTextPieces)))]; break;
      case 1: t += char('a' + rng_below(rng, 26)); break;
      default: t += char(1 + rng_below(rng, 255)); break;  // any byte but NUL (a C string ends there)
    }
  }
  if (t.size() > max_bytes) t.resize(max_bytes);
  return t;
}

// A random valid value for a parameter, as text block_set_value accepts. Numbers are drawn with all
// 53 bits (uniform, log-uniform, or an end of the range), so "%g"-style rounding would show.
std::string random_value(Rng& rng, const ParamSpec& spec) {
  char buf[64];
  switch (spec.type) {
    case ParamType::Int: {
      const double lo = std::ceil(spec.min), hi = std::floor(spec.max);
      const uint32_t pick = rng_below(rng, 4);
      const double v = pick == 0 ? lo : pick == 1 ? hi : std::floor(lo + rng_uniform(rng) * (hi - lo + 1));
      std::snprintf(buf, sizeof buf, "%.0f", std::min(v, hi));
      return buf;
    }
    case ParamType::Float: {
      double v = 0;
      const uint32_t pick = rng_below(rng, 5);
      if (pick == 0) v = spec.min;
      else if (pick == 1) v = spec.max;
      else if (pick == 2 && spec.min > 0) v = spec.min * std::pow(spec.max / spec.min, rng_uniform(rng));
      else v = spec.min + rng_uniform(rng) * (spec.max - spec.min);
      v = std::clamp(v, spec.min, spec.max);
      std::snprintf(buf, sizeof buf, "%.17g", v);
      return buf;
    }
    case ParamType::Bool: return rng_below(rng, 2) ? "yes" : "no";
    case ParamType::Choice: return spec.choices.empty() ? std::string() : spec.choices[rng_below(rng, uint32_t(spec.choices.size()))];
    case ParamType::Text: return random_text(rng, spec.max_text);
  }
  return {};
}

// Two blocks of one kind per step (so both "name" and "2.name" keys are used), every parameter a knob.
std::string kind_block(const BlockKind& k) {
  std::string body = "```lab " + k.name + "\n";
  // Kinds whose defaults do not validate on their own (a quiz needs its choices and answer).
  if (k.name == "quiz") body += "choices: a | b\nanswer: 1\n";
  for (const ParamSpec& p : k.params) body += "knob " + p.name + "\n";
  return body + "```\n\n";
}

Session session_of_every_kind() {
  std::string md = "---\ntitle: Every kind\n---\n";
  for (const BlockKind* k : block_kinds()) md += "## " + k->name + "\nText.\n\n" + kind_block(*k) + kind_block(*k);
  Session s;
  s.library.lessons.push_back(lesson_parse(md, "lessons/every-kind.md"));
  s.library.mtimes.resize(1);
  return s;
}

bool same_value(const ParamValue& a, const ParamValue& b) {
  return std::memcmp(&a.number, &b.number, sizeof(double)) == 0 && a.text == b.text;
}

}  // namespace

TEST_CASE("route: escape/unescape round-trip any bytes, the escaped form uses only link-safe characters") {
  Rng rng(19);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(rng_below(rng, 40), '\0');
    for (char& c : bytes) c = char(rng_below(rng, 256));
    const std::string e = route_escape(bytes);
    CHECK(route_unescape(e) == bytes);
    for (char c : e) CHECK((std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_.!~*'()%", c)));
  }
  // The set JavaScript's encodeURIComponent leaves alone; everything else is %XX (upper case).
  CHECK(route_escape("AZaz09-_.!~*'()") == "AZaz09-_.!~*'()");
  CHECK(route_escape("cat & dog, a=b, x#y, naïve") == "cat%20%26%20dog%2C%20a%3Db%2C%20x%23y%2C%20na%C3%AFve");
  // Lenient decoding: '+' is a plus (this is a #fragment, not a form), a stray '%' stays.
  CHECK(route_unescape("a+b%2Bc%2bd%zz%4") == "a+b+c+d%zz%4");
}

TEST_CASE("route: numbers are written at full precision, shortest form") {
  ParamSpec f{"x", ParamType::Float};
  ParamSpec n{"n", ParamType::Int};
  ParamValue v;
  v.number = 0.1;
  CHECK(route_format_value(f, v) == "0.1");
  v.number = 0.1 + 0.2;  // 0.30000000000000004: %g would say 0.3
  CHECK(std::strtod(route_format_value(f, v).c_str(), nullptr) == v.number);
  v.number = 3e-5;
  CHECK(route_format_value(f, v) == "3e-5");
  v.number = 1e6;
  CHECK(route_format_value(f, v) == "1e6");
  v.number = 123456789;
  CHECK(route_format_value(n, v) == "123456789");
  Rng rng(7);
  for (int i = 0; i < 5000; ++i) {
    double x = 0;
    const uint64_t bits = rng_next_u64(rng);
    std::memcpy(&x, &bits, sizeof x);
    if (!std::isfinite(x)) continue;
    const std::string s = route_format_value(f, v = ParamValue{x, {}});
    REQUIRE(std::strtod(s.c_str(), nullptr) == x);
    CHECK(s.size() <= 24);
  }
}

TEST_CASE("route: random values of every knob of every block kind survive link -> page -> link") {
  Session a = session_of_every_kind();
  REQUIRE(a.library.lessons.size() == 1);
  const Lesson& lesson = a.library.lessons[0];
  REQUIRE(lesson.steps.size() == block_kinds().size());
  Rng rng(2026);
  int values_checked = 0;
  for (int step = 0; step < int(lesson.steps.size()); ++step) {
    session_select(a, 0, step);
    session_update(a, 0);
    REQUIRE(a.runs.size() == 2);
    const std::string kind = a.library.lessons[0].steps[size_t(step)].title;
    for (const BlockRun& r : a.runs) {
      const LabBlock* b = session_run_block(a, r);
      REQUIRE(b);
      INFO("kind " << kind << ": " << (b->diagnostics.empty() ? std::string() : b->diagnostics[0].message));
      REQUIRE(b->ok());
      CHECK(b->knobs.size() == b->kind->params.size());
    }
    // 10 rounds: each builds every block's experiment twice (most of the time: weight initialisation),
    // and fuzz_route (tests/fuzz) throws millions of random links at the same code.
    for (int round = 0; round < 10; ++round) {
      // The state: random values set on the live blocks as a knob would set them.
      for (BlockRun& r : a.runs)
        for (const ParamSpec& p : session_run_block(a, r)->kind->params) {
          const std::string text = random_value(rng, p);
          INFO(kind << "." << p.name << " = '" << text << "'");
          REQUIRE(block_set_value(r.config, p, text).ok);
        }
      const std::string link = session_route(a);
      INFO("link: " << link);
      // The link holds only link-safe characters: a '?' before the knobs, '&' and '=' between them.
      for (char c : link) CHECK((std::isalnum(static_cast<unsigned char>(c)) || std::strchr("-_.!~*'()%/?&=", c)));

      Session b = session_of_every_kind();
      std::string err;
      REQUIRE(session_apply_route(b, "#" + link, &err));
      session_update(b, 0);
      REQUIRE(b.step == step);
      REQUIRE(b.runs.size() == a.runs.size());
      for (size_t i = 0; i < a.runs.size(); ++i)
        for (const ParamSpec& p : session_run_block(a, a.runs[i])->kind->params) {
          const ParamValue& want = a.runs[i].config.values.at(p.name);
          const ParamValue& got = b.runs[i].config.values.at(p.name);
          INFO("block " << i + 1 << " " << kind << "." << p.name << ": want '" << want.text << "' " << want.number
                        << ", got '" << got.text << "' " << got.number);
          CHECK(same_value(want, got));
          ++values_checked;
        }
      CHECK(session_route(b) == link);
      CHECK(session_knob_values(b) == session_knob_values(a));
    }
  }
  MESSAGE(values_checked << " knob values round-tripped");
  CHECK(values_checked > 0);
}

TEST_CASE("route: the issue's link keeps the whole vocabulary, and old links still open") {
  Session s;
  s.library.lessons.push_back(lesson_parse(
      "---\ntitle: T\n---\n## A\n```lab embedding-lookup\nknob vocabulary\n```\n", "lessons/v.md"));
  s.library.mtimes.resize(1);
  const std::string vocab = "cat & dog, a=b, x#y, naïve";
  std::string err;
  // What the issue's link holds: encodeURIComponent of the vocabulary.
  REQUIRE(session_apply_route(s, "v/1?vocabulary=cat%20%26%20dog%2C%20a%3Db%2C%20x%23y%2C%20na%C3%AFve", &err));
  session_update(s, 0);
  REQUIRE(s.runs.size() == 1);
  CHECK(s.runs[0].config.text("vocabulary") == vocab);
  CHECK(session_route(s) == "v/1?vocabulary=cat%20%26%20dog%2C%20a%3Db%2C%20x%23y%2C%20na%C3%AFve");
  const auto knobs = session_knob_values(s);
  REQUIRE(knobs.size() == 1);
  CHECK(knobs[0] == std::pair<std::string, std::string>("vocabulary", vocab));
  // A link written by hand (or by the old page, with encodeURI) opens with the same value.
  REQUIRE(session_apply_route(s, "v/1?vocabulary=cat,dog%20bird", &err));
  session_update(s, 0);
  CHECK(s.runs[0].config.text("vocabulary") == "cat,dog bird");
  CHECK(session_route(s) == "v/1?vocabulary=cat%2Cdog%20bird");
}
