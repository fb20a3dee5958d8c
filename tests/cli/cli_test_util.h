// Shared by the CLI tests: run `embedlab ARGS...` in-process and return its exit code.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cli/cli.h"

namespace lab::test {

inline int run_cli(std::vector<std::string> args) {
  args.insert(args.begin(), "embedlab");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  cli::GuiOptions gui;
  return cli::cli_main(int(argv.size()), argv.data(), gui);
}

}  // namespace lab::test
