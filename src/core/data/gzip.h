// gzip decompression of bytes already in memory (the caller reads the file), for data that ships
// gzip'd: Debian's Fashion-MNIST files are `*-ubyte.gz`. Not a general archive reader (no zip/tar).
//
// Where the build has it: natively zlib (Debian zlib1g-dev) does the work. The web build has no gzip:
// Emscripten 3.1.6's -sUSE_ZLIB downloads a port at build time, which fails on a machine without
// internet (its cache is frozen: "Attempt to lock the cache but FROZEN_CACHE is set"), so the page
// gets its data as a build-time asset that is not gzip'd, and gzip_inflate says so instead.
#pragma once

#include <string>
#include <string_view>

#include "core/memory_budget.h"
#include "core/status.h"

namespace lab::core {

// True when `bytes` start with the gzip magic 1f 8b.
bool gzip_is(std::string_view bytes);

// True when this build can inflate gzip data (native builds with zlib).
bool gzip_supported();

// Inflates a gzip file (all members, RFC 1952) into `out`. Refuses output beyond `max_bytes` as it
// goes (a small file can claim gigabytes). Errors name `name` and, for corrupt or truncated data,
// the compressed byte offset where inflation stopped; `out` is then empty.
Status gzip_inflate(std::string_view bytes, std::string_view name, std::string& out,
                    double max_bytes = double(kFileBytesMax));

}  // namespace lab::core
