// The training lab blocks of the overfitting and batch-norm lessons: their contracts (the dropout
// mask drops a share p; both dropout scalings keep the expected next-layer input; batch-norm adds
// 2 x width parameters and 2 x width running statistics per layer; a batch of one normalises every
// input to the same output), the noisy-label split, and that divergence is a status, never a NaN.
#include <doctest/doctest.h>

#include "block_test_util.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "runtime/blocks/batchnorm.h"
#include "runtime/blocks/dropout_mask.h"
#include "runtime/blocks/overfit.h"
#include "runtime/lab_block.h"

using namespace lab::runtime;
namespace nn = lab::core::nn;

namespace {

using lab::test::make;
using lab::test::run_to_end;
using lab::test::metric;

}  // namespace

TEST_CASE("dropout-mask: the picture's mask and the sampled masks drop a share p of the units") {
  auto e = make("dropout-mask", "p: 0.3\nhidden: 16\nlayers: 4\nsamples: 20000\n");
  auto* d = dynamic_cast<DropoutMaskExperiment*>(e.get());
  REQUIRE(d);
  run_to_end(*d);
  CHECK(metric(*d, "drop_rate") == doctest::Approx(0.3).epsilon(0.03));
  // Re-sampling many pictures: the dropped share of the drawn masks is about p too, and varies.
  int dropped = 0, units = 0, distinct = 0;
  std::vector<uint8_t> first = d->mask[0];
  for (int k = 0; k < 400; ++k) {
    d->resample();
    for (const auto& m : d->mask)
      for (uint8_t b : m) dropped += 1 - b, ++units;
    distinct += d->mask[0] != first;
  }
  CHECK(double(dropped) / units == doctest::Approx(0.3).epsilon(0.05));
  CHECK(distinct > 300);
  CHECK(d->draws == 401);
  // Kept hidden units carry ReLU output / (1 - p); dropped ones carry 0.
  for (size_t l = 0; l < d->mask.size(); ++l)
    for (size_t j = 0; j < d->mask[l].size(); ++j)
      if (!d->mask[l][j]) CHECK(d->values[l + 1][j] == 0.0);
}

TEST_CASE("dropout-mask: inverted and test-time scaling both give the test-time expected input") {
  for (double p : {0.2, 0.5, 0.8}) {
    auto e = make("dropout-mask", "p: " + std::to_string(p) + "\nsamples: 40000\n");
    run_to_end(*e);
    INFO("p = ", p);
    CHECK(metric(*e, "inverted_error") < 0.03);
    CHECK(metric(*e, "slides_error") < 0.03);
    CHECK(metric(*e, "train_scale") == doctest::Approx(1 / (1 - p)));
    CHECK(metric(*e, "test_scale_slides") == doctest::Approx(1 - p));
  }
  // p = 0: nothing is ever dropped and training equals test exactly.
  auto e = make("dropout-mask", "p: 0\nsamples: 1000\n");
  run_to_end(*e);
  CHECK(metric(*e, "drop_rate") == 0.0);
  CHECK(metric(*e, "inverted_error") < 1e-12);
}

TEST_CASE("digits split: exactly `noisy` training labels become another digit, validation stays clean") {
  DigitsSplit a, b;
  REQUIRE(digits_split(300, 120, 5, a, 200).ok);
  REQUIRE(digits_split(300, 0, 5, b, 200).ok);  // same seed: same rows in the same order
  CHECK(a.x_train.rows() == 300);
  CHECK(a.x_val.rows() == 200);
  int flipped = 0, changed = 0;
  for (int i = 0; i < 300; ++i) {
    flipped += a.flipped[size_t(i)];
    changed += a.y_train[size_t(i)] != b.y_train[size_t(i)];
    CHECK(a.y_train[size_t(i)] >= 0);
    CHECK(a.y_train[size_t(i)] <= 9);
  }
  CHECK(flipped == 120);
  CHECK(changed == 120);  // every randomised label is a *different* digit
  CHECK(a.y_val == b.y_val);
  CHECK(a.x_train.maxCoeff() <= 1.0f);
  DigitsSplit bad;
  CHECK_FALSE(digits_split(300, 301, 5, bad).ok);
}

TEST_CASE("overfit-dropout: a short run finishes with finite metrics and counts memorised noise") {
  auto e = make("overfit-dropout", "train_size: 200\nnoisy_labels: 50\nval_size: 100\nhidden: 64\nepochs: 3\n");
  run_to_end(*e);
  CHECK(e->status().ok);
  for (const Metric& m : e->metrics()) CHECK_MESSAGE(std::isfinite(m.value), m.name);
  auto* o = dynamic_cast<OverfitExperiment*>(e.get());
  REQUIRE(o->memorised.size() == 3);
  CHECK(o->memorised[0].size() == 3);
  CHECK(metric(*e, "best_run") >= 1);
  CHECK(metric(*e, "best_run") <= 3);
  // All three runs start from the same weights: with p1 = p2 they train identically.
  auto same = make("overfit-dropout", "train_size: 200\nnoisy_labels: 50\nval_size: 100\nhidden: 64\nepochs: 2\np1: 0.3\np2: 0.3\n");
  run_to_end(*same);
  CHECK(metric(*same, "final_val_loss_1") == metric(*same, "final_val_loss_2"));
}

TEST_CASE("batchnorm-compare: BN adds 2 x width trainable parameters and 2 x width running statistics per layer") {
  auto e = make("batchnorm-compare", "depth: 3\nwidth: 16\nepochs: 1\ntrain_size: 200\n");
  run_to_end(*e);
  CHECK(metric(*e, "extra_params") == 2 * 16 * 3);
  CHECK(metric(*e, "running_stats") == 2 * 16 * 3);
  // plain: 64*16+16 + 2*(16*16+16) + 16*10+10
  CHECK(metric(*e, "params_plain") == 64 * 16 + 16 + 2 * (16 * 16 + 16) + 16 * 10 + 10);
}

TEST_CASE("batchnorm-compare: a diverging plain net stops with a message and no NaN in its curves") {
  auto e = make("batchnorm-compare", "activation: relu\nlr: 10\nepochs: 3\ntrain_size: 300\n");
  run_to_end(*e);
  auto* b = dynamic_cast<BatchnormCompareExperiment*>(e.get());
  REQUIRE(b);
  CHECK(e->status().ok);  // the block goes on: only the diverged run stops
  CHECK(metric(*e, "diverged_plain") == 1.0);
  CHECK(b->runs[0].status.message.find("diverged") != std::string::npos);
  for (const TrainRun& r : b->runs) {
    for (float v : r.history().batch_loss) CHECK(std::isfinite(v));
    for (float v : r.history().val_loss) CHECK(std::isfinite(v));
  }
  for (const ActivationSnapshot& s : b->snapshots)
    for (const auto& layer : s.values)
      for (float v : layer) REQUIRE(std::isfinite(v));
}

TEST_CASE("batchnorm-inference: running averages work at test time, a batch of one maps every input to one output") {
  auto e = make("batchnorm-inference", "epochs: 3\neval_batch: 1\n");
  run_to_end(*e);
  CHECK(metric(*e, "val_acc_running") > 0.85);
  CHECK(metric(*e, "val_acc_batch_stats") < 0.2);
  CHECK(metric(*e, "bn_params") == 2 * 64 * 2);
  CHECK(metric(*e, "bn_running_stats") == 2 * 64 * 2);
  auto* b = dynamic_cast<BatchnormInferenceExperiment*>(e.get());
  REQUIRE(b);
  // Train-mode forward of single rows: the output is the same whatever the input.
  lab::core::nn::Mlp copy = b->runs[0].objective->model;
  lab::core::Rng rng(1);
  lab::core::Mat o1, o2;
  REQUIRE(copy.forward(b->data.x_val.topRows(1), lab::core::nn::ctx_train(rng), o1).ok);
  REQUIRE(copy.forward(b->data.x_val.middleRows(5, 1), lab::core::nn::ctx_train(rng), o2).ok);
  CHECK((o1 - o2).cwiseAbs().maxCoeff() < 1e-5f);
  // Evaluating in large batches with their own statistics works (but depends on the batch).
  CHECK(accuracy_with_batch_stats(b->runs[0].objective->model, b->data.x_val, b->data.y_val, 256) > 0.8);
}

namespace {

// accuracy_with_batch_stats as it was written before the evaluation was sliced: the reference.
double batch_stats_accuracy_reference(const nn::Mlp& model, const lab::core::Mat& x, const nn::Ids& y, int batch) {
  nn::Mlp copy = model;
  lab::core::Rng rng(7);
  lab::core::Index correct = 0;
  lab::core::Mat out;
  for (lab::core::Index start = 0; start < x.rows(); start += batch) {
    const lab::core::Index b = std::min<lab::core::Index>(batch, x.rows() - start);
    if (!copy.forward(x.middleRows(start, b), nn::ctx_train(rng), out)) return 0;
    for (lab::core::Index i = 0; i < b; ++i) {
      lab::core::Index arg = 0;
      out.row(i).maxCoeff(&arg);
      correct += arg == y[size_t(start + i)];
    }
  }
  return x.rows() ? double(correct) / double(x.rows()) : 0.0;
}

}  // namespace

TEST_CASE("batchnorm-inference: the evaluation runs in slices, on the model exactly as it was at the end of each epoch") {
  const std::string body = "epochs: 3\neval_batch: 7\ntrain_size: 1000\ndepth: 2\nwidth: 32\nbatch_size: 64\n";
  // Budget 0: every slice does one unit of work (a mini-batch, a validation slice or an evaluation batch).
  auto sliced = make("batchnorm-inference", body);
  auto* s = dynamic_cast<BatchnormInferenceExperiment*>(sliced.get());
  REQUIRE(s);
  int slices = 0, evaluating = 0;
  std::string text;
  while (!sliced->done() && slices < 100000) {
    sliced->step(0.0);
    ++slices;
    evaluating += s->evaluating;
    if (s->evaluating && text.empty()) text = sliced->progress_text();
  }
  CHECK(text.find("evaluating") != std::string::npos);
  REQUIRE(sliced->done());
  REQUIRE(s->acc_batch.size() == 3);
  CHECK(evaluating > 3 * (797 / 7));  // 797 validation rows, 7 per evaluation batch, per epoch
  // The same block trained batch by batch to each epoch's end, evaluated there in one call.
  auto ref = make("batchnorm-inference", body);
  auto* r = dynamic_cast<BatchnormInferenceExperiment*>(ref.get());
  REQUIRE(r);
  TrainRun& run = r->runs[0];
  for (int epoch = 0; epoch < 3; ++epoch) {
    while (run.epochs_done() == epoch) REQUIRE(nn::trainer_step(run.tr, 0).ok);
    const nn::Mlp& m = run.objective->model;
    const double batch_stats = batch_stats_accuracy_reference(m, r->data.x_val, r->data.y_val, 7);
    CHECK(accuracy_with_batch_stats(m, r->data.x_val, r->data.y_val, 7) == batch_stats);
    CHECK(s->acc_batch[size_t(epoch)] == float(batch_stats));
    nn::Mlp fresh = m;
    for (nn::BatchNorm1d& b : fresh.bn) {
      b.running_mean.setZero();
      b.running_var.setOnes();
    }
    CHECK(s->acc_init[size_t(epoch)] == float(accuracy_eval(fresh, r->data.x_val, r->data.y_val)));
    CHECK(s->acc_running[size_t(epoch)] == run.history().val_metric[size_t(epoch)]);
  }
  // Larger slices give the same values: they no longer depend on where a slice ends.
  auto big = make("batchnorm-inference", body);
  run_to_end(*big);
  auto* bb = dynamic_cast<BatchnormInferenceExperiment*>(big.get());
  CHECK(bb->acc_batch == s->acc_batch);
  CHECK(bb->acc_init == s->acc_init);
  CHECK(bb->acc_running == s->acc_running);
}

TEST_CASE("per-epoch measurements do not depend on where the slices end (overfit, batchnorm-compare)") {
  const std::string overfit = "hidden: 64\ntrain_size: 300\nnoisy_labels: 100\nval_size: 100\nepochs: 4\nbatch_size: 32\n";
  auto a = make("overfit-dropout", overfit), b = make("overfit-dropout", overfit);
  for (int i = 0; i < 100000 && !a->done(); ++i) a->step(0.0);  // one unit of work per slice
  run_to_end(*b);
  auto* oa = dynamic_cast<OverfitExperiment*>(a.get());
  auto* ob = dynamic_cast<OverfitExperiment*>(b.get());
  REQUIRE(oa);
  REQUIRE(ob);
  REQUIRE(oa->memorised.size() == 3);
  for (size_t r = 0; r < 3; ++r) {
    CHECK(oa->memorised[r].size() == 4);
    CHECK(oa->memorised[r] == ob->memorised[r]);
  }
  const std::string compare = "depth: 3\nwidth: 16\nepochs: 3\ntrain_size: 300\nbatch_size: 32\n";
  auto c = make("batchnorm-compare", compare), d = make("batchnorm-compare", compare);
  for (int i = 0; i < 100000 && !c->done(); ++i) c->step(0.0);
  run_to_end(*d);
  auto* bc = dynamic_cast<BatchnormCompareExperiment*>(c.get());
  auto* bd = dynamic_cast<BatchnormCompareExperiment*>(d.get());
  REQUIRE(bc);
  REQUIRE(bd);
  for (size_t r = 0; r < 2; ++r) {
    CHECK(bc->snapshots[r].epoch == 3);
    CHECK(bc->snapshots[r].std == bd->snapshots[r].std);
    CHECK(bc->snapshots[r].values == bd->snapshots[r].values);
  }
}
