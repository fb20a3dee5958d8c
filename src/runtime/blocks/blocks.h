// Every lab-block kind, one per file in this folder. The experiment types are public so the UI's
// widget for a kind can show its state (matrices, histograms, curves) without copying.
#pragma once

#include <string>
#include <vector>

#include "core/rng.h"
#include "core/types.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_onehot();
BlockKind& block_kind_random_cosine();
BlockKind& block_kind_quiz();

// --- onehot: a vocabulary as one-hot vectors ---------------------------------------------------
struct OnehotExperiment final : Experiment {
  std::vector<std::string> vocab;
  core::Mat onehot;     // (|V|, |V|) identity rows
  core::Mat distances;  // (|V|, |V|) Euclidean distances between one-hot rows
  core::Status error;
  bool computed = false;

  void step(double) override;
  bool done() const override { return computed; }
  float progress() const override { return computed ? 1.0f : 0.0f; }
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
};
// Splits "cat, dog, apple" into trimmed, non-empty, de-duplicated words.
std::vector<std::string> vocabulary_parse(const std::string& text, std::string* error);

// --- random-cosine: cosine of random vector pairs vs dimension --------------------------------
struct RandomCosineExperiment final : Experiment {
  int dim = 2, pairs = 2000;
  int distribution = 0;  // 0 gaussian, 1 uniform [-1, 1], 2 non-negative uniform [0, 1]
  core::Rng rng;
  std::vector<float> cosines;
  double sum = 0, sum_abs = 0, sum_sq = 0;

  void step(double budget_ms) override;
  bool done() const override { return int(cosines.size()) >= pairs; }
  float progress() const override { return float(cosines.size()) / float(pairs); }
  std::string progress_text() const override;
  std::vector<Metric> metrics() const override;
};

// --- quiz: a multiple-choice question ---------------------------------------------------------
struct QuizExperiment final : Experiment {
  std::string question;
  std::vector<std::string> choices;
  int answer = 0;  // 0-based index of the right choice
  std::string explanation;
  int checked_choice = -1;  // the choice the student last checked (-1: none since the last pick); set by the UI

  void step(double) override {}
  bool done() const override { return true; }
  float progress() const override { return 1.0f; }
  std::vector<Metric> metrics() const override;
};

}  // namespace lab::runtime
