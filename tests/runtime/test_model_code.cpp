// The code beside every model (runtime/model_code.h): for every block that builds a model, from its
// lesson defaults and a few knob variations, the generated Keras/PyTorch code names the shapes of
// the engine's tensors and the parameter count the engine trains (nn::param_count of its params(),
// and the BatchNorm running statistics as Keras' non-trainable parameters). The expected numbers are
// read from the engine's built model, never from the generator's inputs, so a generator that drifts
// from what the engine builds (a layer more or less, another width, a bias forgotten) fails here.
#include <doctest/doctest.h>

#include "block_test_util.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/nn/models.h"
#include "runtime/blocks/batchnorm.h"
#include "runtime/blocks/embedding_lookup.h"
#include "runtime/blocks/embedding_train.h"
#include "runtime/blocks/dropout_ensemble.h"
#include "runtime/blocks/overfit.h"
#include "runtime/blocks/rec_coldstart.h"
#include "runtime/blocks/rec_explicit.h"
#include "runtime/blocks/rec_implicit.h"
#include "runtime/blocks/rec_youtube.h"
#include "runtime/model_code.h"

using namespace lab::runtime;
namespace nn = lab::core::nn;

namespace {

using lab::test::make;

const LayerShape* layer(const ModelCode& c, const std::string& name) {
  for (const LayerShape& l : c.layers)
    if (l.name == name) return &l;
  return nullptr;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string grouped(int64_t v) {  // "13,600": how model.summary() prints a count
  std::string d = std::to_string(v), out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i > 0 && (d.size() - i) % 3 == 0) out += ',';
    out += d[i];
  }
  return out;
}

// What holds for every generated model: the layer list adds up to the totals, and both scripts
// state the engine's trainable count.
void check_totals(const ModelCode& c, int64_t engine_params, int64_t engine_buffers) {
  CHECK(c.params == engine_params);
  CHECK(c.non_trainable == engine_buffers);
  int64_t listed = 0, non_trainable = 0;
  for (const LayerShape& l : c.layers) {
    listed += l.params;
    non_trainable += l.non_trainable;
  }
  CHECK(listed == engine_params + engine_buffers);
  CHECK(non_trainable == engine_buffers);
  CHECK(contains(c.keras, "Trainable params: " + grouped(engine_params)));
  CHECK(contains(c.pytorch, "# " + std::to_string(engine_params) + ", as the lab counts"));
  CHECK(contains(c.keras, "model.compile(") == contains(c.pytorch, "optimizer = "));
}

// The generated MLP layers `prefix`_dense_l / _bn_l / _dropout_l against the engine's MLP.
void check_mlp(const ModelCode& c, const std::string& prefix, const nn::Mlp& m) {
  for (size_t l = 0; l < m.dense.size(); ++l) {
    const nn::Dense& d = m.dense[l];
    const LayerShape* s = layer(c, prefix + "_dense_" + std::to_string(l));
    REQUIRE_MESSAGE(s, prefix << " dense " << l);
    CHECK(s->type == "Dense");
    CHECK(s->shape == std::vector<int64_t>{d.W.cols()});
    CHECK(s->params == d.W.size() + d.b.size());
    CHECK(contains(c.keras, "Dense(" + std::to_string(d.W.cols()) + ","));
    CHECK(contains(c.pytorch, "nn.Linear(" + std::to_string(d.W.rows()) + ", " + std::to_string(d.W.cols()) + ")"));
  }
  CHECK(layer(c, prefix + "_dense_" + std::to_string(m.dense.size())) == nullptr);  // no layer more than the engine's
  for (size_t l = 0; l < m.bn.size(); ++l) {
    const nn::BatchNorm1d& b = m.bn[l];
    const LayerShape* s = layer(c, prefix + "_bn_" + std::to_string(l));
    REQUIRE(s);
    CHECK(s->params == b.gamma.size() + b.beta.size() + b.running_mean.size() + b.running_var.size());
    CHECK(s->non_trainable == b.running_mean.size() + b.running_var.size());
  }
  CHECK((layer(c, prefix + "_bn_0") != nullptr) == !m.bn.empty());
  for (size_t l = 0; l < m.drop.size(); ++l) {
    const bool drops = m.drop[l].p > 0;
    CHECK((layer(c, prefix + "_dropout_" + std::to_string(l)) != nullptr) == drops);
  }
}

int64_t buffers(nn::Mlp& m) { return nn::param_count(m.state()) - nn::param_count(m.params()); }

void check_embedding_layer(const ModelCode& c, const std::string& name, const nn::Embedding& e) {
  const LayerShape* s = layer(c, name);
  REQUIRE_MESSAGE(s, name);
  CHECK(s->type == "Embedding");
  CHECK(s->shape == std::vector<int64_t>{1, e.W.cols()});
  CHECK(s->params == e.W.size());
}

}  // namespace

TEST_CASE("model code: embedding-lookup is the engine's |V| x d table") {
  for (const char* body : {"", "dim: 7\nvocabulary: a, b, c\nsymbol: b", "vocabulary: a, b, c, d\ndim: 1"}) {
    auto e = make("embedding-lookup", body);
    auto* x = dynamic_cast<EmbeddingLookupExperiment*>(e.get());
    REQUIRE(x);
    lab::test::run_to_end(*x);
    const std::vector<ModelCode> codes = x->model_code();
    REQUIRE(codes.size() == 1);
    const ModelCode& c = codes[0];
    check_totals(c, x->weights.size(), 0);  // weights: the table the engine's Embedding built
    const LayerShape* s = layer(c, "embedding");
    REQUIRE(s);
    CHECK(s->shape == std::vector<int64_t>{1, x->weights.cols()});
    CHECK(contains(c.keras, "Embedding(output_dim=" + std::to_string(x->weights.cols()) +
                                ", input_dim=" + std::to_string(x->weights.rows()) + ", input_length=1"));
    CHECK(contains(c.pytorch, "nn.Embedding(" + std::to_string(x->weights.rows()) + ", " + std::to_string(x->weights.cols()) + ")"));
  }
}

TEST_CASE("model code: embedding-train is the engine's skip-gram model") {
  for (const char* body : {"", "dim: 5\nlearning_rate: 0.01"}) {
    auto e = make("embedding-train", body);
    auto* x = dynamic_cast<EmbeddingTrainExperiment*>(e.get());
    REQUIRE(x);
    REQUIRE(x->run.objective);
    const std::vector<ModelCode> codes = x->model_code();
    REQUIRE(codes.size() == 1);
    const ModelCode& c = codes[0];
    SkipGramObjective& obj = *x->run.objective;
    check_totals(c, nn::param_count(obj.params()), 0);
    check_embedding_layer(c, "embedding", obj.embedding);
    const LayerShape* out = layer(c, "context_logits");
    REQUIRE(out);
    CHECK(out->params == obj.output.W.size() + obj.output.b.size());
    CHECK(contains(c.keras, "vocab_size, embedding_size = " + std::to_string(obj.embedding.vocab()) + ", " +
                                std::to_string(obj.embedding.dim())));
    CHECK(contains(c.keras, "learning_rate=" + std::string(body[0] ? "0.01" : "0.03")));
  }
}

TEST_CASE("model code: overfit blocks, one MLP per run, with dropout where the run has it") {
  struct Case {
    const char* kind;
    const char* body;
  };
  for (const Case& k : {Case{"overfit-dropout", ""}, Case{"overfit-dropout", "hidden: 128\np1: 0\np2: 0.25\np3: 0.75"},
                        Case{"overfit-regularise", ""}, Case{"overfit-regularise", "hidden: 64\nl2: 0\ndropout: 0.3"},
                        Case{"overfit-regularise", "hidden: 32\nlayers: 3\nhidden_ref: 32\nlayers_ref: 2\nl2: 0"},
                        Case{"overfit-dropout", "hidden: 16\nlayers: 2"}}) {
    const std::string kind = k.kind, body = k.body;
    CAPTURE(kind);
    CAPTURE(body);
    auto e = make(k.kind, k.body);
    auto* x = dynamic_cast<OverfitExperiment*>(e.get());
    REQUIRE(x);
    const std::vector<ModelCode> codes = x->model_code();
    REQUIRE(codes.size() == x->runs.size());
    for (size_t r = 0; r < codes.size(); ++r) {
      nn::Mlp& m = x->runs[r].objective->model;
      CHECK(codes[r].title == x->runs[r].label);
      check_totals(codes[r], nn::param_count(m.params()), buffers(m));
      check_mlp(codes[r], "mlp", m);
      const double wd = x->runs[r].tr.opt.optim.weight_decay;
      CHECK(contains(codes[r].pytorch, "weight_decay=") == (wd > 0));
      CHECK(contains(codes[r].keras, "SGD(learning_rate="));
    }
  }
}

TEST_CASE("model code: dropout-ensemble shows the MLP it trains, dropout after every hidden layer") {
  for (const char* body : {"", "layers: 2\nhidden: 32\np: 0.3"}) {
    CAPTURE(body);
    auto e = make("dropout-ensemble", body);
    auto* x = dynamic_cast<DropoutEnsembleExperiment*>(e.get());
    REQUIRE(x);
    const std::vector<ModelCode> codes = x->model_code();
    REQUIRE(codes.size() == 1);
    nn::Mlp& m = x->runs[0].objective->model;
    check_totals(codes[0], nn::param_count(m.params()), buffers(m));
    check_mlp(codes[0], "mlp", m);
  }
}

TEST_CASE("model code: batchnorm-compare and batchnorm-inference count BN's running statistics as non-trainable") {
  for (const char* body : {"", "depth: 3\nwidth: 32\nactivation: relu\ninit_scale: 2"}) {
    auto e = make("batchnorm-compare", body);
    auto* x = dynamic_cast<BatchnormCompareExperiment*>(e.get());
    REQUIRE(x);
    const std::vector<ModelCode> codes = x->model_code();
    REQUIRE(codes.size() == 2);
    for (size_t r = 0; r < 2; ++r) {
      nn::Mlp& m = x->runs[r].objective->model;
      check_totals(codes[r], nn::param_count(m.params()), buffers(m));
      check_mlp(codes[r], "mlp", m);
    }
    CHECK(codes[0].non_trainable == 0);
    CHECK(codes[1].non_trainable > 0);
    CHECK(contains(codes[1].keras, "BatchNormalization(momentum=0.9, epsilon=1e-5"));
    CHECK(contains(codes[0].keras, "init_scale") == (body[0] != 0));
  }
  auto e = make("batchnorm-inference", "bn_momentum: 0.25\ndepth: 2");
  auto* x = dynamic_cast<BatchnormInferenceExperiment*>(e.get());
  REQUIRE(x);
  const std::vector<ModelCode> codes = x->model_code();
  REQUIRE(codes.size() == 1);
  nn::Mlp& m = x->runs[0].objective->model;
  check_totals(codes[0], nn::param_count(m.params()), buffers(m));
  check_mlp(codes[0], "mlp", m);
  CHECK(contains(codes[0].keras, "BatchNormalization(momentum=0.75,"));  // Keras keeps 1 - the engine's momentum
  CHECK(contains(codes[0].pytorch, "momentum=0.25)"));
}

TEST_CASE("model code: rec-explicit mf, deep and deep-meta are the engine's two-tower models") {
  for (const char* body : {"model: mf", "model: deep", "model: deep-meta", "model: deep-meta\ndim: 8\ndropout: 0\nl2: 0",
                           "model: mf\ndim: 40\nl2: 0"}) {
    CAPTURE(body);
    auto e = make("rec-explicit", body);
    auto* x = dynamic_cast<RecExplicitExperiment*>(e.get());
    REQUIRE(x);
    CHECK(x->model_code().empty());  // no model before the first slice
    x->step(5);                      // the first slice generates the data and builds the model
    REQUIRE(x->status().ok);
    REQUIRE(x->rt.rating);
    const std::vector<ModelCode> codes = x->model_code();
    REQUIRE(codes.size() == 1);
    const ModelCode& c = codes[0];
    nn::TwoTower& m = x->rt.rating->model;
    check_totals(c, nn::param_count(m.params()), m.opt.kind == nn::TowerKind::Deep ? buffers(m.mlp) : 0);
    check_embedding_layer(c, "user_embedding", m.user);
    check_embedding_layer(c, "item_embedding", m.item);
    REQUIRE(m.opt.biases);
    check_embedding_layer(c, "user_bias", m.user_bias);
    check_embedding_layer(c, "item_bias", m.item_bias);
    CHECK(contains(c.keras, "n_users, n_items, embedding_size = " + std::to_string(m.user.vocab()) + ", " +
                                std::to_string(m.item.vocab()) + ", " + std::to_string(m.user.dim())));
    CHECK(contains(c.keras, "Embedding(output_dim=embedding_size, input_dim=n_users, input_length=1"));
    CHECK(contains(c.keras, "activity_regularizer=l2(") == (x->rt.rating->l2 > 0));
    if (m.opt.kind == nn::TowerKind::Mf) {
      CHECK(layer(c, "dot"));
      CHECK(layer(c, "concat") == nullptr);
      CHECK(contains(c.keras, "Dot(axes=1"));
    } else {
      const LayerShape* concat = layer(c, "concat");
      REQUIRE(concat);
      CHECK(concat->shape == std::vector<int64_t>{m.mlp.dense[0].W.rows()});  // [u | v (| metadata)]
      check_mlp(c, "mlp", m.mlp);
      CHECK(contains(c.keras, "user_meta") == (m.opt.user_meta_dim > 0));
      if (m.opt.user_meta_dim > 0)
        CHECK(contains(c.keras, "Input(shape=[" + std::to_string(x->rt.rating->user_feats.cols()) + "], name=\"user_meta\")"));
    }
  }
}

TEST_CASE("model code: rec-implicit triplet and deep-triplet are the engine's triplet models") {
  for (const char* body : {"model: triplet", "model: deep-triplet", "model: triplet\nsimilarity: dot\nmargin: 0.5\ndim: 8"}) {
    CAPTURE(body);
    auto e = make("rec-implicit", body);
    auto* x = dynamic_cast<RecImplicitExperiment*>(e.get());
    REQUIRE(x);
    CHECK(x->model_code().empty());
    x->step(5);
    REQUIRE(x->status().ok);
    REQUIRE(x->rt.triplet);
    const std::vector<ModelCode> codes = x->model_code();
    REQUIRE(codes.size() == 1);
    const ModelCode& c = codes[0];
    lab::core::recsys::TripletRecObjective& t = *x->rt.triplet;
    check_totals(c, nn::param_count(t.params()), 0);
    check_embedding_layer(c, "user_embedding", t.user);
    check_embedding_layer(c, "item_embedding", t.item);
    CHECK((layer(c, "user_tower_dense_0") != nullptr) == t.deep);
    if (t.deep) {
      check_mlp(c, "user_tower", t.user_tower);
      check_mlp(c, "item_tower", t.item_tower);
    }
    const bool cosine = t.sim == lab::core::Measure::Cosine;
    CHECK(contains(c.keras, "normalize=True") == cosine);
    CHECK(contains(c.pytorch, "cosine_similarity") == cosine);
    char expected[96];
    std::snprintf(expected, sizeof expected, "n_users, n_items, embedding_size, margin = %lld, %lld, %lld, %.6g\n",
                  static_cast<long long>(t.user.vocab()), static_cast<long long>(t.item.vocab()),
                  static_cast<long long>(t.user.dim()), t.margin);
    CHECK(contains(c.keras, expected));
  }
}

TEST_CASE("model code: rec-coldstart's content-based, collaborative and hybrid models are the engine's") {
  auto e = make("rec-coldstart", "epochs: 1");
  auto* x = dynamic_cast<RecColdstartExperiment*>(e.get());
  REQUIRE(x);
  lab::test::run_to_end(*x);
  REQUIRE(x->status().ok);
  const std::vector<ModelCode> codes = x->model_code();
  REQUIRE(codes.size() == 3);
  for (int f = 0; f < 3; ++f) {
    CAPTURE(f);
    const ModelCode& c = codes[size_t(f)];
    nn::TwoTower& m = x->rt[size_t(f)]->rating->model;
    check_totals(c, nn::param_count(m.params()), 0);
    const bool ids = m.opt.ids;
    CHECK((layer(c, "user_embedding") != nullptr) == ids);
    CHECK(contains(c.keras, "user_id_input") == ids);
    if (ids) {
      check_embedding_layer(c, "user_embedding", m.user);
      check_embedding_layer(c, "item_embedding", m.item);
    }
    const bool has_mlp = !m.mlp.dense.empty();
    CHECK(has_mlp == (f != 1));  // collaborative: matrix factorisation alone
    if (has_mlp) {
      check_mlp(c, "mlp", m.mlp);
      REQUIRE(layer(c, "concat"));
      CHECK(layer(c, "concat")->shape == std::vector<int64_t>{m.mlp.dense[0].W.rows()});  // the features only
      CHECK(contains(c.keras, "Input(shape=[" + std::to_string(m.opt.user_meta_dim) + "], name=\"user_meta\")"));
    }
    CHECK((layer(c, "dot") != nullptr) == ids);                // MF and the hybrid have the dot product
    CHECK((layer(c, "dot_plus_mlp") != nullptr) == (f == 2));  // the hybrid adds the feature MLP to it
  }
}

TEST_CASE("model code: rec-youtube's watch-average and user-id models are the engine's") {
  auto e = make("rec-youtube", "epochs: 1\ndim: 8\nhidden: 16");
  auto* x = dynamic_cast<RecYoutubeExperiment*>(e.get());
  REQUIRE(x);
  lab::test::run_to_end(*x);
  REQUIRE(x->status().ok);
  const std::vector<ModelCode> codes = x->model_code();
  REQUIRE(codes.size() == 2);
  for (int m = 0; m < 2; ++m) {
    CAPTURE(m);
    const ModelCode& c = codes[size_t(m)];
    lab::core::recsys::WatchObjective& o = *x->objective[size_t(m)];
    check_totals(c, nn::param_count(o.params()), 0);
    check_mlp(c, "mlp", o.mlp);
    CHECK(o.mlp.dense.back().W.cols() == o.n_items);  // one logit per movie
    if (m == 0) {
      const LayerShape* s = layer(c, "movie_embedding");
      REQUIRE(s);
      CHECK(s->params == o.items.W.size());
      CHECK(contains(c.pytorch, "nn.EmbeddingBag(n_items, embedding_size, mode=\"mean\")"));
      CHECK(layer(c, "user_embedding") == nullptr);
    } else {
      check_embedding_layer(c, "user_embedding", o.users);
      CHECK(layer(c, "movie_embedding") == nullptr);
    }
  }
}

TEST_CASE("model code: embedding-distances and projection of the words show the skip-gram model they use") {
  for (const auto& kb : std::vector<std::pair<const char*, const char*>>{{"embedding-distances", ""},
                                                                        {"projection", "data: words\nmethod: pca"}}) {
    const char* kind = kb.first;
    CAPTURE(kind);
    auto e = make(kind, kb.second);
    lab::test::run_to_end(*e);
    REQUIRE(e->status().ok);
    const std::vector<ModelCode> codes = e->model_code();
    REQUIRE(codes.size() == 1);
    const LayerShape* emb = layer(codes[0], "embedding");
    REQUIRE(emb);
    CHECK(emb->params > 0);
    // W (|V| x d) and the context layer U, b (d x |V| + |V|): 2 |V| d + |V|
    const int64_t v = codes[0].layers.back().shape[0], d = emb->shape[1];
    CHECK(codes[0].params == 2 * v * d + v);
  }
  auto digits = make("projection", "data: digits\nmethod: pca");
  lab::test::run_to_end(*digits);
  CHECK(digits->model_code().empty());  // PCA of the digits trains no model
}

TEST_CASE("model code: the other kinds build no model and show no code") {
  for (const char* kind : {"onehot", "param-count", "random-cosine", "rec-data"}) {
    CAPTURE(kind);
    auto e = make(kind, "");
    CHECK(e->model_code().empty());
  }
}

// Writes every block's scripts (lesson defaults and a few knob variations) as
// model_code-<kind>-<n>-{keras,pytorch}.py to $LAB_MODEL_CODE_DIR (default: LAB_GEN_DIR). The CTest
// tests model_code.python_pyflakes and model_code.pytorch_runs (tests/CMakeLists.txt) run this case,
// each into its own folder, and then check the files with pyflakes and by running them with PyTorch.
TEST_CASE("model code: every script, written for the Python checks") {
  struct Case {
    const char* kind;
    const char* body;
    bool first_slice;  // the model is built in the first slice
  };
  const Case cases[] = {
      {"embedding-lookup", "", false},
      {"embedding-train", "", false},
      {"overfit-dropout", "", false},
      {"overfit-regularise", "", false},
      {"overfit-regularise", "layers: 3\nhidden: 64", false},
      {"dropout-ensemble", "", false},
      {"batchnorm-compare", "init_scale: 0.5", false},
      {"batchnorm-inference", "", false},
      {"rec-explicit", "model: mf", true},
      {"rec-explicit", "model: deep", true},
      {"rec-explicit", "model: deep-meta", true},
      {"rec-explicit", "model: mf\nl2: 0", true},
      {"rec-implicit", "model: triplet", true},
      {"rec-implicit", "model: deep-triplet\nsimilarity: dot", true},
      {"rec-coldstart", "epochs: 1", true},  // (trained to the end below: its models are built in turn)
      {"rec-youtube", "epochs: 1\ndim: 8\nhidden: 16", true},
  };
  const char* dir_env = std::getenv("LAB_MODEL_CODE_DIR");
  const std::string dir = dir_env && *dir_env ? dir_env : LAB_GEN_DIR;
  int n = 0;
  for (const Case& k : cases) {
    const std::string kind = k.kind;
    CAPTURE(kind);
    auto e = make(k.kind, k.body);
    if (kind == "rec-coldstart" || kind == "rec-youtube") lab::test::run_to_end(*e);
    else if (k.first_slice) e->step(5);
    const std::vector<ModelCode> codes = e->model_code();
    CHECK(!codes.empty());
    for (const ModelCode& c : codes) {
      ++n;
      const std::pair<const char*, const std::string*> scripts[] = {{"keras", &c.keras}, {"pytorch", &c.pytorch}};
      for (const auto& script : scripts) {
        const std::string& text = *script.second;  // named, not bound: clang-14 refuses bindings in doctest macros
        CHECK(text.find("@IMPORTS@") == std::string::npos);
        const std::string path =
            dir + "/model_code-" + k.kind + "-" + std::to_string(n) + "-" + script.first + ".py";
        std::ofstream f(path, std::ios::binary);
        f << text;
        CHECK_MESSAGE(f.good(), path);
      }
    }
  }
}
