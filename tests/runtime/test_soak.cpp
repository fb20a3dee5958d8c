// Soak test: random values for every parameter of every lab-block kind — including the extremes of
// each range (learning rates at their maximum, p = 0 and p = 1, batch size 1, huge dimensions,
// empty texts) — each experiment advanced for a bounded number of slices. Nothing may crash, hang
// or report a non-finite metric; a run that cannot go on must say so in its status.
// LAB_SOAK_SETTINGS overrides the number of settings (default 1000).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>

#include "core/rng.h"
#include "runtime/lab_block.h"

using namespace lab;
using namespace lab::runtime;

namespace {

// Sanitizer builds run several times slower; the bound is about a release build's frame budget.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kSliceLimitMs = 12000.0;
#else
constexpr double kSliceLimitMs = 3000.0;
#endif

std::string random_value(const ParamSpec& p, core::Rng& rng) {
  const double u = core::rng_uniform(rng);
  switch (p.type) {
    case ParamType::Int:
    case ParamType::Float: {
      double v;
      if (u < 0.2) v = p.min;                                   // the extremes are where bugs live
      else if (u < 0.4) v = p.max;
      else if (p.min > 0 && p.max / p.min > 100)               // log-uniform over wide positive ranges
        v = p.min * std::pow(p.max / p.min, core::rng_uniform(rng));
      else v = p.min + (p.max - p.min) * core::rng_uniform(rng);
      if (p.type == ParamType::Int) v = std::round(std::clamp(v, p.min, p.max));
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.9g", std::clamp(v, p.min, p.max));
      return buf;
    }
    case ParamType::Bool: return u < 0.5 ? "no" : "yes";
    case ParamType::Choice: return p.choices[core::rng_below(rng, uint32_t(p.choices.size()))];
    case ParamType::Text: {
      if (u < 0.15) return "";
      if (u < 0.3) return p.def_text + ", " + p.def_text;  // duplicates
      if (u < 0.4) return "‖x − y‖² λ ℝᵈ | | ,,, ";        // odd separators and maths
      return p.def_text;
    }
  }
  return {};
}

// The slowest slice seen per block kind, and the setting that produced it.
struct SliceWorst {
  double ms = 0;
  std::string setting;
  int slices = 0;
};

std::string slice_report(const std::map<std::string, SliceWorst>& worst) {
  std::ostringstream out;
  out << "worst 2 ms slice per kind:";
  for (const auto& [kind, w] : worst) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "\n  %-22s %9.1f ms  (%d slices) ", kind.c_str(), w.ms, w.slices);
    out << buf << w.setting;
  }
  return out.str();
}

}  // namespace

TEST_CASE("soak: random and extreme parameter values across every lab-block kind") {
  const char* env = std::getenv("LAB_SOAK_SETTINGS");
  const int settings = env ? std::max(1, std::atoi(env)) : 1000;
  core::Rng rng(20261127);
  const auto& kinds = block_kinds();
  REQUIRE(!kinds.empty());
  int stopped_with_message = 0, finished = 0;
  std::map<std::string, SliceWorst> worst;
  for (int s = 0; s < settings; ++s) {
    const BlockKind& kind = *kinds[size_t(s) % kinds.size()];
    BlockConfig config;
    config.kind = &kind;
    std::string described = kind.name + ":";
    for (const ParamSpec& p : kind.params) {
      const std::string v = random_value(p, rng);
      const core::Status st = block_set_value(config, p, v);
      REQUIRE_MESSAGE(st.ok, kind.name << "." << p.name << " = '" << v << "': " << st.message);
      described += " " + p.name + "=" + v;
    }
    INFO(described);
    if (kind.validate && !kind.validate(config).ok) continue;  // the parser would have reported it
    std::unique_ptr<Experiment> exp = kind.make(config);
    REQUIRE(exp != nullptr);
    for (int k = 0; k < 6 && !exp->done() && exp->status().ok; ++k) {
      const auto t0 = std::chrono::steady_clock::now();
      exp->step(2.0);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      SliceWorst& w = worst[kind.name];
      ++w.slices;
      if (ms > w.ms) w.ms = ms, w.setting = described;
      // A slice may overrun its budget by one unit of work (a mini-batch, a data load), never by
      // seconds: the UI would freeze. (Generous bound: this also runs under ASan and in WASM.)
      REQUIRE_MESSAGE(ms < kSliceLimitMs, "a 2 ms slice took " << ms << " ms");
    }
    const float progress = exp->progress();
    CHECK(std::isfinite(progress));
    CHECK(progress >= 0.0f);
    CHECK(progress <= 1.0f);
    for (const Metric& m : exp->metrics()) CHECK_MESSAGE(std::isfinite(m.value), m.name << " is not finite");
    if (!exp->status().ok) {
      ++stopped_with_message;
      CHECK_FALSE(exp->status().message.empty());
    }
    finished += exp->done();
  }
  MESSAGE(settings << " settings: " << finished << " finished within the slices, " << stopped_with_message
                   << " stopped with a message");
  MESSAGE(slice_report(worst));
}

// Not run by default (it takes minutes): every kind with random and extreme settings, each experiment
// driven to the end (or for LAB_PROFILE_SECONDS, default 20, of slices), printing the slowest 2 ms
// slice per kind and the slowest construction. For measuring, not for asserting:
//   lab_tests -tc="slice profile*" --no-skip   (LAB_SOAK_SETTINGS: settings per kind, default 12)
TEST_CASE("slice profile: every experiment to the end, worst slice per kind" * doctest::skip()) {
  const char* env = std::getenv("LAB_SOAK_SETTINGS");
  const int per_kind = env ? std::max(1, std::atoi(env)) : 12;
  const char* env_s = std::getenv("LAB_PROFILE_SECONDS");
  const double cap_ms = 1000.0 * (env_s ? std::atof(env_s) : 20.0);
  core::Rng rng(20261128);
  std::map<std::string, SliceWorst> worst, make_worst;
  using clock = std::chrono::steady_clock;
  auto ms_since = [](clock::time_point t0) { return std::chrono::duration<double, std::milli>(clock::now() - t0).count(); };
  for (const BlockKind* kind : block_kinds()) {
    for (int s = 0; s < per_kind; ++s) {
      BlockConfig config;
      config.kind = kind;
      std::string described = kind->name + ":";
      for (const ParamSpec& p : kind->params) {
        const std::string v = random_value(p, rng);
        REQUIRE(block_set_value(config, p, v).ok);
        described += " " + p.name + "=" + v;
      }
      if (kind->validate && !kind->validate(config).ok) continue;
      auto t0 = clock::now();
      std::unique_ptr<Experiment> exp = kind->make(config);
      const double make_ms = ms_since(t0);
      SliceWorst& mw = make_worst[kind->name];
      ++mw.slices;
      if (make_ms > mw.ms) mw.ms = make_ms, mw.setting = described;
      const auto run_start = clock::now();
      while (!exp->done() && exp->status().ok && ms_since(run_start) < cap_ms) {
        t0 = clock::now();
        exp->step(2.0);
        const double ms = ms_since(t0);
        SliceWorst& w = worst[kind->name];
        ++w.slices;
        if (ms > w.ms) w.ms = ms, w.setting = described + "  [at " + exp->progress_text() + "]";
      }
    }
  }
  MESSAGE(slice_report(worst));
  MESSAGE("construction (make):\n" << slice_report(make_worst));
}
