#include "runtime/lesson.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <optional>

#include "runtime/text.h"

namespace lab::runtime {

std::string diagnostic_format(const Diagnostic& d) {
  std::string s = d.file;
  if (d.line > 0) s += ":" + std::to_string(d.line);
  s += d.severity == Severity::Error ? ": error: " : ": warning: ";
  s += d.message;
  return s;
}

int Lesson::lab_block_count() const {
  int n = 0;
  for (const LessonStep& s : steps)
    for (const StepPart& p : s.parts) n += p.kind == StepPart::Kind::Lab;
  return n;
}

bool Lesson::has_errors() const {
  for (const Diagnostic& d : diagnostics)
    if (d.severity == Severity::Error) return true;
  return false;
}

std::string lesson_id_from_path(std::string_view path) {
  const size_t slash = path.find_last_of("/\\");
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = name.rfind('.');
  if (dot != std::string_view::npos && dot > 0) name = name.substr(0, dot);
  return std::string(name);
}

namespace {

bool parse_int(std::string_view s, int& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// A BCP 47 language tag in its common shape: a 2–3 letter language, then '-'-separated subtags of
// 1–8 letters or digits ("en", "fr", "pt-BR", "zh-Hant-TW"). Not a registry check.
bool lang_tag_valid(std::string_view tag) {
  size_t start = 0;
  for (int part = 0;; ++part) {
    const size_t end = std::min(tag.find('-', start), tag.size());
    const std::string_view sub = tag.substr(start, end - start);
    if (sub.empty() || sub.size() > 8 || (part == 0 && (sub.size() < 2 || sub.size() > 3))) return false;
    for (const char c : sub) {
      const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!alpha && !(part > 0 && c >= '0' && c <= '9')) return false;
    }
    if (end == tag.size()) return true;
    start = end + 1;
  }
}

// The header's keys, in the order the messages list them.
const std::vector<std::string>& header_keys() {
  static const std::vector<std::string> keys = {"title", "order", "summary", "minutes", "lang"};
  return keys;
}

std::string header_keys_text() {
  std::string s;
  for (const std::string& k : header_keys()) s += (s.empty() ? "" : ", ") + k;
  return s;
}

// An opening code fence: three or more ` or ~, then an info string ("lab onehot", "python", "").
struct Fence {
  std::string_view marker;  // "```", "~~~~", ...
  std::string_view info;
  bool lab = false;         // info is "lab" or "lab KIND"
  std::string_view kind;    // lab only
};

std::optional<Fence> fence_open(std::string_view line) {
  const std::string_view t = trim(line);
  if (t.empty() || (t[0] != '`' && t[0] != '~')) return std::nullopt;
  size_t n = 0;
  while (n < t.size() && t[n] == t[0]) ++n;
  if (n < 3) return std::nullopt;
  Fence f;
  f.marker = t.substr(0, n);
  f.info = trim(t.substr(n));
  if (t[0] == '`' && f.info.find('`') != std::string_view::npos) return std::nullopt;  // CommonMark: inline code
  f.lab = f.info.substr(0, 3) == "lab" && (f.info.size() == 3 || f.info[3] == ' ' || f.info[3] == '\t');
  if (f.lab) f.kind = trim(f.info.substr(3));
  return f;
}

bool fence_closes(const Fence& open, std::string_view line) {
  const std::string_view t = trim(line);
  size_t n = 0;
  while (n < t.size() && t[n] == open.marker[0]) ++n;
  return n >= open.marker.size() && trim(t.substr(n)).empty();
}

bool is_step_heading(std::string_view line) { return line.substr(0, 3) == "## "; }

// Where a fenced block ends: the line of its closing fence, or, for a lab block that is not closed,
// the line that shows it cannot go on (a '## ' step or another fenced block), or the end of the file.
struct FenceEnd {
  size_t line = 0;       // index of the closing fence, or of the line that stopped an unclosed block
  bool closed = false;
  std::string stopped_by;  // unclosed: "the next ```lab block on line 17", "the end of the file", ...
};

FenceEnd fence_find_end(const std::vector<std::string_view>& lines, size_t open_at, const Fence& f) {
  for (size_t j = open_at + 1; j < lines.size(); ++j) {
    if (fence_closes(f, lines[j])) return {j, true, ""};
    if (!f.lab) continue;
    // A lab block holds only 'name: value', knob, expect and '#' comment lines, so a step heading or
    // another fence with an info string means its closing fence is missing.
    const std::string no = std::to_string(j + 1);
    if (is_step_heading(lines[j])) return {j, false, "the next `## ` step on line " + no};
    if (const auto g = fence_open(lines[j]); g && !g->info.empty())
      return {j, false, "the next " + std::string(g->marker) + (g->lab ? "lab" : std::string(g->info)) + " block on line " + no};
  }
  return {lines.size(), false, "the end of the file"};
}

// "U+0302" for a code point.
std::string code_point_name(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", unsigned(c));
  return buf;
}

// What to write instead of a character the lab cannot draw.
const char* undrawable_hint(char32_t c) {
  if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) || (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF))
    return "combining accents (x̂, x̄) are not drawn: use a letter that carries its accent (ŷ, ā) or words (x-hat, x-bar)";
  if (c >= 0x1D400 && c <= 0x1D7FF)
    return "of the maths alphabets only the double-struck letters and digits (𝔼, 𝟙) are drawn: use those or a plain letter (E, 1)";
  if (c >= 0x1F000) return "emoji and pictographs are not drawn";
  return "use a character from the ranges listed in lessons/README.md (\"Characters the lab draws\")";
}

// One warning per line naming each character the lab's fonts do not draw (text.h: glyph_ranges).
void warn_undrawable(const std::vector<std::string_view>& lines, const std::string& path, std::vector<Diagnostic>& out) {
  for (size_t l = 0; l < lines.size(); ++l) {
    const std::string_view line = lines[l];
    std::string found;
    char32_t first = 0;
    for (size_t i = 0; i < line.size();) {
      const size_t at = i;
      const char32_t c = utf8_next(line, &i);
      if (c == '\t' || glyph_drawable(c)) continue;
      const std::string ch(line.substr(at, i - at));
      const std::string item = "'" + ch + "' (" + code_point_name(c) + ", column " + std::to_string(at + 1) + ")";
      if (found.find(ch) != std::string::npos) continue;  // each character once per line
      found += (found.empty() ? "" : ", ") + item;
      if (!first) first = c;
    }
    if (!found.empty())
      out.push_back({Severity::Warning, path, int(l) + 1,
                     "the lab cannot draw " + found + ": students would see a box; " + undrawable_hint(first)});
  }
}

}  // namespace

Lesson lesson_parse(std::string_view raw, std::string_view path) {
  Lesson lesson;
  lesson.path = std::string(path);
  lesson.id = lesson_id_from_path(path);
  auto error = [&](int line, std::string msg, Severity sev = Severity::Error) {
    lesson.diagnostics.push_back({sev, lesson.path, line, std::move(msg)});
  };

  if (const auto bad = utf8_first_invalid(raw)) {
    error(bad->line, "the file is not valid UTF-8 (first bad byte at column " + std::to_string(bad->column) +
                         "); save it as UTF-8 in your editor");
    lesson.title = lesson.id;
    return lesson;
  }
  lesson.characters = text_characters(raw);
  const std::string text = normalize_newlines(raw);
  const std::vector<std::string_view> lines = split_lines(text);
  if (trim(text).empty()) {
    error(0, "the lesson file is empty; start it with a '---' header holding at least 'title:'");
    lesson.title = lesson.id;
    return lesson;
  }

  size_t i = 0;
  // Front matter: '---' on the first line, 'key: value' lines, '---'.
  if (trim(lines[0]) == "---") {
    size_t end = 1;
    while (end < lines.size() && trim(lines[end]) != "---") ++end;
    if (end == lines.size()) {
      error(1, "the '---' header is never closed; add a line with '---' after the last 'key: value' line");
      end = 0;  // treat the whole file as body
    } else {
      // A YAML subset (lessons/README.md, "The header"): one 'key: value' per line, a plain or quoted
      // one-line value, comments. Whatever else YAML allows is reported as outside the subset.
      std::map<std::string, int, std::less<>> seen;
      const std::vector<std::string>& keys = header_keys();
      const std::string subset = " is not part of the lesson header's YAML subset (one 'key: value' per line; see lessons/README.md)";
      int last_key_line = 0;
      for (size_t k = 1; k < end; ++k) {
        const int line_no = int(k) + 1;
        const std::string_view raw = lines[k];
        const std::string_view line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        if (raw[0] == ' ' || raw[0] == '\t') {
          error(line_no, (last_key_line ? "a value continued on the next line (or a nested key)" : std::string("an indented line")) +
                             subset + ": write each value on one line" +
                             (last_key_line ? ", joined to line " + std::to_string(last_key_line) : std::string()));
          continue;
        }
        if (line[0] == '-' && (line.size() == 1 || line[1] == ' ')) {
          error(line_no, "a list item ('- ...')" + subset + ": give each key one value");
          continue;
        }
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
          error(line_no, "expected 'key: value' in the header (keys: " + header_keys_text() + ")");
          continue;
        }
        const std::string key(trim(line.substr(0, colon)));
        const std::string_view raw_value = trim(line.substr(colon + 1));
        last_key_line = line_no;
        if (!raw_value.empty()) {
          const char c = raw_value[0];
          const char* what = c == '[' || c == '{' ? "a flow list or map ('[...]', '{...}')"
                           : c == '|' || c == '>' ? "a block scalar ('|' or '>', a multi-line value)"
                           : c == '&' || c == '*' ? "an anchor or alias ('&', '*')"
                           : c == '!' ? "a tag ('!')" : nullptr;
          if (what) {
            error(line_no, std::string(what) + subset + ": write the value as plain text on this line, in quotes if it must start with " +
                               std::string(1, c));
            continue;
          }
        }
        const LineValue value = line_value_parse(raw_value);
        if (!value.error.empty()) {
          error(line_no, value.error);
          continue;
        }
        if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
          error(line_no, "unknown header key '" + key + "' (" + did_you_mean(key, keys) + "valid: " + header_keys_text() + ")",
                Severity::Warning);
          continue;
        }
        if (const auto it = seen.find(key); it != seen.end()) {
          error(line_no, "'" + key + "' is already set on line " + std::to_string(it->second) + "; keep one of them");
          continue;
        }
        seen[key] = line_no;
        if (key == "title") lesson.title = value.text;
        else if (key == "summary") lesson.summary = value.text;
        else if (key == "lang") {
          if (lang_tag_valid(value.text)) lesson.lang = value.text;
          else error(line_no, "'lang' must be a language tag such as en, fr or pt-BR (letters, digits and '-'), got '" + value.text + "'");
        }
        else {
          int v = 0;
          if (!parse_int(value.text, v) || v < 0 || v > 100000)
            error(line_no, "'" + key + "' must be a whole number between 0 and 100000, got '" + value.text + "'");
          else (key == "order" ? lesson.order : lesson.minutes) = v;
        }
      }
      i = end + 1;
    }
  } else {
    error(1, "a lesson starts with a '---' header (" + header_keys_text() + ")", Severity::Warning);
  }
  if (lesson.title.empty()) {
    error(1, "the header has no 'title:'; using the file name", Severity::Warning);
    lesson.title = lesson.id;
  }

  // Steps: each '## ' heading outside a fenced block starts one; text before the first is an intro
  // step. Lab blocks become parts of their step (prose parts between them), parsed and validated here.
  LessonStep current{"Introduction", "", int(i) + 1, int(i) + 1};
  bool seen_heading = false;
  std::string prose;
  int prose_line = current.body_line;
  int lab_blocks = 0;
  auto flush_prose = [&](int next_line) {
    if (!trim(prose).empty()) {
      StepPart part;
      part.kind = StepPart::Kind::Prose;
      part.line = prose_line;
      part.doc = markdown_parse(prose);
      part.text = prose;
      current.parts.push_back(std::move(part));
    }
    prose.clear();
    prose_line = next_line;
  };
  auto end_step = [&] {
    flush_prose(0);
    if (seen_heading || !trim(current.body).empty()) lesson.steps.push_back(std::move(current));
  };
  auto add_line = [&](std::string& to, std::string_view line) {
    to += line;
    to += '\n';
  };
  for (; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const int line_no = int(i) + 1;
    if (is_step_heading(line)) {
      end_step();
      seen_heading = true;
      current = LessonStep{std::string(trim(line.substr(3))), "", line_no, line_no + 1};
      prose_line = line_no + 1;
      lab_blocks = 0;
      if (current.title.empty()) error(line_no, "a step heading needs a title after '## '");
      continue;
    }
    const auto fence = fence_open(line);
    if (!fence) {
      add_line(current.body, line);
      add_line(prose, line);
      continue;
    }
    const FenceEnd end = fence_find_end(lines, i, *fence);
    const size_t last = end.closed ? end.line : end.line - 1;  // the block's last line
    for (size_t k = i; k <= last && k < lines.size(); ++k) add_line(current.body, lines[k]);
    if (!fence->lab) {
      for (size_t k = i; k <= last && k < lines.size(); ++k) add_line(prose, lines[k]);
      if (!end.closed)
        error(line_no, "this fenced block is never closed; add a line with " + std::string(fence->marker) + " to end it");
      i = last;
      continue;
    }
    flush_prose(line_no);
    std::string body;
    if (end.closed)
      for (size_t k = i + 1; k < end.line; ++k) add_line(body, lines[k]);
    StepPart part;
    part.kind = StepPart::Kind::Lab;
    part.line = line_no;
    // An unclosed block is reported once, at its opening line: where its body ends is a guess, so
    // its lines are not read as parameters (which would report every line after it).
    part.block = lab_block_parse(fence->kind, body, lesson.path, line_no, line_no + 1);
    if (!end.closed)
      part.block.diagnostics.insert(
          part.block.diagnostics.begin(),
          {Severity::Error, lesson.path, line_no,
           "the " + std::string(fence->marker) + "lab" + (fence->kind.empty() ? "" : " " + std::string(fence->kind)) +
               " block opened on line " +
               std::to_string(line_no) + " is not closed before " + end.stopped_by + "; add a line with " +
               std::string(fence->marker) + " where the block ends"});
    if (++lab_blocks > kMaxLabBlocksPerStep)
      part.block.diagnostics.push_back(
          {Severity::Error, lesson.path, line_no,
           "a step may hold at most " + std::to_string(kMaxLabBlocksPerStep) +
               " lab blocks: they all run at once, and the page's memory is limited (1 GiB); start a new step "
               "(a '## ' heading) before this block"});
    for (const Diagnostic& d : part.block.diagnostics) lesson.diagnostics.push_back(d);
    current.parts.push_back(std::move(part));
    i = last;
    prose_line = int(last) + 2;
  }
  end_step();
  for (const LessonStep& s : lesson.steps)
    if (trim(s.body).empty()) error(s.line, "step '" + s.title + "' has no text", Severity::Warning);
  if (lesson.steps.empty()) error(0, "the lesson has no steps; add a '## Step title' line followed by text");
  warn_undrawable(lines, lesson.path, lesson.diagnostics);
  return lesson;
}

Lesson lesson_load(const std::string& path) {
  std::string err;
  const auto text = read_text_file(path, &err, kLessonBytesMax);
  if (!text) {
    Lesson lesson;
    lesson.path = path;
    lesson.id = lesson_id_from_path(path);
    lesson.title = lesson.id;
    lesson.diagnostics.push_back({Severity::Error, path, 0, err});
    return lesson;
  }
  return lesson_parse(*text, path);
}

}  // namespace lab::runtime
