// "param-count" (see param_count.h).
#include "runtime/blocks/param_count.h"

#include "core/nn/layers.h"

namespace lab::runtime {

std::vector<Metric> ParamCountExperiment::metrics() const {
  return {{"onehot_width", double(vocab_size)},
          {"embedding_width", double(dim)},
          {"embedding_parameters", double(embedding_parameters)},
          {"onehot_layer_parameters", double(onehot_layer_parameters)},
          {"embedding_layer_parameters", double(embedding_layer_parameters)},
          {"saving_factor", double(onehot_layer_parameters) / double(embedding_layer_parameters)},
          {"built", built ? 1.0 : 0.0}};
}

namespace {

// Parameters of dense(in, out) as the engine counts them (W and b), building the layer when it fits.
int64_t dense_params(int64_t in, int64_t out, core::Rng& rng, bool& built) {
  const double count = double(in) * double(out) + double(out);
  if (!core::nn::param_memory_check(count, "dense", "")) {  // the engine's budget, as Embedding::init checks it
    built = false;
    return int64_t(count);
  }
  core::nn::Dense layer;
  layer.init(in, out, rng);
  return core::nn::param_count(layer.params());
}

int64_t embedding_params(int64_t vocab, int64_t dim, core::Rng& rng, bool& built) {
  core::nn::Embedding table;
  if (!table.init(vocab, dim, rng)) {  // over the memory budget
    built = false;
    return vocab * dim;
  }
  return core::nn::param_count(table.params());
}

}  // namespace

static std::unique_ptr<Experiment> make_param_count(const BlockConfig& c) {
  auto e = std::make_unique<ParamCountExperiment>();
  e->vocab_size = c.integer("vocab_size");
  e->dim = c.integer("dim");
  e->hidden = c.integer("hidden");
  core::Rng rng(1);
  e->built = true;
  e->embedding_parameters = embedding_params(e->vocab_size, e->dim, rng, e->built);
  e->onehot_layer_parameters = dense_params(e->vocab_size, e->hidden, rng, e->built);
  e->embedding_layer_parameters = e->embedding_parameters + dense_params(e->dim, e->hidden, rng, e->built);
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
          {"embedding_parameters", "parameters of the engine's embedding table W (|V| × d)"},
          {"onehot_layer_parameters", "parameters of a dense layer of width h on one-hot input (|V| × h weights + h biases)"},
          {"embedding_layer_parameters", "embedding table plus a dense layer of width h on it (|V| × d + d × h + h)"},
          {"saving_factor", "one-hot layer parameters divided by embedding + layer parameters"},
          {"built", "1 if the counts come from layers the engine built, 0 if a layer was over the memory budget and was counted from its shape"},
      },
      make_param_count,
  };
  metrics_mark_all_identity(k);
  return k;
}

}  // namespace lab::runtime
