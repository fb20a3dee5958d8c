// Text helpers for files an instructor or a download hands us: UTF-8 validation with a line:column
// position, reading a whole file with a clear error, line splitting that copes with CRLF and a BOM.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lab::runtime {

struct TextPos {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
};

// Returns the position of the first byte that is not valid UTF-8, or nullopt if all of it is.
std::optional<TextPos> utf8_first_invalid(std::string_view text);

// Reads a whole file. On failure returns nullopt and sets *error to a sentence naming the file and why.
// Refuses files larger than max_bytes (lessons and data files are small; a huge file is a mistake).
std::optional<std::string> read_text_file(const std::string& path, std::string* error,
                                          size_t max_bytes = 64u << 20);

// Strips a UTF-8 byte-order mark and converts CRLF / CR line ends to LF.
std::string normalize_newlines(std::string_view text);

std::vector<std::string_view> split_lines(std::string_view text);
std::string_view trim(std::string_view s);

}  // namespace lab::runtime
