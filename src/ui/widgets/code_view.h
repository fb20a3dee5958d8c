// "Code (Keras · PyTorch)": the code of a block's models (runtime/model_code.h), in a section that
// starts collapsed: a tab per model when the block trains several, a Keras and a PyTorch tab, the
// script in the monospace font (selectable, Ctrl+C copies a selection), a Copy button and a download
// of the .py file. Drawn by block_view under every block whose experiment has model code; the code is
// regenerated every frame from the experiment, so it follows the knobs.
#pragma once

#include <string>
#include <vector>

#include "runtime/model_code.h"

namespace lab::ui {

struct LabApp;

// file_stem names the downloaded scripts ("rec-explicit" -> "rec-explicit-keras.py").
void model_code_widget(LabApp& app, const std::vector<runtime::ModelCode>& codes, const std::string& file_stem);

}  // namespace lab::ui
