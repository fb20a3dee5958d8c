// Embedding exports in the TensorFlow Embedding Projector's format (projector.tensorflow.org, "Load"):
//   vectors.tsv   one row per point, its coordinates separated by tabs, no header;
//   metadata.tsv  a header line naming the columns, then one line per point (same order).
// Shared by the widgets that show embeddings.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"

namespace lab::ui {

struct LabApp;

std::string projector_vectors_tsv(const core::Mat& vectors);
// columns[c][i] is column c of point i; tabs and newlines inside values become spaces.
std::string projector_metadata_tsv(const std::vector<std::string>& header,
                                   const std::vector<std::vector<std::string>>& columns);

// Two small buttons, "↓ vectors.tsv" and "↓ metadata.tsv", saving <stem>-vectors.tsv / <stem>-metadata.tsv.
void projector_tsv_buttons(LabApp& app, const core::Mat& vectors, const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& columns, const std::string& stem);

}  // namespace lab::ui
