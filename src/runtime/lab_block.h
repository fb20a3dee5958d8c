// Lab blocks: the interactive parts of a lesson, written as fenced blocks
//
//     ```lab random-cosine
//     title: Random directions are nearly orthogonal
//     dim: 64
//     knob dim: 1 .. 1024 log
//     expect mean_abs_cos < 0.15
//     ```
//
// Each block kind declares a typed parameter schema (used to validate, to document — see
// `embedlab lesson kinds` — and to build the UI's knobs), the metrics it reports, and a factory for
// its Experiment. Kinds live one per file in src/runtime/blocks/ with one line in block_registry.cpp.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/experiment.h"
#include "runtime/diagnostic.h"

namespace lab::runtime {

enum class ParamType { Int, Float, Bool, Choice, Text };
const char* param_type_name(ParamType t);

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::Float;
  std::string doc;
  double def = 0;                    // Int, Float, Bool (0/1)
  double min = 0, max = 0;           // Int, Float: the valid range (inclusive)
  std::vector<std::string> choices;  // Choice
  std::string def_text;              // Choice, Text
  bool log_scale = false;            // a knob on this parameter moves on a log scale by default
  size_t max_text = 2000;            // Text: longest accepted value in bytes
};

struct MetricSpec {
  std::string name;
  std::string doc;
};

struct BlockConfig;
using ExperimentFactory = std::unique_ptr<Experiment> (*)(const BlockConfig& config);

struct BlockKind {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> params;  // "title" is added to every kind by the registry
  std::vector<MetricSpec> metrics;
  ExperimentFactory make = nullptr;
  // Optional checks across parameters (e.g. the answer number is within the choices); reported at the fence line.
  core::Status (*validate)(const BlockConfig& config) = nullptr;
  double check_timeout_s = 120;   // the headless runner gives up after this long
};

const std::vector<const BlockKind*>& block_kinds();
const BlockKind* block_kind_find(std::string_view name);
const ParamSpec* block_param_find(const BlockKind& kind, std::string_view name);

struct ParamValue {
  double number = 0;
  std::string text;
};

// Resolved parameter values (defaults filled in), as handed to an experiment.
struct BlockConfig {
  const BlockKind* kind = nullptr;
  std::map<std::string, ParamValue, std::less<>> values;

  double num(std::string_view name) const;
  int integer(std::string_view name) const;
  bool flag(std::string_view name) const;
  const std::string& text(std::string_view name) const;
};

struct Knob {
  std::string param;
  double min = 0, max = 0, step = 0;  // step 0: continuous (Int knobs step by 1)
  bool log_scale = false;
  int line = 0;
};

enum class CmpOp { Less, LessEq, Greater, GreaterEq, Approx };

struct Expect {
  std::string metric;
  CmpOp op = CmpOp::Less;
  double value = 0;
  double tolerance = 0;  // Approx: |metric - value| <= tolerance
  int line = 0;
  std::string source;    // the clause as written, for messages
};

bool expect_holds(const Expect& e, double metric_value);

struct LabBlock {
  std::string kind_name;
  const BlockKind* kind = nullptr;  // null if the kind is unknown (the error is in diagnostics)
  int line = 0;                     // line of the opening fence
  BlockConfig config;               // defaults + the values the lesson sets
  std::vector<Knob> knobs;
  std::vector<Expect> expects;
  std::vector<Diagnostic> diagnostics;

  bool ok() const;
  std::string title() const;
};

// Parses the lines between the fences. `first_line` is the file line of the first body line.
LabBlock lab_block_parse(std::string_view kind_name, std::string_view body, const std::string& file,
                         int fence_line, int first_line);

// Applies a value to a parameter with validation (used by knobs, deep links and the parser).
core::Status block_set_value(BlockConfig& config, const ParamSpec& spec, std::string_view text);
std::string block_format_value(const ParamSpec& spec, const ParamValue& v);

}  // namespace lab::runtime
