#include "runtime/text.h"

#include <algorithm>
#include <cstdio>
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

std::string path_base_name(const std::string& path) {
  const size_t slash = path.find_last_of("/\\");
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::string with_commas(long long v) {
  const std::string digits = std::to_string(v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace lab::runtime

namespace lab::runtime {

// --- `key: value` lines ----------------------------------------------------------------------------

static bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The offset of the comment's '#': a '#' with a blank (or the start) before it and a blank (or the
// end) after it, so that "C#" and "item #3" stay in a value. npos if there is none.
static size_t comment_start(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '#' && (i == 0 || is_blank(s[i - 1])) && (i + 1 == s.size() || is_blank(s[i + 1]))) return i;
  return std::string_view::npos;
}

std::string_view line_strip_comment(std::string_view line) {
  const size_t c = comment_start(line);
  return trim(c == std::string_view::npos ? line : line.substr(0, c));
}

LineValue line_value_parse(std::string_view after_colon) {
  LineValue out;
  const std::string_view s = trim(after_colon);
  if (s.empty() || (s[0] != '"' && s[0] != '\'')) {
    out.text = std::string(line_strip_comment(s));
    return out;
  }
  const char q = s[0];
  size_t i = 1;
  bool closed = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (q == '"' && c == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) {
      out.text += s[++i];
    } else if (c == q && q == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
      out.text += '\'';
      ++i;
    } else if (c == q) {
      closed = true;
      ++i;
      break;
    } else {
      out.text += c;
    }
  }
  const std::string quote(1, q);
  if (!closed) {
    out.error = "the value starts with " + quote + " but has no closing " + quote +
                " on this line; close the quotes (values are one line long) or remove the opening one";
    return out;
  }
  // Quotes that do not wrap the whole value ('"yes" | "no"') are ordinary characters.
  const std::string_view rest = trim(s.substr(i));
  if (!rest.empty() && comment_start(rest) != 0) out.text = std::string(line_strip_comment(s));
  return out;
}

// --- "did you mean" ----------------------------------------------------------------------------------

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

int edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  // Three rows of the dynamic programme: i-2, i-1, i.
  std::vector<int> r0(m + 1), r1(m + 1), r2(m + 1);
  for (size_t j = 0; j <= m; ++j) r1[j] = int(j);
  for (size_t i = 1; i <= n; ++i) {
    r2[0] = int(i);
    for (size_t j = 1; j <= m; ++j) {
      const bool same = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]);
      int d = std::min({r1[j] + 1, r2[j - 1] + 1, r1[j - 1] + (same ? 0 : 1)});
      if (i > 1 && j > 1 && ascii_lower(a[i - 1]) == ascii_lower(b[j - 2]) && ascii_lower(a[i - 2]) == ascii_lower(b[j - 1]))
        d = std::min(d, r0[j - 2] + 1);
      r2[j] = d;
    }
    std::swap(r0, r1);
    std::swap(r1, r2);
  }
  return r1[m];
}

std::string name_closest(std::string_view word, std::span<const std::string> names) {
  const size_t len = word.size();
  const int limit = len < 5 ? 1 : len < 9 ? 2 : 3;
  std::string best;
  int best_d = limit + 1;
  for (const std::string& name : names) {
    if (name.size() > len + size_t(limit) + 1 || len > name.size() + size_t(limit) + 1) continue;
    const int d = edit_distance(word, name);
    if (d < best_d) {
      best_d = d;
      best = name;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word, std::span<const std::string> names) {
  const std::string best = name_closest(word, names);
  return best.empty() ? std::string() : "did you mean '" + best + "'? ";
}

// --- Characters the lab can draw ------------------------------------------------------------------

// The fonts the build ships hold exactly these, ui/fonts.cpp loads exactly these (glyph_ranges.inc).
static const GlyphRange kGlyphRanges[] = {
#define LAB_GLYPH_RANGE(first, last, faces, what) {first, last, GlyphFaces::faces, what},
#include "runtime/glyph_ranges.inc"
#undef LAB_GLYPH_RANGE
};

std::span<const GlyphRange> glyph_ranges() { return kGlyphRanges; }

bool glyph_drawable(char32_t c) {
  for (const GlyphRange& r : kGlyphRanges)
    if (c >= r.first && c <= r.last) return true;
  return false;
}

char32_t utf8_next(std::string_view text, size_t* i) {
  const unsigned char c = (unsigned char)text[*i];
  int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < len && *i + size_t(k) < text.size(); ++k) cp = (cp << 6) | ((unsigned char)text[*i + size_t(k)] & 0x3F);
  *i += size_t(len);
  return cp;
}

std::u32string text_characters(std::string_view text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    if ((unsigned char)text[i] < 0x80) {
      ++i;
      continue;
    }
    out.push_back(utf8_next(text, &i));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string json_quote(std::string_view text) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace lab::runtime
