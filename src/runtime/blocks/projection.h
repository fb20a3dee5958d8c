// "projection": a labelled point set seen in 2-D, by PCA (one linear map, instant, with its explained
// variance) or by t-SNE (animated: a few gradient steps per frame). Data: the UCI digits (8×8 images,
// hover shows the image), Fashion-MNIST's 10,000 test images (28×28; fetched by the page when the step
// needs them, runtime/assets.h; t-SNE usually of their first 50 principal components), the word embeddings of lesson 1 (word_embedding.h, reused when already
// trained), or planted Gaussian clusters whose sizes and spacings are known — to show what t-SNE
// does not preserve. Optionally a second t-SNE with another seed runs beside the first.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/data/projector_tsv.h"
#include "core/embed/pca.h"
#include "core/embed/projection_job.h"
#include "core/embed/tsne.h"
#include "core/embed/quality.h"
#include "runtime/blocks/word_embedding.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_projection();

enum class ProjectionData { Digits, Words, BlobsSpread, BlobsGaps, Fmnist };
enum class ProjectionMethod { Pca, Tsne };

// Vectors the student brought: an Embedding Projector pair (vectors.tsv + optional metadata.tsv) or
// a labelled CSV (core/data/projector_tsv.h, core/data/labeled_csv.h). While set, every projection
// block projects them in place of its `data` setting, coloured by metadata column `colour`; the
// session restarts the blocks to take them (projection_user_data_set + session_restart). One per
// process, like the word-embedding cache: what the student opened stays open from step to step.
struct ProjectionUserData {
  std::string name;               // "vectors.tsv + metadata.tsv"
  core::Mat x;                    // (N, D)
  core::ProjectorMetadata meta;   // columns to colour by (a CSV's labels: one column "label")
};
// nullptr: back to each block's own data. `colour`: the metadata column that groups the points.
void projection_user_data_set(std::shared_ptr<const ProjectionUserData> data, int colour = 0);
std::shared_ptr<const ProjectionUserData> projection_user_data();
int projection_user_colour();
// Opens dropped or named files as user data: vectors (.tsv) with optional metadata (.tsv), or one
// labelled CSV (label,f1,...,fD). The file texts are given; names are for messages. Fails with one
// FILE:LINE sentence (or the budget's message) and leaves the current data as it was.
core::Status projection_user_data_parse(const std::string& vectors_name, std::string_view vectors_text,
                                        const std::string& metadata_name, std::string_view metadata_text,
                                        std::shared_ptr<const ProjectionUserData>& out);

// A data file dropped on the window or the page (or given with --open): a vectors .tsv, a metadata
// .tsv (by its name: "...metadata.tsv") or a labelled .csv. A vectors file and a metadata file
// dropped together, in either order, or one after the other, are paired; on success the user data
// is set (coloured by core::projector_default_column) and the current step's
// projection blocks restart with it. `message` says what happened (also when a metadata file waits
// for its vectors); a failure leaves the current data as it was.
struct Session;
core::Status projection_file_dropped(Session& s, const std::string& name, std::string contents, std::string& message);

// One t-SNE run as the block draws and measures it: its picture so far and its KL curve.
struct TsneRun {
  uint64_t seed = 0;
  core::MatD y;                               // (N, 2) the layout; empty while t-SNE initialises
  int iteration = 0;                          // steps done
  std::vector<float> kl_iteration, kl_value;  // the KL curve (every kl_every iterations)
  double final_kl = -1;                       // the exact KL at the end
};

// What the block's computation (core/embed/projection_job.h) has got to: filled from the job itself
// when the block computes in its own frame slices, or from what the page's worker last posted.
struct ProjectionNews {
  core::ProjectionPhase phase = core::ProjectionPhase::Pca;
  bool worker_failed = false;  // the worker itself failed (not the computation): `error` says why
  std::string stage, error;    // what it is doing; core's message (phase Error) or the worker's
  int stage_run = 0;           // the t-SNE run `stage` is about
  double fraction = 0;         // of that stage
  double worker_ms = 0;        // the worker's computing time so far (0 when computed here)
  int iteration = 0;           // t-SNE steps done
  std::vector<core::MatD> y;   // per run: the layout (N, 2), once initialised
  std::vector<std::vector<float>> kl_iteration, kl_value;
  std::vector<double> final_kl;
  std::vector<std::array<double, 3>> quality;  // per picture: trustworthiness, k-NN accuracy, input k-NN accuracy
  bool has_pca = false;        // the PCA (fit and projected points) is here, once it is done ...
  bool pca_taken = false;      // ... and the block took it (it is not sent again)
  core::Pca pca;
  core::Mat pca_x;
};

// Where the platform can compute a big projection away from the frame loop (the page: a Web Worker
// running core's projection job in a WebAssembly instance of its own, src/platform/compute_worker.cpp),
// so t-SNE gets a processor core to itself instead of the share of each frame FrameBudget leaves it.
// Unset natively and under node: the block then runs the job in its own frame slices. Both run the same
// job (core/embed/projection_job.h) on the same input: the same results, bit for bit.
struct ProjectionOffload {
  // A job id, or 0 if it cannot (the block then computes itself).
  std::function<int(const core::Mat& x, const core::ProjectionJobSettings& settings)> start;
  std::function<bool(int id, ProjectionNews& news)> poll;  // true when news arrived (news updated)
  std::function<void(int id)> stop;                        // the block is gone
};
void projection_offload_set(ProjectionOffload offload);
// Points from which a projection is offloaded (below, the worker's start-up costs more than it saves).
inline constexpr int kOffloadMinPoints = 1000;

struct ProjectionExperiment final : Experiment {
  // Settings.
  ProjectionData data = ProjectionData::Digits;
  ProjectionMethod method = ProjectionMethod::Tsne;
  int points = 0;               // 0: all
  int pca_dims = 0;             // t-SNE of the first pca_dims principal components (0: of x itself)
  int iterations = 750;
  double perplexity = 30, perplexity_used = 30;
  int exaggeration_iterations = 250;  // t-SNE's (core's default), for the KL plot's marker
  double learning_rate = 0;     // 0: automatic
  core::TsneInit init = core::TsneInit::Random;
  uint64_t seed = 1;
  int second_seed = -1;         // >= 0: a second t-SNE with this seed

  // The points.
  core::Mat x;                               // (N, D) input
  std::vector<int32_t> labels;               // (N) group of each point
  std::vector<std::string> group_names;      // legend
  std::vector<std::string> point_labels;     // (N) hover text
  std::vector<int> source_rows;              // (N) row in the full data set
  int image_side = 0;                        // digits: 8, Fashion-MNIST: 28 (x's rows are images, row by row)
  double image_max = 0;                      // the value drawn as full ink (digits 16, Fashion-MNIST 1)
  std::string data_name;                     // for export file names
  std::shared_ptr<const ProjectionUserData> user;  // the student's vectors, when they replace `data`
  int colour = 0;                            // user data: the metadata column the labels come from
  WordEmbeddingRun words;                    // data = Words: trained (or reused) first

  // Results.
  bool prepared = false, finished = false;
  core::Pca pca;
  core::Mat pca_y;                           // (N, 2) PCA coordinates (t-SNE with pca_dims: PCA alone, for comparison)
  core::Mat tsne_x;                          // t-SNE with pca_dims: (N, pca_dims) its input; quality is measured in it
  std::vector<TsneRun> runs;                 // 1 or 2 t-SNE runs
  std::vector<core::LayoutQualityJob> quality;  // per layout, evaluated in slices after the runs
  std::vector<Metric> results;               // final metrics (complete when finished)
  int finish_stage = 0;                      // final metrics: units done (see finish_step)
  core::Mat overlap_layout[2];               // two seeds: the pictures whose neighbours are compared ...
  core::Knn overlap_knn[2];                  // ... their 10 nearest neighbours ...
  core::KnnJob overlap_job;                  // ... found in pieces
  bool overlap_ok = true;
  core::Status error;
  // The computation (PCA, t-SNE, the pictures' quality): in the block's own slices, or on the page's worker.
  std::unique_ptr<core::ProjectionJob> job;  // computing here ...
  int offload_id = 0;                        // ... or there (ProjectionOffload)
  ProjectionNews news;                       // what it has got to
  bool labels_changed = false;               // colour_by while computing: the job's accuracies are stale

  ~ProjectionExperiment() override;
  void step(double budget_ms) override;
  bool done() const override { return finished || !error.ok; }
  float progress() const override;
  std::string progress_text() const override;
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  std::vector<ModelCode> model_code() const override {
    return data == ProjectionData::Words && !user ? word_embedding_code(words) : std::vector<ModelCode>{};
  }

  // The 2-D layout of run r (PCA: r = 0 only).
  core::Mat layout(int r) const;
  // The space t-SNE works in and the layouts are judged against: x, or its first pca_dims components.
  const core::Mat& input() const { return tsne_x.rows() ? tsne_x : x; }
  // t-SNE with pca_dims: the first two of those components are drawn beside it ("what PCA alone shows").
  bool pca_beside() const { return method == ProjectionMethod::Tsne && pca_y.rows() > 0; }
  DataSetInfo data_set() const override;
  double worker_ms() const override { return news.worker_ms; }
  // User data: group the points by metadata column `column` (the layouts stay; the label-based
  // metrics are measured again).
  void colour_by(int column);
};

// Planted clusters (10-D Gaussians) and what they show:
//   BlobsSpread: three equally spaced clusters with standard deviations 0.5, 1.5 and 4.5;
//   BlobsGaps:   three equal clusters on a line, the second 12 from the first, the third 120.
void planted_blobs(ProjectionData which, uint64_t seed, core::Mat& x, std::vector<int32_t>& labels,
                   std::vector<std::string>& names);


}  // namespace lab::runtime
