// Shared by `embedlab tsne` and `embedlab pca`: read a labelled CSV file (label,f1,...,fD, header
// optional), IDX images with their IDX labels (MNIST / Fashion-MNIST), either possibly gzip'd, or an
// Embedding Projector pair (vectors.tsv + optional metadata.tsv, core/data/projector_tsv.h);
// write `label,x,y[,z]` in input order; parse numeric flag values.
#pragma once

#include <string>
#include <string_view>

#include "core/data/labeled_csv.h"
#include "core/status.h"

namespace lab::cli {

// Reads `path`, inflating it first if it is gzip'd (core/data/gzip.h). IDX images (core/data/idx.h) need
// `labels_path` (IDX labels, the same number of items); a CSV file carries its labels, so then
// `labels_path` must be empty. On failure prints "embedlab <cmd>: FILE:LINE:COLUMN: message" (CSV) or
// "embedlab <cmd>: FILE: byte B: message" (IDX) to stderr.
// A .tsv `path` is Projector vectors: `metadata_path` (optional) gives the labels, from column
// `label_column` (by name; "" = core::projector_default_column, as the page colours them).
bool embed_table_read(std::string_view cmd, const std::string& path, const std::string& labels_path,
                      core::LabeledData& out, const std::string& metadata_path = "",
                      const std::string& label_column = "");

// Writes one line per sample: label, then the coordinates; the header names them x,y[,z].
bool embed_table_write(std::string_view cmd, const std::string& path, const core::LabeledData& data, const core::Mat& y);

// Whole-string numbers (no trailing junk); false on anything else.
bool flag_int(std::string_view text, long long& out);
bool flag_double(std::string_view text, double& out);

}  // namespace lab::cli
