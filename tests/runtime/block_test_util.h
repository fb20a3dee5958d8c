// Shared by the lab-block tests: read one metric of an experiment by name.
#pragma once

#include <cmath>
#include <string>

#include <doctest/doctest.h>

#include "runtime/experiment.h"

namespace lab::test {

// The value of metric `name`; fails the test if the experiment does not report it.
inline double metric(const runtime::Experiment& e, const std::string& name) {
  for (const runtime::Metric& m : e.metrics())
    if (m.name == name) return m.value;
  FAIL("no metric " << name);
  return NAN;
}

}  // namespace lab::test
