// What a lab block runs. An Experiment advances in time slices (step(budget_ms) does about that much
// work and returns), so the UI can drive it once per frame at 60 fps and the headless runner can drive
// the very same object to completion. Each block kind (src/runtime/blocks/) implements one.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace lab::runtime {

struct ModelCode;  // model_code.h

// A number a block measures. Some are undefined for some settings (the smallest distance between
// the vectors of a one-symbol vocabulary: there is no pair): such a metric carries the reason instead
// of a number, and every place that shows it says "n/a: <reason>" (metric_text).
struct Metric {
  std::string name;
  double value = 0;
  std::string undefined = {};  // non-empty: no value exists with these settings, and why ("needs two symbols")

  bool defined() const { return undefined.empty(); }
};

// A metric with no value for these settings; `why` completes "n/a: ..." ("needs two symbols").
Metric metric_undefined(std::string name, std::string why);
// "0.4231" or "n/a: needs two symbols" (printf %.*g with `digits` significant digits; a NaN or an
// infinity is spelled out).
std::string metric_text(const Metric& m, int digits = 6);

// The data set a block works on, as the page publishes it (window.embedlab.data) so browser tests can
// see what the page is using: ratings (users x items) or points (rows x dims). A count of -1 does
// not apply; an empty name means the block has no data set of its own.
struct DataSetInfo {
  std::string name;  // "synthetic-small (seed 1)", "digits", "vectors.tsv", ...
  long long ratings = -1, users = -1, items = -1;  // rating data
  long long points = -1, dims = -1;                // point sets
  bool students_own = false;  // data the student brought (dropped): the lesson's `expect` lines were set for
                              // the lesson's data, so they show the value without judging it (ui/block_text.h)
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
  // Current values of the metrics the kind declares: finite numbers, or undefined with a reason.
  virtual std::vector<Metric> metrics() const = 0;
  // The Keras and PyTorch code of the models the block trains, once they are built (model_code.h);
  // none for a block without a model.
  virtual std::vector<ModelCode> model_code() const;
  // The data set it uses, once it has one (none by default).
  virtual DataSetInfo data_set() const { return {}; }
  // Computing time spent outside step() (the page's compute worker: runtime/blocks/projection.h), which
  // the block's "finished in" adds to the time its steps took.
  virtual double worker_ms() const { return 0; }
};

}  // namespace lab::runtime
