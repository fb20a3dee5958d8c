// Smoke test of the `embedlab bench` command line (not the benchmarks themselves: no timing here).
#include <doctest/doctest.h>

#include <initializer_list>
#include <vector>

#include "cli/cli.h"

namespace {
int run(std::initializer_list<const char*> argv) {
  std::vector<char*> v;
  for (const char* a : argv) v.push_back(const_cast<char*>(a));
  lab::cli::GuiOptions gui;
  return lab::cli::cli_main(int(v.size()), v.data(), gui);
}
}  // namespace

TEST_CASE("cli: bench --help succeeds, unknown bench options and suites are usage errors") {
  CHECK(run({"embedlab", "bench", "--help"}) == 0);
  CHECK(run({"embedlab", "bench", "--bogus"}) == 2);
  CHECK(run({"embedlab", "bench", "--suite", "nonexistent"}) == 2);
  CHECK(run({"embedlab", "bench", "--suite"}) == 2);
}
