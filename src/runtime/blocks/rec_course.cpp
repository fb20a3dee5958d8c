// "rec-course": the course's recommender notebooks' models and settings on the lessons' ratings.
#include "runtime/blocks/rec_course.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "runtime/blocks/rec_explicit.h"
#include "runtime/blocks/rec_user_data.h"

namespace lab::runtime {

namespace rs = core::recsys;

namespace {

// The course's settings (labs/03_neural_recsys of m2dsupsdlclass/lectures-labs; README's
// "Recommender data" gives the same protocol for the CLI): Adam 1e-3, batch 64, embeddings of 64,
// 10 epochs (15 for the deep triplet model), no L2. The lab's Adam updates only the embedding rows a
// batch touches (lazy Adam, as the other recommender blocks), so that a run fits the page.
RecCourseRow row(const char* label, const char* metric, double course, rs::ModelKind kind, int epochs, double lr,
                 uint64_t seed) {
  RecCourseRow r;
  r.label = label;
  r.metric = metric;
  r.course = course;
  r.model.kind = kind;
  r.model.dim = 64;
  r.model.l2 = 0;
  r.model.loss = rs::RatingLoss::Mae;
  r.model.hidden = {64};
  r.model.dropout = 0.5;
  r.model.margin = 1.0;
  r.model.seed = seed;
  r.train.epochs = epochs;
  r.train.batch_size = 64;
  r.train.optim.lr = lr;
  r.train.optim.lazy = true;
  r.train.seed = seed;
  return r;
}

}  // namespace

void RecCourseExperiment::next_row() {
  rt = rs::RecTrainer{};
  job = rs::RankingJob{};
  evaluating = false;
  row_ms = 0;
  ++current;
  if (current >= int(rows.size())) return;
  const RecCourseRow& r = rows[size_t(current)];
  error = r.classes ? rs::rec_init_classes(rt, data, split, r.model, r.train) : rs::rec_init(rt, data, split, r.model, r.train);
}

void RecCourseExperiment::step(double budget_ms) {
  if (!error.ok || done()) return;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(); };
  if (!loaded) {
    loaded = true;
    if (error = rec_lesson_data(data_seed, data, &user_data); !error.ok) return;
    split = rs::split_random(data, 0.2, data_seed);  // the notebooks: train_test_split(test_size=0.2)
    if (!implicit) noise_floor_mae = rs::noise_floor_mae(data, split.test);
    next_row();
    return;
  }
  RecCourseRow& r = rows[size_t(current)];
  if (!rs::rec_done(rt)) {
    error = rs::rec_step(rt, budget_ms);
  } else if (rt.trainer.phase == core::nn::TrainPhase::Failed) {
    error = rt.trainer.status;
    return;
  } else if (!implicit) {
    r.value = rs::rec_evaluate(rt, data).mae;
    r.done = true;
  } else {
    if (!evaluating) {
      evaluating = true;
      rs::evaluate_ranking_begin(job, *rt.triplet);
    }
    while (!rs::evaluate_ranking_step(job, *rt.triplet, rt.train_pos, rt.test_pos, rt.popularity, 10, 16))
      if (elapsed() > budget_ms) break;
    if (job.done) {
      r.value = job.result.auc;
      r.done = true;
    }
  }
  row_ms += elapsed();
  if (r.done) {
    r.seconds = row_ms / 1000.0;
    next_row();
  }
}

bool RecCourseExperiment::done() const { return !error.ok || (loaded && current >= int(rows.size())); }

float RecCourseExperiment::progress() const {
  if (!loaded) return 0;
  if (rows.empty()) return 1;
  int finished = 0;
  for (const RecCourseRow& r : rows) finished += r.done;
  double p = finished;
  if (current >= 0 && current < int(rows.size()) && !rows[size_t(current)].done)
    p += 0.95 * core::nn::trainer_progress(rt.trainer);
  return float(std::min(1.0, p / double(rows.size())));
}

std::string RecCourseExperiment::progress_text() const {
  if (!loaded) return "starting";
  if (current >= int(rows.size())) return "done";
  const RecCourseRow& r = rows[size_t(current)];
  return r.label + ": " + (evaluating ? std::string("evaluating") : core::nn::trainer_progress_text(rt.trainer));
}

std::vector<Metric> RecCourseExperiment::metrics() const {
  std::vector<Metric> m;
  if (!loaded || !error.ok) return m;
  for (const RecCourseRow& r : rows)
    if (r.done) m.push_back({r.metric, r.value});
  if (!implicit && noise_floor_mae > 0) m.push_back({"noise_floor_mae", noise_floor_mae});
  return m;
}

DataSetInfo RecCourseExperiment::data_set() const { return rec_data_set_info(data, data_seed); }

static std::unique_ptr<Experiment> make_rec_course(const BlockConfig& c) {
  auto e = std::make_unique<RecCourseExperiment>();
  e->implicit = c.integer("protocol") == 1;
  e->data_seed = uint64_t(c.integer("data_seed"));
  const uint64_t seed = uint64_t(c.integer("seed"));
  const double lr = c.num("lr");
  const int epochs = c.integer("epochs");  // 0: the course's
  auto ep = [&](int course) { return epochs > 0 ? epochs : course; };
  using K = rs::ModelKind;
  if (!e->implicit) {
    e->rows.push_back(row("MF: dot product + biases, d = 64, MAE loss", "mae_mf", 0.733, K::Mf, ep(10), lr, seed));
    e->rows.push_back(row("Deep: MLP on [u | v], dropout 0.5", "mae_deep", 0.734, K::Deep, ep(10), lr, seed));
    e->rows.push_back(row("Hybrid: deep + user and movie metadata", "mae_deep_meta", 0.718, K::DeepMeta, ep(10), lr, seed));
    // solutions/classification.py: d 16, Dense 128, 128, dropout 0.5 on [u | v] and 0.2 after the first
    // hidden layer, softmax cross-entropy, 15 epochs; the MAE of the most probable rating (argmax + 1).
    RecCourseRow cls = row("Ratings as 5 classes: MLP on [u | v], softmax, d = 16", "mae_classes", 0.717, K::Deep, ep(15), lr, seed);
    cls.classes = true;
    cls.model.dim = 16;
    cls.model.hidden = {128, 128};
    cls.model.dropout = 0.5;
    cls.model.dropout_hidden = 0.2;
    e->rows.push_back(cls);
  } else {
    e->rows.push_back(row("Triplet: d = 64, cosine, margin 1", "auc_triplet", 0.926, K::Triplet, ep(10), lr, seed));
    RecCourseRow deep = row("Deep triplet: an MLP tower on each side", "auc_deep_triplet", 0.921, K::DeepTriplet, ep(15), lr, seed);
    deep.model.hidden = {128};
    deep.model.dropout = 0.1;
    e->rows.push_back(deep);
  }
  return e;
}

BlockKind& block_kind_rec_course() {
  static BlockKind k{
      "rec-course",
      "The course's recommender models and settings, each beside the course's published figure",
      {
          {"protocol", ParamType::Choice, "explicit: MF, deep, hybrid, 5 classes (test MAE); implicit: triplet, deep triplet (ROC AUC)", 0, 0, 0,
           {"explicit", "implicit"}, "explicit"},
          {"epochs", ParamType::Int, "passes over the training data; 0: the course's (10, and 15 for the 5-class and the deep triplet models)", 0, 0, 50, {}, ""},
          {"lr", ParamType::Float, "Adam learning rate (the course: 0.001)", 1e-3, 1e-5, 1, {}, "", true},
          {"seed", ParamType::Int, "seed of the initial weights and the shuffling", 1, 0, 1e9, {}, ""},
          {"data_seed", ParamType::Int, "seed of the generated data and of the 80/20 split", 1, 0, 1e9, {}, ""},
      },
      {
          {"mae_mf", "test MAE of MF, d = 64, MAE loss (the course: 0.733)", "protocol = explicit"},
          {"mae_deep", "test MAE of the deep model with dropout (the course: 0.734)", "protocol = explicit"},
          {"mae_deep_meta", "test MAE of the deep model with metadata (the course: 0.718)", "protocol = explicit"},
          {"mae_classes", "test MAE of the most probable rating, ratings as 5 classes (the course: 0.717)", "protocol = explicit"},
          {"noise_floor_mae", "generated data: the best MAE any model can reach on the test ratings", "protocol = explicit"},
          {"auc_triplet", "ROC AUC of the triplet model (the course: 0.926)", "protocol = implicit"},
          {"auc_deep_triplet", "ROC AUC of the deep triplet model (the course: 0.921)", "protocol = implicit"},
      },
      make_rec_course,
  };
  k.controls = {{"almost untrained models (1 epoch at learning rate 1e-5)", {{"epochs", "1"}, {"lr", "0.00001"}}}};
  metrics_mark_identity(k, {"noise_floor_mae"});
  return k;
}

}  // namespace lab::runtime
