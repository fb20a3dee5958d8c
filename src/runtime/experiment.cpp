#include "runtime/experiment.h"

#include <cmath>
#include <cstdio>

#include "runtime/model_code.h"

namespace lab::runtime {

std::vector<ModelCode> Experiment::model_code() const { return {}; }

Metric metric_undefined(std::string name, std::string why) {
  return Metric{std::move(name), NAN, std::move(why)};
}

std::string metric_text(const Metric& m, int digits) {
  if (!m.defined()) return "n/a: " + m.undefined;
  if (std::isnan(m.value)) return "not a number";  // spelled out: a student may not know "nan"
  if (std::isinf(m.value)) return m.value > 0 ? "infinity" : "minus infinity";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, m.value);
  return buf;
}

}  // namespace lab::runtime
