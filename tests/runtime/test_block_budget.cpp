// Every lab-block kind at the largest values its schema accepts (the worst a lesson or a deep link can
// ask for) starts and takes its first steps without any memory-budget refusal: the schema maxima are
// what keep the blocks far below the lab's budget (core/memory_budget.h), so this fails if a schema
// range is widened past what the budget allows.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "runtime/lab_block.h"

using namespace lab::runtime;

namespace {

std::string number_text(const ParamSpec& p, double v) {
  char buf[64];
  if (p.type == ParamType::Int) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

TEST_CASE("block budget: every kind at its schema's maxima starts without a memory-budget refusal") {
  for (const BlockKind* kind : block_kinds()) {
    CAPTURE(kind->name);
    // Greedily raise every number to its maximum, keeping each one the kind's cross-checks accept
    // (e.g. noisy_labels <= train_size, a quiz answer among its choices).
    std::string body;
    for (const ParamSpec& p : kind->params) {
      if (p.type != ParamType::Int && p.type != ParamType::Float) continue;
      const std::string trial = body + p.name + ": " + number_text(p, p.max) + "\n";
      if (lab_block_parse(kind->name, trial, "max.md", 1, 2).ok()) body = trial;
    }
    const LabBlock block = lab_block_parse(kind->name, body, "max.md", 1, 2);
    REQUIRE(block.ok());
    std::unique_ptr<Experiment> e = block.kind->make(block.config);
    REQUIRE(e);
    for (int i = 0; i < 3 && !e->done() && e->status().ok; ++i) e->step(5.0);
    const std::string msg = e->status().message;
    CHECK_MESSAGE(msg.find("memory budget") == std::string::npos, msg);
  }
}
