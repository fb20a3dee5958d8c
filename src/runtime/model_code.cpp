// Keras and PyTorch code of the engine's models (see model_code.h).
//
// [SECTION] Python text helpers
// [SECTION] Keras' parameter counting and the layer list
// [SECTION] Optimisers
// [SECTION] MLP layers (shared by the MLP, the deep rating model and the triplet towers)
// [SECTION] Embedding lookup
// [SECTION] Skip-gram
// [SECTION] MLP classifier
// [SECTION] Rating model (MF, deep, deep + metadata)
// [SECTION] Triplet model
#include "runtime/model_code.h"

#include <cctype>
#include <cstdio>
#include <initializer_list>

namespace lab::runtime {

namespace nn = core::nn;
namespace rs = core::recsys;

namespace {

// [SECTION] Python text helpers ---------------------------------------------------------------------
// A Python number literal: "0.5", "1e-05", "64".
std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string str(int64_t v) { return std::to_string(v); }

// "76,810", as model.summary() prints counts.
std::string grouped(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

// A double-quoted Python string literal.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

const char* keras_act(nn::Act a) {
  switch (a) {
    case nn::Act::Relu: return "relu";
    case nn::Act::Tanh: return "tanh";
    case nn::Act::Sigmoid: return "sigmoid";
    case nn::Act::Identity: return "linear";
  }
  return "linear";
}

const char* torch_act(nn::Act a) {
  switch (a) {
    case nn::Act::Relu: return "nn.ReLU()";
    case nn::Act::Tanh: return "nn.Tanh()";
    case nn::Act::Sigmoid: return "nn.Sigmoid()";
    case nn::Act::Identity: return "nn.Identity()";
  }
  return "nn.Identity()";
}

// The Keras scripts say `k += kImports;` where their imports go; with_imports() replaces it with
// exactly the imports the code uses (found outside comments), so every import is used and every
// name is imported (tests/runtime/check_model_code.sh runs pyflakes on the scripts).
const char* kImports = "@IMPORTS@\n";

std::string without_comments(const std::string& py) {
  std::string out;
  bool comment = false;
  for (char c : py) {
    if (c == '#') comment = true;  // the generated code has no '#' inside strings
    if (c == '\n') comment = false;
    if (!comment) out += c;
  }
  return out;
}

std::string with_imports(const std::string& k) {
  const std::string code = without_comments(k);
  auto uses = [&](const std::string& name) {
    for (size_t at = code.find(name + "("); at != std::string::npos; at = code.find(name + "(", at + 1))
      if (at == 0 || !(std::isalnum(static_cast<unsigned char>(code[at - 1])) || code[at - 1] == '_' || code[at - 1] == '.')) return true;
    return false;
  };
  auto from = [&](const char* module, std::initializer_list<const char*> names) {
    std::string list;
    for (const char* n : names)
      if (uses(n)) list += (list.empty() ? "" : ", ") + std::string(n);
    return list.empty() ? std::string() : "from " + std::string(module) + " import " + list + "\n";
  };
  std::string imports;
  if (code.find("np.") != std::string::npos) imports += "import numpy as np\n";
  if (code.find("tf.") != std::string::npos) imports += "import tensorflow as tf\n";
  imports += from("tensorflow.keras.layers", {"Input", "Embedding", "Flatten", "Dot", "Concatenate", "Add", "Dense", "Dropout",
                                              "BatchNormalization", "Activation", "Rescaling", "Lambda"});
  imports += from("tensorflow.keras.models", {"Model", "Sequential"});
  imports += from("tensorflow.keras.initializers", {"RandomNormal", "VarianceScaling"});
  imports += from("tensorflow.keras.optimizers", {"Adam", "SGD"});
  imports += from("tensorflow.keras.regularizers", {"l2"});
  std::string out = k;
  const size_t at = out.find(kImports);
  if (at != std::string::npos) out.replace(at, std::string(kImports).size(), imports + "\n");
  return out;
}

// [SECTION] Keras' parameter counting and the layer list ----------------------------------------------
// Keras' rules, applied to the shapes the generated code declares (not read from the engine).
int64_t keras_dense_params(int64_t in, int64_t units) { return in * units + units; }  // kernel + bias
int64_t keras_embedding_params(int64_t n, int64_t d) { return n * d; }
int64_t keras_batchnorm_params(int64_t f) { return 4 * f; }  // gamma, beta, moving mean, moving variance
int64_t keras_batchnorm_non_trainable(int64_t f) { return 2 * f; }

struct Builder {
  ModelCode code;
  void layer(std::string name, std::string type, std::vector<int64_t> shape, int64_t params = 0, int64_t non_trainable = 0) {
    code.layers.push_back({std::move(name), std::move(type), std::move(shape), params, non_trainable});
  }
  ModelCode finish() {
    for (const LayerShape& l : code.layers) {
      code.params += l.params - l.non_trainable;
      code.non_trainable += l.non_trainable;
    }
    return std::move(code);
  }
};

// "model.summary()  # Trainable params: 13,600" (+ non-trainable when there are any).
std::string keras_summary_line(const ModelCode& c) {
  std::string s = "model.summary()  # Trainable params: " + grouped(c.params);
  if (c.non_trainable > 0) s += ", Non-trainable params: " + grouped(c.non_trainable);
  return s + " (the lab counts the same)\n";
}

std::string torch_count_line(const ModelCode& c) {
  std::string s = "print(sum(p.numel() for p in model.parameters()))  # " + str(c.params) + ", as the lab counts";
  if (c.non_trainable > 0) s += " (+ " + str(c.non_trainable) + " running statistics in model.buffers())";
  return s + "\n";
}

// [SECTION] Optimisers -----------------------------------------------------------------------------------
std::string keras_optimizer(const nn::OptimOptions& o) {
  if (o.kind == nn::OptimKind::Sgd)
    return "SGD(learning_rate=" + num(o.lr) + (o.momentum > 0 ? ", momentum=" + num(o.momentum) : "") + ")";
  std::string s = "Adam(learning_rate=" + num(o.lr);
  if (o.beta1 != 0.9) s += ", beta_1=" + num(o.beta1);
  if (o.beta2 != 0.999) s += ", beta_2=" + num(o.beta2);
  return s + ", epsilon=" + num(o.eps) + ")";
}

std::string torch_optimizer(const nn::OptimOptions& o) {
  std::string s;
  if (o.kind == nn::OptimKind::Sgd) {
    s = "torch.optim.SGD(model.parameters(), lr=" + num(o.lr);
    if (o.momentum > 0) s += ", momentum=" + num(o.momentum);
  } else {
    s = "torch.optim.Adam(model.parameters(), lr=" + num(o.lr);
    if (o.beta1 != 0.9 || o.beta2 != 0.999) s += ", betas=(" + num(o.beta1) + ", " + num(o.beta2) + ")";
    s += ", eps=" + num(o.eps);
  }
  if (o.weight_decay > 0) s += ", weight_decay=" + num(o.weight_decay);
  return s + ")";
}

// Comment lines on where the lab's optimiser differs from the one-liners above.
std::string optimizer_notes(const nn::OptimOptions& o, bool keras) {
  std::string s;
  if (o.lazy && o.kind == nn::OptimKind::Adam)
    s += keras ? "# The lab updates only the embedding rows a batch looked up (lazy Adam, as tensorflow_addons'\n"
                 "# LazyAdam); Adam here moves every row with its decaying momentum: close, not identical.\n"
               : "# The lab updates only the embedding rows a batch looked up (as nn.Embedding(sparse=True) with\n"
                 "# torch.optim.SparseAdam); Adam here moves every row with its decaying momentum: close, not identical.\n";
  if (keras && o.kind == nn::OptimKind::Adam)
    s += "# (Keras' Adam adds epsilon before its bias correction, the lab after it: a difference\n"
         "# only in the first steps.)\n";
  return s;
}

// [SECTION] MLP layers -------------------------------------------------------------------------------------
// The engine's MlpOptions as Keras layer constructors (for a Sequential) and as an nn.Sequential,
// with the layers recorded in b. Layer order as nn::MlpT::forward_layer: Dense -> (BatchNorm) ->
// activation -> (Dropout) per hidden layer, then the output Dense.
struct MlpText {
  std::vector<std::string> keras;  // "Dense(64, activation=\"relu\", ...)", one per Keras layer
  std::string torch;               // "nn.Sequential(\n    nn.Linear(...),\n ...)"
};

// keras_reg: extra Keras arguments on every Dense and BatchNormalization (the L2 penalty) or "".
// bn_momentum: the engine's (PyTorch's) share of the new batch in the running statistics.
MlpText mlp_text(Builder& b, const nn::MlpOptions& o, const std::string& prefix, const std::string& keras_reg,
                 const std::string& indent, double bn_momentum = 0.1) {
  MlpText t;
  const std::string bn_reg = keras_reg.empty() ? "" : ", beta_regularizer=l2(" + keras_reg + "), gamma_regularizer=l2(" + keras_reg + ")";
  const std::string dense_reg = keras_reg.empty() ? "" : ", kernel_regularizer=l2(" + keras_reg + "), bias_regularizer=l2(" + keras_reg + ")";
  t.torch = "nn.Sequential(\n";
  int64_t prev = o.in;
  for (size_t l = 0; l <= o.hidden.size(); ++l) {
    const bool last = l == o.hidden.size();
    const int64_t width = last ? o.out : o.hidden[l];
    const std::string n = prefix + "_" + std::to_string(l);
    const bool he = !last && o.act == nn::Act::Relu;  // as mlp_init: He-normal before a ReLU
    std::string dense = "Dense(" + str(width);
    if (!last && !o.batch_norm && o.act != nn::Act::Identity) dense += ", activation=\"" + std::string(keras_act(o.act)) + "\"";
    dense += std::string(", kernel_initializer=") + (he ? "hidden_init" : "output_init") + dense_reg + ", name=\"" + prefix + "_dense_" + std::to_string(l) + "\")";
    t.keras.push_back(dense);
    b.layer(prefix + "_dense_" + std::to_string(l), "Dense", {width}, keras_dense_params(prev, width));
    t.torch += indent + "    nn.Linear(" + str(prev) + ", " + str(width) + "),\n";
    if (!last) {
      if (o.batch_norm) {
        // Keras' momentum is the share kept (0.9), PyTorch's and the lab's the share of the new batch (0.1).
        t.keras.push_back("BatchNormalization(momentum=" + num(1 - bn_momentum) + ", epsilon=1e-5" + bn_reg + ", name=\"" + prefix + "_bn_" + std::to_string(l) + "\")");
        b.layer(prefix + "_bn_" + std::to_string(l), "BatchNormalization", {width}, keras_batchnorm_params(width),
                keras_batchnorm_non_trainable(width));
        t.torch += indent + "    nn.BatchNorm1d(" + str(width) + ", eps=1e-5, momentum=" + num(bn_momentum) + "),\n";
        t.keras.push_back("Activation(\"" + std::string(keras_act(o.act)) + "\", name=\"" + prefix + "_act_" + std::to_string(l) + "\")");
        b.layer(prefix + "_act_" + std::to_string(l), "Activation", {width});
      }
      t.torch += indent + "    " + torch_act(o.act) + ",\n";
      if (o.dropout > 0) {
        t.keras.push_back("Dropout(" + num(o.dropout) + ", name=\"" + prefix + "_dropout_" + std::to_string(l) + "\")");
        b.layer(prefix + "_dropout_" + std::to_string(l), "Dropout", {width});
        t.torch += indent + "    nn.Dropout(" + num(o.dropout) + "),\n";
      }
    }
    prev = width;
  }
  t.torch += indent + ")";
  return t;
}

std::string keras_sequential(const MlpText& t, const std::string& name, const std::string& indent, const std::string& input = "") {
  std::string s = "Sequential([\n";
  if (!input.empty()) s += indent + "    " + input + ",\n";
  for (const std::string& l : t.keras) s += indent + "    " + l + ",\n";
  return s + indent + "], name=\"" + name + "\")";
}

// The engine's initialisation of an MLP's Dense kernels in Keras (two initialiser variables).
std::string keras_mlp_inits(double weight_scale) {
  const double s2 = weight_scale * weight_scale;
  std::string s = "# The lab's initialisation: He-normal (not truncated) before a ReLU, Glorot-uniform otherwise; biases 0";
  if (weight_scale != 1) s += ";\n# every kernel then multiplied by " + num(weight_scale) + " (the block's init_scale)";
  s += ".\nhidden_init = VarianceScaling(scale=" + num(2 * s2) + ", mode=\"fan_in\", distribution=\"untruncated_normal\")\n";
  if (weight_scale == 1) s += "output_init = \"glorot_uniform\"\n";
  else s += "output_init = VarianceScaling(scale=" + num(s2) + ", mode=\"fan_avg\", distribution=\"uniform\")\n";
  return s;
}

const char* kTorchMlpInit =
    "def init_like_the_lab(mlp, hidden_relu, scale=1.0):\n"
    "    \"\"\"The lab's initialisation: He-normal before a ReLU, Glorot-uniform otherwise; biases 0.\"\"\"\n"
    "    linears = [m for m in mlp if isinstance(m, nn.Linear)]\n"
    "    for k, linear in enumerate(linears):\n"
    "        if hidden_relu and k + 1 < len(linears):\n"
    "            nn.init.kaiming_normal_(linear.weight, nonlinearity=\"relu\")\n"
    "        else:\n"
    "            nn.init.xavier_uniform_(linear.weight)\n"
    "        with torch.no_grad():\n"
    "            linear.weight.mul_(scale)\n"
    "        nn.init.zeros_(linear.bias)\n\n\n";

const char* kBatchNormNote =
    "# BatchNormalization: the lab's moving variance uses the unbiased batch variance (as PyTorch);\n"
    "# Keras uses the biased one. Training is the same; the moving average differs by N/(N-1).\n";

std::string fit_comment(const nn::TrainerOptions& tr, const std::string& x, const std::string& y, bool validation) {
  return "# model.fit(" + x + ", " + y + ", batch_size=" + str(tr.batch_size) + ", epochs=" + str(tr.epochs) +
         (validation ? ", validation_data=(x_val, y_val)" : "") + (tr.shuffle ? ", shuffle=True" : ", shuffle=False") + ")\n";
}

// [SECTION] Embedding lookup ------------------------------------------------------------------------------
}  // namespace

ModelCode model_code_embedding(const std::vector<std::string>& vocabulary, int64_t dim, double init_scale,
                               const std::string& symbol) {
  Builder b;
  const int64_t n = int64_t(vocabulary.size());
  std::string vocab_list = "[";
  for (size_t i = 0; i < vocabulary.size(); ++i) vocab_list += (i ? ", " : "") + quoted(vocabulary[i]);
  vocab_list += "]";
  const std::string sym = symbol.empty() && !vocabulary.empty() ? vocabulary[0] : symbol;
  b.layer("embedding", "Embedding", {1, dim}, keras_embedding_params(n, dim));
  b.layer("flatten", "Flatten", {dim});
  ModelCode c = b.finish();

  std::string k;
  k += "# An embedding layer: a table W of " + str(n) + " x " + str(dim) + " numbers, looked up by id.\n";
  k += kImports;
  k += "vocabulary = " + vocab_list + "\n";
  k += "symbol_input = Input(shape=[1], name=\"symbol\")\n";
  k += "embedding = Embedding(output_dim=" + str(dim) + ", input_dim=" + str(n) + ", input_length=1,\n";
  k += "                      embeddings_initializer=RandomNormal(stddev=" + num(init_scale) + "), name=\"embedding\")(symbol_input)\n";
  k += "vector = Flatten(name=\"flatten\")(embedding)\n";
  k += "model = Model(inputs=symbol_input, outputs=vector)\n";
  k += keras_summary_line(c);
  k += "\nW = model.get_layer(\"embedding\").get_weights()[0]  # (" + str(n) + ", " + str(dim) + ")\n";
  k += "i = vocabulary.index(" + quoted(sym) + ")\n";
  k += "print(model.predict(np.array([[i]])))  # the lookup: row i of W\n";
  k += "print(np.eye(" + str(n) + ")[i] @ W)  # onehot(x) . W: the same numbers\n";
  c.keras = with_imports(k);

  std::string p;
  p += "# An embedding layer: a table W of " + str(n) + " x " + str(dim) + " numbers, looked up by id.\n";
  p += "import torch\nfrom torch import nn\n\n";
  p += "vocabulary = " + vocab_list + "\n";
  p += "model = nn.Embedding(" + str(n) + ", " + str(dim) + ")\n";
  p += "nn.init.normal_(model.weight, std=" + num(init_scale) + ")\n";
  p += torch_count_line(c);
  p += "\ni = vocabulary.index(" + quoted(sym) + ")\n";
  p += "with torch.no_grad():\n";
  p += "    print(model(torch.tensor([i])))  # the lookup: row i of W\n";
  p += "    print(nn.functional.one_hot(torch.tensor([i]), " + str(n) + ").float() @ model.weight)  # onehot(x) . W: the same numbers\n";
  c.pytorch = p;
  return c;
}

// [SECTION] Skip-gram -------------------------------------------------------------------------------------
ModelCode model_code_skipgram(int64_t vocab, int64_t dim, double init_scale, const nn::TrainerOptions& train) {
  Builder b;
  b.layer("embedding", "Embedding", {1, dim}, keras_embedding_params(vocab, dim));
  b.layer("flatten", "Flatten", {dim});
  b.layer("context_logits", "Dense", {vocab}, keras_dense_params(dim, vocab));
  ModelCode c = b.finish();

  std::string k;
  k += "# Word embeddings from co-occurrence (skip-gram): predict a context word from the centre word.\n";
  k += "#   h = onehot(centre) . W  (" + str(vocab) + " x " + str(dim) + ");  logits = h . U + b;  softmax cross-entropy\n";
  k += kImports;
  k += "vocab_size, embedding_size = " + str(vocab) + ", " + str(dim) + "\n";
  k += "centre_input = Input(shape=[1], name=\"centre\")\n";
  k += "embedding = Embedding(output_dim=embedding_size, input_dim=vocab_size, input_length=1,\n";
  k += "                      embeddings_initializer=RandomNormal(stddev=" + num(init_scale) + "), name=\"embedding\")(centre_input)\n";
  k += "h = Flatten(name=\"flatten\")(embedding)\n";
  k += "logits = Dense(vocab_size, name=\"context_logits\")(h)  # Glorot-uniform kernel, zero bias, as the lab\n";
  k += "model = Model(inputs=centre_input, outputs=logits)\n";
  k += optimizer_notes(train.optim, true);
  k += "model.compile(optimizer=" + keras_optimizer(train.optim) + ",\n";
  k += "              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=[\"accuracy\"])\n";
  k += keras_summary_line(c);
  k += fit_comment(train, "centre_ids", "context_ids", false);
  k += "# W = model.get_layer(\"embedding\").get_weights()[0]  # the word vectors, one row per word\n";
  c.keras = with_imports(k);

  std::string p;
  p += "# Word embeddings from co-occurrence (skip-gram): predict a context word from the centre word.\n";
  p += "import torch\nfrom torch import nn\n\n\n";
  p += "class SkipGram(nn.Module):\n";
  p += "    def __init__(self, vocab_size=" + str(vocab) + ", embedding_size=" + str(dim) + "):\n";
  p += "        super().__init__()\n";
  p += "        self.embedding = nn.Embedding(vocab_size, embedding_size)  # W\n";
  p += "        self.context_logits = nn.Linear(embedding_size, vocab_size)  # U, b\n";
  p += "        nn.init.normal_(self.embedding.weight, std=" + num(init_scale) + ")\n";
  p += "        nn.init.xavier_uniform_(self.context_logits.weight)\n";
  p += "        nn.init.zeros_(self.context_logits.bias)\n\n";
  p += "    def forward(self, centre):  # centre: (N,) word ids\n";
  p += "        return self.context_logits(self.embedding(centre))  # (N, vocab_size) logits\n\n\n";
  p += "model = SkipGram()\n";
  p += "loss_fn = nn.CrossEntropyLoss()\n";
  p += optimizer_notes(train.optim, false);
  p += "optimizer = " + torch_optimizer(train.optim) + "\n";
  p += torch_count_line(c);
  p += "# per mini-batch of " + str(train.batch_size) + " (centre, context) pairs, " + str(train.epochs) + " epochs:\n";
  p += "#   optimizer.zero_grad(); loss_fn(model(centre), context).backward(); optimizer.step()\n";
  c.pytorch = p;
  return c;
}

// [SECTION] MLP classifier ----------------------------------------------------------------------------------
ModelCode model_code_mlp(const nn::MlpOptions& o, const nn::TrainerOptions* train, double weight_scale, double bn_momentum) {
  Builder b;
  // The engine's weight decay wd adds wd * w to every gradient: Keras' l2(wd / 2) penalty on every
  // weight and bias does the same.
  const double wd = train ? train->optim.weight_decay : 0;
  const std::string reg = wd > 0 ? num(wd / 2) : "";
  const MlpText t = mlp_text(b, o, "mlp", reg, "", bn_momentum);
  ModelCode c = b.finish();

  std::string shape = str(o.in) + " inputs";
  for (size_t l = 0; l < o.hidden.size();) {
    size_t same = 1;  // "6 x [Dense 64 -> tanh]" for a run of equal hidden layers
    while (l + same < o.hidden.size() && o.hidden[l + same] == o.hidden[l]) ++same;
    shape += " -> " + (same > 1 ? std::to_string(same) + " x " : std::string()) + "[Dense " + str(o.hidden[l]) +
             (o.batch_norm ? " -> BatchNorm" : "") + " -> " + keras_act(o.act) +
             (o.dropout > 0 ? " -> Dropout " + num(o.dropout) : "") + "]";
    l += same;
  }
  shape += " -> Dense " + str(o.out) + (train ? " (logits)" : "");

  std::string k;
  k += "# " + std::string(train ? "An MLP classifier" : "A small network") + ", as the lab builds it:\n#   " + shape + "\n";
  k += kImports;
  k += keras_mlp_inits(weight_scale);
  if (o.batch_norm) k += kBatchNormNote;
  if (!reg.empty())
    k += "# L2: the lab's weight decay " + num(wd) + " adds " + num(wd) + " * w to each gradient = l2(" + reg + ") on every weight.\n";
  k += "model = " + keras_sequential(t, "mlp", "", "Input(shape=(" + str(o.in) + ",), name=\"x\")") + "\n";
  if (train) {
    k += optimizer_notes(train->optim, true);
    k += "model.compile(optimizer=" + keras_optimizer(train->optim) + ",\n";
    k += "              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=[\"accuracy\"])\n";
  }
  k += keras_summary_line(c);
  if (train) k += fit_comment(*train, "x_train", "y_train", true);
  c.keras = with_imports(k);

  std::string p;
  p += "# " + std::string(train ? "An MLP classifier" : "A small network") + ", as the lab builds it:\n#   " + shape + "\n";
  p += "import torch\nfrom torch import nn\n\n\n";
  p += kTorchMlpInit;
  p += "model = " + t.torch + "\n";
  p += "init_like_the_lab(model, hidden_relu=" + std::string(o.act == nn::Act::Relu ? "True" : "False") +
       (weight_scale != 1 ? ", scale=" + num(weight_scale) : "") + ")\n";
  if (train) {
    p += "loss_fn = nn.CrossEntropyLoss()  # on the logits\n";
    p += optimizer_notes(train->optim, false);
    p += "optimizer = " + torch_optimizer(train->optim) + "\n";
  }
  p += torch_count_line(c);
  if (train) {
    p += "# per mini-batch of " + str(train->batch_size) + " rows, " + str(train->epochs) + " epochs:\n";
    p += "#   model.train(); optimizer.zero_grad(); loss_fn(model(x), y).backward(); optimizer.step()\n";
    p += "# to evaluate: model.eval()" + std::string(o.dropout > 0 || o.batch_norm ? " (dropout off, running statistics)" : "") + "\n";
  } else if (o.dropout > 0) {
    p += "# model.train(): a fresh dropout mask every forward pass; model.eval(): no dropout\n";
  }
  c.pytorch = p;
  return c;
}

// [SECTION] Rating model ------------------------------------------------------------------------------------
ModelCode model_code_rating(const nn::TwoTowerOptions& o, rs::RatingLoss loss, double l2, const nn::TrainerOptions& train) {
  Builder b;
  // deep: MLP([u | v | features]); content (no ids): MLP([features]); hybrid: <u, v> + MLP([features])
  const bool deep = o.kind == nn::TowerKind::Deep;
  const bool ids = o.ids;
  const bool meta = o.user_meta_dim > 0 || o.item_meta_dim > 0;
  const bool hybrid = !deep && meta;
  const bool has_mlp = deep || hybrid;
  const int64_t d = o.dim, nu = o.n_users, ni = o.n_items;
  if (ids) {
    b.layer("user_embedding", "Embedding", {1, d}, keras_embedding_params(nu, d));
    b.layer("item_embedding", "Embedding", {1, d}, keras_embedding_params(ni, d));
    b.layer("user_vecs", "Flatten", {d});
    b.layer("item_vecs", "Flatten", {d});
  }
  nn::MlpOptions mo;
  MlpText t;
  const int64_t concat_width = (deep && ids ? 2 * d : 0) + o.user_meta_dim + o.item_meta_dim;
  if (hybrid) b.layer("dot", "Dot", {1});
  if (has_mlp) {
    b.layer("concat", "Concatenate", {concat_width});
    mo.in = concat_width;  // as two_tower_init builds its MLP
    mo.hidden = o.hidden;
    mo.out = 1;
    mo.act = o.act;
    mo.dropout = o.dropout;
    mo.batch_norm = o.batch_norm;
    t = mlp_text(b, mo, "mlp", "", "        ");
    if (hybrid) b.layer("dot_plus_mlp", "Add", {1});
  } else {
    b.layer("dot", "Dot", {1});
  }
  if (o.biases) {
    b.layer("user_bias", "Embedding", {1, 1}, keras_embedding_params(nu, 1));
    b.layer("item_bias", "Embedding", {1, 1}, keras_embedding_params(ni, 1));
    b.layer("user_bias_flat", "Flatten", {1});
    b.layer("item_bias_flat", "Flatten", {1});
    b.layer("add_biases", "Add", {1});
  }
  b.layer("plus_global_mean", "Rescaling", {1});
  ModelCode c = b.finish();

  const std::string what = !ids ? "rating = global mean + MLP([user features | movie features])  (content-based: no ids)"
                           : hybrid ? "rating = global mean + b_u + b_i + <u, v> + MLP([user features | movie features])  (hybrid)"
                           : !deep ? "rating = global mean + b_u + b_i + <u, v>  (matrix factorisation)"
                           : meta ? "rating = global mean + b_u + b_i + MLP([u | v | user features | movie features])"
                                  : "rating = global mean + b_u + b_i + MLP([u | v])";
  const std::string what_nb = !o.biases && ids ? " (this model has no biases b_u, b_i)" : "";
  const std::string id_inputs = ids ? "user_id_input, item_id_input" : "";
  const std::string meta_inputs = meta ? std::string(ids ? ", " : "") + "user_meta_input, item_meta_input" : "";
  const std::string emb_reg = l2 > 0 ? ",\n                           activity_regularizer=l2(" + num(l2) + ")" : "";
  const char* keras_loss = loss == rs::RatingLoss::Mae ? "mae" : "mse";

  std::string k;
  k += "# " + what + what_nb + "\n";
  k += kImports;
  k += "n_users, n_items, embedding_size = " + str(nu) + ", " + str(ni) + ", " + str(d) + "\n";
  k += "global_mean = " + num(o.global_mean) + "  # the mean training rating\n\n";
  if (ids) {
    k += "user_id_input = Input(shape=[1], name=\"user\")\n";
    k += "item_id_input = Input(shape=[1], name=\"item\")\n";
  }
  if (meta) {
    k += "user_meta_input = Input(shape=[" + str(o.user_meta_dim) + "], name=\"user_meta\")  # age, gender, occupation one-hot\n";
    k += "item_meta_input = Input(shape=[" + str(o.item_meta_dim) + "], name=\"item_meta\")  # year, genres" +
         std::string(o.item_meta_dim > 2 + 19 ? ", log popularity" : "") + "\n";
  }
  if (l2 > 0)
    k += "# L2 on the looked-up rows, as the lab: lambda/N * sum(|u|^2 + |v|^2) over the batch's N rows\n"
         "# (tf.keras divides an activity penalty by the batch size; Keras 3 does not: there, write\n"
         "# l2(lambda / batch_size)).\n";
  if (ids) {
    for (const char* side : {"user", "item"}) {
      const std::string s = side;
      k += s + "_embedding = Embedding(output_dim=embedding_size, input_dim=n_" + s + "s, input_length=1,\n";
      k += "                           embeddings_initializer=RandomNormal(stddev=" + num(o.init_scale) + ")" + emb_reg + ",\n";
      k += "                           name=\"" + s + "_embedding\")(" + s + "_id_input)\n";
    }
    k += "user_vecs = Flatten(name=\"user_vecs\")(user_embedding)\n";
    k += "item_vecs = Flatten(name=\"item_vecs\")(item_embedding)\n";
  }
  if (hybrid) k += "y_ids = Dot(axes=1, name=\"dot\")([user_vecs, item_vecs])\n";
  if (has_mlp) {
    const std::string parts = std::string(deep && ids ? "user_vecs, item_vecs" : "") +
                              (deep && ids ? ", " : "") + "user_meta_input, item_meta_input";
    k += "input_vecs = Concatenate(name=\"concat\")([" + (meta ? parts : std::string("user_vecs, item_vecs")) + "])\n";
    k += keras_mlp_inits(1);
    if (o.dropout > 0) k += "# Dropout after each hidden layer, as the lab does (the course's notebook drops the input).\n";
    if (o.batch_norm) k += kBatchNormNote;
    k += "mlp = " + keras_sequential(t, "mlp", "") + "\n";
    k += "y = mlp(input_vecs)\n";
    if (hybrid) k += "y = Add(name=\"dot_plus_mlp\")([y_ids, y])\n";
  } else {
    k += "y = Dot(axes=1, name=\"dot\")([user_vecs, item_vecs])\n";
  }
  if (o.biases) {
    for (const char* side : {"user", "item"}) {
      const std::string s = side;
      k += s + "_bias = Embedding(output_dim=1, input_dim=n_" + s + "s, input_length=1, embeddings_initializer=\"zeros\",\n";
      k += "                      name=\"" + s + "_bias\")(" + s + "_id_input)\n";
    }
    k += "user_bias = Flatten(name=\"user_bias_flat\")(user_bias)\n";
    k += "item_bias = Flatten(name=\"item_bias_flat\")(item_bias)\n";
    k += "y = Add(name=\"add_biases\")([y, user_bias, item_bias])\n";
  }
  k += "y = Rescaling(scale=1.0, offset=global_mean, name=\"plus_global_mean\")(y)\n";
  k += "model = Model(inputs=[" + id_inputs + meta_inputs + "], outputs=y)\n";
  k += optimizer_notes(train.optim, true);
  k += "model.compile(optimizer=" + keras_optimizer(train.optim) + ", loss=\"" + keras_loss + "\")\n";
  k += keras_summary_line(c);
  k += fit_comment(train,
                   "[" + std::string(ids ? "user_ids, item_ids" : "") + (meta ? std::string(ids ? ", " : "") + "user_meta, item_meta" : "") + "]",
                   "ratings", false);
  c.keras = with_imports(k);

  std::string p;
  p += "# " + what + what_nb + "\n";
  p += "import torch\nfrom torch import nn\n\n\n";
  if (has_mlp) p += kTorchMlpInit;
  p += "class RatingModel(nn.Module):\n";
  p += "    def __init__(self, n_users=" + str(nu) + ", n_items=" + str(ni) + ", embedding_size=" + str(d) +
       ", global_mean=" + num(o.global_mean) + "):\n";
  p += "        super().__init__()\n";
  if (ids) {
    p += "        self.user_embedding = nn.Embedding(n_users, embedding_size)\n";
    p += "        self.item_embedding = nn.Embedding(n_items, embedding_size)\n";
    p += "        nn.init.normal_(self.user_embedding.weight, std=" + num(o.init_scale) + ")\n";
    p += "        nn.init.normal_(self.item_embedding.weight, std=" + num(o.init_scale) + ")\n";
  }
  if (o.biases) {
    p += "        self.user_bias = nn.Embedding(n_users, 1)\n";
    p += "        self.item_bias = nn.Embedding(n_items, 1)\n";
    p += "        nn.init.zeros_(self.user_bias.weight)\n";
    p += "        nn.init.zeros_(self.item_bias.weight)\n";
  }
  if (has_mlp) {
    const std::string first = deep && ids ? "u | v" + std::string(meta ? " | " : "") : "";
    p += "        # input: [" + first + std::string(meta ? str(o.user_meta_dim) + " user features | " + str(o.item_meta_dim) + " movie features" : "") +
         "] = " + str(concat_width) + " numbers\n";
    p += "        self.mlp = " + t.torch + "\n";
    p += "        init_like_the_lab(self.mlp, hidden_relu=" + std::string(o.act == nn::Act::Relu ? "True" : "False") + ")\n";
  }
  p += "        self.global_mean = global_mean\n\n";
  p += std::string("    def forward(self, user, item") + (meta ? ", user_meta, item_meta" : "") + "):  # ids: (N,)\n";
  if (ids) {
    p += "        u = self.user_embedding(user)  # (N, embedding_size)\n";
    p += "        v = self.item_embedding(item)\n";
  } else {
    p += "        u = v = None  # no ids: the user and the movie are their features\n";
  }
  if (deep) p += "        y = self.mlp(torch.cat([" + std::string(ids ? "u, v" : "") + (meta ? std::string(ids ? ", " : "") + "user_meta, item_meta" : "") + "], dim=1))  # (N, 1)\n";
  else if (hybrid) p += "        y = (u * v).sum(dim=1, keepdim=True) + self.mlp(torch.cat([user_meta, item_meta], dim=1))  # (N, 1)\n";
  else p += "        y = (u * v).sum(dim=1, keepdim=True)  # (N, 1)\n";
  if (o.biases) p += "        y = y + self.user_bias(user) + self.item_bias(item)\n";
  p += "        return y + self.global_mean, u, v\n\n\n";
  p += "model = RatingModel()\n";
  p += std::string("loss_fn = ") + (loss == rs::RatingLoss::Mae ? "nn.L1Loss()" : "nn.MSELoss()") + "\n";
  p += optimizer_notes(train.optim, false);
  p += "optimizer = " + torch_optimizer(train.optim) + "\n";
  p += torch_count_line(c);
  p += "# per mini-batch of " + str(train.batch_size) + " ratings, " + str(train.epochs) + " epochs:\n";
  p += "#   model.train(); pred, u, v = model(user, item" + std::string(meta ? ", user_meta, item_meta" : "") + ")\n";
  p += "#   loss = loss_fn(pred, rating.view(-1, 1))";
  if (l2 > 0) p += " + " + num(l2) + " * (u.pow(2).sum() + v.pow(2).sum()) / len(user)  # the lab's L2";
  p += "\n#   optimizer.zero_grad(); loss.backward(); optimizer.step()\n";
  c.pytorch = p;
  return c;
}

// [SECTION] Triplet model ------------------------------------------------------------------------------------
ModelCode model_code_triplet(int64_t n_users, int64_t n_items, int64_t d, double init_scale, const nn::MlpOptions* tower,
                             core::Measure sim, double margin, const nn::TrainerOptions& train) {
  Builder b;
  const bool cosine = sim == core::Measure::Cosine;
  b.layer("user_embedding", "Embedding", {1, d}, keras_embedding_params(n_users, d));
  b.layer("item_embedding", "Embedding", {1, d}, keras_embedding_params(n_items, d));  // shared: positive and negative
  b.layer("flatten", "Flatten", {d});
  MlpText ut, it;
  if (tower) {
    ut = mlp_text(b, *tower, "user_tower", "", "        ");
    it = mlp_text(b, *tower, "item_tower", "", "        ");
  }
  b.layer("similarity", "Dot", {1});
  b.layer("margin_loss", "Lambda", {1});
  ModelCode c = b.finish();
  const std::string s_name = cosine ? "cosine" : "dot product";

  std::string k;
  k += "# Implicit feedback: loss = max(0, margin - s(u, i+) + s(u, i-)), s = " + s_name +
       (tower ? ", an MLP tower on each side" : "") + ".\n";
  k += kImports;
  k += "n_users, n_items, embedding_size, margin = " + str(n_users) + ", " + str(n_items) + ", " + str(d) + ", " + num(margin) + "\n\n";
  k += "user_input = Input(shape=[1], name=\"user\")\n";
  k += "positive_item_input = Input(shape=[1], name=\"positive_item\")\n";
  k += "negative_item_input = Input(shape=[1], name=\"negative_item\")\n";
  k += "user_embedding = Embedding(output_dim=embedding_size, input_dim=n_users, input_length=1,\n";
  k += "                           embeddings_initializer=RandomNormal(stddev=" + num(init_scale) + "), name=\"user_embedding\")\n";
  k += "item_embedding = Embedding(output_dim=embedding_size, input_dim=n_items, input_length=1,  # one table for i+ and i-\n";
  k += "                           embeddings_initializer=RandomNormal(stddev=" + num(init_scale) + "), name=\"item_embedding\")\n";
  k += "flatten = Flatten(name=\"flatten\")\n";
  k += "u = flatten(user_embedding(user_input))\n";
  k += "pos = flatten(item_embedding(positive_item_input))\n";
  k += "neg = flatten(item_embedding(negative_item_input))\n";
  if (tower) {
    k += keras_mlp_inits(1);
    k += "user_tower = " + keras_sequential(ut, "user_tower", "") + "\n";
    k += "item_tower = " + keras_sequential(it, "item_tower", "") + "  # one tower for i+ and i-\n";
    k += "u, pos, neg = user_tower(u), item_tower(pos), item_tower(neg)\n";
  }
  if (cosine)
    k += "# cosine (the lab takes |x| as sqrt(|x|^2 + 1e-8), so a zero vector has similarity 0)\n"
         "similarity = Dot(axes=1, normalize=True, name=\"similarity\")\n";
  else
    k += "similarity = Dot(axes=1, name=\"similarity\")  # dot product\n";
  k += "margin_loss = Lambda(lambda s: tf.maximum(0.0, margin - s[0] + s[1]), name=\"margin_loss\")(\n";
  k += "    [similarity([u, pos]), similarity([u, neg])])\n";
  k += "model = Model(inputs=[user_input, positive_item_input, negative_item_input], outputs=margin_loss)\n\n\n";
  k += "def identity_loss(y_true, y_pred):\n";
  k += "    return tf.reduce_mean(y_pred - 0 * y_true)  # the model's output is the loss\n\n\n";
  k += optimizer_notes(train.optim, true);
  k += "model.compile(optimizer=" + keras_optimizer(train.optim) + ", loss=identity_loss)\n";
  k += keras_summary_line(c);
  k += "# Draw fresh negatives every epoch, as the lab does at every visit of a positive pair:\n";
  k += "# for epoch in range(" + str(train.epochs) + "):\n";
  k += "#     negatives = np.random.randint(0, n_items, size=len(users))\n";
  k += "#     model.fit([users, positives, negatives], np.zeros(len(users)), batch_size=" + str(train.batch_size) + ", epochs=1)\n";
  c.keras = with_imports(k);

  std::string p;
  p += "# Implicit feedback: loss = max(0, margin - s(u, i+) + s(u, i-)), s = " + s_name +
       (tower ? ", an MLP tower on each side" : "") + ".\n";
  p += "import torch\nfrom torch import nn\n\n\n";
  if (tower) p += kTorchMlpInit;
  p += "class TripletModel(nn.Module):\n";
  p += "    def __init__(self, n_users=" + str(n_users) + ", n_items=" + str(n_items) + ", embedding_size=" + str(d) +
       ", margin=" + num(margin) + "):\n";
  p += "        super().__init__()\n";
  p += "        self.user_embedding = nn.Embedding(n_users, embedding_size)\n";
  p += "        self.item_embedding = nn.Embedding(n_items, embedding_size)  # one table for i+ and i-\n";
  p += "        nn.init.normal_(self.user_embedding.weight, std=" + num(init_scale) + ")\n";
  p += "        nn.init.normal_(self.item_embedding.weight, std=" + num(init_scale) + ")\n";
  if (tower) {
    p += "        self.user_tower = " + ut.torch + "\n";
    p += "        self.item_tower = " + it.torch + "\n";
    p += "        init_like_the_lab(self.user_tower, hidden_relu=" + std::string(tower->act == nn::Act::Relu ? "True" : "False") + ")\n";
    p += "        init_like_the_lab(self.item_tower, hidden_relu=" + std::string(tower->act == nn::Act::Relu ? "True" : "False") + ")\n";
  }
  p += "        self.margin = margin\n\n";
  p += "    def similarity(self, a, b):\n";
  if (cosine) p += "        return nn.functional.cosine_similarity(a, b, dim=1, eps=1e-8)\n\n";
  else p += "        return (a * b).sum(dim=1)\n\n";
  p += "    def forward(self, user, positive, negative):  # ids: (N,)\n";
  if (tower) {
    p += "        u = self.user_tower(self.user_embedding(user))\n";
    p += "        pos = self.item_tower(self.item_embedding(positive))\n";
    p += "        neg = self.item_tower(self.item_embedding(negative))\n";
  } else {
    p += "        u = self.user_embedding(user)\n";
    p += "        pos = self.item_embedding(positive)\n";
    p += "        neg = self.item_embedding(negative)\n";
  }
  p += "        return torch.clamp(self.margin - self.similarity(u, pos) + self.similarity(u, neg), min=0).mean()\n\n\n";
  p += "model = TripletModel()\n";
  p += optimizer_notes(train.optim, false);
  p += "optimizer = " + torch_optimizer(train.optim) + "\n";
  p += torch_count_line(c);
  p += "# per mini-batch of " + str(train.batch_size) + " positive pairs, " + str(train.epochs) + " epochs, fresh negatives each time:\n";
  p += "#   negative = torch.randint(0, " + str(n_items) + ", user.shape)\n";
  p += "#   optimizer.zero_grad(); model(user, positive, negative).backward(); optimizer.step()\n";
  c.pytorch = p;
  return c;
}

// [SECTION] YouTube next-watch model ----------------------------------------------------------------------------
ModelCode model_code_watch(const rs::WatchOptions& w, int64_t n_users, int64_t n_items, const nn::MlpOptions& mo,
                           const nn::TrainerOptions& train) {
  Builder b;
  const bool average = w.user == rs::UserRepr::WatchAverage;
  const int64_t d = w.dim;
  if (average) {
    b.layer("movie_embedding", "Embedding", {-1, d}, keras_embedding_params(n_items, d));  // (None, d): a ragged history
    b.layer("average", "Lambda", {d});
  } else {
    b.layer("user_embedding", "Embedding", {1, d}, keras_embedding_params(n_users, d));
    b.layer("user_vec", "Flatten", {d});
  }
  const MlpText t = mlp_text(b, mo, "mlp", "", "        ");
  ModelCode c = b.finish();
  const std::string what = average
      ? "# YouTube model (Covington et al. 2016): user = average of the embeddings of their last " + str(w.history) +
            " watches;\n# an MLP scores every movie; softmax over the catalogue; trained to predict the next watch.\n"
      : "# The same next-watch model with a user-id embedding instead of the watch average.\n";

  std::string k = what;
  k += kImports;
  k += "n_users, n_items, embedding_size = " + str(n_users) + ", " + str(n_items) + ", " + str(d) + "\n";
  if (average) {
    k += "watched_input = Input(shape=[None], dtype=\"int32\", ragged=True, name=\"watched\")  # movie ids, oldest first\n";
    k += "watched = Embedding(output_dim=embedding_size, input_dim=n_items,\n";
    k += "                    embeddings_initializer=RandomNormal(stddev=" + num(w.init_scale) + "), name=\"movie_embedding\")(watched_input)\n";
    k += "user_vec = Lambda(lambda x: tf.reduce_mean(x, axis=1), name=\"average\")(watched)  # (N, embedding_size)\n";
  } else {
    k += "user_input = Input(shape=[1], name=\"user\")\n";
    k += "user_embedding = Embedding(output_dim=embedding_size, input_dim=n_users, input_length=1,\n";
    k += "                           embeddings_initializer=RandomNormal(stddev=" + num(w.init_scale) + "), name=\"user_embedding\")(user_input)\n";
    k += "user_vec = Flatten(name=\"user_vec\")(user_embedding)\n";
  }
  k += keras_mlp_inits(1);
  k += "mlp = " + keras_sequential(t, "mlp", "") + "\n";
  k += "logits = mlp(user_vec)  # one score per movie\n";
  k += "model = Model(inputs=" + std::string(average ? "watched_input" : "user_input") + ", outputs=logits)\n";
  k += "# The catalogue here is small: an exact softmax. YouTube's millions of videos need a sampled softmax\n"
       "# (tf.nn.sampled_softmax_loss), scoring each example against a few thousand sampled negatives.\n";
  k += optimizer_notes(train.optim, true);
  k += "model.compile(optimizer=" + keras_optimizer(train.optim) + ",\n";
  k += "              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=[\"accuracy\"])\n";
  k += keras_summary_line(c);
  k += fit_comment(train, average ? "histories  # tf.ragged.constant([[watch ids before t], ...])" : "user_ids", "next_watch_ids", false);
  c.keras = with_imports(k);

  std::string p = what;
  p += "import torch\nfrom torch import nn\n\n\n";
  p += kTorchMlpInit;
  p += "class NextWatch(nn.Module):\n";
  p += "    def __init__(self, n_users=" + str(n_users) + ", n_items=" + str(n_items) + ", embedding_size=" + str(d) + "):\n";
  p += "        super().__init__()\n";
  if (average) {
    p += "        self.movie_embedding = nn.EmbeddingBag(n_items, embedding_size, mode=\"mean\")  # lookup + average\n";
    p += "        nn.init.normal_(self.movie_embedding.weight, std=" + num(w.init_scale) + ")\n";
  } else {
    p += "        self.user_embedding = nn.Embedding(n_users, embedding_size)\n";
    p += "        nn.init.normal_(self.user_embedding.weight, std=" + num(w.init_scale) + ")\n";
  }
  p += "        self.mlp = " + t.torch + "\n";
  p += "        init_like_the_lab(self.mlp, hidden_relu=" + std::string(mo.act == nn::Act::Relu ? "True" : "False") + ")\n\n";
  if (average) {
    p += "    def forward(self, watched, offsets):  # all histories' ids in one list; offsets: where each starts\n";
    p += "        return self.mlp(self.movie_embedding(watched, offsets))  # (N, n_items) logits\n\n\n";
  } else {
    p += "    def forward(self, user):  # (N,) user ids\n";
    p += "        return self.mlp(self.user_embedding(user))  # (N, n_items) logits\n\n\n";
  }
  p += "model = NextWatch()\n";
  p += "loss_fn = nn.CrossEntropyLoss()\n";
  p += optimizer_notes(train.optim, false);
  p += "optimizer = " + torch_optimizer(train.optim) + "\n";
  p += torch_count_line(c);
  p += "# per mini-batch of " + str(train.batch_size) + " (history, next watch) examples, " + str(train.epochs) + " epochs:\n";
  p += std::string("#   optimizer.zero_grad(); loss_fn(model(") + (average ? "watched, offsets" : "user") +
       "), next_watch).backward(); optimizer.step()\n";
  c.pytorch = p;
  return c;
}

}  // namespace lab::runtime
