#include "runtime/text.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace lab::runtime {

std::optional<TextPos> utf8_first_invalid(std::string_view text) {
  int line = 1;
  size_t line_start = 0;
  size_t i = 0;
  const size_t n = text.size();
  auto bad = [&](size_t at) { return TextPos{line, int(at - line_start) + 1}; };
  while (i < n) {
    const unsigned char c = (unsigned char)text[i];
    if (c < 0x80) {
      if (c == '\n') {
        ++line;
        line_start = i + 1;
      }
      ++i;
      continue;
    }
    int len = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return bad(i);
    if (i + len > n) return bad(i);
    for (int k = 1; k < len; ++k) {
      const unsigned char cc = (unsigned char)text[i + k];
      if ((cc & 0xC0) != 0x80) return bad(i);
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      return bad(i);
    i += len;
  }
  return std::nullopt;
}

std::optional<std::string> read_text_file(const std::string& path, std::string* error, size_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    if (error) *error = path + ": file not found";
    return std::nullopt;
  }
  if (std::filesystem::is_directory(status)) {
    if (error) *error = path + ": is a folder, not a file";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = path + ": cannot open (" + std::strerror(errno) + ")";
    return std::nullopt;
  }
  auto too_big = [&](double bytes) {
    if (error)
      *error = path + ": the file is " + core::memory_format(bytes) + ", over the lab's limit of " +
               core::memory_format(double(max_bytes)) + " for a file read whole (its text and what is parsed " +
               "from it must fit the " + core::memory_format(double(core::kMemoryBudgetBytes)) + " memory budget)";
    return std::nullopt;
  };
  // The size is checked before anything is read; a file whose size is unknown (a pipe) or changes
  // while we read is read in chunks, and the limit is checked again as it grows.
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes) return too_big(double(size));
  std::string text;
  if (!ec) text.reserve(size_t(size));
  char chunk[16384];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    if (text.size() + size_t(in.gcount()) > max_bytes) return too_big(double(text.size()) + double(in.gcount()));
    text.append(chunk, size_t(in.gcount()));
  }
  if (in.bad()) {
    if (error) *error = path + ": read error";
    return std::nullopt;
  }
  return text;
}

std::string normalize_newlines(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace lab::runtime
