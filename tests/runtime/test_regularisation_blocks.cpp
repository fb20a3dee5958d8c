// The regularisation blocks of lesson 04b: the depth knob of the overfitting kinds (layers × hidden
// units, counted independently), and dropout-ensemble's contract — the K-mask mean of a one-hidden-
// layer net's logits tends to the full net's (inverted dropout: E[mask] = 1), its gap falls like
// 1/√K, with p = 0 every thinned net is the full net, and the masks do not depend on the slices —
// and embedding-size's sweep (one MF model per d, each held-out error above the noise floor).
#include <doctest/doctest.h>

#include "block_test_util.h"

#include <cmath>
#include <string>
#include <vector>
#include <algorithm>

#include "runtime/blocks/dropout_ensemble.h"
#include "runtime/blocks/embedding_size.h"
#include "runtime/blocks/overfit.h"
#include "runtime/lab_block.h"

using namespace lab::runtime;
namespace nn = lab::core::nn;

namespace {

using lab::test::make;
using lab::test::metric;
using lab::test::run_to_end;

// Parameters of an MLP 64 → layers × hidden → 10, counted by hand.
double mlp_params(int layers, int hidden) {
  return 64.0 * hidden + hidden + (layers - 1) * (double(hidden) * hidden + hidden) + hidden * 10.0 + 10;
}

const std::string small_ensemble = "train_size: 300\nval_size: 200\nhidden: 64\nepochs: 4\n";

}  // namespace

TEST_CASE("overfit-regularise: `layers` stacks that many hidden layers, each `hidden` wide") {
  auto e = make("overfit-regularise", "hidden: 16\nlayers: 3\nhidden_ref: 16\nlayers_ref: 1\nl2: 0\nepochs: 1\ntrain_size: 100\nnoisy_labels: 0\nval_size: 60");
  auto* o = dynamic_cast<OverfitExperiment*>(e.get());
  REQUIRE(o);
  REQUIRE(o->runs.size() == 2);
  CHECK(o->runs[0].objective->model.dense.size() == 2);
  CHECK(o->runs[1].objective->model.dense.size() == 4);
  CHECK(o->runs[1].objective->model.drop.size() == 3);
  CHECK(o->runs[1].label.find("3 × 16 units") != std::string::npos);
  CHECK(o->runs[0].label.find("reference: 16 units") != std::string::npos);
  CHECK(metric(*e, "params_ref") == mlp_params(1, 16));
  CHECK(metric(*e, "params") == mlp_params(3, 16));
  run_to_end(*e);
  // One epoch on 100 rows: a validation error between 0 and 1, the same as 1 − the logged accuracy (one epoch: the mean of the last 5 is that epoch).
  const double err = metric(*e, "val_err");
  CHECK(err == doctest::Approx(1.0 - double(o->runs[1].history().val_metric.back())));
  CHECK(metric(*e, "train_loss") == doctest::Approx(double(o->runs[1].history().train_loss.back())));
}

TEST_CASE("overfit kinds: a depth outside 1..8 is refused with a message naming the parameter") {
  for (const char* kind : {"overfit-regularise", "overfit-dropout"}) {
    CAPTURE(kind);
    const LabBlock b = lab_block_parse(kind, "layers: 0\n", "test.md", 1, 2);
    REQUIRE_FALSE(b.ok());
    REQUIRE(!b.diagnostics.empty());
    CHECK(b.diagnostics[0].message.find("layers") != std::string::npos);
  }
}

TEST_CASE("overfit kinds: a net too deep and wide to train in seconds is refused, saying what to change") {
  const LabBlock b = lab_block_parse("overfit-regularise", "layers: 8\nhidden: 1024\n", "test.md", 1, 2);
  REQUIRE_FALSE(b.ok());
  CHECK(b.diagnostics[0].message.find("fewer or narrower layers") != std::string::npos);
  const LabBlock ref = lab_block_parse("overfit-regularise", "layers_ref: 3\nhidden_ref: 1024\n", "test.md", 1, 2);
  REQUIRE_FALSE(ref.ok());
  CHECK(ref.diagnostics[0].message.find("layers_ref = 3") != std::string::npos);
  CHECK(lab_block_parse("overfit-dropout", "layers: 8\nhidden: 128\n", "test.md", 1, 2).ok());  // 125 194 parameters
}

TEST_CASE("dropout-ensemble: the mean of K thinned networks tends to the full network, its logit gap like 1/sqrt(K)") {
  auto e = make("dropout-ensemble", small_ensemble + "masks: 100\n");
  auto* d = dynamic_cast<DropoutEnsembleExperiment*>(e.get());
  REQUIRE(d);
  run_to_end(*d);
  REQUIRE(d->logit_gap.size() == 100);
  // One hidden layer: the logits are linear in the mask, E[mask] = 1 (inverted dropout), so the
  // K-mean's gap is a mean of |zero-mean noise| with variance ∝ 1/K: gap(100) ≈ gap(1) / 10.
  const double ratio = double(d->logit_gap[99]) / double(d->logit_gap[0]);
  CHECK(ratio > 0.06);
  CHECK(ratio < 0.16);
  CHECK(d->logit_gap[24] < d->logit_gap[3]);
  // The probabilities' gap falls too, though not to 0 (mean of softmax ≠ softmax of the mean).
  CHECK(d->prob_gap[99] < 0.5 * d->prob_gap[0]);
  CHECK(metric(*e, "agree_mc") > 0.95);
  CHECK(metric(*e, "acc_full") > 0.7);  // it learnt the digits (chance: 0.1)
}

TEST_CASE("dropout-ensemble: with p = 0 every thinned network is the full network") {
  auto e = make("dropout-ensemble", small_ensemble + "p: 0\nmasks: 5\n");
  run_to_end(*e);
  CHECK(metric(*e, "logit_gap_1") == doctest::Approx(0).epsilon(1e-5));
  CHECK(metric(*e, "prob_gap") == doctest::Approx(0).epsilon(1e-5));
  CHECK(metric(*e, "acc_mc") == doctest::Approx(metric(*e, "acc_full")));
  CHECK(metric(*e, "agree_1") == 1.0);
}

TEST_CASE("dropout-ensemble: the masks, and so every metric, do not depend on where the slices end") {
  auto a = make("dropout-ensemble", small_ensemble + "masks: 30\n");
  auto b = make("dropout-ensemble", small_ensemble + "masks: 30\n");
  run_to_end(*a, 1000);
  run_to_end(*b, 0.01);
  const std::vector<Metric> ma = a->metrics(), mb = b->metrics();
  REQUIRE(ma.size() == mb.size());
  for (size_t i = 0; i < ma.size(); ++i) CHECK_MESSAGE(ma[i].value == mb[i].value, ma[i].name);
}

TEST_CASE("embedding-size: one MF model per d = 1, 2, 4, ..., each with d-dimensional embeddings") {
  auto e = make("embedding-size", "dim_max: 8\nepochs: 2\n");
  auto* s = dynamic_cast<EmbeddingSizeExperiment*>(e.get());
  REQUIRE(s);
  CHECK(s->dims == std::vector<int>{1, 2, 4, 8});
  size_t seen = 0;
  for (int i = 0; i < 100000 && !s->done(); ++i) {
    s->step(20);
    if (s->current_started && s->rt.rating) {
      CHECK(s->rt.rating->model.opt.dim == s->dims[s->current]);
      seen = std::max(seen, s->current + 1);
    }
  }
  REQUIRE(s->status().ok);
  CHECK(seen == 4);
  REQUIRE(s->val_rmse.size() == 4);
  for (size_t i = 0; i < 4; ++i) {
    CHECK(s->val_rmse[i] > s->noise_floor);  // nothing beats the generator's noise on held-out ratings
    CHECK(s->train_rmse[i] > 0);
  }
  const int b = s->best_index();
  CHECK(metric(*e, "best_dim") == s->dims[size_t(b)]);
  CHECK(metric(*e, "rise_large") == doctest::Approx(s->val_rmse.back() - s->val_rmse[size_t(b)]));
  CHECK(metric(*e, "rise_small") >= 0);
  CHECK(metric(*e, "rise_large") >= 0);
}
