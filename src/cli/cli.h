// The headless side of `embedlab`: subcommands for instructors' scripts, CI and our own checks.
// cli_main() returns a process exit code, or kRunGui when the caller should open the lab window.
#pragma once

#include <string>
#include <vector>

namespace lab::cli {

constexpr int kRunGui = -1;

struct GuiOptions {
  std::string lessons_dir;  // --lessons DIR (empty: the platform's default)
  std::string route;        // --lesson ID[/STEP]
  int frames = 0;           // --frames N: close after N frames (smoke tests)
  std::string screenshot;   // --screenshot FILE.ppm, with --frames
  std::vector<std::string> open;  // --open FILE (repeatable): opened as if dropped on the window
};

int cli_main(int argc, char** argv, GuiOptions& gui);

}  // namespace lab::cli
