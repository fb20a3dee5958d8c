// Embedding Projector TSV files (see projector_tsv.h).
#include "core/data/projector_tsv.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

#include "core/memory_budget.h"
#include "core/text.h"

namespace lab::core {

namespace {

// The text without its trailing blank lines (spaces, tabs, CR and LF at the end).
std::string_view content_of(std::string_view text) {
  size_t end = text.size();
  while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r' || text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return text.substr(0, end);
}

// Walks the lines of a content_of() view without storing them (a 64 MiB file of newlines is 64 M
// lines: a vector of them would be over the budget before any check).
struct Lines {
  std::string_view text;
  size_t pos = 0, count = 0;  // count: 1-based number of the line last returned
  bool next(std::string_view& line) {
    if (pos > text.size() || text.empty()) return false;
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = nl + 1;
    ++count;
    return true;
  }
};

void split_tabs(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Decimal numbers only, as labeled_csv.cpp reads them (strtod in the "C" locale: the same value on
// every platform). 0: ok, 1: not a number, 2: not finite.
int number_parse(std::string_view s, double& out) {
  s = trim(s);
  if (s.empty() || s.size() > 64) return 1;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
      std::string low(s);
      for (char& ch : low) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      return (low == "nan" || low == "inf" || low == "-inf" || low == "+inf" || low == "infinity") ? 2 : 1;
    }
  char buf[72];
  s.copy(buf, s.size());
  buf[s.size()] = 0;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(buf, &end);
  if (end != buf + s.size()) return 1;
  return std::isfinite(out) ? 0 : 2;
}

Status at(const std::string& name, size_t line, std::string msg) {
  return Status::error(name + ":" + std::to_string(line) + ": " + msg);
}

std::string quoted(std::string_view s) {
  std::string q(s.substr(0, 40));
  for (char& c : q)
    if (static_cast<unsigned char>(c) < 32) c = ' ';
  return "'" + q + (s.size() > 40 ? "...'" : "'");
}


}  // namespace

Status projector_vectors_parse(std::string_view text, const std::string& name, Mat& x) {
  x.resize(0, 0);
  Lines lines{content_of(text)};
  if (lines.text.empty()) return Status::error(name + ": no vectors (the file is empty)");
  std::vector<std::string_view> fields;
  std::vector<double> values;  // row-major while reading
  size_t dims = 0, n = 0;
  std::string_view line;
  while (lines.next(line)) {
    const size_t l = n++, line_no = lines.count;
    if (trim(line).empty())
      return at(name, line_no, "the line is empty: vectors.tsv has one point per line (a blank line would shift every label after it)");
    split_tabs(line, fields);
    if (l == 0) {
      dims = fields.size();
      if (dims == 1 && (line.find(',') != std::string_view::npos || trim(line).find(' ') != std::string_view::npos))
        return at(name, line_no, "one field holding " + quoted(line) +
                                     ": vectors.tsv separates values with tabs (a labelled CSV goes in a .csv file)");
    } else if (fields.size() != dims) {
      return at(name, line_no, "expected " + std::to_string(dims) + " values (as on line 1), found " + std::to_string(fields.size()));
    }
    // The parse holds, per value, a double while reading (with vector growth up to 16 bytes) and a
    // float in the final matrix: check before storing the row.
    const double rows = double(l + 1);
    if (Status st = memory_check(memory_bytes({rows, double(dims)}, 20), name,
                                 "vectors of " + memory_shape({rows}) + " points x " + memory_shape({double(dims)}) +
                                     " dimensions (so far)",
                                 "use a sample of the points, or fewer dimensions");
        !st)
      return at(name, line_no, st.message);
    for (size_t f = 0; f < fields.size(); ++f) {
      double v = 0;
      switch (number_parse(fields[f], v)) {
        case 0: break;
        case 1:
          return at(name, line_no, "column " + std::to_string(f + 1) + ": " + quoted(fields[f]) +
                                       " is not a number (vectors.tsv holds only numbers; labels go in metadata.tsv)");
        default:
          return at(name, line_no, "column " + std::to_string(f + 1) + ": " + quoted(fields[f]) +
                                       " is not a finite number; remove or impute missing values");
      }
      values.push_back(v);
    }
  }
  x.resize(Index(n), Index(dims));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < dims; ++j) x(Index(i), Index(j)) = Scalar(values[i * dims + j]);
  return Status::success();
}

Status projector_metadata_parse(std::string_view text, const std::string& name, long long rows, ProjectorMetadata& out) {
  out = ProjectorMetadata{};
  Lines lines{content_of(text)};
  if (lines.text.empty()) return Status::error(name + ": no metadata (the file is empty)");
  std::vector<std::string_view> fields;
  std::string_view line;
  lines.next(line);
  split_tabs(line, fields);
  const bool header = fields.size() > 1;  // the Projector's rule
  const size_t cols = fields.size();
  if (header) {
    for (std::string_view f : fields) out.header.emplace_back(trim(f));
    for (size_t c = 0; c < cols; ++c)
      if (out.header[c].empty()) out.header[c] = "column " + std::to_string(c + 1);
  } else {
    out.header = {"label"};
  }
  const long long have = (long long)(std::count(lines.text.begin(), lines.text.end(), '\n')) + 1 - (header ? 1 : 0);
  if (rows >= 0 && have != rows)
    return Status::error(name + ": " + std::to_string(have) + " rows of metadata" + (header ? " (after the header line)" : "") +
                         " but " + std::to_string(rows) + " vectors: metadata.tsv needs one row per vector, in the same order" +
                         (!header && have == rows + 1 ? " (a one-column file has no header line)" : ""));
  out.columns.assign(cols, {});
  double bytes = 0;
  if (!header) lines = Lines{lines.text};  // the first line is a row too
  while (lines.next(line)) {
    const size_t line_no = lines.count;
    split_tabs(line, fields);
    if (fields.size() != cols)
      return at(name, line_no, "expected " + std::to_string(cols) + " tab-separated fields" +
                                   (header ? " (as the header names)" : "") + ", found " + std::to_string(fields.size()));
    for (std::string_view f : fields) bytes += 32 + double(f.size());
    if (Status st = memory_check(bytes, name, "metadata of " + memory_shape({double(line_no)}) + " lines (so far)",
                                 "use a sample of the points, or fewer columns");
        !st)
      return at(name, line_no, st.message);
    for (size_t c = 0; c < cols; ++c) out.columns[c].emplace_back(trim(fields[c]));
  }
  return Status::success();
}

Status projector_labeled(const Mat& x, const ProjectorMetadata* meta, const std::string& label_column, LabeledData& out) {
  out = LabeledData{};
  const size_t n = size_t(x.rows());
  size_t col = 0;
  if (meta) {
    if (meta->columns.empty() || meta->columns[0].size() != n)
      return Status::error("metadata has " + std::to_string(meta->columns.empty() ? 0 : meta->columns[0].size()) +
                           " rows but there are " + std::to_string(n) + " vectors");
    if (!label_column.empty()) {
      const auto it = std::find(meta->header.begin(), meta->header.end(), label_column);
      if (it == meta->header.end()) {
        std::string valid;
        for (size_t c = 0; c < meta->header.size(); ++c) valid += (c ? ", " : "") + meta->header[c];
        return Status::error("metadata has no column '" + label_column + "' (its columns: " + valid + ")");
      }
      col = size_t(it - meta->header.begin());
    }
  }
  out.x = x;
  out.label_text.resize(n);
  out.labels.resize(n);
  std::map<std::string, int32_t> ids;
  for (size_t i = 0; i < n; ++i) {
    out.label_text[i] = meta ? meta->columns[col][i] : std::string("all");
    const auto [it, inserted] = ids.try_emplace(out.label_text[i], int32_t(ids.size()));
    out.labels[i] = it->second;
  }
  for (Index j = 0; j < x.cols(); ++j) out.feature_names.push_back("d" + std::to_string(j + 1));
  out.had_header = meta && meta->header.size() > 1;
  return Status::success();
}

int projector_default_column(const ProjectorMetadata& meta) {
  for (size_t c = 0; c < meta.columns.size(); ++c) {
    std::map<std::string_view, int> seen;
    for (const std::string& v : meta.columns[c]) {
      seen.emplace(v, 0);
      if (seen.size() > 50) break;
    }
    if (seen.size() >= 2 && seen.size() <= 50 && seen.size() < meta.columns[c].size()) return int(c);
  }
  return 0;
}

bool projector_is_tsv_name(std::string_view name) { return ends_with_ci(name, ".tsv"); }
bool projector_is_csv_name(std::string_view name) { return ends_with_ci(name, ".csv"); }
bool projector_is_metadata_name(std::string_view name) {
  return projector_is_tsv_name(name) && ends_with_ci(name.substr(0, name.size() - 4), "metadata");
}

}  // namespace lab::core
