// "param-count": what one-hot inputs and embeddings cost. For a vocabulary of |V| symbols, an
// embedding dimension d and a first hidden layer of h units it counts the input widths and weights:
//   one-hot → dense(h):          input width |V|, weights |V| · h
//   embedding(d) → dense(h):     input width d,   weights |V| · d + d · h
// Pure arithmetic, instant; the widget draws the counts on a log scale.
#pragma once

#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_param_count();

struct ParamCountExperiment final : Experiment {
  double vocab_size = 0, dim = 0, hidden = 0;

  void step(double) override {}
  bool done() const override { return true; }
  float progress() const override { return 1.0f; }
  std::vector<Metric> metrics() const override;
};

}  // namespace lab::runtime
