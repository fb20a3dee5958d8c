#include "core/data/vocab.h"

#include "core/rng.h"

namespace lab::core {

Vocabulary vocab_builtin() {
  static const char* const kCategories[5] = {"animals", "fruits", "colours", "countries", "vehicles"};
  static const char* const kWords[5][6] = {
      {"cat", "dog", "horse", "rabbit", "tiger", "sheep"},
      {"apple", "banana", "cherry", "grape", "lemon", "mango"},
      {"red", "green", "blue", "yellow", "purple", "orange"},
      {"france", "japan", "brazil", "kenya", "canada", "india"},
      {"car", "bus", "bicycle", "train", "truck", "boat"},
  };
  Vocabulary v;
  for (int c = 0; c < 5; ++c) {
    v.category_names.emplace_back(kCategories[c]);
    for (const char* w : kWords[c]) {
      v.words.emplace_back(w);
      v.category.push_back(c);
    }
  }
  return v;
}

int32_t vocab_find(const Vocabulary& vocab, std::string_view word) {
  for (size_t i = 0; i < vocab.words.size(); ++i)
    if (vocab.words[i] == word) return int32_t(i);
  return -1;
}

Mat vocab_one_hot(const Vocabulary& vocab) {
  const Index v = Index(vocab.words.size());
  return Mat::Identity(v, v);
}

Status corpus_generate(const Vocabulary& vocab, const CorpusParams& params, std::vector<std::vector<int32_t>>& out) {
  out.clear();
  if (vocab.words.empty() || vocab.category_names.empty()) return Status::error("corpus: the vocabulary is empty");
  if (params.sentences < 1 || params.sentence_length < 2)
    return Status::error("corpus: need at least 1 sentence of at least 2 tokens");
  if (!(params.topic_share >= 0 && params.topic_share <= 1))
    return Status::error("corpus: topic_share must be within [0, 1]");
  std::vector<std::vector<int32_t>> by_category(vocab.category_names.size());
  for (size_t w = 0; w < vocab.words.size(); ++w) by_category[vocab.category[w]].push_back(int32_t(w));
  Rng rng(params.seed);
  out.resize(size_t(params.sentences));
  for (auto& sentence : out) {
    const auto& topic = by_category[rng_below(rng, uint32_t(by_category.size()))];
    sentence.resize(size_t(params.sentence_length));
    for (int32_t& token : sentence) {
      if (!topic.empty() && rng_bernoulli(rng, params.topic_share))
        token = topic[rng_below(rng, uint32_t(topic.size()))];
      else
        token = int32_t(rng_below(rng, uint32_t(vocab.words.size())));
    }
  }
  return Status::success();
}

Mat cooccurrence_count(const Vocabulary& vocab, const std::vector<std::vector<int32_t>>& corpus, int window) {
  const Index v = Index(vocab.words.size());
  Mat c = Mat::Zero(v, v);
  for (const auto& s : corpus)
    for (size_t i = 0; i < s.size(); ++i)
      for (size_t j = i + 1; j < s.size() && j <= i + size_t(window); ++j) {
        if (s[i] < 0 || s[i] >= v || s[j] < 0 || s[j] >= v) continue;
        c(s[i], s[j]) += 1;
        if (s[i] != s[j]) c(s[j], s[i]) += 1;
      }
  return c;
}

}  // namespace lab::core
