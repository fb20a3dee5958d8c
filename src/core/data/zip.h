// Zip archives already in memory (the caller reads the file): the lab's one zip reader, for the
// archives students download for the course (GroupLens' ml-100k.zip) and drop on the page or the
// window. Both builds run this code: the page hands the dropped archive's bytes to the app as it is.
//
// What is read (PKWARE APPNOTE 6.3.x, sections 4.3.7, 4.3.12, 4.3.16): the end-of-central-directory
// record (found past an archive comment), the central directory's entries, each entry's local header
// and its data, stored (method 0) or deflated (method 8, inflated by core/data/gzip.h's
// deflate_inflate), CRC-32 checked. Refused, each with a message naming the archive (and the entry):
// ZIP64, encryption, split archives, other methods, and every offset or size that points past the
// archive or disagrees with what the data unpacks to. A zip bomb stops at the entry's stated size.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/memory_budget.h"
#include "core/status.h"

namespace lab::core {

struct ZipEntry {
  std::string name;  // UTF-8 ("ml-100k/u.data"); a name not flagged as UTF-8 is read as Latin-1
  uint16_t flags = 0, method = 0;
  uint32_t crc = 0, compressed_size = 0, size = 0, local_offset = 0;
  bool is_folder() const { return !name.empty() && name.back() == '/'; }
};

// True when `name` ends in ".zip" (any case).
bool zip_is_name(std::string_view name);

// The entries of the central directory of `zip`, in its order. Errors start with "ARCHIVE: ".
Status zip_entries(std::string_view zip, std::string_view archive, std::vector<ZipEntry>& out);

// The entry named `base` in the shallowest folder ("ml-100k/u.data" rather than "ml-100k/old/u.data";
// the first of equals), or null. Folders are not matched.
const ZipEntry* zip_find(const std::vector<ZipEntry>& entries, std::string_view base);

// The bytes of entry `e` (from zip_entries on the same bytes), refusing an entry larger than
// `max_bytes` unpacked. Errors start with "ARCHIVE/ENTRY: "; `out` is then empty.
Status zip_extract(std::string_view zip, const ZipEntry& e, std::string_view archive, std::string& out,
                   double max_bytes = double(kFileBytesMax));

// CRC-32 (ISO 3309, as zip and gzip use it).
uint32_t crc32(std::string_view bytes);

}  // namespace lab::core
