// Shared by the tests that read zip archives (core/data/zip.h): a zip writer, as PKWARE APPNOTE 4.3
// lays an archive out (local headers and data, central directory, end record), each entry stored or
// deflated with zlib (in both builds; stored only where the build has no zlib).
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/data/zip.h"

#ifdef LAB_HAVE_ZLIB
#include <zlib.h>
#endif

namespace lab::test {

inline void put16(std::string& s, uint32_t v) { s += char(v & 0xFF), s += char((v >> 8) & 0xFF); }
inline void put32(std::string& s, uint32_t v) { put16(s, v & 0xFFFF), put16(s, v >> 16); }
inline void set16(std::string& s, size_t at, uint32_t v) { s[at] = char(v & 0xFF), s[at + 1] = char((v >> 8) & 0xFF); }
inline void set32(std::string& s, size_t at, uint32_t v) { set16(s, at, v & 0xFFFF), set16(s, at + 2, v >> 16); }

#ifdef LAB_HAVE_ZLIB
inline std::string deflate_raw(const std::string& in) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 9, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, uLong(in.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = uInt(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = uInt(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}
#endif

struct ZipFile {
  std::string name, data;
  int method = 8;
};

inline std::string zip_build(const std::vector<ZipFile>& files) {
  std::string z, cd;
  for (const ZipFile& f : files) {
    std::string packed = f.data;
#ifdef LAB_HAVE_ZLIB
    if (f.method == 8) packed = deflate_raw(f.data);
#else
    REQUIRE(f.method == 0);
#endif
    const uint32_t offset = uint32_t(z.size()), crc = core::crc32(f.data);
    put32(z, 0x04034b50), put16(z, 20), put16(z, 0), put16(z, uint32_t(f.method)), put32(z, 0);
    put32(z, crc), put32(z, uint32_t(packed.size())), put32(z, uint32_t(f.data.size()));
    put16(z, uint32_t(f.name.size())), put16(z, 0);
    z += f.name + packed;
    put32(cd, 0x02014b50), put16(cd, 20), put16(cd, 20), put16(cd, 0), put16(cd, uint32_t(f.method)), put32(cd, 0);
    put32(cd, crc), put32(cd, uint32_t(packed.size())), put32(cd, uint32_t(f.data.size()));
    put16(cd, uint32_t(f.name.size())), put16(cd, 0), put16(cd, 0), put16(cd, 0), put16(cd, 0), put32(cd, 0);
    put32(cd, offset);
    cd += f.name;
  }
  const uint32_t cd_offset = uint32_t(z.size());
  z += cd;
  put32(z, 0x06054b50), put16(z, 0), put16(z, 0), put16(z, uint32_t(files.size())), put16(z, uint32_t(files.size()));
  put32(z, uint32_t(cd.size())), put32(z, cd_offset), put16(z, 0);
  return z;
}

// Deflated where the build can inflate, else stored.
inline int zip_default_method() {
#ifdef LAB_HAVE_ZLIB
  return 8;
#else
  return 0;
#endif
}

}  // namespace lab::test
