// Models composed from the layers. Each model has ONE parameter list, params(), in a fixed order:
// it feeds the optimiser, the gradient checks, the parameter count shown to students
// (param_count(model.params())) and, with the non-trainable buffers, save/load (state()).
//
//  MlpT        x (N, in) -> [Dense -> (BatchNorm) -> activation -> (Dropout)] x hidden -> Dense -> (N, out)
//              Raw outputs: logits for a classifier (use softmax_cross_entropy_loss), values for a
//              regressor (mse_loss). E.g. 2-D toy data: in 2, out 2; digits: in 64, out 10.
//  TwoTowerT   (user id, item id [, user features, item features]) -> predicted rating (N, 1)
//              Mf:   global_mean + b_u + b_i + <u, v>                      (dot-product MF)
//              Deep: global_mean + b_u + b_i + MLP([u | v | user feats | item feats])
//              The "deep with metadata" model is Deep with user_meta_dim / item_meta_dim > 0.
// The implicit-feedback (triplet) models the lessons train are recsys::TripletRecObjective.
// Models validate what they are given (feature count, ids in range, meta shapes) and return a
// Status; the layers inside assume valid shapes.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/nn/layers.h"
#include "core/nn/losses.h"

namespace lab::core::nn {

// ---- MLP -------------------------------------------------------------------------------------------
struct MlpOptions {
  Index in = 2;
  std::vector<Index> hidden = {16};
  Index out = 2;
  Act act = Act::Relu;
  double dropout = 0;       // after each hidden activation; 0 = none
  bool batch_norm = false;  // BatchNorm1d between each hidden Dense and its activation
};

template <class T>
struct MlpT {
  MlpOptions opt;
  std::string name = "mlp";
  std::vector<DenseT<T>> dense;        // hidden.size() + 1
  std::vector<BatchNorm1dT<T>> bn;     // hidden.size() when batch_norm, else empty
  std::vector<ActivationT<T>> act;     // hidden.size()
  std::vector<DropoutT<T>> drop;       // hidden.size()

  Status forward(const MatT<T>& x, const ForwardCtx& ctx, MatT<T>& out);
  // forward() one layer at a time, for callers that must stay within a time budget: layer l
  // (0 <= l < dense.size()) is Dense l, then for hidden layers BatchNorm, activation and dropout,
  // applied to h in place. forward(x) is h = x, then forward_layer(0), forward_layer(1), ...
  void forward_layer(size_t l, MatT<T>& h, const ForwardCtx& ctx);
  MatT<T> backward(const MatT<T>& d_out);  // returns d_x
  std::vector<ParamRefT<T>> params();
  std::vector<ParamRefT<T>> state();      // params + BatchNorm running statistics
  void zero_grad();
};

// Builds the layers with seeded initial weights. Fails on nonsense sizes or dropout outside [0, 1),
// or parameters over the memory budget (checked before anything is allocated).
template <class T>
Status mlp_init(MlpT<T>& m, const MlpOptions& opt, Rng& rng, const std::string& name = "mlp");

// Working memory of one sample in a forward + backward pass, in bytes (float): each layer keeps its
// input, output, batch-norm/activation/dropout caches and the backward pass's gradient (8 copies
// of each width, an upper bound). The trainer multiplies it by the mini-batch size.
double mlp_row_bytes(const MlpOptions& opt);

// ---- Two-tower user/item model ---------------------------------------------------------------------
enum class TowerKind { Mf, Deep };

struct TwoTowerOptions {
  Index n_users = 0, n_items = 0, dim = 32;
  TowerKind kind = TowerKind::Mf;
  bool biases = true;            // per-user and per-item bias terms
  double global_mean = 0;        // constant added to every prediction (e.g. the mean training rating)
  bool ids = true;               // false: no id embeddings and no biases, only the metadata features
                                 // (Deep only): a content-based model, which can score a user or an
                                 // item it never saw in training
  Index user_meta_dim = 0;       // width of extra per-sample user features: Deep feeds them to its MLP
  Index item_meta_dim = 0;       // with the embeddings; Mf adds an MLP on the features alone to the
                                 // dot product (a hybrid: ids where there are ratings, features where not)
  std::vector<Index> hidden = {64};  // the MLP's hidden widths (Deep, or Mf with features)
  Act act = Act::Relu;           // the MLP's
  double dropout = 0;            // the MLP's
  bool batch_norm = false;       // the MLP's
  double init_scale = 0.1;       // embeddings ~ Normal(0, init_scale^2)
  double max_norm = 0;           // > 0: renormalise looked-up embedding rows to this norm
};

template <class T>
struct TwoTowerT {
  TwoTowerOptions opt;
  EmbeddingT<T> user, item, user_bias, item_bias;  // the bias tables are (vocab, 1)
  DotT<T> dot;
  ConcatT<T> concat;
  MlpT<T> mlp;
  MatT<T> user_vecs, item_vecs;  // cached lookups

  // users/items: one id each per sample; user_meta (N, user_meta_dim) / item_meta (N, item_meta_dim)
  // or nullptr when the model has none. out: (N, 1) predicted ratings.
  Status forward(std::span<const int32_t> users, std::span<const int32_t> items, const MatT<T>* user_meta,
                 const MatT<T>* item_meta, const ForwardCtx& ctx, MatT<T>& out);
  void backward(const MatT<T>& d_out);
  std::vector<ParamRefT<T>> params();
  std::vector<ParamRefT<T>> state();
  void zero_grad();
};

// Fails on nonsense sizes, or tables + MLP over the memory budget (all checked before any allocation).
template <class T>
Status two_tower_init(TwoTowerT<T>& m, const TwoTowerOptions& opt, Rng& rng);
// Working memory of one sample (the two looked-up vectors, their concatenation, the MLP), in bytes.
double two_tower_row_bytes(const TwoTowerOptions& opt);

using Mlp = MlpT<Scalar>;
using TwoTower = TwoTowerT<Scalar>;
using MlpD = MlpT<double>;
using TwoTowerD = TwoTowerT<double>;

}  // namespace lab::core::nn
