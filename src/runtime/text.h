// Text helpers for files an instructor or a download hands us: UTF-8 validation with a line:column
// position, reading a whole file with a clear error, line splitting that copes with CRLF and a BOM.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/memory_budget.h"

namespace lab::runtime {

struct TextPos {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
};

// Returns the position of the first byte that is not valid UTF-8, or nullopt if all of it is.
std::optional<TextPos> utf8_first_invalid(std::string_view text);

// Reads a whole file. On failure returns nullopt and sets *error to a sentence naming the file and why.
// Refuses, before reading, files larger than max_bytes (default: the lab's 64 MiB limit for a file
// read whole, core/memory_budget.h); the text is read into one buffer of the file's size.
std::optional<std::string> read_text_file(const std::string& path, std::string* error,
                                          size_t max_bytes = size_t(core::kFileBytesMax));

// Strips a UTF-8 byte-order mark and converts CRLF / CR line ends to LF.
std::string normalize_newlines(std::string_view text);

std::vector<std::string_view> split_lines(std::string_view text);
std::string_view trim(std::string_view s);

}  // namespace lab::runtime
