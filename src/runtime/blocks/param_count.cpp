// "param-count" (see param_count.h).
#include "runtime/blocks/param_count.h"

namespace lab::runtime {

std::vector<Metric> ParamCountExperiment::metrics() const {
  const double v = vocab_size, d = dim, h = hidden;
  return {{"onehot_width", v},
          {"embedding_width", d},
          {"embedding_parameters", v * d},
          {"onehot_layer_parameters", v * h},
          {"embedding_layer_parameters", v * d + d * h},
          {"saving_factor", (v * h) / (v * d + d * h)}};
}

static std::unique_ptr<Experiment> make_param_count(const BlockConfig& c) {
  auto e = std::make_unique<ParamCountExperiment>();
  e->vocab_size = c.num("vocab_size");
  e->dim = c.num("dim");
  e->hidden = c.num("hidden");
  return e;
}

BlockKind& block_kind_param_count() {
  static BlockKind k{
      "param-count",
      "Parameters of one-hot inputs vs embeddings",
      {
          {"vocab_size", ParamType::Int, "number of symbols |V|", 10000, 2, 1e8, {}, "", true},
          {"dim", ParamType::Int, "embedding dimension d", 32, 1, 4096, {}, "", true},
          {"hidden", ParamType::Int, "width h of the first dense layer after the input", 128, 1, 4096, {}, "", true},
      },
      {
          {"onehot_width", "input width with one-hot vectors (= |V|)"},
          {"embedding_width", "input width with embeddings (= d)"},
          {"embedding_parameters", "entries of the embedding table W: |V| × d"},
          {"onehot_layer_parameters", "weights of a dense layer of width h on one-hot input: |V| × h"},
          {"embedding_layer_parameters", "embedding table plus a dense layer of width h on it: |V| × d + d × h"},
          {"saving_factor", "one-hot layer weights divided by embedding + layer weights"},
      },
      make_param_count,
  };
  return k;
}

}  // namespace lab::runtime
