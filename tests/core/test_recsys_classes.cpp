// Ratings as 5 classes (RatingClassObjective, the course's classification notebook): it learns — its
// argmax rating beats the two constant predictions on held-out ratings — and a run on shuffled
// training labels (the same model, nothing to learn) does not.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "core/recsys/models.h"

using namespace lab::core;
using namespace lab::core::nn;
using namespace lab::core::recsys;

namespace {

// The course's settings (d 16, Dense 128, 128, dropout 0.5 on [u | v] and 0.2 after the first
// hidden layer) with fewer epochs at a larger learning rate, so that the test is quick.
RecEval classes_run(const RecData& d, const Split& s, int epochs, RecTrainer& rt) {
  RecModelOptions o;
  o.dim = 16;
  o.hidden = {128, 128};
  o.dropout = 0.5;
  o.dropout_hidden = 0.2;
  TrainerOptions to;
  to.epochs = epochs;
  to.batch_size = 64;
  to.optim.lr = 3e-3;
  to.optim.lazy = true;
  REQUIRE(rec_init_classes(rt, d, s, o, to).ok);
  REQUIRE(trainer_run_to_end(rt.trainer).ok);
  return rec_evaluate(rt, d);
}

// MAE on the test ratings of a constant prediction c.
double constant_mae(const RecData& d, const Split& s, double c) {
  double sum = 0;
  for (uint32_t k : s.test) sum += std::abs(double(d.ratings[k].rating) - c);
  return sum / double(s.test.size());
}

}  // namespace

TEST_CASE("recsys 5 classes: beats the majority class and the mean rating, and shuffled labels do not") {
  RecData d;
  REQUIRE(synth_generate(synth_small(2), d).ok);  // 300 users x 500 movies, 12,000 ratings
  const Split s = split_random(d, 0.2, 2);
  // The baselines, from the training ratings only.
  std::array<int, 5> count{};
  double mean = 0;
  for (uint32_t k : s.train) {
    ++count[size_t(d.ratings[k].rating) - 1];
    mean += d.ratings[k].rating;
  }
  mean /= double(s.train.size());
  const int majority = int(std::max_element(count.begin(), count.end()) - count.begin()) + 1;
  const double mae_majority = constant_mae(d, s, majority);
  const double mae_mean = constant_mae(d, s, mean);

  RecTrainer rt;
  const RecEval e = classes_run(d, s, 6, rt);
  // The model predicts whole stars: every prediction is one of 1..5.
  std::vector<float> p;
  REQUIRE(rt.classes->predict(rt.classes->val.users, rt.classes->val.items, p).ok);
  for (float r : p) REQUIRE((r >= 1 && r <= 5 && r == std::floor(r)));
  // The trainer's per-epoch metric is the same MAE, measured batch by batch on the test ratings.
  CHECK(rt.trainer.history.val_metric.back() == doctest::Approx(e.mae).epsilon(1e-6));

  // The same model on shuffled training labels: the ratings' distribution is kept, their link to the
  // (user, movie) pair is gone.
  RecData shuffled = d;
  std::vector<float> labels;
  for (uint32_t k : s.train) labels.push_back(d.ratings[k].rating);
  Rng rng(7);
  for (size_t i = labels.size(); i > 1; --i) std::swap(labels[i - 1], labels[rng_below(rng, uint32_t(i))]);
  for (size_t j = 0; j < s.train.size(); ++j) shuffled.ratings[s.train[j]].rating = labels[j];
  RecTrainer rt_shuffled;
  const RecEval es = classes_run(shuffled, s, 6, rt_shuffled);

  MESSAGE("5 classes: test MAE " << e.mae << " (shuffled labels " << es.mae << "); majority class " << majority << ": "
                                 << mae_majority << ", mean rating " << mean << ": " << mae_mean << "; noise floor "
                                 << e.noise_floor_mae);
  CHECK(e.mae < mae_majority - 0.1);
  CHECK(e.mae < mae_mean - 0.1);
  CHECK(es.mae > mae_majority - 0.03);  // nothing learned beyond the marginal distribution
  CHECK(es.mae > e.mae + 0.1);
}

TEST_CASE("recsys 5 classes: a rating that is not a whole number of stars is refused, with the value") {
  RecData d;
  REQUIRE(synth_generate(synth_small(3), d).ok);
  d.ratings[5].rating = 3.5f;
  Split s;
  for (uint32_t k = 0; k < 100; ++k) (k % 5 ? s.train : s.test).push_back(k);
  RecModelOptions o;
  o.dim = 4;
  o.hidden = {8};
  TrainerOptions to;
  to.epochs = 1;
  RecTrainer rt;
  const Status st = rec_init_classes(rt, d, s, o, to);
  REQUIRE_FALSE(st.ok);
  CHECK(st.message.find("3.5") != std::string::npos);
}
