// Gradient checks: every layer, loss and model of src/core/nn, for inputs AND parameters, in double
// precision (the same templated code the app runs in float). Loss for a layer: L = sum(out .* R)
// with a fixed random R, so dL/dout = R. Central differences with h = 1e-5; the error of an entry is
// |num - ana| / max(1, |num|, |ana|) and the tolerance is stated per test.
#include <doctest/doctest.h>

#include <cmath>

#include "core/nn/grad_check.h"
#include "core/nn/layers.h"
#include "core/nn/losses.h"
#include "core/nn/models.h"

using namespace lab::core;
using namespace lab::core::nn;

namespace {

MatD randn(Index r, Index c, Rng& rng, double scale = 1.0) {
  MatD m(r, c);
  for (Index i = 0; i < m.size(); ++i) m.data()[i] = scale * rng_normal(rng);
  return m;
}

double proj(const MatD& out, const MatD& R) { return (out.array() * R.array()).sum(); }

void expect_grad(MatD& x, const MatD& analytic, const std::function<double()>& f, double tol, const char* what,
                 const std::function<bool(Index)>& skip = {}) {
  const GradCheckResult r = grad_check(x, analytic, f, 1e-5, false, skip);
  INFO(what << ": worst entry " << r.worst << " numeric " << r.worst_numeric << " analytic " << r.worst_analytic
            << " (checked " << r.checked << ", skipped " << r.skipped << ")");
  CHECK(r.checked > 0);
  CHECK(r.max_err < tol);
}

template <class Layer>
void expect_param_grads(Layer& layer, const std::function<double()>& f, double tol) {
  for (auto& p : layer.params()) {
    const MatD ana = *p.grad;
    expect_grad(*p.value, ana, f, tol, p.name.c_str());
  }
}

}  // namespace

TEST_CASE("gradcheck: Dense, input and parameters") {
  Rng rng(1);
  DenseD d;
  d.init(4, 3, rng);
  d.b = randn(1, 3, rng);
  MatD x = randn(5, 4, rng), R = randn(5, 3, rng);
  auto f = [&] { return proj(d.forward(x, ctx_eval()), R); };
  d.zero_grad();
  d.forward(x, ctx_eval());
  const MatD dx = d.backward(R);
  expect_grad(x, dx, f, 1e-8, "dense d_in");
  expect_param_grads(d, f, 1e-8);
}

TEST_CASE("gradcheck: activations (ReLU kinks skipped), softmax") {
  Rng rng(2);
  for (Act kind : {Act::Relu, Act::Tanh, Act::Sigmoid, Act::Identity}) {
    ActivationT<double> a;
    a.kind = kind;
    MatD x = randn(6, 5, rng, 2.0), R = randn(6, 5, rng);
    x(0, 0) = 0.0;    // exactly at the ReLU kink
    x(1, 1) = 3e-6;   // within h of it
    auto f = [&] { return proj(a.forward(x, ctx_eval()), R); };
    a.forward(x, ctx_eval());
    const MatD dx = a.backward(R);
    std::function<bool(Index)> skip;
    if (kind == Act::Relu) skip = [&](Index k) { return std::abs(x.data()[k]) < 1e-4; };
    expect_grad(x, dx, f, 1e-7, act_name(kind), skip);
  }
  SoftmaxT<double> s;
  MatD x = randn(4, 6, rng, 3.0), R = randn(4, 6, rng);
  auto f = [&] { return proj(s.forward(x, ctx_eval()), R); };
  s.forward(x, ctx_eval());
  const MatD dx = s.backward(R);
  expect_grad(x, dx, f, 1e-8, "softmax");
}

TEST_CASE("gradcheck: dropout with a fixed mask in training mode") {
  Rng rng(3);
  DropoutT<double> d;
  d.p = 0.4;
  MatD x = randn(7, 5, rng), R = randn(7, 5, rng);
  d.fixed_mask.resize(7, 5);
  for (Index i = 0; i < d.fixed_mask.size(); ++i) d.fixed_mask.data()[i] = rng_bernoulli(rng, 0.6) ? 1.0 : 0.0;
  Rng unused(0);
  const ForwardCtx train = ctx_train(unused);
  auto f = [&] { return proj(d.forward(x, train), R); };
  d.forward(x, train);
  const MatD dx = d.backward(R);
  CHECK(dx.cwiseAbs().maxCoeff() > 0);
  expect_grad(x, dx, f, 1e-8, "dropout");
}

TEST_CASE("gradcheck: batch-norm in training and eval mode, input and gamma/beta") {
  Rng rng(4);
  for (Mode mode : {Mode::Train, Mode::Eval}) {
    BatchNorm1dT<double> bn;
    bn.init(3);
    bn.gamma = randn(1, 3, rng);
    bn.beta = randn(1, 3, rng);
    bn.running_mean = randn(1, 3, rng);
    bn.running_var = MatD::Constant(1, 3, 2.0);
    if (mode == Mode::Eval) bn.momentum = 0;
    MatD x = randn(8, 3, rng, 2.0), R = randn(8, 3, rng);
    Rng unused(0);
    const ForwardCtx ctx = mode == Mode::Train ? ctx_train(unused) : ctx_eval();
    auto f = [&] { return proj(bn.forward(x, ctx), R); };
    bn.zero_grad();
    bn.forward(x, ctx);
    const MatD dx = bn.backward(R);
    expect_grad(x, dx, f, 1e-7, mode == Mode::Train ? "bn train d_in" : "bn eval d_in");
    expect_param_grads(bn, f, 1e-7);
  }
}

TEST_CASE("gradcheck: embedding scatter-add with repeated ids") {
  Rng rng(5);
  EmbeddingT<double> e;
  REQUIRE(e.init(4, 3, rng, 1.0).ok);
  const Ids ids = {0, 2, 2, 1, 2, 0};
  MatD R = randn(6, 3, rng);
  auto f = [&] {
    MatD out;
    REQUIRE(e.forward(ids, out).ok);
    return proj(out, R);
  };
  MatD out;
  e.zero_grad();
  REQUIRE(e.forward(ids, out).ok);
  e.backward(R);
  CHECK(e.dW.row(3).norm() == 0.0);  // never looked up
  expect_param_grads(e, f, 1e-8);
}

TEST_CASE("gradcheck: embedding bag (embedding + mean pool), bags of 2, 1, 0 and 3 rows") {
  Rng rng(15);
  EmbeddingT<double> e;
  REQUIRE(e.init(5, 3, rng, 1.0).ok);
  MeanPoolT<double> pool;
  const Ids ids = {0, 2, 4, 2, 2, 1};  // bags {0, 2}, {4}, {}, {2, 2, 1}
  const std::vector<Index> offsets = {0, 2, 3, 3, 6};
  MatD R = randn(4, 3, rng);
  auto f = [&] {
    MatD rows, out;
    REQUIRE(e.forward(ids, rows).ok);
    REQUIRE(pool.forward(rows, offsets, out).ok);
    return proj(out, R);
  };
  MatD rows, out;
  e.zero_grad();
  REQUIRE(e.forward(ids, rows).ok);
  REQUIRE(pool.forward(rows, offsets, out).ok);
  CHECK(out.row(2).norm() == 0.0);  // the empty bag
  CHECK(out(3, 1) == doctest::Approx((2 * e.W(2, 1) + e.W(1, 1)) / 3));
  e.backward(pool.backward(R));
  CHECK(e.dW.row(3).norm() == 0.0);  // in no bag
  expect_param_grads(e, f, 1e-8);
  // the input gradient of the pool alone
  MatD x = randn(6, 3, rng);
  auto g = [&] {
    MatD o;
    REQUIRE(pool.forward(x, offsets, o).ok);
    return proj(o, R);
  };
  REQUIRE(pool.forward(x, offsets, out).ok);
  expect_grad(x, pool.backward(R), g, 1e-8, "mean pool d_in");
  const std::vector<Index> bad = {0, 4, 3, 6};
  CHECK_FALSE(pool.forward(x, bad, out).ok);  // decreasing
  const std::vector<Index> short_end = {0, 2, 5};
  CHECK_FALSE(pool.forward(x, short_end, out).ok);  // does not cover the 6 rows
}

TEST_CASE("gradcheck: concat, dot and cosine merges") {
  Rng rng(6);
  MatD a = randn(5, 3, rng), b = randn(5, 2, rng), R = randn(5, 5, rng);
  ConcatT<double> c;
  auto fc = [&] { return proj(c.forward({&a, &b}), R); };
  c.forward({&a, &b});
  const auto parts = c.backward(R);
  expect_grad(a, parts[0], fc, 1e-8, "concat a");
  expect_grad(b, parts[1], fc, 1e-8, "concat b");

  MatD u = randn(6, 4, rng), v = randn(6, 4, rng), r = randn(6, 1, rng);
  u.row(5).setZero();  // cosine of a zero vector: smoothed norm, finite gradient
  DotT<double> dot;
  auto fd = [&] { return proj(dot.forward(u, v), r); };
  MatD du, dv;
  dot.forward(u, v);
  dot.backward(r, du, dv);
  expect_grad(u, du, fd, 1e-8, "dot a");
  expect_grad(v, dv, fd, 1e-8, "dot b");

  u.row(5) = randn(1, 4, rng);
  CosineT<double> cs;
  auto fcs = [&] { return proj(cs.forward(u, v), r); };
  cs.forward(u, v);
  cs.backward(r, du, dv);
  expect_grad(u, du, fcs, 1e-7, "cosine a");
  expect_grad(v, dv, fcs, 1e-7, "cosine b");
}

TEST_CASE("gradcheck: MSE, MAE, binary and softmax cross-entropy") {
  Rng rng(7);
  MatD p = randn(6, 2, rng), t = randn(6, 2, rng);
  {
    auto f = [&] { return mse_loss(p, t).value; };
    expect_grad(p, mse_loss(p, t).grad, f, 1e-8, "mse");
  }
  {
    auto f = [&] { return mae_loss(p, t).value; };
    auto skip = [&](Index k) { return std::abs(p.data()[k] - t.data()[k]) < 1e-4; };
    expect_grad(p, mae_loss(p, t).grad, f, 1e-8, "mae", skip);
  }
  {
    MatD z = randn(6, 2, rng, 3.0), y(6, 2);
    z(0, 0) = 40;   // far in the tails: must stay finite and exact
    z(1, 0) = -40;
    for (Index i = 0; i < y.size(); ++i) y.data()[i] = rng_bernoulli(rng, 0.5) ? 1.0 : 0.0;
    y(2, 1) = 0.3;  // soft target
    auto f = [&] { return bce_with_logits_loss(z, y).value; };
    const auto L = bce_with_logits_loss(z, y);
    CHECK(std::isfinite(L.value));
    expect_grad(z, L.grad, f, 1e-8, "bce");
  }
  {
    MatD z = randn(5, 4, rng, 3.0);
    z(0, 1) = 500;  // large logit: stable log-sum-exp
    const Ids labels = {1, 0, 3, 3, 2};
    auto f = [&] { return softmax_cross_entropy_loss(z, labels).value; };
    const auto L = softmax_cross_entropy_loss(z, labels);
    REQUIRE(L.status.ok);
    CHECK(std::isfinite(L.value));
    expect_grad(z, L.grad, f, 1e-8, "softmax ce");
  }
}

TEST_CASE("gradcheck: triplet margin loss, dot and cosine (hinge boundary skipped)") {
  Rng rng(8);
  for (Measure sim : {Measure::Dot, Measure::Cosine}) {
    const double margin = 0.5;
    MatD a = randn(8, 3, rng), p = randn(8, 3, rng), n = randn(8, 3, rng);
    p.row(0) = a.row(0) * 3;  // far beyond the margin: zero gradient for this triplet
    n.row(0) = -a.row(0);
    auto L = [&] { return triplet_margin_loss(a, p, n, margin, sim); };
    const auto r = L();
    REQUIRE(r.status.ok);
    CHECK(r.active_fraction > 0);
    CHECK(r.active_fraction < 1);
    // Skip whole triplets whose hinge argument is within 1e-3 of 0 (a perturbation could cross it).
    MatD s_ap, s_an;
    if (sim == Measure::Dot) {
      DotT<double> d1, d2;
      s_ap = d1.forward(a, p);
      s_an = d2.forward(a, n);
    } else {
      CosineT<double> c1, c2;
      s_ap = c1.forward(a, p);
      s_an = c2.forward(a, n);
    }
    auto skip = [&](Index k) { const Index i = k % 8; return std::abs(margin - s_ap(i, 0) + s_an(i, 0)) < 1e-3; };
    auto f = [&] { return L().value; };
    expect_grad(a, r.d_anchor, f, 1e-7, "triplet anchor", skip);
    expect_grad(p, r.d_pos, f, 1e-7, "triplet positive", skip);
    expect_grad(n, r.d_neg, f, 1e-7, "triplet negative", skip);
  }
}

TEST_CASE("gradcheck: L2 penalty on chosen parameters") {
  Rng rng(9);
  MatD w1 = randn(3, 2, rng), w2 = randn(4, 1, rng), g1 = MatD::Zero(3, 2), g2 = MatD::Zero(4, 1);
  const std::vector<ParamRefT<double>> ps = {{&w1, &g1, "a"}, {&w2, &g2, "b"}};
  l2_penalty(ps, 0.3);
  MatD scratch1 = g1, scratch2 = g2;
  auto f = [&] {
    MatD z1 = MatD::Zero(3, 2), z2 = MatD::Zero(4, 1);
    return l2_penalty<double>({{&w1, &z1, "a"}, {&w2, &z2, "b"}}, 0.3);
  };
  expect_grad(w1, scratch1, f, 1e-8, "l2 a");
  expect_grad(w2, scratch2, f, 1e-8, "l2 b");
}

TEST_CASE("gradcheck: whole models (MLP with batch-norm + dropout in train mode, two-tower)") {
  Rng rng(10);
  SUBCASE("MLP") {
    MlpD m;
    MlpOptions o;
    o.in = 3;
    o.hidden = {5, 4};
    o.out = 2;
    o.act = Act::Tanh;
    o.dropout = 0.3;
    o.batch_norm = true;
    REQUIRE(mlp_init(m, o, rng).ok);
    MatD x = randn(6, 3, rng), R = randn(6, 2, rng);
    // Re-seeding the dropout stream in every evaluation gives the same masks each time.
    auto run = [&] {
      Rng r(77);
      MatD out;
      REQUIRE(m.forward(x, ctx_train(r), out).ok);
      return out;
    };
    auto f = [&] { return proj(run(), R); };
    m.zero_grad();
    run();
    const MatD dx = m.backward(R);
    expect_grad(x, dx, f, 1e-6, "mlp d_in");
    expect_param_grads(m, f, 1e-6);
  }
  SUBCASE("two-tower MF, deep with metadata, content-only (no ids), MF + feature MLP (hybrid)") {
    for (int variant : {0, 1, 2, 3}) {
      const TowerKind kind = variant == 0 || variant == 3 ? TowerKind::Mf : TowerKind::Deep;
      const bool ids = variant != 2;
      TwoTowerD m;
      TwoTowerOptions o;
      o.n_users = 5;
      o.n_items = 4;
      o.dim = 3;
      o.kind = kind;
      o.global_mean = 3.5;
      o.init_scale = 0.5;
      const bool deep = variant != 0;  // has features (and an MLP)
      if (deep) {
        o.user_meta_dim = 2;
        o.item_meta_dim = 1;
        o.hidden = {6};
        o.act = Act::Sigmoid;
      }
      o.ids = ids;
      o.biases = ids;
      REQUIRE(two_tower_init(m, o, rng).ok);
      if (ids) m.user_bias.W = randn(5, 1, rng);
      CHECK(m.params().size() == (variant == 0 || variant == 2 ? 4u : 8u));  // content: the MLP's W, b only
      const Ids users = {0, 4, 4, 2, 1, 0}, items = {3, 3, 1, 0, 2, 3};
      MatD um = randn(6, 2, rng), im = randn(6, 1, rng), R = randn(6, 1, rng);
      auto f = [&] {
        MatD out;
        REQUIRE(m.forward(users, items, deep ? &um : nullptr, deep ? &im : nullptr, ctx_eval(), out).ok);
        return proj(out, R);
      };
      m.zero_grad();
      f();
      m.backward(R);
      expect_param_grads(m, f, 1e-7);
    }
  }
}
