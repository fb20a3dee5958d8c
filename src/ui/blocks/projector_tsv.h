// Embedding exports in the TensorFlow Embedding Projector's format (projector.tensorflow.org, "Load"):
//   vectors.tsv   one row per point, its coordinates separated by tabs, no header;
//   metadata.tsv  a header line naming the columns, then one line per point (same order).
// Shared by the widgets that show embeddings.
#pragma once

#include <functional>
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

// "↓ model": saves a trained model in the lab's model file (core/nn/model_io.h) as <stem>.emblmdl;
// `bytes` runs only on a click and returns "" while there is nothing to save (the button is then
// disabled: `ready` false). The tooltip says how to use the file (`embedlab recsys --load`, or
// `what` for other models). `label`: the button's text where a block has several models.
void model_save_button(LabApp& app, bool ready, const std::function<std::string()>& bytes, const std::string& stem,
                       const char* what = nullptr, const char* label = "↓ model");

}  // namespace lab::ui
