// What a projection computes, in pieces small enough for a frame: the PCA of x (optional: the fit,
// then the points projected onto its axes), then one or two t-SNE runs of the result (or of x) in
// lockstep for `iterations` steps, then each run's exact KL, then the quality of each picture (each
// run's, then PCA's own first two components when there is a PCA): trustworthiness and k-NN accuracy.
// The projection block (runtime/blocks/projection.h) runs it in its frame slices, or the page runs it
// on a Web Worker (src/platform/compute_worker.cpp): the same pieces in the same order, so the same
// bits either way.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/embed/pca.h"
#include "core/embed/quality.h"
#include "core/embed/tsne.h"
#include "core/status.h"

namespace lab::core {

struct ProjectionJobSettings {
  int components = 0;            // PCA components (0: no PCA)
  bool tsne_of_pca = false;      // t-SNE and the quality measures work on the components, not on x
  std::vector<TsneParams> runs;  // one per t-SNE run (empty: the PCA only)
  int iterations = 0;            // t-SNE steps
  std::vector<int32_t> labels;   // (N) each point's group, for the k-NN accuracies (empty: none)
  int k_trust = 0, k_vote = 0;   // neighbours for trustworthiness and for the label vote (quality.h)
};

// The settings but the labels as a list of numbers, and back: how they travel to the page's worker
// (src/platform/compute_web.cpp, compute_worker.cpp). Only what the projection block sets per run
// travels (seed, perplexity, learning rate, init, kl_every, exact_max_n); the rest are core's defaults
// on both sides.
std::vector<double> projection_settings_numbers(const ProjectionJobSettings& s);
ProjectionJobSettings projection_settings_from_numbers(std::span<const double> numbers);

// In order (the page's worker passes them as numbers: 0 Pca ... 6 Error).
enum class ProjectionPhase { Pca, TsneInit, Iterating, Kl, Quality, Done, Error };

struct ProjectionJob {
  ProjectionJobSettings settings;
  const Mat* x = nullptr;         // (N, D) the data: the caller's, unchanged while the job runs
  ProjectionPhase phase = ProjectionPhase::Done;
  Status error;                   // Error: why (core refused the input)
  std::string stage;              // what it is doing now, for a progress line ...
  int stage_run = 0;              // ... about which t-SNE run ...
  double fraction = 0;            // ... and how far that is, in [0, 1]
  PcaJob pca_job;
  Pca pca;
  Mat pca_x;                      // (N, components): x on the PCA axes, once projected (phase > Pca)
  Index pca_rows = 0;             // rows of pca_x done
  std::vector<TsneState> runs;
  std::vector<std::vector<float>> kl_iteration, kl_value;  // each run's KL curve (every kl_every steps)
  std::vector<double> final_kl;   // each run's exact KL at the end
  TsneKlJob kl_job;
  std::vector<LayoutQualityJob> quality;  // the pictures' measures (phase Quality on)

  bool done() const { return phase == ProjectionPhase::Done || phase == ProjectionPhase::Error; }
  // What t-SNE and the measures work on: x, or its components.
  const Mat& input() const { return settings.tsne_of_pca ? pca_x : *x; }
};

// Starts a job on x (kept by pointer). An error here (the PCA's or t-SNE's check of x and the
// settings) is also left in job.error with phase Error.
Status projection_job_begin(ProjectionJob& job, const Mat& x, ProjectionJobSettings settings);
// Works for about budget_ms (at least one piece: a block of the PCA's sums or of its projection, a
// piece of a t-SNE initialisation, one step of every run, a piece of a KL or of a measure).
void projection_job_step(ProjectionJob& job, double budget_ms);

}  // namespace lab::core
