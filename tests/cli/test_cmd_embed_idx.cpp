// `embedlab tsne|pca --input IMAGES --labels LABELS` on IDX files (MNIST-style) written here byte by
// byte, plain and gzip'd.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "core/data/gzip.h"
#include "core/rng.h"

namespace {

namespace fs = std::filesystem;

using lab::test::temp_path;
using lab::test::write_file;

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<std::string> out;
  for (std::string line; std::getline(f, line);) out.push_back(line);
  return out;
}

std::string be32(uint32_t v) {
  return {char(v >> 24), char((v >> 16) & 0xff), char((v >> 8) & 0xff), char(v & 0xff)};
}

// n images of 4 x 4 pixels in two classes: class 0 bright on the left half, class 1 on the right,
// each pixel jittered by up to +-20. Labels alternate 0, 1, 0, ...
void write_idx(const std::string& images, const std::string& labels, int n, int n_labels) {
  lab::core::Rng rng(5);
  std::string im = std::string("\0\0\x08\x03", 4) + be32(uint32_t(n)) + be32(4) + be32(4);
  for (int i = 0; i < n; ++i)
    for (int r = 0; r < 4; ++r)
      for (int c = 0; c < 4; ++c) {
        const bool bright = (c < 2) == (i % 2 == 0);
        im.push_back(char(uint8_t((bright ? 200 : 30) + int(lab::core::rng_below(rng, 41)) - 20)));
      }
  std::string lb = std::string("\0\0\x08\x01", 4) + be32(uint32_t(n_labels));
  for (int i = 0; i < n_labels; ++i) lb.push_back(char(i % 2));
  write_file(images, im);
  write_file(labels, lb);
}

int run(std::vector<std::string> args) { return lab::test::run_cli(std::move(args)); }

}  // namespace

TEST_CASE("cli pca/tsne --labels: IDX images -> one labelled row per image, in file order") {
  const std::string im = temp_path("images"), lb = temp_path("labels"), out = temp_path("out.csv");
  write_idx(im, lb, 30, 30);
  REQUIRE(run({"pca", "--input", im, "--labels", lb, "--output", out}) == 0);
  auto lines = lines_of(out);
  REQUIRE(lines.size() == 31);
  CHECK(lines[0] == "label,x,y");
  // The classes differ only in which half is bright: that is the first principal axis, so the two
  // classes fall on opposite sides of x = 0.
  int left_0 = 0, left_1 = 0;
  for (int i = 0; i < 30; ++i) {
    const std::string& l = lines[size_t(i + 1)];
    CHECK(l.substr(0, 2) == (i % 2 ? "1," : "0,"));
    const bool negative = l[2] == '-';
    (i % 2 ? left_1 : left_0) += negative;
  }
  CHECK(((left_0 == 15 && left_1 == 0) || (left_0 == 0 && left_1 == 15)));

  REQUIRE(run({"tsne", "--input", im, "--labels", lb, "--output", out, "--perplexity", "5", "--iterations", "100"}) == 0);
  lines = lines_of(out);
  REQUIRE(lines.size() == 31);
  CHECK(lines[30].substr(0, 2) == "1,");
  fs::remove(im);
  fs::remove(lb);
  fs::remove(out);
}

TEST_CASE("cli pca --labels: gzip'd IDX files are read directly where the build has zlib") {
  // Two 2 x 3 images (tests/core/test_idx.cpp has the bytes and how they were made), gzip'd by GNU gzip.
  const int gz[] = {0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x63, 0x60, 0xe0, 0x60,
                    0x66, 0x60, 0x60, 0x60, 0x82, 0x62, 0x66, 0x06, 0x46, 0x26, 0x66, 0x16, 0xd6, 0xff,
                    0x0d, 0x0c, 0x5c, 0x22, 0x72, 0x00, 0xa9, 0x77, 0x16, 0xcb, 0x1c, 0x00, 0x00, 0x00};
  std::string gz_bytes;
  for (int b : gz) gz_bytes.push_back(char(b));
  const std::string im = temp_path("images.gz"), lb = temp_path("labels"), out = temp_path("out.csv");
  write_file(im, gz_bytes);
  write_file(lb, std::string("\0\0\x08\x01\0\0\0\x02\x07\x03", 10));
  if (lab::core::gzip_supported()) {
    REQUIRE(run({"pca", "--input", im, "--labels", lb, "--output", out}) == 0);
    const auto lines = lines_of(out);
    REQUIRE(lines.size() == 3);
    CHECK(lines[1].substr(0, 2) == "7,");
    CHECK(lines[2].substr(0, 2) == "3,");
  } else {
    CHECK(run({"pca", "--input", im, "--labels", lb, "--output", out}) == 1);
  }
  fs::remove(im);
  fs::remove(lb);
  fs::remove(out);
}

TEST_CASE("cli tsne/pca --labels: mismatched, missing or misplaced files exit 1") {
  const std::string im = temp_path("images"), lb = temp_path("labels"), out = temp_path("out.csv"),
                    csv = temp_path("in.csv");
  write_idx(im, lb, 12, 11);
  CHECK(run({"pca", "--input", im, "--labels", lb, "--output", out}) == 1);   // 12 images, 11 labels
  CHECK(run({"tsne", "--input", im, "--labels", lb, "--output", out}) == 1);
  CHECK(run({"pca", "--input", im, "--output", out}) == 1);                   // images need --labels
  CHECK(run({"pca", "--input", im, "--labels", temp_path("nope"), "--output", out}) == 1);
  CHECK(run({"pca", "--input", lb, "--labels", im, "--output", out}) == 1);   // swapped
  write_file(csv, "a,1,2\nb,3,4\nc,5,7\n");
  CHECK(run({"pca", "--input", csv, "--labels", lb, "--output", out}) == 1);  // CSV carries its labels
  CHECK(run({"pca", "--input", csv, "--output", out}) == 0);
  fs::remove(im);
  fs::remove(lb);
  fs::remove(out);
  fs::remove(csv);
}
