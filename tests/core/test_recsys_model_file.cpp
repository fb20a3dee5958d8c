// Recommender model files (core/recsys/model_file.h): train -> save -> load gives the same
// predictions bit for bit for every model kind; a file that does not fit the data or is not a
// recommender is refused with a message saying why.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/nn/model_io.h"
#include "core/recsys/model_file.h"

using namespace lab::core;
using namespace lab::core::recsys;

namespace {

struct Fixture {
  RecData d;
  Split s;
  RecFileData fd;
  Fixture() {
    fd.data = "synthetic-small";
    fd.data_seed = fd.split_seed = 3;
    SynthOptions so;
    REQUIRE(rec_file_synth(fd, so));
    REQUIRE(synth_generate(so, d).ok);
    REQUIRE(rec_file_split(d, fd, s).ok);
  }
};

RecModelOptions small(ModelKind k) {
  RecModelOptions o;
  o.kind = k;
  o.dim = 8;
  o.hidden = {16};
  o.seed = 5;
  return o;
}

// Every item's score for a few users (predicted rating or similarity).
std::vector<float> scores(RecTrainer& rt) {
  ItemScorer& m = rec_scorer(rt);
  std::vector<float> all, s(size_t(m.scorer_items()));
  for (int32_t u : {0, 7, 123, 299}) {
    m.score_user(u, s);
    all.insert(all.end(), s.begin(), s.end());
  }
  return all;
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("recsys model file: train, save, load gives the same predictions bit for bit, for every kind") {
  Fixture f;
  for (ModelKind k : {ModelKind::Mf, ModelKind::Deep, ModelKind::DeepMeta, ModelKind::Hybrid, ModelKind::Content,
                      ModelKind::Triplet, ModelKind::DeepTriplet}) {
    CAPTURE(model_name(k));
    const RecModelOptions o = small(k);
    nn::TrainerOptions to;
    to.epochs = 1;
    RecTrainer trained;
    REQUIRE(rec_init(trained, f.d, f.s, o, to).ok);
    REQUIRE(nn::trainer_run_to_end(trained.trainer).ok);
    const std::string bytes = rec_model_save(trained, f.d, o, f.fd);

    // The file describes the model it holds.
    RecModelOptions po;
    RecFileData pfd;
    REQUIRE(rec_model_peek(bytes, po, pfd).ok);
    CHECK(po.kind == k);
    CHECK(po.dim == 8);
    CHECK(po.hidden == std::vector<Index>{16});
    CHECK(pfd.data == "synthetic-small");
    CHECK(pfd.data_seed == 3);
    CHECK(pfd.split == "random");

    // A model built from the file's options starts from the same initial weights (same seed), which
    // training moved: before loading, its predictions differ from the trained model's.
    RecTrainer fresh;
    REQUIRE(rec_init(fresh, f.d, f.s, po, to).ok);
    CHECK_FALSE(same_bits(scores(fresh), scores(trained)));

    RecTrainer loaded;
    const Status st = rec_model_load(bytes, f.d, f.s, loaded);
    REQUIRE_MESSAGE(st.ok, st.message);
    CHECK(same_bits(scores(loaded), scores(trained)));
    const RecEval a = rec_evaluate(trained, f.d, 10), b = rec_evaluate(loaded, f.d, 10);
    CHECK(a.rmse == b.rmse);
    CHECK(a.mae == b.mae);
    CHECK(a.ranking.auc == b.ranking.auc);
    CHECK(a.ranking.ndcg == b.ranking.ndcg);
    // Saving the loaded model writes the same bytes.
    CHECK(rec_model_save(loaded, f.d, po, pfd) == bytes);
  }
}

TEST_CASE("recsys model file: files that do not fit are refused, saying why") {
  Fixture f;
  const RecModelOptions o = small(ModelKind::Mf);
  nn::TrainerOptions to;
  to.epochs = 1;
  RecTrainer rt;
  REQUIRE(rec_init(rt, f.d, f.s, o, to).ok);
  const std::string bytes = rec_model_save(rt, f.d, o, f.fd);

  SUBCASE("other data: another number of users and items") {
    RecData big;
    REQUIRE(synth_generate(synth_movielens100k(3), big).ok);
    RecTrainer other;
    const Status st = rec_model_load(bytes, big, split_random(big, 0.2, 3), other);
    CHECK_FALSE(st.ok);
    CHECK(st.message.find("300 users x 500 items") != std::string::npos);
    CHECK(st.message.find("943 x 1682") != std::string::npos);
  }
  SUBCASE("another model file (not a recommender)") {
    nn::ModelInfo info;
    info.what = "embedlab skip-gram";
    info.set_number("dim", 2);
    const std::string other = nn::model_save({}, nn::model_info_text(info));
    RecModelOptions po;
    RecFileData pfd;
    const Status st = rec_model_peek(other, po, pfd);
    CHECK_FALSE(st.ok);
    CHECK(st.message.find("embedlab skip-gram") != std::string::npos);
  }
  SUBCASE("a description without a field") {
    std::string text;
    REQUIRE(nn::model_peek_info(bytes, text).ok);
    const size_t at = text.find("margin=");
    REQUIRE(at != std::string::npos);
    text.erase(at, text.find('\n', at) - at + 1);
    const std::string other = nn::model_save(rt.rating->model.state(), text);
    RecTrainer r2;
    const Status st = rec_model_load(other, f.d, f.s, r2);
    CHECK_FALSE(st.ok);
    CHECK(st.message.find("'margin'") != std::string::npos);
  }
  SUBCASE("truncated") {
    RecTrainer r2;
    const Status st = rec_model_load(bytes.substr(0, bytes.size() - 9), f.d, f.s, r2);
    CHECK_FALSE(st.ok);
    CHECK(st.message.find("truncated") != std::string::npos);
  }
}

TEST_CASE("model info text: key=value lines round-trip, numbers bit for bit") {
  nn::ModelInfo a;
  a.what = "embedlab test";
  a.set_number("x", 0.1);
  a.set_number("y", 1e-300);
  a.set("words", "cat dog=fish");
  nn::ModelInfo b;
  REQUIRE(nn::model_info_parse(nn::model_info_text(a), b).ok);
  CHECK(b.what == "embedlab test");
  double x = 0, y = 0;
  REQUIRE(nn::model_info_number(b, "x", x).ok);
  REQUIRE(nn::model_info_number(b, "y", y).ok);
  CHECK(x == 0.1);
  CHECK(y == 1e-300);
  REQUIRE(b.find("words"));
  CHECK(*b.find("words") == "cat dog=fish");
  CHECK_FALSE(nn::model_info_number(b, "words", x).ok);
  CHECK_FALSE(nn::model_info_number(b, "z", x).ok);
  CHECK_FALSE(nn::model_info_parse("what\nno equals sign\n", b).ok);
}
