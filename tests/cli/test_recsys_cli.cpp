// `embedlab recsys` through cli_main: fixtures in MovieLens format, exit codes 0 / 1 / 2.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli_test_util.h"

namespace {
int run(std::vector<std::string> args) { return lab::test::run_cli(std::move(args)); }
const std::string kFix = std::string(LAB_SOURCE_DIR) + "/tests/data/ml100k-fixture";
}  // namespace

TEST_CASE("recsys cli: trains on MovieLens-format fixtures with each split") {
  CHECK(run({"recsys", "--help"}) == 0);
  CHECK(run({"recsys", "--data", kFix, "--model", "mf", "--epochs", "2", "--dim", "4"}) == 0);
  CHECK(run({"recsys", "--data", kFix, "--model", "deep-meta", "--epochs", "1", "--dim", "4", "--split", "u1",
             "--loss", "mae"}) == 0);
  CHECK(run({"recsys", "--data", kFix, "--model", "triplet", "--epochs", "1", "--dim", "4", "--split", "ua"}) == 0);
  CHECK(run({"recsys", "--data", kFix, "--model", "deep", "--epochs", "1", "--dim", "4", "--split", "last",
             "--optim", "lazy-adam"}) == 0);
  CHECK(run({"recsys", "--data", "synthetic-small", "--model", "triplet", "--epochs", "1", "--dim", "8"}) == 0);
}

TEST_CASE("recsys cli: bad data exits 1, bad usage exits 2") {
  CHECK(run({"recsys", "--data", kFix + "/bad", "--model", "mf"}) == 1);      // u.data:3: rating 'five'
  CHECK(run({"recsys", "--data", kFix + "/missing", "--model", "mf"}) == 1);  // file not found
  CHECK(run({"recsys", "--data", kFix + "/bad", "--model", "mf", "--split", "u1"}) == 1);
  CHECK(run({"recsys", "--model", "mf"}) == 2);
  CHECK(run({"recsys", "--data", "synthetic"}) == 2);
  CHECK(run({"recsys", "--data", "synthetic", "--model", "svd"}) == 2);
  CHECK(run({"recsys", "--data", "synthetic", "--model", "mf", "--split", "u1"}) == 2);
  CHECK(run({"recsys", "--data", "synthetic", "--model", "mf", "--epochs", "0"}) == 2);
  CHECK(run({"recsys", "--data", "synthetic", "--model", "mf", "--lr"}) == 2);
  CHECK(run({"recsys", "--data", "synthetic", "--model", "mf", "--frob", "1"}) == 2);
}
