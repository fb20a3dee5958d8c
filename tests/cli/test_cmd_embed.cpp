// `embedlab tsne` and `embedlab pca` through cli_main, with temporary files.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli_test_util.h"
#include "core/memory_budget.h"
#include "core/rng.h"

namespace {

namespace fs = std::filesystem;

using lab::test::read_file;
using lab::test::temp_path;
using lab::test::write_file;


int run(std::vector<std::string> args) { return lab::test::run_cli(std::move(args)); }

// Two labelled blobs in 5-D, with a header line.
std::string blobs_csv(int per) {
  lab::core::Rng rng(9);
  std::string s = "label,a,b,c,d,e\n";
  for (int c = 0; c < 2; ++c)
    for (int i = 0; i < per; ++i) {
      s += c == 0 ? "left" : "right";
      for (int j = 0; j < 5; ++j) s += "," + std::to_string((j == 0 ? 8.0 * c : 0.0) + lab::core::rng_normal(rng));
      s += "\n";
    }
  return s;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream s(text);
  for (std::string line; std::getline(s, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("cli tsne: good file -> label,x,y in input order") {
  const std::string in = temp_path("tsne_in.csv"), out = temp_path("tsne_out.csv");
  write_file(in, blobs_csv(20));
  fs::remove(out);
  CHECK(run({"tsne", "--input", in, "--output", out, "--perplexity", "5", "--iterations", "300", "--init", "random",
             "--learning-rate", "4"}) == 0);
  const auto lines = lines_of(read_file(out));
  REQUIRE(lines.size() == 41);
  CHECK(lines[0] == "label,x,y");
  CHECK(lines[1].rfind("left,", 0) == 0);
  CHECK(lines[40].rfind("right,", 0) == 0);
  // same seed, same file
  const std::string first = read_file(out);
  CHECK(run({"tsne", "--input", in, "--output", out, "--perplexity", "5", "--iterations", "300", "--init", "random",
             "--learning-rate", "4"}) == 0);
  CHECK(read_file(out) == first);
  // forced Barnes-Hut works too
  CHECK(run({"tsne", "--input", in, "--output", out, "--perplexity", "5", "--iterations", "50", "--method", "bh"}) == 0);
  fs::remove(in);
  fs::remove(out);
}

TEST_CASE("cli tsne/pca: bad data exits 1, bad flags exit 2") {
  const std::string in = temp_path("bad_in.csv"), out = temp_path("bad_out.csv");
  write_file(in, "label,a,b\n1,2,3\n2,4\n");
  CHECK(run({"tsne", "--input", in, "--output", out}) == 1);  // malformed row (line 3)
  CHECK(run({"pca", "--input", in, "--output", out}) == 1);
  CHECK(run({"tsne", "--input", temp_path("does_not_exist.csv"), "--output", out}) == 1);
  write_file(in, "1,2,3\n2,3,4\n3,4,5\n");
  CHECK(run({"tsne", "--input", in, "--output", out}) == 1);  // N < 4
  write_file(in, blobs_csv(5));
  CHECK(run({"tsne", "--input", in, "--output", out, "--perplexity", "30"}) == 1);  // perplexity >= N
  CHECK(run({"tsne", "--input", in, "--output", out, "--bogus", "1"}) == 2);
  CHECK(run({"tsne", "--input", in, "--output", out, "--method", "fast"}) == 2);
  CHECK(run({"tsne", "--input", in, "--output", out, "--iterations", "ten"}) == 2);
  CHECK(run({"tsne", "--input", in}) == 2);
  CHECK(run({"tsne", "--output", out, "--input"}) == 2);
  CHECK(run({"pca", "--input", in, "--output", out, "--components", "4"}) == 2);
  CHECK(run({"tsne", "--help"}) == 0);
  CHECK(run({"pca", "--help"}) == 0);
  fs::remove(in);
  fs::remove(out);
}

TEST_CASE("cli pca: projection to 2 and 3 components") {
  const std::string in = temp_path("pca_in.csv"), out = temp_path("pca_out.csv");
  write_file(in, blobs_csv(10));
  REQUIRE(run({"pca", "--input", in, "--output", out}) == 0);
  auto lines = lines_of(read_file(out));
  REQUIRE(lines.size() == 21);
  CHECK(lines[0] == "label,x,y");
  // the blobs differ along feature a, the first principal axis: left has x < 0, right x > 0
  CHECK(lines[1].find(",-") == 4);
  CHECK(lines[20].find(",-") != 5);
  REQUIRE(run({"pca", "--input", in, "--output", out, "--components", "3"}) == 0);
  lines = lines_of(read_file(out));
  CHECK(lines[0] == "label,x,y,z");
  fs::remove(in);
  fs::remove(out);
}

TEST_CASE("cli tsne/pca: requests over the memory budget exit 1 before allocating, normal ones still run") {
  const std::string in = temp_path("budget_in.csv"), out = temp_path("budget_out.csv");
  // 20 points x 3000 features: PCA's 3000 x 3000 covariance and eigenvectors are over the budget.
  std::string wide;
  for (int r = 0; r < 20; ++r) {
    wide += std::to_string(r % 2);
    for (int f = 0; f < 3000; ++f) wide += "," + std::to_string((r * 7 + f * 3) % 11);
    wide += "\n";
  }
  write_file(in, wide);
  CHECK(run({"pca", "--input", in, "--output", out}) == 1);
  CHECK(run({"tsne", "--input", in, "--output", out, "--perplexity", "3", "--method", "exact"}) == 1);  // PCA init
  CHECK(run({"tsne", "--input", in, "--output", out, "--perplexity", "3", "--method", "exact", "--init", "random",
             "--iterations", "5"}) == 0);
  // 4000 points: the exact method's 4000 x 4000 probabilities are over the budget; Barnes-Hut runs.
  std::string tall;
  for (int r = 0; r < 4000; ++r) tall += std::to_string(r % 3) + "," + std::to_string(r % 61) + "," + std::to_string(r % 53) + "\n";
  write_file(in, tall);
  CHECK(run({"tsne", "--input", in, "--output", out, "--method", "exact", "--init", "random"}) == 1);
  CHECK(run({"tsne", "--input", in, "--output", out, "--method", "bh", "--init", "random", "--perplexity", "5",
             "--iterations", "2"}) == 0);
  // --memory-budget: a bad size, or one below the page's, is a usage error; natively 300 MiB is taken
  // (and is still too little for these 4,000 points, 458 MiB), in WebAssembly (1 GiB heap) refused;
  // either way the next command has the page's budget again. (A raised budget's effect on the
  // checks: test_memory_budget.cpp.)
  const std::vector<std::string> exact = {"tsne", "--input", in, "--output", out, "--method", "exact", "--init", "random"};
  for (const char* bad : {"2GB", "lots", "100MiB"}) {
    std::vector<std::string> a = exact;
    a.insert(a.end(), {"--memory-budget", bad});
    CHECK(run(a) == 2);
  }
  std::vector<std::string> raised = exact;
  raised.insert(raised.end(), {"--memory-budget", "300MiB"});
#ifdef __wasm__
  CHECK(run(raised) == 2);
#else
  CHECK(run(raised) == 1);
#endif
  CHECK(lab::core::memory_budget() == lab::core::kMemoryBudgetBytes);
  fs::remove(in);
  fs::remove(out);
}
