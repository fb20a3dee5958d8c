// "rec-data": the recommender lessons' ratings explored (star histogram, popularity long tail): the
// generated MovieLens-shaped data, or the student's own MovieLens files (rec_user_data.h).
#pragma once

#include <vector>

#include "core/recsys/data.h"
#include "runtime/lab_block.h"

namespace lab::runtime {

BlockKind& block_kind_rec_data();

struct RecDataExperiment final : Experiment {
  uint64_t seed = 1;
  bool computed = false;
  core::Status error;
  core::recsys::RecData data;
  core::recsys::DataSummary summary;
  std::vector<double> star_counts;       // 5 entries: ratings with 1..5 stars
  std::vector<double> item_counts_desc;  // ratings per item, most-rated first (the long tail)
  std::vector<double> user_counts;       // ratings per user
  double top_item_share = 0;             // share of ratings on the single most-rated item

  void step(double) override;
  bool done() const override { return computed; }
  float progress() const override { return computed ? 1.0f : 0.0f; }
  core::Status status() const override { return error; }
  std::vector<Metric> metrics() const override;
  DataSetInfo data_set() const override;
};

}  // namespace lab::runtime
