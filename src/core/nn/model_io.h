// Saving and loading model state (parameters + buffers) as bytes. Core never touches files: the
// caller writes/reads the std::string (the CLI to disk, the web build to IndexedDB or a download).
//
// Format "EMBEDLAB model", version 1. All integers are little-endian uint32, floats IEEE-754
// binary32 little-endian.
//
//   offset  size  field
//   0       8     magic "EMBLMDL\0"
//   8       4     format version (1)
//   12      4     info length L   (free UTF-8 text chosen by the caller: model kind and options)
//   16      L     info bytes
//   ...     4     tensor count K
//   then K times:
//           4     name length  M (1..1024)
//           M     name bytes   (the ParamRef name, e.g. "mlp.dense0.W")
//           4     rows R
//           4     cols C
//           4*R*C values, column-major (Eigen's order)
//   end     4     checksum: FNV-1a 32-bit over every preceding byte
//
// Loading matches tensors BY NAME and requires the same shapes: load into a model built with the
// same options (the info text is there to rebuild it). Any truncation, foreign bytes, checksum
// mismatch, unknown version, missing or extra tensor, or shape difference is an error with a
// clear message, and the model is left unchanged. A tensor shape in the file over the lab's memory
// budget (core/memory_budget.h) is refused as soon as it is read; loading never allocates by it.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/nn/tensor.h"
#include "core/status.h"

namespace lab::core::nn {

constexpr uint32_t kModelFormatVersion = 1;

std::string model_save(const std::vector<ParamRef>& state, std::string_view info);
Status model_load(std::string_view bytes, const std::vector<ParamRef>& state, std::string* info = nullptr);
// Reads only the header's info text (to decide which model to build before loading).
Status model_peek_info(std::string_view bytes, std::string& info);

// The info text the lab's own savers write (recommenders, the watch model, skip-gram): a first line
// naming what the file holds (e.g. "embedlab recommender"), then one "key=value" line per option, so a
// reader can rebuild the model before model_load and a person can read it in any text editor.
// Numbers are written with enough digits to read back bit for bit (%.17g).
struct ModelInfo {
  std::string what;                                        // the first line
  std::vector<std::pair<std::string, std::string>> fields;  // in writing order

  void set(std::string key, std::string value) { fields.emplace_back(std::move(key), std::move(value)); }
  void set_number(std::string key, double value);
  const std::string* find(std::string_view key) const;  // nullptr when absent
};
std::string model_info_text(const ModelInfo& info);
// Fails (naming the line) on a line without '=' or an empty key.
Status model_info_parse(std::string_view text, ModelInfo& out);
// The field `key` as a number; a missing or non-numeric field is an error naming the key and what
// the file holds.
Status model_info_number(const ModelInfo& info, std::string_view key, double& out);

}  // namespace lab::core::nn
