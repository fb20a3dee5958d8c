// Labelled tables from in-memory CSV text (the caller reads the file): one sample per line,
//   label,f1,...,fD
// The first non-blank line is a header when none of its feature fields is a number. Blank lines and
// lines starting with '#' are skipped; CRLF endings and spaces around fields are accepted. Every
// data line must have the same number of fields, and every feature must be a finite number.
// Labels are kept as text (echoed in outputs) and also numbered as classes for the metrics.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace lab::core {

struct LabeledData {
  Mat x;                                   // (N, D) features
  std::vector<std::string> label_text;     // (N) the label field as written
  std::vector<int32_t> labels;             // (N) class ids: the integer itself when every label is an
                                           // integer, else classes numbered by first appearance
  std::vector<std::string> feature_names;  // (D) from the header, or f1..fD
  bool had_header = false;
};

struct CsvError {
  int line = 0;    // 1-based line of the offending row (0: not tied to a line)
  int column = 0;  // 1-based field of the offending value (0: the whole line)
};

// On failure the Status message describes the problem (without the file name, which the caller
// knows) and `where` locates it, so a CLI can print FILE:LINE:COLUMN: message.
Status labeled_csv_parse(std::string_view text, LabeledData& out, CsvError* where = nullptr);

// The UCI optical-recognition digits as shipped in assets/data/digits.csv (1797 x 64, labels 0-9,
// values 0-16): labeled_csv_parse plus a check of that shape.
constexpr const char* kDigitsFile = "data/digits.csv";  // inside the assets folder (runtime/assets.h)
Status digits_parse(std::string_view text, LabeledData& out, CsvError* where = nullptr);

}  // namespace lab::core
