// "embedding-train" (see embedding_train.h).
#include "runtime/blocks/embedding_train.h"

#include <algorithm>

#include "core/embed/knn.h"
#include "runtime/model_code.h"

namespace lab::runtime {

std::vector<ParamSpec> word_embedding_param_specs(int default_dim, int default_epochs) {
  return {
      {"dim", ParamType::Int, "embedding dimension d", double(default_dim), 2, 32},
      {"epochs", ParamType::Int, "passes over the (word, context word) pairs", double(default_epochs), 1, 200},
      {"learning_rate", ParamType::Float, "Adam step size", 0.03, 1e-4, 0.5, {}, "", true},
      {"window", ParamType::Int, "context: words at most this many tokens apart", 2, 1, 5},
      {"topic_share", ParamType::Float, "share of a sentence's words drawn from its topic category (0: random text)", 0.85, 0, 1},
      {"sentences", ParamType::Int, "size of the toy corpus", 600, 50, 5000, {}, "", true},
      {"seed", ParamType::Int, "random seed (corpus, initial W, shuffling)", 1, 0, 1e9},
  };
}

WordEmbeddingParams word_embedding_params_from(const BlockConfig& c, const std::string& prefix) {
  WordEmbeddingParams p;
  p.dim = c.integer(prefix + "dim");
  p.epochs = c.integer(prefix + "epochs");
  p.learning_rate = c.num(prefix + "learning_rate");
  p.window = c.integer(prefix + "window");
  p.topic_share = c.num(prefix + "topic_share");
  p.sentences = c.integer(prefix + "sentences");
  p.seed = uint64_t(c.integer(prefix + "seed"));
  return p;
}

std::vector<Metric> EmbeddingTrainExperiment::metrics() const {
  double within = 0, between = 0;
  const core::Mat& w = run.embeddings();
  if (w.rows() > 1) category_cosines(w, run.vocab.category, within, between);
  // Leave-one-out: is a word's nearest other word (by cosine) from its own category?
  double nn_same = 0;
  core::Knn knn;
  if (w.rows() > 2 && core::knn_search(w, 1, core::Measure::Cosine, knn)) {
    for (int i = 0; i < knn.n; ++i) nn_same += run.vocab.category[size_t(knn.neighbour(i, 0))] == run.vocab.category[size_t(i)];
    nn_same /= double(knn.n);
  }
  const std::vector<float>& losses = run.result ? run.result->epoch_loss : run.trainer.history.train_loss;
  const std::vector<float>& batches = run.trainer.history.batch_loss;
  std::vector<Metric> m = {{"within_cos", within},
                           {"between_cos", between},
                           {"category_gap", within - between},
                           {"nearest_same_category", nn_same},
                           {"parameters", double(w.size())}};
  if (!losses.empty()) {
    m.push_back({"loss_first_epoch", losses.front()});
    m.push_back({"loss", losses.back()});
  } else if (!batches.empty()) {
    m.push_back({"loss", batches.back()});
  }
  return m;
}

std::vector<ModelCode> EmbeddingTrainExperiment::model_code() const {
  if (!run.objective || !run.status.ok) return {};
  return {model_code_skipgram(run.objective->embedding.vocab(), run.objective->embedding.dim(), run.params.init_scale,
                              run.trainer.opt)};
}

static std::unique_ptr<Experiment> make_embedding_train(const BlockConfig& c) {
  auto e = std::make_unique<EmbeddingTrainExperiment>();
  // Always train here (the point is to watch it); the result is stored for later steps.
  word_embedding_start(e->run, word_embedding_params_from(c), /*reuse_cached=*/false);
  e->pace = c.integer("pace");
  return e;
}

BlockKind& block_kind_embedding_train() {
  static BlockKind k{
      "embedding-train",
      "Learning word embeddings from co-occurrence",
      [] {
        std::vector<ParamSpec> p = word_embedding_param_specs(2, 20);
        p.push_back({"pace", ParamType::Int, "mini-batches per frame, to watch the training (0: as fast as the frame budget allows)", 0, 0, 10000});
        return p;
      }(),
      {
          {"within_cos", "mean cosine between different words of the same category"},
          {"between_cos", "mean cosine between words of different categories"},
          {"category_gap", "within_cos − between_cos: how much more alike a category's words are"},
          {"nearest_same_category", "share of words whose nearest other word (cosine) is from the same category"},
          {"parameters", "entries of W: |V| × d"},
          {"loss_first_epoch", "mean cross-entropy over the first epoch"},
          {"loss", "mean cross-entropy over the last epoch (chance level: ln |V| ≈ 3.4)"},
      },
      make_embedding_train,
  };
  k.controls = {{"an almost untrained model (1 epoch at learning rate 1e-4)", {{"epochs", "1"}, {"learning_rate", "0.0001"}}}};
  metrics_mark_identity(k, {"parameters"});
  return k;
}

}  // namespace lab::runtime
