// "↓ model" on the recommender and word-embedding blocks: the file a block saves loads back (as
// `embedlab recsys --load FILE --data synthetic-small` loads it: the data and split rebuilt from the
// file's description) and gives the numbers the block showed.
#include <doctest/doctest.h>

#include "block_test_util.h"

#include <string>

#include "core/nn/model_io.h"
#include "core/recsys/model_file.h"
#include "runtime/blocks/embedding_train.h"
#include "runtime/blocks/rec_coldstart.h"
#include "runtime/blocks/rec_explicit.h"
#include "runtime/blocks/rec_implicit.h"
#include "runtime/blocks/rec_youtube.h"

using namespace lab::runtime;
namespace rs = lab::core::recsys;
namespace nn = lab::core::nn;

namespace {

// What the CLI does with a file: the data and split from its description, then the weights.
rs::RecEval cli_evaluate(const std::string& bytes, int k, rs::RecTrainer& rt) {
  rs::RecModelOptions o;
  rs::RecFileData fd;
  REQUIRE(rs::rec_model_peek(bytes, o, fd).ok);
  rs::SynthOptions so;
  REQUIRE(rs::rec_file_synth(fd, so));
  rs::RecData d;
  REQUIRE(rs::synth_generate(so, d).ok);
  rs::Split s;
  REQUIRE(rs::rec_file_split(d, fd, s).ok);
  const lab::core::Status st = rs::rec_model_load(bytes, d, s, rt);
  REQUIRE_MESSAGE(st.ok, st.message);
  return rs::rec_evaluate(rt, d, k);
}

}  // namespace

TEST_CASE("rec-explicit: the saved model evaluates to the block's test RMSE and MAE") {
  auto e = lab::test::make("rec-explicit", "model: deep\ndim: 8\nepochs: 2\ndata_seed: 4\nseed: 2\n");
  auto* x = dynamic_cast<RecExplicitExperiment*>(e.get());
  REQUIRE(x);
  CHECK(x->model_file().empty());  // nothing to save before training
  lab::test::run_to_end(*e);
  const std::string bytes = x->model_file();
  REQUIRE_FALSE(bytes.empty());
  rs::RecTrainer rt;
  const rs::RecEval ev = cli_evaluate(bytes, x->k, rt);
  CHECK(ev.rmse == x->eval.rmse);
  CHECK(ev.mae == x->eval.mae);
  CHECK(ev.rmse > 0.5);
}

TEST_CASE("rec-implicit: the saved model evaluates to the block's ranking metrics") {
  auto e = lab::test::make("rec-implicit", "dim: 8\nepochs: 2\ndata_seed: 2\n");
  auto* x = dynamic_cast<RecImplicitExperiment*>(e.get());
  REQUIRE(x);
  lab::test::run_to_end(*e);
  const std::string bytes = x->model_file();
  REQUIRE_FALSE(bytes.empty());
  rs::RecTrainer rt;
  const rs::RecEval ev = cli_evaluate(bytes, x->k, rt);
  CHECK(ev.ranking.auc == doctest::Approx(x->eval.auc).epsilon(1e-12));
  CHECK(ev.ranking.ndcg == doctest::Approx(x->eval.ndcg).epsilon(1e-12));
  CHECK(ev.ranking.auc > 0.5);  // a trained model (2 epochs: 0.54), not an empty evaluation
}

TEST_CASE("rec-coldstart: each family's file carries the cold split and evaluates to its RMSE") {
  auto e = lab::test::make("rec-coldstart", "epochs: 1\ndim: 8\ngenre_share: 0.9\ndata_seed: 5\n");
  auto* x = dynamic_cast<RecColdstartExperiment*>(e.get());
  REQUIRE(x);
  lab::test::run_to_end(*e);
  for (int f = 0; f < RecColdstartExperiment::kFamilies; ++f) {
    CAPTURE(f);
    const std::string bytes = x->model_file(f);
    REQUIRE_FALSE(bytes.empty());
    rs::RecModelOptions o;
    rs::RecFileData fd;
    REQUIRE(rs::rec_model_peek(bytes, o, fd).ok);
    CHECK(fd.split == "cold");
    CHECK(fd.genre_share == 0.9);
    rs::RecTrainer rt;
    const rs::RecEval ev = cli_evaluate(bytes, 10, rt);
    CHECK(ev.rmse == doctest::Approx(x->errors[size_t(f)].all).epsilon(1e-9));
  }
  CHECK(x->model_file(3).empty());
}

TEST_CASE("rec-youtube and embedding-train save their models, which the recommender loader refuses by name") {
  auto y = lab::test::make("rec-youtube", "epochs: 1\ndim: 8\n");
  auto* yx = dynamic_cast<RecYoutubeExperiment*>(y.get());
  REQUIRE(yx);
  lab::test::run_to_end(*y);
  auto w = lab::test::make("embedding-train", "dim: 3\nepochs: 2\n");
  auto* wx = dynamic_cast<EmbeddingTrainExperiment*>(w.get());
  REQUIRE(wx);
  lab::test::run_to_end(*w);
  for (const std::string& bytes : {yx->model_file(0), yx->model_file(1), word_embedding_model_file(wx->run)}) {
    REQUIRE_FALSE(bytes.empty());
    std::string text;
    REQUIRE(nn::model_peek_info(bytes, text).ok);
    rs::RecModelOptions o;
    rs::RecFileData fd;
    const lab::core::Status st = rs::rec_model_peek(bytes, o, fd);
    CHECK_FALSE(st.ok);
    CHECK(st.message.find("not a recommender") != std::string::npos);
  }
  // The skip-gram file holds W as trained: loading it into the run's own objective changes nothing,
  // and its description names the words of W's rows.
  const std::string sg = word_embedding_model_file(wx->run);
  const lab::core::Mat before = wx->run.objective->embedding.W;
  wx->run.objective->embedding.W.setZero();
  REQUIRE(nn::model_load(sg, wx->run.objective->params()).ok);
  CHECK(wx->run.objective->embedding.W == before);
  std::string text;
  REQUIRE(nn::model_peek_info(sg, text).ok);
  nn::ModelInfo info;
  REQUIRE(nn::model_info_parse(text, info).ok);
  REQUIRE(info.find("words"));
  CHECK(info.find("words")->find(wx->run.vocab.words[0]) == 0);
}
