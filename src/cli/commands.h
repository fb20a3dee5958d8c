// Headless subcommands of `embedlab`. Each lives in its own file (cmd_<name>.cpp), takes the
// arguments after its name, prints numbers to stdout and errors to stderr, and returns an exit code:
// 0 success, 1 failure (bad data, failed check), 2 usage error. Add a command = add a file, declare
// it here, and add one line to kCommands in cli.cpp.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace lab::cli {

using Args = std::span<const std::string_view>;

// Prints "embedlab <cmd>: <msg>" and the command's usage to stderr; returns 2.
int usage_error(std::string_view cmd, const std::string& msg, const char* usage);

int cmd_version(Args args);
int cmd_lesson(Args args);
// The lab-block reference (also in lessons/README.md, which a test keeps in sync).
std::string lesson_kinds_reference(bool markdown);
int cmd_bench(Args args);
int cmd_tsne(Args args);  // cmd_tsne.cpp
int cmd_pca(Args args);   // cmd_pca.cpp
int cmd_recsys(Args args);

}  // namespace lab::cli
