// IDX (MNIST-style) reader and gzip inflation. Goldens: the files are written byte by byte here from
// the format's definition (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"), and the gzip bytes
// were made from the same IDX file by GNU gzip 1.12 (`gzip -n -9 -c t.idx | xxd -i`), not by zlib.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/data/gzip.h"
#include "core/data/idx.h"

namespace {

using namespace lab::core;

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int v : b) s.push_back(char(uint8_t(v)));
  return s;
}

// 2 images of 2 x 3 pixels: image 0 = 0 1 2 / 3 4 5, image 1 = 255 128 0 / 10 20 30.
const std::string kImages = bytes({0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,  //
                                   0, 1, 2, 3, 4, 5, 255, 128, 0, 10, 20, 30});
const std::string kLabels = bytes({0, 0, 8, 1, 0, 0, 0, 2, 7, 3});
// kImages through `gzip -n -9`.
const std::string kImagesGz = bytes({0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x63, 0x60, 0xe0, 0x60,
                                     0x66, 0x60, 0x60, 0x60, 0x82, 0x62, 0x66, 0x06, 0x46, 0x26, 0x66, 0x16, 0xd6, 0xff,
                                     0x0d, 0x0c, 0x5c, 0x22, 0x72, 0x00, 0xa9, 0x77, 0x16, 0xcb, 0x1c, 0x00, 0x00, 0x00});

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("idx: images and labels parse into the pixels and values written") {
  CHECK(idx_is(kImages));
  CHECK(idx_is(kLabels));
  CHECK_FALSE(idx_is("label,a\n1,2\n"));
  IdxImages im;
  REQUIRE(idx_images_parse(kImages, "t.idx", im).ok);
  CHECK(im.n == 2);
  CHECK(im.rows == 2);
  CHECK(im.cols == 3);
  CHECK(im.pixels == std::vector<uint8_t>{0, 1, 2, 3, 4, 5, 255, 128, 0, 10, 20, 30});
  std::vector<uint8_t> labels;
  REQUIRE(idx_labels_parse(kLabels, "l.idx", labels).ok);
  CHECK(labels == std::vector<uint8_t>{7, 3});

  LabeledData d;
  REQUIRE(idx_labeled_data(im, "t.idx", labels, "l.idx", d).ok);
  REQUIRE(d.x.rows() == 2);
  REQUIRE(d.x.cols() == 6);
  CHECK(d.x(0, 0) == 0.0f);
  CHECK(d.x(0, 5) == doctest::Approx(5.0 / 255));
  CHECK(d.x(1, 0) == 1.0f);  // 255 -> 1
  CHECK(d.x(1, 1) == doctest::Approx(128.0 / 255));
  CHECK(d.x(1, 3) == doctest::Approx(10.0 / 255));  // row 2, column 1 of image 1
  CHECK(d.labels == std::vector<int32_t>{7, 3});
  CHECK(d.label_text == std::vector<std::string>{"7", "3"});
  REQUIRE(d.feature_names.size() == 6);
  CHECK(d.feature_names[0] == "r1c1");
  CHECK(d.feature_names[5] == "r2c3");
}

TEST_CASE("idx: bad files get one message naming the file and the byte") {
  IdxImages im;
  std::vector<uint8_t> labels;
  Status s = idx_images_parse("label,a\n", "x.csv", im);
  CHECK_FALSE(s.ok);
  CHECK(contains(s.message, "x.csv: byte 0: expected an IDX file of images (magic 00 00 08 03), found 6c 61 62 65"));
  s = idx_images_parse(kImagesGz, "t.gz", im);
  CHECK(contains(s.message, "gzip'd"));
  s = idx_images_parse(kLabels, "l.idx", im);  // a labels file where images belong
  CHECK(contains(s.message, "l.idx: byte 0:"));
  CHECK(contains(s.message, "1 dimensions"));
  s = idx_labels_parse(kImages, "t.idx", labels);
  CHECK(contains(s.message, "3 dimensions"));
  std::string floats = kImages;
  floats[2] = char(0x0d);
  s = idx_images_parse(floats, "f.idx", im);
  CHECK(contains(s.message, "32-bit floats"));
  s = idx_images_parse(kImages.substr(0, 10), "t.idx", im);
  CHECK(contains(s.message, "t.idx: byte 10: the file ends inside its header"));
  s = idx_images_parse(kImages.substr(0, 25), "t.idx", im);  // 3 of 12 pixels missing
  CHECK(contains(s.message, "t.idx: byte 25: the file ends early"));
  CHECK(contains(s.message, "2 x 2 x 3 = 12 data bytes from byte 16, the file has 9"));
  s = idx_images_parse(kImages + "xy", "t.idx", im);
  CHECK(contains(s.message, "t.idx: byte 28: 2 bytes after"));
  std::string zero_rows = kImages;
  zero_rows[11] = 0;
  s = idx_images_parse(zero_rows, "t.idx", im);
  CHECK(contains(s.message, "t.idx: byte 8: dimension 2 is 0"));
  std::string huge_n = kImages;  // claims 0x7fffffff images: over the memory budget before any check of the data
  huge_n[4] = char(0x7f), huge_n[5] = huge_n[6] = huge_n[7] = char(0xff);
  s = idx_images_parse(huge_n, "t.idx", im);
  CHECK(contains(s.message, "t.idx: byte 4: 2147483647 images of 2 x 3 pixels needs"));
  CHECK(contains(s.message, "memory budget"));
  CHECK(im.pixels.empty());
  s = idx_labels_parse(kLabels.substr(0, 9), "l.idx", labels);
  CHECK(contains(s.message, "l.idx: byte 9: the file ends early"));

  REQUIRE(idx_images_parse(kImages, "t.idx", im).ok);
  LabeledData d;
  s = idx_labeled_data(im, "t.idx", {1, 2, 3}, "l.idx", d);
  CHECK_FALSE(s.ok);
  CHECK(contains(s.message, "t.idx holds 2 images but l.idx holds 3 labels"));
}

TEST_CASE("gzip: inflates what GNU gzip wrote, refuses bad data with the compressed offset") {
  CHECK(gzip_is(kImagesGz));
  CHECK_FALSE(gzip_is(kImages));
  std::string out;
  if (!gzip_supported()) {  // the web build (no zlib): says so
    const Status s = gzip_inflate(kImagesGz, "t.gz", out);
    CHECK(contains(s.message, "t.gz: is gzip'd, and this build cannot decompress gzip"));
    return;
  }
  REQUIRE(gzip_inflate(kImagesGz, "t.gz", out).ok);
  CHECK(out == kImages);
  REQUIRE(gzip_inflate(kImagesGz + kImagesGz, "t.gz", out).ok);  // two members, as `cat a.gz b.gz`
  CHECK(out == kImages + kImages);
  Status s = gzip_inflate(kImagesGz.substr(0, 30), "t.gz", out);
  CHECK(contains(s.message, "t.gz: compressed byte 30: the gzip data ends early"));
  CHECK(out.empty());
  s = gzip_inflate(kImagesGz + "abc", "t.gz", out);
  CHECK(contains(s.message, "t.gz: compressed byte 42: 3 bytes after the end of the gzip data"));
  std::string bad_crc = kImagesGz;
  bad_crc[35] = char(bad_crc[35] ^ 1);  // the CRC-32 of the trailer (bytes 34-37)
  s = gzip_inflate(bad_crc, "t.gz", out);
  CHECK(contains(s.message, "corrupt gzip data"));
  s = gzip_inflate(kImagesGz, "t.gz", out, 27);  // 28 bytes inflated, limit 27
  CHECK(contains(s.message, "t.gz: decompresses to more than 27 bytes"));
  CHECK(gzip_inflate(kImagesGz, "t.gz", out, 28).ok);
  s = gzip_inflate(kImages, "t.idx", out);
  CHECK(contains(s.message, "not gzip data"));
}
