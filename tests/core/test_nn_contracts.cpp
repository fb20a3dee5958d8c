// Contracts of the layers and losses (what they promise, not how they are built), and their
// behaviour on bad input: errors with a message, never UB.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <tuple>

#include "core/nn/kernels.h"
#include "core/nn/layers.h"
#include "core/nn/losses.h"
#include "core/nn/models.h"
#include "core/nn/model_io.h"
#include "core/nn/optim.h"

using namespace lab::core;
using namespace lab::core::nn;

static Mat randn_f(Index r, Index c, Rng& rng, double mean = 0, double sd = 1) {
  Mat m(r, c);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = float(mean + sd * rng_normal(rng));
  return m;
}

TEST_CASE("dropout: drops about p, keeps E[out] = x in training, identity in eval") {
  Rng rng(1);
  Dropout d;
  d.p = 0.3f;
  const Mat x = Mat::Constant(400, 250, 2.0f);  // 100k units
  const Mat y = d.forward(x, ctx_train(rng));
  const double dropped = double((y.array() == 0).count()) / double(y.size());
  CHECK(std::abs(dropped - 0.3) < 0.01);  // sd of the estimate is 0.0015
  CHECK(std::abs(double(y.mean()) - 2.0) < 0.02);  // inverted scaling: kept units are 2 / 0.7
  CHECK((y.array() == 0 || (y.array() - 2.0f / 0.7f).abs() < 1e-5f).all());
  // backward routes the gradient through exactly the kept units, with the same scale
  const Mat g = d.backward(Mat::Ones(400, 250));
  CHECK(((g.array() == 0) == (y.array() == 0)).all());
  CHECK((g * 2.0f - y).cwiseAbs().maxCoeff() < 1e-5f);
  // eval: identity, also for the gradient
  const Mat xe = randn_f(5, 7, rng);
  CHECK(d.forward(xe, ctx_eval()) == xe);
  CHECK(d.backward(xe) == xe);
  // two training passes draw different masks
  const Mat y2 = d.forward(x, ctx_train(rng));
  CHECK(y2 != y);
}

TEST_CASE("batch-norm: mean 0 / var 1 per feature in training, running statistics in eval") {
  Rng rng(2);
  BatchNorm1d bn;
  bn.init(4);
  const Mat x = randn_f(256, 4, rng, 5.0, 3.0);
  const Mat y = bn.forward(x, ctx_train(rng));
  for (Index j = 0; j < 4; ++j) {
    const double mean = y.col(j).mean();
    const double var = (y.col(j).array() - float(mean)).square().mean();
    CHECK(std::abs(mean) < 1e-5);
    CHECK(std::abs(var - 1.0) < 1e-3);
  }
  // after many batches from the same distribution the running statistics approach mean 5 / var 9
  // (EMA with momentum 0.1 over batches of 256: sd ~0.04 for the mean, ~0.2 for the variance)
  for (int k = 0; k < 200; ++k) bn.forward(randn_f(256, 4, rng, 5.0, 3.0), ctx_train(rng));
  for (Index j = 0; j < 4; ++j) {
    CHECK(std::abs(bn.running_mean(0, j) - 5.0f) < 0.3f);
    CHECK(std::abs(bn.running_var(0, j) - 9.0f) < 1.2f);
  }
  // eval uses the running statistics, not the batch's: a batch of one constant row is allowed
  bn.running_mean.setConstant(1.0f);
  bn.running_var.setConstant(4.0f);
  bn.gamma.setConstant(2.0f);
  bn.beta.setConstant(0.5f);
  const Mat one = Mat::Constant(1, 4, 3.0f);
  const Mat ye = bn.forward(one, ctx_eval());
  const float expect = 2.0f * (3.0f - 1.0f) / std::sqrt(4.0f + 1e-5f) + 0.5f;
  CHECK((ye.array() - expect).abs().maxCoeff() < 1e-6f);
  CHECK(param_count(bn.params()) == 8);  // 2 x features trainable
  CHECK(bn.buffers().size() == 2);       // + 2 x features running statistics
}

TEST_CASE("embedding: lookup equals onehot(ids) * W exactly, bad ids are errors") {
  Rng rng(3);
  Embedding e;
  REQUIRE(e.init(7, 5, rng).ok);
  const Ids ids = {3, 0, 6, 3, 1};
  Mat out;
  REQUIRE(e.forward(ids, out).ok);
  Mat onehot = Mat::Zero(5, 7);
  for (int i = 0; i < 5; ++i) onehot(i, ids[size_t(i)]) = 1.0f;
  const Mat ref = onehot * e.W;
  CHECK(out == ref);  // exact: every sum has one non-zero term

  for (const Ids& bad : {Ids{0, 7}, Ids{-1}}) {
    const Status st = e.forward(bad, out);
    CHECK_FALSE(st.ok);
    CHECK(st.message.find("out of range") != std::string::npos);
  }
  // vocab x dim over the memory budget: a clear error, no allocation attempt
  Embedding huge;
  const Status st = huge.init(10'000'000, 64, rng);
  CHECK_FALSE(st.ok);
  CHECK(st.message.find("MiB") != std::string::npos);
  CHECK(huge.W.size() == 0);
}

TEST_CASE("embedding: max-norm renormalises looked-up rows") {
  Rng rng(4);
  Embedding e;
  REQUIRE(e.init(3, 4, rng, 5.0f).ok);
  e.max_norm = 1.0f;
  Mat out;
  REQUIRE(e.forward(Ids{0, 2}, out).ok);
  CHECK(out.row(0).norm() <= 1.0f + 1e-5f);
  CHECK(out.row(1).norm() <= 1.0f + 1e-5f);
  CHECK(e.W.row(1).norm() > 1.5f);  // not looked up: untouched
}

TEST_CASE("softmax: rows sum to 1, stable for large logits") {
  Rng rng(5);
  Mat x = randn_f(6, 5, rng, 0, 4);
  x(0, 0) = 1000;
  x(1, 2) = -1000;
  Softmax s;
  const Mat y = s.forward(x, ctx_eval());
  CHECK(y.allFinite());
  CHECK((y.rowwise().sum().array() - 1).abs().maxCoeff() < 1e-6f);
  CHECK(y(0, 0) == doctest::Approx(1.0));
}

TEST_CASE("triplet loss: zero beyond the margin, positive inside it") {
  Rng rng(6);
  const Mat a = randn_f(4, 3, rng);
  for (Measure sim : {Measure::Dot, Measure::Cosine}) {
    // positive = anchor, negative = -anchor: s(a,p) - s(a,n) >= 2 (cosine) or 2|a|^2 (dot), beyond 0.5
    const Mat p = a * 2.0f, n = -a;
    const auto far = triplet_margin_loss(a, p, n, 0.5f, sim);
    REQUIRE(far.status.ok);
    CHECK(far.value == 0.0f);
    CHECK(far.d_anchor.cwiseAbs().maxCoeff() == 0.0f);
    // swapped roles: the negative is the close one, so the loss is large
    const auto wrong = triplet_margin_loss(a, n, p, 0.5f, sim);
    CHECK(wrong.value > 0.5f);
    CHECK(wrong.active_fraction == 1.0f);
  }
  CHECK_FALSE(triplet_margin_loss(a, Mat(a.topRows(2)), a, 0.5f, Measure::Dot).status.ok);
  // One vocabulary for comparing vectors (core::Measure): a distance is refused, by name.
  const auto by_distance = triplet_margin_loss(a, a, a, 0.5f, Measure::Euclidean);
  CHECK_FALSE(by_distance.status.ok);
  CHECK(by_distance.status.message.find("not by euclidean") != std::string::npos);
}

TEST_CASE("losses: values on hand-computed cases, shape errors are reported") {
  Mat p(2, 1), t(2, 1);
  p << 1, 3;
  t << 2, 1;
  CHECK(mse_loss(p, t).value == doctest::Approx(2.5));   // (1 + 4) / 2
  CHECK(mae_loss(p, t).value == doctest::Approx(1.5));   // (1 + 2) / 2
  Mat z(1, 2), y(1, 2);
  z << 0, 100;
  y << 1, 1;
  CHECK(bce_with_logits_loss(z, y).value == doctest::Approx(std::log(2.0) / 2).epsilon(1e-6));
  Mat logits(1, 3);
  logits << 1, 2, 3;
  const double lse = std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0));
  CHECK(softmax_cross_entropy_loss(logits, Ids{0}).value == doctest::Approx(lse - 1.0).epsilon(1e-6));
  CHECK_FALSE(softmax_cross_entropy_loss(logits, Ids{3}).status.ok);
  CHECK_FALSE(softmax_cross_entropy_loss(logits, Ids{0, 1}).status.ok);
  CHECK_FALSE(mse_loss(p, Mat(3, 1)).status.ok);
}

TEST_CASE("optimisers: SGD+momentum and Adam follow their update rules") {
  Mat w(1, 1), g(1, 1);
  w << 1;
  g << 0.5;
  const std::vector<ParamRef> ps = {{&w, &g, "w"}};
  Optimizer sgd;
  sgd.opt.kind = OptimKind::Sgd;
  sgd.opt.lr = 0.1;
  sgd.opt.momentum = 0.9;
  REQUIRE(optim_step(sgd, ps).ok);  // v = 0.5, w = 1 - 0.05
  CHECK(w(0, 0) == doctest::Approx(0.95));
  REQUIRE(optim_step(sgd, ps).ok);  // v = 0.95, w = 0.95 - 0.095
  CHECK(w(0, 0) == doctest::Approx(0.855));
  // Adam's first bias-corrected step moves every weight by ~lr, whatever the gradient's scale
  w << 1;
  g << 1e-3;
  Optimizer adam;
  adam.opt.kind = OptimKind::Adam;
  adam.opt.lr = 0.01;
  REQUIRE(optim_step(adam, ps).ok);
  CHECK(w(0, 0) == doctest::Approx(0.99).epsilon(1e-4));
  // Adam minimises a quadratic
  Mat v(3, 1), gv(3, 1);
  v << 5, -3, 2;
  const std::vector<ParamRef> pv = {{&v, &gv, "v"}};
  Optimizer a2;
  a2.opt.lr = 0.1;
  for (int k = 0; k < 500; ++k) {
    gv = 2 * v;
    optim_step(a2, pv);
  }
  CHECK(v.norm() < 0.05f);
}

TEST_CASE("models: bad sizes and shapes are errors with a message") {
  Rng rng(7);
  Mlp m;
  MlpOptions o;
  o.in = 2;
  o.dropout = 1.0;
  CHECK_FALSE(mlp_init(m, o, rng).ok);
  o.dropout = 0;
  o.hidden = {100000, 100000};
  const Status big = mlp_init(m, o, rng);
  CHECK_FALSE(big.ok);
  CHECK(big.message.find("memory") != std::string::npos);
  o.hidden = {8};
  REQUIRE(mlp_init(m, o, rng).ok);
  CHECK(param_count(m.params()) == 2 * 8 + 8 + 8 * 2 + 2);
  Mat out;
  const Status st = m.forward(Mat::Zero(3, 5), ctx_eval(), out);
  CHECK_FALSE(st.ok);
  CHECK(st.message.find("expected input rows of 2 features") != std::string::npos);

  TwoTower t;
  TwoTowerOptions to;
  to.n_users = 3;
  to.n_items = 4;
  to.dim = 2;
  REQUIRE(two_tower_init(t, to, rng).ok);
  CHECK(param_count(t.params()) == 3 * 2 + 4 * 2 + 3 + 4);
  CHECK_FALSE(t.forward(Ids{0, 1}, Ids{0, 9}, nullptr, nullptr, ctx_eval(), out).ok);
  CHECK_FALSE(t.forward(Ids{0, 1}, Ids{0}, nullptr, nullptr, ctx_eval(), out).ok);
  to.user_meta_dim = 3;  // the dot-product model with features: the dot product plus an MLP on them
  REQUIRE(two_tower_init(t, to, rng).ok);
  CHECK(param_count(t.params()) == 3 * 2 + 4 * 2 + 3 + 4 + (3 * 64 + 64) + (64 + 1));
  {
    Mat feats(2, 3), with, dot_only;
    feats << 1, 2, 3, -1, 0, 0.5f;
    REQUIRE(t.forward(Ids{0, 1}, Ids{2, 3}, &feats, nullptr, ctx_eval(), with).ok);
    Mat mlp_out;
    REQUIRE(t.mlp.forward(feats, ctx_eval(), mlp_out).ok);
    for (Index r = 0; r < 2; ++r) {
      const Scalar expect = t.user.W.row(r).dot(t.item.W.row(r + 2)) + t.user_bias.W(r, 0) + t.item_bias.W(r + 2, 0) +
                            mlp_out(r, 0);
      CHECK(with(r, 0) == doctest::Approx(expect).epsilon(1e-5));
    }
  }
  to.kind = TowerKind::Deep;
  REQUIRE(two_tower_init(t, to, rng).ok);
  const Mat wrong = Mat::Zero(2, 2);
  CHECK_FALSE(t.forward(Ids{0, 1}, Ids{0, 1}, &wrong, nullptr, ctx_eval(), out).ok);
  const Mat right = Mat::Zero(2, 3);
  CHECK(t.forward(Ids{0, 1}, Ids{0, 1}, &right, nullptr, ctx_eval(), out).ok);
  CHECK(out.rows() == 2);
  CHECK(out.cols() == 1);

  // Content-based (no ids): the prediction depends on the features only, so two users with the same
  // features get the same score for an item, whatever their ids; no biases, no id tables.
  to.ids = false;
  CHECK_FALSE(two_tower_init(t, to, rng).ok);  // per-id biases contradict "no ids"
  to.biases = false;
  REQUIRE(two_tower_init(t, to, rng).ok);
  CHECK(t.user.W.size() == 0);
  CHECK(param_count(t.params()) == (3 * 64 + 64) + (64 + 1));  // features 3 -> 64 -> 1
  Mat same(2, 3);
  same << 0.5f, -1, 2, 0.5f, -1, 2;
  REQUIRE(t.forward(Ids{0, 2}, Ids{1, 1}, &same, nullptr, ctx_eval(), out).ok);
  CHECK(out(0, 0) == out(1, 0));
  to.user_meta_dim = 0;
  CHECK_FALSE(two_tower_init(t, to, rng).ok);  // no ids and no features: nothing to learn from
}

TEST_CASE("model save/load: round trip, and clear errors on truncated, damaged or foreign bytes") {
  Rng rng(8);
  Mlp a;
  MlpOptions o;
  o.in = 3;
  o.hidden = {6};
  o.out = 2;
  o.batch_norm = true;
  REQUIRE(mlp_init(a, o, rng).ok);
  for (int k = 0; k < 3; ++k) {  // move the running statistics away from their initial values
    Mat out;
    a.forward(randn_f(16, 3, rng, 2.0, 3.0), ctx_train(rng), out);
  }
  const std::string bytes = model_save(a.state(), "mlp in=3 hidden=6 out=2 bn");
  std::string info;
  REQUIRE(model_peek_info(bytes, info).ok);
  CHECK(info == "mlp in=3 hidden=6 out=2 bn");

  Mlp b;
  Rng other(99);
  REQUIRE(mlp_init(b, o, other).ok);
  const Mat x = randn_f(4, 3, rng);
  Mat ya, yb;
  a.forward(x, ctx_eval(), ya);
  b.forward(x, ctx_eval(), yb);
  CHECK(ya != yb);
  REQUIRE(model_load(bytes, b.state()).ok);
  b.forward(x, ctx_eval(), yb);
  CHECK(ya == yb);  // bit-exact: float32 stored as is, running statistics included

  const Mat before = b.dense[0].W;
  const Status trunc = model_load(std::string_view(bytes).substr(0, bytes.size() - 7), b.state());
  CHECK_FALSE(trunc.ok);
  CHECK(trunc.message.find("truncated") != std::string::npos);
  const Status trunc2 = model_load(std::string_view(bytes).substr(0, 30), b.state());
  CHECK_FALSE(trunc2.ok);
  CHECK(trunc2.message.find("truncated") != std::string::npos);
  const Status foreign = model_load("PK\x03\x04 this is a zip file, not a model", b.state());
  CHECK_FALSE(foreign.ok);
  CHECK(foreign.message.find("not an EmbedLab model") != std::string::npos);
  std::string damaged = bytes;
  damaged[damaged.size() / 2] ^= 0x40;
  const Status dmg = model_load(damaged, b.state());
  CHECK_FALSE(dmg.ok);
  CHECK(dmg.message.find("corrupt") != std::string::npos);
  CHECK(b.dense[0].W == before);  // a failed load leaves the model unchanged

  Mlp c;
  o.hidden = {7};
  REQUIRE(mlp_init(c, o, rng).ok);
  const Status shape = model_load(bytes, c.state());
  CHECK_FALSE(shape.ok);
  CHECK(shape.message.find("3 x 6") != std::string::npos);
}

TEST_CASE("kernels: the float products match a double-precision reference on ragged sizes") {
  // Under -msimd128 these run our wasm_simd128 kernel (8x4 register blocks + scalar edges), elsewhere
  // Eigen: both must agree with the double reference to float accuracy.
  Rng rng(10);
  for (auto [n, k, m] : {std::tuple{1, 1, 1}, {7, 5, 3}, {8, 4, 4}, {13, 17, 9}, {64, 33, 130}}) {
    const Mat a = randn_f(n, k, rng), b = randn_f(k, m, rng), bt = randn_f(m, k, rng), an = randn_f(k, n, rng);
    Mat c;
    matmul(a, b, c);
    const MatD ref = a.cast<double>() * b.cast<double>();
    CHECK((c.cast<double>() - ref).cwiseAbs().maxCoeff() < 1e-4);
    matmul_nt(a, bt, c);
    const MatD ref_nt = a.cast<double>() * bt.cast<double>().transpose();
    CHECK(c.rows() == n);
    CHECK((c.cast<double>() - ref_nt).cwiseAbs().maxCoeff() < 1e-4);
    Mat acc = Mat::Ones(n, m);
    matmul_tn_add(an, b.topRows(k).eval(), acc);  // (k x n)^T (k x m) + 1
    const MatD ref_tn = an.cast<double>().transpose() * b.cast<double>() + MatD::Ones(n, m);
    CHECK((acc.cast<double>() - ref_tn).cwiseAbs().maxCoeff() < 1e-4);
  }
}
