#include "core/data/zip.h"

#include <algorithm>
#include <array>

#include "core/data/gzip.h"
#include "core/text.h"

namespace lab::core {

namespace {

uint32_t u16(std::string_view b, size_t o) { return uint32_t(uint8_t(b[o])) | uint32_t(uint8_t(b[o + 1])) << 8; }
uint32_t u32(std::string_view b, size_t o) { return u16(b, o) | u16(b, o + 2) << 16; }

bool valid_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto c = uint8_t(s[i]);
    const int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || i + size_t(n) >= s.size()) return false;
    for (int k = 1; k <= n; ++k)
      if ((uint8_t(s[i + size_t(k)]) >> 6) != 2) return false;
    i += size_t(n) + 1;
  }
  return true;
}

constexpr uint32_t kEndRecord = 0x06054b50, kCentral = 0x02014b50, kLocal = 0x04034b50;

}  // namespace

bool zip_is_name(std::string_view name) { return ends_with_ci(name, ".zip"); }

uint32_t crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t n = 0; n < 256; ++n) {
      uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (const char ch : bytes) crc = table[(crc ^ uint8_t(ch)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

Status zip_entries(std::string_view zip, std::string_view archive, std::vector<ZipEntry>& out) {
  out.clear();
  const std::string who = std::string(archive) + ": ";
  const size_t n = zip.size();
  if (n < 22)
    return Status::error(who + "not a zip archive (" + std::to_string(n) + " bytes; was the download cut short?)");
  // The end-of-central-directory record: the last 22 bytes, or earlier if the archive has a comment
  // (at most 65,535 bytes).
  size_t eocd = n;
  for (size_t p = n - 22 + 1; p-- > (n - 22 > 65535 ? n - 22 - 65535 : 0);)
    if (u32(zip, p) == kEndRecord) {
      eocd = p;
      break;
    }
  if (eocd == n)
    return Status::error(who + (u32(zip, 0) == kLocal ? "the archive is cut short: its table of contents (at the end) is "
                                                        "missing; download it again"
                                                      : "not a zip archive (no zip table of contents)"));
  if (u16(zip, eocd + 4) != 0 || u16(zip, eocd + 6) != 0) return Status::error(who + "a multi-part (split) archive; join it first");
  const uint32_t count = u16(zip, eocd + 10), cd_size = u32(zip, eocd + 12), cd_offset = u32(zip, eocd + 16);
  if (count == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_offset == 0xFFFFFFFFu)
    return Status::error(who + "a ZIP64 archive (not read here); unzip it and drop the folder");
  const uint64_t cd_end = uint64_t(cd_offset) + cd_size;
  if (cd_end > eocd) return Status::error(who + "the archive is damaged or cut short: its table of contents points past its end");
  uint64_t q = cd_offset;
  for (uint32_t i = 0; i < count; ++i) {
    const std::string entry = "entry " + std::to_string(i + 1);
    if (q + 46 > cd_end || u32(zip, size_t(q)) != kCentral) {
      out.clear();
      return Status::error(who + "the archive is damaged: " + entry + " of its table of contents is not where it should be");
    }
    const size_t at = size_t(q);
    const uint32_t name_len = u16(zip, at + 28), extra_len = u16(zip, at + 30), comment_len = u16(zip, at + 32);
    if (q + 46 + name_len > cd_end) {
      out.clear();
      return Status::error(who + "the archive is damaged: " + entry + "'s name runs past the table of contents");
    }
    ZipEntry e;
    e.flags = uint16_t(u16(zip, at + 8));
    e.method = uint16_t(u16(zip, at + 10));
    e.crc = u32(zip, at + 16);
    e.compressed_size = u32(zip, at + 20);
    e.size = u32(zip, at + 24);
    e.local_offset = u32(zip, at + 42);
    const std::string_view raw = zip.substr(at + 46, name_len);
    e.name = (e.flags & 0x800) && valid_utf8(raw) ? std::string(raw) : latin1_to_utf8(raw);
    out.push_back(std::move(e));
    q += 46 + uint64_t(name_len) + extra_len + comment_len;
  }
  return Status::success();
}

const ZipEntry* zip_find(const std::vector<ZipEntry>& entries, std::string_view base) {
  const ZipEntry* best = nullptr;
  const auto depth = [](const std::string& name) { return std::count(name.begin(), name.end(), '/'); };
  for (const ZipEntry& e : entries) {
    if (e.is_folder()) continue;
    const size_t slash = e.name.find_last_of('/');
    if (std::string_view(e.name).substr(slash == std::string::npos ? 0 : slash + 1) != base) continue;
    if (!best || depth(e.name) < depth(best->name)) best = &e;
  }
  return best;
}

Status zip_extract(std::string_view zip, const ZipEntry& e, std::string_view archive, std::string& out, double max_bytes) {
  out.clear();
  const std::string where = std::string(archive) + "/" + e.name;
  const auto fail = [&](const std::string& what) {
    out.clear();
    return Status::error(where + ": " + what);
  };
  if (e.flags & 1) return fail("encrypted (not read here)");
  if (double(e.size) > max_bytes)
    return fail("is " + memory_format(double(e.size)) + " unpacked, over the limit of " + memory_format(max_bytes) +
                (max_bytes >= double(kFileBytesMax) ? ", the lab's limit for a file read whole" : ""));
  const uint64_t local = e.local_offset;
  if (local + 30 > zip.size() || u32(zip, size_t(local)) != kLocal)
    return fail("the archive is damaged or cut short: this entry is missing");
  const uint64_t start = local + 30 + u16(zip, size_t(local) + 26) + u16(zip, size_t(local) + 28);
  if (start + e.compressed_size > zip.size()) return fail("the archive is cut short: this entry's data runs past its end");
  const std::string_view data = zip.substr(size_t(start), e.compressed_size);
  if (e.method == 0) {
    out.assign(data);
  } else if (e.method == 8) {
    bool over = false;
    const Status st = deflate_inflate(data, where, out, double(e.size), &over);  // its errors name `where`
    if (over) return fail("unpacks to more than its stated size (" + std::to_string(e.size) + " bytes; damaged)");
    if (!st) return st;
  } else {
    return fail("compressed with method " + std::to_string(e.method) + " (only stored and deflated entries are read)");
  }
  if (out.size() != e.size)
    return fail("unpacks to " + std::to_string(out.size()) + " bytes, not the " + std::to_string(e.size) +
                " its archive says (damaged)");
  if (crc32(out) != e.crc) return fail("damaged (its CRC-32 check fails)");
  return Status::success();
}

}  // namespace lab::core
