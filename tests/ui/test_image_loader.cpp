// Lesson images: the decoded size comes from the file's header, so it is checked against the lab's
// memory budget (core/memory_budget.h) before stb_image allocates anything.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ui/image_loader.h"

using namespace lab;

namespace {

void put_be32(std::string& s, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s += char((v >> shift) & 0xFF);
}

// A PNG signature and IHDR chunk (RGBA, 8 bits) declaring w x h: enough for stb_image's header scan.
std::string png_header(uint32_t w, uint32_t h) {
  std::string s("\x89PNG\r\n\x1a\n", 8);
  put_be32(s, 13);
  s += "IHDR";
  put_be32(s, w);
  put_be32(s, h);
  s += std::string("\x08\x06\x00\x00\x00", 5);
  put_be32(s, 0);  // CRC (stb_image does not check it)
  return s;
}

// A complete w x h RGBA PNG: IHDR, one IDAT holding a stored (uncompressed) zlib block, IEND.
std::string png_file(uint32_t w, uint32_t h) {
  std::string raw;
  for (uint32_t y = 0; y < h; ++y) {
    raw += '\0';  // filter: none
    for (uint32_t x = 0; x < w; ++x) raw += std::string("\x20\x40\x80\xff", 4);
  }
  uint32_t a = 1, b = 0;  // adler32
  for (unsigned char c : raw) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  std::string z("\x78\x01\x01", 3);
  z += char(raw.size() & 0xFF);
  z += char(raw.size() >> 8);
  z += char(~raw.size() & 0xFF);
  z += char((~raw.size() >> 8) & 0xFF);
  z += raw;
  put_be32(z, (b << 16) | a);
  std::string s = png_header(w, h);
  put_be32(s, uint32_t(z.size()));
  s += "IDAT" + z;
  put_be32(s, 0);
  put_be32(s, 0);
  s += "IEND";
  put_be32(s, 0);
  return s;
}

}  // namespace

TEST_CASE("image loader: an image whose header declares a decode over the memory budget is refused before decoding") {
  const std::string path = (std::filesystem::temp_directory_path() / "embedlab_test_huge.png").string();
  {
    std::ofstream f(path, std::ios::binary);
    f << png_header(8000, 8000);  // 8000 x 8000 x 4 bytes, twice while decoding: 488 MiB
  }
  ui::LabApp app;
  int uploads = 0;
  app.create_texture = [&](const unsigned char*, int, int) {
    ++uploads;
    return ImTextureID(nullptr);
  };
  const ui::Texture& tex = ui::image_get(app, path);
  CHECK(tex.id == nullptr);
  CHECK_MESSAGE(tex.error.find("decoding the 8000 x 8000 image needs") != std::string::npos, tex.error);
  CHECK_MESSAGE(tex.error.find("over the lab's 256 MiB memory budget; scale the image down") != std::string::npos,
                tex.error);
  CHECK(uploads == 0);
  std::filesystem::remove(path);

  // A normal image still decodes and is uploaded.
  const std::string small = (std::filesystem::temp_directory_path() / "embedlab_test_small.png").string();
  {
    std::ofstream f(small, std::ios::binary);
    f << png_file(3, 2);
  }
  static int fake_texture = 0;
  app.create_texture = [&](const unsigned char* rgba, int w, int h) {
    ++uploads;
    CHECK(w == 3);
    CHECK(h == 2);
    CHECK(rgba[0] == 0x20);
    CHECK(rgba[3] == 0xff);
    return ImTextureID(&fake_texture);
  };
  const ui::Texture& ok = ui::image_get(app, small);
  CHECK_MESSAGE(ok.error.empty(), ok.error);
  CHECK(ok.id != nullptr);
  CHECK(ok.width == 3);
  CHECK(uploads == 1);
  std::filesystem::remove(small);
}
