// Shared by the lab-block tests: make a block's experiment as a lesson would, run it to its end, and
// read one metric by name.
#pragma once

#include <cmath>
#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "runtime/experiment.h"
#include "runtime/lab_block.h"

namespace lab::test {

// The experiment of a `kind` block whose body is `body` (lines "param: value"), parsed and validated
// as a lesson's block is.
inline std::unique_ptr<runtime::Experiment> make(const std::string& kind, const std::string& body) {
  const runtime::LabBlock b = runtime::lab_block_parse(kind, body, "test.md", 1, 2);
  for (const runtime::Diagnostic& d : b.diagnostics) MESSAGE(runtime::diagnostic_format(d));
  REQUIRE(b.ok());
  auto e = b.kind->make(b.config);
  REQUIRE(e);
  return e;
}

// Steps the experiment in slices of budget_ms until it is done; fails the test if it stops or never ends.
inline void run_to_end(runtime::Experiment& e, double budget_ms = 20) {
  for (int i = 0; i < 1000000 && !e.done() && e.status().ok; ++i) e.step(budget_ms);
  REQUIRE(e.status().ok);
  REQUIRE(e.done());
}

// The value of metric `name`; fails the test if the experiment does not report it.
inline double metric(const runtime::Experiment& e, const std::string& name) {
  for (const runtime::Metric& m : e.metrics())
    if (m.name == name) return m.value;
  FAIL("no metric " << name);
  return NAN;
}

}  // namespace lab::test
