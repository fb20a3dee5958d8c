#include <doctest/doctest.h>

#include <vector>

#include "cli/cli.h"

namespace {
int run(std::vector<const char*> args, lab::cli::GuiOptions* out = nullptr) {
  args.insert(args.begin(), "embedlab");
  lab::cli::GuiOptions gui;
  const int rc = lab::cli::cli_main(int(args.size()), const_cast<char**>(args.data()), gui);
  if (out) *out = gui;
  return rc;
}
}  // namespace

TEST_CASE("cli: help and version succeed, unknown commands and flags are usage errors (exit 2)") {
  CHECK(run({"--help"}) == 0);
  CHECK(run({"help"}) == 0);
  CHECK(run({"--version"}) == 0);
  CHECK(run({"version"}) == 0);
  CHECK(run({"frobnicate"}) == 2);
  CHECK(run({"--frobnicate"}) == 2);
  CHECK(run({"--frames"}) == 2);
  CHECK(run({"--frames", "0"}) == 2);
  CHECK(run({"--frames", "12x"}) == 2);
}

TEST_CASE("cli: no command means open the window, with the options given") {
  lab::cli::GuiOptions gui;
  CHECK(run({}, &gui) == lab::cli::kRunGui);
  CHECK(run({"--lesson", "01-symbols/2", "--frames", "5", "--lessons", "x"}, &gui) == lab::cli::kRunGui);
  CHECK(gui.route == "01-symbols/2");
  CHECK(gui.frames == 5);
  CHECK(gui.lessons_dir == "x");
}
