// A trained recommender as a file the student takes home, in the lab's one model format
// (core/nn/model_io.h, "EMBLMDL" version 1): the tensors, plus an info text that records the model's
// options and how its data and split were made, so that `embedlab recsys --load FILE --data ...`
// rebuilds the same model, loads the weights and evaluates it on the same test ratings.
//
//   RecFileData fd;  fd.data = "synthetic-small"; fd.data_seed = fd.split_seed = seed;
//   std::string bytes = rec_model_save(rt, data, options, fd);
//   ...
//   RecModelOptions o; RecFileData fd;
//   rec_model_peek(bytes, o, fd);              // what to generate / which split to make
//   rec_model_load(bytes, data, split, rt);    // rt: built with o, weights from the file
//   RecEval e = rec_evaluate(rt, data, 10);    // the numbers the block or the CLI showed
//
// Loading into the same data and split gives the same predictions bit for bit (the weights are
// stored as float32, the lab's Scalar; a LAB_SCALAR_DOUBLE build rounds them to float on saving).
#pragma once

#include <string>
#include <string_view>

#include "core/recsys/models.h"

namespace lab::core::recsys {

// Where the ratings and the split of a saved model came from.
struct RecFileData {
  std::string data = "synthetic-small";  // "synthetic", "synthetic-small" (generated with data_seed) or
                                         // "ml-100k" (a MovieLens-100k folder: the reader supplies it)
  uint64_t data_seed = 1;
  double genre_share = 0.6, genre_bias = 0;  // generated data: SynthOptions' (rec-coldstart moves them)
  std::string split = "random";  // "random" (test_share, split_seed), "last", "u1", "ua" or "cold"
  uint64_t split_seed = 1;
  double test_share = 0.2;
  double new_item_share = 0, new_user_share = 0;  // cold: split_cold's arguments
  int new_user_ratings = 0;
};

// The first line of a recommender file's info text.
constexpr const char* kRecFileWhat = "embedlab recommender";

std::string rec_model_save(const RecTrainer& rt, const RecData& d, const RecModelOptions& o, const RecFileData& fd);
// Reads the options and data description without the tensors. Fails on a file that is not a model
// file, a model file of another kind (the watch model, skip-gram: the message says which), or an
// info text with missing or bad fields.
Status rec_model_peek(std::string_view bytes, RecModelOptions& o, RecFileData& fd);
// Builds rt from the file's options on d and s (rec_init with `to`), then loads the weights. Fails,
// leaving rt unusable, when d has another number of users or items than the file's model.
Status rec_model_load(std::string_view bytes, const RecData& d, const Split& s, RecTrainer& rt,
                      const nn::TrainerOptions& to = {});
// The generator options fd describes (data "synthetic" or "synthetic-small"); false for files.
bool rec_file_synth(const RecFileData& fd, SynthOptions& out);
// The split fd describes, on d (random, last, cold); u1/ua need the files: an error says so.
Status rec_file_split(const RecData& d, const RecFileData& fd, Split& out);

}  // namespace lab::core::recsys
