// `embedlab recsys` through cli_main: fixtures in MovieLens format, exit codes 0 / 1 / 2.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli_test_util.h"
#include "core/recsys/data.h"
#include "core/zip_test_util.h"
#include "runtime/text.h"

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

TEST_CASE("recsys cli: --data ml-100k.zip reads the same data as the folder, splits included") {
  // The fixture's files zipped as GroupLens ships them (a folder inside), and the same data parsed both ways.
  std::vector<lab::test::ZipFile> files;
  std::string text[3];
  const char* const names[] = {"u.data", "u.item", "u.user", "u1.base", "u1.test", "ua.base", "ua.test"};
  for (int k = 0; k < 7; ++k) {
    std::string error;
    const auto t = lab::runtime::read_text_file(kFix + "/" + names[k], &error);
    REQUIRE_MESSAGE(t, error);
    if (k < 3) text[k] = *t;
    files.push_back({std::string("ml-100k/") + names[k], *t, k % 2 ? 0 : lab::test::zip_default_method()});
  }
  const std::string zip = lab::test::zip_build(files);
  lab::core::recsys::Ml100kFiles unzipped;
  REQUIRE(lab::core::recsys::ml100k_unzip(zip, "ml-100k.zip", unzipped).ok);
  lab::core::recsys::Ml100kText folder;
  folder.data = text[0], folder.item = text[1], folder.user = text[2];
  lab::core::recsys::RecData a, b;
  REQUIRE(lab::core::recsys::ml100k_parse(folder, a).ok);
  REQUIRE(lab::core::recsys::ml100k_parse(unzipped.text(), b).ok);
  REQUIRE(a.ratings.size() == b.ratings.size());
  for (size_t i = 0; i < a.ratings.size(); ++i) {
    CHECK(a.ratings[i].user == b.ratings[i].user);
    CHECK(a.ratings[i].item == b.ratings[i].item);
    CHECK(a.ratings[i].rating == b.ratings[i].rating);
  }

  const std::string path = lab::test::temp_path("ml-100k.zip");
  lab::test::write_file(path, zip);
  CHECK(run({"recsys", "--data", path, "--model", "mf", "--epochs", "1", "--dim", "4"}) == 0);
  CHECK(run({"recsys", "--data", path, "--model", "deep-meta", "--epochs", "1", "--dim", "4", "--split", "u1"}) == 0);
  lab::test::write_file(path, zip.substr(0, zip.size() - 40));  // cut short
  CHECK(run({"recsys", "--data", path, "--model", "mf"}) == 1);
  lab::test::write_file(path, lab::test::zip_build({files[0], files[1], files[2]}));  // no splits in it
  CHECK(run({"recsys", "--data", path, "--model", "mf", "--split", "ua"}) == 1);
  std::remove(path.c_str());
}
