#include "core/data/gzip.h"

#include <algorithm>

#ifdef LAB_HAVE_ZLIB
#include <zlib.h>
#endif

namespace lab::core {

bool gzip_is(std::string_view bytes) {
  return bytes.size() >= 2 && uint8_t(bytes[0]) == 0x1f && uint8_t(bytes[1]) == 0x8b;
}

#ifdef LAB_HAVE_ZLIB

bool gzip_supported() { return true; }

Status gzip_inflate(std::string_view bytes, std::string_view name, std::string& out, double max_bytes) {
  out.clear();
  const std::string who = std::string(name) + ": ";
  const auto too_big = [&] {
    return Status::error(who + "decompresses to more than " + memory_format(max_bytes) +
                         ", the lab's limit for one file read whole (core/memory_budget.h)");
  };
  if (!gzip_is(bytes)) return Status::error(who + "not gzip data (it does not start with the bytes 1f 8b)");
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return Status::error(who + "could not start zlib");
  const size_t in_size = bytes.size();
  size_t in_pos = 0;
  int rc = Z_OK;
  // Members one after another (`cat a.gz b.gz` is a valid gzip file); zlib stops at each member's end.
  while (in_pos < in_size) {
    if (in_pos > 0) {
      if (!gzip_is(bytes.substr(in_pos))) {
        inflateEnd(&zs);
        out.clear();
        return Status::error(who + "compressed byte " + std::to_string(in_pos) + ": " +
                             std::to_string(in_size - in_pos) + " bytes after the end of the gzip data");
      }
      inflateReset(&zs);
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + in_pos));
    zs.avail_in = uInt(std::min<size_t>(in_size - in_pos, 1u << 30));
    do {
      if (double(out.size()) > max_bytes) {  // chunks stop one byte past the limit, so this sees it
        inflateEnd(&zs);
        out.clear();
        return too_big();
      }
      // The output doubles (from 16 KiB), so a small file costs little and a large one few copies.
      const size_t chunk = std::min<size_t>(size_t(max_bytes) + 1 - out.size(), std::max<size_t>(out.size(), 16384));
      const size_t had = out.size();
      out.resize(had + chunk);
      zs.next_out = reinterpret_cast<Bytef*>(out.data() + had);
      zs.avail_out = uInt(chunk);
      rc = inflate(&zs, Z_NO_FLUSH);
      out.resize(had + (chunk - zs.avail_out));
      if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;  // input used up before the member's end
      if (rc != Z_OK && rc != Z_STREAM_END) break;
    } while (rc != Z_STREAM_END);
    const size_t consumed = size_t(zs.next_in - reinterpret_cast<const Bytef*>(bytes.data()));
    if (rc != Z_STREAM_END) {
      const bool truncated = (rc == Z_BUF_ERROR || rc == Z_OK) && consumed == in_size;
      std::string msg = who + "compressed byte " + std::to_string(consumed) + ": ";
      msg += truncated ? std::string("the gzip data ends early (truncated file?)")
                       : std::string("corrupt gzip data (") + (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)) + ")";
      inflateEnd(&zs);
      out.clear();
      return Status::error(std::move(msg));
    }
    in_pos = consumed;
    if (double(out.size()) > max_bytes) {
      inflateEnd(&zs);
      out.clear();
      return too_big();
    }
  }
  inflateEnd(&zs);
  return Status::success();
}

#else

bool gzip_supported() { return false; }

Status gzip_inflate(std::string_view bytes, std::string_view name, std::string& out, double) {
  out.clear();
  if (!gzip_is(bytes)) return Status::error(std::string(name) + ": not gzip data (it does not start with the bytes 1f 8b)");
  return Status::error(std::string(name) +
                       ": is gzip'd, and this build cannot decompress gzip (no zlib); decompress it first (gunzip)");
}

#endif

}  // namespace lab::core
