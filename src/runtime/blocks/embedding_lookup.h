// "embedding-lookup": an embedding is onehot(x) · W. The block builds a random W (|V| × d) for the
// lesson's vocabulary and computes every symbol's embedding twice — as the matrix product of its
// one-hot row with W, and as the embedding layer's table lookup — so the student can see they are
// the same numbers (and why the lookup is what a framework actually runs).
#pragma once

#include <string>
#include <vector>

#include "core/types.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_embedding_lookup();

struct EmbeddingLookupExperiment final : Experiment {
  std::vector<std::string> vocab;
  int dim = 3;
  static constexpr double kInitScale = 1.0;  // W ~ Normal(0, kInitScale²)
  uint64_t seed = 1;
  core::Mat weights;   // W: (|V|, d)
  core::Mat product;   // (|V|, d) row i = e_i · W, computed as a matrix product
  core::Mat lookup;    // (|V|, d) row i = the embedding layer's lookup of id i
  int selected = 0;    // the symbol looked up first (the lesson's `symbol`); the UI lets the student click others
  core::Status error;
  bool computed = false;

  void step(double) override;
  bool done() const override { return computed || !error.ok; }
  float progress() const override { return computed ? 1.0f : 0.0f; }
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
};

}  // namespace lab::runtime
