// The course's code beside every model: the Keras (tf.keras functional API, as the course's
// notebooks write it: Embedding(output_dim=d, input_dim=n, input_length=1), Flatten, Dot(axes=1),
// Concatenate, Dense, Dropout, BatchNormalization) and PyTorch (an nn.Module) equivalent of a model
// the engine builds, generated from the very option structs the engine is built from, so a student
// can rebuild in a notebook what the block trains. One generator per engine structure (embedding
// table, skip-gram, MLP, two-tower rating model, triplet model), none per block.
//
// Each generator also lists the layers its Keras code declares, with their output shapes and the
// parameters Keras counts for them (Dense in·out + out, Embedding n·d, BatchNormalization 4·F of which
// 2·F are non-trainable, Dropout / Flatten / Dot / Concatenate 0). Keras' trainable parameters are
// what the engine counts (nn::param_count(model.params())); Keras' non-trainable ones are the
// BatchNormalization moving mean and variance, which the engine keeps as running statistics outside
// params() (model.state() minus model.params()). tests/runtime/test_model_code.cpp holds every
// block's code to its engine model.
//
// Where the engine differs from what Keras or PyTorch say in one line (lazy Adam, the L2 on looked-up
// rows, a biased vs unbiased moving variance), the generated code says so in a comment.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/embed/similarity.h"
#include "core/nn/models.h"
#include "core/nn/trainer.h"
#include "core/recsys/models.h"
#include "core/recsys/watch.h"

namespace lab::runtime {

// One layer of the generated Keras model (model.summary()'s rows, nested Sequential towers listed
// layer by layer).
struct LayerShape {
  std::string name;            // the layer's name= in the Keras code, e.g. "user_embedding"
  std::string type;            // its Keras class: "Embedding", "Dense", "BatchNormalization", ...
  std::vector<int64_t> shape;  // output shape without the batch axis, e.g. {1, 16} for an id lookup
  int64_t params = 0;          // Keras' "Param #": trainable + non-trainable
  int64_t non_trainable = 0;   // of which non-trainable (BatchNormalization's moving mean / variance)
};

// A model's code, ready to show and copy.
struct ModelCode {
  std::string title;    // which of the block's models: "" if it has one, else e.g. "plain", "p = 0.5"
  std::string keras;    // a runnable tf.keras script: the model, model.compile(...), how to fit it
  std::string pytorch;  // the same model as a torch.nn.Module, its loss and optimiser
  std::vector<LayerShape> layers;
  int64_t params = 0;         // Keras' "Trainable params" = nn::param_count of the engine model's params()
  int64_t non_trainable = 0;  // Keras' "Non-trainable params" = the engine's BatchNorm running statistics
};

// An embedding table on its own (vocab × dim, entries ~ Normal(0, init_scale²)), looked up by id;
// `vocabulary` names the ids (may be empty) and `symbol` the one looked up in the example.
ModelCode model_code_embedding(const std::vector<std::string>& vocabulary, int64_t dim, double init_scale,
                               const std::string& symbol);

// The skip-gram word-embedding model (runtime/blocks/word_embedding.h): Embedding(vocab, dim) then
// Dense(vocab) logits, softmax cross-entropy against the context word.
ModelCode model_code_skipgram(int64_t vocab, int64_t dim, double init_scale, const core::nn::TrainerOptions& train);

// An MLP classifier (softmax cross-entropy on its logits). train == nullptr: a model that is not
// trained (no compile / optimiser). weight_scale multiplies every initial Dense kernel (1: the
// engine's He-normal / Glorot-uniform as they are); bn_momentum is the BatchNorm layers' momentum
// (nn::BatchNorm1d::momentum, the share of the new batch in the running statistics).
ModelCode model_code_mlp(const core::nn::MlpOptions& mlp, const core::nn::TrainerOptions* train, double weight_scale = 1,
                         double bn_momentum = 0.1);

// The explicit-feedback rating model (nn::TwoTower: MF, deep, deep + metadata), as built.
ModelCode model_code_rating(const core::nn::TwoTowerOptions& model, core::recsys::RatingLoss loss, double l2,
                            const core::nn::TrainerOptions& train);

// The implicit-feedback triplet model: user and item tables of `dim` (entries ~ Normal(0, init_scale²)),
// and with tower != nullptr an MLP tower of those options on each side; similarity `sim` (dot or
// cosine), margin loss.
ModelCode model_code_triplet(int64_t n_users, int64_t n_items, int64_t dim, double init_scale,
                             const core::nn::MlpOptions* tower, core::Measure sim, double margin,
                             const core::nn::TrainerOptions& train);

// The YouTube next-watch model (core/recsys/watch.h): the user vector is the average of the watched
// movies' embeddings (or, for UserRepr::Id, a user-id embedding), then the MLP `mlp` to one logit per
// movie and a softmax cross-entropy over the catalogue.
ModelCode model_code_watch(const core::recsys::WatchOptions& watch, int64_t n_users, int64_t n_items,
                           const core::nn::MlpOptions& mlp, const core::nn::TrainerOptions& train);

}  // namespace lab::runtime
