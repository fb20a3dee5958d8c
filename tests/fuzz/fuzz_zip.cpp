// libFuzzer target: the lab's zip reader (core/data/zip.h), which unpacks a dropped ml-100k.zip in the
// page and the desktop app and `embedlab recsys --data ml-100k.zip`. Each input is read as an archive:
// its table of contents, every entry's bytes (inflated with a 1 MiB limit, so a small input cannot ask
// for gigabytes), then MovieLens-100k from it as the recommender blocks do.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/data/zip.h"
#include "core/recsys/data.h"

namespace {

bool starts(const std::string& s, std::string_view prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lab::core;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<ZipEntry> entries;
  const Status st = zip_entries(bytes, "f.zip", entries);
  if (!st.ok && (!starts(st.message, "f.zip: ") || !entries.empty())) __builtin_trap();  // says why; nothing half-read
  for (size_t i = 0; i < entries.size() && i < 16; ++i) {
    std::string out;
    const Status x = zip_extract(bytes, entries[i], "f.zip", out, 1 << 20);
    if (!x.ok && (!starts(x.message, "f.zip/" + entries[i].name + ": ") || !out.empty())) __builtin_trap();
    // What is returned is what the archive says: its size and its CRC-32.
    if (x.ok && (out.size() != entries[i].size || crc32(out) != entries[i].crc)) __builtin_trap();
  }
  recsys::Ml100kFiles files;
  const Status ml = recsys::ml100k_unzip(bytes, "f.zip", files);
  if (!ml.ok && (!starts(ml.message, "f.zip") || !files.data.empty() || !files.item.empty() || !files.user.empty()))
    __builtin_trap();
  if (ml.ok && (!starts(files.data_name, "f.zip/") || !starts(files.item_name, "f.zip/") || !starts(files.user_name, "f.zip/")))
    __builtin_trap();
  return 0;
}
