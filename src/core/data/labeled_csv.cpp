#include "core/data/labeled_csv.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <map>

#include "core/memory_budget.h"

namespace lab::core {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void split(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

enum class NumberKind { ok, not_number, not_finite };

// Decimal numbers only (no hex, no "inf"/"nan" words), parsed with strtod in the "C" locale the
// program starts in. Both glibc and musl round correctly, so values are identical everywhere.
NumberKind number_parse(std::string_view s, double& out) {
  if (s.empty() || s.size() > 64) return NumberKind::not_number;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return (s == "nan" || s == "NaN" || s == "inf" || s == "-inf" || s == "Inf" || s == "-Inf")
                 ? NumberKind::not_finite
                 : NumberKind::not_number;
  char buf[72];
  s.copy(buf, s.size());
  buf[s.size()] = 0;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(buf, &end);
  if (end != buf + s.size()) return NumberKind::not_number;
  if (!std::isfinite(out)) return NumberKind::not_finite;
  return NumberKind::ok;
}

Status fail(CsvError* where, int line, int column, std::string msg) {
  if (where) *where = {line, column};
  return Status::error(std::move(msg));
}

bool integer_label(std::string_view s, int32_t& out) {
  if (s.empty() || s.size() > 9) return false;
  size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return false;
  int32_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  out = s[0] == '-' ? -v : v;
  return true;
}

// Memory the parse holds for `rows` rows of `d` features (checked before each row is stored, so a
// huge file is refused, not allocated; core/memory_budget.h): per value a double while reading,
// with vector growth up to twice that (16), and a float in the final matrix (4); per row the label
// text and class id and, for text labels, a map entry (112, + the label's own bytes beyond the
// short-string buffer); per field of a line its view while splitting (16) and a header name (48).
double csv_bytes(double rows, double d, double label_bytes) {
  return rows * (20 * d + 112) + label_bytes + 64 * (d + 1);
}

Status csv_budget_fail(CsvError* where, int line, double rows, double d, double label_bytes) {
  return fail(where, line, 0,
              memory_check(csv_bytes(rows, d, label_bytes), "CSV",
                           "a table of " + memory_shape({rows}) + (rows > 1 ? " rows" : " row") + " x " +
                               memory_shape({d}) + " features (so far)",
                           "use a sample of the rows, or fewer features")
                  .message);
}

}  // namespace

Status labeled_csv_parse(std::string_view text, LabeledData& out, CsvError* where) {
  out = LabeledData{};
  std::vector<std::string_view> fields;
  std::vector<double> values;  // row-major while reading
  size_t n_fields = 0;
  int first_data_line = 0;
  int line_no = 0;
  double label_bytes = 0;  // label text beyond std::string's short-string buffer
  bool seen_first = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    const size_t nl = text.find('\n', pos);
    const std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    const double n_line_fields = double(std::count(line.begin(), line.end(), ',')) + 1;
    if (!memory_fits(csv_bytes(double(out.label_text.size()) + 1, n_line_fields - 1, label_bytes)))
      return csv_budget_fail(where, line_no, double(out.label_text.size()) + 1, n_line_fields - 1, label_bytes);
    split(line, fields);
    if (!seen_first) {
      seen_first = true;
      if (fields.size() < 2)
        return fail(where, line_no, 0,
                    "expected 'label,feature1,...' with at least one feature, found " + std::to_string(fields.size()) +
                        " field");
      bool any_number = false;
      for (size_t f = 1; f < fields.size(); ++f) {
        double v;
        any_number |= number_parse(fields[f], v) != NumberKind::not_number;
      }
      n_fields = fields.size();
      if (!any_number) {
        out.had_header = true;
        for (size_t f = 1; f < fields.size(); ++f) out.feature_names.emplace_back(fields[f]);
        continue;
      }
      for (size_t f = 1; f < fields.size(); ++f) out.feature_names.push_back(std::string("f").append(std::to_string(f)));
    }
    if (fields.size() != n_fields) {
      return fail(where, line_no, 0,
                  "expected " + std::to_string(n_fields) + " fields (label + " + std::to_string(n_fields - 1) +
                      " features" + (first_data_line ? ", as on line " + std::to_string(first_data_line) : std::string()) +
                      "), found " + std::to_string(fields.size()));
    }
    if (!first_data_line) first_data_line = line_no;
    if (fields[0].empty()) return fail(where, line_no, 1, "the label (first field) is empty");
    if (fields[0].size() > 15) label_bytes += double(fields[0].size()) + 1;
    out.label_text.emplace_back(fields[0]);
    for (size_t f = 1; f < fields.size(); ++f) {
      double v = 0;
      switch (number_parse(fields[f], v)) {
        case NumberKind::ok: break;
        case NumberKind::not_number:
          return fail(where, line_no, int(f + 1),
                      std::string("'").append(fields[f].substr(0, 32)) + "' is not a number (feature " + std::to_string(f) +
                          ")");
        case NumberKind::not_finite:
          return fail(where, line_no, int(f + 1),
                      std::string("'").append(fields[f]) + "' is not a finite number (feature " + std::to_string(f) +
                          "); remove or impute missing values");
      }
      values.push_back(v);
    }
  }
  const size_t n = out.label_text.size();
  if (n == 0) return fail(where, 0, 0, "no data rows (only blank lines, comments or a header)");
  const size_t d = n_fields - 1;
  out.x.resize(Index(n), Index(d));
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < d; ++j) out.x(Index(i), Index(j)) = Scalar(values[i * d + j]);

  out.labels.resize(n);
  bool all_int = true;
  for (size_t i = 0; i < n && all_int; ++i) all_int = integer_label(out.label_text[i], out.labels[i]);
  if (!all_int) {
    std::map<std::string, int32_t> ids;
    for (size_t i = 0; i < n; ++i) {
      auto [it, inserted] = ids.try_emplace(out.label_text[i], int32_t(ids.size()));
      out.labels[i] = it->second;
    }
  }
  return Status::success();
}

Status digits_parse(std::string_view text, LabeledData& out, CsvError* where) {
  if (Status s = labeled_csv_parse(text, out, where); !s) return s;
  if (out.x.cols() != 64)
    return fail(where, 0, 0, "digits: expected 64 features (8x8 pixels), found " + std::to_string(out.x.cols()));
  for (size_t i = 0; i < out.labels.size(); ++i)
    if (out.labels[i] < 0 || out.labels[i] > 9)
      return fail(where, 0, 0, "digits: row " + std::to_string(i + 1) + " has label '" + out.label_text[i] +
                                   "', expected 0-9");
  if (out.x.minCoeff() < 0 || out.x.maxCoeff() > 16)
    return fail(where, 0, 0, "digits: pixel values must be within 0-16");
  return Status::success();
}

}  // namespace lab::core
