// The TensorFlow Embedding Projector's input files (projector.tensorflow.org, "Load"), parsed from
// in-memory text (the caller reads the files), so a student's own embeddings can be projected:
//   vectors.tsv   one row per point, its coordinates separated by tabs; no header.
//   metadata.tsv  one row per point in the same order. With one column there is no header (every
//                 line is a label); with more than one, the first line names the columns.
// As the Projector does, trailing blank lines are ignored; every other line must be a point. Values
// are decimal numbers (finite; no "nan"); CRLF endings are accepted.
// Errors are one sentence that names FILE:LINE (and the column where one is at fault); the memory
// the parse will hold is checked against the lab's budget (core/memory_budget.h) before each row is
// stored, so a file too large for the page gets the budget's message instead of an allocation.
//
//   Mat x;                 projector_vectors_parse(vectors_text, "vectors.tsv", x);
//   ProjectorMetadata m;   projector_metadata_parse(meta_text, "metadata.tsv", x.rows(), m);
//   LabeledData d;         projector_labeled(x, &m, "genre", d);   // colour by the column "genre"
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/data/labeled_csv.h"
#include "core/status.h"
#include "core/types.h"

namespace lab::core {

struct ProjectorMetadata {
  std::vector<std::string> header;                // (C) column names ("label" for a one-column file)
  std::vector<std::vector<std::string>> columns;  // (C, N) columns[c][i]: column c of point i
};

// x: (N, D). Fails on an empty file, a ragged row, a field that is not a finite number.
Status projector_vectors_parse(std::string_view text, const std::string& name, Mat& x);
// `rows`: the number of vectors the metadata must describe (< 0: any).
Status projector_metadata_parse(std::string_view text, const std::string& name, long long rows, ProjectorMetadata& out);

// Labelled points for the projection and the CLI: labels from metadata column `label_column` (by
// name; "" = the first column), numbered by first appearance, as labeled_csv_parse numbers text
// labels; without metadata every point is in one group "all". Fails naming the valid columns when
// `label_column` is not one of them.
Status projector_labeled(const Mat& x, const ProjectorMetadata* meta, const std::string& label_column, LabeledData& out);

// The column to colour by when none is named: the first with 2 to 50 distinct values, fewer than
// its rows (a category, not an id or a title), else the first. What the page and `embedlab tsne --metadata` both use.
int projector_default_column(const ProjectorMetadata& meta);

// Is this file name a vectors/metadata file (".tsv") or a labelled CSV (".csv")? Case-insensitive;
// for routing dropped files.
bool projector_is_tsv_name(std::string_view name);
bool projector_is_csv_name(std::string_view name);
// "metadata.tsv", "words_metadata.tsv", "rec-mf-movie-metadata.tsv": a metadata file by its name.
bool projector_is_metadata_name(std::string_view name);

}  // namespace lab::core
