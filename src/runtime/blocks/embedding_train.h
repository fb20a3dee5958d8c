// "embedding-train": learns word embeddings W from co-occurrence (word_embedding.h) while the student
// watches: with d = 2 the rows of W are plotted as they move, with d > 2 their first two principal
// components. Words of one category end up pointing the same way; the metrics measure it.
#pragma once

#include "runtime/blocks/word_embedding.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_embedding_train();

struct EmbeddingTrainExperiment final : Experiment {
  WordEmbeddingRun run;
  int pace = 0;  // mini-batches per step (0: as many as fit in the budget)

  void step(double budget_ms) override { word_embedding_step(run, budget_ms, pace); }
  bool done() const override { return run.done(); }
  float progress() const override { return run.progress(); }
  std::string progress_text() const override { return run.progress_text(); }
  core::Status status() const override { return run.status; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
};

// Parameters shared by the kinds that train word embeddings (names, ranges, defaults).
std::vector<ParamSpec> word_embedding_param_specs(int default_dim, int default_epochs);
// prefix: the parameters' names start with it (projection uses "words_").
WordEmbeddingParams word_embedding_params_from(const BlockConfig& c, const std::string& prefix = "");

}  // namespace lab::runtime
