// "rec-explicit": a rating model (MF, deep, deep + metadata) trained live on the generated
// MovieLens-shaped data; then recommendations, similar movies and (optionally) a t-SNE map of the
// movie embeddings.
#pragma once

#include <memory>
#include <vector>

#include "core/embed/tsne.h"
#include "core/recsys/models.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_rec_explicit();

// The generated ratings as window.embedlab.data describes them (Experiment::data_set): empty until
// generated. Shared by the recommender kinds.
DataSetInfo rec_data_set_info(const core::recsys::RecData& data, uint64_t seed);
// The model file of a recommender trained on the lessons' data as these blocks make it:
// synth_small(data_seed), split_random(0.2, data_seed).
std::string rec_small_model_file(const core::recsys::RecTrainer& rt, const core::recsys::RecData& data,
                                 const core::recsys::RecModelOptions& model, uint64_t data_seed);

struct RecExplicitExperiment final : Experiment {
  // configuration
  core::recsys::RecModelOptions model;
  core::nn::TrainerOptions train;
  uint64_t data_seed = 1;
  int user = 0, item = 0, k = 10;
  int tsne_iterations = 0;  // 0: no t-SNE

  // state
  core::Status error;
  bool initialised = false, evaluated = false;
  core::recsys::RecData data;
  core::recsys::RecTrainer rt;
  core::recsys::RecEval eval;
  double light_rmse = 0;
  int light_count = 0;
  // lists for the chosen user and movie (recomputed by the widget when the student picks another)
  int listed_user = -1, listed_item = -1;
  std::vector<int32_t> recs;
  std::vector<float> rec_scores;
  std::vector<core::recsys::Neighbour> similar;
  std::vector<int32_t> user_top_rated;  // the user's best-rated training movies
  // t-SNE of the item embeddings
  std::unique_ptr<core::TsneState> tsne;
  std::vector<float> tsne_x, tsne_y;
  std::vector<int> genre;  // main genre per movie (index into kGenreNames)
  double genre_agreement = 0;  // share of movies whose nearest t-SNE neighbour shares a genre

  void step(double budget_ms) override;
  bool done() const override;
  float progress() const override;
  std::string progress_text() const override;
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override;
  DataSetInfo data_set() const override;

  void list_for(int user, int item);
  // The trained model in the lab's model file (core/recsys/model_file.h), loadable by
  // `embedlab recsys --load FILE --data synthetic-small`; empty before training has finished.
  std::string model_file() const;
  bool trained() const { return initialised && core::recsys::rec_done(rt); }

 private:
  void finish_training();
  void tsne_snapshot();
};

}  // namespace lab::runtime
