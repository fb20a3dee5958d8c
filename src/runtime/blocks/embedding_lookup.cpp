// "embedding-lookup" (see embedding_lookup.h).
#include "runtime/blocks/embedding_lookup.h"

#include <algorithm>
#include <cmath>

#include "core/nn/layers.h"
#include "runtime/blocks/blocks.h"
#include "runtime/model_code.h"

namespace lab::runtime {

void EmbeddingLookupExperiment::step(double) {
  if (done()) return;
  const core::Index n = core::Index(vocab.size());
  core::Rng rng(seed);
  core::nn::Embedding layer;
  // Random weights, as an embedding layer starts before training.
  if (error = layer.init(n, dim, rng, core::Scalar(kInitScale)); !error) return;
  weights = layer.W;
  // The textbook way: a one-hot matrix (|V|, |V|) times W (|V|, d).
  const core::Mat onehot = core::Mat::Identity(n, n);
  product.noalias() = onehot * weights;
  // The framework way: copy row ids[i] of W.
  std::vector<int32_t> ids(static_cast<size_t>(n));
  for (core::Index i = 0; i < n; ++i) ids[size_t(i)] = int32_t(i);
  if (error = layer.forward(ids, lookup); !error) return;
  computed = true;
}

std::vector<ModelCode> EmbeddingLookupExperiment::model_code() const {
  if (!error.ok || vocab.empty()) return {};
  return {model_code_embedding(vocab, dim, kInitScale, vocab[size_t(selected)])};
}

std::vector<Metric> EmbeddingLookupExperiment::metrics() const {
  const double n = double(vocab.size());
  double diff = 0;
  if (computed && product.size() > 0) diff = double((product - lookup).cwiseAbs().maxCoeff());
  return {{"max_abs_difference", diff},
          {"vocab_size", n},
          {"onehot_width", n},
          {"embedding_width", double(dim)},
          {"parameters", n * double(dim)}};
}

static std::unique_ptr<Experiment> make_embedding_lookup(const BlockConfig& c) {
  auto e = std::make_unique<EmbeddingLookupExperiment>();
  std::string err;
  e->vocab = vocabulary_parse(c.text("vocabulary"), &err);
  if (e->vocab.empty()) err = "the vocabulary is empty: list symbols separated by commas, e.g. 'cat, dog, apple'";
  if (e->vocab.size() > 40) {
    err = "the vocabulary has " + std::to_string(e->vocab.size()) + " symbols; this view shows at most 40";
    e->vocab.resize(40);
  }
  e->dim = c.integer("dim");
  e->seed = uint64_t(c.integer("seed"));
  const std::string& sym = c.text("symbol");
  for (size_t i = 0; i < e->vocab.size(); ++i)
    if (e->vocab[i] == sym) e->selected = int(i);
  if (!sym.empty() && err.empty() && (e->vocab.empty() || e->vocab[size_t(e->selected)] != sym))
    err = "symbol '" + sym + "' is not in the vocabulary";
  if (!err.empty()) e->error = core::Status::error(err);
  return e;
}

static core::Status validate_embedding_lookup(const BlockConfig& c) { return make_embedding_lookup(c)->status(); }

BlockKind& block_kind_embedding_lookup() {
  static BlockKind k{
      "embedding-lookup",
      "An embedding is a one-hot vector times W, i.e. a row lookup",
      {
          {"vocabulary", ParamType::Text, "symbols separated by commas (at most 40)", 0, 0, 0, {}, "cat, dog, apple, pear, red, blue"},
          {"dim", ParamType::Int, "embedding dimension d (columns of W)", 3, 1, 8},
          {"symbol", ParamType::Text, "the symbol looked up first (empty: the first one); the student can click others", 0, 0, 0, {}, ""},
          {"seed", ParamType::Int, "random seed of the initial W", 1, 0, 1e9},
      },
      {
          {"max_abs_difference", "largest |onehot(x)·W − lookup(x)| over all symbols and dimensions (0: the same numbers)"},
          {"vocab_size", "number of symbols |V|"},
          {"onehot_width", "length of a one-hot input vector (= |V|)"},
          {"embedding_width", "length of an embedding (= d)"},
          {"parameters", "entries of W: |V| × d"},
      },
      make_embedding_lookup,
      validate_embedding_lookup,
  };
  metrics_mark_all_identity(k);
  return k;
}

}  // namespace lab::runtime
