// "rec-data": the generated MovieLens-100k-shaped data (synth_small: 300 users x 500 items, 12k
// ratings) explored: how the stars are distributed and how few items get most of the ratings.
#include "runtime/blocks/rec_data.h"

#include <algorithm>

#include "runtime/blocks/rec_explicit.h"
#include "runtime/blocks/rec_user_data.h"

namespace lab::runtime {

void RecDataExperiment::step(double) {
  if (computed) return;
  computed = true;
  error = rec_lesson_data(seed, data);
  if (!error.ok) return;
  summary = core::recsys::summarise(data);
  star_counts.assign(5, 0.0);
  std::vector<double> per_item(size_t(data.n_items), 0.0), per_user(size_t(data.n_users), 0.0);
  for (const core::recsys::Rating& r : data.ratings) {
    const int s = std::clamp(int(r.rating + 0.5f), 1, 5);
    star_counts[size_t(s - 1)] += 1;
    per_item[size_t(r.item)] += 1;
    per_user[size_t(r.user)] += 1;
  }
  std::sort(per_item.begin(), per_item.end(), std::greater<>());
  item_counts_desc = std::move(per_item);
  user_counts = std::move(per_user);
  top_item_share = data.ratings.empty() ? 0 : item_counts_desc.front() / double(data.ratings.size());
}

std::vector<Metric> RecDataExperiment::metrics() const {
  if (!computed || !error.ok) return {};
  return {{"n_users", double(data.n_users)},
          {"n_items", double(data.n_items)},
          {"n_ratings", double(summary.n_ratings)},
          {"density", double(summary.n_ratings) / (double(data.n_users) * double(data.n_items))},
          {"mean_rating", summary.mean},
          {"sd_rating", summary.sd},
          {"share_4_or_5", summary.share[3] + summary.share[4]},
          {"median_per_user", double(summary.median_per_user)},
          {"max_per_item", double(summary.max_per_item)},
          {"median_per_item", double(summary.median_per_item)},
          {"top10pct_item_share", summary.top10pct_item_share},
          {"noise_floor_rmse", summary.noise_floor_rmse}};
}

DataSetInfo RecDataExperiment::data_set() const { return computed && error.ok ? rec_data_set_info(data, seed) : DataSetInfo{}; }

static std::unique_ptr<Experiment> make_rec_data(const BlockConfig& c) {
  auto e = std::make_unique<RecDataExperiment>();
  e->seed = uint64_t(c.integer("seed"));
  return e;
}

BlockKind& block_kind_rec_data() {
  static BlockKind k{
      "rec-data",
      "MovieLens-shaped ratings: star histogram and popularity long tail",
      {
          {"seed", ParamType::Int, "seed of the generated data set (300 users x 500 movies, 12,000 ratings)", 1, 0, 1e9, {}, ""},
          {"view", ParamType::Choice, "what to plot", 0, 0, 0, {"stars", "long-tail", "users"}, "stars"},
      },
      {
          {"n_users", "number of users"},
          {"n_items", "number of movies"},
          {"n_ratings", "number of ratings"},
          {"density", "share of the user x movie matrix that is filled"},
          {"mean_rating", "average number of stars"},
          {"sd_rating", "standard deviation of the stars"},
          {"share_4_or_5", "share of ratings with 4 or 5 stars"},
          {"median_per_user", "median number of ratings per user"},
          {"max_per_item", "ratings of the most-rated movie"},
          {"median_per_item", "median number of ratings per movie"},
          {"top10pct_item_share", "share of all ratings that go to the 10% most-rated movies"},
          {"noise_floor_rmse", "best RMSE any model can reach on this data (the generator's noise)"},
      },
      make_rec_data,
  };
  metrics_mark_all_identity(k);
  return k;
}

}  // namespace lab::runtime
