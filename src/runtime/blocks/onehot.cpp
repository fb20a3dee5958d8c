// "onehot": a vocabulary turned into one-hot vectors, with their pairwise distances — every pair of
// different symbols is √2 apart and orthogonal.
#include <cmath>

#include "runtime/blocks/blocks.h"
#include "runtime/text.h"

namespace lab::runtime {

std::vector<std::string> vocabulary_parse(const std::string& text, std::string* error) {
  std::vector<std::string> words;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string w(trim(std::string_view(text).substr(start, end - start)));
    if (!w.empty()) {
      bool dup = false;
      for (const std::string& x : words) dup |= x == w;
      if (dup) {
        if (error) *error = "the vocabulary lists '" + w + "' twice; each symbol must be unique";
      } else {
        words.push_back(w);
      }
    }
    start = end + 1;
  }
  return words;
}

void OnehotExperiment::step(double) {
  if (computed) return;
  const core::Index n = core::Index(vocab.size());
  onehot = core::Mat::Identity(n, n);
  // ‖eᵢ − eⱼ‖² = ‖eᵢ‖² + ‖eⱼ‖² − 2 eᵢ·eⱼ
  const core::Mat gram = onehot * onehot.transpose();
  distances.resize(n, n);
  for (core::Index i = 0; i < n; ++i)
    for (core::Index j = 0; j < n; ++j)
      distances(i, j) = std::sqrt(std::max<core::Scalar>(0, gram(i, i) + gram(j, j) - 2 * gram(i, j)));
  computed = true;
}

std::vector<Metric> OnehotExperiment::metrics() const {
  const core::Index n = distances.rows();
  std::vector<Metric> out = {{"vocab_size", double(n)}, {"dimensions", double(onehot.cols())}};
  if (n == 0) {
    out.push_back(metric_undefined("nonzeros_per_row", "needs a symbol"));
  } else {
    out.push_back({"nonzeros_per_row", double((onehot.array() != 0).count()) / double(n)});
  }
  // Distances and dot products are between two different symbols: one symbol has no pair.
  if (n < 2) {
    for (const char* name : {"min_distance", "max_distance", "max_dot"}) out.push_back(metric_undefined(name, "needs two symbols"));
    return out;
  }
  double dmin = 1e300, dmax = 0, dot_max = -1e300;
  for (core::Index i = 0; i < n; ++i)
    for (core::Index j = 0; j < n; ++j)
      if (i != j) {
        dmin = std::min(dmin, double(distances(i, j)));
        dmax = std::max(dmax, double(distances(i, j)));
        dot_max = std::max(dot_max, double(onehot.row(i).dot(onehot.row(j))));
      }
  out.push_back({"min_distance", dmin});
  out.push_back({"max_distance", dmax});
  out.push_back({"max_dot", dot_max});
  return out;
}

static std::unique_ptr<Experiment> make_onehot(const BlockConfig& c) {
  auto e = std::make_unique<OnehotExperiment>();
  std::string err;
  e->vocab = vocabulary_parse(c.text("vocabulary"), &err);
  if (e->vocab.empty()) err = "the vocabulary is empty: list symbols separated by commas, e.g. 'cat, dog, apple'";
  if (e->vocab.size() > 64) {
    err = "the vocabulary has " + std::to_string(e->vocab.size()) + " symbols; this view shows at most 64";
    e->vocab.resize(64);
  }
  if (!err.empty()) e->error = core::Status::error(err);
  return e;
}

static core::Status validate_onehot(const BlockConfig& c) {
  return make_onehot(c)->status();
}

BlockKind& block_kind_onehot() {
  static BlockKind k{
      "onehot",
      "A vocabulary as one-hot vectors",
      {
          {"vocabulary", ParamType::Text, "symbols separated by commas (at most 64)", 0, 0, 0, {}, "cat, dog, apple, pear, red, blue"},
      },
      {
          {"vocab_size", "number of symbols |V|"},
          {"dimensions", "length of each one-hot vector (= |V|)"},
          {"nonzeros_per_row", "non-zero entries per vector (always 1)"},
          {"min_distance", "smallest Euclidean distance between two different symbols"},
          {"max_distance", "largest Euclidean distance between two different symbols"},
          {"max_dot", "largest dot product between two different symbols"},
      },
      make_onehot,
      validate_onehot,
  };
  metrics_mark_all_identity(k);
  return k;
}

}  // namespace lab::runtime
