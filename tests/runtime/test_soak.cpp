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
#include <vector>

#include <time.h>

#include "core/build_info.h"
#include "core/rng.h"
#include "runtime/lab_block.h"

using namespace lab;
using namespace lab::runtime;

namespace {

// A slice may overrun its 2 ms budget by one unit of work. The largest unit any kind has is one
// mini-batch of batchnorm-compare at its extremes (512 digits through 12 x 256 units, forward and
// backward, ~1.2 GMAC). Worst slices measured on the project's 2-core machine (Nov 2026):
//   release, native:  ~110 ms quiet, 310 ms with 3 soaks at once, 510 ms during a -j 2 build
//   release, WASM:    ~140 ms quiet, 380 ms with 3 soaks at once
//   WASM without SIMD: 898-1019 ms during a -j 2 build (Dec 2026; core::kBuildSlowdown is 3 there)
//   ASan + UBSan:    ~1290 ms quiet, 4310 ms during a -j 2 build (about 10 x release)
// (Every other kind stays under ~60 ms quiet; the slow slices of t-SNE's initialisation, 0.2-0.9 s,
// and of batchnorm-inference's evaluation, 0.3-1.7 s, are gone.) The bounds leave 2 x the worst.
// A slice is measured in this thread's CPU time, not wall time: on a loaded machine (load 19 while a
// clean clone built beside three others, Dec 2026) the same 230 ms unit read 2,293 ms of wall time,
// and CI failed on such a reading. CPU time still catches what the limit is for: a slice that works
// for seconds.
constexpr double kSliceLimitMs = 1000.0 * core::kBuildSlowdown;

// CPU time of the calling thread, in ms (the experiments step on the caller's thread). Where the
// platform has no such clock (Emscripten's clock_gettime answers EINVAL), wall time.
double thread_cpu_ms() {
  timespec t{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

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
  out << "worst 2 ms slice per kind (CPU time):";
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
      const double t0 = thread_cpu_ms();
      const auto wall0 = std::chrono::steady_clock::now();
      exp->step(2.0);
      const double ms = thread_cpu_ms() - t0;
      const double wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
      SliceWorst& w = worst[kind.name];
      ++w.slices;
      if (ms > w.ms) w.ms = ms, w.setting = described;
      // A slice may overrun its budget by one unit of work (a mini-batch, a data load), never by
      // seconds: the UI would freeze. (See kSliceLimitMs: this also runs under ASan and in WASM.)
      REQUIRE_MESSAGE(ms < kSliceLimitMs, "a 2 ms slice took " << ms << " ms of CPU time (" << wall_ms << " ms wall)");
    }
    const float progress = exp->progress();
    CHECK(std::isfinite(progress));
    CHECK(progress >= 0.0f);
    CHECK(progress <= 1.0f);
    // A number, or "n/a" with the reason (a one-symbol vocabulary has no distance): never a silent NaN.
    for (const Metric& m : exp->metrics()) {
      if (m.defined()) CHECK_MESSAGE(std::isfinite(m.value), m.name << " is not finite");
      else CHECK_MESSAGE(metric_text(m).size() > 5, m.name << " is undefined without a reason");
    }
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
//   lab_tests -tc="slice profile*" --no-skip   (LAB_SOAK_SETTINGS: settings per kind, default 12;
//                                               LAB_PROFILE_KIND: only kinds whose name contains it)
TEST_CASE("slice profile: every experiment to the end, worst slice per kind" * doctest::skip()) {
  const char* env = std::getenv("LAB_SOAK_SETTINGS");
  const int per_kind = env ? std::max(1, std::atoi(env)) : 12;
  const char* env_s = std::getenv("LAB_PROFILE_SECONDS");
  const double cap_ms = 1000.0 * (env_s ? std::atof(env_s) : 20.0);
  core::Rng rng(20261128);
  std::map<std::string, SliceWorst> worst, make_worst;
  using clock = std::chrono::steady_clock;
  auto ms_since = [](clock::time_point t0) { return std::chrono::duration<double, std::milli>(clock::now() - t0).count(); };
  const char* only = std::getenv("LAB_PROFILE_KIND");
  for (const BlockKind* kind : block_kinds()) {
    if (only && kind->name.find(only) == std::string::npos) continue;
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

// Not run by default: fixed heavy settings of each kind, each driven to the end with 2 ms slices,
// printing the slowest slice and where it happened (LAB_PROFILE_KIND filters by kind name).
//   lab_tests -tc="slice profile: heavy*" --no-skip
TEST_CASE("slice profile: heavy settings, worst slice and where" * doctest::skip()) {
  const std::vector<std::pair<std::string, std::string>> scenarios = {
      {"batchnorm-inference", "eval_batch: 2\ndepth: 8\nwidth: 256\nbatch_size: 512\ntrain_size: 50\nepochs: 3\n"},
      {"batchnorm-inference", "eval_batch: 1024\ndepth: 8\nwidth: 256\nbatch_size: 512\ntrain_size: 50\nepochs: 3\n"},
      {"batchnorm-compare", "depth: 12\nwidth: 256\nbatch_size: 512\ntrain_size: 1697\nepochs: 2\n"},
      {"batchnorm-compare", "depth: 12\nwidth: 256\nbatch_size: 512\ntrain_size: 50\nepochs: 3\n"},
      {"projection", "data: digits\nmethod: tsne\ninit: pca\nsecond_seed: 5\niterations: 50\n"},
      {"projection", "data: digits\nmethod: tsne\ninit: random\nperplexity: 100\niterations: 50\n"},
      {"projection", "data: digits\nmethod: pca\n"},
      {"projection", "data: words\nmethod: tsne\niterations: 50\nwords_dim: 32\nwords_sentences: 5000\nwords_epochs: 2\n"},
      {"rec-explicit", "model: deep-meta\ndim: 128\nepochs: 1\ntsne_iterations: 50\nk: 50\n"},
      {"rec-explicit", "model: mf\ndim: 128\nepochs: 1\ntsne_iterations: 50\n"},
      {"rec-implicit", "model: deep-triplet\ndim: 128\nepochs: 1\nk: 50\n"},
      {"rec-implicit", "model: triplet\ndim: 128\nepochs: 1\nk: 50\n"},
      {"rec-data", ""},
      {"rec-feedback", "rounds: 4\nk: 50\nepochs_per_round: 1\n"},
      {"random-cosine", "dim: 4096\npairs: 20000\n"},
      {"dropout-mask", "inputs: 12\nhidden: 16\nlayers: 4\noutputs: 8\nsamples: 100000\n"},
      {"overfit-dropout", "hidden: 2048\ntrain_size: 1697\nval_size: 100\nnoisy_labels: 1697\nbatch_size: 512\nepochs: 3\n"},
      {"overfit-dropout", "hidden: 2048\ntrain_size: 50\nval_size: 1747\nnoisy_labels: 50\nbatch_size: 512\nepochs: 3\n"},
      {"overfit-regularise", "hidden: 2048\nhidden_ref: 2048\ntrain_size: 1697\nval_size: 100\nbatch_size: 512\nepochs: 3\n"},
      {"embedding-train", "dim: 32\nsentences: 5000\nepochs: 2\n"},
      {"embedding-distances", "dim: 32\nsentences: 5000\nepochs: 2\n"},
  };
  using clock = std::chrono::steady_clock;
  auto ms_since = [](clock::time_point t0) { return std::chrono::duration<double, std::milli>(clock::now() - t0).count(); };
  const char* only = std::getenv("LAB_PROFILE_KIND");
  std::ostringstream out;
  for (const auto& scenario : scenarios) {
    const std::string& kind = scenario.first;  // (clang 14 cannot capture structured bindings)
    const std::string& body = scenario.second;
    if (only && kind.find(only) == std::string::npos) continue;
    const LabBlock b = lab_block_parse(kind, body, "profile.md", 1, 2);
    REQUIRE_MESSAGE(b.ok(), kind << ": " << body);
    auto t0 = clock::now();
    std::unique_ptr<Experiment> exp = b.kind->make(b.config);
    const double make_ms = ms_since(t0);
    double worst = 0, total = 0;
    int slices = 0;
    std::string where;
    while (!exp->done() && exp->status().ok && slices < 200000) {
      const std::string before = exp->progress_text();
      t0 = clock::now();
      exp->step(2.0);
      const double ms = ms_since(t0);
      total += ms;
      ++slices;
      if (ms > worst) worst = ms, where = before + " -> " + exp->progress_text();
    }
    std::string flat = body;
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    char buf[160];
    std::snprintf(buf, sizeof buf, "\n  %-20s make %6.1f ms, worst slice %7.1f ms of %6d (total %8.0f ms) ", kind.c_str(),
                  make_ms, worst, slices, total);
    out << buf << flat << " [" << where << "]" << (exp->status().ok ? "" : " STOPPED: " + exp->status().message);
  }
  MESSAGE("heavy settings:" << out.str());
}
