// Shared by `embedlab tsne` and `embedlab pca`: read a labelled CSV file (label,f1,...,fD, header
// optional), write `label,x,y[,z]` in input order, and parse numeric flag values.
#pragma once

#include <string>
#include <string_view>

#include "core/data/labeled_csv.h"

namespace lab::cli {

// On failure prints "embedlab <cmd>: FILE:LINE:COLUMN: message" (or "FILE: message") to stderr.
bool embed_table_read(std::string_view cmd, const std::string& path, core::LabeledData& out);

// Writes one line per sample: label, then the coordinates; the header names them x,y[,z].
bool embed_table_write(std::string_view cmd, const std::string& path, const core::LabeledData& data, const core::Mat& y);

// Whole-string numbers (no trailing junk); false on anything else.
bool flag_int(std::string_view text, long long& out);
bool flag_double(std::string_view text, double& out);

}  // namespace lab::cli
