// Shared by the CLI tests: run `embedlab ARGS...` in-process and return its exit code; files for it.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
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

// A file in the temporary folder, its name unique to this process (CTest runs cases in parallel).
inline std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("embedlab_test_" + std::to_string(getpid()) + "_" + name)).string();
}

inline void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream f(path, std::ios::binary);
  f << bytes;
}

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

}  // namespace lab::test
