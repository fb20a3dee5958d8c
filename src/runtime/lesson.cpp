#include "runtime/lesson.h"

#include <charconv>
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

bool is_fence(std::string_view line) {
  const std::string_view t = trim(line);
  return t.substr(0, 3) == "```" || t.substr(0, 3) == "~~~";
}

bool parse_int(std::string_view s, int& out) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

const char* const kMetaKeys = "title, order, summary, minutes";

// "```lab kind" or "~~~lab kind": returns the kind (possibly empty) if the line opens a lab block.
std::optional<std::string_view> lab_fence_kind(std::string_view line, std::string_view* fence) {
  const std::string_view t = trim(line);
  if (t.size() < 6) return std::nullopt;
  const char c = t[0];
  if (c != '`' && c != '~') return std::nullopt;
  size_t n = 0;
  while (n < t.size() && t[n] == c) ++n;
  if (n < 3) return std::nullopt;
  const std::string_view info = trim(t.substr(n));
  if (info.substr(0, 3) != "lab" || (info.size() > 3 && info[3] != ' ' && info[3] != '\t')) return std::nullopt;
  *fence = t.substr(0, n);
  return trim(info.substr(3));
}

// Splits a step body into prose and lab-block parts; lab blocks are parsed and validated here.
void split_parts(LessonStep& step, Lesson& lesson) {
  const std::vector<std::string_view> lines = split_lines(step.body);
  std::string prose;
  int prose_line = step.body_line;
  int lab_blocks = 0;
  auto flush_prose = [&](int next_line) {
    if (!trim(prose).empty()) {
      StepPart part;
      part.kind = StepPart::Kind::Prose;
      part.line = prose_line;
      part.doc = markdown_parse(prose);
      step.parts.push_back(std::move(part));
    }
    prose.clear();
    prose_line = next_line;
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view fence;
    const auto kind = lab_fence_kind(lines[i], &fence);
    if (!kind) {
      prose += lines[i];
      prose += '\n';
      continue;
    }
    const int fence_line = step.body_line + int(i);
    flush_prose(fence_line);
    size_t end = i + 1;
    while (end < lines.size()) {
      const std::string_view t = trim(lines[end]);
      if (t.size() >= fence.size() && t.substr(0, fence.size()) == fence && trim(t.substr(fence.size())).empty()) break;
      ++end;
    }
    std::string body;
    for (size_t k = i + 1; k < end && k < lines.size(); ++k) {
      body += lines[k];
      body += '\n';
    }
    StepPart part;
    part.kind = StepPart::Kind::Lab;
    part.line = fence_line;
    part.block = lab_block_parse(*kind, body, lesson.path, fence_line, fence_line + 1);
    if (++lab_blocks > kMaxLabBlocksPerStep)
      part.block.diagnostics.push_back(
          {Severity::Error, lesson.path, fence_line,
           "a step may hold at most " + std::to_string(kMaxLabBlocksPerStep) +
               " lab blocks: they all run at once, and the page's memory is limited (1 GiB); start a new step "
               "(a '## ' heading) before this block"});
    if (end >= lines.size())
      part.block.diagnostics.push_back({Severity::Error, lesson.path, fence_line,
                                        "this lab block is never closed; add a line with " + std::string(fence) + " after it"});
    for (const Diagnostic& d : part.block.diagnostics) lesson.diagnostics.push_back(d);
    step.parts.push_back(std::move(part));
    i = end;
    prose_line = step.body_line + int(end) + 1;
  }
  flush_prose(0);
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
  for (LessonStep& s : lesson.steps) split_parts(s, lesson);
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
