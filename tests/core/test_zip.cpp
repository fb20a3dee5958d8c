// The lab's zip reader (core/data/zip.h) and MovieLens from a zip (recsys::ml100k_unzip): an archive
// written by another program (Python 3.11's zipfile: a folder, a deflated entry, a stored entry with a
// UTF-8 name) read byte for byte; archives written here (stored or deflated with zlib, as GroupLens'
// ml-100k.zip is) read whole; broken and partial ones, each refused with a message that names the
// archive (and the entry), never wrong bytes. Runs natively and in WebAssembly (zlib in both builds).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/data/gzip.h"
#include "core/data/zip.h"
#include "core/recsys/data.h"

#include "core/movielens_test_util.h"
#include "core/zip_test_util.h"

namespace {

using namespace lab::core;
using lab::test::set16;
using lab::test::set32;
using lab::test::zip_build;
using File = lab::test::ZipFile;

bool starts(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }
bool contains(const std::string& s, const std::string& p) { return s.find(p) != std::string::npos; }

using Ml = lab::test::MovieLensText;
Ml ml_files() { return lab::test::movielens_text(12, 20, 6); }

std::vector<File> ml_zip_files(const Ml& m) {
  return {{"ml-100k/", "", 0}, {"ml-100k/README", "read me"}, {"ml-100k/u.data", m.data}, {"ml-100k/u.item", m.item, 0},
          {"ml-100k/u.user", m.user}};
}

std::vector<File> with_method(std::vector<File> f) {
  for (File& x : f)
    if (x.method == 8) x.method = lab::test::zip_default_method();
  return f;
}

Status unzip(const std::string& z, recsys::Ml100kFiles& out, const std::string& archive = "ml-100k.zip") {
  return recsys::ml100k_unzip(z, archive, out);
}

}  // namespace

TEST_CASE("zip: CRC-32 gives the standard check values") {
  CHECK(crc32("") == 0u);
  CHECK(crc32("The quick brown fox jumps over the lazy dog") == 0x414FA339u);
  CHECK(crc32("123456789") == 0xCBF43926u);
}

TEST_CASE("zip: reads what Python's zipfile wrote, byte for byte") {
  const unsigned char golden[] = {
    0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x6d, 0x6c, 0x2f, 0x50,
    0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x80, 0x27, 0xdc, 0xba,
    0x1e, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x6d, 0x6c, 0x2f, 0x75, 0x2e,
    0x64, 0x61, 0x74, 0x61, 0x33, 0xe4, 0x34, 0xe2, 0x34, 0xe5, 0xb4, 0xb0, 0x30, 0x34, 0x32, 0x35, 0xb0,
    0x34, 0xb1, 0xe4, 0x32, 0xe4, 0x34, 0xe6, 0x34, 0x81, 0xf1, 0x4d, 0x0d, 0x80, 0x7c, 0xca, 0xe4, 0x01,
    0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x78, 0x77, 0xa6,
    0x0f, 0x0c, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x6d, 0x6c, 0x2f, 0x63,
    0x61, 0x66, 0xc3, 0xa9, 0x2e, 0x74, 0x78, 0x74, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x64, 0x20, 0x62, 0x79,
    0x74, 0x65, 0x73, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x6d, 0x6c,
    0x2f, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00,
    0x80, 0x27, 0xdc, 0xba, 0x1e, 0x00, 0x00, 0x00, 0x60, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x21, 0x00, 0x00, 0x00, 0x6d, 0x6c, 0x2f, 0x75,
    0x2e, 0x64, 0x61, 0x74, 0x61, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x08, 0x00, 0x00,
    0x00, 0x00, 0x21, 0x00, 0x78, 0x77, 0xa6, 0x0f, 0x0c, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x0c,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x66, 0x00, 0x00, 0x00,
    0x6d, 0x6c, 0x2f, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x2e, 0x74, 0x78, 0x74, 0x50, 0x4b, 0x05, 0x06, 0x00,
    0x00, 0x00, 0x00, 0x03, 0x00, 0x03, 0x00, 0xa2, 0x00, 0x00, 0x00, 0x9c, 0x00, 0x00, 0x00, 0x00, 0x00
  };
  const std::string z(reinterpret_cast<const char*>(golden), sizeof golden);
  std::vector<ZipEntry> e;
  REQUIRE(zip_entries(z, "g.zip", e).ok);
  REQUIRE(e.size() == 3);
  CHECK(e[0].name == "ml/");
  CHECK(e[0].is_folder());
  CHECK(e[1].name == "ml/u.data");
  CHECK(e[1].method == 8);
  CHECK(e[2].name == "ml/caf\xC3\xA9.txt");  // flagged UTF-8 (bit 11)
  CHECK(e[2].method == 0);
  CHECK(zip_find(e, "u.data") == &e[1]);
  CHECK(zip_find(e, "ml") == nullptr);  // a folder is not a file
  std::string out;
  REQUIRE(zip_extract(z, e[2], "g.zip", out).ok);
  CHECK(out == "stored bytes");
  std::string want;
  for (int k = 0; k < 3; ++k) want += "1\t2\t5\t881250949\n1\t3\t4\t881250950\n";
  const Status st = zip_extract(z, e[1], "g.zip", out);
  if (gzip_supported()) {
    REQUIRE(st.ok);
    CHECK(out == want);
  } else {
    CHECK(starts(st.message, "g.zip/ml/u.data: is compressed, and this build cannot decompress"));
  }
}

TEST_CASE("zip: MovieLens from a zip, deflated and stored entries in a folder, an archive comment, the shallowest copy") {
  const Ml m = ml_files();
  std::string z = zip_build(with_method(ml_zip_files(m)));
  recsys::Ml100kFiles f;
  REQUIRE(unzip(z, f).ok);
  CHECK(f.data_name == "ml-100k.zip/ml-100k/u.data");
  CHECK(f.item_name == "ml-100k.zip/ml-100k/u.item");
  CHECK(f.user_name == "ml-100k.zip/ml-100k/u.user");
  CHECK(f.data == m.data);
  CHECK(f.item == m.item);
  CHECK(f.user == m.user);
  recsys::RecData d;
  REQUIRE(recsys::ml100k_parse(f.text(), d).ok);
  CHECK(d.n_users == 12);
  CHECK(d.ratings.size() == 72);

  std::string commented = z + "a comment";
  set16(commented, z.size() - 2, 9);
  REQUIRE(unzip(commented, f).ok);
  CHECK(f.user == m.user);

  z = zip_build(with_method({{"ml-100k/old/u.data", "1\t1\t1\t1\n"}, {"ml-100k/u.data", m.data}, {"ml-100k/u.item", m.item},
                             {"ml-100k/u.user", m.user}}));
  REQUIRE(unzip(z, f).ok);
  CHECK(f.data == m.data);
}

TEST_CASE("zip: cut short anywhere, or not a zip at all, is refused naming the archive") {
  const Ml m = ml_files();
  const std::string z = zip_build(with_method(ml_zip_files(m)));
  recsys::Ml100kFiles f;
  for (size_t n : {size_t(0), size_t(10), size_t(21), size_t(100), z.size() / 2, z.size() - 30, z.size() - 1}) {
    CAPTURE(n);
    const Status st = unzip(z.substr(0, n), f);
    REQUIRE_FALSE(st.ok);
    CHECK(starts(st.message, "ml-100k.zip"));
    CHECK(f.data.empty());
  }
  CHECK(contains(unzip(z.substr(0, z.size() - 1), f).message, "ml-100k.zip: the archive is cut short: its table of contents"));
  CHECK(unzip(z.substr(0, 10), f).message == "ml-100k.zip: not a zip archive (10 bytes; was the download cut short?)");
  std::string text;
  for (int k = 0; k < 10; ++k) text += "user\titem\trating\n";
  CHECK(unzip(text, f).message == "ml-100k.zip: not a zip archive (no zip table of contents)");
}

TEST_CASE("zip: a partial copy names the missing file, an archive without MovieLens says what it holds") {
  const Ml m = ml_files();
  recsys::Ml100kFiles f;
  CHECK(unzip(zip_build(with_method({{"ml-100k/u.data", m.data}, {"ml-100k/u.item", m.item}})), f).message ==
        "ml-100k.zip: no u.user in it (a partial copy of ml-100k?)");
  CHECK(unzip(zip_build({{"photo.jpg", "xx", 0}}), f).message ==
        "ml-100k.zip: no MovieLens-100k files in it (u.data, u.item, u.user); it holds photo.jpg");
  CHECK(unzip(zip_build({}), f).message == "ml-100k.zip: no MovieLens-100k files in it (u.data, u.item, u.user); it holds nothing");
}

TEST_CASE("zip: damaged data and a wrong CRC are refused naming the entry") {
  const Ml m = ml_files();
  recsys::Ml100kFiles f;
  std::string z = zip_build({{"u.data", m.data, 0}, {"u.item", m.item, 0}, {"u.user", m.user, 0}});
  z[z.find("u.data") + 6 + 3] ^= 1;  // one stored byte flipped
  CHECK(unzip(z, f).message == "ml-100k.zip/u.data: damaged (its CRC-32 check fails)");
  if (!gzip_supported()) return;
  z = zip_build({{"ml-100k/u.data", m.data}, {"ml-100k/u.item", m.item}, {"ml-100k/u.user", m.user}});
  const size_t at = z.find("ml-100k/u.data") + 14;
  for (size_t k = 0; k < 40; ++k) z[at + 5 + k] ^= 0x5A;
  const Status st = unzip(z, f);
  CHECK(starts(st.message, "ml-100k.zip/ml-100k/u.data: "));
  CHECK(f.data.empty());
}

TEST_CASE("zip: sizes that lie, a zip bomb, other methods, encryption, ZIP64, split archives: refused") {
  const Ml m = ml_files();
  recsys::Ml100kFiles f;
  const std::string z = zip_build(with_method({{"u.data", m.data}, {"u.item", m.item}, {"u.user", m.user}}));
  const size_t cd = z.find(std::string("PK\x01\x02", 4)), end = z.size() - 22;
  auto with = [&](size_t at, uint32_t v, bool wide) {
    std::string x = z;
    wide ? set32(x, at, v) : set16(x, at, v);
    return unzip(x, f).message;
  };
  if (gzip_supported())
    CHECK(with(cd + 24, 10, true) == "ml-100k.zip/u.data: unpacks to more than its stated size (10 bytes; damaged)");
  else
    CHECK(with(cd + 24, 10, true) == "ml-100k.zip/u.data: unpacks to " + std::to_string(m.data.size()) + " bytes, not the 10 its archive says (damaged)");
  CHECK(with(cd + 10, 12, false) == "ml-100k.zip/u.data: compressed with method 12 (only stored and deflated entries are read)");
  CHECK(with(cd + 8, 1, false) == "ml-100k.zip/u.data: encrypted (not read here)");
  CHECK(with(cd + 42, 0x7FFFFFFF, true) == "ml-100k.zip/u.data: the archive is damaged or cut short: this entry is missing");
  CHECK(with(cd + 20, 0x7FFFFFFF, true) == "ml-100k.zip/u.data: the archive is cut short: this entry's data runs past its end");
  CHECK(with(end + 16, 0xFFFFFFFF, true) == "ml-100k.zip: a ZIP64 archive (not read here); unzip it and drop the folder");
  CHECK(with(end + 4, 1, false) == "ml-100k.zip: a multi-part (split) archive; join it first");
  CHECK(with(end + 10, 40, false) == "ml-100k.zip: the archive is damaged: entry 4 of its table of contents is not where it should be");
  CHECK(with(end + 12, 0x7FFF, true) == "ml-100k.zip: the archive is damaged or cut short: its table of contents points past its end");

  // An entry over the limit is refused before anything is inflated.
  std::vector<ZipEntry> e;
  REQUIRE(zip_entries(z, "ml-100k.zip", e).ok);
  std::string out;
  CHECK(starts(zip_extract(z, e[0], "ml-100k.zip", out, 100).message, "ml-100k.zip/u.data: is "));
  if (!gzip_supported()) return;
  // A bomb: 16 MiB of zeros in a few KiB, stated as 1,000 bytes: inflation stops at the stated size.
  const std::string bomb = zip_build({{"u.data", std::string(16u << 20, '\0')}});
  REQUIRE(zip_entries(bomb, "bomb.zip", e).ok);
  CHECK(bomb.size() < 40000);
  std::string lie = bomb;
  set32(lie, lie.find(std::string("PK\x01\x02", 4)) + 24, 1000);
  REQUIRE(zip_entries(lie, "bomb.zip", e).ok);
  CHECK(zip_extract(lie, e[0], "bomb.zip", out).message == "bomb.zip/u.data: unpacks to more than its stated size (1000 bytes; damaged)");
  CHECK(out.empty());
}

TEST_CASE("zip: random corruption is either a named refusal or bytes that pass the CRC") {
  const Ml m = ml_files();
  const std::string good = zip_build(with_method(ml_zip_files(m)));
  uint64_t s = 99;
  const auto rand = [&] { return (s = (s * 1103515245 + 12345) % 2147483648u) / 2147483648.0; };
  int refused = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::string z = good;
    const int flips = 1 + int(rand() * 4);
    for (int k = 0; k < flips; ++k) z[size_t(rand() * double(z.size()))] = char(int(rand() * 256));
    recsys::Ml100kFiles f;
    const Status st = unzip(z, f);
    if (st.ok) {  // a flip in a name, a date or an unused field: the bytes still pass their CRC
      CHECK(f.data == m.data);
      CHECK(f.item == m.item);
      CHECK(f.user == m.user);
    } else {
      ++refused;
      CHECK_MESSAGE(starts(st.message, "ml-100k.zip"), st.message);
      CHECK(f.data.empty());
    }
  }
  CHECK(refused > 100);
}
