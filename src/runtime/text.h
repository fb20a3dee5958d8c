// Text helpers for files an instructor or a download hands us: UTF-8 validation with a line:column
// position, reading a whole file with a clear error, line splitting that copes with CRLF and a BOM;
// the value and comment rules of `key: value` lines, "did you mean" for misspelt names, and the
// characters the lab's fonts draw (one list, read by the UI's font loader and by the lesson checker).
#pragma once

#include <optional>
#include <span>
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

// A JSON string literal of UTF-8 text, quotes included (" and \ escaped, control characters as
// \u00XX). For the small JSON documents the app hands the page (state, the accessible mirror).
std::string json_quote(std::string_view text);
std::string_view trim(std::string_view s);
// The last component of a path ("a/b/u.data" -> "u.data"; / or \\ separate).
std::string path_base_name(const std::string& path);
// A count with commas between thousands ("100,000"), as the data sets' sizes are shown.
std::string with_commas(long long v);

// --- `key: value` lines (the lesson header and lab blocks; lessons/README.md, "Values and comments")
// A '#' with a blank (space or tab) on both sides starts a comment that runs to the end of the line
// ("dim: 3   # small"); "C#" and "item #3" are not comments. A line whose first non-blank character
// is '#' is a comment line (the callers skip those). A value wholly in quotes, "..." (with \" and \\)
// or '...' (with '' for '), is taken as written, without its quotes: that is how a value keeps a
// " # ". Quotes that do not wrap the whole value are ordinary characters.
struct LineValue {
  std::string text;   // the value, trimmed, without its comment and quotes
  std::string error;  // non-empty if an opening quote is never closed (says what to change)
};
LineValue line_value_parse(std::string_view after_colon);
// A line without a quoted value (knob, expect): drops a trailing comment and trims.
std::string_view line_strip_comment(std::string_view line);

// --- "did you mean"
// Optimal-string-alignment distance (insertions, deletions, substitutions, adjacent swaps), ASCII
// case-insensitive.
int edit_distance(std::string_view a, std::string_view b);
// The name closest to `word` if it is close enough to be a likely misspelling (distance at most 1
// for words under 5 letters, 2 under 9, else 3), else "".
std::string name_closest(std::string_view word, std::span<const std::string> names);
// "did you mean 'dim'? " or "" — to start the list of valid names in a message.
std::string did_you_mean(std::string_view word, std::span<const std::string> names);

// --- Characters the lab can draw
// The code-point ranges of the lab's fonts (runtime/glyph_ranges.inc: the build subsets the fonts to
// them, the UI rasterises them, the checker reads them). A lesson character outside them shows as a
// box; `embedlab lesson check` warns about it.
enum class GlyphFaces {
  All,   // every face has the range (regular, bold, oblique, mono)
  Sans,  // only the regular face: the other faces draw these with it
};
struct GlyphRange {
  char32_t first, last;
  GlyphFaces faces;
  const char* what;
};
std::span<const GlyphRange> glyph_ranges();
bool glyph_drawable(char32_t c);
// Decodes the UTF-8 character at text[*i] and advances *i past it (the text must be valid UTF-8).
char32_t utf8_next(std::string_view text, size_t* i);
// The characters of valid UTF-8 text beyond ASCII, sorted, each once (what a font must hold to draw it).
std::u32string text_characters(std::string_view text);

}  // namespace lab::runtime
