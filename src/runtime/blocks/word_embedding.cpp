// Co-occurrence word embeddings (see word_embedding.h).
#include "runtime/blocks/word_embedding.h"

#include "runtime/model_code.h"

#include <chrono>
#include <cstdio>

#include "core/embed/similarity.h"
#include "core/nn/losses.h"
#include "core/nn/model_io.h"

namespace lab::runtime {

namespace nn = core::nn;

std::string WordEmbeddingParams::key() const {
  char buf[256];
  std::snprintf(buf, sizeof buf, "d%d e%d lr%.9g w%d t%.9g s%d b%d seed%llu i%.9g", dim, epochs, learning_rate, window,
                topic_share, sentences, batch_size, static_cast<unsigned long long>(seed), init_scale);
  return buf;
}

// ---- the objective -------------------------------------------------------------------------------
core::Status SkipGramObjective::train_batch(std::span<const uint32_t> rows, core::Rng&, nn::BatchResult& out) {
  ids_.resize(rows.size());
  labels_.resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    ids_[i] = centre[rows[i]];
    labels_[i] = context[rows[i]];
  }
  // h: (B, d) = rows of W;  z: (B, |V|) = h U + b
  if (core::Status st = embedding.forward(ids_, h_); !st) return st;
  const core::Mat z = output.forward(h_, nn::ctx_eval());
  const nn::LossT<core::Scalar> loss = nn::softmax_cross_entropy_loss(z, labels_);
  if (!loss.status) return loss.status;
  // d_h = d_z U^T, then scatter-add into the looked-up rows of W
  embedding.backward(output.backward(loss.grad));
  out.loss = double(loss.value);
  out.metric = nn::accuracy(z, labels_);
  out.count = core::Index(rows.size());
  return {};
}

core::Status SkipGramObjective::eval_batch(std::span<const uint32_t>, nn::BatchResult& out) {
  out = {};
  return {};
}

std::vector<nn::ParamRef> SkipGramObjective::params() {
  std::vector<nn::ParamRef> p = embedding.params();
  for (const nn::ParamRef& q : output.params()) p.push_back(q);
  return p;
}

// ---- the memo of finished runs -----------------------------------------------------------------
namespace {

struct CacheEntry {
  std::string key;
  std::shared_ptr<const WordEmbeddingResult> result;
};

// A handful of finished runs (each is |V| x d floats); oldest dropped first.
std::vector<CacheEntry>& cache() {
  static std::vector<CacheEntry> entries;
  return entries;
}

std::shared_ptr<const WordEmbeddingResult> cache_find(const std::string& key) {
  for (const CacheEntry& e : cache())
    if (e.key == key) return e.result;
  return nullptr;
}

void cache_put(const std::string& key, std::shared_ptr<const WordEmbeddingResult> r) {
  std::vector<CacheEntry>& c = cache();
  if (c.size() >= 8) c.erase(c.begin());
  c.push_back({key, std::move(r)});
}

void finish(WordEmbeddingRun& run) {
  auto r = std::make_shared<WordEmbeddingResult>();
  r->vocab = run.vocab;
  r->embeddings = run.objective->embedding.W;
  r->epoch_loss = run.trainer.history.train_loss;
  run.result = r;
  cache_put(run.params.key(), r);
}

}  // namespace

// ---- the run -----------------------------------------------------------------------------------
core::Status word_embedding_start(WordEmbeddingRun& run, const WordEmbeddingParams& p, bool reuse_cached) {
  run.params = p;
  run.vocab = core::vocab_builtin();
  run.result = reuse_cached ? cache_find(p.key()) : nullptr;
  if (run.result) {
    run.status = {};
    return run.status;
  }
  core::CorpusParams cp;
  cp.sentences = p.sentences;
  cp.topic_share = p.topic_share;
  cp.seed = p.seed;
  std::vector<std::vector<int32_t>> corpus;
  if (run.status = core::corpus_generate(run.vocab, cp, corpus); !run.status) return run.status;

  // (word, context) pairs: sentences x 6 tokens x at most 2 window others; the schema caps sentences at
  // 5000 and window at 5, so at most 150k pairs (1.2 MB): far below the memory budget.
  auto obj = std::make_unique<SkipGramObjective>();
  for (const auto& s : corpus)
    for (size_t i = 0; i < s.size(); ++i)
      for (size_t j = 0; j < s.size(); ++j)
        if (i != j && (i > j ? i - j : j - i) <= size_t(p.window)) {
          obj->centre.push_back(s[i]);
          obj->context.push_back(s[j]);
        }
  run.pairs = int(obj->centre.size());
  core::Rng rng(p.seed * 7919 + 17);
  const core::Index v = core::Index(run.vocab.words.size());
  if (run.status = obj->embedding.init(v, p.dim, rng, core::Scalar(p.init_scale)); !run.status) return run.status;
  obj->output.init(p.dim, v, rng, false);
  obj->embedding.name = "W";
  obj->output.name = "U";
  run.initial = obj->embedding.W;
  run.objective = obj.get();

  run.status = nn::trainer_init(run.trainer, std::move(obj), word_embedding_trainer_options(p));
  return run.status;
}

nn::TrainerOptions word_embedding_trainer_options(const WordEmbeddingParams& p) {
  nn::TrainerOptions opt;
  opt.epochs = p.epochs;
  opt.batch_size = p.batch_size;
  opt.seed = p.seed;
  opt.optim.kind = nn::OptimKind::Adam;
  opt.optim.lr = p.learning_rate;
  return opt;
}

std::vector<ModelCode> word_embedding_code(const WordEmbeddingRun& run) {
  if (!run.status.ok) return {};
  const core::Mat& w = run.embeddings();  // trained here, or an earlier step's result reused
  if (w.size() == 0) return {};
  return {model_code_skipgram(w.rows(), w.cols(), run.params.init_scale, word_embedding_trainer_options(run.params))};
}

void word_embedding_step(WordEmbeddingRun& run, double budget_ms, int max_batches) {
  if (run.done()) return;
  if (max_batches > 0) {
    // trainer_step with no budget runs exactly one mini-batch (or one end-of-epoch step).
    const auto start = std::chrono::steady_clock::now();
    for (int b = 0; b < max_batches && run.status && !nn::trainer_done(run.trainer); ++b) {
      run.status = nn::trainer_step(run.trainer, 0.0);
      if (std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() > budget_ms) break;
    }
  } else {
    run.status = nn::trainer_step(run.trainer, budget_ms);
  }
  if (run.status && nn::trainer_done(run.trainer)) finish(run);
}

float WordEmbeddingRun::progress() const {
  if (result) return 1.0f;
  return float(nn::trainer_progress(trainer));
}

std::string WordEmbeddingRun::progress_text() const {
  if (result && !objective) return "trained earlier: reused";
  return nn::trainer_progress_text(trainer);
}

const core::Mat& WordEmbeddingRun::embeddings() const {
  if (result) return result->embeddings;
  return objective ? objective->embedding.W : initial;
}

void category_cosines(const core::Mat& w, const std::vector<int32_t>& category, double& within, double& between) {
  const core::Mat c = core::measure_self(core::Measure::Cosine, w);
  double sw = 0, sb = 0;
  int nw = 0, nb = 0;
  for (core::Index i = 0; i < c.rows(); ++i)
    for (core::Index j = i + 1; j < c.cols(); ++j) {
      if (category[size_t(i)] == category[size_t(j)]) {
        sw += double(c(i, j));
        ++nw;
      } else {
        sb += double(c(i, j));
        ++nb;
      }
    }
  within = nw ? sw / nw : 0;
  between = nb ? sb / nb : 0;
}


std::string word_embedding_model_file(const WordEmbeddingRun& run) {
  if (!run.result || !run.objective || !run.status.ok) return {};
  const WordEmbeddingParams& p = run.params;
  core::nn::ModelInfo info;
  info.what = "embedlab skip-gram";
  info.set_number("vocabulary", double(run.vocab.words.size()));
  info.set_number("dim", p.dim);
  info.set_number("epochs", p.epochs);
  info.set_number("learning_rate", p.learning_rate);
  info.set_number("window", p.window);
  info.set_number("topic_share", p.topic_share);
  info.set_number("sentences", p.sentences);
  info.set_number("batch_size", p.batch_size);
  info.set("seed", std::to_string(p.seed));
  info.set_number("init_scale", p.init_scale);
  std::string words;  // the vocabulary, so the rows of W can be named without the lab
  for (size_t i = 0; i < run.vocab.words.size(); ++i) words += (i ? " " : "") + run.vocab.words[i];
  info.set("words", words);
  return core::nn::model_save(run.objective->params(), core::nn::model_info_text(info));
}

}  // namespace lab::runtime
