// The lab's data files (assets/): where they are and the ones blocks share. The composition root
// says where the folder is (assets_dir_set: the platform layer knows — a source checkout natively,
// /assets in the web build's file system, beside the executable in an install); blocks ask for a
// data set by name and get it read and parsed once per process.
#pragma once

#include <memory>
#include <string>

#include "core/data/labeled_csv.h"
#include "core/status.h"

namespace lab::runtime {

void assets_dir_set(std::string dir);
const std::string& assets_dir();  // "assets" (relative to the working directory) until set

// The UCI digits (assets/data/digits.csv, see core/data/labeled_csv.h), read and parsed on first
// use and shared after that. On failure: nullptr, and `status` names the file and the problem.
std::shared_ptr<const core::LabeledData> digits_data(core::Status& status);

}  // namespace lab::runtime
