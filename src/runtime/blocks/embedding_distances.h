// "embedding-distances": dot product, cosine similarity and Euclidean distance on trained word
// embeddings (word_embedding.h; reused from an earlier step when the parameters match). For a query
// word it ranks the nearest words under each measure; a `scale` knob stretches the query vector (its
// length changes, its direction does not) and a `normalize` toggle puts every vector on the unit
// sphere, where ‖x − y‖² = 2 (1 − cos(x, y)) and Euclidean and cosine rankings agree.
#pragma once

#include <array>
#include <vector>

#include "core/embed/similarity.h"
#include "runtime/blocks/word_embedding.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_embedding_distances();

struct Neighbour {
  int index = 0;
  double value = 0;  // the similarity or distance
};

struct EmbeddingDistancesExperiment final : Experiment {
  WordEmbeddingRun run;
  int query = 0, k = 5;
  double scale = 1;
  bool normalize = false;

  // Filled once the embeddings are ready.
  bool analysed = false;
  core::Mat vectors;                                 // (|V|, d) as compared: scaled query, normalised rows
  std::array<std::vector<Neighbour>, 3> neighbours;  // [dot, cosine, euclidean]: the query's k nearest
  std::vector<float> pair_sq_distance;               // every pair i < j: ‖xᵢ − xⱼ‖²
  std::vector<float> pair_cos_term;                  //                   2 (1 − cos(xᵢ, xⱼ))
  std::vector<float> norms;                          // ‖xᵢ‖
  std::vector<Metric> results;

  void step(double budget_ms) override;
  bool done() const override { return analysed || !run.status.ok; }
  float progress() const override { return analysed ? 1.0f : 0.95f * run.progress(); }
  std::string progress_text() const override { return run.progress_text(); }
  core::Status status() const override { return run.status; }
  std::vector<Metric> metrics() const override { return results; }
  std::vector<ModelCode> model_code() const override { return word_embedding_code(run); }
};

// The three measures in the order of EmbeddingDistancesExperiment::neighbours.
constexpr std::array<core::Measure, 3> kDistanceMeasures = {core::Measure::Dot, core::Measure::Cosine, core::Measure::Euclidean};

// Analysis on its own (the experiment calls it; tests call it on planted vectors).
void embedding_distances_analyse(EmbeddingDistancesExperiment& e, const core::Mat& embeddings,
                                 const std::vector<int32_t>& category);

}  // namespace lab::runtime
