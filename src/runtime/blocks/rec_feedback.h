// "rec-feedback": the feedback-loop simulation of the ethics lesson — a recommender retrained each
// round on the clicks its own lists caused; coverage, concentration and group disparity per round,
// clickbait and heavy users when asked, and an audit of the final ranking.
#pragma once

#include "core/recsys/feedback.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_rec_feedback();

struct RecFeedbackExperiment final : Experiment {
  core::recsys::FeedbackOptions opt;
  core::recsys::FeedbackSim sim;
  bool initialised = false;
  core::Status error;
  bool audit = false;                  // audit the final ranking (the lesson's `audit: yes`)
  core::recsys::FeedbackAudit report;  // filled once the last round is done

  void step(double budget_ms) override;
  bool done() const override { return !error.ok || (initialised && core::recsys::feedback_done(sim)); }
  float progress() const override;
  std::string progress_text() const override;
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
};

}  // namespace lab::runtime
