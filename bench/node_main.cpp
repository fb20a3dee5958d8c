// embedlab_node: the headless CLI built for node (WASM), used by `embedlab bench` to run the
// benchmark suites inside WebAssembly. No window: without a command it prints the help.
#include <cstdio>

#include "cli/cli.h"

int main(int argc, char** argv) {
  lab::cli::GuiOptions gui;
  const int rc = lab::cli::cli_main(argc, argv, gui);
  if (rc != lab::cli::kRunGui) return rc;
  std::fprintf(stderr, "embedlab_node: no window in this build; give a command (embedlab_node --help)\n");
  return 2;
}
