// Recommender data: one in-memory form (RecData) for the generated MovieLens-100k-shaped data and
// for the real MovieLens-100k files, seeded splits, and the views the models need.
//
//   RecData d;  synth_generate(synth_movielens100k(seed), d);           // 943 x 1682, 100k ratings
//   RecData d;  ml100k_parse(u_data_text, u_item_text, u_user_text, d)  // the real files (text in)
//   Split s = split_random(d, 0.2, seed);  or split_leave_last_out(d);  or split_from_ratings(...)
//
// Ids are 0-based everywhere in core (MovieLens files are 1-based; the parser converts). No file
// I/O here: parsers take the files' bytes and a file name to put in "FILE:LINE: message" errors.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/types.h"

namespace lab::core::recsys {

constexpr int kGenres = 19;  // MovieLens-100k's genre flags, "unknown" first
extern const std::array<const char*, kGenres> kGenreNames;
constexpr int kOccupations = 21;  // MovieLens-100k's u.occupation, alphabetical
extern const std::array<const char*, kOccupations> kOccupationNames;

struct Rating {
  int32_t user = 0, item = 0;
  float rating = 0;       // 1..5
  int64_t timestamp = 0;  // seconds since 1970 (MovieLens-100k: Sept 1997 .. April 1998)
};

struct UserInfo {
  int age = 0;
  char gender = 'M';       // 'M' or 'F'
  int occupation = 0;      // index into RecData::occupations
  std::string zip;         // as in the file (a few are not numeric)
};

struct ItemInfo {
  std::string title;       // UTF-8
  int year = 0;            // release year; 0 = unknown (MovieLens has a few missing dates)
  std::array<uint8_t, kGenres> genres{};  // 0/1 flags in kGenreNames order
};

struct RecData {
  int32_t n_users = 0, n_items = 0;
  std::vector<Rating> ratings;
  std::vector<UserInfo> users;       // n_users
  std::vector<ItemInfo> items;       // n_items
  std::vector<std::string> occupations;  // names; starts as kOccupationNames
  // Generated data only (empty for real data): for each rating, the best possible prediction
  // E[rating | the generator's latent truth] and the variance around it (noise + rounding +
  // clipping). The noise floor of any rating subset is sqrt(mean(bayes_var)) over it.
  // bayes_mae: expected absolute error of the best MAE predictor (the conditional median).
  std::vector<float> bayes_mean, bayes_var, bayes_mae;
  bool synthetic = false;
  double noise_sd = 0;  // the generator's noise level, before rounding/clipping
};

// ---- Generator ------------------------------------------------------------------------------------
struct SynthOptions {
  int32_t n_users = 943, n_items = 1682;
  int64_t n_ratings = 100000;
  int min_per_user = 20;
  int max_per_user = 737;     // MovieLens-100k's busiest user
  int max_item_count = 583;   // MovieLens-100k's most-rated item (Star Wars)
  int rank = 4;               // latent factors of the user-item interaction
  double mean = 3.32;         // centre of the latent rating, before rounding/clipping
  double user_bias_sd = 0.45, item_bias_sd = 0.5;
  double interaction_sd = 0.55;  // sd of <p_u, q_i> + genre affinity
  double noise_sd = 0.9;      // Gaussian noise on the latent rating; rounded to 1..5 afterwards
  double selection = 2.0;     // how much taste drives which items a user rates (0 = popularity only)
  double meta_share = 0.85;   // share of a user's taste explained by (age, gender, occupation)
  double genre_share = 0.6;   // share of a movie's latent factors explained by its genres
  double genre_bias = 0;      // share of a movie's bias (its average rating) set by its genres, at most 0.6
  uint64_t seed = 1;
};

SynthOptions synth_movielens100k(uint64_t seed = 1);  // 943 x 1682, 100,000 ratings
SynthOptions synth_small(uint64_t seed = 1);          // 300 x 500, 12,000 ratings: in-browser lessons

// Deterministic for a seed (natively and in WASM). Fails only on impossible options.
Status synth_generate(const SynthOptions& opt, RecData& out);

// Shape figures a lesson or a test can print (and compare with MovieLens-100k's published ones).
struct DataSummary {
  int64_t n_ratings = 0;
  double mean = 0, sd = 0;
  std::array<double, 5> share{};  // share of 1..5 stars
  int min_per_user = 0, max_per_user = 0, median_per_user = 0;
  int max_per_item = 0, median_per_item = 0, items_with_one = 0;
  double top10pct_item_share = 0;  // share of ratings on the 10% most-rated items
  double noise_floor_rmse = 0, noise_floor_mae = 0;  // generated data only (0 otherwise)
};
DataSummary summarise(const RecData& d);

// ---- MovieLens-100k loader (from the files' text) -------------------------------------------------
// u.data: "user<TAB>item<TAB>rating<TAB>timestamp" (1-based ids). u.item: 24 '|'-separated fields
// (id|title|release date|video date|url|19 genre flags), titles in Latin-1 (converted to UTF-8),
// dates like 01-Jan-1995 or empty. u.user: "id|age|gender|occupation|zip".
// Every malformed line is an error "FILE:LINE: what is wrong" (the names given are used as FILE).
struct Ml100kText {
  std::string_view data, item, user;
  std::string data_name = "u.data", item_name = "u.item", user_name = "u.user";
};
Status ml100k_parse(const Ml100kText& text, RecData& out);

// MovieLens-100k in a zip (GroupLens' ml-100k.zip, read by core/data/zip.h): u.data, u.item and u.user
// unpacked (the shallowest copy of each, so "ml-100k/u.data" and not "ml-100k/old/u.data"), named
// "ARCHIVE/ml-100k/u.data" for the loader's FILE:LINE errors. One message if they are not all there.
struct Ml100kFiles {
  std::string data, item, user;
  std::string data_name, item_name, user_name;
  Ml100kText text() const { return {data, item, user, data_name, item_name, user_name}; }
};
Status ml100k_unzip(std::string_view zip, const std::string& archive, Ml100kFiles& out);

// Ratings only (u.data or any uN.base/uN.test file); ids stay as given (1-based).
Status ml100k_parse_ratings(std::string_view text, const std::string& file, std::vector<Rating>& out);


// ---- Splits ---------------------------------------------------------------------------------------
// Indices into RecData::ratings.
struct Split {
  std::vector<uint32_t> train, test;
};

// A seeded random share of all ratings goes to test (the course: 0.2).
Split split_random(const RecData& d, double test_share, uint64_t seed);
// Each user's latest rating (by timestamp, ties by position) goes to test (users with >= 2).
Split split_leave_last_out(const RecData& d);

// Cold start: a seeded share of the movies are *new* (every rating of them is a test rating: no
// model saw them rated) and a seeded share of the users are *new* (only their first
// `new_user_ratings` ratings by time are training ratings, the rest are test ratings). Every other
// rating is split at random as split_random does, with test_share.
struct ColdSplit {
  Split split;
  std::vector<uint8_t> new_item, new_user;  // per item / per user: 1 if held out as new
};
ColdSplit split_cold(const RecData& d, double new_item_share, double new_user_share, int new_user_ratings,
                     double test_share, uint64_t seed);
// A predefined split (u1.base/u1.test, ua.base/ua.test): the files' ratings (1-based ids, as
// ml100k_parse_ratings returns them) are matched to RecData::ratings by (user, item); one that is
// not in u.data is an error naming FILE:LINE.
Status split_from_ratings(const RecData& d, const std::vector<Rating>& base, const std::string& base_name,
                          const std::vector<Rating>& test, const std::string& test_name, Split& out);

// Noise floor (generated data): sqrt(mean bayes_var) and mean expected absolute error of the best
// predictor over these ratings; 0 when the data is not generated.
double noise_floor_rmse(const RecData& d, const std::vector<uint32_t>& rows);
double noise_floor_mae(const RecData& d, const std::vector<uint32_t>& rows);

// ---- Views --------------------------------------------------------------------------------------
// Per-user sorted lists of item ids with rating >= min_rating among the given rows (implicit view;
// min_rating 0 = every interaction).
std::vector<std::vector<int32_t>> positives_by_user(const RecData& d, const std::vector<uint32_t>& rows,
                                                    float min_rating);
// Number of the given rows per item (popularity).
std::vector<int32_t> item_counts(const RecData& d, const std::vector<uint32_t>& rows, float min_rating = 0);

// Metadata features for the deep-with-metadata model, one row per user / item, roughly in [-1, 1]:
// users: age (scaled), gender, occupation one-hot (21 + extra); items: release year (scaled, 0 if
// unknown), unknown-year flag, 19 genre flags, log popularity over the training rows (scaled; left
// out with popularity = false: a movie's rating count is collaborative information, and for a new
// movie it says 0 whatever the movie is).
Mat user_features(const RecData& d);
Mat item_features(const RecData& d, const std::vector<uint32_t>& train_rows, bool popularity = true);

}  // namespace lab::core::recsys
