// A small symbolic vocabulary with categories, and a deterministic toy corpus over it, for the
// "one-hot vs embedding" lesson: one-hot vectors make every pair of words equally far apart (sqrt 2),
// while co-occurrence statistics (and embeddings learned from them) put same-category words together.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace lab::core {

struct Vocabulary {
  std::vector<std::string> words;           // (V)
  std::vector<int32_t> category;            // (V) index into category_names
  std::vector<std::string> category_names;  // (C)
};

// 30 words in 5 categories (animals, fruits, colours, countries, vehicles), 6 each, grouped by category.
Vocabulary vocab_builtin();

// Index of a word, or -1.
int32_t vocab_find(const Vocabulary& vocab, std::string_view word);

// (V, V) identity: row i is word i's one-hot vector.
Mat vocab_one_hot(const Vocabulary& vocab);

struct CorpusParams {
  int sentences = 2000;
  int sentence_length = 6;      // tokens per sentence
  double topic_share = 0.85;    // probability that a token comes from the sentence's topic category
  uint64_t seed = 0;
};

// Sentences of word indices: each sentence picks a topic category, then each token is a word of the
// topic with probability topic_share, otherwise any word (uniform). Same seed, same corpus, everywhere.
Status corpus_generate(const Vocabulary& vocab, const CorpusParams& params, std::vector<std::vector<int32_t>>& out);

// (V, V) symmetric counts of word pairs within `window` positions of each other in a sentence
// (the diagonal counts a word next to itself).
Mat cooccurrence_count(const Vocabulary& vocab, const std::vector<std::vector<int32_t>>& corpus, int window);

}  // namespace lab::core
