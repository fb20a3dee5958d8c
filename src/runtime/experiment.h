// What a lab block runs. An Experiment advances in time slices (step(budget_ms) does about that much
// work and returns), so the UI can drive it once per frame at 60 fps and the headless runner can drive
// the very same object to completion. Each block kind (src/runtime/blocks/) implements one.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace lab::runtime {

struct Metric {
  std::string name;
  double value = 0;
};

class Experiment {
 public:
  virtual ~Experiment() = default;
  // Does roughly budget_ms of work, in units (a mini-batch, an evaluation batch, a piece of t-SNE's
  // initialisation or of a final metric), and returns: a slice overruns its budget by about one
  // unit, however large the settings. Long computations are split into such units, never run whole.
  virtual void step(double budget_ms) = 0;
  virtual bool done() const = 0;
  virtual float progress() const = 0;  // 0..1
  // A short line for the progress bar, e.g. "epoch 3 / 20".
  virtual std::string progress_text() const { return {}; }
  // Not ok when the run cannot continue (diverged, bad configuration); the message says what to change.
  virtual core::Status status() const { return {}; }
  // Current values of the metrics the kind declares (finite numbers only).
  virtual std::vector<Metric> metrics() const = 0;
};

}  // namespace lab::runtime
