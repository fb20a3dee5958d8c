// Headless subcommands of `embedlab`. Each lives in its own file (cmd_<name>.cpp), takes the
// arguments after its name, prints numbers to stdout and errors to stderr, and returns an exit code:
// 0 success, 1 failure (bad data, failed check), 2 usage error. Add a command = add a file, declare
// it here, and add one line to kCommands in cli.cpp.
#pragma once

#include <functional>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace lab::cli {

using Args = std::span<const std::string_view>;

// Prints "embedlab <cmd>: <msg>" and the command's usage to stderr; returns 2.
int usage_error(std::string_view cmd, const std::string& msg, const char* usage);

// The options of a subcommand, in order: `take(name, value)` handles one "--name value" pair (or a
// name in `flags`, which takes no value: value is "") and returns "" or what is wrong with it.
// --help / -h prints `usage` to stdout. Returns -1 when every option was taken, else the exit status
// the command returns: 0 after --help, 2 after a usage error (reported as usage_error does).
using OptionTake = std::function<std::string(std::string_view name, std::string_view value)>;
int options_walk(std::string_view cmd, Args args, const char* usage, const OptionTake& take,
                 std::initializer_list<std::string_view> flags = {});
// "unknown option '--x'": what `take` returns for a name it does not know.
std::string unknown_option(std::string_view name);

int cmd_version(Args args);
int cmd_lesson(Args args);
// The lab-block reference (also in lessons/README.md, which a test keeps in sync).
std::string lesson_kinds_reference(bool markdown);
int cmd_bench(Args args);
int cmd_tsne(Args args);  // cmd_tsne.cpp
int cmd_pca(Args args);   // cmd_pca.cpp
int cmd_recsys(Args args);

}  // namespace lab::cli
