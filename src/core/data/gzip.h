// Decompression of bytes already in memory (the caller reads the file): gzip files, for data that
// ships gzip'd (Debian's Fashion-MNIST files are `*-ubyte.gz`), and raw deflate data, what a zip
// archive's entries hold (core/data/zip.h reads the archive around them).
//
// zlib does the work: natively Debian's zlib1g-dev; in the web build the pinned zlib source tarball
// that scripts/deps.sh fetches (Emscripten 3.1.6's -sUSE_ZLIB downloads a port at build time, which
// fails on a machine without internet: "Attempt to lock the cache but FROZEN_CACHE is set"). A build
// without zlib says so instead of inflating.
#pragma once

#include <string>
#include <string_view>

#include "core/memory_budget.h"
#include "core/status.h"

namespace lab::core {

// True when `bytes` start with the gzip magic 1f 8b.
bool gzip_is(std::string_view bytes);

// True when this build can inflate (it has zlib).
bool gzip_supported();

// Inflates a gzip file (all members, RFC 1952) into `out`. Refuses output beyond `max_bytes` as it
// goes (a small file can claim gigabytes). Errors name `name` and, for corrupt or truncated data,
// the compressed byte offset where inflation stopped; `out` is then empty.
Status gzip_inflate(std::string_view bytes, std::string_view name, std::string& out,
                    double max_bytes = double(kFileBytesMax));

// Inflates one raw deflate stream (RFC 1951) that must use all of `bytes` into `out`, refusing output
// beyond `max_bytes` as it goes; `*over_limit` (optional) says whether that was the failure. Errors
// as gzip_inflate's; `out` is then empty.
Status deflate_inflate(std::string_view bytes, std::string_view name, std::string& out, double max_bytes,
                       bool* over_limit = nullptr);

}  // namespace lab::core
