// Word embeddings learned from co-occurrence, shared by the lessons' blocks (embedding-train,
// embedding-distances, projection's "words" data). The task is skip-gram-like: for every pair of
// words that occur within `window` tokens of each other in the toy corpus (core/data/vocab.h), predict
// the context word from the centre word:
//
//   h = onehot(centre) · W        W: (|V|, d)  the embedding table being learned
//   z = h · U + b                 U: (d, |V|)  scores for every possible context word
//   loss = softmax cross-entropy(z, context)
//
// Words of one category share their contexts, so gradient descent gives them similar rows of W.
// Finished runs are memoised by their parameters (a small process-wide cache of pure results), so a
// later lesson step that asks for the same embeddings — or a knob that only changes the analysis —
// gets them at once instead of training again.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/data/vocab.h"
#include "core/nn/layers.h"
#include "core/nn/trainer.h"
#include "core/status.h"
#include "core/types.h"
#include "runtime/model_code.h"

namespace lab::runtime {

struct WordEmbeddingParams {
  int dim = 2;               // d
  int epochs = 20;           // passes over the (centre, context) pairs
  double learning_rate = 0.03;  // Adam
  int window = 2;            // context: words at most this many tokens apart
  double topic_share = 0.85; // corpus: probability a token comes from its sentence's topic
  int sentences = 600;       // corpus size
  int batch_size = 64;
  uint64_t seed = 1;         // corpus, initial W and shuffling
  double init_scale = 0.1;   // initial W ~ Normal(0, init_scale²)

  std::string key() const;   // identifies a run for the cache
};

// The finished product: what later steps read.
struct WordEmbeddingResult {
  core::Vocabulary vocab;
  core::Mat embeddings;          // (|V|, d) the learned W
  std::vector<float> epoch_loss; // mean training loss per epoch
};

// Skip-gram objective on (centre, context) id pairs, for core::nn::Trainer.
class SkipGramObjective final : public core::nn::Objective {
 public:
  core::nn::Embedding embedding;  // W
  core::nn::Dense output;         // U, b
  core::nn::Ids centre, context;  // (pairs)

  core::Index train_size() const override { return core::Index(centre.size()); }
  core::Index val_size() const override { return 0; }
  core::Status train_batch(std::span<const uint32_t> rows, core::Rng& rng, core::nn::BatchResult& out) override;
  core::Status eval_batch(std::span<const uint32_t> rows, core::nn::BatchResult& out) override;
  std::vector<core::nn::ParamRef> params() override;
  const char* metric_name() const override { return "accuracy"; }

 private:
  core::nn::Ids ids_, labels_;
  core::Mat h_;
};

// A training run, advanced in time slices. If the same parameters finished before, it starts done.
struct WordEmbeddingRun {
  WordEmbeddingParams params;
  core::Vocabulary vocab;
  core::nn::Trainer trainer;
  SkipGramObjective* objective = nullptr;  // owned by trainer
  core::Mat initial;                       // W before training
  std::shared_ptr<const WordEmbeddingResult> result;  // set when done
  core::Status status;
  int pairs = 0;

  bool done() const { return result != nullptr || !status.ok; }
  float progress() const;
  std::string progress_text() const;
  // The current W (live during training, the result afterwards).
  const core::Mat& embeddings() const;
};

// reuse_cached: start done with an earlier run's result when one matches (false: always train, e.g.
// to show the training itself; the result is still stored for later steps).
core::Status word_embedding_start(WordEmbeddingRun& run, const WordEmbeddingParams& params, bool reuse_cached = true);
// The trainer options of a run with these parameters.
core::nn::TrainerOptions word_embedding_trainer_options(const WordEmbeddingParams& params);
// The skip-gram model's Keras / PyTorch code (model_code.h), for every block that shows the word
// embeddings, trained or reused; empty before they exist.
std::vector<ModelCode> word_embedding_code(const WordEmbeddingRun& run);
// The skip-gram model (W, U, b) in the lab's model file (core/nn/model_io.h; info "embedlab skip-gram"
// and the run's parameters); empty unless this run trained it (a run reused from the cache keeps W only).
std::string word_embedding_model_file(const WordEmbeddingRun& run);
// max_batches > 0: stop after that many mini-batches even if time is left (a watchable pace).
void word_embedding_step(WordEmbeddingRun& run, double budget_ms, int max_batches = 0);

// Mean cosine similarity over pairs of different words of the same category, and over pairs of
// words of different categories.
void category_cosines(const core::Mat& w, const std::vector<int32_t>& category, double& within, double& between);

}  // namespace lab::runtime
