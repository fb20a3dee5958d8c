// "param-count": what one-hot inputs and embeddings cost. For a vocabulary of |V| symbols, an
// embedding dimension d and a first hidden layer of h units it builds the two input sides with the
// engine's layers and counts their parameters with nn::param_count (weights and biases):
//   one-hot → dense(h):          input width |V|, nn::Dense(|V|, h)
//   embedding(d) → dense(h):     input width d,   nn::Embedding(|V|, d) + nn::Dense(d, h)
// A layer too large for the lab's memory budget (memory_budget.h) cannot be built: its count is
// then read from the shapes the layer would have, and the metric `built` says so (0).
#pragma once

#include <cstdint>

#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_param_count();

struct ParamCountExperiment final : Experiment {
  int64_t vocab_size = 0, dim = 0, hidden = 0;
  int64_t embedding_parameters = 0;        // the table
  int64_t onehot_layer_parameters = 0;     // dense(|V|, h)
  int64_t embedding_layer_parameters = 0;  // table + dense(d, h)
  bool built = false;                      // the counts come from layers the engine built

  void step(double) override {}
  bool done() const override { return true; }
  float progress() const override { return 1.0f; }
  std::vector<Metric> metrics() const override;
};

}  // namespace lab::runtime
