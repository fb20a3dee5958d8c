#include "runtime/lesson.h"

#include <charconv>

#include "runtime/text.h"

namespace lab::runtime {

std::string diagnostic_format(const Diagnostic& d) {
  std::string s = d.file;
  if (d.line > 0) s += ":" + std::to_string(d.line);
  s += d.severity == Severity::Error ? ": error: " : ": warning: ";
  s += d.message;
  return s;
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

bool is_fence(std::string_view line) {
  const std::string_view t = trim(line);
  return t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~";
}

bool parse_int(std::string_view s, int& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

const char* const kMetaKeys = "title, order, summary, minutes";

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
      for (size_t k = 1; k < end; ++k) {
        const int line_no = int(k) + 1;
        const std::string_view line = trim(lines[k]);
        if (line.empty() || line[0] == '#') continue;
        const size_t colon = line.find(':');
        if (colon == std::string_view::npos) {
          error(line_no, "expected 'key: value' in the header (keys: " + std::string(kMetaKeys) + ")");
          continue;
        }
        const std::string key(trim(line.substr(0, colon)));
        const std::string_view value = trim(line.substr(colon + 1));
        if (key == "title") lesson.title = value;
        else if (key == "summary") lesson.summary = value;
        else if (key == "order" || key == "minutes") {
          int v = 0;
          if (!parse_int(value, v) || v < 0 || v > 100000)
            error(line_no, "'" + key + "' must be a whole number between 0 and 100000, got '" + std::string(value) + "'");
          else (key == "order" ? lesson.order : lesson.minutes) = v;
        } else {
          error(line_no, "unknown header key '" + key + "' (valid: " + kMetaKeys + ")", Severity::Warning);
        }
      }
      i = end + 1;
    }
  } else {
    error(1, "a lesson starts with a '---' header (title, order, summary, minutes)", Severity::Warning);
  }
  if (lesson.title.empty()) {
    error(1, "the header has no 'title:'; using the file name", Severity::Warning);
    lesson.title = lesson.id;
  }

  // Steps: each '## ' heading outside a fenced block starts one; text before the first is an intro step.
  LessonStep current{"Introduction", "", int(i) + 1, int(i) + 1};
  bool in_fence = false;
  int fence_line = 0;
  auto flush = [&](bool force) {
    if (force || !trim(current.body).empty()) lesson.steps.push_back(current);
  };
  bool seen_heading = false;
  for (; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (is_fence(line)) {
      in_fence = !in_fence;
      if (in_fence) fence_line = int(i) + 1;
    }
    if (!in_fence && line.substr(0, 3) == "## ") {
      flush(seen_heading);
      seen_heading = true;
      current = LessonStep{std::string(trim(line.substr(3))), "", int(i) + 1, int(i) + 2};
      if (current.title.empty()) error(int(i) + 1, "a step heading needs a title after '## '");
      continue;
    }
    current.body += line;
    current.body += '\n';
  }
  if (in_fence) error(fence_line, "this fenced block is never closed; add a line with ``` to end it");
  flush(seen_heading);
  for (const LessonStep& s : lesson.steps)
    if (trim(s.body).empty()) error(s.line, "step '" + s.title + "' has no text", Severity::Warning);
  if (lesson.steps.empty()) error(0, "the lesson has no steps; add a '## Step title' line followed by text");
  return lesson;
}

Lesson lesson_load(const std::string& path) {
  std::string err;
  const auto text = read_text_file(path, &err, 4u << 20);
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
