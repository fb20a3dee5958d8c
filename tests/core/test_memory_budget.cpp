// The lab's memory budget (core/memory_budget.h): every size a lesson, a knob or a file can request is
// refused with a clear Status BEFORE anything is allocated, and normal requests still work. The web
// app is built without exceptions, so these tests assert the returned Status, never a throw; each
// oversized case would allocate gigabytes (and abort the page) if the check were missing.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "core/data/labeled_csv.h"
#include "core/embed/embed_budget.h"
#include "core/embed/knn.h"
#include "core/embed/quality.h"
#include "core/embed/tsne.h"
#include "core/memory_budget.h"
#include "core/nn/model_io.h"
#include "core/nn/models.h"
#include "core/nn/trainer.h"
#include "core/recsys/data.h"
#include "core/recsys/models.h"
#include "runtime/text.h"

using namespace lab::core;

namespace {

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Every refusal names what was asked for and the budget.
void check_refusal(const Status& st, const std::string& what) {
  CHECK_FALSE(st.ok);
  CHECK_MESSAGE(has(st.message, what), st.message);
  CHECK_MESSAGE(has(st.message, "over the lab's 256 MiB memory budget"), st.message);
}

// n points in 2-D on a spiral (distinct, finite).
Mat spiral(Index n, Index d = 2) {
  Mat x(n, d);
  for (Index i = 0; i < n; ++i)
    for (Index j = 0; j < d; ++j) x(i, j) = Scalar(double(i) * 0.001 * double(j + 1) + double((i * 7919 + j) % 97));
  return x;
}

std::string fixture(const std::string& name) {
  std::string err;
  auto t = lab::runtime::read_text_file(std::string(LAB_SOURCE_DIR) + "/tests/data/ml100k-fixture/" + name, &err);
  REQUIRE_MESSAGE(t.has_value(), err);
  return *t;
}

void put_u32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }

}  // namespace

TEST_CASE("memory budget: sizes are products in double, formatted for people, checked with a sentence") {
  CHECK(kMemoryBudgetBytes == int64_t(256) << 20);
  CHECK(kMemoryBudgetBytes * 4 == kWasmHeapBytes);  // the 1 GiB WASM heap
  CHECK(nn::kParamMemoryBudgetBytes == kMemoryBudgetBytes);  // one budget, not two
  // 10^6 x 10^6 x 10^6 floats would wrap any 64-bit product; in double it is just large.
  const double huge = memory_bytes({1e6, 1e6, 1e6}, 4);
  CHECK(huge == doctest::Approx(4e18));
  CHECK_FALSE(memory_fits(huge));
  CHECK_FALSE(memory_fits(memory_bytes({-1, 5}, 4)));  // a negative size is never "small"
  CHECK(memory_shape({9000, 9000}) == "9000 x 9000");
  CHECK(memory_shape({1e12}) == "1000000000000");
  CHECK(memory_format(648e6) == "618 MiB");
  CHECK(memory_format(double(kMemoryBudgetBytes)) == "256 MiB");
  CHECK(memory_format(1.5 * 1024 * 1024 * 1024) == "1.5 GiB");
  CHECK(memory_format(12) == "12 bytes");

  const Status st = memory_check(memory_bytes({9000, 9000}, 8), "t-SNE (exact)", "a 9000 x 9000 matrix",
                                 "use Barnes-Hut or fewer points");
  CHECK(st.message == "t-SNE (exact): a 9000 x 9000 matrix needs 618 MiB, over the lab's 256 MiB memory budget; "
                      "use Barnes-Hut or fewer points");
  CHECK(memory_check(double(kMemoryBudgetBytes), "x", "", "").ok);  // exactly the budget fits
  CHECK_FALSE(memory_check(double(kMemoryBudgetBytes) + 1, "x", "", "").ok);
}

TEST_CASE("memory budget: t-SNE refuses an exact N x N or a Barnes-Hut N x k over the budget, before allocating") {
  // (tsne_init returns a pair; its parts are named, not bound: clang 14 cannot capture structured
  // bindings in doctest's assertion lambdas.)
  TsneParams p;
  p.perplexity = 5;
  p.init = TsneInit::Random;
  p.method = TsneMethod::Exact;
  {
    const auto run = tsne_init(spiral(4000), p);  // 4000^2 x 30 bytes = 458 MiB
    const Status& st = run.second;
    check_refusal(st, "t-SNE (exact): a 4000 x 4000 matrix of pairwise probabilities");
    CHECK_MESSAGE(has(st.message, "use Barnes-Hut (method bh) or at most 29"), st.message);  // ~2990 points fit
    CHECK(run.first.p_val.empty());
  }
  CHECK(tsne_budget_check(2900, 2, TsneMethod::Exact, 5, TsneInit::Random).ok);  // just under: 2900^2 x 30 = 241 MiB

  p.method = TsneMethod::BarnesHut;
  p.perplexity = 1000;  // 3001 neighbours each
  {
    const auto run = tsne_init(spiral(20000), p);
    const Status& st = run.second;
    check_refusal(st, "t-SNE (Barnes-Hut): 20000 points with 3001 neighbours each");
    CHECK_MESSAGE(has(st.message, "lower the perplexity (at most"), st.message);
    CHECK(run.first.p_val.empty());
  }
  p.method = TsneMethod::Fft;  // the same P, and its grids on top
  {
    const auto run = tsne_init(spiral(20000), p);
    check_refusal(run.second, "t-SNE (FFT): 20000 points with 3001 neighbours each");
    CHECK(run.first.p_val.empty());
  }
  // PCA initialisation runs while P is held: a D x D covariance of 4000 features is over the budget.
  p.method = TsneMethod::Exact;
  p.perplexity = 3;
  p.init = TsneInit::Pca;
  {
    const auto run = tsne_init(spiral(20, 4000), p);
    const Status& st = run.second;
    check_refusal(st, "t-SNE (PCA initialisation): a 4000 x 4000 covariance matrix");
    CHECK_MESSAGE(has(st.message, "use init random"), st.message);
  }
  // Automatic: the exact method only while its N x N fits; above that, FFT (which then runs).
  p.method = TsneMethod::Automatic;
  p.exact_max_n = 100000;
  p.init = TsneInit::Random;
  p.perplexity = 5;
  {
    const auto run = tsne_init(spiral(3500), p);
    REQUIRE_MESSAGE(run.second.ok, run.second.message);
    CHECK(run.first.method == TsneMethod::Fft);
  }
  // A normal request still works.
  p.method = TsneMethod::Exact;
  auto run = tsne_init(spiral(200), p);
  REQUIRE_MESSAGE(run.second.ok, run.second.message);
  CHECK(tsne_step(run.first).iteration == 1);
}

TEST_CASE("memory budget: PCA's D x D, k-NN, trustworthiness and k-NN accuracy are checked") {
  check_refusal(pca_budget_check(100, 3000), "PCA: a 3000 x 3000 covariance matrix with its eigenvectors");
  CHECK_MESSAGE(has(pca_budget_check(100, 3000).message, "use fewer features (at most 28"),
                pca_budget_check(100, 3000).message);  // 2896 or so
  CHECK(pca_budget_check(1797, 64).ok);  // the digits
  CHECK(pca_budget_check(100, 2500).ok);

  Knn knn;
  const Mat line = spiral(100000, 1);
  check_refusal(knn_search(line, 99999, Measure::Euclidean, knn), "k-NN: 100000 queries x 99999 neighbours");
  CHECK(knn.index.empty());
  REQUIRE(knn_search(spiral(500), 5, Measure::Euclidean, knn).ok);
  CHECK(knn.index.size() == 500 * 5);

  double out = -1;
  const Mat big = spiral(200000, 1), big_y = spiral(200000, 2);
  check_refusal(trustworthiness_compute(big, big_y, 10, out), "trustworthiness: the 200000 x 1 data");
  check_refusal(knn_accuracy_compute(big_y, std::vector<int32_t>(200000, 0), 99999, out),
                "k-NN accuracy: 200000 points x 99999 neighbours");
  CHECK(out == -1);
  const Mat x = spiral(300, 5), y = spiral(300, 2);
  REQUIRE(trustworthiness_compute(x, y, 10, out).ok);
  CHECK(out > 0);
}

TEST_CASE("memory budget: a CSV line with millions of features is refused before it is split") {
  std::string text = "a";
  const size_t features = 14'000'000;  // 14M x 20 bytes = 267 MiB of parsed values
  text.reserve(1 + 2 * features + 1);
  for (size_t f = 0; f < features; ++f) text += ",0";
  text += "\n";
  LabeledData d;
  CsvError where;
  const Status st = labeled_csv_parse(text, d, &where);
  check_refusal(st, "CSV: a table of 1 row x 14000000 features (so far)");
  CHECK(where.line == 1);
  CHECK(d.x.size() == 0);

  // A normal table still parses: 2000 rows x 100 features.
  std::string ok = "label";
  for (int f = 0; f < 100; ++f) ok += ",f" + std::to_string(f);
  ok += "\n";
  for (int r = 0; r < 2000; ++r) {
    ok += std::to_string(r % 10);
    for (int f = 0; f < 100; ++f) ok += "," + std::to_string((r * 31 + f) % 17);
    ok += "\n";
  }
  REQUIRE(labeled_csv_parse(ok, d).ok);
  CHECK(d.x.rows() == 2000);
  CHECK(d.x.cols() == 100);
}

TEST_CASE("memory budget: MovieLens files with absurd ids or sizes are refused with a message, not allocated") {
  using namespace lab::core::recsys;
  Ml100kText t;
  const std::string data = fixture("u.data"), item = fixture("u.item"), user = fixture("u.user");
  RecData d;
  t.data = data;
  t.item = item;
  t.user = user;
  REQUIRE(ml100k_parse(t, d).ok);  // the fixture itself is fine

  // A rating by user 2000000000: ids size the embedding tables, so it is an error naming the line.
  const std::string absurd_rating = "2000000000\t1\t5\t881250949\n" + data;
  t.data = absurd_rating;
  Status st = ml100k_parse(t, d);
  CHECK_FALSE(st.ok);
  CHECK_MESSAGE(has(st.message, "u.data:1: user id 2000000000 is not in u.user"), st.message);
  CHECK(d.ratings.empty());
  // The same id in u.user: ids must count 1, 2, 3, ..., so no table is ever sized by it.
  t.data = data;
  const std::string absurd_user = "2000000000|24|M|technician|85711\n" + user;
  t.user = absurd_user;
  st = ml100k_parse(t, d);
  CHECK_FALSE(st.ok);
  CHECK_MESSAGE(has(st.message, "u.user:1: user ids must be 1, 2, 3, ... in order; expected 1, found 2000000000"),
                st.message);
  t.user = user;

  // Millions of lines: refused from the line count, before a rating is stored.
  const std::string many_lines(4'000'000, '\n');
  t.data = many_lines;
  check_refusal(ml100k_parse(t, d), "MovieLens-100k files: up to");
  std::vector<Rating> ratings;
  const std::string more_lines(12'000'000, '\n');
  check_refusal(ml100k_parse_ratings(more_lines, "u1.base", ratings), "u1.base: up to 12000001 ratings");
  t.data = data;

  // Every user with an occupation of their own: the dense user-feature table (users x occupations).
  std::string users;
  for (int u = 1; u <= 8500; ++u) users += std::to_string(u) + "|30|F|job" + std::to_string(u) + "|12345\n";
  t.user = users;
  check_refusal(ml100k_parse(t, d), "u.user: the user-feature table (8500 users x 8523 columns");
}

TEST_CASE("memory budget: a model file declaring a 10^12-value tensor is refused from its header") {
  auto model_bytes = [](uint32_t rows, uint32_t cols) {
    std::string b("EMBLMDL\0", 8);
    put_u32(b, nn::kModelFormatVersion);
    put_u32(b, 0);  // no info text
    put_u32(b, 1);  // one tensor
    put_u32(b, 5);
    b += "emb.W";
    put_u32(b, rows);
    put_u32(b, cols);
    b += std::string(64, '\0');  // far fewer values than declared
    put_u32(b, 0);
    return b;
  };
  Rng rng(1);
  nn::Embedding e;
  e.name = "emb";
  REQUIRE(e.init(4, 4, rng).ok);
  const Mat before = e.W;
  Status st = nn::model_load(model_bytes(1'000'000, 1'000'000), e.params());
  check_refusal(st, "model file: tensor 'emb.W' of 1000000 x 1000000 values needs 3.6 TiB");
  CHECK(e.W == before);  // left unchanged
  // 2^31 x 2^31 x 4 bytes wraps a 64-bit product to 0: refused, not read as an empty tensor.
  st = nn::model_load(model_bytes(1u << 31, 1u << 31), e.params());
  check_refusal(st, "tensor 'emb.W' of 2147483648 x 2147483648 values");
  // A real file still loads.
  const std::string saved = nn::model_save(e.params(), "emb 4x4");
  CHECK(nn::model_load(saved, e.params()).ok);
}

TEST_CASE("memory budget: models are checked as a whole, before any table is allocated") {
  Rng rng(1);
  nn::TwoTower m;
  nn::TwoTowerOptions o;
  o.n_users = o.n_items = 3'000'000;  // each 3M x 4 table fits alone (183 MiB with its copies); both do not
  o.dim = 4;
  o.biases = false;
  const Status st = nn::two_tower_init(m, o, rng);
  check_refusal(st, "two-tower model: 24000000 parameters with their gradients and optimiser state");
  CHECK(m.user.W.size() == 0);
  CHECK(m.item.W.size() == 0);
  o.n_users = o.n_items = 1000;
  CHECK(nn::two_tower_init(m, o, rng).ok);

  nn::Mlp mlp;
  nn::MlpOptions mo;
  mo.in = 100'000;
  mo.hidden = {1000};
  check_refusal(nn::mlp_init(mlp, mo, rng), "mlp: 100003002 parameters");
  CHECK(mlp.dense.empty());
}

TEST_CASE("memory budget: the trainer refuses a mini-batch's activations or a history over the budget") {
  auto objective = [](Index rows, std::vector<Index> hidden) {
    auto obj = std::make_unique<nn::MlpObjective>();
    Rng rng(3);
    nn::MlpOptions mo;
    mo.in = 2;
    mo.hidden = std::move(hidden);
    mo.out = 2;
    REQUIRE(nn::mlp_init(obj->model, mo, rng).ok);
    obj->data.x_train = spiral(rows);
    obj->data.labels_train.assign(size_t(rows), 0);
    return obj;
  };
  nn::Trainer tr;
  nn::TrainerOptions opt;
  opt.batch_size = 200;
  // 200 rows x 60000 hidden units x 8 copies x 4 bytes = 366 MiB of activations.
  Status st = nn::trainer_init(tr, objective(200, {60000}), opt);
  check_refusal(st, "training: a mini-batch of 200 rows (activations and gradients)");
  CHECK_MESSAGE(has(st.message, "use a smaller batch size"), st.message);
  opt.batch_size = 32;
  CHECK(nn::trainer_init(tr, objective(200, {60000}), opt).ok);  // 59 MiB

  // One loss per mini-batch: 40000 epochs of 1000 single-row batches.
  opt.batch_size = 1;
  opt.epochs = 40000;
  st = nn::trainer_init(tr, objective(1000, {8}), opt);
  check_refusal(st, "training history: 40000 epochs x 1000 mini-batches of losses");
  opt.epochs = 500;
  CHECK(nn::trainer_init(tr, objective(1000, {8}), opt).ok);
}

TEST_CASE("memory budget: a recommender's mini-batch is checked too (embedlab recsys accepts --batch up to 2^20)") {
  using namespace lab::core::recsys;
  RecData d;
  REQUIRE(synth_generate(synth_small(1), d).ok);
  const Split split = split_random(d, 0.2, 1);
  RecModelOptions mo;
  mo.kind = ModelKind::Deep;
  mo.dim = 1024;
  nn::TrainerOptions to;
  to.batch_size = 1 << 20;  // all 9600 training ratings at once, through a 2048-wide input
  RecTrainer rt;
  check_refusal(rec_init(rt, d, split, mo, to), "training: a mini-batch of 9600 rows (activations and gradients)");
  mo.kind = ModelKind::DeepTriplet;
  check_refusal(rec_init(rt, d, split, mo, to), "training: a mini-batch of");
  to.batch_size = 64;
  const Status small = rec_init(rt, d, split, mo, to);
  REQUIRE_MESSAGE(small.ok, small.message);
  // Validation slices are not the user's choice: 1024 rows of this model would be over the budget,
  // so they shrink to fit instead of refusing.
  CHECK(rt.trainer.opt.eval_batch_size < 1024);
  CHECK(rt.trainer.opt.eval_batch_size >= 64);
  mo.kind = ModelKind::Deep;
  CHECK(rec_init(rt, d, split, mo, to).ok);
  CHECK(rt.trainer.opt.eval_batch_size == 1024);
}

TEST_CASE("memory budget: a file over the read limit is refused from its size, before reading") {
  const std::string path = std::string(LAB_SOURCE_DIR) + "/assets/data/digits.csv";
  std::string err;
  CHECK_FALSE(lab::runtime::read_text_file(path, &err, 1024).has_value());
  CHECK_MESSAGE(has(err, "over the lab's limit of 1.0 KiB for a file read whole"), err);
  CHECK_MESSAGE(has(err, "256 MiB memory budget"), err);
  const auto text = lab::runtime::read_text_file(path, &err);  // the default limit: 64 MiB
  REQUIRE(text.has_value());
  CHECK(text->size() > 100'000);
}

TEST_CASE("memory budget: the native command line can raise it for one command, and the lab's default stays the page's") {
  using namespace lab::core;
  int64_t b = 0;
  CHECK((memory_size_parse("2GiB", b) && b == (int64_t(2) << 30)));
  CHECK((memory_size_parse("900MiB", b) && b == 900 * 1048576LL));
  CHECK((memory_size_parse("1.5GiB", b) && b == 1610612736LL));
  CHECK((memory_size_parse("268435456", b) && b == 268435456LL));
  for (const char* bad : {"", "GiB", "2GB", "2 GiB", "-1GiB", "1e30GiB", "two"}) CHECK_FALSE(memory_size_parse(bad, b));

  REQUIRE(memory_budget() == kMemoryBudgetBytes);
  // All 70,000 Fashion-MNIST images after PCA-50, with t-SNE's defaults: over the page's budget...
  const Status refused = tsne_budget_check(70000, 50, TsneMethod::Fft, 30, TsneInit::Pca);
  CHECK_FALSE(refused);
  CHECK(refused.message.find("256 MiB") != std::string::npos);
  CHECK_FALSE(memory_budget_set(kMemoryBudgetBytes / 2));  // never below the page's
#ifdef __wasm__
  CHECK_FALSE(memory_budget_set(int64_t(2) << 30));  // a 1 GiB heap
#else
  // ... and within 2 GiB natively, where the message names the budget in force.
  REQUIRE(memory_budget_set(int64_t(2) << 30));
  CHECK(memory_budget() == (int64_t(2) << 30));
  CHECK(tsne_budget_check(70000, 50, TsneMethod::Fft, 30, TsneInit::Pca));
  const Status still = tsne_budget_check(70000, 50, TsneMethod::Exact, 30, TsneInit::Pca);
  CHECK_FALSE(still);
  CHECK(still.message.find("2.0 GiB memory budget") != std::string::npos);
  REQUIRE(memory_budget_set(kMemoryBudgetBytes));
#endif
  CHECK(memory_budget() == kMemoryBudgetBytes);
}
