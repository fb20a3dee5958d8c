#include "cli/cli.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "core/build_info.h"
#include "runtime/build_id.h"

namespace lab::cli {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(Args args);
};

namespace {

int cmd_help(Args);

// One line per headless command.
const Command kCommands[] = {
    {"help", "show this text (also --help, -h)", cmd_help},
    {"version", "print version, build id and SIMD in use (also --version)", cmd_version},
    {"lesson", "check lessons headless (lesson check FILE...), write their text as HTML (lesson html), list lab-block kinds", cmd_lesson},
    {"bench", "benchmarks: native, WASM under node, peers; prints BENCH lines", cmd_bench},
    {"tsne", "t-SNE of a labelled CSV file (label,f1,...,fD) to label,x,y", cmd_tsne},
    {"pca", "PCA of a labelled CSV file to label,x,y[,z]", cmd_pca},
    {"recsys", "train a recommender (generated or MovieLens-100k data), print test metrics", cmd_recsys},
};

const char* kUsageHead =
    "usage: embedlab [--lessons DIR] [--lesson ID[/STEP]] [--open FILE]... [--frames N [--screenshot FILE.ppm]]\n"
    "       embedlab <command> [options]     (embedlab <command> --help for its options)\n"
    "\n"
    "With no command, opens the lab window.\n"
    "\n"
    "commands:\n";
const char* kUsageTail =
    "\n"
    "window options:\n"
    "  --lessons DIR        read lessons from DIR (default: the source tree's lessons/)\n"
    "  --lesson ID[/STEP]   open this lesson (file name without .md) at this step (1-based)\n"
    "  --frames N           close after N frames (for smoke tests)\n"
    "  --screenshot FILE    with --frames: write the last frame as a PPM image\n"
    "  --open FILE          open FILE as if dropped on the window: a lesson (.md); your own vectors for\n"
    "                       the projection blocks (vectors.tsv [+ metadata.tsv], or a labelled .csv);\n"
    "                       MovieLens-100k for the recommender lessons (ml-100k.zip, or u.data, u.item\n"
    "                       and u.user: one --open each)\n";

std::string usage_text() {
  std::string s = kUsageHead;
  for (const Command& c : kCommands) {
    std::string name = c.name;
    name.resize(12, ' ');
    s += "  " + name + c.summary + "\n";
  }
  return s + kUsageTail;
}

int cmd_help(Args) {
  std::fputs(usage_text().c_str(), stdout);
  return 0;
}

int usage_error(const std::string& msg) {
  std::fprintf(stderr, "embedlab: %s\n\n%s", msg.c_str(), usage_text().c_str());
  return 2;
}

}  // namespace

int usage_error(std::string_view cmd, const std::string& msg, const char* usage) {
  std::fprintf(stderr, "embedlab %.*s: %s\n\n%s", int(cmd.size()), cmd.data(), msg.c_str(), usage);
  return 2;
}

int options_walk(std::string_view cmd, Args args, const char* usage, const OptionTake& take,
                 std::initializer_list<std::string_view> flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    }
    if (!a.starts_with("--")) return usage_error(cmd, "unexpected argument '" + std::string(a) + "'", usage);
    const bool flag = std::find(flags.begin(), flags.end(), a) != flags.end();
    if (!flag && i + 1 >= args.size()) return usage_error(cmd, std::string(a) + " needs a value", usage);
    const std::string_view value = flag ? std::string_view() : args[++i];
    if (const std::string err = take(a, value); !err.empty()) return usage_error(cmd, err, usage);
  }
  return -1;
}

std::string unknown_option(std::string_view name) { return "unknown option '" + std::string(name) + "'"; }

int cmd_version(Args) {
  std::printf("embedlab %s (build %s)\n%s, SIMD: %s\n%s\n", runtime::build_version(), runtime::build_id(), core::build_target().c_str(),
              core::build_simd().c_str(), core::build_eigen().c_str());
  return 0;
}

int cli_main(int argc, char** argv, GuiOptions& gui) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (!args.empty() && !args[0].starts_with("-")) {
    const std::string_view cmd = args[0];
    std::string names;
    for (const Command& c : kCommands) {
      if (cmd == c.name) return c.run(Args(args).subspan(1));
      names += (names.empty() ? "" : ", ") + std::string(c.name);
    }
    return usage_error("unknown command '" + std::string(cmd) + "' (commands: " + names + ")");
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    auto value = [&](std::string& out) -> bool {
      if (i + 1 >= args.size()) return false;
      out = std::string(args[++i]);
      return true;
    };
    if (a == "--help" || a == "-h") {
      return cmd_help({});
    } else if (a == "--version") {
      return cmd_version({});
    } else if (a == "--lessons") {
      if (!value(gui.lessons_dir)) return usage_error("--lessons needs a folder");
    } else if (a == "--lesson") {
      if (!value(gui.route)) return usage_error("--lesson needs a lesson id, e.g. 01-symbols/2");
    } else if (a == "--open") {
      std::string f;
      if (!value(f)) return usage_error("--open needs a file");
      gui.open.push_back(f);
    } else if (a == "--screenshot") {
      if (!value(gui.screenshot)) return usage_error("--screenshot needs a file name");
    } else if (a == "--frames") {
      std::string v;
      if (!value(v)) return usage_error("--frames needs a number");
      const auto r = std::from_chars(v.data(), v.data() + v.size(), gui.frames);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size() || gui.frames < 1)
        return usage_error("--frames needs a positive whole number, got '" + v + "'");
    } else {
      return usage_error("unknown option '" + std::string(a) + "'");
    }
  }
  return kRunGui;
}

}  // namespace lab::cli
