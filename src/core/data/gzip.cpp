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

namespace {

// One zlib inflation: gzip members one after another (`cat a.gz b.gz` is a valid gzip file; zlib
// stops at each member's end), or one raw deflate stream that must end where the bytes do.
Status zlib_inflate(std::string_view bytes, std::string_view name, bool gzip, std::string& out, double max_bytes,
                    bool* over_limit) {
  out.clear();
  if (over_limit) *over_limit = false;
  const std::string who = std::string(name) + ": ";
  const char* what = gzip ? "gzip data" : "compressed data";
  const auto too_big = [&] {
    if (over_limit) *over_limit = true;
    return Status::error(who + "decompresses to more than " + memory_format(max_bytes) +
                         (max_bytes >= double(kFileBytesMax) ? ", the lab's limit for one file read whole (core/memory_budget.h)"
                                                             : ""));
  };
  z_stream zs{};
  if (inflateInit2(&zs, gzip ? 16 + MAX_WBITS : -MAX_WBITS) != Z_OK) return Status::error(who + "could not start zlib");
  const auto fail = [&](Status st) {
    inflateEnd(&zs);
    out.clear();
    return st;
  };
  const size_t in_size = bytes.size();
  size_t in_pos = 0;
  int rc = Z_OK;
  do {
    if (in_pos > 0) {
      if (!gzip || !gzip_is(bytes.substr(in_pos)))
        return fail(Status::error(who + "compressed byte " + std::to_string(in_pos) + ": " +
                                  std::to_string(in_size - in_pos) + " bytes after the end of the " + what));
      inflateReset(&zs);
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + in_pos));
    zs.avail_in = uInt(std::min<size_t>(in_size - in_pos, 1u << 30));
    do {
      if (double(out.size()) > max_bytes) return fail(too_big());  // chunks stop one byte past the limit
      // The output doubles (from 16 KiB), so a small file costs little and a large one few copies.
      const size_t chunk = std::min<size_t>(size_t(max_bytes) + 1 - out.size(), std::max<size_t>(out.size(), 16384));
      const size_t had = out.size();
      out.resize(had + chunk);
      zs.next_out = reinterpret_cast<Bytef*>(out.data() + had);
      zs.avail_out = uInt(chunk);
      rc = inflate(&zs, Z_NO_FLUSH);
      out.resize(had + (chunk - zs.avail_out));
      if (rc == Z_BUF_ERROR && zs.avail_in == 0) break;  // input used up before the stream's end
      if (rc != Z_OK && rc != Z_STREAM_END) break;
    } while (rc != Z_STREAM_END);
    const size_t consumed = size_t(zs.next_in - reinterpret_cast<const Bytef*>(bytes.data()));
    if (rc != Z_STREAM_END) {
      const bool truncated = (rc == Z_BUF_ERROR || rc == Z_OK) && consumed == in_size;
      std::string msg = who + "compressed byte " + std::to_string(consumed) + ": ";
      msg += truncated ? std::string("the ") + what + " ends early (truncated file?)"
                       : std::string("corrupt ") + what + " (" + (zs.msg ? zs.msg : "zlib error " + std::to_string(rc)) + ")";
      return fail(Status::error(std::move(msg)));
    }
    in_pos = consumed;
    if (double(out.size()) > max_bytes) return fail(too_big());
  } while (in_pos < in_size);
  inflateEnd(&zs);
  return Status::success();
}

}  // namespace

Status gzip_inflate(std::string_view bytes, std::string_view name, std::string& out, double max_bytes) {
  out.clear();
  if (!gzip_is(bytes)) return Status::error(std::string(name) + ": not gzip data (it does not start with the bytes 1f 8b)");
  return zlib_inflate(bytes, name, true, out, max_bytes, nullptr);
}

Status deflate_inflate(std::string_view bytes, std::string_view name, std::string& out, double max_bytes,
                       bool* over_limit) {
  return zlib_inflate(bytes, name, false, out, max_bytes, over_limit);
}

#else

bool gzip_supported() { return false; }

Status gzip_inflate(std::string_view bytes, std::string_view name, std::string& out, double) {
  out.clear();
  if (!gzip_is(bytes)) return Status::error(std::string(name) + ": not gzip data (it does not start with the bytes 1f 8b)");
  return Status::error(std::string(name) +
                       ": is gzip'd, and this build cannot decompress gzip (no zlib); decompress it first (gunzip)");
}

Status deflate_inflate(std::string_view, std::string_view name, std::string& out, double, bool* over_limit) {
  out.clear();
  if (over_limit) *over_limit = false;
  return Status::error(std::string(name) + ": is compressed, and this build cannot decompress (no zlib); unpack it first");
}

#endif

}  // namespace lab::core
